/**
 * The engine on the eager executor alone: loss and gradients, a training step, the gradient
 * probe and evaluation on tfjs tensors, on whichever tfjs backend is active. This module and
 * everything it imports use tfjs-core only — no Deno API, no native addon — so it runs in a
 * browser page as well as in Deno (the report's playground trains with it).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { createAdam, createModel, gradientProbe, trainStep } from "./eager.ts";
 *
 * let s = 1; // any U[0,1) source; use the project's seeded PRNG in real runs
 * const uniform = () => ((s = (s * 16807) % 2147483647) / 2147483647);
 * const model = createModel("gru", { task: "adding", inputSize: 2, outputSize: 1, hidden: 8, uniform });
 * const x = tf.randomUniform([4, 10, 2]) as tf.Tensor3D, y = tf.randomUniform([4]);
 * const opt = createAdam(model.params, { lr: 1e-3 });
 * const { loss } = trainStep(model, opt, x, y, { clipNorm: 1 });
 * console.log(await loss.data(), (await gradientProbe(model, x, y)).norms[0]);
 * ```
 *
 * @module
 */
import { tf } from "./tf.ts";
import { lossAndGradsOf } from "./bptt.ts";
import { netSpecOf } from "./net_spec.ts";
import { CELLS, type Params } from "./cells/mod.ts";
import { eagerOps } from "./eager_ops.ts";
import { recallWeights } from "./heads.ts";
import { cellConfig, layerParamName, type Model } from "./model.ts";
import { type Adam, adamUpdate, clipByGlobalNorm, globalNorm } from "./optim.ts";
import { type GradientProfile, profileOf } from "./probe.ts";
import { readTrainerState, type TrainerState, writeTrainerState } from "./trainer_state.ts";

export {
  CELL_NAMES,
  type CellName,
  createModel,
  disposeModel,
  isCellName,
  MAX_LAYERS,
  type Model,
  type ModelOptions,
  paramShapes,
  parseCellName,
  setParams,
  type Task,
  TASKS,
} from "./model.ts";
export {
  type Adam,
  type AdamOptions,
  createAdam,
  createOptimizer,
  disposeAdam,
  type Optimizer,
  type OptimizerOptions,
} from "./optim.ts";
export { ADDING_TOLERANCE, evaluate, type Evaluation, predict } from "./evaluate.ts";
export type { GradientProfile } from "./probe.ts";
export type { HostTensor, TrainerState } from "./trainer_state.ts";

/** What a loss-and-gradients call returns (all tensors; the caller disposes them). */
export interface LossAndGrads {
  loss: tf.Scalar;
  /** dL/dparam for every entry of `model.params`. */
  grads: Params;
  /** With `probe`: per layer (bottom first), the total gradients dL/dh_t, time-major [T, B, H]. */
  dh?: tf.Tensor3D[];
}

/** Options of a loss-and-gradients call. */
export interface LossAndGradsOptions {
  /** Also return every layer's dL/dh_t. */
  probe?: boolean;
  /**
   * Copy task: differentiate the recall loss alone — the mean cross-entropy of the last `recall`
   * steps, where the symbols are reproduced — instead of the loss over every step.
   */
  recall?: number;
}

/**
 * The loss of `model` on a batch and its gradients by BPTT on the eager executor.
 * `x` [B, T, I] float32; `y`: adding [B] or [B, 1] float32, copy [B, T] class indices.
 */
export function eagerLossAndGrads(
  model: Model,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: LossAndGradsOptions = {},
): LossAndGrads {
  if (opts.recall && model.task !== "copy") throw new Error("recall: a copy-task option");
  return tf.tidy(() => {
    const s = netSpecOf(model, x.shape);
    const stepWeights = opts.recall ? recallWeights(s.head.T, s.head.B, opts.recall) : undefined;
    const yy = model.task === "copy" ? tf.cast(y, "int32") : tf.cast(y, "float32");
    const pass = lossAndGradsOf(eagerOps, s, model.params, x, yy, {
      probe: opts.probe,
      stepWeights,
    });
    const out: LossAndGrads = { loss: pass.loss as tf.Scalar, grads: pass.grads };
    if (opts.probe) {
      out.dh = Array.from({ length: model.layers }, (_, k) => pass.dh(k) as tf.Tensor3D);
    }
    return out as unknown as tf.TensorContainerObject;
  }) as unknown as LossAndGrads;
}

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  /** Clip gradients to this global norm (Pascanu et al. 2013); off when absent. */
  clipNorm?: number;
}

