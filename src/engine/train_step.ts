/**
 * One training step: loss and gradients by BPTT, optional clipping, Adam, the cell's constraint.
 *
 * @module
 */
import { tf } from "../backend.ts";
import { lossAndGrads } from "./bptt.ts";
import { cellConfig, cellOf, type Model } from "./model.ts";
import { type Adam, adamUpdate, clipByGlobalNorm, globalNorm } from "./optim.ts";
import { graphAvailable } from "./tf_graph/runtime.ts";
import { detachGraphTrainer, graphTrainStep } from "./tf_graph/trainer.ts";

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  /** Clip gradients to this global norm (Pascanu et al. 2013); off when absent. */
  clipNorm?: number;
  /**
   * `auto` (default): the graph path where {@link graphAvailable} says so (tensorflow backend),
   * else eager. `graph` insists (throws where unavailable); `eager`
   * forces the tfjs path.
   */
  path?: "auto" | "graph" | "eager";
}

/**
 * Forward, backward and an Adam update of `model.params` in place (new tensors replace the old,
 * which are disposed). On the tensorflow backend the whole step is one TensorFlow graph run
 * (`tf_graph/`; issue 9) where the cell has one; otherwise the eager BPTT of `bptt.ts`. Returns the loss and the gradient's global norm before clipping, as tensors:
 * nothing is read back to the host, so steps queue without stalling.
 */
export function trainStep(
  model: Model,
  opt: Adam,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: TrainStepOptions = {},
): { loss: tf.Scalar; gradNorm: tf.Scalar } {
  const path = opts.path ?? "auto";
  if (path !== "eager" && graphAvailable(model)) {
    return graphTrainStep(model, opt, x, y, opts.clipNorm);
  }
  if (path === "graph") {
    throw new Error(`trainStep: no graph path for ${model.cell} on the ${tf.getBackend()} backend`);
  }
  detachGraphTrainer(model, opt);
  const { loss, grads } = lossAndGrads(model, x, y, { path: "eager" });
  const gradNorm = globalNorm(grads);
  let used = grads;
  if (opts.clipNorm !== undefined) {
    used = clipByGlobalNorm(grads, opts.clipNorm, gradNorm);
    tf.dispose(Object.values(grads));
  }
  let next = adamUpdate(opt, model.params, used);
  tf.dispose(Object.values(used));
  const cell = cellOf(model);
  if (cell.constrain) {
    const constrained = tf.tidy(() =>
      cell.constrain!(next, cellConfig(model)) as unknown as tf.TensorContainerObject
    ) as unknown as typeof next;
    for (const [k, t] of Object.entries(next)) if (constrained[k] !== t) t.dispose();
    next = constrained;
  }
  tf.dispose(Object.values(model.params));
  model.params = next;
  return { loss, gradNorm };
}
