import { initBackend, tf } from "../backend.ts";
import { assertAlmostEquals, assertEquals, assertLess } from "../testing/assert.ts";
import {
  adamUpdate,
  clipByGlobalNorm,
  createAdam,
  createOptimizer,
  disposeAdam,
  globalNorm,
  lrOf,
} from "./optim.ts";
import { trainStep } from "./eager.ts";
import { createModel, disposeModel } from "./model.ts";
import { addingBatch, mulberry32 } from "./_test_rng.ts";

Deno.test("adam's first two steps match the bias-corrected formula", async () => {
  await initBackend("tensorflow");
  const params = { w: tf.tensor1d([1, -2]) };
  const opt = createAdam(params, { lr: 0.1 });
  const g1 = { w: tf.tensor1d([0.5, -1]) }, g2 = { w: tf.tensor1d([0.25, 3]) };
  const p1 = adamUpdate(opt, params, g1);
  const p2 = adamUpdate(opt, p1, g2);
  // Reference in float64, PyTorch's Adam.
  const ref = [1, -2].map((p0, i) => {
    const gs = [[0.5, -1][i], [0.25, 3][i]];
    let m = 0, v = 0, p = p0;
    gs.forEach((g, k) => {
      const t = k + 1;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      p -= (0.1 / (1 - 0.9 ** t)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
    });
    return p;
  });
  const got = await p2.w.data();
  ref.forEach((r, i) => assertAlmostEquals(got[i], r, 1e-6));
  tf.dispose([params.w, g1.w, g2.w, p1.w, p2.w]);
  disposeAdam(opt);
});

Deno.test("clipping by global norm rescales all gradients together, and only above the bound", async () => {
  await initBackend("tensorflow");
  const g = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) };
  const norm = globalNorm(g);
  assertAlmostEquals((await norm.data())[0], 5, 1e-6);
  const c = clipByGlobalNorm(g, 1, norm);
  assertAlmostEquals((await c.a.data())[0], 0.6, 1e-6);
  assertAlmostEquals((await c.b.data())[0], 0.8, 1e-6);
  const same = clipByGlobalNorm(g, 10, norm);
  assertAlmostEquals((await same.b.data())[0], 4, 1e-6);
  tf.dispose([g.a, g.b, norm, c.a, c.b, same.a, same.b]);
});

Deno.test("fifty eager training steps keep the tensor count flat and lower the loss", async () => {
  await initBackend("tensorflow");
  const B = 16, T = 10;
  const model = createModel("indrnn+attn", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 16,
    uniform: mulberry32(1),
    seqLength: T,
  });
  const d = addingBatch(mulberry32(2), B, T);
  const x = tf.tensor3d(d.x, [B, T, 2]), y = tf.tensor1d(d.y);
  const opt = createAdam(model.params, { lr: 1e-2 });
  const counts: number[] = [], losses: number[] = [];
  for (let i = 0; i < 50; i++) {
    const { loss, gradNorm } = trainStep(model, opt, x, y, { clipNorm: 1 });
    losses.push((await loss.data())[0]);
    tf.dispose([loss, gradNorm]);
    counts.push(tf.memory().numTensors);
  }
  assertEquals(new Set(counts.slice(1)).size, 1, `tensor counts ${counts.join(",")}`);
  assertLess(losses[49], losses[0]);
  // IndRNN's constraint holds after every update: |u| ≤ 2^{1/T}.
  const u = await model.params.u.data();
  for (const v of u) assertLess(Math.abs(v), Math.pow(2, 1 / T) + 1e-6);
  tf.dispose([x, y]);
  disposeAdam(opt);
  disposeModel(model);
});

Deno.test("rmsprop's first two steps match PyTorch's formula, with a group at its own rate", async () => {
  await initBackend("tensorflow");
  const params = { "l0.A": tf.tensor1d([1, -2]), "l0.W_x": tf.tensor1d([0.5]) };
  const opt = createOptimizer(params, {
    name: "rmsprop",
    lr: 0.1,
    groups: [{ params: ["A"], lr: 0.01 }],
  });
  assertEquals([lrOf(opt, "l0.A"), lrOf(opt, "l3.A"), lrOf(opt, "l0.W_x"), lrOf(opt, "W_o")], [
    0.01,
    0.01,
    0.1,
    0.1,
  ]);
  const gs = [{ "l0.A": [0.5, -1], "l0.W_x": [2] }, { "l0.A": [0.25, 3], "l0.W_x": [-1] }];
  let p = params;
  for (const g of gs) {
    const gt = Object.fromEntries(Object.entries(g).map(([k, v]) => [k, tf.tensor1d(v)]));
    const next = adamUpdate(opt, p, gt);
    tf.dispose([...Object.values(gt), ...(p === params ? [] : Object.values(p))]);
    p = next as typeof params;
  }
  // torch.optim.RMSprop(alpha=0.99, eps=1e-8): v = αv + (1−α)g²; p −= lr·g / (√v + ε).
  const ref = (p0: number, grads: number[], lr: number) => {
    let v = 0, q = p0;
    for (const g of grads) {
      v = 0.99 * v + 0.01 * g * g;
      q -= lr * g / (Math.sqrt(v) + 1e-8);
    }
    return q;
  };
  const a = await p["l0.A"].data(), w = await p["l0.W_x"].data();
  assertAlmostEquals(a[0], ref(1, [0.5, 0.25], 0.01), 1e-6);
  assertAlmostEquals(a[1], ref(-2, [-1, 3], 0.01), 1e-6);
  assertAlmostEquals(w[0], ref(0.5, [2, -1], 0.1), 1e-5);
  tf.dispose([...Object.values(params), ...Object.values(p)]);
  disposeAdam(opt);
});
