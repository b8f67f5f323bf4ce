import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { budgetRuleText, budgetSteps, chainHorizon, ladder, nextLength } from "./search.ts";
import { expandGrid, loadSuite, SuiteError, validateSuite } from "./suite.ts";
import { CELL_NAMES } from "../engine/model.ts";

const SEARCH = {
  from: 10,
  factor: 2,
  to: 80,
  steps: { perT: 10, min: 200, max: 500 },
};

Deno.test("a ladder climbs ×factor from its first length while at most its last", () => {
  assertEquals(ladder({ from: 50, factor: 2, to: 1600 }), [50, 100, 200, 400, 800, 1600]);
  assertEquals(ladder({ from: 50, factor: 2, to: 1000 }), [50, 100, 200, 400, 800]);
  assertEquals(ladder({ from: 10, factor: 1.5, to: 40 }), [10, 15, 23, 34]);
});

Deno.test("the budget rule: K·T steps rounded up, at least the floor, at most the cap", () => {
  const rule = { perT: 20, min: 4000, max: 40000 };
  assertEquals([50, 200, 400, 1600, 4000].map((T) => budgetSteps(rule, T)), [
    4000,
    4000,
    8000,
    32000,
    40000,
  ]);
  assertEquals(budgetSteps({ perT: 2.5, min: 1, max: 100 }, 3), 8);
  assertEquals(budgetRuleText(rule), "20·T steps, at least 4000, at most 40000");
  assertEquals(budgetRuleText({ perT: 0, min: 300, max: 300 }), "300 steps");
});

Deno.test("a chain climbs to its first failure, then bisects between the last solved and it", () => {
  const L = [50, 100, 200, 400];
  const walk = (solvedUpTo: number, bisect: number) => {
    const known = new Map<number, boolean>();
    const order: number[] = [];
    for (let T = nextLength(L, bisect, (t) => known.get(t)); T !== null;) {
      order.push(T);
      known.set(T, T <= solvedUpTo);
      T = nextLength(L, bisect, (t) => known.get(t));
    }
    return order;
  };
  assertEquals(walk(120, 0), [50, 100, 200]);
  assertEquals(walk(120, 2), [50, 100, 200, 150, 125]);
  assertEquals(walk(1000, 2), [50, 100, 200, 400], "the top solved: nothing to bisect");
  assertEquals(walk(10, 3), [50], "no solved rung: no bisection");
  // Bisection stops when the interval has no whole number inside.
  assertEquals(walk(2, 5).length, 1);
  assertEquals(nextLength([2, 3], 4, (t) => t === 2), null);
  assertEquals(chainHorizon([{ T: 50, solved: true }, { T: 100, solved: false }]), {
    horizon: 50,
    capped: false,
    failedAbove: 100,
  });
  assertEquals(chainHorizon([{ T: 50, solved: true }]).capped, true);
  assertEquals(chainHorizon([{ T: 50, solved: false }]), {
    horizon: 0,
    capped: false,
    failedAbove: 50,
  });
});

Deno.test("a search suite expands to chains of ordinary runs, their steps from the budget rule", async () => {
  const suite = validateSuite({
    name: "s",
    cells: ["rnn_tanh", "lstm"],
    seeds: [1, 2],
    hidden: 8,
    batch: 8,
    evalEvery: 50,
    testSize: 16,
    search: { ...SEARCH, bisect: 1 },
  }, "s.json");
  const grid = await expandGrid(suite);
  assertEquals(grid.chains!.length, 4);
  assertEquals(grid.runs.length, 16);
  const c = grid.chains![0];
  assertEquals(c.label, "adding rnn_tanh seed=1");
  assertEquals(c.ladder.map((r) => [r.config.T, r.config.steps]), [
    [10, 200],
    [20, 200],
    [40, 400],
    [80, 500],
  ]);
  assertEquals(c.ladder.map((r) => r.config.probeAt), [[0, 100, 200], [0, 100, 200], [
    0,
    200,
    400,
  ], [0, 250, 500]]);
  assertEquals(c.budget, "10·T steps, at least 200, at most 500");
  // A bisection rung is an ordinary run of the same settings.
  const mid = await c.rung(30);
  assertEquals([mid.config.T, mid.config.steps, mid.config.cell], [30, 300, "rnn_tanh"]);
  const same = await expandGrid(
    validateSuite({
      name: "s",
      cells: ["rnn_tanh"],
      seeds: [1],
      lengths: [30],
      steps: 300,
      hidden: 8,
      batch: 8,
      evalEvery: 50,
      testSize: 16,
    }, "g.json"),
  );
  assertEquals(mid.hash, same.runs[0].hash, "a rung's config hashes as the grid's run would");
  // Same suite, same identity; another bisection count is another search.
  assertEquals((await expandGrid(suite)).gridHash, grid.gridHash);
  const other = validateSuite({
    name: "s",
    cells: ["rnn_tanh", "lstm"],
    seeds: [1, 2],
    hidden: 8,
    batch: 8,
    evalEvery: 50,
    testSize: 16,
    search: { ...SEARCH, bisect: 0 },
  }, "s.json");
  assert((await expandGrid(other)).gridHash !== grid.gridHash);
  // Overrides: --lengths replaces the ladder, --steps every rung's budget.
  const ov = await expandGrid(suite, { lengths: [40, 20], steps: 100, cells: ["lstm"] });
  assertEquals(ov.chains![0].ladder.map((r) => [r.config.T, r.config.steps]), [[20, 100], [
    40,
    100,
  ]]);
});

