import { assertAlmostEquals, assertEquals, assertMatch } from "../testing/assert.ts";
import { expandGrid, validateSuite } from "../suite/suite.ts";
import { runSeconds } from "./plan.ts";
import { formatSearchPlan, planChains } from "./plan_search.ts";
import { measuredPricing } from "./pace.ts";
import { sampleRecord } from "../results/_sample.ts";

const grid = await expandGrid(validateSuite({
  name: "p",
  cells: ["lstm", "rnn_tanh"],
  hidden: 8,
  batch: 8,
  evalEvery: 10,
  testSize: 16,
  search: { lengths: [10, 20, 40, 80], steps: { perT: 10, min: 100, max: 1000 }, bisect: 2 },
}, "p.json"));
const [lstm, tanh] = grid.chains!;
const sec = (T: number) => runSeconds(lstm.ladder.find((r) => r.config.T === T)!);

Deno.test("a search's dry run: at most the rest of the ladder plus bisection, at least the next rung", async () => {
  // lstm solved 10 and failed 20: it bisects (15, then 12 or 17), priced at T = 20's budget.
  const outcome = new Map([[lstm.ladder[0].hash, true], [lstm.ladder[1].hash, false]]);
  const plan = await planChains(grid, grid.chains!, (h) => outcome.get(h));
  const [p, q] = plan.chains;
  assertEquals(p.state.next?.config.T, 15);
  assertAlmostEquals(p.mostSeconds, 2 * sec(20), 1e-9);
  assertAlmostEquals(p.leastSeconds, runSeconds(p.state.next!), 1e-9);
  // tanh not started: the whole ladder plus two bisection rungs at the top's budget.
  const top = runSeconds(tanh.ladder[3]);
  assertAlmostEquals(
    q.mostSeconds,
    tanh.ladder.reduce((a, r) => a + runSeconds(r), 0) + 2 * top,
    1e-9,
  );
  assertAlmostEquals(plan.mostSeconds, p.mostSeconds + q.mostSeconds, 1e-9);
  // Split by chain over 2 shards, the larger chain's worst case decides.
  assertAlmostEquals(
    plan.perShard.find((s) => s.count === 2)!.seconds,
    Math.max(p.mostSeconds, q.mostSeconds),
    1e-9,
  );
  const lines = formatSearchPlan(plan, { grid, shardText: "", file: "f.jsonl" });
  assertMatch(lines[0], /2 of 2 chains; 0 finished, 2 to continue/);
  assertMatch(
    lines[1],
    /adding lstm seed=1 .* next T=15 \(150 steps\); horizon so far 10 \(10✓ 20✗\)/,
  );
  // --force: nothing counts as known.
  const forced = await planChains(grid, grid.chains!, (h) => outcome.get(h), { force: true });
  assertEquals(forced.chains[0].state.next?.config.T, 10);
});

Deno.test("a search's dry run names a next rung in flight and counts only its steps left", async () => {
  const outcome = new Map([[lstm.ladder[0].hash, true]]);
  const next = lstm.ladder[1];
  const asked: string[] = [];
  const plan = await planChains(grid, grid.chains!, (h) => outcome.get(h), {
    inFlight: (runs) => {
      asked.push(...runs.map((r) => r.hash));
      return Promise.resolve(
        new Map([[next.hash, { step: 50, holder: { pid: 7, host: "h", started: "" } }]]),
      );
    },
  });
  // Asked once, for each chain's next rung only.
  assertEquals(asked, [next.hash, tanh.ladder[0].hash]);
  const p = plan.chains[0];
  assertAlmostEquals(p.leastSeconds, runSeconds(next) * (1 - 50 / next.config.steps), 1e-9);
  const lines = formatSearchPlan(plan, { grid, shardText: "", file: "f.jsonl" });
  assertMatch(
    lines[1],
    /next T=20 \(200 steps, in flight: checkpoint at step 50, 150 steps left \(pid 7 on h\)\)/,
  );
  assertEquals(plan.chains[1].inFlight, undefined);
});

Deno.test("a search prices the rungs of a chain from the pace of its rungs already recorded", async () => {
  const first = lstm.ladder[0];
  const pricing = measuredPricing([sampleRecord({
    config: first.config,
    config_hash: first.hash,
    timing: {
      median_step_ms: null,
      total_s: 2 * runSeconds(first),
      steps_done: first.config.steps,
    },
  })]);
  const outcome = new Map([[first.hash, true]]);
  const plan = await planChains(grid, grid.chains!, (h) => outcome.get(h), { pricing });
  const [p, q] = plan.chains;
  // This machine took twice the cost model's time: every later lstm rung is priced at twice it.
  assertAlmostEquals(p.leastSeconds, 2 * runSeconds(lstm.ladder[1]), 1e-9);
  assertEquals([p.measured, q.measured], [true, false]);
  assertAlmostEquals(q.leastSeconds, runSeconds(tanh.ladder[0]), 1e-9);
  const lines = formatSearchPlan(plan, { grid, shardText: "", file: "f.jsonl" });
  assertMatch(lines[1], /\(measured pace\)$/);
  assertMatch(lines.join("\n"), /1 of 2 chains at the pace this folder measured/);
});
