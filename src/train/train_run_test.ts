import { initBackend } from "../backend.ts";
import { expandGrid, validateSuite } from "../suite/suite.ts";
import { assert, assertEquals, assertGreater, assertMatch } from "../testing/assert.ts";
import {
  CURVE_POINTS,
  curveStride,
  RunInterrupted,
  type RunOutcome,
  type RunSnapshot,
  RunSuspended,
  trainRun,
} from "./train_run.ts";
import type { RunConfig } from "../results/schema.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";

const backend = Deno.env.get("CI") === "true" ? "tensorflow" : "auto";

async function config(over: Record<string, unknown>): Promise<RunConfig> {
  const grid = await expandGrid(
    validateSuite({
      name: "t",
      cells: ["lstm"],
      lengths: [8],
      steps: 6,
      hidden: 8,
      batch: 8,
      testSize: 16,
      evalEvery: 3,
      ...over,
    }, "t.json"),
  );
  return grid.runs[0].config;
}

Deno.test("a run records the curve, evaluations, probes at init/middle/end and timings", async () => {
  await initBackend(backend, { warn: () => {} });
  const c = await config({});
  const out = await trainRun(c);
  assertEquals(out.status, "ok");
  assertEquals(out.curve.map((p) => p.step), [1, 2, 3, 4, 5, 6]);
  assert(out.curve[2].test_loss !== undefined && out.curve[5].test_loss !== undefined);
  assertEquals(out.probes.map((p) => p.step), [0, 3, 6]);
  for (const p of out.probes) {
    assertEquals(p.norms.length, 8);
    assert(p.norms.every((n) => n > 0));
  }
  assertEquals(out.timing.steps_done, 6);
  assertGreater(out.timing.median_step_ms ?? 0, 0);
  assertEquals(out.metrics.baseline_loss, 1 / 6);
});

Deno.test("the same config, seed and backend give identical metrics on a rerun", async () => {
  await initBackend(backend, { warn: () => {} });
  for (const cell of ["rnn_tanh", "gru+attn"]) {
    const c = await config({ cells: [cell], tasks: ["copy"], lengths: [4], symbols: 3 });
    const a = await trainRun(c), b = await trainRun(c);
    assertEquals(a.metrics, b.metrics, cell);
    assertEquals(a.curve, b.curve, cell);
    assertEquals(a.probes, b.probes, cell);
  }
  const other = await trainRun(await config({ seeds: [2] }));
  const first = await trainRun(await config({}));
  assert(
    other.metrics.test_loss !== first.metrics.test_loss,
    "a different seed gives a different run",
  );
});

Deno.test("a huge learning rate is recorded as diverged at the step it happened", async () => {
  await initBackend(backend, { warn: () => {} });
  const c = await config({
    cells: ["rnn_relu"],
    lengths: [30],
    steps: 40,
    evalEvery: 5,
    clipNorm: null,
    optimizer: { lr: 1e30 },
  });
  const out = await trainRun(c);
  assertEquals(out.status, "diverged");
  assert(out.status_detail !== null && out.status_detail.step !== null);
  assert(out.status_detail.step >= 1 && out.status_detail.step <= 40);
  assertMatch(out.status_detail.reason, /loss|gradient/);
  assertEquals(out.metrics.solved, false);
});

Deno.test("an interrupt abandons the run instead of recording it half-done", async () => {
  await initBackend(backend, { warn: () => {} });
  let steps = 0;
  let threw = false;
  try {
    await trainRun(await config({ steps: 50 }), {
      onStep: () => steps++,
      shouldStop: () => steps >= 3,
    });
  } catch (e) {
    threw = e instanceof RunInterrupted;
  }
  assert(threw);
  assertEquals(steps, 3);
});

Deno.test("stopWhenSolved ends a solved run patience evaluations after the solving one", async () => {
  await initBackend(backend, { warn: () => {} });
  // An MSE ≤ 10 passes at every evaluation: solved at 3, confirmed at 6, ended at 9.
  const c = await config({
    tasks: ["adding"],
    steps: 30,
    solved: { mse: 10 },
    stopWhenSolved: { patience: 2 },
  });
  const out = await trainRun(c);
  assertEquals(out.status, "ok");
  assertEquals(out.metrics.steps_to_solve, 3);
  assertEquals(out.stopped_early, true);
  assertEquals(out.end_step, 9);
  assertEquals(out.curve.at(-1)!.step, 9);
  assertEquals(out.probes.map((p) => p.step), [0, 9], "the end probe runs where it stopped");
  // Unreachable thresholds: never solved, the whole budget is trained.
  const never = await trainRun(
    await config({
      tasks: ["adding"],
      steps: 9,
      solved: { mse: 1e-12 },
      stopWhenSolved: { patience: 1 },
    }),
  );
  assertEquals(never.metrics.steps_to_solve, null);
  assertEquals(never.stopped_early, false);
  assertEquals(never.end_step, 9);
});

