/**
 * The eager executor: {@link Ops} on tfjs-core tensors, one op at a time on whichever backend is
 * active (cpu, wasm, tensorflow; in Deno or in a browser). Memory: `scope` is `tf.tidy`, so a
 * training step's intermediates are freed per time step as the driver goes, and what a scope
 * returns survives it.
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Ops } from "./ops.ts";

type Tensor = tf.Tensor;

/** The eager executor's operations. */
export const eagerOps: Ops<Tensor> = {
  name: "eager",
  chunk: Infinity,
  scope: <R>(fn: () => R): R => tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as R,
  dispose: (ts) => {
    for (const t of ts) if (t && !t.isDisposed) t.dispose();
  },

  keep: (t) => tf.keep(t),
  scalar: (v) => tf.scalar(v),
  constant: (values, shape) => tf.tensor(values as number[], shape as number[], "float32"),
  zeros: (shape) => tf.zeros(shape as number[]),

  matMul: (a, b, ta = false, tb = false) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb),
  batchMatMul: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  minimum: (a, b) => tf.minimum(a, b),
  maximum: (a, b) => tf.maximum(a, b),
  addN: (ts) => ts.length === 1 ? tf.clone(ts[0]) : tf.addN(ts as Tensor[]),
  sqrt: (a) => tf.sqrt(a),
  abs: (a) => tf.abs(a),
  sign: (a) => tf.sign(a),

  tanh: (a) => tf.tanh(a),
  sigmoid: (a) => tf.sigmoid(a),
  relu: (a) => tf.relu(a),
  leakyRelu: (a, alpha) => tf.leakyRelu(a, alpha),
  tanhGrad: (y, dy) => tf.tidy(() => tf.mul(dy, tf.sub(1, tf.square(y)))),
  sigmoidGrad: (y, dy) => tf.tidy(() => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  reluGrad: (y, dy, alpha) =>
    tf.tidy(() =>
      tf.where(tf.greater(y, 0), dy, alpha === 0 ? tf.zerosLike(dy) : tf.mul(dy, alpha))
    ),
  clipByValue: (a, lo, hi) => tf.clipByValue(a, lo, hi),
  softmax: (a) => tf.softmax(a),

  sum: (a, axes, keepDims = false) => tf.sum(a, axes as number[], keepDims),
  sumSquares: (a) => tf.tidy(() => tf.sum(tf.square(a))),
  reshape: (a, shape) => tf.reshape(a, shape as number[]),
  transpose: (a, perm) => tf.transpose(a, perm as number[]),
  concat: (ts, axis) => tf.concat(ts as Tensor[], axis),
  split: (a, sizes, axis) => tf.split(a, sizes as number[], axis),
  stack: (ts, axis = 0) => tf.stack(ts as Tensor[], axis),
  unstack: (a, _n, axis = 0) => tf.unstack(a, axis),

  oneHot: (indices, depth) =>
    tf.tidy(() => tf.cast(tf.oneHot(tf.cast(indices, "int32"), depth), "float32")),
  softmaxCrossEntropy: (logits, labels) =>
    tf.tidy(() => {
      const logp = tf.logSoftmax(logits);
      return { rows: tf.neg(tf.sum(tf.mul(labels, logp), 1)), grad: tf.sub(tf.exp(logp), labels) };
    }),
};
