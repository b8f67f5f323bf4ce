/**
 * Inference: predictions and the task metrics, on the eager executor (a forward pass that frees
 * each step's backward data as it goes).
 *
 * @module
 */
import { tf } from "./tf.ts";
import { predictOut } from "./bptt.ts";
import { eagerOps } from "./eager_ops.ts";
import { netSpecOf } from "./net_spec.ts";
import { headLoss, prepareTargets } from "./heads.ts";
import type { Model } from "./model.ts";

/** adding: |ŷ − y| below this counts as correct (the usual adding-problem criterion). */
export const ADDING_TOLERANCE = 0.04;

/** adding: predictions ŷ [B]; copy: logits [B, T, O]. */
export function predict(model: Model, x: tf.Tensor3D): tf.Tensor {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const out = predictOut(eagerOps, netSpecOf(model, x.shape), model.params, x);
    return model.task === "adding"
      ? tf.reshape(out, [-1])
      : tf.transpose(tf.reshape(out, [T, B, model.outputSize]), [1, 0, 2]);
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
    const s = netSpecOf(model, x.shape);
    const out = predictOut(eagerOps, s, model.params, x);
    const yy = model.task === "copy" ? tf.cast(y, "int32") : tf.cast(y, "float32");
    const { loss } = headLoss(eagerOps, s.head, out, prepareTargets(eagerOps, s.head, yy));
    let accuracy: tf.Scalar;
    if (model.task === "adding") {
      accuracy = tf.mean(
        tf.cast(tf.less(tf.abs(tf.sub(out, tf.reshape(yy, [-1, 1]))), ADDING_TOLERANCE), "float32"),
      );
    } else {
      const [B, T] = x.shape;
      const logits = tf.reshape(out, [T, B, model.outputSize]);
      const labels = tf.transpose(yy, [1, 0]); // [T, B]
      const mask = tf.cast(tf.notEqual(labels, 0), "float32");
      const hit = tf.cast(tf.equal(tf.argMax(logits, 2), labels), "float32");
      accuracy = tf.div(tf.sum(tf.mul(hit, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    }
    const result: Evaluation = { loss: loss as tf.Scalar, accuracy };
    if (model.task === "adding") result.mse = tf.clone(loss) as tf.Scalar;
    return result as unknown as tf.TensorContainerObject;
  }) as unknown as Evaluation;
}
