import { initBackend, tf } from "../../backend.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { relativeError } from "../gradcheck.ts";
import { createModel, disposeModel, type Model, setParams, type Task } from "../model.ts";
import { type Adam, createAdam } from "../optim.ts";
import { trainStep } from "../train_step.ts";
import { mulberry32, randomBatch } from "../_test_rng.ts";

const I = 3, H = 6, TOL = 1e-4;

function twin(cell: string, task: Task, seed: number, T: number) {
  const make = () => {
    const u = mulberry32(seed);
    return createModel(cell, {
      task,
      inputSize: I,
      outputSize: task === "adding" ? 1 : 4,
      hidden: H,
      uniform: u,
      alpha: 0.1,
      seqLength: T,
    });
  };
  const graph = make(), eager = make();
  return {
    graph,
    eager,
    // ε comparable to √v, so the graph's ε' = ε·√(1−β2ᵗ) mapping matters.
    gOpt: createAdam(graph.params, { lr: 0.02, epsilon: 0.01 }),
    eOpt: createAdam(eager.params, { lr: 0.02, epsilon: 0.01 }),
  };
}

const batch = (task: Task, seed: number, B: number, T: number) =>
  randomBatch(task, mulberry32(seed), { B, T, I, O: 4 });

async function assertClose(a: tf.Tensor, b: tf.Tensor, tol: number, what: string) {
  assertEquals(a.shape, b.shape, what);
  const err = relativeError(await a.data(), await b.data());
  assert(err <= tol, `${what}: relative error ${err}`);
}

async function assertSameState(g: Model, gOpt: Adam, e: Model, eOpt: Adam, what: string) {
  assertEquals(gOpt.step, eOpt.step, `${what}: step`);
  for (const k of Object.keys(e.params)) {
    // Float32 rounding differs between the paths (sum order, Adam's formula); a few steps at a
    // large learning rate carry it to ~1e-5.
    await assertClose(g.params[k], e.params[k], TOL, `${what}: ${k}`);
    await assertClose(gOpt.m[k], eOpt.m[k], TOL, `${what}: m.${k}`);
    await assertClose(gOpt.v[k], eOpt.v[k], TOL, `${what}: v.${k}`);
  }
}

function dispose(...xs: { dispose(): void }[]) {
  for (const x of xs) x.dispose();
}

// Graph steps (Adam, clipping, IndRNN's constraint in the session) against eager steps.
for (const cell of ["lstm", "gru", "rnn_tanh", "indrnn", "gru+attn"]) {
  Deno.test(`${cell}: graph training steps match eager ones (Adam, clipping, constraint)`, async () => {
    await initBackend("tensorflow");
    for (const task of ["adding", "copy"] as const) {
      const { graph, eager, gOpt, eOpt } = twin(cell, task, 21, 6);
      for (let s = 0; s < 4; s++) {
        const { x, y } = batch(task, 100 + s, 32, 6);
        const clipNorm = s % 2 === 0 ? 0.05 : undefined; // clips: the norms here are ≥ 0.1
        const g = trainStep(graph, gOpt, x, y, { clipNorm });
        const e = trainStep(eager, eOpt, x, y, { clipNorm, path: "eager" });
        await assertClose(g.loss, e.loss, TOL, `${task} step ${s} loss`);
        await assertClose(g.gradNorm, e.gradNorm, TOL, `${task} step ${s} norm`);
        dispose(g.loss, g.gradNorm, e.loss, e.gradNorm, x, y);
      }
      await assertSameState(graph, gOpt, eager, eOpt, `${cell} ${task}`);
      if (cell === "indrnn") {
        const bound = Math.pow(2, 1 / 6);
        const u = await graph.params.u.data();
        assert(u.every((v) => Math.abs(v) <= bound + 1e-7), "|u| within 2^(1/T)");
      }
      disposeModel(graph);
      disposeModel(eager);
      gOpt.dispose();
      eOpt.dispose();
    }
  });
}

Deno.test("a graph step adds two tensors (loss, norm); reading state back leaks nothing", async () => {
  await initBackend("tensorflow");
  const { graph, eager, gOpt, eOpt } = twin("lstm", "adding", 3, 5);
  disposeModel(eager);
  eOpt.dispose();
  const { x, y } = batch("adding", 1, 16, 5);
  dispose(...Object.values(trainStep(graph, gOpt, x, y)));
  const base = tf.memory().numTensors;
  for (let s = 0; s < 3; s++) {
    const out = trainStep(graph, gOpt, x, y);
    assertEquals(tf.memory().numTensors, base + 2);
    dispose(out.loss, out.gradNorm);
    void graph.params.W_h; // a read after each step replaces the tensors, disposing the old
    void gOpt.m.W_h;
    assertEquals(tf.memory().numTensors, base);
  }
  const nParams = Object.keys(graph.params).length;
  disposeModel(graph);
  gOpt.dispose();
  assertEquals(tf.memory().numTensors, base - 3 * nParams);
  // Detached: plain properties again.
  assertEquals(Object.getOwnPropertyDescriptor(graph, "params")!.value, {});
  assertEquals(Object.getOwnPropertyDescriptor(gOpt, "m")!.value, {});
  dispose(x, y);
});

