/**
 * The interface every cell implements. A cell is one file holding, side by side in the notation of
 * `../shared/reference/CELLS.md`, its forward step, its backward step and its initialiser.
 *
 * The BPTT driver (`../bptt.ts`) does everything that is common to all cells: it projects the
 * inputs of every step with one matmul (`xp = X W_x + b`, time-major), runs `forward` per step,
 * hands the readout the stacked states, runs `backward` per step from the last step down, and
 * finally forms the weight gradients from the stacked pre-activation gradients with one matmul each
 * (`paramGrads`).
 *
 * @module
 */
import type { tf } from "../../backend.ts";
import type { Uniform } from "../init.ts";

/** A cell's parameters, by their CELLS.md names (W_x, W_h, b, b_h, u). */
export type Params = Record<string, tf.Tensor>;

/** The recurrent state after one step: h, plus c for the LSTM. */
export interface State {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

/** What `createModel` passes to a cell's initialiser. */
export interface InitOptions {
  inputSize: number;
  hidden: number;
  uniform: Uniform;
  /** Sequence length the model is meant for (IndRNN's recurrent bound 2^{1/T}). */
  seqLength?: number;
}

/** Per-cell constants (e.g. the LeakyReLU slope). */
export interface CellConfig {
  alpha: number;
  /** IndRNN: bound on |u| (2^{1/T}); undefined = unconstrained. */
  recurrentMax?: number;
}

/** The output of one backward step. */
export interface BackwardStep {
  /** dL/d(xp_t): gradient of the input projection x_t W_x + b, [B, G·H]. */
  dx: tf.Tensor2D;
  /** dL/d of the recurrent pre-activation (h_{t-1} W_h [+ b_h]); omit when it equals dx. */
  drec?: tf.Tensor2D;
  /** dL/dh_{t-1} through this step (null at t = 0, where it is not needed). */
  dhPrev: tf.Tensor2D | null;
  /** dL/dc_{t-1} (LSTM). */
  dcPrev?: tf.Tensor2D;
}

/** The stacked, time-major 2-D views `paramGrads` forms the weight gradients from. */
export interface Stacked {
  /** Inputs x_t, [T·B, I]. */
  x: tf.Tensor2D;
  /** States h_{t-1}, [T·B, H]. */
  hPrev: tf.Tensor2D;
  /** dL/d(xp_t), [T·B, G·H]. */
  dx: tf.Tensor2D;
  /** dL/d(recurrent pre-activation), [T·B, G·H] (the same tensor as dx when the cell has none). */
  drec: tf.Tensor2D;
}

/** A recurrent cell. */
export interface Cell {
  /** Registry name, e.g. `lstm`. */
  name: string;
  /** One line: the recurrence and where the cell comes from. */
  summary: string;
  /** Gate blocks G: W_x is [I, G·H]. */
  gates: number;
  /** Names of the parameters, in CELLS.md order. */
  paramNames: readonly string[];
  /** Parameter shapes for input width I and hidden width H. */
  shapes(I: number, H: number): Record<string, number[]>;
  /** The documented, seeded initialiser. */
  init(opts: InitOptions): Params;
  /** Projects parameters back onto their allowed set after an update (IndRNN's |u| bound). */
  constrain?(params: Params, cfg: CellConfig): Params;
  /**
   * Splits the time-major projection xp [T, B, G·H] into per-step inputs (default: unstack).
   * The driver disposes them after each forward step: do not keep them in `saved`.
   */
  stepInputs?(xp: tf.Tensor3D, H: number): tf.Tensor2D[][];
  /**
   * One forward step: the new state and what the backward step needs (`saved`, disposed by the
   * driver after the backward step; must not alias the state or the inputs).
   */
  forward(
    xp: tf.Tensor2D[],
    prev: State,
    p: Params,
    cfg: CellConfig,
  ): { state: State; saved: tf.Tensor[] };
  /**
   * One backward step, given dh = dL/dh_t (total: direct + through step t+1) and dcNext
   * (dL/dc_t through step t+1, LSTM; undefined at the last step).
   */
  backward(
    dh: tf.Tensor2D,
    dcNext: tf.Tensor2D | undefined,
    prev: State,
    state: State,
    saved: tf.Tensor[],
    p: Params,
    cfg: CellConfig,
    first: boolean,
  ): BackwardStep;
  /** Weight gradients from the stacked views (default: {@link matrixParamGrads}). */
  paramGrads?(s: Stacked, p: Params): Params;
}
