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

Deno.test("the quick suite expands to every base cell plus two attention cells, both tasks, two lengths", async () => {
  const grid = await expandGrid(await loadSuite("quick"));
  const cells = new Set(grid.runs.map((r) => r.config.cell));
  for (
    const c of [
      "rnn_tanh",
      "rnn_relu",
      "rnn_leaky",
      "irnn",
      "indrnn",
      "lstm",
      "gru",
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
  assertEquals(grid.runs.length, 9 * 2 * 2);
  assertEquals(new Set(grid.runs.map((r) => r.hash)).size, grid.runs.length);
});

Deno.test("every built-in suite validates and expands; standard and paper are big", async () => {
  for (const name of BUILTIN_SUITES) {
    const grid = await expandGrid(await loadSuite(name));
    assert(grid.runs.length > 0, name);
  }
  const standard = await expandGrid(await loadSuite("standard"));
  assertEquals(Math.max(...standard.runs.map((r) => r.config.T)), 1000);
  assertEquals(new Set(standard.runs.map((r) => r.config.seed)).size, 3);
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
  const a = await expandGrid(suite, { steps: 5 });
  const b = await expandGrid(suite, { steps: 5 });
  assertEquals(a.runs.map((r) => r.hash), b.runs.map((r) => r.hash));
  assertEquals(a.gridHash, b.gridHash);
  const c = await expandGrid(suite, { steps: 6 });
  assertNotEquals(a.runs[0].hash, c.runs[0].hash);
  assertNotEquals(a.gridHash, c.gridHash);
  // pinned: the canonical hash of a fixed config must not drift silently between versions
  const one = await expandGrid(
    validateSuite(
      { name: "pin", cells: ["lstm"], lengths: [10], seeds: [3], steps: 7 },
      "pin.json",
    ),
  );
  assertEquals(one.runs.length, 1);
  assertEquals(one.runs[0].hash.length, 64);
  assertEquals(
    one.runs[0].hash,
    (await expandGrid(
      validateSuite(
        { name: "pin", cells: ["lstm"], lengths: [10], seeds: [3], steps: 7 },
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
    "built-in: quick, standard, paper",
  );
});
