/**
 * Test helpers: a small seeded U[0,1) generator (mulberry32) and seeded models and batches.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { mulberry32 } from "../testing/mulberry32.ts";
import { createModel, type Model, type Task } from "./model.ts";

export { mulberry32 };

/** An adding-problem batch [B, T, 2] and targets [B] from `uniform`. */
export function addingBatch(
  uniform: () => number,
  B: number,
  T: number,
): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(B * T * 2), y = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    const i = Math.floor(uniform() * T);
    let j = Math.floor(uniform() * (T - 1));
    if (j >= i) j++;
    for (let t = 0; t < T; t++) {
      const v = uniform();
      x[(b * T + t) * 2] = v;
      if (t === i || t === j) {
        x[(b * T + t) * 2 + 1] = 1;
        y[b] += v;
      }
    }
  }
  return { x, y };
}

/**
 * A random batch from `uniform`: x ∈ U(−1, 1) [B, T, I]; y adding U[0, 1) [B], copy class
 * indices in 0 … O−1 [B, T] (int32).
 */
export function randomBatch(
  task: Task,
  uniform: () => number,
  d: { B: number; T: number; I: number; O: number },
): { x: tf.Tensor3D; y: tf.Tensor } {
  const { B, T, I, O } = d;
  const x = tf.tensor3d(Float32Array.from({ length: B * T * I }, () => uniform() * 2 - 1), [
    B,
    T,
    I,
  ]);
  const y = task === "adding" ? tf.tensor1d(Array.from({ length: B }, uniform)) : tf.tensor2d(
    Int32Array.from({ length: B * T }, () => Math.floor(uniform() * O)),
    [B, T],
    "int32",
  );
  return { x, y };
}

/**
 * A seeded model (α = 0.1, IndRNN bounded for T) and a {@link randomBatch} for it, for tests that
 * compare engine paths. O is 1 for adding, 4 for copy.
 */
export function randomCase(
  cell: string,
  task: Task,
  seed: number,
  d: { B: number; T: number; I: number; H: number; layers?: number },
): { model: Model; x: tf.Tensor3D; y: tf.Tensor } {
  const u = mulberry32(seed);
  const O = task === "adding" ? 1 : 4;
  const model = createModel(cell, {
    task,
    inputSize: d.I,
    outputSize: O,
    hidden: d.H,
    uniform: u,
    alpha: 0.1,
    seqLength: d.T,
    layers: d.layers,
  });
  return { model, ...randomBatch(task, u, { ...d, O }) };
}
