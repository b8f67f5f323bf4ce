/**
 * Synthetic results for the report's tests and bench: a realistic suite run (cells × lengths ×
 * seeds × tasks) whose gradient norms decay geometrically — 0.9^d for the tanh RNN, 0.99^d for
 * the LSTM — with diverged and failed runs sprinkled in, plus a synthetic bench file.
 *
 * @module
 */
import { join } from "node:path";
import type { Environment } from "../results/env.ts";
import {
  BENCH_SCHEMA,
  type BenchEntry,
  type BenchFile,
  type BenchRatio,
  type ProbeRecord,
  RESULT_SCHEMA,
  type ResultRecord,
  type RunConfig,
} from "../results/schema.ts";
import { stepsToSolveOfCurve } from "../results/solved.ts";
import { suiteRunFile } from "../results/store.ts";
import { mulberry32 } from "../testing/mulberry32.ts";
import type { Grid } from "../suite/suite.ts";

/** Per-step decay factor of ‖dL/dh_t‖ at initialisation, by cell (the synthetic "physics"). */
export const SYNTHETIC_DECAY: Record<string, number> = {
  rnn_tanh: 0.9,
  rnn_relu: 0.93,
  rnn_leaky: 0.95,
  irnn: 0.98,
  indrnn: 0.985,
  lstm: 0.99,
  gru: 0.992,
  "lstm+attn": 0.995,
  "rnn_tanh+attn": 0.97,
};

/** What a synthetic suite run spans. */
export interface SyntheticOptions {
  suite?: string;
  cells?: string[];
  lengths?: number[];
  seeds?: number[];
  tasks?: ("adding" | "copy")[];
  /** Training steps after which probes ran (first 0 = initialisation). */
  probeAt?: number[];
  steps?: number;
  evalEvery?: number;
  /** ISO date of the run (each record gets a second more). */
  date?: string;
  /** Copy symbols (copy inputs are T + 2·symbols long). */
  symbols?: number;
  /** Mark some runs diverged/failed (default true). */
  faults?: boolean;
  /** Stacked layers of every run (default 1): probes then carry `layer_norms`. */
  layers?: number;
  /** Copy probes carry `recall_norms` (the recall loss alone), decaying like the whole loss's. */
  recall?: boolean;
}

/** A deterministic pseudo-random stream so synthetic data is reproducible. */
const rng = mulberry32;

/** A synthetic environment object. */
export function syntheticEnv(date = "2025-01-01T00:00:00.000Z"): Environment {
  return {
    backend: "tensorflow",
    tfjs: "4.22.0",
    tensorflow: "2.9.1",
    deno: "2.9.0",
    v8: "13.0",
    cpu: "Synthetic CPU @ 3.0GHz",
    cores: 2,
    threads: 2,
    os: "linux 6.1",
    arch: "x86_64",
    commit: "0123456789abcdef0123456789abcdef01234567",
    date,
  };
}

function hex(n: number, len: number): string {
  let s = "";
  const r = rng(n);
  while (s.length < len) s += Math.floor(r() * 16).toString(16);
  return s;
}

/** Smallest positive normal float32: norms below it are subnormal, below ~1.4e-45 they are 0. */
const F32_MIN_NORMAL = 1.1754943508222875e-38;
const F32_MIN_SUBNORMAL = 1.401298464324817e-45;

function probe(step: number, len: number, decay: number, scale: number, r: () => number) {
  const norms: (number)[] = [];
  const zero: number[] = [];
  const sub: number[] = [];
  for (let t = 0; t < len; t++) {
    const d = len - 1 - t;
    let v = scale * Math.pow(decay, d) * (1 + 0.05 * (r() - 0.5));
    if (v < F32_MIN_SUBNORMAL) v = 0;
    norms.push(v);
    // Per-component magnitudes spread over ~4 decades around the norm's per-unit size.
    const unit = v / 8;
    const subShare = unit === 0
      ? 0
      : Math.min(1, Math.max(0, Math.log10(F32_MIN_NORMAL / unit) / 4));
    const zeroShare = v === 0 ? 1 : unit < F32_MIN_SUBNORMAL * 1e4 ? 0.5 : 0;
    sub.push(v === 0 ? 0 : subShare);
    zero.push(zeroShare);
  }
  return { step, norms, zero_fraction: zero, subnormal_fraction: sub } satisfies ProbeRecord;
}

