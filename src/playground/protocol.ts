/**
 * The messages between the playground page and its training Web Worker. Everything is plain,
 * structured-clonable data; the worker owns every tensor.
 *
 * @module
 */
import type { PlaygroundBackend } from "./params.ts";
import type { EvalSnapshot, ProbeSnapshot, SessionSettings, StepRecord } from "./session.ts";

/** Page → worker. */
export type ToWorker =
  /** Load a backend; `wasm` is the XNNPACK binary the page carries inline (null: cpu only). */
  | { type: "init"; backend: PlaygroundBackend; wasm: ArrayBuffer | null }
  /** Build a fresh session (model at initialisation, step 0); probe and evaluate it. */
  | { type: "configure"; settings: SessionSettings; every: number }
  /** Train until step `until` (null: until paused), reporting every `every` steps. */
  | { type: "run"; until: number | null }
  /** Stop after the step in flight. */
  | { type: "pause" }
  /** Train exactly one step, then report (probe and evaluation included). */
  | { type: "step" }
  /** Back to step 0 with the same settings and seed. */
  | { type: "reset" };

/** One report of the worker: the steps since the last one, and a probe and evaluation. */
export interface Progress {
  steps: StepRecord[];
  probe: ProbeSnapshot;
  eval: EvalSnapshot;
  /** Training steps per second over this report's steps (null when none ran). */
  stepsPerSecond: number | null;
}

/** Worker → page. */
export type FromWorker =
  /** The backend in use, and why wasm was not (when it was wanted but did not load). */
  | { type: "ready"; backend: string; note: string | null }
  /** A fresh session at step 0: its initialisation probe and evaluation. */
  | ({ type: "configured"; baseline: number; seqLength: number } & Progress)
  | ({ type: "progress" } & Progress)
  /** Training stopped at `step` because the page asked. */
  | { type: "paused"; step: number }
  /** A `run` reached its `until` step; `finalLoss` is that step's training loss. */
  | { type: "done"; step: number; finalLoss: number }
  /** A non-finite loss or gradient norm ended training. */
  | { type: "diverged"; step: number; reason: string }
  | { type: "error"; message: string };