Deno.test("a grid suite keeps its hashes and has no chains; a mixed suite makes plain runs one-rung chains", async () => {
  const base = { name: "m", cells: ["lstm"], hidden: 8, batch: 8, evalEvery: 50, testSize: 16 };
  const grid = await expandGrid(validateSuite({ ...base, lengths: [10, 20], steps: 100 }, "g"));
  assertEquals(grid.chains, undefined);
  const mixed = await expandGrid(validateSuite({
    ...base,
    experiments: [
      { lengths: [10, 20], steps: 100 },
      { tasks: ["copy"], symbols: 3, search: SEARCH },
    ],
  }, "m"));
  assertEquals(mixed.chains!.map((c) => c.ladder.length), [1, 1, 4]);
  assertEquals(mixed.runs.slice(0, 2).map((r) => r.hash), grid.runs.map((r) => r.hash));
});

Deno.test("search fields are validated with one line naming the field", () => {
  for (
    const [s, extra, field] of [
      [{ ...SEARCH, factor: 1 }, {}, "search.factor"],
      [{ ...SEARCH, factor: 1.01 }, {}, "search.factor"],
      [{ ...SEARCH, from: 10, factor: 1.1, to: 1e9 }, {}, "more than 64 rungs"],
      [{ ...SEARCH, to: 5 }, {}, "search.to"],
      [{ ...SEARCH, steps: { perT: 10, min: 600, max: 500 } }, {}, "search.steps"],
      [{ ...SEARCH, steps: 100 }, {}, "search.steps"],
      [{ ...SEARCH, bisect: -1 }, {}, "search.bisect"],
      [{ ...SEARCH, lengths: [10, 20] }, {}, "'search'"],
      [{ lengths: [20, 10], steps: SEARCH.steps }, {}, "search.lengths"],
      [{ ...SEARCH, ladder: 2 }, {}, "search.ladder"],
      [SEARCH, { lengths: [10] }, "'lengths'"],
      [SEARCH, { steps: 10 }, "'steps'"],
    ] as const
  ) {
    const e = assertThrows(
      () => validateSuite({ name: "b", search: s, ...extra }, "b.json"),
      SuiteError,
    );
    assert(e.message.startsWith("b.json: ") && e.message.includes(field), `${field}: ${e.message}`);
  }
  // An experiment under a top-level search that states lengths must say it is a grid.
  assertThrows(
    () => validateSuite({ name: "b", search: SEARCH, experiments: [{ lengths: [10] }] }, "b"),
    SuiteError,
    "experiments[0].lengths",
  );
  validateSuite({ name: "b", search: SEARCH, experiments: [{ search: null, lengths: [10] }] }, "b");
});

Deno.test("the horizon suite searches every registry cell on the adding problem past T = 1000", async () => {
  const grid = await expandGrid(await loadSuite("horizon"));
  const chains = grid.chains!;
  const cells = new Set(chains.map((c) => c.ladder[0].config.cell));
  for (const c of CELL_NAMES) assert(cells.has(c), `horizon lacks ${c}`);
  assert(grid.runs.every((r) => r.config.task === "adding"));
  for (const c of chains) {
    const top = c.ladder.at(-1)!.config;
    assert(top.T > 1000, `${c.label} stops at ${top.T}`);
    assert(c.ladder.every((r, i) => i === 0 || r.config.steps >= c.ladder[i - 1].config.steps));
    assert(c.ladder.every((r) => r.config.stopWhenSolved), "stops when solved");
  }
});
