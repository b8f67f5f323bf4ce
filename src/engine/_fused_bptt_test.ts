import { initBackend, tf } from "../backend.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { lossAndGrads } from "./bptt.ts";
import { loadReference, referenceModel, relativeError } from "./gradcheck.ts";
import { disposeModel, type Task } from "./model.ts";
import { fusedAvailable } from "./_fused_bptt.ts";
import { randomCase as randomCaseOf } from "./_test_rng.ts";

const FUSED = ["rnn_tanh", "rnn_relu", "irnn", "rnn_leaky", "gru", "lstm"];
const DIR = new URL("../../../shared/reference/grads/", import.meta.url);
const files = [...Deno.readDirSync(DIR)].filter((e) => e.name.endsWith(".json")).map((e) => e.name)
  .sort();

const randomCase = (cell: string, task: Task, seed: number) =>
  randomCaseOf(cell, task, seed, { B: 3, T: 7, I: 2, H: 6 });

Deno.test("the fused path exists on tensorflow for the RNNs, GRU and LSTM, not for IndRNN", async () => {
  await initBackend("tensorflow");
  for (const cell of [...FUSED, "lstm+attn"]) {
    const { model, x, y } = randomCase(cell, "adding", 1);
    assert(fusedAvailable(model), cell);
    tf.dispose([x, y]);
    disposeModel(model);
  }
  const { model, x, y } = randomCase("indrnn", "adding", 1);
  assertEquals(fusedAvailable(model), false);
  assertThrows(() => lossAndGrads(model, x, y, { path: "fused" }), Error, "no fused path");
  tf.dispose([x, y]);
  disposeModel(model);
});

Deno.test("the fused path refuses the probe and is unavailable off tensorflow", async () => {
  await initBackend("tensorflow");
  const { model, x, y } = randomCase("lstm", "copy", 2);
  assertThrows(() => lossAndGrads(model, x, y, { probe: true, path: "fused" }), Error, "probe");
  await initBackend("cpu");
  assertEquals(fusedAvailable(model), false);
  await initBackend("tensorflow");
  tf.dispose([x, y]);
  disposeModel(model);
});

for (const cell of [...FUSED, "lstm+attn", "gru+attn", "rnn_tanh+attn"]) {
  Deno.test(`${cell}: fused and generic paths give the same loss and gradients`, async () => {
    await initBackend("tensorflow");
    for (const task of ["adding", "copy"] as const) {
      const { model, x, y } = randomCase(cell, task, 5);
      const g = lossAndGrads(model, x, y, { path: "generic" });
      const before = tf.memory().numTensors;
      const f = lossAndGrads(model, x, y, { path: "fused" });
      assertEquals(tf.memory().numTensors, before + 1 + Object.keys(model.params).length);
      assertEquals(f.dh, undefined);
      const lg = (await g.loss.data())[0], lf = (await f.loss.data())[0];
      assert(Math.abs(lg - lf) <= 1e-6 * Math.abs(lg), `${task} loss ${lf} vs ${lg}`);
      assertEquals(Object.keys(f.grads).sort(), Object.keys(g.grads).sort());
      for (const [k, gg] of Object.entries(g.grads)) {
        assertEquals(f.grads[k].shape, gg.shape);
        const err = relativeError(await f.grads[k].data(), await gg.data());
        assert(err < 1e-5, `${task} ${k}: relative error ${err}`);
      }
      tf.dispose([g.loss, f.loss, ...Object.values(g.grads), ...Object.values(f.grads), x, y]);
      disposeModel(model);
    }
  });
}

Deno.test("every reference file the fused path applies to matches PyTorch to 1e-5 through it", async () => {
  await initBackend("tensorflow");
  let checked = 0;
  for (const f of files) {
    const ref = await loadReference(new URL(f, DIR).pathname);
    const model = referenceModel(ref);
    if (!fusedAvailable(model)) {
      disposeModel(model);
      continue;
    }
    const x = tf.tensor3d(ref.x, [ref.B, ref.T, ref.I]);
    const y = ref.task === "adding"
      ? tf.tensor2d(ref.y as Float32Array, [ref.B, 1])
      : tf.tensor2d(ref.y as Int32Array, [ref.B, ref.T], "int32");
    const out = lossAndGrads(model, x, y, { path: "fused" });
    const loss = (await out.loss.data())[0];
    assert(Math.abs(loss - ref.loss) <= 1e-5 * Math.abs(ref.loss), `${f}: loss ${loss}`);
    for (const [name, g] of Object.entries(ref.paramGrads)) {
      const err = relativeError(await out.grads[name].data(), g);
      assert(err <= 1e-5, `${f}: ${name} relative error ${err}`);
    }
    tf.dispose([out.loss, ...Object.values(out.grads), x, y]);
    disposeModel(model);
    checked++;
  }
  assert(checked >= 10, `only ${checked} reference files went through the fused path`);
});
