import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import type { ResultRecord } from "../results/schema.ts";
import { expandGrid, type Reference, validateSuite } from "../suite/mod.ts";
import { MIXED_SUITE, syntheticGridRecords } from "./_synthetic.ts";
import {
  literatureRows,
  memorylessLoss,
  metricSolves,
  oursSentences,
  settingsText,
} from "./literature.ts";
import { findingsData } from "./findings.ts";
import { agreeText, literatureTable, oursText } from "./findings_text.ts";
import { literatureMarks } from "./charts/memory_horizon.ts";
import { originIndex } from "./origins.ts";

const grid = await expandGrid(validateSuite(MIXED_SUITE, "mixed.json"));
const originOf = originIndex(grid);
const refs = MIXED_SUITE.references as Reference[];

/** The mixed suite's records with the grid runs' final test MSE set by (cell, seed). */
function records(mse: Record<string, number | null>): ResultRecord[] {
  return syntheticGridRecords(grid).map((r) => {
    const v = mse[`${r.config.cell}/${r.config.seed}`];
    if (originOf(r)?.search || v === undefined) return r;
    return v === null
      ? { ...r, status: "diverged", metrics: { ...r.metrics, test_mse: null, test_loss: null } }
      : { ...r, metrics: { ...r.metrics, test_mse: v } };
  });
}

Deno.test("metricSolves: the suite's thresholds, or a tenth of the memoryless baseline", () => {
  const at = (metric: Reference["metric"], value: number, task: "adding" | "copy" = "adding") =>
    metricSolves({ task, T: 1000, metric, value });
  assertEquals([at("test_mse", 0.01), at("test_mse", 0.0101)], [true, false]);
  assertEquals([at("test_accuracy", 0.99, "copy"), at("test_accuracy", 0.98, "copy")], [
    true,
    false,
  ]);
  const base = memorylessLoss("copy", 1000); // 10·ln 8 / 1020 ≈ 0.0204
  assert(Math.abs(base - 0.0204) < 1e-4);
  assertEquals([at("test_loss", base / 10.1, "copy"), at("test_loss", 0.0197, "copy")], [
    true,
    false,
  ]);
  // The headline chart's diamonds are filled by the same rule.
  assertEquals(literatureMarks(refs).map((m) => m.solved), refs.map((r) => metricSolves(r)));
});

Deno.test("rows: agree, disagree (what differs), not run; grid runs before search rungs", () => {
  const rows = literatureRows(
    records({ "lstm/1": 0.006, "lstm/2": 0.0145, "rnn_tanh/1": 0.13, "rnn_tanh/2": 0.12 }),
    refs,
    originOf,
  );
  assertEquals(rows.map((r) => [r.reference.cell, r.agree]), [
    ["lstm", false],
    ["rnn_tanh", true],
    ["gru", null],
  ]);
  const [lstm, tanh, gru] = rows;
  // The median of the grid's two seeds, not the search's rung at the same length.
  assertEquals([lstm.ours!.median, lstm.ours!.min, lstm.ours!.max], [0.01025, 0.006, 0.0145]);
  assertEquals([lstm.ours!.runs, lstm.ours!.search, lstm.publishedSolves], [2, false, true]);
  assertEquals(lstm.differs, [
    "ours: H 16, batch 50, 400 steps, adam lr 1e-3, arjovsky markers",
    "Hidden size and step count are ours (the paper sized models to 70K parameters)",
  ]);
  assertEquals([tanh.publishedSolves, tanh.ours!.solves, tanh.differs], [false, false, []]);
  assertEquals([gru.ours, gru.differs], [null, []]);
});

Deno.test("where ours solves and the paper's fails, what differs says at which step ours solved", () => {
  // The paper's rnn_tanh fails at T = 100 (0.17); ours solves it, seed 1 at step 300, seed 2 at 120.
  const recs = records({ "rnn_tanh/1": 0.004, "rnn_tanh/2": 0.003 }).map((r) =>
    r.config.cell === "rnn_tanh" && !originOf(r)?.search
      ? { ...r, metrics: { ...r.metrics, steps_to_solve: r.config.seed === 1 ? 300 : 120 } }
      : r
  );
  const tanh = literatureRows(recs, refs, originOf).find((r) => r.reference.cell === "rnn_tanh")!;
  assertEquals([tanh.agree, tanh.ours!.solvedAt], [false, [120, 300]]);
  assertEquals(tanh.differs[1], "ours solved at steps 120–300 of 400");
  const one = literatureRows(recs.filter((r) => r.config.seed === 1), refs, originOf)
    .find((r) => r.reference.cell === "rnn_tanh")!;
  assertEquals(one.differs[1], "ours solved at step 300 of 400");
});

