import { assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import { sampleRecord } from "../results/_sample.ts";
import { appendResult, suiteRunFile } from "../results/store.ts";
import { expandGrid, runCost, validateSuite } from "../suite/suite.ts";
import { measuredPricing, MODEL_PRICING, readPricing, runSeconds } from "./pace.ts";

const grid = await expandGrid(validateSuite({
  name: "p",
  cells: ["gru", "lstm"],
  lengths: [50, 100],
  seeds: [1, 2],
  steps: 200,
  evalEvery: 50,
}, "p.json"));
const at = (cell: string, T: number, seed = 1) =>
  grid.runs.find((r) => r.config.cell === cell && r.config.T === T && r.config.seed === seed)!;

/** A record of `run` that took `seconds` over `steps` steps. */
const took = (run: ReturnType<typeof at>, seconds: number, steps = run.config.steps) =>
  sampleRecord({
    config: run.config,
    config_hash: run.hash,
    timing: { median_step_ms: null, total_s: seconds, steps_done: steps },
  });

Deno.test("a finished record prices runs of its settings at any length, seed or budget", () => {
  // GRU at T = 50 took 30 s for 100 of its 200 steps (stopped early): 30 s per that much work.
  const pricing = measuredPricing([took(at("gru", 50), 30, 100)]);
  const perUnit = 30 / runCost({ ...at("gru", 50).config, steps: 100 });
  for (const run of [at("gru", 50, 2), at("gru", 100), at("gru", 100, 2)]) {
    const p = pricing.price(run);
    assertEquals(p.measured, true);
    assertAlmostEquals(p.seconds, runCost(run.config) * perUnit, 1e-9);
  }
  assertAlmostEquals(pricing.price(at("gru", 100)).seconds, 120, 1e-9, "twice T, twice the steps");
  // Other settings (another cell) keep the cost model.
  assertEquals(pricing.price(at("lstm", 50)), {
    seconds: runSeconds(at("lstm", 50)),
    measured: false,
  });
});

Deno.test("a run in flight is priced by its own checkpoint's pace first", () => {
  const run = at("gru", 100);
  const pricing = measuredPricing([took(at("gru", 50), 30)]);
  const p = pricing.price(run, { step: 50, holder: null, elapsedS: 80 });
  assertEquals(p, { seconds: (80 / 50) * 200, measured: true });
  // A checkpoint that does not know its seconds, or a claim with no checkpoint yet, does not.
  assertEquals(pricing.price(run, { step: 50, holder: null }), pricing.price(run));
  assertEquals(pricing.price(run, { step: 0, holder: null, elapsedS: 3 }), pricing.price(run));
});

Deno.test("records without a measured time are no evidence", () => {
  const pricing = measuredPricing([took(at("gru", 50), 0), took(at("gru", 50), 5, 0)]);
  assertEquals(pricing.price(at("gru", 100)), MODEL_PRICING.price(at("gru", 100)));
});

Deno.test("readPricing reads a results file; a missing one leaves the cost model", async () => {
  const dir = await Deno.makeTempDir();
  const missing = await readPricing(`${dir}/none.jsonl`);
  assertEquals(missing.price(at("gru", 100)).measured, false);
  const rec = { ...took(at("gru", 50), 30), suite: grid.suite, grid_hash: grid.gridHash };
  const file = suiteRunFile(dir, grid.suite, grid.gridHash);
  await appendResult(file, rec);
  const read = await readPricing(file);
  assertEquals(read.price(at("gru", 100)), measuredPricing([rec]).price(at("gru", 100)));
  assertEquals(read.price(at("gru", 100)).measured, true);
});
