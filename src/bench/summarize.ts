/**
 * Pools the repeats: {@link Measurement}s (one contender × configuration × repeat) →
 * `BenchEntry`s (median over all samples, min–max, per-repeat medians) and `BenchRatio`s (this
 * project's time / each peer's per training-step configuration, with a two-level bootstrap
 * interval; the fastest peer marked).
 *
 * @module
 */
import type { BenchEntry, BenchRatio } from "../results/schema.ts";
import type { Measurement } from "./measurement.ts";
import { bootstrapRatio, median } from "./stats.ts";

/** The contender name of this project. */
export const OURS = "rnn-gradbench";

/** Options of {@link summarize}. */
export interface SummarizeOptions {
  /** The backend whose steps the ratios are taken of (default: the first one measured). */
  backend?: string;
  /** Bootstrap resamples and seed (defaults 2000 and 1). */
  resamples?: number;
  seed?: number;
}

function key(m: Pick<Measurement, "contender" | "backend" | "what" | "name" | "B" | "H">): string {
  return [m.contender, m.backend, m.what, m.name, m.B, m.H].join("|");
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Pools measurements into entries (in first-seen order) and ratios. */
export function summarize(
  measurements: readonly Measurement[],
  opts: SummarizeOptions = {},
): { entries: BenchEntry[]; ratios: BenchRatio[] } {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const k = key(m);
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  const entries: BenchEntry[] = [];
  const byRepeat = new Map<BenchEntry, number[][]>();
  for (const ms of groups.values()) {
    const m0 = ms[0];
    const sorted = [...ms].sort((a, b) => a.repeat - b.repeat);
    const entry: BenchEntry = {
      contender: m0.contender,
      what: m0.what,
      cell: m0.cell,
      T: m0.T,
      B: m0.B,
      H: m0.H,
      backend: m0.backend,
      ms: round(median(ms.flatMap((m) => m.samples))),
      ms_min: Math.min(...ms.map((m) => m.ms_min)),
      ms_max: Math.max(...ms.map((m) => m.ms_max)),
      ms_repeats: sorted.map((m) => round(median(m.samples))),
      name: m0.name,
      n: ms.reduce((s, m) => s + m.samples.length, 0),
      ...(m0.version !== undefined ? { version: m0.version } : {}),
      ...(m0.threads !== undefined ? { threads: m0.threads } : {}),
      ...(m0.flush_denormal !== undefined ? { flush_denormal: m0.flush_denormal } : {}),
    };
    entries.push(entry);
    byRepeat.set(entry, sorted.map((m) => m.samples));
  }

  const ours = entries.filter((e) => e.contender === OURS && e.what === "train_step");
  const backend = opts.backend ?? ours[0]?.backend ?? null;
  const peers = entries.filter((e) => e.contender !== OURS && e.what === "train_step");
  const ratios: BenchRatio[] = [];
  for (const o of ours.filter((e) => e.backend === backend)) {
    const same = peers.filter((p) =>
      p.cell === o.cell && p.T === o.T && p.B === o.B && p.H === o.H
    );
    const fastest = same.reduce<BenchEntry | null>((f, p) => (!f || p.ms < f.ms ? p : f), null);
    for (const p of same) {
      const r = bootstrapRatio(byRepeat.get(o)!, byRepeat.get(p)!, {
        resamples: opts.resamples,
        seed: opts.seed,
      });
      ratios.push({
        cell: o.cell!,
        T: o.T!,
        peer: p.contender,
        ratio: round(r.ratio),
        ci_low: round(r.low),
        ci_high: round(r.high),
        fastest: p === fastest,
      });
    }
  }
  return { entries, ratios };
}
