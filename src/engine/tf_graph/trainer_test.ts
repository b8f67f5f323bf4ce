import { initBackend, tf } from "../../backend.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { eagerTrainer, type Trainer } from "../eager.ts";
import { relativeError } from "../gradcheck.ts";
import { CELL_NAMES, createModel, disposeModel, type Task } from "../model.ts";
import { CELLS } from "../cells/mod.ts";
import { createAdam, createOptimizer } from "../optim.ts";
import { createTrainer } from "../trainer.ts";
import { mulberry32, randomBatch } from "../_test_rng.ts";
import { graphTrainer } from "../trainer.ts";

const I = 3, H = 6, TOL = 1e-4;
/** Parameters and moments after several steps at a large learning rate (rounding compounds). */
const STATE_TOL = 3e-4;

function model(cell: string, task: Task, seed: number, T: number, layers = 1) {
  return createModel(cell, {
    task,
    inputSize: I,
    outputSize: task === "adding" ? 1 : 4,
    hidden: H,
    uniform: mulberry32(seed),
    alpha: 0.1,
    seqLength: T,
    layers,
  });
}

// ε comparable to √v, so the graph's ε' = ε·√(1−β2ᵗ) mapping matters.
const ADAM = { lr: 0.02, epsilon: 0.01 };

const batch = (task: Task, seed: number, B: number, T: number) =>
  randomBatch(task, mulberry32(seed), { B, T, I, O: 4 });

async function assertClose(a: tf.Tensor, b: tf.Tensor, tol: number, what: string) {
  assertEquals(a.shape, b.shape, what);
  const err = relativeError(await a.data(), await b.data());
  assert(err <= tol, `${what}: relative error ${err}`);
}

async function assertSameState(g: Trainer, e: Trainer, what: string) {
  assertEquals(g.optimizer.step, e.optimizer.step, `${what}: step`);
  const gm = g.sync(), em = e.sync();
  for (const k of Object.keys(em.params)) {
    // Float32 rounding differs between the executors (sum order, Adam's kernel); four steps at a
    // large learning rate carry it to ~1e-4 in the smallest weights (IndRNN's W_x ~ N(0, 1e-6)).
    await assertClose(gm.params[k], em.params[k], STATE_TOL, `${what}: ${k}`);
    await assertClose(g.optimizer.m[k], e.optimizer.m[k], STATE_TOL, `${what}: m.${k}`);
    await assertClose(g.optimizer.v[k], e.optimizer.v[k], STATE_TOL, `${what}: v.${k}`);
  }
}

function dispose(...xs: { dispose(): void }[]) {
  for (const x of xs) x.dispose();
}

// Graph steps (Adam as the fused kernel and as the element-wise rule, clipping, IndRNN's
// constraint, all in the session) against eager steps.
for (
  const [cell, layers] of [
    ["lstm", 1],
    ["gru", 2],
    ["rnn_tanh", 1],
    ["indrnn", 2],
    ["gru+attn", 1],
    ["mingru", 2],
    // Every cell whose steps use weights formed from its parameters (the `weights` hook).
    ...CELL_NAMES.filter((c) => CELLS[c].weights).map((c) => [c, 2] as const),
  ] as const
) {
  Deno.test(`${cell} ×${layers}: graph training steps match eager ones (Adam, clipping, constraint)`, async () => {
    await initBackend("tensorflow");
    for (const task of ["adding", "copy"] as const) {
      for (const fuse of [true, false]) {
        const gm = model(cell, task, 21, 6, layers), em = model(cell, task, 21, 6, layers);
        const g = graphTrainer(gm, createAdam(gm.params, ADAM), 0.05, { fuse });
        const e = eagerTrainer(em, createAdam(em.params, ADAM), { clipNorm: 0.05 });
        for (let s = 0; s < 4; s++) {
          const { x, y } = batch(task, 100 + s, 32, 6);
          const a = g.step(x, y), b = e.step(x, y); // clips: the norms here are ≥ 0.1
          await assertClose(a.loss, b.loss, TOL, `${task} step ${s} loss`);
          await assertClose(a.gradNorm, b.gradNorm, TOL, `${task} step ${s} norm`);
          dispose(a.loss, a.gradNorm, b.loss, b.gradNorm, x, y);
        }
        await assertSameState(g, e, `${cell} ${task} fuse ${fuse}`);
        if (cell === "indrnn") {
          const bound = Math.pow(2, 1 / 6);
          for (const k of ["l0.u", "l1.u"]) {
            const u = await gm.params[k].data();
            assert(u.every((v) => Math.abs(v) <= bound + 1e-7), `|${k}| within 2^(1/T)`);
          }
        }
        g.dispose();
        e.dispose();
        disposeModel(gm);
        disposeModel(em);
      }
    }
  });
}

