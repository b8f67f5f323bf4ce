/**
 * Inference: predictions and the task metrics.
 *
 * @module
 */
import { tf } from "../backend.ts";
import { runForward } from "./bptt.ts";
import { headLoss, prepareTargets, readout } from "./heads.ts";
import type { Model } from "./model.ts";

/** adding: |ŷ − y| below this counts as correct (the usual adding-problem criterion). */
export const ADDING_TOLERANCE = 0.04;

function forwardOut(model: Model, x: tf.Tensor3D): tf.Tensor {
  const T = x.shape[1];
  const { states } = runForward(model, x, false);
  const hs = model.task === "adding" && !model.attention
    ? null
    : tf.stack(states.slice(1).map((s) => s.h)) as tf.Tensor3D;
  return readout(model.task, model.attention, hs, states[T].h, model.params).out;
}

/** adding: predictions ŷ [B]; copy: logits [B, T, O]. */
export function predict(model: Model, x: tf.Tensor3D): tf.Tensor {
  return tf.tidy(() => {
    const out = forwardOut(model, x);
    return model.task === "adding" ? tf.reshape(out, [-1]) : tf.transpose(out, [1, 0, 2]);
  });
}

/** Task metrics as scalar tensors (no host reads). */
export interface Evaluation {
  /** adding: MSE; copy: mean cross-entropy over all B·T positions. */
  loss: tf.Scalar;
  /** adding: share of |ŷ − y| < 0.04; copy: share of recalled symbols (targets ≠ blank 0) right. */
  accuracy: tf.Scalar;
  /** adding only: the mean squared error (equal to `loss`). */
  mse?: tf.Scalar;
}

/** Loss and accuracy of `model` on a batch. */
export function evaluate(model: Model, x: tf.Tensor3D, y: tf.Tensor): Evaluation {
  return tf.tidy(() => {
    const out = forwardOut(model, x);
    const target = prepareTargets(model.task, y, model.outputSize);
    const { loss } = headLoss(model.task, out, target);
    let accuracy: tf.Scalar;
    if (model.task === "adding") {
      accuracy = tf.mean(
        tf.cast(tf.less(tf.abs(tf.sub(out, target)), ADDING_TOLERANCE), "float32"),
      );
    } else {
      const labels = tf.transpose(tf.cast(y, "int32"), [1, 0]); // [T, B]
      const mask = tf.cast(tf.notEqual(labels, 0), "float32");
      const hit = tf.cast(tf.equal(tf.argMax(out, 2), labels), "float32");
      accuracy = tf.div(tf.sum(tf.mul(hit, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    }
    const result: Evaluation = { loss, accuracy };
    if (model.task === "adding") result.mse = tf.clone(loss);
    return result as unknown as tf.TensorContainerObject;
  }) as unknown as Evaluation;
}
