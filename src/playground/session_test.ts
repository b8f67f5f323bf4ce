import { initBackend } from "../backend.ts";
import type { RunConfig } from "../results/schema.ts";
import { expandGrid, validateSuite } from "../suite/suite.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { STREAM_INIT as TRAIN_STREAM_INIT, trainRun } from "../train/train_run.ts";
import { TEST_SIZE } from "./params.ts";
import {
  ADAM_BETAS,
  LEAKY_ALPHA,
  type SessionSettings,
  STREAM_INIT,
  TrainingSession,
} from "./session.ts";

/** A one-run grid, resolved exactly as `deno task train` resolves a suite. */
async function runConfig(over: Record<string, unknown>): Promise<RunConfig> {
  const grid = await expandGrid(
    validateSuite({
      name: "t",
      cells: ["lstm"],
      lengths: [10],
      seeds: [5],
      steps: 6,
      hidden: 8,
      batch: 8,
      testSize: TEST_SIZE,
      evalEvery: 6,
      probeAt: ["end"],
      ...over,
    }, "t.json"),
  );
  return grid.runs[0].config;
}

/** The playground setting of a run config. */
function settingsOf(c: RunConfig): SessionSettings {
  return {
    task: c.task,
    cell: c.cell,
    layers: c.layers ?? 1,
    T: c.T,
    H: c.hidden,
    batch: c.batch,
    lr: c.optimizer.lr,
    clip: c.clipNorm,
    seed: c.seed,
    symbols: c.symbols ?? 10,
  };
}

Deno.test("the session draws its weights from train_run's init stream, with the suites' Adam", async () => {
  assertEquals(STREAM_INIT, TRAIN_STREAM_INIT);
  const c = await runConfig({});
  const { name: _, lr: __, ...betas } = c.optimizer as unknown as Record<string, number>;
  assertEquals(betas, { ...ADAM_BETAS });
  assertEquals(c.alpha, LEAKY_ALPHA);
});

Deno.test("same setting and seed on the cpu backend: the same losses as deno task train", async () => {
  await initBackend("cpu", { warn: () => {} });
  const cases = [
    {},
    { cells: ["rnn_tanh+attn"], tasks: ["copy"], lengths: [4], symbols: 3, clipNorm: null },
    { cells: ["indrnn"], optimizer: { name: "adam", lr: 0.02 } },
  ];
  for (const over of cases) {
    const c = await runConfig(over);
    const run = await trainRun(c);
    assertEquals(run.status, "ok", JSON.stringify(run.status_detail));
    const s = new TrainingSession(settingsOf(c));
    try {
      for (let i = 0; i < c.steps; i++) s.trainOne();
      const steps = await s.drain();
      assertEquals(steps.map((r) => r.step), [1, 2, 3, 4, 5, 6]);
      assertEquals(steps.map((r) => r.loss), run.curve.map((p) => p.train_loss), c.cell);
      const test = await s.evaluate();
      assertEquals(test.loss, run.metrics.test_loss, `${c.cell}: test loss`);
      assertEquals(test.mse, run.metrics.test_mse, `${c.cell}: test MSE`);
    } finally {
      s.dispose();
    }
  }
});

Deno.test("probe and evaluation: one norm per sequence step; MSE only for adding", async () => {
  await initBackend("cpu", { warn: () => {} });
  const s = new TrainingSession({
    task: "copy",
    cell: "gru",
    layers: 1,
    T: 5,
    H: 4,
    batch: 3,
    lr: 0.01,
    clip: 1,
    seed: 1,
    symbols: 2,
  });
  try {
    const p = await s.probe();
    assertEquals(p.step, 0);
    assertEquals(p.norms.length, 5 + 2 * 2);
    assert(p.norms.every((n) => Number.isFinite(n) && n >= 0));
    const e = await s.evaluate();
    assertEquals(e.mse, null);
    assert(e.accuracy >= 0 && e.accuracy <= 1 && e.loss > 0);
    s.trainOne();
    assertEquals(s.step, 1);
    assertEquals((await s.probe()).step, 1);
    assertEquals(s.baseline, (2 * Math.log(8)) / 9);
  } finally {
    s.dispose();
  }
});

Deno.test("a stacked session probes every layer, bottom first", async () => {
  await initBackend("cpu", { warn: () => {} });
  const s = new TrainingSession({
    task: "adding",
    cell: "lstm",
    layers: 2,
    T: 7,
    H: 4,
    batch: 2,
    lr: 0.01,
    clip: 1,
    seed: 1,
    symbols: 10,
  });
  try {
    const p = await s.probe();
    assertEquals(p.layerNorms?.length, 2);
    assertEquals(p.layerNorms![1], p.norms, "norms are the top layer's");
    assertEquals(p.layerNorms![0].length, 7);
  } finally {
    s.dispose();
  }
});