// RMSprop and parameter groups: the same update on both executors.
for (
  const [name, fuse] of [["rmsprop", false], ["adam", true], ["adam", false]] as const
) {
  Deno.test(`exprnn: graph ${name}${fuse ? " (fused)" : ""} steps with a parameter group match eager ones`, async () => {
    await initBackend("tensorflow");
    const opts = { ...ADAM, name, groups: [{ params: ["A"], lr: 0.002 }] };
    const gm = model("exprnn", "copy", 5, 6, 2), em = model("exprnn", "copy", 5, 6, 2);
    const g = graphTrainer(gm, createOptimizer(gm.params, opts), 0.05, { fuse });
    const e = eagerTrainer(em, createOptimizer(em.params, opts), { clipNorm: 0.05 });
    const a0 = await gm.params["l1.A"].data(), x0 = await gm.params["l1.W_x"].data();
    for (let s = 0; s < 4; s++) {
      const { x, y } = batch("copy", 200 + s, 32, 6);
      const a = g.step(x, y), b = e.step(x, y);
      await assertClose(a.loss, b.loss, TOL, `step ${s} loss`);
      dispose(a.loss, a.gradNorm, b.loss, b.gradNorm, x, y);
    }
    await assertSameState(g, e, `exprnn ${name}`);
    // A moved 10× less than W_x would at the main rate: its largest change is ≤ 4 steps × 0.002
    // (Adam's and RMSprop's steps are at most about lr per element here).
    const a1 = await gm.params["l1.A"].data(), x1 = await gm.params["l1.W_x"].data();
    const moved = (p: Float32Array, q: Float32Array) =>
      p.reduce((m, v, i) => Math.max(m, Math.abs(v - q[i])), 0);
    assert(moved(a0 as Float32Array, a1 as Float32Array) <= 4 * 0.002 * 1.5, "A at its own rate");
    assert(moved(x0 as Float32Array, x1 as Float32Array) > 4 * 0.002 * 1.5, "W_x at the main rate");
    g.dispose();
    e.dispose();
    disposeModel(gm);
    disposeModel(em);
  });
}

Deno.test("a graph step adds two tensors (loss, norm); sync replaces the weights, leaking nothing", async () => {
  await initBackend("tensorflow");
  const m = model("lstm", "adding", 3, 5);
  const tr = createTrainer(m, { adam: ADAM });
  assertEquals(tr.path, "graph");
  const { x, y } = batch("adding", 1, 16, 5);
  dispose(...Object.values(tr.step(x, y)));
  const base = tf.memory().numTensors;
  for (let s = 0; s < 3; s++) {
    const out = tr.step(x, y);
    assertEquals(tf.memory().numTensors, base + 2);
    dispose(out.loss, out.gradNorm);
    const before = m.params.W_h;
    tr.sync();
    assert(before.isDisposed && !m.params.W_h.isDisposed, "sync replaced W_h");
    assertEquals(tf.memory().numTensors, base);
  }
  const nParams = Object.keys(m.params).length;
  tr.dispose();
  assertEquals(tf.memory().numTensors, base - 2 * nParams); // Adam's moments
  disposeModel(m);
  assertEquals(tf.memory().numTensors, base - 3 * nParams);
  assertThrows(() => tr.step(x, y), Error, "used after dispose()");
  dispose(x, y);
});

Deno.test("a new batch length rebuilds the graph with the state carried over", async () => {
  await initBackend("tensorflow");
  const gm = model("gru", "adding", 8, 5), em = model("gru", "adding", 8, 5);
  const g = createTrainer(gm, { adam: ADAM }), e = createTrainer(em, { adam: ADAM, path: "eager" });
  assertEquals([g.path, e.path], ["graph", "eager"]);
  for (const T of [5, 9, 5]) {
    const { x, y } = batch("adding", T, 32, T);
    const a = g.step(x, y), b = e.step(x, y);
    await assertClose(a.loss, b.loss, TOL, `T=${T} loss`);
    dispose(a.loss, a.gradNorm, b.loss, b.gradNorm, x, y);
  }
  await assertSameState(g, e, "after T = 5, 9, 5");
  g.dispose();
  e.dispose();
  disposeModel(gm);
  disposeModel(em);
});

