/**
 * What a run measures besides its training loss: the test metrics over the whole test set, and
 * the gradient probe's record (‖dL/dh_t‖ and the zero and subnormal shares of dL/dh_t).
 *
 * @module
 */
import { tf } from "../backend.ts";
import { type Batch, DEFAULT_COPY_SYMBOLS, type TaskSpec } from "../data/mod.ts";
import { evaluate, gradientProbe, type Model } from "../engine/mod.ts";
import type { EvalMetrics, ProbeRecord } from "../results/schema.ts";
import { batchTensors } from "./batch_tensors.ts";

/** Largest test chunk evaluated at once (bounds memory at T = 1000). */
const EVAL_CHUNK = 256;

/** Rows `start` to `end` of a batch (views, no copy). */
export function sliceBatch(b: Batch, start: number, end: number): Batch {
  const per = b.steps * b.inputSize;
  const yPer = b.y.length / b.batch;
  return {
    ...b,
    batch: end - start,
    x: b.x.subarray(start * per, end * per),
    y: b.y.subarray(start * yPer, end * yPer) as Batch["y"],
  };
}

/** Test metrics over the whole test set, in chunks; one host read per chunk. */
export async function evaluateTestSet(
  model: Model,
  test: Batch,
  step: number,
): Promise<EvalMetrics> {
  let loss = 0, mse = 0, acc = 0, n = 0;
  let hasMse = false;
  for (let s = 0; s < test.batch; s += EVAL_CHUNK) {
    const e = Math.min(test.batch, s + EVAL_CHUNK);
    const chunk = sliceBatch(test, s, e);
    const vals = tf.tidy(() => {
      const { x, y } = batchTensors(chunk);
      const m = evaluate(model, x, y);
      const parts = [m.loss, m.accuracy, m.mse ?? tf.scalar(NaN)].map((t) => tf.reshape(t, [1]));
      return tf.concat(parts);
    });
    const [l, a, m] = await vals.data();
    vals.dispose();
    const w = e - s;
    loss += l * w;
    acc += a * w;
    if (!Number.isNaN(m)) {
      mse += m * w;
      hasMse = true;
    }
    n += w;
  }
  return {
    step,
    test_loss: loss / n,
    test_mse: hasMse ? mse / n : null,
    test_accuracy: acc / n,
  };
}

/** The gradient probe of `model` on `batch` after `step` training steps, as a record holds it. */
export async function probeRecord(
  model: Model,
  spec: TaskSpec,
  batch: Batch,
  step: number,
): Promise<ProbeRecord> {
  const { x, y } = batchTensors(batch);
  try {
    const p = await gradientProbe(model, x, y);
    // On copy, also the gradient of the recall loss alone (the last S positions, the part that
    // needs memory): the whole loss's dL/dh_t includes each step's own blank-prediction term.
    const recall = spec.task === "copy"
      ? (await gradientProbe(model, x, y, { recall: spec.symbols ?? DEFAULT_COPY_SYMBOLS })).norms
      : undefined;
    return {
      step,
      norms: p.norms,
      zero_fraction: p.zeroFraction,
      subnormal_fraction: p.subnormalFraction,
      ...(recall ? { recall_norms: recall } : {}),
      ...(p.layerNorms ? { layer_norms: p.layerNorms } : {}),
    };
  } finally {
    x.dispose();
    y.dispose();
  }
}
