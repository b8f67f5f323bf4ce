/**
 * The bench: `deno bench` timings of one training step per cell × T × backend (plus the
 * gradient probe, dataset generation and report building), repeated in whole processes and
 * interleaved with the peers — PyTorch (subnormals flushed, and kept) and Keras 3 on TensorFlow —
 * pooled into medians with bootstrap intervals of each ratio, written to `reports/bench/` and
 * printed as a table. `deno task bench` is the command line; this is the library.
 *
 * @example
 * ```ts
 * import { runBench } from "./mod.ts";
 *
 * const { file, table, bench } = await runBench({ quick: true, peers: ["torch", "keras"] });
 * console.log(table); // cell × T: median ms/step (min–max) per contender, ratio to the fastest peer
 * console.log(file, bench.ratios.length);
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
export { formatMs, formatTable, tableHeader } from "./table.ts";
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
  runPeer,
} from "./peers.ts";
export type { Measurement } from "./measurement.ts";
export { OURS, summarize, type SummarizeOptions } from "./summarize.ts";
export {
  ALL_BENCH_CELLS,
  BENCH_B,
  BENCH_H,
  benchCell,
  FULL_LENGTHS,
  matchesFilter,
  parseBenchCell,
  parseStepName,
  probeName,
  QUICK_CELLS,
  QUICK_LENGTHS,
  SHORT_CELLS,
  SHORT_LENGTHS,
  stepName,
  stepsFor,
} from "./grid.ts";