/**
 * Forward, backward and an optimiser update of `model.params` on the eager executor (new tensors
 * replace the old, which are disposed), then the cell's constraint in every layer. Returns the
 * loss and the gradient's global norm before clipping, as tensors: nothing is read back to the
 * host, so steps queue without stalling.
 */
export function trainStep(
  model: Model,
  opt: Adam,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: TrainStepOptions = {},
): { loss: tf.Scalar; gradNorm: tf.Scalar } {
  const { loss, grads } = eagerLossAndGrads(model, x, y);
  const gradNorm = globalNorm(grads);
  let used = grads;
  if (opts.clipNorm !== undefined) {
    used = clipByGlobalNorm(grads, opts.clipNorm, gradNorm);
    tf.dispose(Object.values(grads));
  }
  const next = adamUpdate(opt, model.params, used);
  tf.dispose(Object.values(used));
  constrainInPlace(model, next);
  tf.dispose(Object.values(model.params));
  model.params = next;
  return { loss, gradNorm };
}

/** Applies the cell's constraint to every layer's parameters in `params` (replacing entries). */
function constrainInPlace(model: Model, params: Params): void {
  const cell = CELLS[model.base];
  if (!cell.constrain) return;
  const cfg = cellConfig(model);
  for (let k = 0; k < model.layers; k++) {
    const full = (n: string) => layerParamName(model.layers, k, n);
    const layer = Object.fromEntries(cell.paramNames.map((n) => [n, params[full(n)]]));
    const out = tf.tidy(() =>
      cell.constrain!(eagerOps, layer, cfg) as unknown as tf.TensorContainerObject
    ) as unknown as Params;
    for (const n of cell.paramNames) {
      if (out[n] === layer[n]) continue;
      layer[n].dispose();
      params[full(n)] = out[n];
    }
  }
}

/**
 * Runs forward and backward on a batch and profiles dL/dh_t for every step and layer (reads the
 * host). With `recall` (copy), of the recall loss alone.
 */
export function gradientProbe(
  model: Model,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: { recall?: number } = {},
): Promise<GradientProfile> {
  return profileOfPass(eagerLossAndGrads(model, x, y, { probe: true, recall: opts.recall }));
}

/** The gradient profile of a probed pass (reads the host), disposing the pass. */
export async function profileOfPass(pass: LossAndGrads): Promise<GradientProfile> {
  const dh = pass.dh!;
  try {
    const layers: GradientProfile[] = [];
    for (const d of dh) layers.push(profileOf(await d.data() as Float32Array, d.shape[0]));
    const top = layers[layers.length - 1];
    return layers.length > 1 ? { ...top, layerNorms: layers.map((l) => l.norms) } : top;
  } finally {
    tf.dispose([pass.loss, ...dh, ...Object.values(pass.grads)]);
  }
}

/**
 * A training loop's state: the model, its optimiser and where the weights live between steps.
 * An explicit object, because on the graph path the weights stay inside a TensorFlow session
 * while training: `model.params` is current only after {@link Trainer.sync}.
 */
export interface Trainer {
  readonly model: Model;
  readonly optimizer: Adam;
  /** The executor that runs the steps. */
  readonly path: "graph" | "eager";
  /** One training step: the loss and the pre-clip gradient norm, as tensors (no host read). */
  step(x: tf.Tensor3D, y: tf.Tensor): { loss: tf.Scalar; gradNorm: tf.Scalar };
  /**
   * Brings `model.params` and the optimiser's moments up to date with the trained weights (on the
   * graph path a read from the session: for checkpoints, not every step) and returns the model.
   */
  sync(): Model;
  /** The weights, moments and Adam step as host arrays (a checkpoint; syncs first). */
  state(): TrainerState;
  /** Continues from `s` (a {@link Trainer.state}, maybe of another process): bit for bit. */
  restore(s: TrainerState): void;
  /**
   * Syncs, then frees what the trainer holds: the optimiser's moments and any session. The model
   * stays the caller's (to dispose with `disposeModel`).
   */
  dispose(): void;
}

/** A {@link Trainer} on the eager executor: {@link trainStep} on `model.params` in place. */
export function eagerTrainer(model: Model, optimizer: Adam, opts: TrainStepOptions = {}): Trainer {
  return {
    model,
    optimizer,
    path: "eager",
    step: (x, y) => trainStep(model, optimizer, x, y, opts),
    sync: () => model,
    state: () => readTrainerState(model, optimizer),
    restore: (s) => writeTrainerState(model, optimizer, s),
    dispose: () => optimizer.dispose(),
  };
}
