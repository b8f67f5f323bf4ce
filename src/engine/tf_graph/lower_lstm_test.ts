import { initBackend, tf } from "../../backend.ts";
import { assertEquals } from "../../testing/assert.ts";
import { createModel, disposeModel } from "../model.ts";
import { createAdam } from "../optim.ts";
import { mulberry32 } from "../_test_rng.ts";
import { nodeStats, summarize } from "./profile.ts";
import { graphTrainer } from "../trainer.ts";

/** The kernels of one traced training step of `cell` (T = 7, B = 16: one batch part). */
async function tracedCounts(cell: string, layers: number, fuse: boolean) {
  await initBackend("tensorflow");
  const T = 7, u = mulberry32(3);
  const model = createModel(cell, {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 8,
    layers,
    uniform: u,
  });
  const trainer = graphTrainer(model, createAdam(model.params, { lr: 1e-3 }), undefined, { fuse });
  const x = tf.tensor3d(Float32Array.from({ length: 16 * T * 2 }, u), [16, T, 2]);
  const y = tf.tensor1d(Float32Array.from({ length: 16 }, u));
  let meta: Uint8Array | null = null;
  const out = trainer.run(x, y, (m) => meta = m);
  const p = summarize(nodeStats(meta!));
  tf.dispose([out.loss, out.gradNorm, x, y]);
  trainer.dispose();
  disposeModel(model);
  return { T, count: (op: string) => p.byOp.find((o) => o.op === op)?.count ?? 0 };
}

Deno.test("the LSTM's plain forward step runs as LSTMBlockCell, one per step and layer", async () => {
  for (const layers of [1, 2]) {
    const fused = await tracedCounts("lstm", layers, true);
    const runs = fused.count("LSTMBlockCell");
    // Every step of every layer; the element-wise forward is pruned.
    assertEquals(runs, fused.T * layers, `${layers} layer(s): ×${runs}`);
    assertEquals(fused.count("Sigmoid"), 0, `${layers} layer(s): Sigmoid left`);
    const plain = await tracedCounts("lstm", layers, false);
    assertEquals(plain.count("LSTMBlockCell"), 0);
    assertEquals(plain.count("Sigmoid"), 3 * runs);
  }
});

Deno.test("a recurrence of another form is left as its plain ops", async () => {
  const gru = await tracedCounts("gru", 1, true);
  assertEquals(gru.count("LSTMBlockCell"), 0);
  assertEquals(gru.count("Sigmoid") > 0, true);
});
