import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import type { ResultRecord } from "../results/schema.ts";
import { syntheticRecords } from "./_synthetic.ts";
import { findingsData, horizonCapped } from "./findings.ts";
import { findings, horizonText, wordFindings } from "./findings_text.ts";
import { expandGrid, validateSuite } from "../suite/mod.ts";
import { MIXED_SUITE, syntheticGridRecords } from "./_synthetic.ts";
import { originIndex } from "./origins.ts";
import { CELL_NAMES } from "../engine/model.ts";
import { setCellOrder } from "../viz/cell_style.ts";

// The order the tasks set (the report itself knows no engine).
setCellOrder(CELL_NAMES);

const geometric = (len: number, f: number) =>
  Array.from({ length: len }, (_, t) => f ** (len - 1 - t));

/**
 * rnn_tanh decays 0.9/step (horizon ≈ 131) and lstm 0.99 (≈ 1375); at T ∈ {50, 100, 200}
 * the prediction is rnn_tanh → 100, lstm → 200.
 */
function records(solvedUpTo: Record<string, number>): ResultRecord[] {
  const recs = syntheticRecords({
    cells: ["rnn_tanh", "lstm"],
    lengths: [50, 100, 200],
    seeds: [1, 2, 3],
    tasks: ["adding"],
    faults: false,
  });
  for (const r of recs) {
    const f = r.config.cell === "rnn_tanh" ? 0.9 : 0.99;
    for (const p of r.probes) p.norms = geometric(p.norms.length, f);
    r.metrics.steps_to_solve = r.config.T <= solvedUpTo[r.config.cell] ? 500 : null;
  }
  return recs;
}

Deno.test("horizons read as median [min–max], ≥ where capped, — when nothing was solved", () => {
  assertEquals(horizonText({ median: 200, min: 100, max: 500 }), "200 [100–500]");
  assertEquals(horizonText({ median: 200, min: 200, max: 200, capped: true }), "≥ 200");
  assertEquals(horizonText({ median: 0, min: 0, max: 50 }), "— [—–50]");
  assertEquals(horizonText({ median: 0, min: 0, max: 0 }), "—");
  // Each end of the range is marked where that seed solved its longest tested length.
  assertEquals(
    horizonText({ median: 400, min: 200, max: 800, capped: false, maxCapped: true }),
    "400 [200–≥ 800]",
  );
});

Deno.test("a grid horizon is capped where the longest tested length was solved", () => {
  const h = { task: "adding" as const, cell: "x", min: 50, max: 200, seeds: 3 };
  assertEquals(horizonCapped({ ...h, median: 200, lengths: [50, 100, 200] }), true);
  assertEquals(horizonCapped({ ...h, median: 100, lengths: [50, 100, 200] }), false);
  assertEquals(horizonCapped({ ...h, median: 0, lengths: [50] }), false);
  // A searched horizon says so itself.
  assertEquals(horizonCapped({ ...h, median: 200, lengths: [50, 100, 200], capped: false }), false);
});

Deno.test("the tables: memory horizon per cell and task; the thesis check a row per pair", () => {
  const f = findings(records({ rnn_tanh: 100, lstm: 200 }));
  assertEquals(f.memory.rows, [["rnn_tanh", "100"], ["lstm", "≥ 200"]]);
  assertMatch(f.memory.columns[1], /adding problem \(T tested: 50, 100, 200\)/);
  assertMatch(
    f.memory.caption,
    /^The longest T each cell solved within its step budget \(adding problem: \d+ steps\)/,
  );
  const tanh = f.thesis.rows.find((r) => r[0] === "rnn_tanh")!;
  assertEquals(tanh.slice(1, 7), ["adding", "100", "0.9", "131", "100", "predicts"]);
  assertMatch(f.thesis.caption, /below 10\^-6/);
  assert(f.thesis.caption.split(/\.\s/).length <= 2, "a caption of at most two sentences");
});

Deno.test("the headline: what solves, how far, what fails, the thesis, the cost", () => {
  const f = findings(records({ rnn_tanh: 100, lstm: 200 }));
  assert(f.headline.length >= 3 && f.headline.length <= 5, f.headline.join("\n"));
  assertMatch(
    f.headline[0],
    /^On the adding problem \(T = 50–200 tested\), lstm solves the longest, T = 200 \(horizon ≥ 200\)/,
  );
  assertMatch(f.headline[0], /the tanh RNN stops at T = 100/);
  assertMatch(f.headline[1], /predicts the memory horizon in 2 of 2 cell–task pairs/);
  assertMatch(f.headline[2], /^Fastest at the longest length solved: lstm, 500 steps/);
});

