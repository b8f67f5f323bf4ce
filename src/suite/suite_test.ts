import {
  assert,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "../testing/assert.ts";
import {
  BUILTIN_SUITES,
  expandGrid,
  loadSuite,
  resolveProbeSteps,
  SuiteError,
  validateSuite,
} from "./suite.ts";

import { CELL_NAMES } from "../engine/model.ts";
Deno.test("the quick suite expands to its calibrated grid: 9 cells, both tasks, two lengths each", async () => {
  const grid = await expandGrid(await loadSuite("quick"));
  const cells = new Set(grid.runs.map((r) => r.config.cell));
  for (
    const c of [
      "rnn_tanh",
      "rnn_relu",
      "irnn",
      "indrnn",
      "lstm",
      "gru",
      "mingru",
      "rnn_tanh+attn",
      "lstm+attn",
    ]
  ) {
    assert(cells.has(c), c);
  }
  const tasks = new Set(grid.runs.map((r) => r.config.task));
  assertEquals([...tasks].sort(), ["adding", "copy"]);
  for (const task of tasks) {
    const lengths = new Set(grid.runs.filter((r) => r.config.task === task).map((r) => r.config.T));
    assertEquals(lengths.size, 2);
  }
  // Adding with 2 seeds (the lesson must hold in both), copy with 1 (docs/suites.md).
  assertEquals(grid.runs.length, 9 * 2 * 2 + 9 * 2);
  assertEquals(new Set(grid.runs.map((r) => r.hash)).size, grid.runs.length);
  assert(grid.runs.every((r) => r.config.stopWhenSolved?.patience === 1), "stops when solved");
});

Deno.test("the tour suite: every registry cell, stacked where the literature stacks, 4 lengths × 3 seeds on both tasks", async () => {
  const grid = await expandGrid(await loadSuite("tour"));
  const cells = new Set(grid.runs.map((r) => r.config.cell));
  for (const c of CELL_NAMES) assert(cells.has(c), `tour lacks ${c}`);
  const stacked = new Set(
    grid.runs.filter((r) => (r.config.layers ?? 1) === 2).map((r) => r.config.cell),
  );
  assertEquals([...stacked].sort(), ["indrnn", "lstm", "mingru"]);
  for (const task of ["adding", "copy"]) {
    const rs = grid.runs.filter((r) => r.config.task === task);
    assert(new Set(rs.map((r) => r.config.T)).size >= 4, `${task}: 4 lengths`);
    assertEquals(new Set(rs.map((r) => r.config.seed)).size, 3, `${task}: 3 seeds`);
  }
  // Per-length budgets: the longest adding length gets the most steps.
  const budget = (T: number) =>
    Math.max(
      ...grid.runs.filter((r) => r.config.task === "adding" && r.config.T === T)
        .map((r) => r.config.steps),
    );
  assert(budget(200) > budget(50));
  assert(grid.runs.every((r) => r.config.stopWhenSolved?.patience === 1), "stops when solved");
});

Deno.test("every built-in suite validates and expands; standard and paper are big", async () => {
  for (const name of BUILTIN_SUITES) {
    const grid = await expandGrid(await loadSuite(name));
    assert(grid.runs.length > 0, name);
  }
  const standard = await expandGrid(await loadSuite("standard"));
  assertEquals(Math.max(...standard.runs.map((r) => r.config.T)), 1000);
  assertEquals(new Set(standard.runs.map((r) => r.config.seed)).size, 3);
  // Per-length budgets (docs/suites.md): each longer adding length gets more steps.
  const addingBudget = (T: number) =>
    standard.runs.find((r) => r.config.task === "adding" && r.config.T === T)!.config.steps;
  const lengths = [50, 100, 200, 500, 1000];
  for (let i = 1; i < lengths.length; i++) {
    assert(addingBudget(lengths[i]) > addingBudget(lengths[i - 1]), `budget at T=${lengths[i]}`);
  }
  assert(standard.runs.every((r) => r.config.stopWhenSolved?.patience === 2));
  const paper = await loadSuite("paper");
  const pg = await expandGrid(paper);
  assert(pg.runs.some((r) => r.config.task === "adding" && r.config.T === 600));
  assert(pg.runs.some((r) => r.config.task === "copy" && r.config.T === 1000));
  for (const T of [100, 500, 1000]) {
    assert(pg.runs.some((r) => r.config.cell === "indrnn" && r.config.T === T), `indrnn T=${T}`);
  }
  assert(
    pg.runs.every((r) => r.source && r.source.length > 20),
    "every paper setting cites its source",
  );
  assert(paper.references.length >= 6);
});

Deno.test("config hashes are stable, and change with any setting", async () => {
  const suite = await loadSuite("quick");
  const a = await expandGrid(suite, { steps: 5, evalEvery: 5 });
  const b = await expandGrid(suite, { steps: 5, evalEvery: 5 });
  assertEquals(a.runs.map((r) => r.hash), b.runs.map((r) => r.hash));
  assertEquals(a.gridHash, b.gridHash);
  const c = await expandGrid(suite, { steps: 6, evalEvery: 5 });
  assertNotEquals(a.runs[0].hash, c.runs[0].hash);
  assertNotEquals(a.gridHash, c.gridHash);
  // pinned: the canonical hash of a fixed config must not drift silently between versions
  const one = await expandGrid(
    validateSuite(
      { name: "pin", cells: ["lstm"], lengths: [10], seeds: [3], steps: 7, evalEvery: 7 },
      "pin.json",
    ),
  );
  assertEquals(one.runs.length, 1);
  assertEquals(one.runs[0].hash.length, 64);
  // the hash this config has had since before layers and stopWhenSolved existed
  assertEquals(
    one.runs[0].hash,
    "cec9a8cabeebbf3e5d11508209386c92164dd6d7ebfed141f57b4ad6525f6afc",
  );
  assertEquals(
    one.runs[0].hash,
    (await expandGrid(
      validateSuite(
        { name: "pin", cells: ["lstm"], lengths: [10], seeds: [3], steps: 7, evalEvery: 7 },
        "x.json",
      ),
    )).runs[0].hash,
  );
});

Deno.test("overrides replace fields in every experiment", async () => {
  const grid = await expandGrid(await loadSuite("paper"), {
    cells: ["lstm"],
    lengths: [30],
    steps: 3,
    evalEvery: 3,
    seeds: [1, 2],
  });
  assert(
    grid.runs.every((r) => r.config.cell === "lstm" && r.config.T === 30 && r.config.steps === 3),
  );
  assertEquals(new Set(grid.runs.map((r) => r.config.seed)).size, 2);
});

Deno.test("--task keeps each experiment's own lengths for that task", async () => {
  const grid = await expandGrid(await loadSuite("quick"), { tasks: ["adding"] });
  assertEquals([...new Set(grid.runs.map((r) => r.config.task))], ["adding"]);
  assertEquals([...new Set(grid.runs.map((r) => r.config.T))].sort((a, b) => a - b), [20, 50]);
  await assertRejects(
    () =>
      expandGrid(validateSuite({ tasks: ["copy"], lengths: [5] }, "c.json"), { tasks: ["adding"] }),
    SuiteError,
    "no runs left",
  );
});

Deno.test("an rmsprop optimizer with a parameter group reaches the run configs", async () => {
  const suite = validateSuite({
    cells: ["exprnn"],
    optimizer: { name: "rmsprop", lr: 2e-4, groups: [{ params: ["A"], lr: 2e-5 }] },
  }, "r.json");
  const [run] = (await expandGrid(suite)).runs;
  assertEquals(run.config.optimizer.name, "rmsprop");
  assertEquals(run.config.optimizer.rho, 0.99);
  assertEquals(run.config.optimizer.groups, [{ params: ["A"], lr: 2e-5 }]);
  const adam = (await expandGrid(validateSuite({ cells: ["exprnn"] }, "a.json"))).runs[0];
  assertEquals("rho" in adam.config.optimizer || "groups" in adam.config.optimizer, false);
});

Deno.test("probe checkpoints resolve init, middle and end", () => {
  assertEquals(resolveProbeSteps(["init", "middle", "end"], 100), [0, 50, 100]);
  assertEquals(resolveProbeSteps([0, 500, "end"], 100), [0, 100]);
});

Deno.test("bad suite files are refused with a message naming the field", () => {
  const cases: [unknown, string][] = [
    [{ cells: ["lstm", "transformer"] }, 'unknown cell "transformer"'],
    [{ lengths: [0] }, "'lengths' must be a non-empty list of whole numbers ≥ 1"],
    [{ lengths: "50" }, "'lengths'"],
    [{ steps: 1.5 }, "'steps' must be a whole number"],
    [{ tasks: ["sorting"] }, "'tasks'"],
    [{ optimizer: { lr: -1 } }, "'optimizer.lr'"],
    [{ optimizer: { name: "sgd" } }, "'optimizer.name' must be one of 'adam', 'rmsprop'"],
    [{ optimizer: { rho: 0.9 } }, "'optimizer.rho' is an rmsprop setting"],
    [{ optimizer: { name: "rmsprop", groups: [{ params: [], lr: 1 }] } }, "groups[0].params"],
    [{ experiments: [{ hidden: "big" }] }, "'experiments[0].hidden'"],
    [{ colour: "blue" }, "'colour' is not a suite field"],
    [[1, 2], "must be a JSON object"],
  ];
  for (const [json, msg] of cases) {
    const e = assertThrows(() => validateSuite(json, "bad.json"), SuiteError);
    assert(e.message.includes(msg), `${JSON.stringify(json)} → ${e.message}`);
    assert(e.message.startsWith("bad.json:"), e.message);
  }
});

Deno.test("an adding run with T < 2 is refused at expansion", async () => {
  await assertRejects(
    () => expandGrid(validateSuite({ tasks: ["adding"], lengths: [1] }, "t.json")),
    SuiteError,
    "T ≥ 2",
  );
});

Deno.test("a missing suite names the built-in ones", async () => {
  await assertRejects(
    () => loadSuite("nonexistent-suite"),
    SuiteError,
    "built-in: quick, tour, standard, paper",
  );
});

Deno.test("layers: 1–8 per suite or experiment, in the config (and its hash) only when ≠ 1", async () => {
  const base = { name: "l", cells: ["indrnn"], lengths: [10], steps: 7, evalEvery: 7 };
  const one = await expandGrid(validateSuite(base, "l.json"));
  assertEquals(one.runs[0].config.layers, undefined, "one layer keeps the old config and hash");
  const explicitOne = await expandGrid(validateSuite({ ...base, layers: 1 }, "l.json"));
  assertEquals(explicitOne.runs[0].hash, one.runs[0].hash);
  const two = await expandGrid(
    validateSuite({ ...base, experiments: [{}, { layers: 2 }] }, "l.json"),
  );
  assertEquals(two.runs.map((r) => r.config.layers), [undefined, 2]);
  assertNotEquals(two.runs[0].hash, two.runs[1].hash);
  const over = await expandGrid(validateSuite(base, "l.json"), { layers: 3 });
  assertEquals(over.runs[0].config.layers, 3);
  for (const bad of [0, 9, 1.5, "2"]) {
    const e = assertThrows(() => validateSuite({ ...base, layers: bad }, "l.json"), SuiteError);
    assert(e.message.includes("'layers' must be a whole number from 1 to 8"), e.message);
  }
});

Deno.test("per-experiment step budgets: one experiment per length group", async () => {
  const grid = await expandGrid(validateSuite({
    name: "budgets",
    cells: ["lstm"],
    evalEvery: 50,
    probeAt: ["init", "end"],
    experiments: [
      { lengths: [50, 100], steps: 500 },
      { lengths: [500], steps: 2000, evalEvery: 100 },
    ],
  }, "b.json"));
  const by = Object.fromEntries(grid.runs.map((r) => [r.config.T, r.config]));
  assertEquals([by[50].steps, by[100].steps, by[500].steps], [500, 500, 2000]);
  assertEquals(by[500].evalEvery, 100);
  assertEquals(by[100].probeAt, [0, 500], "'end' resolves against each experiment's budget");
  assertEquals(by[500].probeAt, [0, 2000]);
});

Deno.test("stopWhenSolved: carried into the config, and refused without stated thresholds", async () => {
  const base = { name: "s", cells: ["lstm"], lengths: [10], steps: 20, evalEvery: 5 };
  const grid = await expandGrid(validateSuite({
    ...base,
    tasks: ["adding", "copy"],
    solved: { mse: 0.02, accuracy: 0.95 },
    stopWhenSolved: { patience: 2 },
  }, "s.json"));
  assert(grid.runs.every((r) => r.config.stopWhenSolved?.patience === 2));
  assertEquals(grid.runs[0].config.solved, { mse: 0.02, accuracy: 0.95 });
  const plain = await expandGrid(validateSuite(base, "s.json"));
  assertEquals("stopWhenSolved" in plain.runs[0].config, false, "absent: the old hash holds");
  // an experiment may state its own threshold
  validateSuite({
    ...base,
    experiments: [{ tasks: ["copy"], solved: { accuracy: 0.9 }, stopWhenSolved: { patience: 1 } }],
  }, "s.json");
  const cases: [unknown, string][] = [
    [{ ...base, stopWhenSolved: { patience: 2 } }, "'stopWhenSolved' needs the thresholds"],
    [
      {
        ...base,
        tasks: ["adding", "copy"],
        solved: { mse: 0.01 },
        stopWhenSolved: { patience: 1 },
      },
      "'solved.accuracy' (copy)",
    ],
    [
      { ...base, experiments: [{ stopWhenSolved: { patience: 1 } }] },
      "'experiments[0].stopWhenSolved' needs the thresholds",
    ],
    [{ ...base, solved: { mse: 0.1 }, stopWhenSolved: { patience: 0 } }, "'stopWhenSolved' must"],
    [{ ...base, solved: { mse: 0.1 }, stopWhenSolved: 2 }, "'stopWhenSolved' must"],
    [{ ...base, solved: { mse: 0.1 }, stopWhenSolved: { wait: 2 } }, "'stopWhenSolved' must"],
  ];
  for (const [json, msg] of cases) {
    const e = assertThrows(() => validateSuite(json, "s.json"), SuiteError);
    assert(e.message.includes(msg), `${JSON.stringify(json)} → ${e.message}`);
  }
});

Deno.test("a step budget below the evaluation interval is refused", async () => {
  const suite = validateSuite(
    { name: "e", cells: ["lstm"], lengths: [10], steps: 100, evalEvery: 50 },
    "e.json",
  );
  await assertRejects(
    () => expandGrid(suite, { steps: 20 }),
    SuiteError,
    "step budget of 20 is below the evaluation interval (evalEvery 50)",
  );
  await assertRejects(
    () => expandGrid(validateSuite({ steps: 10, evalEvery: 11 }, "e.json")),
    SuiteError,
    "below the evaluation interval",
  );
  assertEquals((await expandGrid(suite, { steps: 50 })).runs[0].config.evalEvery, 50);
});

Deno.test("sizes whose tensors cannot fit in memory are refused before any work", async () => {
  const suite = validateSuite({ name: "m", cells: ["lstm"], lengths: [50] }, "m.json");
  const e = await assertRejects(
    () => expandGrid(suite, { hidden: 100_000_000 }),
    SuiteError,
    "hidden 100000000",
  );
  assert(e.message.includes("parameters with gradients and Adam state"), e.message);
  assert(e.message.includes("more than the 16.0 GiB a run may use"), e.message);
  await assertRejects(
    () => expandGrid(suite, { batch: 1_000_000, lengths: [10_000] }),
    SuiteError,
    "a training step's activations",
  );
  // the built-in suites fit
  for (const name of BUILTIN_SUITES) await expandGrid(await loadSuite(name));
});
