import { isCellName } from "../engine/mod.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import {
  ALL_BENCH_CELLS,
  benchCell,
  matchesFilter,
  parseBenchCell,
  parseStepName,
  PRESETS,
  probeName,
  speedCells,
  stepName,
  stepsFor,
} from "./grid.ts";

Deno.test("step and probe names read back", () => {
  assertEquals(parseStepName(stepName("lstm+attn", 200)), {
    what: "train_step",
    cell: "lstm+attn",
    T: 200,
  });
  assertEquals(parseStepName(probeName("lstm", 50)), { what: "probe", cell: "lstm", T: 50 });
  assertEquals(parseStepName("adding (arjovsky) T=100 B=256"), null);
});

Deno.test("the full grid has every cell with and without attention", () => {
  assert(ALL_BENCH_CELLS.includes("indrnn"));
  assert(ALL_BENCH_CELLS.includes("gru+attn"));
  assertEquals(ALL_BENCH_CELLS.length % 2, 0);
});

Deno.test("filters follow deno bench: substring, or /regex/", () => {
  assert(matchesFilter("lstm T=50", "lstm T=50"));
  assert(!matchesFilter("gru T=50", "lstm T=50"));
  assert(matchesFilter("gru T=200", "/^(lstm|gru) T=200$/"));
  assert(!matchesFilter("gru+attn T=200", "/^(lstm|gru) T=200$/"));
  assert(matchesFilter("anything", undefined));
});

Deno.test("long sequences get fewer timed steps", () => {
  assert(stepsFor(1000).n < stepsFor(50).n);
  assert(stepsFor(50, true).n <= stepsFor(50).n);
});

Deno.test("stacked bench cells: `lstm×2` names round-trip and are in the full grid", () => {
  assertEquals(benchCell("lstm", 2), "lstm×2");
  assertEquals(benchCell("gru"), "gru");
  assertEquals(parseBenchCell("gru×2"), { cell: "gru", layers: 2 });
  assertEquals(parseBenchCell("lstm+attn"), { cell: "lstm+attn", layers: 1 });
  assertEquals(parseStepName(stepName("lstm×2", 200)), {
    what: "train_step",
    cell: "lstm×2",
    T: 200,
  });
  assertEquals(ALL_BENCH_CELLS.filter((c) => c.includes("×")), ["lstm×2", "gru×2"]);
});

Deno.test("the speed preset: the target's cells the registry has, at T = 50, 200 and 1000", () => {
  const cells = speedCells();
  assertEquals(cells.slice(0, 6), ["lstm", "gru", "rnn_tanh", "lstm×2", "lstm+attn", "mingru"]);
  // expRNN is timed exactly when the engine has it
  assertEquals(cells.includes("exprnn"), isCellName("exprnn"));
  for (const c of cells) assert(isCellName(parseBenchCell(c).cell), c);
  assertEquals(PRESETS.speed.cells, cells);
  assertEquals(PRESETS.speed.lengths, [50, 200, 1000]);
  assertEquals(PRESETS.speed.peers, ["torch", "keras"]);
});
