import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { syntheticRecords } from "../_synthetic.ts";
import { checkChart } from "../_spec_check.ts";
import { subnormalCaption, subnormalRows, subnormalShareChart } from "./subnormal_share.ts";

Deno.test("subnormal rows come from each task's longest T, by checkpoint and distance", () => {
  const recs = syntheticRecords({ cells: ["rnn_tanh"], lengths: [50, 1000], seeds: [1, 2] });
  const rows = subnormalRows(recs);
  assert(rows.length > 0);
  assert(rows.every((r) => r.T === 1000));
  assertEquals(new Set(rows.map((r) => r.checkpoint)).size, 2);
  const r = rows.find((x) => x.task === "adding" && x.distance === 0)!;
  assertEquals(r.seeds, 2);
  assertEquals(r.subnormal, 0);
});

Deno.test("the caption finds the largest subnormal share and the clean cells", () => {
  const recs = syntheticRecords({ cells: ["rnn_tanh", "lstm"], lengths: [1000], seeds: [1] });
  const caption = subnormalCaption(subnormalRows(recs));
  assertMatch(
    caption,
    /The largest subnormal share is \d+(\.\d)?% .* for rnn_tanh at distance \d+/,
  );
  assertMatch(caption, /1 of 2 cells pass 1% somewhere \(rnn_tanh\)/);
});

Deno.test("no subnormals at all is said in words", () => {
  const recs = syntheticRecords({ cells: ["lstm"], lengths: [50], seeds: [1] });
  assertMatch(subnormalCaption(subnormalRows(recs)), /No probe found subnormal/);
});

Deno.test("the subnormal chart has titles, axes with units, tooltips and renders", async () => {
  const svg = await checkChart(subnormalShareChart(syntheticRecords({ lengths: [50, 500] })));
  assertMatch(svg, /subnormal share of components \(%\)/);
});

Deno.test("no probes: a placeholder that renders", async () => {
  await checkChart(subnormalShareChart([]), { placeholder: true });
});
