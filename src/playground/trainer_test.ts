import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { assert, assertEquals } from "../testing/assert.ts";
import type { FromWorker } from "./protocol.ts";
import type { SessionSettings } from "./session.ts";
import { type BackendLoader, Trainer } from "./trainer.ts";

const SETTINGS: SessionSettings = {
  task: "adding",
  cell: "rnn_tanh",
  layers: 1,
  T: 6,
  H: 4,
  batch: 4,
  lr: 0.01,
  clip: 1,
  seed: 2,
  symbols: 10,
};

const cpu: BackendLoader = async (choice) => {
  await tf.setBackend("cpu");
  return { backend: "cpu", note: choice === "cpu" ? null : "no wasm in this test" };
};

/** A trainer whose messages are kept; `next(type)` waits for the next one of that type. */
function harness() {
  const all: FromWorker[] = [];
  let cursor = 0;
  const trainer = new Trainer((m) => all.push(m), cpu);
  const next = async (type: FromWorker["type"]) => {
    for (let i = 0; i < 2000; i++) {
      const k = all.findIndex((m, j) => j >= cursor && m.type === type);
      if (k >= 0) {
        cursor = k + 1;
        return all[k];
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no '${type}' message; got ${all.map((m) => m.type)}`);
  };
  return { all, trainer, next };
}

Deno.test("the trainer reports at init, every few steps, and when a run reaches its step", async () => {
  const { all, trainer, next } = harness();
  await trainer.handle({ type: "init", backend: "auto", wasm: null });
  assertEquals(await next("ready"), {
    type: "ready",
    backend: "cpu",
    note: "no wasm in this test",
  });
  await trainer.handle({ type: "configure", settings: SETTINGS, every: 2 });
  const c = await next("configured");
  assert(c.type === "configured");
  assertEquals([c.probe.step, c.eval.step, c.steps.length, c.seqLength], [0, 0, 0, 6]);
  assertEquals(c.baseline, 1 / 6);

  void trainer.handle({ type: "run", until: 5 });
  const done = await next("done");
  assert(done.type === "done");
  assertEquals(done.step, 5);
  // Progress came at steps 2, 4 and 5, with every step's loss exactly once.
  const progress = all.flatMap((m) => m.type === "progress" ? [m] : []);
  assertEquals(progress.map((p) => p.probe.step), [2, 4, 5]);
  assertEquals(progress.map((p) => p.eval.step), [2, 4, 5]);
  const steps = progress.flatMap((p) => p.steps);
  assertEquals(steps.map((s) => s.step), [1, 2, 3, 4, 5]);
  assertEquals(done.finalLoss, steps[4].loss);
  assert(steps.every((s) => Number.isFinite(s.loss) && s.gradNorm > 0));
  assert(progress.every((p) => p.stepsPerSecond !== null && p.stepsPerSecond > 0));
});

Deno.test("step trains one step; pause stops a run; reset goes back to step 0", async () => {
  const { trainer, next } = harness();
  await trainer.handle({ type: "init", backend: "cpu", wasm: null });
  await trainer.handle({ type: "configure", settings: SETTINGS, every: 1000 });
  await next("configured");
  await trainer.handle({ type: "step" });
  const one = await next("progress");
  assert(one.type === "progress");
  assertEquals(one.steps.map((s) => s.step), [1]);
  assertEquals(one.probe.step, 1);

  void trainer.handle({ type: "run", until: null });
  await new Promise((r) => setTimeout(r, 400));
  await trainer.handle({ type: "pause" });
  const paused = await next("paused");
  assert(paused.type === "paused" && paused.step > 1, `paused at ${JSON.stringify(paused)}`);

  await trainer.handle({ type: "reset" });
  const fresh = await next("configured");
  assert(fresh.type === "configured");
  assertEquals(fresh.probe.step, 0);
});

Deno.test("a setting that cannot be built is an error message, not a crash", async () => {
  const { trainer, next } = harness();
  await trainer.handle({ type: "run", until: 3 });
  const e1 = await next("error");
  assert(e1.type === "error" && /configure first/.test(e1.message), JSON.stringify(e1));
  await trainer.handle({ type: "init", backend: "cpu", wasm: null });
  await trainer.handle({ type: "configure", settings: { ...SETTINGS, cell: "nope" }, every: 2 });
  const e2 = await next("error");
  assert(e2.type === "error" && /unknown cell 'nope'/.test(e2.message), JSON.stringify(e2));
});
