import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { syntheticBench, syntheticRecords } from "../_synthetic.ts";
import { checkChart } from "../_spec_check.ts";
import { benchSpeedRows, ratioTable, runSpeedRows, speedChart } from "./speed.ts";

Deno.test("bench rows: train steps per contender and backend", () => {
  const bench = syntheticBench({ cells: ["lstm"], lengths: [50, 100] });
  bench.entries.push({ ...bench.entries[0], what: "report" });
  const rows = benchSpeedRows(bench);
  assertEquals(rows.length, 6);
  assertEquals(
    [...new Set(rows.map((r) => r.series))].sort(),
    ["rnn-gradbench (tensorflow)", "torch (cpu)", "torch-denormal (cpu)"],
  );
});

Deno.test("the ratio table and caption give ours / peer with its CI", () => {
  const bench = syntheticBench({ cells: ["gru"], lengths: [100] });
  const table = ratioTable(bench)!;
  assertEquals(table.rows.length, 1);
  assertEquals(table.columns, ["cell", "peer", "T = 100"]);
  assertMatch(table.rows[0][2], /^[\d.]+× \([\d.]+–[\d.]+\)$/);
  const chart = speedChart(bench, []);
  assertMatch(chart.caption, /takes [\d.]+× torch's time \(median over 1 configuration/);
});

Deno.test("without a bench file the chart shows the training runs' timings and says so", async () => {
  const recs = syntheticRecords({ cells: ["lstm"], lengths: [50, 100] });
  assert(runSpeedRows(recs).length > 0);
  const chart = speedChart(null, recs);
  assertMatch(chart.caption, /No bench file found/);
  assertMatch(chart.notes.join(" "), /speed comparison with peers is missing/);
  await checkChart(chart);
});

Deno.test("the speed chart has titles, axes with units, tooltips and renders", async () => {
  const svg = await checkChart(speedChart(syntheticBench(), []));
  assertMatch(svg, /time per training step \(ms, log\)/);
});

Deno.test("no bench and no timings: a placeholder that renders", async () => {
  const chart = speedChart(null, []);
  assertMatch(chart.caption, /No speed data/);
  await checkChart(chart, { placeholder: true });
});