Deno.test("path graph insists off tensorflow; a diverging graph step reports a non-finite loss", async () => {
  await initBackend("cpu");
  const cpu = model("rnn_tanh", "adding", 4, 5);
  assertThrows(
    () => createTrainer(cpu, { adam: ADAM, path: "graph" }),
    Error,
    "the graph path needs the tensorflow backend",
  );
  disposeModel(cpu);
  await initBackend("tensorflow");
  const { x, y } = batch("adding", 5, 16, 5);
  const m = model("rnn_relu", "adding", 4, 5);
  const tr = createTrainer(m, { adam: { lr: 1e30 }, path: "graph" });
  let loss = 0;
  for (let s = 0; s < 6 && Number.isFinite(loss); s++) {
    const out = tr.step(x, y);
    loss = (await out.loss.data())[0];
    dispose(out.loss, out.gradNorm);
  }
  assert(!Number.isFinite(loss) || loss > 1e6, `loss ${loss} after steps at lr 1e30`);
  tr.dispose();
  disposeModel(m);
  dispose(x, y);
});

Deno.test("weights synced inside a tf.tidy outlive it (evaluation reads them so)", async () => {
  await initBackend("tensorflow");
  const gm = model("lstm", "adding", 6, 5), em = model("lstm", "adding", 6, 5);
  const g = createTrainer(gm, { adam: ADAM }), e = createTrainer(em, { adam: ADAM, path: "eager" });
  const { x, y } = batch("adding", 4, 16, 5);
  for (const t of [g, e]) dispose(...Object.values(t.step(x, y)));
  const inTidy = tf.tidy(() => tf.sum(g.sync().params.W_h));
  await assertClose(gm.params.W_h, em.params.W_h, TOL, "W_h after a tidy");
  await assertClose(inTidy, tf.sum(em.params.W_h), TOL, "read inside the tidy");
  dispose(inTidy, x, y);
  g.dispose();
  e.dispose();
  disposeModel(gm);
  disposeModel(em);
});

Deno.test("a trainer restored from another's state continues bit for bit (graph and eager)", async () => {
  await initBackend("tensorflow");
  for (const path of ["graph", "eager"] as const) {
    for (const [cell, layers] of [["lstm", 1], ["indrnn", 2]] as const) {
      const steps = (tr: Trainer, from: number, n: number) => {
        const losses: number[] = [];
        for (let s = from; s < from + n; s++) {
          const { x, y } = batch("adding", 300 + s, 32, 6);
          const out = tr.step(x, y);
          losses.push(out.loss.dataSync()[0], out.gradNorm.dataSync()[0]);
          dispose(out.loss, out.gradNorm, x, y);
        }
        return losses;
      };
      const am = model(cell, "adding", 5, 6, layers);
      const a = createTrainer(am, { adam: ADAM, clipNorm: 0.05, path });
      assertEquals(a.path, path);
      steps(a, 0, 3);
      // Through the bytes a checkpoint stores, into a fresh model with other weights.
      const saved = a.state();
      const copy = structuredClone(saved);
      const bm = model(cell, "adding", 99, 6, layers);
      const b = createTrainer(bm, { adam: ADAM, clipNorm: 0.05, path });
      if (path === "graph") steps(b, 50, 1); // a built session is overwritten too
      b.restore(copy);
      assertEquals(steps(b, 3, 4), steps(a, 3, 4), `${path} ${cell}: losses and norms`);
      const sa = a.state(), sb = b.state();
      assertEquals(sb.step, sa.step);
      for (const k of Object.keys(sa.params)) {
        for (const g of ["params", "m", "v"] as const) {
          assertEquals(sb[g][k].data, sa[g][k].data, `${path} ${cell}: ${g}.${k}`);
        }
      }
      assertThrows(() => b.restore({ ...copy, m: {} }), Error, "is missing");
      a.dispose();
      b.dispose();
      disposeModel(am);
      disposeModel(bm);
    }
  }
});
