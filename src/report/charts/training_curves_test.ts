import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { syntheticRecords } from "../_synthetic.ts";
import { checkChart } from "../_spec_check.ts";
import {
  MAX_CURVE_POINTS,
  robustLossDomain,
  trainingCurveRows,
  trainingCurvesChart,
} from "./training_curves.ts";

Deno.test("curves are the median over ok seeds, thinned to a bounded number of points", () => {
  const recs = syntheticRecords({
    cells: ["lstm"],
    lengths: [50],
    seeds: [1, 2, 3],
    tasks: ["adding"],
    steps: 2000,
    evalEvery: 5,
    probeAt: [0, 2000],
  });
  const rows = trainingCurveRows(recs);
  assert(rows.length <= MAX_CURVE_POINTS + 1, `${rows.length} points`);
  assertEquals(rows.at(-1)!.step, 2000);
  assert(rows.every((r) => r.seeds === 3 && r.loss > 0));
});

Deno.test("diverged runs are left out of the curves and said so", () => {
  const recs = syntheticRecords({ cells: ["rnn_relu"], lengths: [200], seeds: [1, 2] });
  const chart = trainingCurvesChart(recs);
  assertMatch(chart.notes.join(" "), /2 diverged or failed run\(s\)/);
  const rows = trainingCurveRows(recs);
  assert(rows.every((r) => r.seeds === 1));
});

Deno.test("the caption compares final losses with the baseline at the longest T", () => {
  const recs = syntheticRecords({ cells: ["rnn_tanh", "lstm+attn"], lengths: [50, 1000] });
  const { caption } = trainingCurvesChart(recs);
  assertMatch(
    caption,
    /adding problem at T = 1000: 1 of 2 series end below half the memoryless baseline, 1 at it/,
  );
  assertMatch(caption, /ignores start-up transients/);
});

Deno.test("the loss axis ignores start-up transients: limits from the later points", () => {
  const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({
    task: "adding",
    T: 50,
    cell: "lstm",
    step: i * 100,
    loss: i === 0 ? 1e6 : 0.1 / (i + 1),
    baseline: 0.167,
    seeds: 1,
  }));
  const [lo, hi] = robustLossDomain(rows);
  assert(hi < 1, `the early spike sets no limit (hi ${hi})`);
  assert(hi >= 0.167 * 1.3 - 1e-9 && lo <= 0.01, `${lo}–${hi}`);
});

Deno.test("the training curves chart has titles, axes with units, tooltips and renders", async () => {
  const svg = await checkChart(trainingCurvesChart(syntheticRecords()));
  assertMatch(svg, /training step/);
});

Deno.test("no curves: a placeholder that renders", async () => {
  await checkChart(trainingCurvesChart([]), { placeholder: true });
});
