/**
 * `deno bench --json` output → {@link Measurement}s. The JSON holds min, max and mean per bench
 * (nanoseconds) but no median and no samples; where the bench file sent its per-iteration times
 * (see `protocol.ts`), the last `n` of them (the timed ones: warm-up calls come first) are the
 * samples, else the mean stands in as one sample.
 *
 * @module
 */
import { BENCH_B, BENCH_H, parseStepName } from "./grid.ts";
import type { Measurement } from "./measurement.ts";

/** A malformed `deno bench --json` document. */
export class BenchParseError extends Error {
  override name = "BenchParseError";
}

interface DenoBenchResult {
  ok?: { n: number; min: number; max: number; avg: number };
  failed?: unknown;
}

interface DenoBench {
  origin: string;
  group: string | null;
  name: string;
  results: DenoBenchResult[];
}

/** What one bench file measures, from its file name: `step_bench.ts` → by name, else `data`… */
export function benchKind(origin: string, name: string): string {
  const file = origin.split("/").pop() ?? "";
  const step = parseStepName(name);
  if (step) return step.what;
  const m = /^(.*)_bench\.[jt]s$/.exec(file);
  return m ? m[1] : "other";
}

/**
 * Parses one `deno bench --json` document (text or parsed) into measurements of `contender` on
 * `backend`. `samples` maps bench names to per-call times (ms) from the protocol. Failed benches
 * are returned in `failed` by name.
 */
export function parseDenoBench(
  json: string | unknown,
  opts: {
    contender: string;
    backend: string | null;
    repeat: number;
    samples?: Record<string, number[]>;
    threads?: number;
    version?: string;
  },
): { measurements: Measurement[]; failed: string[] } {
  let doc: unknown = json;
  if (typeof json === "string") {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new BenchParseError(`deno bench output is not JSON (${(e as Error).message})`);
    }
  }
  const benches = (doc as { benches?: unknown })?.benches;
  if (!Array.isArray(benches)) {
    throw new BenchParseError("deno bench output has no 'benches' array");
  }
  const measurements: Measurement[] = [];
  const failed: string[] = [];
  for (const b of benches as DenoBench[]) {
    if (typeof b?.name !== "string" || !Array.isArray(b.results)) {
      throw new BenchParseError("a deno bench entry lacks 'name' or 'results'");
    }
    const ok = b.results[0]?.ok;
    if (!ok) {
      failed.push(b.name);
      continue;
    }
    const step = parseStepName(b.name);
    const all = opts.samples?.[b.name];
    const sent = all && all.length >= ok.n ? all.slice(-ok.n).map(round) : null;
    const samples = sent ?? [round(ok.avg / 1e6)];
    measurements.push({
      contender: opts.contender,
      what: benchKind(b.origin ?? "", b.name),
      name: b.name,
      cell: step?.cell ?? null,
      T: step?.T ?? (Number(/\bT=(\d+)/.exec(b.name)?.[1]) || null),
      B: step ? BENCH_B : null,
      H: step ? BENCH_H : null,
      backend: opts.backend,
      repeat: opts.repeat,
      samples,
      ms_min: sent ? Math.min(...samples) : round(ok.min / 1e6),
      ms_max: sent ? Math.max(...samples) : round(ok.max / 1e6),
      ...(opts.version ? { version: opts.version } : {}),
      ...(opts.threads ? { threads: opts.threads } : {}),
    });
  }
  return { measurements, failed };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
