import { initBackend, tf } from "../backend.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { lossAndGrads } from "./loss_and_grads.ts";
import { evaluate } from "./evaluate.ts";
import { CELL_NAMES, createModel, disposeModel, type Model, type Task } from "./model.ts";
import { mulberry32 } from "./_test_rng.ts";

const B = 2, T = 5, I = 3, H = 4;

function tinyCase(cell: string, task: Task, seed: number, layers = 1) {
  const u = mulberry32(seed);
  const O = task === "adding" ? 1 : 3;
  const model = createModel(cell, {
    task,
    inputSize: I,
    outputSize: O,
    hidden: H,
    uniform: u,
    alpha: 0.1,
    layers,
  });
  // Scale weights up so that every cell is in a non-trivial regime (not all-linear, not dead).
  for (const [k, p] of Object.entries(model.params)) {
    const scaled = tf.tidy(() =>
      tf.add(tf.mul(p, 2), tf.randomUniform(p.shape, -0.3, 0.3, "float32", seed))
    );
    p.dispose();
    model.params[k] = scaled;
  }
  const x = tf.tensor3d(Float32Array.from({ length: B * T * I }, () => u() * 2 - 1), [B, T, I]);
  const y = task === "adding"
    ? tf.tensor1d([u(), u()])
    : tf.tensor2d(Int32Array.from({ length: B * T }, () => Math.floor(u() * O)), [B, T], "int32");
  return { model, x, y };
}

async function lossAt(model: Model, x: tf.Tensor3D, y: tf.Tensor): Promise<number> {
  const e = evaluate(model, x, y);
  const v = (await e.loss.data())[0];
  tf.dispose([e.loss, e.accuracy]);
  return v;
}

// Directional finite differences: (L(p + εv) − L(p − εv)) / 2ε against g·v, per parameter.
const CASES = [
  ...CELL_NAMES.map((cell) => ({ cell, layers: 1 })),
  { cell: "lstm+attn", layers: 1 },
  { cell: "rnn_tanh+attn", layers: 1 },
  { cell: "gru", layers: 2 },
  { cell: "mingru+attn", layers: 2 },
  { cell: "lstm", layers: 2 },
];
for (const { cell, layers } of CASES) {
  for (const task of ["adding", "copy"] as const) {
    const name = `${cell}${layers > 1 ? ` ×${layers}` : ""}`;
    Deno.test(`${name} parameter gradients match finite differences (${task})`, async () => {
      await initBackend("tensorflow");
      const { model, x, y } = tinyCase(cell, task, 11, layers);
      const { loss, grads } = lossAndGrads(model, x, y);
      const eps = 1e-3;
      for (const name of Object.keys(model.params)) {
        const p = model.params[name];
        const v = tf.randomNormal(p.shape, 0, 1, "float32", 5);
        const gv = (await tf.sum(tf.mul(grads[name], v)).data())[0];
        const plus = tf.add(p, tf.mul(v, eps)), minus = tf.sub(p, tf.mul(v, eps));
        model.params[name] = plus;
        const lp = await lossAt(model, x, y);
        model.params[name] = minus;
        const lm = await lossAt(model, x, y);
        model.params[name] = p;
        const fd = (lp - lm) / (2 * eps);
        const scale = Math.max(Math.abs(gv), Math.abs(fd), 1e-2);
        assert(
          Math.abs(fd - gv) / scale < 2e-2,
          `${cell}/${task} ${name}: finite difference ${fd} vs gradient ${gv}`,
        );
        tf.dispose([v, plus, minus]);
      }
      tf.dispose([loss, ...Object.values(grads), x, y]);
      disposeModel(model);
    });
  }
}

Deno.test("lossAndGrads returns one gradient per parameter, with matching shapes", async () => {
  await initBackend("tensorflow");
  const { model, x, y } = tinyCase("gru+attn", "copy", 3);
  const { loss, grads, dh } = lossAndGrads(model, x, y, { probe: true });
  assertEquals(Object.keys(grads).sort(), Object.keys(model.params).sort());
  for (const [k, g] of Object.entries(grads)) assertEquals(g.shape, model.params[k].shape);
  assertEquals(dh!.map((d) => d.shape), [[T, B, H]]);
  assertEquals(loss.shape, []);
  tf.dispose([loss, ...dh!, ...Object.values(grads), x, y]);
  disposeModel(model);
});

Deno.test("lossAndGrads leaves no tensors behind but its results, on both executors", async () => {
  await initBackend("tensorflow");
  const { model, x, y } = tinyCase("lstm+attn", "copy", 4, 2);
  for (const path of ["graph", "eager"] as const) {
    const before = tf.memory().numTensors;
    const { loss, grads, dh } = lossAndGrads(model, x, y, { probe: true, path });
    assertEquals(tf.memory().numTensors, before + 1 + 2 + Object.keys(grads).length, path);
    tf.dispose([loss, ...dh!, ...Object.values(grads)]);
    assertEquals(tf.memory().numTensors, before, path);
  }
  tf.dispose([x, y]);
  disposeModel(model);
});
