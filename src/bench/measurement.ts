/**
 * One contender's timing of one configuration in one repeat (one process run): the unit the
 * bench collects before {@link summarize} pools the repeats into `BenchEntry`s.
 *
 * @module
 */

/** One contender × one configuration × one repeat. */
export interface Measurement {
  /** `rnn-gradbench`, `torch`, `torch-denormal`, `keras`, … */
  contender: string;
  /** `train_step`, `probe`, `data`, `report`, or another bench kind. */
  what: string;
  /** The bench name (`<cell> T=<T>` for steps). */
  name: string;
  cell: string | null;
  T: number | null;
  B: number | null;
  H: number | null;
  backend: string | null;
  /** 1-based repeat this came from. */
  repeat: number;
  /** Per-iteration times (ms); a single mean where only that is known. */
  samples: number[];
  ms_min: number;
  ms_max: number;
  /** Contender version (e.g. torch 2.13.0), where known. */
  version?: string;
  /** Threads it computed with, where known. */
  threads?: number;
  /** Whether subnormal floats were flushed to zero, where known. */
  flush_denormal?: boolean;
}
