import { initBackend, tf } from "../backend.ts";
import { assertAlmostEquals, assertEquals, assertGreater, assertLess } from "../testing/assert.ts";
import { gradientProbe } from "./loss_and_grads.ts";
import { profileOf } from "./probe.ts";
import { createModel, disposeModel } from "./model.ts";
import { addingBatch, mulberry32 } from "./_test_rng.ts";

Deno.test("the profile counts zeros and subnormals from the float32 bit patterns", () => {
  const data = new Float32Array([0, -0, 1e-40, -1e-45, 1.17549435e-38, 3, 0, 4]); // T = 2, 4 per step
  const p = profileOf(data, 2);
  assertEquals(p.zeroFraction, [0.5, 0.25]);
  assertEquals(p.subnormalFraction, [0.5, 0]);
  assertAlmostEquals(p.norms[1], Math.sqrt(1.17549435e-38 ** 2 + 9 + 16), 1e-6);
});

/** Geometric mean over seeds of ‖dL/dh_0‖ / ‖dL/dh_{T-1}‖ at initialisation, adding task. */
async function decay(cell: string, T: number, seeds: number[]): Promise<number> {
  let logSum = 0;
  for (const seed of seeds) {
    const model = createModel(cell, {
      task: "adding",
      inputSize: 2,
      outputSize: 1,
      hidden: 64,
      uniform: mulberry32(seed),
      seqLength: T,
    });
    const d = addingBatch(mulberry32(1000 + seed), 32, T);
    const x = tf.tensor3d(d.x, [32, T, 2]), y = tf.tensor1d(d.y);
    const p = await gradientProbe(model, x, y);
    assertEquals(p.norms.length, T);
    logSum += Math.log(p.norms[0] / p.norms[T - 1]);
    tf.dispose([x, y]);
    disposeModel(model);
  }
  return Math.exp(logSum / seeds.length);
}

Deno.test("at T=100 rnn_tanh's early gradient vanishes orders of magnitude more than LSTM's; attention restores it", async () => {
  await initBackend("tensorflow");
  const seeds = [1, 2, 3];
  const tanh = await decay("rnn_tanh", 100, seeds);
  const lstm = await decay("lstm", 100, seeds);
  const tanhAttn = await decay("rnn_tanh+attn", 100, seeds);
  console.log(
    `‖dL/dh_0‖/‖dL/dh_99‖: rnn_tanh ${tanh.toExponential(2)}, lstm ${
      lstm.toExponential(2)
    }, rnn_tanh+attn ${tanhAttn.toExponential(2)}`,
  );
  assertLess(tanh, lstm * 1e-6);
  assertGreater(tanhAttn, 1e-3);
  assertGreater(tanhAttn, tanh * 1e10);
});
