import { initBackend, tf } from "../backend.ts";
import {
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertNotEquals,
} from "../testing/assert.ts";
import { normal, orthogonal } from "./init.ts";
import { CELL_NAMES, createModel, disposeModel, paramShapes } from "./model.ts";
import { mulberry32 } from "./_test_rng.ts";

Deno.test("orthogonal matrices have orthonormal rows (wide) or columns (tall)", async () => {
  await initBackend("tensorflow");
  for (const [r, c] of [[8, 8], [8, 32], [32, 8]]) {
    const W = orthogonal(mulberry32(r * c), r, c);
    const gram = r <= c ? tf.matMul(W, W, false, true) : tf.matMul(W, W, true, false);
    const err = tf.max(tf.abs(tf.sub(gram, tf.eye(Math.min(r, c)))));
    assertLess((await err.data())[0], 1e-5);
    tf.dispose([W, gram, err]);
  }
});

Deno.test("the Box–Muller normal has mean 0 and variance 1", () => {
  const n = normal(mulberry32(9));
  let s = 0, s2 = 0;
  const N = 20000;
  for (let i = 0; i < N; i++) {
    const v = n();
    s += v;
    s2 += v * v;
  }
  assertAlmostEquals(s / N, 0, 0.03);
  assertAlmostEquals(s2 / N, 1, 0.05);
});

Deno.test("every cell initialises the documented shapes, deterministically per seed", async () => {
  await initBackend("tensorflow");
  for (const cell of [...CELL_NAMES, ...CELL_NAMES.map((c) => `${c}+attn`)]) {
    const dims = { inputSize: 3, hidden: 5, outputSize: 2 };
    const a = createModel(cell, { task: "copy", ...dims, uniform: mulberry32(1), seqLength: 10 });
    const b = createModel(cell, { task: "copy", ...dims, uniform: mulberry32(1), seqLength: 10 });
    const c = createModel(cell, { task: "copy", ...dims, uniform: mulberry32(2), seqLength: 10 });
    const shapes = paramShapes(cell, dims);
    assertEquals(Object.keys(a.params).sort(), Object.keys(shapes).sort());
    for (const [k, s] of Object.entries(shapes)) {
      assertEquals(a.params[k].shape, s, `${cell} ${k}`);
      assertEquals(await a.params[k].data(), await b.params[k].data());
    }
    assertNotEquals(await a.params.W_x.data(), await c.params.W_x.data());
    [a, b, c].forEach(disposeModel);
  }
});

Deno.test("LSTM's forget-gate bias starts at 1 and IRNN's recurrent matrix at the identity", async () => {
  await initBackend("tensorflow");
  const l = createModel("lstm", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 3,
    uniform: mulberry32(1),
  });
  assertEquals(Array.from(await l.params.b.data()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const i = createModel("irnn", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 3,
    uniform: mulberry32(1),
  });
  assertEquals(Array.from(await i.params.W_h.data()), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assertEquals(Array.from(await i.params.b.data()), [0, 0, 0]);
  const ind = createModel("indrnn", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 50,
    uniform: mulberry32(1),
    seqLength: 100,
  });
  for (const u of await ind.params.u.data()) {
    assertLess(Math.pow(0.5, 1 / 100) - 1e-6, u);
    assertLess(u, Math.pow(2, 1 / 100) + 1e-6);
  }
  [l, i, ind].forEach(disposeModel);
});
