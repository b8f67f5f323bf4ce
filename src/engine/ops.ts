/**
 * The tensor-operations interface the engine's math is written against. A cell's forward and
 * backward step (`cells/`), the heads and their losses (`heads.ts`), the attention readout
 * (`attention.ts`), clipping and Adam (`optim.ts`) and the BPTT driver (`bptt.ts`) are each
 * written once, generic over the tensor type `T`, and run by two executors:
 *
 * - `eager_ops.ts`: tfjs tensors, op by op (the wasm and cpu backends, the browser, and the
 *   tensorflow backend when TensorFlow's C API cannot load);
 * - `tf_graph/graph_ops.ts`: TensorFlow graph emission, so that a whole training step is one
 *   graph run on the tensorflow backend.
 *
 * Shapes are static and known to the caller (the driver passes B, T, H explicitly), so the
 * interface never asks a tensor for its shape. The interface names plain operations only: fusing
 * them into bigger kernels is an executor's own business (the graph executor lowers the op
 * patterns it recognises to TensorFlow's fused kernels, `tf_graph/`).
 *
 * @module
 */

/** Tensor operations over the tensor type `T`; float32 unless said otherwise. */
export interface Ops<T> {
  /** Which executor this is (diagnostics, never branched on by the math). */
  readonly name: string;
  /**
   * Steps per chunk of the weight-gradient and layer-to-layer matmuls. The graph executor uses
   * short chunks so that each chunk's matmul can run beside the backward recurrence on another
   * core; the eager executor forms each over all steps at once (`Infinity`).
   */
  readonly chunk: number;

  /** Runs `fn` as one unit of memory management (eager: `tf.tidy`, keeping what it returns). */
  scope<R>(fn: () => R): R;
  /** Frees tensors no longer needed (eager; a no-op for graph nodes). */
  dispose(ts: readonly (T | null | undefined)[]): void;
  /** Marks `t` to outlive the scope it is made in (eager: `tf.keep`); returns it. */
  keep(t: T): T;

  scalar(value: number): T;
  /** A float32 constant of `shape` from row-major `values`. */
  constant(values: readonly number[], shape: readonly number[]): T;
  zeros(shape: readonly number[]): T;

  matMul(a: T, b: T, transposeA?: boolean, transposeB?: boolean): T;
  /** Batched matmul of rank-3 tensors [N, a, b] × [N, b, c]. */
  batchMatMul(a: T, b: T): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  minimum(a: T, b: T): T;
  maximum(a: T, b: T): T;
  addN(ts: readonly T[]): T;
  sqrt(a: T): T;
  abs(a: T): T;
  /** −1, 0 or 1 by the sign of each element (sign(0) = 0). */
  sign(a: T): T;

  tanh(a: T): T;
  sigmoid(a: T): T;
  relu(a: T): T;
  leakyRelu(a: T, alpha: number): T;
  /** dy ⊙ (1 − y²): the backward of y = tanh(a), given y. */
  tanhGrad(y: T, dy: T): T;
  /** dy ⊙ y ⊙ (1 − y): the backward of y = σ(a), given y. */
  sigmoidGrad(y: T, dy: T): T;
  /**
   * dy where y > 0, else alpha·dy: the backward of relu (alpha 0) or leaky (alpha > 0) given the
   * output y (y > 0 exactly when a > 0; at a = 0 the slope is alpha, as in PyTorch).
   */
  reluGrad(y: T, dy: T, alpha: number): T;
  clipByValue(a: T, lo: number, hi: number): T;
  /** Softmax over the last axis. */
  softmax(a: T): T;

  sum(a: T, axes: readonly number[], keepDims?: boolean): T;
  /** Σ a² as a scalar. */
  sumSquares(a: T): T;
  reshape(a: T, shape: readonly number[]): T;
  transpose(a: T, perm: readonly number[]): T;
  concat(ts: readonly T[], axis: number): T;
  split(a: T, sizes: readonly number[], axis: number): T[];
  stack(ts: readonly T[], axis?: number): T;
  /** Splits along `axis` into its `n` slices. */
  unstack(a: T, n: number, axis?: number): T[];

  /** Float one-hot [..., depth] of int32 class indices. */
  oneHot(indices: T, depth: number): T;
  /**
   * Row-wise softmax cross-entropy of logits [N, O] against probability rows [N, O]: the
   * per-row losses [N] and their gradient with respect to the logits, softmax − labels [N, O].
   */
  softmaxCrossEntropy(logits: T, labels: T): { rows: T; grad: T };
}

/** Named tensors (parameters, gradients, Adam moments), by their docs/cells.md names. */
export type TensorMap<T> = Record<string, T>;