Deno.test("curveStride: every step up to CURVE_POINTS steps, then about CURVE_POINTS points", () => {
  assertEquals(curveStride(6), 1);
  assertEquals(curveStride(CURVE_POINTS), 1);
  assertEquals(curveStride(CURVE_POINTS + 1), 2);
  assertEquals(curveStride(40_000), 80);
});

Deno.test("a long run's curve holds window means, with a point at every evaluation", async () => {
  await initBackend(backend, { warn: () => {} });
  const steps = 2 * CURVE_POINTS + 10; // stride 3
  const c = await config({ steps, evalEvery: 100, probeAt: ["end"] });
  const out = await trainRun(c);
  assertEquals(out.status, "ok");
  const at = out.curve.map((p) => p.step);
  for (let s = 100; s <= steps; s += 100) assert(at.includes(s), `no point at evaluation ${s}`);
  assertEquals(at[at.length - 1], steps);
  assert(out.curve.length <= CURVE_POINTS + steps / 100 + 1, `${out.curve.length} points`);
  assert(at.every((s, i) => i === 0 || s > at[i - 1]), "steps increase");
  assert(at.filter((s) => s % 3 === 0).length >= Math.floor(steps / 3) - 1);
  for (const p of out.curve) assert(Number.isFinite(p.train_loss));
  // The evaluation points carry the test metrics.
  assert(out.curve.filter((p) => p.test_loss !== undefined).length === Math.floor(steps / 100) + 1);
});

/** A record's results: all but timing (wall clock) and resumed_from (how it was trained). */
function results(o: RunOutcome) {
  const { timing: _t, resumed_from: _r, ...rest } = o;
  return JSON.parse(JSON.stringify({ ...rest, steps_done: o.timing.steps_done }));
}

Deno.test("a run resumed from any of its checkpoints ends with the uninterrupted run's results", async () => {
  await initBackend(backend, { warn: () => {} });
  const dir = await Deno.makeTempDir();
  const id = { config_hash: "h", code_version: "v", engine: "e" };
  for (
    const over of [
      { steps: 12, evalEvery: 3, probeAt: ["init", 5, "end"] },
      { cells: ["gru+attn"], tasks: ["copy"], lengths: [4], symbols: 3, steps: 10, evalEvery: 4 },
      // solved at 3, confirmed at 6, stops at 9: checkpoints inside the solve rule's window
      { tasks: ["adding"], steps: 30, solved: { mse: 10 }, stopWhenSolved: { patience: 2 } },
      // a curve of window means (stride 2): checkpoints inside a window
      { steps: 1005, evalEvery: 500, hidden: 4, batch: 4, testSize: 4 },
      // a mapped weight (W_h = expm(A − Aᵀ)), RMSprop and a parameter group with its own rate
      {
        cells: ["exprnn"],
        steps: 8,
        optimizer: { name: "rmsprop", lr: 1e-3, groups: [{ params: ["A"], lr: 1e-4 }] },
      },
    ]
  ) {
    const c = await config(over);
    const plain = await trainRun(c);
    const paths: string[] = [];
    const every = c.steps > 100 ? 333 : 2;
    const saved = await trainRun(c, {}, {
      every,
      save: async (snap) => {
        const p = `${dir}/${paths.length}.ckpt`;
        await writeCheckpoint(p, { ...id, steps: c.steps }, snap);
        paths.push(p);
      },
    });
    assertEquals(results(saved), results(plain), "checkpoints change nothing");
    assertGreater(paths.length, 1);
    for (const p of paths) {
      const read = await readCheckpoint(p, id);
      assert(read?.ok);
      const r = await trainRun(c, {}, { resume: read.snapshot });
      assertEquals(results(r), results(plain), `resumed from step ${read.meta.step}`);
      assertEquals(r.resumed_from, [read.meta.step]);
    }
  }
});

Deno.test("a suspended run saves a checkpoint at the next step boundary and is not recorded", async () => {
  await initBackend(backend, { warn: () => {} });
  const c = await config({ steps: 20 });
  let steps = 0;
  const snaps: RunSnapshot[] = [];
  let thrown: unknown;
  try {
    await trainRun(c, { onStep: () => steps++, shouldSuspend: () => steps >= 7 }, {
      save: (s) => Promise.resolve(void snaps.push(structuredClone(s))),
    });
  } catch (e) {
    thrown = e;
  }
  assert(thrown instanceof RunSuspended);
  assertEquals(thrown.step, 7);
  assertEquals(snaps.map((s) => s.run.step), [7]);
  const r = await trainRun(c, {}, { resume: snaps[0] });
  assertEquals(results(r), results(await trainRun(c)));
});