Deno.test("rows: a search rung stands in only where no grid run is there; lost seeds are counted", () => {
  const recs = records({ "lstm/1": null, "lstm/2": 0.02 }).filter((r) =>
    !(r.config.cell === "rnn_tanh" && !originOf(r)?.search)
  );
  const [lstm, tanh] = literatureRows(recs, refs, originOf);
  assertEquals([lstm.ours!.values, lstm.ours!.lost], [[0.02], { diverged: 1 }]);
  assert(lstm.differs.includes("1 of 2 diverged"));
  assertEquals(tanh.ours!.search, true);
  assertEquals(tanh.ours!.runs, 1);
  // Without origins every record is a grid's: the rung at T = 100 joins as its own configuration.
  assertEquals(literatureRows(recs, refs).filter((r) => r.reference.cell === "lstm").length, 2);
});

Deno.test("oursSentences: the source's sentences that say what is ours, up to the colon", () => {
  assertEquals(oursSentences(MIXED_SUITE.experiments[0].source!), [
    "Hidden size and step count are ours (the paper sized models to 70K parameters)",
  ]);
  assertEquals(oursSentences("Copy T = 1000. Step count is ours."), ["Step count is ours"]);
  assertEquals(oursSentences(null), []);
  const c = grid.runs[0].config;
  assertEquals(
    settingsText({
      ...c,
      layers: 2,
      optimizer: { ...c.optimizer, lr: 2e-4, groups: [{ params: ["A"], lr: 2e-5 }] },
    }),
    "H 16, 2 layers, batch 50, 400 steps, adam lr 2e-4, A 2e-5, arjovsky markers",
  );
});

Deno.test("the table in words: median [min–max], one seed alone, not run, the agreement rule", () => {
  const d = findingsData(
    records({ "lstm/1": 0.006, "lstm/2": 0.0145, "rnn_tanh/1": 0.13, "rnn_tanh/2": null }),
    { originOf, references: refs },
  );
  const t = literatureTable(d);
  assertEquals(t.rows.map((r) => r.slice(0, 9)), [
    [
      "adding",
      "100",
      "lstm",
      "test MSE",
      "0.005",
      "A 2018",
      "0.0103 [0.006–0.0145]",
      "2",
      "no: the paper's solves, ours fails",
    ],
    ["adding", "100", "rnn_tanh", "test MSE", "0.17", "A 2018", "0.13", "2", "yes: both fail"],
    ["copy", "1000", "gru", "test loss", "0.0197", "A 2018", "not run", "—", "—"],
  ]);
  assertMatch(
    t.rows[0][9],
    /^ours: H 16, batch 50, 400 steps, adam lr 1e-3.*; Hidden size and step count are ours/,
  );
  assertEquals(t.rows[1][9], "", "nothing differs where they agree");
  // At most two sentences; the second defines "agree" with the thresholds and the baseline.
  assertEquals(t.caption.split(/\.\s/).length, 2);
  assertMatch(
    t.caption,
    /They agree when both solve or both fail by the rule the headline chart's diamonds use: test MSE ≤ 0\.01, accuracy ≥ 0\.99, or a test loss under a tenth of the memoryless baseline \(0\.0204 at copy T = 1000\)\.$/,
  );
  const diverged = {
    ...d.literature[0],
    ours: { ...d.literature[0].ours!, values: [], lost: { diverged: 2 } },
  };
  assertEquals(oursText(diverged), "diverged (2 of 2)");
  assertEquals(
    agreeText({ ...d.literature[0], publishedSolves: false }),
    "no: ours solves, the paper's fails",
  );
  // No references, no rows (the page and FINDINGS.md then leave the section out).
  assertEquals(literatureTable(findingsData(records({}))).rows, []);
});
