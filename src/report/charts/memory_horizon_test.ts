import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { checkChart } from "../_spec_check.ts";
import type { PresentedHorizon } from "../findings.ts";
import { horizonRows, literatureMarks, memoryHorizonChart } from "./memory_horizon.ts";

const h = (cell: string, median: number, capped = false): PresentedHorizon => ({
  task: "adding",
  cell,
  median,
  min: median,
  max: median,
  seeds: 3,
  lengths: [50, 100, 200],
  capped,
  searched: false,
});

Deno.test("horizon rows: ≥ where capped, none where nothing was solved", () => {
  const rows = horizonRows([h("lstm", 200, true), h("gru", 100), h("rnn_tanh", 0)]);
  assertEquals(rows.map((r) => r.label), ["≥ 200", "100", "none"]);
  assertEquals(rows[2].solved, false);
  assert(rows[2].at < 50, "a none sits left of the shortest length");
  // A median seed that solved nothing beside one that solved 50: the label starts past the bar.
  const [mixed] = horizonRows([{ ...h("irnn", 0), max: 50 }]);
  assertEquals(mixed.label, "none");
  assertEquals(mixed.labelAt, 50);
  assertEquals(rows.map((r) => r.labelAt), [200, 100, rows[2].at]);
});

Deno.test("literature marks: solved by the suite's thresholds or a tenth of the baseline", () => {
  const marks = literatureMarks([
    { task: "adding", T: 600, cell: "gru", metric: "test_mse", value: 5e-5, source: "A 2018" },
    { task: "adding", T: 600, cell: "lstm", metric: "test_mse", value: 0.164, source: "A 2018" },
    { task: "copy", T: 1000, cell: "lstm", metric: "test_loss", value: 0.0204, source: "A 2018" },
  ]);
  assertEquals(marks.map((m) => m.solved), [true, false, false]);
});

Deno.test("the headline chart renders, with the literature beside it", async () => {
  const chart = memoryHorizonChart(
    [h("lstm", 200, true), h("rnn_tanh", 0)],
    literatureMarks([
      { task: "adding", T: 600, cell: "lstm", metric: "test_mse", value: 0.164, source: "A 2018" },
    ]),
  );
  assertEquals(chart.name, "memory_horizon");
  assertMatch(chart.caption, /adding problem: 1 of 2 series reaches ≥ T = 200, 1 solve none/);
  assert(chart.caption.split(/\.\s/).length <= 2);
  assertMatch(JSON.stringify(chart.spec), /"shape":"diamond"/);
  await checkChart(chart);
  assertMatch(memoryHorizonChart([]).spec.title as string, /Memory horizon/);
  const searched = memoryHorizonChart([{ ...h("lstm", 800, true), searched: true }]);
  assertMatch(
    searched.caption,
    /1 of 1 series reaches ≥ T = 800\..*at the longest length tested \(a search's top rung\)\.$/,
  );
  assertEquals(horizonRows([{ ...h("lstm", 800, true), searched: true }])[0].label, "≥ 800");
  assertMatch(
    memoryHorizonChart([h("lstm", 0)]).caption,
    /^adding problem: none of 1 series solves a length\. /,
  );
});

Deno.test("the chart skeleton: one panel per task with rows, the chart's title on top", () => {
  const chart = memoryHorizonChart([h("lstm", 200, true)]);
  const spec = chart.spec as { title: { text: string }; hconcat: unknown[] };
  assertEquals(spec.title.text, "Memory horizon per cell");
  assertEquals(spec.hconcat.length, 1);
});
