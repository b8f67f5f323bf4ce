/**
 * `runBench`: the whole measurement. For each repeat, every contender runs once over its grid,
 * in an order rotated by one each repeat (so no contender always runs first, or always right
 * after the heaviest one): this project through `deno bench --json` (a child process per
 * backend, plus the data-generation and report-building benches on tensorflow), and each
 * available peer through `python3`. Then the repeats are pooled ({@link summarize}), written to
 * `reports/bench/bench-<date>.json` and rendered as a table.
 *
 * @module
 */
import { join, resolve } from "node:path";
import type { BackendName } from "../backend.ts";
import { writeJsonAtomic } from "../fs/atomic.ts";
import type { Environment } from "../results/env.ts";
import { BENCH_SCHEMA, validateBench } from "../results/schema.ts";
import { type SpeedBenchFile, speedRows, withSpeed } from "./efficiency.ts";
import {
  ALL_BENCH_CELLS,
  BENCH_B,
  BENCH_H,
  FULL_LENGTHS,
  matchesFilter,
  QUICK_CELLS,
  QUICK_LENGTHS,
  SHORT_CELLS,
  SHORT_LENGTHS,
  stepName,
  stepsFor,
} from "./grid.ts";
import type { Measurement } from "./measurement.ts";
import { parseDenoBench } from "./parse.ts";
import { peakFromEntries } from "./peak.ts";
import {
  peerAvailable,
  peerMeasurement,
  PEERS,
  type PeerSpec,
  peerSupports,
  runPeer,
} from "./peers.ts";
import { nonProtocolLines, parseProtocol } from "./protocol.ts";
import { OURS, summarize } from "./summarize.ts";
import { formatTable } from "./table.ts";

/** Options of {@link runBench}; every field is optional. */
export interface BenchOptions {
  /** The quick grid (rnn_tanh, lstm, gru × T ∈ {50, 200}; fewer steps; 2 repeats). */
  quick?: boolean;
  /** Only benches whose name matches (`deno bench --filter` rules: substring or `/regex/`). */
  filter?: string;
  /** Backends of this project (default tensorflow; wasm and cpu run a shorter grid). */
  backends?: BackendName[];
  /** Peers to run when their package imports: `torch`, `keras` (default none). */
  peers?: string[];
  /** Whole-process repeats, interleaved (default 3, quick 2). */
  repeats?: number;
  /**
   * Threads forced on every contender (TensorFlow intra-op for this project and Keras, torch's
   * intra-op). Default: none forced — each contender runs at its own default (this project: the
   * engine's measured default, `DEFAULT_TF_INTRAOP_THREADS`; torch and Keras: all cores), and each
   * entry records the threads it computed with.
   */
  threads?: number;
  /** Cells and lengths instead of the grid's (tensorflow and peers). */
  cells?: string[];
  lengths?: number[];
  /** Timed / warm-up steps for every configuration instead of the per-length defaults. */
  steps?: number;
  warmup?: number;
  /** Also time dataset generation and report building (default true). */
  extras?: boolean;
  /** Also time the gradient probe (default true). */
  probe?: boolean;
  /**
   * Measure the machine's fp32 GEMM peak in the same run (default true; tensorflow only): at the
   * core count — the threads the contenders use in all — and at one thread.
   */
  peak?: boolean;
  /** Where the bench file goes (default `reports/bench`). */
  outDir?: string;
  /** Project root holding `bench/` and `peers/` (default the working directory). */
  root?: string;
  /** The command line recorded in the file. */
  command?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** The Python interpreter of the peers (default `python3`). */
  python?: string;
}

/** What {@link runBench} produced. */
export interface BenchRun {
  /** Path of the bench file written. */
  file: string;
  /** The readable table. */
  table: string;
  bench: SpeedBenchFile;
}

/** A `deno bench` child process of this project. */
interface DenoJob {
  kind: "deno";
  label: string;
  backend: BackendName;
  files: string[];
  env: Record<string, string>;
  write?: string;
  optional: boolean;
  /** Threads its entries record, where the job fixes them (the peak's products). */
  threads?: number;
}

/** A peer script, one variant. */
interface PeerJob {
  kind: "peer";
  label: string;
  peer: PeerSpec;
  variant: number;
  cells: string[];
  lengths: number[];
}

type Job = DenoJob | PeerJob;

