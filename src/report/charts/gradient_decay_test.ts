import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import type { ResultRecord } from "../../results/schema.ts";
import { syntheticRecords } from "../_synthetic.ts";
import { checkChart } from "../_spec_check.ts";
import { gradientDecayChart, gradientDecayData } from "./gradient_decay.ts";

function withNorms(norms: (number | null)[], status: ResultRecord["status"] = "ok") {
  const [r] = syntheticRecords({
    cells: ["rnn_tanh"],
    lengths: [norms.length],
    seeds: [1],
    tasks: ["adding"],
    faults: false,
  });
  const zeros = norms.map(() => 0);
  r.status = status;
  r.probes = [
    { step: 0, norms: norms as number[], zero_fraction: zeros, subnormal_fraction: zeros },
    { step: 100, norms: norms as number[], zero_fraction: zeros, subnormal_fraction: zeros },
  ];
  return r;
}

Deno.test("decay ratios are normalised by the last step's norm, at distance len−1−t", () => {
  const norms = Array.from({ length: 8 }, (_, t) => 2 * Math.pow(0.5, 7 - t));
  const { rows, dropped } = gradientDecayData([withNorms(norms)]);
  assertEquals(dropped, 0);
  const init = rows.filter((r) => r.checkpoint === "initialisation");
  assertEquals(init.map((r) => r.distance), [0, 1, 2, 3, 4, 5, 6, 7]);
  assertEquals(init[0].median, 1);
  assertEquals(init[3].median, 0.125);
  assertEquals(rows.filter((r) => r.checkpoint === "trained").length, 8);
});

Deno.test("zeros and nulls are dropped from the log scale and counted", () => {
  const { rows, dropped } = gradientDecayData([withNorms([0, null, 1e-3, 1e-2, 1])]);
  assertEquals(dropped, 4); // two checkpoints × (0 and null)
  assert(rows.every((r) => r.median > 0));
  const chart = gradientDecayChart([withNorms([0, null, 1e-3, 1e-2, 1])]);
  assertMatch(chart.notes.join(" "), /4 sampled ratio\(s\) were 0/);
});

Deno.test("a probe whose last norm is 0 is left out whole", () => {
  const { rows, droppedProbes } = gradientDecayData([withNorms([1, 1, 0])]);
  assertEquals(rows.length, 0);
  assertEquals(droppedProbes, 2);
});

Deno.test("diverged runs give no trained curve", () => {
  const { rows } = gradientDecayData([withNorms([1, 2, 3], "diverged")]);
  assert(rows.length > 0 && rows.every((r) => r.checkpoint === "initialisation"));
});

Deno.test("the caption gives each cell's gradient at distance 100 as a power of ten", () => {
  const recs = syntheticRecords({
    cells: ["rnn_tanh", "lstm"],
    lengths: [200],
    seeds: [1, 2, 3],
    tasks: ["adding"],
    faults: false,
  });
  const { caption } = gradientDecayChart(recs);
  // 0.9^100 = 10^-4.58, 0.99^100 = 10^-0.44 (synthetic decay at initialisation)
  assertMatch(caption, /At initialisation, 100 steps back .*T = 200.*10\^-4\.6 of the last step's/);
  assertMatch(caption, /for rnn_tanh \(fastest decay\) and 10\^-0\.4 for lstm \(slowest\)/);
  assert(caption.split(/\.\s/).length <= 2, "at most two sentences");
});

Deno.test("the caption compares cells at the length most of them reach, not a one-cell rung", () => {
  const recs = [
    ...syntheticRecords({
      cells: ["rnn_tanh", "lstm"],
      lengths: [200],
      seeds: [1],
      tasks: ["adding"],
      faults: false,
    }),
    // a bisection rung that only gru ran, shorter than the length both others share
    ...syntheticRecords({
      cells: ["gru"],
      lengths: [150],
      seeds: [1],
      tasks: ["adding"],
      faults: false,
    }),
  ];
  const { caption } = gradientDecayChart(recs);
  assertMatch(caption, /100 steps back on the adding problem \(T = 200\)/);
  assertMatch(caption, /for rnn_tanh \(fastest decay\) and 10\^-0\.4 for lstm \(slowest\)/);
});

Deno.test("seeds make a band: min ≤ median ≤ max over seeds", () => {
  const recs = syntheticRecords({ cells: ["gru"], lengths: [50], seeds: [1, 2, 3] });
  const { rows } = gradientDecayData(recs);
  assert(rows.some((r) => r.seeds === 3 && r.min < r.max));
  assert(rows.every((r) => r.min <= r.median && r.median <= r.max));
});

Deno.test("the gradient decay chart has a title, axes with units, a tooltip and renders", async () => {
  const recs = syntheticRecords({ cells: ["rnn_tanh", "lstm"], lengths: [50, 100] });
  const chart = gradientDecayChart(recs);
  const svg = await checkChart(chart);
  assertMatch(svg, /distance T−1−t \(time steps\)/);
  assertMatch(svg, /initialisation/);
});

Deno.test("with no probes the chart says so and still renders", async () => {
  const chart = gradientDecayChart([]);
  assertMatch(chart.caption, /No gradient probes/);
  await checkChart(chart, { placeholder: true });
});

Deno.test("stacked cells get a layer selector showing the top layer first", async () => {
  const recs = syntheticRecords({
    cells: ["indrnn"],
    lengths: [50],
    seeds: [1],
    tasks: ["adding"],
    layers: 3,
    faults: false,
  });
  const chart = gradientDecayChart(recs);
  const spec = chart.spec as {
    params?: { name: string; value: string; bind: { options: string[] } }[];
  };
  assertEquals(spec.params?.[0].value, "top");
  assertEquals(spec.params?.[0].bind.options, ["top", "top − 1", "top − 2"]);
  assertMatch(JSON.stringify(chart.spec), /datum\.layer === layer_pick/);
  assertEquals(new Set(gradientDecayData(recs).rows.map((r) => r.layer)).size, 3);
  await checkChart(chart);
  const flat = gradientDecayChart(syntheticRecords({ cells: ["indrnn"], lengths: [50] }));
  assertEquals("params" in flat.spec, false, "one layer: no selector");
});

Deno.test("on copy the curves use the recall-loss norms when recorded, and the caption says which", () => {
  const recs = syntheticRecords({ cells: ["lstm"], lengths: [20], tasks: ["copy"], faults: false });
  assertMatch(
    gradientDecayChart(recs).caption,
    /On copy memory the curves are the whole loss's gradient/,
  );
  for (const r of recs) for (const p of r.probes) p.recall_norms = p.norms.map((_, t) => 2 ** t);
  const chart = gradientDecayChart(recs);
  assertMatch(chart.caption, /On copy memory the curves are the recall loss's gradient/);
  const row = gradientDecayData(recs).rows.find((r) => r.distance === 3)!;
  assertEquals(row.median, 0.125, "ratios from the recall norms 2^t");
});
