import { initBackend, tf } from "../backend.ts";
import { assertEquals, assertThrows } from "../testing/assert.ts";
import { ADDING_TOLERANCE, evaluate, predict } from "./evaluate.ts";
import {
  CELL_NAMES,
  createModel,
  disposeModel,
  isCellName,
  parseCellName,
  setParams,
} from "./model.ts";
import { mulberry32 } from "./_test_rng.ts";
import { CELLS } from "./cells/mod.ts";

Deno.test("cell names parse with an optional +attn suffix", () => {
  assertEquals(parseCellName("lstm+attn"), { base: "lstm", attention: true });
  assertEquals(parseCellName("irnn"), { base: "irnn", attention: false });
  assertEquals(isCellName("gru+attn"), true);
  assertEquals(isCellName("transformer"), false);
  assertThrows(() => parseCellName("lstm+attn+attn"), Error, "unknown cell");
  assertEquals(CELL_NAMES, Object.keys(CELLS));
  for (const [key, cell] of Object.entries(CELLS)) assertEquals(cell.name, key);
});

Deno.test("setParams checks names and shapes", async () => {
  await initBackend("tensorflow");
  const m = createModel("rnn_tanh", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 2,
    uniform: mulberry32(1),
  });
  setParams(m, { W_h: [[1, 2], [3, 4]] });
  assertEquals(Array.from(await m.params.W_h.data()), [1, 2, 3, 4]);
  assertThrows(() => setParams(m, { W_h: [[1, 2]] }), Error, "params.W_h");
  assertThrows(() => setParams(m, { u: [1, 2] }), Error, "params.u");
  disposeModel(m);
});

Deno.test("predict and evaluate give the task's shapes and metrics", async () => {
  await initBackend("tensorflow");
  const B = 3, T = 4;
  const a = createModel("gru", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 4,
    uniform: mulberry32(1),
  });
  setParams(a, { W_o: [[0], [0], [0], [0]], b_o: [0.5] }); // predicts 0.5 everywhere
  const x = tf.randomUniform([B, T, 2]) as tf.Tensor3D;
  const yA = tf.tensor1d([0.5, 0.5 + ADDING_TOLERANCE * 2, 0.51]);
  assertEquals(predict(a, x).shape, [B]);
  const ea = evaluate(a, x, yA);
  assertEquals(Math.round((await ea.accuracy.data())[0] * 3), 2);
  const c = createModel("lstm+attn", {
    task: "copy",
    inputSize: 2,
    outputSize: 5,
    hidden: 4,
    uniform: mulberry32(1),
  });
  const logits = predict(c, x);
  assertEquals(logits.shape, [B, T, 5]);
  const best = tf.argMax(logits, 2);
  // Targets equal to the predictions where not blank, blank elsewhere: accuracy 1 on recalled symbols.
  const yC = tf.where(tf.greater(best, 0), best, tf.zerosLike(best));
  const ec = evaluate(c, x, yC);
  const recalled = tf.sum(tf.cast(tf.greater(best, 0), "int32"));
  assertEquals((await ec.accuracy.data())[0], (await recalled.data())[0] > 0 ? 1 : 0);
  tf.dispose([x, yA, logits, best, yC, recalled, ea.loss, ea.accuracy, ec.loss, ec.accuracy]);
  disposeModel(a);
  disposeModel(c);
});

Deno.test("stacked models prefix each layer's cell parameters; layers outside 1–8 are refused", () => {
  const u = mulberry32(1);
  const m = createModel("lstm+attn", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 3,
    uniform: u,
    layers: 2,
  });
  assertEquals(Object.keys(m.params), [
    "l0.W_x",
    "l0.W_h",
    "l0.b",
    "l1.W_x",
    "l1.W_h",
    "l1.b",
    "W_q",
    "W_o",
    "b_o",
  ]);
  assertEquals(m.params["l0.W_x"].shape, [2, 12]);
  assertEquals(m.params["l1.W_x"].shape, [3, 12]);
  disposeModel(m);
  for (const layers of [0, 9, 1.5]) {
    assertThrows(
      () =>
        createModel("gru", {
          task: "adding",
          inputSize: 2,
          outputSize: 1,
          hidden: 3,
          uniform: u,
          layers,
        }),
      Error,
      "layers must be a whole number from 1 to 8",
    );
  }
});