/**
 * Makes the records of one synthetic suite run. Gradient norms at step t decay like
 * `SYNTHETIC_DECAY[cell]^(len−1−t)`; training makes cells with slow decay solve the task.
 */
export function syntheticRecords(opts: SyntheticOptions = {}): ResultRecord[] {
  const suite = opts.suite ?? "synthetic";
  const cells = opts.cells ?? ["rnn_tanh", "lstm", "gru"];
  const lengths = opts.lengths ?? [50, 100, 200];
  const seeds = opts.seeds ?? [1, 2];
  const tasks = opts.tasks ?? ["adding", "copy"];
  const probeAt = opts.probeAt ?? [0, 400];
  const steps = opts.steps ?? probeAt.at(-1) ?? 400;
  const evalEvery = opts.evalEvery ?? Math.max(1, Math.round(steps / 20));
  const symbols = opts.symbols ?? 10;
  const faults = opts.faults ?? true;
  const layers = opts.layers ?? 1;
  const base = Date.parse(opts.date ?? "2025-01-01T00:00:00.000Z");
  const gridHash = hex(suite.length * 7919 + cells.length * 31 + lengths.length, 64);
  const out: ResultRecord[] = [];
  let i = 0;
  for (const task of tasks) {
    for (const cell of cells) {
      for (const T of lengths) {
        for (const seed of seeds) {
          i++;
          const config: RunConfig = {
            task,
            ...(task === "adding" ? { variant: "arjovsky" as const } : { symbols }),
            cell,
            T,
            seed,
            hidden: 128,
            batch: 50,
            steps,
            optimizer: { name: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
            clipNorm: 1,
            alpha: 0.01,
            evalEvery,
            testSize: 1000,
            probeAt,
            solved: { mse: 0.01, accuracy: 0.99 },
            ...(layers > 1 ? { layers } : {}),
            backend: "tensorflow",
          };
          const status: ResultRecord["status"] = !faults
            ? "ok"
            : cell === "rnn_relu" && T >= 200 && seed === seeds[0]
            ? "diverged"
            : cell === "gru" && T === lengths.at(-1) && seed === seeds.at(-1) && task === "copy"
            ? "failed"
            : "ok";
          out.push(
            syntheticRecord(config, i, { suite, gridHash, base, status, recall: opts.recall }),
          );
        }
      }
    }
  }
  return out;
}

/**
 * One synthetic record of a run config (the `i`-th of its suite run: its seed of randomness and
 * its date). Gradient norms decay like `SYNTHETIC_DECAY[cell]^distance`; the loss falls towards
 * the better the more signal survives the distance T.
 */
export function syntheticRecord(
  config: RunConfig,
  i: number,
  o: {
    suite: string;
    gridHash: string;
    base: number;
    status?: ResultRecord["status"];
    recall?: boolean;
  },
): ResultRecord {
  const { task, cell, T, seed, steps, evalEvery, probeAt } = config;
  const symbols = config.symbols ?? 10;
  const layers = config.layers ?? 1;
  const status = o.status ?? "ok";
  const suite = o.suite;
  const r = rng(i * 1000 + seed);
  const decay = SYNTHETIC_DECAY[cell] ?? 0.95;
  const len = task === "adding" ? T : T + 2 * symbols;
  const baseline = task === "adding" ? 1 / 6 : (symbols * Math.log(8)) / (T + 2 * symbols);
  // How much of the signal survives the distance to the informative inputs.
  const reach = Math.pow(decay, T / 4);
  const quality = Math.min(1, reach * 4) * (0.9 + 0.1 * r());
  const stoppedAt = status === "ok" ? steps : Math.round(steps / 3);
  const curve = [];
  for (let s = 0; s <= stoppedAt; s += evalEvery) {
    const progress = s / steps;
    const loss = baseline * (1 - quality * (1 - Math.exp(-5 * progress))) *
      (1 + 0.05 * (r() - 0.5));
    const acc = task === "copy" ? 1 / 8 + (1 - 1 / 8) * quality * (1 - Math.exp(-5 * progress)) : 0;
    curve.push({
      step: s,
      train_loss: status === "diverged" && s === stoppedAt ? 1e6 : loss,
      test_loss: loss * 1.02,
      test_mse: task === "adding" ? loss * 1.02 : null,
      test_accuracy: acc,
    });
  }
  const last = curve.at(-1)!;
  const probes = probeAt
    .filter((p) => p <= stoppedAt)
    .map((p) => {
      // Training slows the decay (the remedies learn to carry gradient).
      const trained = p / steps;
      const dec = Math.min(0.9999, decay + (1 - decay) * 0.5 * trained * quality);
      const pr: ProbeRecord = probe(p, len, dec, 1e-2, r);
      if (o.recall && task === "copy") {
        pr.recall_norms = probe(p, len, dec, 1e-3, r).norms;
      }
      // Lower layers decay faster (they are further from the loss): layer 0 the bottom.
      if (layers > 1) {
        pr.layer_norms = Array.from(
          { length: layers },
          (_, l) =>
            l === layers - 1
              ? pr.norms
              : probe(p, len, dec * (1 - 0.01 * (layers - 1 - l)), 1e-2, r).norms,
        );
      }
      return pr;
    });
  const date = new Date(o.base + i * 1000).toISOString();
  return {
    schema: RESULT_SCHEMA,
    kind: "result",
    run_id: `${suite}-${task}-${cell}-T${T}-s${seed}-${hex(i, 6)}`,
    suite,
    grid_hash: o.gridHash,
    config_hash: hex(i * 7 + seed, 64),
    config,
    env: syntheticEnv(date),
    status,
    status_detail: status === "ok" ? null : {
      step: stoppedAt,
      reason: status === "diverged" ? "loss is NaN" : "out of memory",
    },
    metrics: {
      test_loss: status === "ok" ? last.test_loss : null,
      test_mse: status === "ok" && task === "adding" ? last.test_mse : null,
      test_accuracy: status === "ok" ? last.test_accuracy : null,
      final_train_loss: status === "diverged" ? null : last.train_loss,
      baseline_loss: baseline,
      solved: status === "ok" &&
        (task === "adding" ? (last.test_mse ?? 1) <= 0.01 : last.test_accuracy >= 0.99),
      steps_to_solve: stepsToSolveOfCurve(config, curve),
    },
    stopped_early: false,
    end_step: stoppedAt,
    curve,
    probes,
    timing: {
      median_step_ms: 0.05 * T * (cell.startsWith("lstm") ? 4 : cell === "gru" ? 3 : 1) *
        (1 + 0.1 * r()),
      total_s: stoppedAt * 0.05 * T / 1000,
      steps_done: stoppedAt,
    },
  };
}

/**
 * Synthetic records of an expanded suite grid, as training would leave them: a grid's runs
 * each once, a search's chains climbing their ladders up to and including the first rung not
 * solved (no bisection). `only` keeps the runs it accepts (a partial run).
 */
export function syntheticGridRecords(
  grid: Grid,
  opts: { date?: string; only?: (c: RunConfig) => boolean } = {},
): ResultRecord[] {
  const base = Date.parse(opts.date ?? "2025-01-01T00:00:00.000Z");
  const keep = opts.only ?? (() => true);
  const o = { suite: grid.suite, gridHash: grid.gridHash, base };
  const out: ResultRecord[] = [];
  const chains = grid.chains ??
    grid.runs.map((run) => ({ ladder: [run], budget: null }) as const);
  for (const chain of chains) {
    for (const run of chain.ladder) {
      if (!keep(run.config)) break;
      const rec = syntheticRecord(run.config, out.length + 1, o);
      rec.config_hash = run.hash;
      out.push(rec);
      if (rec.metrics.steps_to_solve === null) break;
    }
  }
  return out;
}

/** Writes a synthetic suite run as a JSONL file into `dir`; returns the file's path. */
export function writeSyntheticRun(dir: string, opts: SyntheticOptions = {}): Promise<string> {
  return writeRecords(dir, syntheticRecords(opts));
}

/** Writes records of one suite run as its JSONL file into `dir`; returns the file's path. */
export async function writeRecords(dir: string, recs: ResultRecord[]): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const file = suiteRunFile(dir, recs[0].suite, recs[0].grid_hash);
  await Deno.writeTextFile(file, recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}

/** A synthetic bench file: this project vs the PyTorch peers, train steps per cell and T. */
export function syntheticBench(
  opts: { cells?: string[]; lengths?: number[]; date?: string } = {},
): BenchFile {
  const cells = opts.cells ?? ["rnn_tanh", "lstm", "gru"];
  const lengths = opts.lengths ?? [50, 100, 200];
  const entries: BenchEntry[] = [];
  const ratios: BenchRatio[] = [];
  const r = rng(42);
  const contenders = [
    { contender: "rnn-gradbench", backend: "tensorflow", k: 1 },
    { contender: "torch", backend: "cpu", k: 0.4 },
    { contender: "torch-denormal", backend: "cpu", k: 0.7 },
  ];
  for (const cell of cells) {
    for (const T of lengths) {
      const cellK = cell.startsWith("lstm") ? 4 : cell === "gru" ? 3 : 1;
      const ms: Record<string, number> = {};
      for (const c of contenders) {
        const m = 0.02 * T * cellK * c.k * (1 + 0.1 * r());
        ms[c.contender] = m;
        entries.push({
          contender: c.contender,
          what: "train_step",
          cell,
          T,
          B: 50,
          H: 128,
          backend: c.backend,
          ms: m,
          ms_min: m * 0.9,
          ms_max: m * 1.2,
          ms_repeats: [m * 0.95, m, m * 1.05],
        });
      }
      const ratio = ms["rnn-gradbench"] / ms["torch"];
      ratios.push({ cell, T, peer: "torch", ratio, ci_low: ratio * 0.9, ci_high: ratio * 1.1 });
    }
  }
  return {
    schema: BENCH_SCHEMA,
    kind: "bench",
    env: syntheticEnv(opts.date ?? "2025-01-02T00:00:00.000Z"),
    command: "deno task bench --peers torch",
    repeats: 3,
    entries,
    ratios,
  };
}

/** Writes {@link syntheticBench} into `dir` as `bench-<name>.json`; returns the path. */
export async function writeSyntheticBench(
  dir: string,
  opts: { cells?: string[]; lengths?: number[]; date?: string; name?: string } = {},
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const file = join(dir, `bench-${opts.name ?? "synthetic"}.json`);
  await Deno.writeTextFile(file, JSON.stringify(syntheticBench(opts), null, 2) + "\n");
  return file;
}

/**
 * A small suite mixing a grid and a memory-horizon search, with published reference points, as
 * `suites/long.json` does: adding T = 100 for rnn_tanh and lstm (2 seeds) beside a search of
 * adding T = 25 → 200 for both, and references at adding T = 100 (both cells) and copy T = 1000.
 */
export const MIXED_SUITE = {
  name: "mixed",
  description: "A grid at the literature's length beside a memory-horizon search.",
  experiments: [
    {
      source: "A & B 2018, Table 1: adding T = 100, batch 50. Hidden size and step count are " +
        "ours (the paper sized models to 70K parameters): 400 steps, our calibration.",
      tasks: ["adding"],
      lengths: [100],
      cells: ["rnn_tanh", "lstm"],
      seeds: [1, 2],
      hidden: 16,
      batch: 50,
      steps: 400,
      evalEvery: 20,
      testSize: 64,
    },
    {
      tasks: ["adding"],
      cells: ["rnn_tanh", "lstm"],
      seeds: [1],
      hidden: 8,
      batch: 16,
      evalEvery: 20,
      testSize: 64,
      solved: { mse: 0.01, accuracy: 0.99 },
      stopWhenSolved: { patience: 1 },
      search: { from: 25, factor: 2, to: 200, steps: { perT: 2, min: 100, max: 300 }, bisect: 1 },
    },
  ],
  references: [
    { task: "adding", T: 100, cell: "lstm", metric: "test_mse", value: 0.005, source: "A 2018" },
    { task: "adding", T: 100, cell: "rnn_tanh", metric: "test_mse", value: 0.17, source: "A 2018" },
    { task: "copy", T: 1000, cell: "gru", metric: "test_loss", value: 0.0197, source: "A 2018" },
  ],
};
