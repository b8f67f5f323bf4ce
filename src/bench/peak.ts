/**
 * The machine's fp32 GEMM peak, measured in the same bench run as the steps it judges: a timed
 * TensorFlow `MatMul` of two n×n float32 matrices (n = 1024) through tfjs-node — the same
 * libtensorflow, the same Eigen contraction kernel, that the graph executor's steps run on — at
 * the machine's thread count (TensorFlow intra-op threads = cores, what the contenders use in
 * all: PyTorch one thread per core, this project one intra-op thread on each of one inter-op
 * thread per core) and at one thread (per core). The best sample over every repeat is the peak:
 * a shared machine only ever slows a product down.
 *
 * `bench/peak_bench.ts` times the products under {@link peakName}s; this module reads them back.
 *
 * @module
 */
import type { BenchEntry } from "../results/schema.ts";

/** Side of the square matrices. */
export const PEAK_SIZE = 1024;

/** FLOPs of one n×n by n×n product: n² dot products of length n, a multiply and an add each. */
export function gemmFlops(n: number): number {
  return 2 * n * n * n;
}

/** The bench name of the product: `gemm n=1024 threads=2`. */
export function peakName(n: number, threads: number): string {
  return `gemm n=${n} threads=${threads}`;
}

/** Reads {@link peakName} back; null for other names. */
export function parsePeakName(name: string): { n: number; threads: number } | null {
  const m = /^gemm n=(\d+) threads=(\d+)$/.exec(name.trim());
  return m ? { n: Number(m[1]), threads: Number(m[2]) } : null;
}

/** The peak as the bench file records it. */
export interface PeakRecord {
  /** Best GFLOP/s at {@link threads}: the reference of every share of the peak. */
  gflops: number;
  /** Threads it was measured at (TensorFlow intra-op). */
  threads: number;
  /** Matrix side. */
  n: number;
  /** Fastest product (ms) and how many were timed over all repeats. */
  ms: number;
  samples: number;
  /** Best GFLOP/s at one thread, where measured. */
  gflops_1thread?: number;
  /** What was timed, in words. */
  method: string;
}

/** The fastest sample's GFLOP/s of a peak entry. */
function entryGflops(e: BenchEntry, n: number): number {
  return gemmFlops(n) / (e.ms_min * 1e6);
}

/**
 * The peak from a bench file's entries (`what: "peak"`): the machine's at the most threads
 * measured, plus the one-thread figure; null when none was measured.
 */
export function peakFromEntries(
  entries: readonly BenchEntry[],
  library = "TensorFlow",
): PeakRecord | null {
  const timed = entries.flatMap((e) => {
    const p = e.what === "peak" && e.name ? parsePeakName(e.name) : null;
    return p && e.ms_min > 0 ? [{ e, ...p }] : [];
  });
  if (timed.length === 0) return null;
  const most = timed.reduce((a, b) => (b.threads > a.threads ? b : a));
  const one = timed.find((t) => t.threads === 1 && t !== most);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    gflops: round(entryGflops(most.e, most.n)),
    threads: most.threads,
    n: most.n,
    ms: most.e.ms_min,
    samples: most.e.n ?? most.e.ms_repeats.length,
    ...(one ? { gflops_1thread: round(entryGflops(one.e, one.n)) } : {}),
    method: `${library} MatMul of two ${most.n}×${most.n} float32 matrices through tfjs-node, ` +
      `${most.threads} intra-op thread(s), fastest of ${most.e.n ?? most.e.ms_repeats.length}`,
  };
}
