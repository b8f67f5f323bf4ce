import { assert, assertAlmostEquals, assertEquals, assertMatch } from "../testing/assert.ts";
import { partition } from "../suite/shard.ts";
import { expandGrid, validateSuite } from "../suite/suite.ts";
import { formatPlan, formatSeconds, planRemaining, runSeconds } from "./plan.ts";

const suite = validateSuite({
  name: "p",
  cells: ["rnn_tanh", "lstm"],
  lengths: [50, 100, 200],
  seeds: [1, 2],
  steps: 100,
  evalEvery: 50,
}, "p.json");

Deno.test("done runs are not remaining, and the estimate covers only what remains", async () => {
  const grid = await expandGrid(suite);
  const done = new Set(grid.runs.slice(0, 5).map((r) => r.hash));
  const plan = planRemaining(grid, grid.runs, done);
  assertEquals(plan.done.length, 5);
  assertEquals(plan.remaining.length, grid.runs.length - 5);
  const expected = grid.runs.slice(5).reduce((a, r) => a + runSeconds(r), 0);
  assertAlmostEquals(plan.remainingSeconds, expected, 1e-9);
  assertEquals(planRemaining(grid, grid.runs, done, { force: true }).remaining.length, 12);
  assertEquals(plan.upperBound, false);
});

Deno.test("per shard count: the shard with the most work left sets the time", async () => {
  const grid = await expandGrid(suite);
  const plan = planRemaining(grid, grid.runs, new Set());
  assertEquals(plan.perShard.map((p) => p.count), [1, 2, 4, 8, 16, 32, 64]);
  assertAlmostEquals(plan.perShard[0].seconds, plan.remainingSeconds, 1e-9);
  const four = Math.max(
    ...partition(grid.runs, 4).map((s) => s.reduce((a, r) => a + runSeconds(r), 0)),
  );
  assertAlmostEquals(plan.perShard[2].seconds, four, 1e-9);
  for (let i = 1; i < plan.perShard.length; i++) {
    assert(plan.perShard[i].seconds <= plan.perShard[i - 1].seconds, "more shards, less time");
  }
  // all done: nothing left whatever the shard count
  const all = planRemaining(grid, grid.runs, new Set(grid.runs.map((r) => r.hash)));
  assert(all.perShard.every((p) => p.seconds === 0));
});

Deno.test("the printed plan lists the remaining runs and says when times are upper bounds", async () => {
  const grid = await expandGrid(
    validateSuite({
      name: "q",
      cells: ["lstm"],
      lengths: [50],
      seeds: [1, 2],
      steps: 100,
      evalEvery: 50,
      solved: { mse: 0.01 },
      stopWhenSolved: { patience: 2 },
    }, "q.json"),
  );
  const plan = planRemaining(grid, grid.runs, new Set([grid.runs[0].hash]));
  const text = formatPlan(plan, { grid, shardText: "", file: "f.jsonl" }).join("\n");
  assertMatch(text, /2 of 2 runs; 1 done, 1 remaining \(results: f\.jsonl\)/);
  assertMatch(text, /adding lstm T=50 seed=2/);
  assertEquals(text.includes("seed=1"), false);
  assertMatch(text, /estimated remaining time: at most /);
  assertMatch(text, /upper bounds/);
  assertEquals(formatSeconds(30), "30 s");
  assertEquals(formatSeconds(600), "10 min");
  assertEquals(formatSeconds(7200), "2.0 h");
});

Deno.test("runs in flight count only the steps their checkpoint has left, and say so", async () => {
  const grid = await expandGrid(suite);
  const [a, b] = grid.runs;
  const inFlight = new Map([
    [a.hash, { step: 25, holder: null }],
    [b.hash, { step: 0, holder: { pid: 7, host: "node3", started: "2026-01-01T00:00:00Z" } }],
  ]);
  const plan = planRemaining(grid, grid.runs, new Set(), { inFlight });
  const whole = planRemaining(grid, grid.runs, new Set()).remainingSeconds;
  assertAlmostEquals(plan.remainingSeconds, whole - 0.25 * runSeconds(a), 1e-9);
  const lines = formatPlan(plan, { grid, shardText: "", file: "f.jsonl" });
  assertMatch(lines[0], /12 remaining \(2 in flight\)/);
  assertMatch(
    lines.find((l) => l.includes(a.hash.slice(0, 12)))!,
    /in flight: checkpoint at step 25, 75 steps left$/,
  );
  assertMatch(
    lines.find((l) => l.includes(b.hash.slice(0, 12)))!,
    /in flight: no checkpoint yet \(pid 7 on node3\)$/,
  );
});

Deno.test("runs priced at a measured pace say so, and the estimate says how many", async () => {
  const grid = await expandGrid(suite);
  const [a, b] = grid.runs;
  // A fake pricing: run a measured at 1000 s, the rest by the cost model.
  const pricing = {
    price: (r: typeof a) =>
      r === a ? { seconds: 1000, measured: true } : { seconds: runSeconds(r), measured: false },
  };
  const plan = planRemaining(grid, grid.runs, new Set(), { pricing });
  const model = planRemaining(grid, grid.runs, new Set());
  assertAlmostEquals(plan.remainingSeconds, model.remainingSeconds - runSeconds(a) + 1000, 1e-9);
  const lines = formatPlan(plan, { grid, shardText: "", file: "f.jsonl" });
  assertMatch(lines.find((l) => l.includes(a.hash.slice(0, 12)))!, /~17 min \(measured pace\)$/);
  assertEquals(lines.find((l) => l.includes(b.hash.slice(0, 12)))!.includes("measured"), false);
  assertMatch(
    lines.join("\n"),
    /estimated remaining time: .*, 1 of 12 runs at the pace this folder measured for their settings .*the rest by the cost model/,
  );
  assertMatch(
    formatPlan(model, { grid, shardText: "", file: "f" }).join("\n"),
    /by the cost model/,
  );
});