Deno.test("setParams between graph steps reaches the session; eager steps continue the state", async () => {
  await initBackend("tensorflow");
  const { graph, eager, gOpt, eOpt } = twin("gru", "adding", 8, 5);
  const { x, y } = batch("adding", 2, 32, 5);
  const both = async (what: string, graphPath: "auto" | "eager" = "auto") => {
    const g = trainStep(graph, gOpt, x, y, { path: graphPath });
    const e = trainStep(eager, eOpt, x, y, { path: "eager" });
    await assertClose(g.loss, e.loss, TOL, `${what} loss`);
    dispose(g.loss, g.gradNorm, e.loss, e.gradNorm);
  };
  await both("step 1");
  setParams(graph, { b_o: [0.75] });
  setParams(eager, { b_o: [0.75] });
  await both("after setParams");
  await both("eager step on a graph-trained model", "eager"); // detaches, reads m and v back
  assertEquals(Object.getOwnPropertyDescriptor(graph, "params")!.get, undefined);
  await both("graph again");
  // A new batch length rebuilds the graph with the state carried over.
  const long = batch("adding", 3, 32, 9);
  const g = trainStep(graph, gOpt, long.x, long.y),
    e = trainStep(eager, eOpt, long.x, long.y, {
      path: "eager",
    });
  await assertClose(g.loss, e.loss, TOL, "T=9 loss");
  await assertSameState(graph, gOpt, eager, eOpt, "after T=9");
  dispose(g.loss, g.gradNorm, e.loss, e.gradNorm, x, y, long.x, long.y);
  disposeModel(graph);
  disposeModel(eager);
  gOpt.dispose();
  eOpt.dispose();
});

Deno.test("trainStep path graph insists; a diverging graph step reports a non-finite loss", async () => {
  await initBackend("cpu");
  const cpu = twin("rnn_tanh", "adding", 4, 5);
  const small = batch("adding", 5, 16, 5);
  assertThrows(
    () => trainStep(cpu.graph, cpu.gOpt, small.x, small.y, { path: "graph" }),
    Error,
    "no graph path for rnn_tanh on the cpu backend",
  );
  dispose(small.x, small.y, cpu.gOpt, cpu.eOpt);
  disposeModel(cpu.graph);
  disposeModel(cpu.eager);
  await initBackend("tensorflow");
  const { x, y } = batch("adding", 5, 16, 5);
  const t = twin("rnn_relu", "adding", 4, 5);
  t.gOpt.lr = 1e30;
  let loss = 0;
  for (let s = 0; s < 6 && Number.isFinite(loss); s++) {
    const out = trainStep(t.graph, t.gOpt, x, y, { path: "graph" });
    loss = (await out.loss.data())[0];
    dispose(out.loss, out.gradNorm);
  }
  assert(!Number.isFinite(loss) || loss > 1e6, `loss ${loss} after steps at lr 1e30`);
  disposeModel(t.graph);
  disposeModel(t.eager);
  t.gOpt.dispose();
  t.eOpt.dispose();
  dispose(x, y);
});

Deno.test("weights first read back inside a tf.tidy outlive it (evaluation reads them so)", async () => {
  await initBackend("tensorflow");
  const { graph, eager, gOpt, eOpt } = twin("lstm", "adding", 6, 5);
  const { x, y } = batch("adding", 4, 16, 5);
  for (const [m, o, path] of [[graph, gOpt, "auto"], [eager, eOpt, "eager"]] as const) {
    const out = trainStep(m, o, x, y, { path });
    dispose(out.loss, out.gradNorm);
  }
  const inTidy = tf.tidy(() => tf.sum(graph.params.W_h));
  await assertClose(graph.params.W_h, eager.params.W_h, TOL, "W_h after a tidy");
  await assertClose(inTidy, tf.sum(eager.params.W_h), TOL, "read inside the tidy");
  dispose(inTidy, x, y);
  disposeModel(graph);
  disposeModel(eager);
  gOpt.dispose();
  eOpt.dispose();
});
