import { assertEquals, assertMatch } from "../../testing/assert.ts";
import { syntheticRecords } from "../_synthetic.ts";
import { checkChart } from "../_spec_check.ts";
import { solveRows, stepsToSolveChart } from "./steps_to_solve.ts";
import { CELL_NAMES } from "../../engine/model.ts";
import { setCellOrder } from "../../viz/cell_style.ts";

// The order the tasks set (the report itself knows no engine).
setCellOrder(CELL_NAMES);

function recs() {
  const rs = syntheticRecords({
    cells: ["rnn_tanh", "lstm"],
    lengths: [50, 100],
    seeds: [1, 2],
    tasks: ["adding", "copy"],
    faults: false,
  });
  for (const r of rs) {
    r.metrics.steps_to_solve = r.config.cell === "lstm" || r.config.T === 50
      ? r.config.T * 10 * r.config.seed
      : null;
  }
  return rs;
}

Deno.test("solve rows: median over the seeds that solved, lengths nobody solved left out", () => {
  const rows = solveRows(recs()).filter((r) => r.task === "adding");
  assertEquals(rows.map((r) => [r.cell, r.T, r.median, r.min, r.max, r.solved]), [
    ["rnn_tanh", 50, 750, 500, 1000, 2],
    ["lstm", 50, 750, 500, 1000, 2],
    ["lstm", 100, 1500, 1000, 2000, 2],
  ]);
});

Deno.test("the steps-to-solve chart names the fastest at the longest solved length and renders", async () => {
  const chart = stepsToSolveChart(recs());
  assertMatch(
    chart.caption,
    /adding problem at T = 100 \(test MSE ≤ 0\.01\): \d series, fastest lstm \(1500 steps\)/,
  );
  assertMatch(chart.caption, /copy memory at T = \d+ \(recall accuracy ≥ 0\.99/);
  await checkChart(chart);
});

Deno.test("nothing solved, or old records: the chart says so", async () => {
  const rs = recs();
  for (const r of rs) r.metrics.steps_to_solve = null;
  const none = stepsToSolveChart(rs);
  assertMatch(none.caption, /No run reached its solve threshold/);
  await checkChart(none, { placeholder: true });
  for (const r of rs) delete r.metrics.steps_to_solve;
  assertMatch(stepsToSolveChart(rs).notes.join(" "), /predate the steps_to_solve field/);
});
