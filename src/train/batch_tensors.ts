/**
 * A host batch as the tensors the engine trains on; tfjs-core only, so the in-browser playground
 * and `train_run.ts` build them the same way (same batch, same tensors, same losses).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { Batch } from "../data/batch.ts";

/** Tensors of a host batch: x [B, steps, I] float32; y adding [B] float32, copy [B, steps] int32. */
export function batchTensors(b: Batch): { x: tf.Tensor3D; y: tf.Tensor } {
  const x = tf.tensor3d(b.x, [b.batch, b.steps, b.inputSize]);
  const y = b.y instanceof Int32Array
    ? tf.tensor2d(b.y, [b.batch, b.steps], "int32")
    : tf.tensor1d(b.y, "float32");
  return { x, y };
}
