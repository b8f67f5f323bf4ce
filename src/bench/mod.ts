/**
 * The bench: `deno bench` timings of one training step per cell × T × backend (plus the
 * gradient probe, dataset generation and report building), repeated in whole processes and
 * interleaved with the peers — PyTorch (subnormals flushed, and kept) and Keras 3 on TensorFlow —
 * pooled into medians with bootstrap intervals of each ratio, written to `reports/bench/` and
 * printed as a table. The same run measures the machine's fp32 GEMM peak (`peak.ts`), so each
 * step's GFLOP/s (its matrix products, `flops.ts`) is also a share of the peak, and each
 * configuration gets a verdict against the speed target (`efficiency.ts`: at most 0.5× the
 * fastest peer or at least 75% of the peak). `deno task bench` is the command line; this is the
 * library.
 *
 * @example
 * ```ts
 * import { runBench } from "./mod.ts";
 *
 * const { file, table, bench } = await runBench({ quick: true, peers: ["torch", "keras"] });
 * console.log(table); // cell × T: ms/step per contender, GFLOP/s, % of peak, ratio, verdict
 * console.log(file, bench.peak?.gflops, bench.speed?.map((s) => s.verdict));
 * ```
 *
 * @module
 */
export { type BenchOptions, type BenchRun, runBench } from "./run.ts";
export {
  type BootstrapOptions,
  bootstrapRatio,
  median,
  quantile,
  type RatioEstimate,
} from "./stats.ts";
export { formatGflops, formatMs, formatTable, tableHeader } from "./table.ts";
export { benchKind, BenchParseError, parseDenoBench } from "./parse.ts";
export {
  parsePeerOutput,
  parsePeerRecord,
  peerAvailable,
  peerMeasurement,
  type PeerRecord,
  PeerRecordError,
  PEERS,
  type PeerSpec,
  peerSupports,
  runPeer,
} from "./peers.ts";
export type { Measurement } from "./measurement.ts";
export { OURS, summarize, type SummarizeOptions } from "./summarize.ts";
export {
  ALL_BENCH_CELLS,
  BENCH_B,
  BENCH_H,
  benchCell,
  type BenchPreset,
  FULL_LENGTHS,
  matchesFilter,
  parseBenchCell,
  parseStepName,
  PRESETS,
  probeName,
  QUICK_CELLS,
  QUICK_LENGTHS,
  SHORT_CELLS,
  SHORT_LENGTHS,
  speedCells,
  stepName,
  stepsFor,
} from "./grid.ts";
export { ADDING_INPUT, gflops, type StepFlops, stepFlops, type StepSize } from "./flops.ts";
export { gemmFlops, PEAK_SIZE, peakFromEntries, peakName, type PeakRecord } from "./peak.ts";
export {
  type EntrySpeed,
  PEAK_TARGET,
  PEER_TARGET,
  type SpeedBenchFile,
  type SpeedRow,
  speedRows,
  type Verdict,
  verdict,
  withSpeed,
} from "./efficiency.ts";
