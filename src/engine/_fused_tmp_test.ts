import { initBackend, tf } from "../backend.ts";
import { lossAndGrads } from "./bptt.ts";
import { createModel } from "./model.ts";
import { mulberry32 } from "./_test_rng.ts";
Deno.test("quick", async () => {
  await initBackend("tensorflow");
  for (const cell of ["rnn_tanh", "rnn_leaky", "gru", "lstm", "lstm+attn", "gru+attn"]) for (const task of ["adding", "copy"] as const) {
    const u = mulberry32(3);
    const O = task === "adding" ? 1 : 3, B = 3, T = 6;
    const model = createModel(cell, { task, inputSize: 2, outputSize: O, hidden: 5, uniform: u });
    const x = tf.randomNormal([B, T, 2]) as tf.Tensor3D;
    const y = task === "adding" ? tf.randomNormal([B]) : tf.randomUniform([B, T], 0, O, "int32");
    const n0 = tf.memory().numTensors;
    const a = lossAndGrads(model, x, y, { path: "generic" });
    const b = lossAndGrads(model, x, y, { path: "fused" });
    let worst = Math.abs(a.loss.dataSync()[0] - b.loss.dataSync()[0]);
    for (const k of Object.keys(a.grads)) {
      const d = tf.max(tf.abs(tf.sub(a.grads[k], b.grads[k]))).dataSync()[0];
      worst = Math.max(worst, d);
    }
    console.log(cell, task, worst, tf.memory().numTensors - n0);
  }
});
