/**
 * How fast a step is against the two yardsticks of the speed target: its GFLOP/s as a share of
 * the machine's fp32 GEMM peak (measured in the same run, `peak.ts`; FLOPs from `flops.ts`) and
 * its time over the fastest peer's in the same run. A configuration **meets** the target when
 * either holds — at most {@link PEER_TARGET} of the fastest peer's time, or at least
 * {@link PEAK_TARGET} of the peak: a step cannot beat the machine, so where the peer is itself
 * near the peak the share decides.
 *
 * @module
 */
import type { BenchEntry, BenchFile, BenchRatio } from "../results/schema.ts";
import { ADDING_INPUT, gflops, stepFlops } from "./flops.ts";
import { peakFromEntries, type PeakRecord } from "./peak.ts";
import { OURS } from "./summarize.ts";

/** Ours over the fastest peer at or below which a configuration meets the target. */
export const PEER_TARGET = 0.5;
/** Share of the GEMM peak at or above which a configuration meets the target. */
export const PEAK_TARGET = 0.75;

/** `meets`, `not`, or null where neither yardstick was measured. */
export type Verdict = "meets" | "not";

/** The verdict of one configuration from its ratio to the fastest peer and its peak share. */
export function verdict(ratio: number | null, share: number | null): Verdict | null {
  if (ratio === null && share === null) return null;
  return (ratio !== null && ratio <= PEER_TARGET) || (share !== null && share >= PEAK_TARGET)
    ? "meets"
    : "not";
}

/** What a training-step entry carries besides its time, where its cell has a FLOP model. */
export interface EntrySpeed {
  /** Matrix-product GFLOP of one training step (`flops.ts`). */
  gflop?: number;
  /** GFLOP/s at the median step time. */
  gflops?: number;
  /** gflops over the peak's (where the peak was measured). */
  peak_share?: number;
}

/** One configuration's speed against both yardsticks (this project's step, on its backend). */
export interface SpeedRow {
  cell: string;
  T: number;
  B: number;
  H: number;
  /** Matrix-product GFLOP per training step. */
  gflop: number;
  /** This project's median ms per step. */
  ms: number;
  gflops: number;
  /** Share of the peak; null without a peak. */
  peak_share: number | null;
  /** The fastest peer and ours over it, with its 95% interval; null without a peer. */
  fastest_peer: string | null;
  ratio: number | null;
  ci_low: number | null;
  ci_high: number | null;
  verdict: Verdict | null;
}

/**
 * A bench file with the speed fields this module adds: the peak and one {@link SpeedRow} per
 * configuration at the top level, {@link EntrySpeed} on the step entries. All optional, so files
 * written before them read the same.
 */
export type SpeedBenchFile = BenchFile & { peak?: PeakRecord; speed?: SpeedRow[] };

/** The file's peak: its record where there is one, else read from its entries. */
export function benchPeak(bench: Pick<SpeedBenchFile, "entries" | "peak">): PeakRecord | null {
  return bench.peak ?? peakFromEntries(bench.entries);
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The speed fields of one entry (empty for non-step entries and cells without a FLOP model). */
export function entrySpeed(e: BenchEntry, peak: PeakRecord | null): EntrySpeed {
  if (e.what !== "train_step" || !e.cell || !e.T || !e.B || !e.H || !(e.ms > 0)) return {};
  const f = stepFlops(e.cell, { B: e.B, H: e.H, T: e.T, I: ADDING_INPUT });
  if (!f) return {};
  const g = gflops(f.total, e.ms);
  return {
    gflop: r3(f.total / 1e9),
    gflops: r3(g),
    ...(peak ? { peak_share: r3(g / peak.gflops) } : {}),
  };
}

/** Every entry with its {@link EntrySpeed} fields. */
export function withSpeed(
  entries: readonly BenchEntry[],
  peak: PeakRecord | null,
): (BenchEntry & EntrySpeed)[] {
  return entries.map((e) => ({ ...e, ...entrySpeed(e, peak) }));
}

/**
 * One row per configuration this project timed on `backend` (default: the first backend of its
 * step entries), in entry order.
 */
export function speedRows(
  entries: readonly BenchEntry[],
  ratios: readonly BenchRatio[],
  peak: PeakRecord | null,
  backend?: string | null,
): SpeedRow[] {
  const ours = entries.filter((e) => e.contender === OURS && e.what === "train_step");
  const on = backend ?? ours[0]?.backend ?? null;
  const rows: SpeedRow[] = [];
  for (const e of ours.filter((x) => x.backend === on)) {
    const s = entrySpeed(e, peak);
    if (s.gflop === undefined) continue;
    const r = ratios.find((x) => x.cell === e.cell && x.T === e.T && x.fastest) ?? null;
    const share = s.peak_share ?? null;
    rows.push({
      cell: e.cell!,
      T: e.T!,
      B: e.B!,
      H: e.H!,
      gflop: s.gflop,
      ms: e.ms,
      gflops: s.gflops!,
      peak_share: share,
      fastest_peer: r?.peer ?? null,
      ratio: r?.ratio ?? null,
      ci_low: r?.ci_low ?? null,
      ci_high: r?.ci_high ?? null,
      verdict: verdict(r?.ratio ?? null, share),
    });
  }
  return rows;
}
