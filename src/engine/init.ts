/**
 * Seeded weight initialisers. Each takes `uniform: () => number`, a U[0, 1) source, so that a
 * model is a pure function of its seed; values are built on the host (float64) and uploaded once.
 *
 * @module
 */
import { tf } from "./tf.ts";

/** A U[0, 1) random source. */
export type Uniform = () => number;

/** A standard normal sampler from `uniform`, by the Box–Muller transform. */
export function normal(uniform: Uniform): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u <= Number.MIN_VALUE) u = uniform(); // log(0) guard
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Glorot/Xavier uniform (Glorot & Bengio 2010): U(−l, l), l = √(6 / (fanIn + fanOut)). */
export function glorotUniform(uniform: Uniform, rows: number, cols: number): tf.Tensor2D {
  const limit = Math.sqrt(6 / (rows + cols));
  const v = new Float32Array(rows * cols);
  for (let i = 0; i < v.length; i++) v[i] = (2 * uniform() - 1) * limit;
  return tf.tensor2d(v, [rows, cols]);
}

/** Gaussian N(0, std²). */
export function gaussian(uniform: Uniform, shape: number[], std: number): tf.Tensor {
  const n = normal(uniform);
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < v.length; i++) v[i] = n() * std;
  return tf.tensor(v, shape);
}

/** U(low, high) element-wise. */
export function uniformIn(uniform: Uniform, shape: number[], low: number, high: number): tf.Tensor {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < v.length; i++) v[i] = low + (high - low) * uniform();
  return tf.tensor(v, shape);
}

/**
 * Orthogonal (Saxe et al. 2014), as Keras builds it: QR of a Gaussian matrix, signs fixed so the
 * result is Haar-distributed. For `rows < cols` the rows are orthonormal (so every H-wide gate
 * block of an `[H, G·H]` recurrent matrix is orthogonal too), else the columns.
 */
export function orthogonal(uniform: Uniform, rows: number, cols: number, gain = 1): tf.Tensor2D {
  const n = normal(uniform);
  // Orthonormalise the k = min(rows, cols) vectors of length m = max(rows, cols).
  const m = Math.max(rows, cols), k = Math.min(rows, cols);
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = n();
    // Modified Gram–Schmidt, twice ("twice is enough"); r_jj > 0 equals QR with sign fix.
    for (let pass = 0; pass < 2; pass++) {
      for (const p of q) {
        let d = 0;
        for (let i = 0; i < m; i++) d += p[i] * v[i];
        for (let i = 0; i < m; i++) v[i] -= d * p[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[i] /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: column c is q[c]; rows < cols: row r is q[r].
      out[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
    }
  }
  return tf.tensor2d(out, [rows, cols]);
}

/** The identity (times `gain`), for IRNN's recurrent matrix (Le, Jaitly & Hinton 2015). */
export function identity(size: number, gain = 1): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.eye(size), gain) as tf.Tensor2D);
}

/** Zeros, optionally with `value` on the half-open column range [from, to) (forget-gate bias). */
export function bias(
  size: number,
  fill?: { from: number; to: number; value: number },
): tf.Tensor1D {
  const v = new Float32Array(size);
  if (fill) { for (let i = fill.from; i < fill.to; i++) v[i] = fill.value; }
  return tf.tensor1d(v);
}
