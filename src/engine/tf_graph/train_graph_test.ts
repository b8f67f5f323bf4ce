import { initBackend, tf } from "../../backend.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { eagerLossAndGrads } from "../eager.ts";
import { relativeError } from "../gradcheck.ts";
import { lossAndGrads } from "../loss_and_grads.ts";
import { CELL_NAMES, disposeModel, type Task } from "../model.ts";
import { randomCase as randomCaseOf } from "../_test_rng.ts";
import { clearGraphCache, graphAvailable, lossAndGradsOn } from "./runtime.ts";
import { graphSpecOf } from "../loss_and_grads.ts";
import { batchParts } from "./train_graph.ts";

const randomCase = (cell: string, task: Task, seed: number, B: number, layers = 1) =>
  randomCaseOf(cell, task, seed, { B, T: 7, I: 3, H: 6, layers });

Deno.test("batchParts: the most parts ≤ threads that divide the batch, ≥ 16 rows each", () => {
  assertEquals(batchParts(64, 2), 2);
  assertEquals(batchParts(64, 1), 1);
  assertEquals(batchParts(64, 16), 4);
  assertEquals(batchParts(48, 4), 3);
  assertEquals(batchParts(30, 2), 1); // 15 rows per part is too few
  assertEquals(batchParts(33, 2), 1);
  assertEquals(batchParts(4, 8), 1);
});

Deno.test("the graph path is available on tensorflow only", async () => {
  await initBackend("tensorflow");
  assert(graphAvailable());
  await initBackend("cpu");
  assertEquals(graphAvailable(), false);
  await initBackend("tensorflow");
});

// The two executors run the same driver: every cell (± attention) × task × layers × batch split
// (× LSTM kernel) of the graph executor against the eager one, and the copy task's recall loss.
for (const cell of CELL_NAMES.flatMap((c) => [c, `${c}+attn`])) {
  Deno.test(`${cell}: the graph executor gives the eager executor's loss, gradients and dL/dh_t`, async () => {
    await initBackend("tensorflow");
    for (const task of ["adding", "copy"] as const) {
      for (const layers of [1, 2]) {
        const { model, x, y } = randomCase(cell, task, 11, 32, layers);
        for (const recall of task === "copy" ? [undefined, 3] : [undefined]) {
          const ref = eagerLossAndGrads(model, x, y, { probe: true, recall });
          const lref = (await ref.loss.data())[0];
          for (const parts of [1, 2]) {
            const lstm = cell.startsWith("lstm");
            for (const fuse of lstm ? [true, false] : [true]) {
              const what = `${task}, ${layers} layer(s), ${parts} part(s)${
                lstm ? `, fused ${fuse}` : ""
              }${recall ? ", recall loss" : ""}`;
              const s0 = graphSpecOf(model, x.shape, { recall });
              const spec = { ...s0, net: { ...s0.net, parts }, fuse };
              const before = tf.memory().numTensors;
              const out = lossAndGradsOn(spec, model.params, x, y, true);
              assertEquals(
                tf.memory().numTensors,
                before + 1 + layers + Object.keys(model.params).length,
              );
              const l = (await out.loss.data())[0];
              assert(Math.abs(l - lref) <= 1e-5 * Math.abs(lref), `${what}: loss ${l} vs ${lref}`);
              assertEquals(Object.keys(out.grads).sort(), Object.keys(ref.grads).sort());
              for (const [k, g] of Object.entries(ref.grads)) {
                assertEquals(out.grads[k].shape, g.shape, `${what}: ${k} shape`);
                const err = relativeError(await out.grads[k].data(), await g.data());
                assert(err < 1e-5, `${what}: ${k} relative error ${err}`);
              }
              assertEquals(out.dh!.length, layers);
              for (const [k, d] of ref.dh!.entries()) {
                assertEquals(out.dh![k].shape, d.shape);
                const err = relativeError(await out.dh![k].data(), await d.data());
                assert(err < 1e-5, `${what}: layer ${k} dL/dh_t relative error ${err}`);
              }
              tf.dispose([out.loss, ...out.dh!, ...Object.values(out.grads)]);
            }
          }
          tf.dispose([ref.loss, ...ref.dh!, ...Object.values(ref.grads)]);
        }
        tf.dispose([x, y]);
        disposeModel(model);
      }
    }
    clearGraphCache();
  });
}

Deno.test("lossAndGrads takes the graph path on auto and refuses it off tensorflow", async () => {
  await initBackend("tensorflow");
  const { model, x, y } = randomCase("gru+attn", "adding", 3, 16);
  const auto = lossAndGrads(model, x, y);
  const graph = lossAndGrads(model, x, y, { path: "graph" });
  for (const k of Object.keys(auto.grads)) {
    assertEquals(await auto.grads[k].data(), await graph.grads[k].data(), k);
  }
  tf.dispose([auto.loss, graph.loss, ...Object.values(auto.grads), ...Object.values(graph.grads)]);
  await initBackend("cpu");
  const onCpu = randomCase("gru", "adding", 3, 16);
  assertThrows(
    () => lossAndGrads(onCpu.model, onCpu.x, onCpu.y, { path: "graph" }),
    Error,
    "the graph path needs the tensorflow backend",
  );
  tf.dispose([onCpu.x, onCpu.y]);
  disposeModel(onCpu.model);
  await initBackend("tensorflow");
  tf.dispose([x, y]);
  disposeModel(model);
  clearGraphCache();
});

Deno.test("a batch that does not split into the parts is refused with a clear message", async () => {
  await initBackend("tensorflow");
  const { model, x, y } = randomCase("rnn_tanh", "adding", 4, 5);
  assertThrows(
    () => {
      const s0 = graphSpecOf(model, x.shape);
      return lossAndGradsOn({ ...s0, net: { ...s0.net, parts: 2 } }, model.params, x, y, false);
    },
    Error,
    "batch 5 does not split into 2 parts",
  );
  tf.dispose([x, y]);
  disposeModel(model);
});
