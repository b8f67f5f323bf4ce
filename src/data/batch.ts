/**
 * The in-memory form every task produces and every consumer reads: plain typed arrays,
 * row-major and batch-major, so the engine can wrap them in tensors without copying or
 * reshuffling.
 *
 * @module
 */

/**
 * A batch of B sequences.
 * - adding: `x` `[B, T, 2]` float32 (value, marker), `y` `[B]` float32 (the sum); steps = T.
 * - copy: `x` `[B, T+2S, 10]` float32 one-hot, `y` `[B, T+2S]` int32 class indices.
 */
export interface Batch {
  x: Float32Array;
  y: Float32Array | Int32Array;
  batch: number;
  steps: number;
  inputSize: number;
}

/** Shape of `x`: `[batch, steps, inputSize]`. */
export function batchXShape(b: Batch): number[] {
  return [b.batch, b.steps, b.inputSize];
}

/** Shape of `y`: `[batch]` for float32 targets (adding), `[batch, steps]` for int32 (copy). */
export function batchYShape(b: Batch): number[] {
  return b.y instanceof Int32Array ? [b.batch, b.steps] : [b.batch];
}