/** Runs the bench; see the module docs. Throws when this project's own step bench fails. */
export async function runBench(opts: BenchOptions = {}): Promise<BenchRun> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const root = resolve(opts.root ?? Deno.cwd());
  const quick = opts.quick ?? false;
  const repeats = opts.repeats ?? (quick ? 2 : 3);
  const threads = opts.threads;
  const backends = opts.backends ?? ["tensorflow"];
  const cells = opts.cells ?? [...(quick ? QUICK_CELLS : ALL_BENCH_CELLS)];
  const lengths = opts.lengths ?? [...(quick ? QUICK_LENGTHS : FULL_LENGTHS)];
  const extras = opts.extras ?? true;
  const probe = opts.probe ?? true;
  const cores = navigator.hardwareConcurrency || 1;
  const outDir = resolve(root, opts.outDir ?? "reports/bench");
  const tmp = join(outDir, `.tmp-${Deno.pid}`);

  const skipped: { peer: string; reason: string }[] = [];
  const jobs: Job[] = [];
  const common: Record<string, string> = {
    BENCH_PROTOCOL: "1",
    ...(threads !== undefined ? { TF_NUM_INTRAOP_THREADS: String(threads) } : {}),
    ...(quick ? { BENCH_QUICK: "1" } : {}),
    ...(opts.steps !== undefined ? { BENCH_N: String(opts.steps) } : {}),
    ...(opts.warmup !== undefined ? { BENCH_WARMUP: String(opts.warmup) } : {}),
  };
  for (const backend of backends) {
    const main = backend === "tensorflow";
    jobs.push({
      kind: "deno",
      label: `${OURS} (${backend})`,
      backend,
      files: ["bench/step_bench.ts"],
      env: {
        ...common,
        BENCH_BACKEND: backend,
        BENCH_CELLS: (main ? cells : SHORT_CELLS.filter((c) => cells.includes(c) || !opts.cells))
          .join(","),
        BENCH_LENGTHS: (main ? lengths : SHORT_LENGTHS).join(","),
        ...(main ? {} : { BENCH_PROBE: "0", BENCH_QUICK: "1" }),
        ...(probe ? {} : { BENCH_PROBE: "0" }),
      },
      optional: false,
    });
  }
  if (extras && backends.includes("tensorflow")) {
    for (const [file, write] of [["bench/data_bench.ts", false], ["bench/report_bench.ts", true]]) {
      if (!exists(join(root, file as string))) continue;
      jobs.push({
        kind: "deno",
        label: `${OURS} (${(file as string).slice(6, -9)})`,
        backend: "tensorflow",
        files: [file as string],
        env: { ...common, ...(write ? { TMPDIR: tmp } : {}) },
        write: write ? tmp : undefined,
        optional: true,
      });
    }
  }
  if ((opts.peak ?? true) && backends.includes("tensorflow")) {
    for (const n of [...new Set([cores, 1])]) {
      jobs.push({
        kind: "deno",
        label: `${OURS} (GEMM peak, ${n} thread${n > 1 ? "s" : ""})`,
        backend: "tensorflow",
        files: ["bench/peak_bench.ts"],
        env: {
          ...common,
          TF_NUM_INTRAOP_THREADS: String(n),
          BENCH_PEAK_N: quick ? "10" : "20",
        },
        optional: true,
        threads: n,
      });
    }
  }
  for (const name of opts.peers ?? []) {
    const peer = PEERS[name];
    if (!peer) throw new RangeError(`unknown peer '${name}' (known: ${Object.keys(PEERS)})`);
    if (!(await peerAvailable(peer, opts.python))) {
      const reason = `python3 -c "import ${peer.module}" failed; to include it: ${peer.install}`;
      log(`peer ${name}: not installed (${reason}); carrying on without it`);
      skipped.push({ peer: name, reason });
      continue;
    }
    const configs = cells.filter((c) => peerSupports(peer, c)).flatMap((c) =>
      lengths.map((T) => ({ c, T }))
    ).filter(({ c, T }) => matchesFilter(stepName(c, T), opts.filter));
    if (configs.length === 0) continue;
    peer.variants.forEach((v, variant) =>
      jobs.push({
        kind: "peer",
        label: v.contender,
        peer,
        variant,
        cells: [...new Set(configs.map((x) => x.c))],
        lengths: [...new Set(configs.map((x) => x.T))],
      })
    );
  }

  const measurements: Measurement[] = [];
  const raw: unknown[] = [];
  let env: Environment | null = null;
  const dropped = new Set<Job>();
  const t0 = performance.now();
  try {
    for (let r = 1; r <= repeats; r++) {
      const order = jobs.map((_, i) => jobs[(i + r - 1) % jobs.length]);
      for (const job of order) {
        if (dropped.has(job)) continue;
        const secs = ((performance.now() - t0) / 1000).toFixed(0);
        log(`[${secs}s] repeat ${r}/${repeats}: ${job.label}`);
        if (job.kind === "deno") {
          if (job.write) await Deno.mkdir(job.write, { recursive: true });
          const peakJob = job.files[0].endsWith("peak_bench.ts");
          const out = await runDeno(job, root, peakJob ? undefined : opts.filter);
          if (!out.ok) {
            if (!job.optional) throw new Error(`${job.label}: ${out.error}`);
            log(`  ${job.label} failed, dropped from the bench: ${out.error}`);
            dropped.add(job);
            continue;
          }
          const proto = parseProtocol(out.stderr);
          if (!env && job.backend === backends[0] && proto.env) env = proto.env as Environment;
          const parsed = parseDenoBench(out.json, {
            contender: OURS,
            backend: job.files[0].endsWith("step_bench.ts") ? job.backend : null,
            repeat: r,
            samples: proto.samples,
            threads: job.threads ??
              (job.backend === "tensorflow"
                ? threads ?? (proto.env as Environment | undefined)?.threads
                : undefined),
          });
          if (parsed.failed.length) log(`  failed benches: ${parsed.failed.join(", ")}`);
          measurements.push(...parsed.measurements);
          raw.push({ repeat: r, contender: OURS, job: job.label, deno_bench: out.json });
        } else {
          const grid = {
            cells: job.cells,
            lengths: job.lengths,
            n: job.lengths.map((T) => opts.steps ?? stepsFor(T, quick).n),
            warmup: job.lengths.map((T) => opts.warmup ?? stepsFor(T, quick).warmup),
            B: BENCH_B,
            H: BENCH_H,
            threads,
          };
          try {
            const records = await runPeer(job.peer, job.variant, grid, {
              python: opts.python,
              cwd: root,
            });
            const kept = records.filter((x) => matchesFilter(stepName(x.cell, x.T), opts.filter));
            measurements.push(...kept.map((x) => peerMeasurement(x, r)));
            raw.push({ repeat: r, contender: job.label, records });
          } catch (e) {
            const reason = (e as Error).message;
            log(`  ${job.label} failed, dropped from the bench: ${reason}`);
            skipped.push({ peer: job.label, reason });
            dropped.add(job);
          }
        }
      }
      // Every finished repeat is on disk: a run killed later keeps the repeats it completed.
      if (r < repeats && env) {
        const { file } = await writeBench(r);
        log(`  ${r} of ${repeats} repeats written to ${file}`);
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  if (!env) throw new Error("the step bench did not report its environment");
  const { file, bench } = await writeBench(repeats);
  log(`[${((performance.now() - t0) / 1000).toFixed(0)}s] done`);
  return { file, table: formatTable(bench), bench };

  /** Pools what was measured so far (`done` repeats) and writes the bench file, atomically. */
  async function writeBench(done: number): Promise<{ file: string; bench: SpeedBenchFile }> {
    const { entries, ratios } = summarize(measurements, { backend: backends[0] });
    const peak = peakFromEntries(
      entries,
      env!.tensorflow ? `TensorFlow ${env!.tensorflow}` : undefined,
    );
    const bench: SpeedBenchFile = validateBench({
      schema: BENCH_SCHEMA,
      kind: "bench",
      env: env!,
      command: opts.command ?? "runBench",
      repeats: done,
      ...(threads !== undefined ? { threads } : {}),
      ...(skipped.length ? { peers_skipped: skipped } : {}),
      ...(peak ? { peak } : {}),
      speed: speedRows(entries, ratios, peak, backends[0]),
      entries: withSpeed(entries, peak),
      ratios,
      raw,
    });
    const file = join(outDir, `bench-${env!.date.replace(/[:.]/g, "-")}.json`);
    await writeJsonAtomic(file, bench);
    return { file, bench };
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function runDeno(
  job: DenoJob,
  root: string,
  filter: string | undefined,
): Promise<{ ok: true; json: unknown; stderr: string } | { ok: false; error: string }> {
  const args = [
    "bench",
    "--json",
    "--quiet",
    "--allow-read",
    "--allow-env",
    "--allow-ffi",
    "--allow-sys",
    ...(job.write ? [`--allow-write=${job.write}`] : []),
    ...(filter ? ["--filter", filter] : []),
    ...job.files,
  ];
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: job.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  const err = dec.decode(stderr);
  const text = dec.decode(stdout);
  const start = text.indexOf("{");
  let json: unknown = null;
  try {
    json = start >= 0 ? JSON.parse(text.slice(start)) : null;
  } catch { /* reported below */ }
  if (json === null || (code !== 0 && !Array.isArray((json as { benches?: unknown }).benches))) {
    const last = nonProtocolLines(err).at(-1) ?? `exit code ${code}`;
    return { ok: false, error: last.slice(0, 300) };
  }
  return { ok: true, json, stderr: err };
}
