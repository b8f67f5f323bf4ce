import { assert, assertAlmostEquals, assertEquals, assertMatch } from "../../testing/assert.ts";
import { syntheticRecords } from "../_synthetic.ts";
import { checkChart, specFacts } from "../_spec_check.ts";
import type { Reference } from "../load.ts";
import { accuracyRows, accuracyVsLengthChart, baselineRows } from "./accuracy_vs_length.ts";

const refs: Reference[] = [
  { task: "adding", T: 600, cell: "lstm", metric: "test_mse", value: 0.164, source: "Bai 2018" },
  { task: "copy", T: 1000, cell: "lstm", metric: "test_loss", value: 0.0204, source: "Bai 2018" },
];

Deno.test("accuracy rows average the seeds that finished ok and count the lost ones", () => {
  const recs = syntheticRecords({ cells: ["rnn_relu"], lengths: [200], seeds: [1, 2, 3] });
  const rows = accuracyRows(recs);
  const adding = rows.find((r) => r.task === "adding")!;
  assertEquals(adding.seeds, 2); // seed 1 diverged
  assertEquals(adding.lost, 1);
  const ok = recs.filter((r) => r.config.task === "adding" && r.status === "ok");
  const mean = ok.reduce((a, r) => a + r.metrics.test_mse!, 0) / ok.length;
  assertAlmostEquals(adding.mean, mean, mean * 1e-3);
  assert(adding.min <= adding.mean && adding.mean <= adding.max);
  assertEquals(rows.find((r) => r.task === "copy")!.mean > 0, true);
});

Deno.test("baselines: adding MSE from the records, copy a one-in-eight guess", () => {
  const b = baselineRows(syntheticRecords({ cells: ["lstm"], lengths: [50] }));
  assertAlmostEquals(b.find((x) => x.task === "adding")!.value, 1 / 6, 1e-3);
  assertEquals(b.find((x) => x.task === "copy")!.value, 0.125);
});

Deno.test("matching references are marked points; the others are listed in the notes", () => {
  const recs = syntheticRecords({ cells: ["lstm", "rnn_tanh"], lengths: [50, 600, 1000] });
  const chart = accuracyVsLengthChart(recs, refs);
  const json = JSON.stringify(chart.spec);
  assertMatch(json, /"shape":"diamond"/);
  assertMatch(json, /Bai 2018/);
  // the copy-loss reference sits on the copy panel of the test loss
  assertEquals(chart.notes.join(" ").includes("test_loss=0.0204"), false);
  assertMatch(json, /"text":"copy memory \(test loss\)"/);
  assertMatch(chart.caption, /2 published reference point/);
  // at lengths the results do not cover, a reference is a note, not a point
  const short = accuracyVsLengthChart(syntheticRecords({ cells: ["lstm"], lengths: [50] }), refs);
  assertEquals(JSON.stringify(short.spec).includes('"shape":"diamond"'), false);
  assertMatch(
    short.notes.join(" "),
    /published reference point\(s\) are at lengths or metrics not/,
  );
});

Deno.test("the caption names the longest solved length per cell", () => {
  const recs = syntheticRecords({
    cells: ["rnn_tanh", "lstm"],
    lengths: [50, 200, 1000],
    tasks: ["adding"],
    faults: false,
  });
  const { caption } = accuracyVsLengthChart(recs, []);
  assertMatch(caption, /adding problem: 1 of 2 series solve T = \d+ \(mean MSE ≤ 0\.01\), 1 none/);
  assertMatch(caption, /stay at the memoryless baseline/);
  assert(caption.split(/\.\s/).length <= 2, "at most two sentences");
});

Deno.test("the accuracy chart has titles, axes with units, tooltips and renders", async () => {
  const chart = accuracyVsLengthChart(syntheticRecords(), refs);
  const svg = await checkChart(chart);
  assertMatch(svg, /sequence length T \(time steps\)/);
  assert(specFacts(chart.spec).tooltips >= 3);
});

Deno.test("with only failed runs the accuracy chart says so and renders", async () => {
  const recs = syntheticRecords({ cells: ["lstm"], lengths: [50] });
  for (const r of recs) r.status = "failed";
  const chart = accuracyVsLengthChart(recs, []);
  assertMatch(chart.notes.join(" "), /No seed finished ok for 2 point\(s\): adding lstm T=50/);
  await checkChart(chart, { placeholder: true });
});
