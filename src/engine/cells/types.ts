/**
 * The interface every cell implements. A cell is one file holding, side by side in the notation of
 * `docs/cells.md`, its forward step, its backward step and its initialiser, written
 * once against the tensor-operations interface {@link Ops} and so run by every executor (eager
 * tfjs and TensorFlow graph emission).
 *
 * The BPTT driver (`../bptt.ts`) does everything that is common to all cells: it projects the
 * inputs of every step with one matmul per chunk of steps (`xp = X W_x + b`, time-major), runs
 * `forward` per step, hands the readout the states, runs `backward` per step from the last step
 * down, and forms the weight gradients from the stacked pre-activation gradients with one matmul
 * each per chunk (`paramGrads`).
 *
 * @module
 */
import type { tf } from "../tf.ts";
import type { Uniform } from "../init.ts";
import type { Ops, TensorMap } from "../ops.ts";

/** A model's parameters as tfjs tensors, by their docs/cells.md names (W_x, W_h, b, b_h, u, …). */
export type Params = TensorMap<tf.Tensor>;

/** The recurrent state after one step: h, plus c for the LSTM. */
export interface State<T> {
  h: T;
  c?: T;
}

/** What `createModel` passes to a cell's initialiser. */
export interface InitOptions {
  inputSize: number;
  hidden: number;
  uniform: Uniform;
  /** Sequence length the model is meant for (IndRNN's recurrent bound 2^{1/T}). */
  seqLength?: number;
}

/** The model's options a cell's own settings may depend on ({@link Cell.configure}). */
export interface ModelSettings {
  /** The LeakyReLU slope a model was asked for (`rnn_leaky`; the cell's default otherwise). */
  alpha?: number;
  /** Sequence length the model is meant for (IndRNN's recurrent bound 2^{1/T}). */
  seqLength?: number;
}

/**
 * Per-model constants of a cell: the hidden width H and the cell's own settings by name, as its
 * `configure` hook makes them (`rnn_leaky`: `alpha`; `indrnn`: `recurrentMax`).
 */
export interface CellConfig {
  /** Hidden width H. */
  hidden: number;
  readonly [setting: string]: number | undefined;
}

/** One step's input: the projection x_t W_x + b in the cell's pieces. */
export interface StepInput<T> {
  xp: T[];
}

/** The output of one backward step. */
export interface BackwardStep<T> {
  /** dL/d(xp_t): gradient of the input projection x_t W_x + b, [B, G·H]. */
  dx: T;
  /**
   * A second per-step gradient for `paramGrads`: by default dL/d of the recurrent pre-activation
   * (h_{t-1} W_h [+ b_h]); omit when it equals dx.
   */
  drec?: T;
  /** dL/dh_{t-1} through this step (null at t = 0, where it is not needed). */
  dhPrev: T | null;
  /** dL/dc_{t-1} (LSTM). */
  dcPrev?: T;
}

/** The stacked, time-major 2-D rows of a chunk of steps that `paramGrads` reads. */
export interface Stacked<T> {
  /** Inputs x_t, [n·B, I]. */
  x: T;
  /** States h_{t-1}, [n·B, H]. */
  hPrev: T;
  /** dL/d(xp_t), [n·B, G·H]. */
  dx: T;
  /** dL/d(recurrent pre-activation), [n·B, G·H] (the same tensor as dx when the cell has none). */
  drec: T;
}

/** A recurrent cell. */
export interface Cell {
  /** Registry name, e.g. `lstm`. */
  name: string;
  /** One line: the recurrence and where the cell comes from. */
  summary: string;
  /** Gate blocks G: W_x is [I, G·H]. */
  gates: number;
  /** The state carries c besides h (LSTM). */
  hasCellState?: boolean;
  /** Names of the parameters, in docs/cells.md order. */
  paramNames: readonly string[];
  /** Parameter shapes for input width I and hidden width H. */
  shapes(I: number, H: number): Record<string, number[]>;
  /** The documented, seeded initialiser (tfjs tensors on the current backend). */
  init(opts: InitOptions): Params;
  /**
   * The cell's own constants from the model's options, merged into {@link CellConfig} (the
   * LeakyReLU slope, IndRNN's bound); none when absent.
   */
  configure?(settings: ModelSettings): Partial<Record<string, number>>;
  /**
   * Maps the layer's parameters to the weights its steps use, once per pass, with the chain rule
   * back: `backward` takes the gradients of the weights (summed over every step, part and chunk)
   * and returns the parameters' (expRNN: W_h = expm(A − Aᵀ)). Without it the steps use the
   * parameters themselves. The driver adds the weights' `b` to the input projection where there
   * is one.
   */
  weights?<T>(
    o: Ops<T>,
    p: TensorMap<T>,
    cfg: CellConfig,
  ): { weights: TensorMap<T>; backward(g: TensorMap<T>): TensorMap<T> };
  /** Projects parameters back onto their allowed set after an update (IndRNN's |u| bound). */
  constrain?<T>(o: Ops<T>, p: TensorMap<T>, cfg: CellConfig): TensorMap<T>;
  /**
   * Splits a chunk of the time-major projection xp [n, B, G·H] into per-step pieces
   * (default: one piece per step).
   */
  stepInputs?<T>(o: Ops<T>, xp: T, n: number, cfg: CellConfig): T[][];
  /**
   * One forward step: the new state and what the backward step needs (`saved`, freed by the
   * driver after the backward step; must not alias the state or the inputs).
   */
  forward<T>(
    o: Ops<T>,
    x: StepInput<T>,
    prev: State<T>,
    p: TensorMap<T>,
    cfg: CellConfig,
  ): { state: State<T>; saved: T[] };
  /**
   * One backward step, given dh = dL/dh_t (total: direct + through step t+1) and dcNext
   * (dL/dc_t through step t+1, LSTM; undefined at the last step).
   */
  backward<T>(
    o: Ops<T>,
    dh: T,
    dcNext: T | undefined,
    prev: State<T>,
    state: State<T>,
    saved: T[],
    p: TensorMap<T>,
    cfg: CellConfig,
    first: boolean,
  ): BackwardStep<T>;
  /** Weight gradients from a chunk's stacked rows (default: {@link matrixParamGrads}). */
  paramGrads?<T>(o: Ops<T>, s: Stacked<T>, p: TensorMap<T>): TensorMap<T>;
}
