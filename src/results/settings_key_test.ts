import { assertEquals } from "../testing/assert.ts";
import { expandGrid, resolveProbeSteps, validateSuite } from "../suite/mod.ts";
import { settingsKey } from "./settings_key.ts";

Deno.test("settingsKey ignores the length, budget, seed and backend, nothing else", async () => {
  const grid = await expandGrid(
    validateSuite(
      { name: "k", cells: ["gru"], lengths: [20], steps: 10, evalEvery: 5, probeAt: [0, 3] },
      "k.json",
    ),
  );
  const c = grid.runs[0].config;
  assertEquals(settingsKey({ ...c, T: 7, steps: 9, seed: 3, backend: "x" }), settingsKey(c));
  assertEquals(settingsKey({ ...c, hidden: c.hidden + 1 }) === settingsKey(c), false);
  assertEquals(settingsKey({ ...c, cell: "lstm" }) === settingsKey(c), false);
  assertEquals(settingsKey({ ...c, probeAt: [0, 4] }) === settingsKey(c), false);
});

Deno.test("settingsKey: the rungs of one search share a key, a bisection rung's too", async () => {
  const grid = await expandGrid(validateSuite({
    name: "k",
    cells: ["gru"],
    evalEvery: 10,
    probeAt: ["init", "middle", "end"],
    search: { from: 50, factor: 2, to: 400, steps: { perT: 20, min: 1000, max: 8000 } },
  }, "k.json"));
  const ladder = grid.chains![0].ladder;
  assertEquals(new Set(ladder.map((r) => r.config.steps)).size > 1, true, "budgets differ");
  const keys = new Set(ladder.map((r) => settingsKey(r.config)));
  assertEquals(keys.size, 1);
  // A bisection rung at T = 300 (6,000 steps) resolves its probes against its own budget.
  const c = ladder[0].config;
  const bisect = {
    ...c,
    T: 300,
    steps: 6000,
    probeAt: resolveProbeSteps(["init", "middle", "end"], 6000),
  };
  assertEquals(settingsKey(bisect), settingsKey(c));
});
