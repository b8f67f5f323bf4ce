import { assertEquals } from "../testing/assert.ts";
import { expandGrid, resolveProbeSteps, validateSuite } from "../suite/mod.ts";
import { MIXED_SUITE, syntheticGridRecords } from "./_synthetic.ts";
import { isSearchRung, originIndex } from "./origins.ts";

const grid = await expandGrid(validateSuite(MIXED_SUITE, "mixed.json"));

Deno.test("origins: grid runs with their source, search rungs (bisection rungs too), unknowns", () => {
  const originOf = originIndex(grid);
  const recs = syntheticGridRecords(grid);
  const plain = recs.filter((r) => r.config.steps === 400);
  assertEquals(plain.length, 4);
  for (const r of plain) {
    assertEquals(originOf(r)?.search, false);
    assertEquals(originOf(r)?.source, MIXED_SUITE.experiments[0].source!);
  }
  const rungs = recs.filter((r) => r.config.steps !== 400);
  assertEquals(
    rungs.map((r) => originOf(r)),
    rungs.map(() => ({
      search: true,
      source: null,
      budget: "2·T steps, at least 100, at most 300",
    })),
  );
  // A bisection rung is no run of the grid: its settings still say which search it belongs to,
  // though its probes resolve against its own budget.
  const probeAt = resolveProbeSteps(["init", "middle", "end"], 150);
  const bisect = { ...rungs[0], config: { ...rungs[0].config, T: 75, steps: 150, probeAt } };
  assertEquals(probeAt.join() === rungs[0].config.probeAt.join(), false);
  assertEquals(isSearchRung(originOf, bisect), true);
  // Another backend asked for is the same run; other settings are another suite's.
  assertEquals(
    originOf({ ...plain[0], config: { ...plain[0].config, backend: "cpu" } })?.search,
    false,
  );
  assertEquals(originOf({ ...plain[0], config: { ...plain[0].config, hidden: 99 } }), null);
  // A grid run at a length or budget its experiment does not have is not that experiment's.
  assertEquals(originOf({ ...plain[0], config: { ...plain[0].config, steps: 999 } }), null);
  assertEquals(isSearchRung(undefined, rungs[0]), false);
});