Deno.test("the cost is the time to the solving step, at the run's own pace", () => {
  // A run that trained 4,000 steps in 400 s and solved at 500 cost 50 s, not 400.
  const recs = records({ rnn_tanh: 0, lstm: 200 }).map((r) => ({
    ...r,
    timing: { ...r.timing, total_s: 400, steps_done: 4000 },
  }));
  const cost = findingsData(recs).headline.find((h) => h.task === "adding")!.cost!;
  assertEquals([cost.cell, cost.T, cost.steps, cost.seconds], ["lstm", 200, 500, 50]);
  assertMatch(findings(recs).headline.join(" "), /lstm, 500 steps \(50 s\) at adding T = 200/);
});

Deno.test("and says where it does not, in which direction", () => {
  const d = findingsData(records({ rnn_tanh: 200, lstm: 50 }));
  const v = Object.fromEntries(d.pairs.map((p) => [p.cell, p.verdict]));
  assertEquals(v, { rnn_tanh: "under", lstm: "over" });
  assertMatch(findings(records({ rnn_tanh: 200, lstm: 50 })).headline.join(" "), /in 0 of 2/);
});

Deno.test("no records, no probes: the findings say so", () => {
  assertMatch(findings([]).headline[0], /No finished runs/);
  const recs = records({ rnn_tanh: 0, lstm: 0 });
  for (const r of recs) r.probes = [];
  assertMatch(findings(recs).headline.join(" "), /gradient horizon is unknown/);
  assert(findings(recs).memory.rows.every((r) => r[1] === "—"));
});

Deno.test("the step budget beside the horizons: one text for a task, or each cell's", () => {
  const recs = records({ rnn_tanh: 100, lstm: 200 });
  // A search's rule, the same for every cell: 20·T steps, at least 1,500.
  for (const r of recs) r.config.steps = Math.max(1500, 20 * r.config.T);
  assertEquals(findingsData(recs).budgets, [{ task: "adding", text: "20·T steps, at least 1500" }]);
  assertMatch(findings(recs).memory.caption, /\(adding problem: 20·T steps, at least 1500\)/);
  for (const r of recs) r.config.steps = r.config.cell === "lstm" ? 9000 : 1000;
  assertEquals(findingsData(recs).budgets[0].text, "rnn_tanh 1000 steps; lstm 9000 steps");
});

Deno.test("a suite mixing a grid and a search: a cell's horizon is its search's, marked searched", async () => {
  const grid = await expandGrid(validateSuite(MIXED_SUITE, "mixed.json"));
  const originOf = originIndex(grid);
  // lstm's grid runs at T = 100 do not solve, its rungs up to T = 100 do; rnn_tanh's stop at 50.
  const recs = syntheticGridRecords(grid).map((r) =>
    originOf(r)?.search ? r : { ...r, metrics: { ...r.metrics, steps_to_solve: null } }
  );
  const d = findingsData(recs, { originOf });
  assertEquals(d.horizons.map((h) => [h.cell, h.median, h.capped, h.searched, h.lengths]), [
    ["rnn_tanh", 50, false, true, [25, 50, 100]],
    ["lstm", 100, false, true, [25, 50, 100, 200]],
  ]);
  assertEquals(d.budgets[0].text, "2·T steps, at least 100, at most 300");
  // The search's rule as the suite states it, even where the rungs trained cannot show it.
  const first = recs.filter((r) => r.config.T === 25 || !originOf(r)?.search);
  assertEquals(findingsData(first, { originOf }).budgets[0].text, d.budgets[0].text);
  const f = wordFindings(d);
  assertMatch(
    f.headline[0],
    /^On the adding problem \(T = 25–200 searched\), lstm reaches T = 100/,
  );
  assertMatch(f.memory.columns[1], /^adding problem \(searched, T = 25–200\)$/);
  assertMatch(
    f.memory.caption,
    /≥ where the longest tested length \(a search's top rung\) was solved/,
  );
  // Where the top rung solved (or the chain is still climbing) the horizon is "≥ T".
  const top = recs.filter((r) => !(r.config.cell === "lstm" && r.config.T === 200));
  assertEquals(findings(top, { originOf }).memory.rows[1], ["lstm", "≥ 100"]);
  // Without origins the grid's runs at T = 100 are read as one more rung of a grid.
  assertEquals(findingsData(recs).horizons[0].searched, false);
  assertEquals(findingsData(recs).records, findingsData(recs, { originOf }).records);
  // A searched series' experiment source is its note, beside the table; no source, no note.
  assert(!f.memory.caption.includes("Note on"), f.memory.caption);
  const text = "With 10x the steps it solves T = 200.";
  const noted: typeof originOf = (r) => {
    const o = originOf(r);
    return o?.search && r.config.cell === "lstm" ? { ...o, source: text } : o;
  };
  assertMatch(
    findings(recs, { originOf: noted }).memory.caption,
    /evaluation\. Note on lstm \(adding problem\): With 10x the steps it solves T = 200\.$/,
  );
});
