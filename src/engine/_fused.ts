/**
 * Fused backward rules of the activations. On the tensorflow backend each is one TensorFlow
 * kernel (`TanhGrad`, `SigmoidGrad`, `ReluGrad`, `LeakyReluGrad`) instead of the two or three
 * ops tfjs composes; elsewhere the same math from tfjs ops. They sit in the per-step backward
 * loop, where op count is what costs (each op is ~10 µs of dispatch at B=64, H=128).
 *
 * @module
 */
import { tf } from "../backend.ts";

interface RawBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_FLOAT: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: unknown[], inputs: tf.Tensor[]): tf.Tensor;
}

function raw(): RawBackend | null {
  if (tf.getBackend() !== "tensorflow") return null;
  const b = tf.backend() as unknown as Partial<RawBackend>;
  return typeof b.executeSingleOutput === "function" && b.binding ? b as RawBackend : null;
}

function floatAttr(b: RawBackend) {
  return { name: "T", type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
}

/** dy ⊙ (1 − y²), the backward of y = tanh(a) given y. */
export function tanhGrad<T extends tf.Tensor>(y: T, dy: T): T {
  const b = raw();
  if (b) return b.executeSingleOutput("TanhGrad", [floatAttr(b)], [y, dy]) as T;
  return tf.tidy(() => tf.mul(dy, tf.sub(1, tf.square(y)))) as T;
}

/** dy ⊙ y ⊙ (1 − y), the backward of y = σ(a) given y. */
export function sigmoidGrad<T extends tf.Tensor>(y: T, dy: T): T {
  const b = raw();
  if (b) return b.executeSingleOutput("SigmoidGrad", [floatAttr(b)], [y, dy]) as T;
  return tf.tidy(() => tf.mul(dy, tf.mul(y, tf.sub(1, y)))) as T;
}

/**
 * dy where y > 0, else alpha·dy: the backward of y = relu(a) (alpha = 0) or leaky(a), given the
 * output y (for alpha ≥ 0, y > 0 exactly when a > 0; at a = 0 the slope is alpha, as in PyTorch).
 */
export function reluGrad<T extends tf.Tensor>(y: T, dy: T, alpha = 0): T {
  const b = raw();
  if (b) {
    if (alpha === 0) return b.executeSingleOutput("ReluGrad", [floatAttr(b)], [dy, y]) as T;
    return b.executeSingleOutput("LeakyReluGrad", [floatAttr(b), {
      name: "alpha",
      type: b.binding.TF_ATTR_FLOAT,
      value: alpha,
    }], [dy, y]) as T;
  }
  return tf.tidy(() =>
    tf.where(tf.greater(y, 0), dy, alpha === 0 ? tf.zerosLike(dy) : tf.mul(dy, alpha))
  ) as T;
}
