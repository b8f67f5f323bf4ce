import { assert, assertEquals } from "../testing/assert.ts";
import { compileSpec, countSvgMarks, renderSvg } from "../report/svg.ts";
import type { VlSpec } from "../viz/chart.ts";
import { decayRows, layerDecayRows, playgroundCharts } from "./charts.ts";

/** The spec with its named data set filled in, as the page does live. */
function withData(spec: VlSpec, name: string, values: unknown[]): VlSpec {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const d = o.data as { name?: string } | undefined;
      const out = Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
      if (d?.name === name) out.data = { name, values };
      return out;
    }
    return v;
  };
  return walk(spec) as VlSpec;
}

Deno.test("decayRows: the ratio to the last step's norm at every distance; zeros left out", () => {
  const { rows, dropped } = decayRows([0, 1e-6, 0.01, 0.5, 2], "now", 20);
  assertEquals(rows.map((r) => [r.distance, r.ratio]), [[0, 1], [1, 0.25], [2, 0.005], [3, 5e-7]]);
  assertEquals(dropped, 1);
  assert(rows.every((r) => r.checkpoint === "now" && r.step === 20));
  assertEquals(decayRows([1, 0], "initialisation", 0), { rows: [], dropped: 2 });
});

Deno.test("the three charts compile, draw marks from their live data, and title their axes", async () => {
  for (const task of ["adding", "copy"] as const) {
    const charts = playgroundCharts({ cell: "rnn_tanh", task, seqLength: 40, baseline: 1 / 6 });
    assertEquals(charts.map((c) => c.name), ["decay", "loss", "metric"]);
    const norms = Array.from({ length: 40 }, (_, t) => Math.pow(0.7, 39 - t));
    const data: Record<string, unknown[]> = {
      decay: [
        ...decayRows(norms, "initialisation", 0).rows,
        ...decayRows(norms.map((x) => Math.sqrt(x)), "now", 30).rows,
      ],
      loss: Array.from({ length: 30 }, (_, i) => ({ step: i + 1, loss: 0.2 / (i + 1) })),
      metric: [{ step: 10, value: 0.1 }, { step: 20, value: 0.05 }],
    };
    for (const c of charts) {
      compileSpec(c.spec);
      const text = JSON.stringify(c.spec);
      assert(text.includes('"tooltip"'), `${c.name}: no tooltip`);
      assert(/"title":"[^"]*\((steps|log|share|MSE[^"]*)\)"|training step/.test(text), c.name);
      const svg = await renderSvg(withData(c.spec, c.name, data[c.name]));
      assert(countSvgMarks(svg) > 0, `${task} ${c.name}: no marks`);
    }
  }
});

Deno.test("a stacked cell's decay chart draws one line per layer, each relative to its own last step", async () => {
  const top = Array.from({ length: 20 }, (_, t) => Math.pow(0.9, 19 - t));
  const bottom = Array.from({ length: 20 }, (_, t) => 3 * Math.pow(0.5, 19 - t));
  const { rows, dropped } = layerDecayRows(top, [bottom, top], "now", 5);
  assertEquals(dropped, 0);
  assertEquals(rows.length, 40);
  assertEquals(new Set(rows.map((r) => r.layer)), new Set([1, 2]));
  const at = (layer: number, d: number) =>
    rows.find((r) => r.layer === layer && r.distance === d)!.ratio;
  assertEquals(at(1, 0), 1);
  assert(Math.abs(at(1, 3) - 0.125) < 1e-12 && Math.abs(at(2, 3) - 0.729) < 1e-12);
  // One layer: no layer field, the rows of the top norms.
  assertEquals(layerDecayRows(top, [top], "now", 5), decayRows(top, "now", 5));

  const [decay] = playgroundCharts({
    cell: "lstm",
    task: "adding",
    seqLength: 20,
    baseline: 1 / 6,
    layers: 2,
  });
  const text = JSON.stringify(decay.spec);
  assert(text.includes('"strokeDash"') && text.includes("lstm ×2"));
  const one = playgroundCharts({ cell: "lstm", task: "adding", seqLength: 20, baseline: 1 / 6 });
  assert(!JSON.stringify(one[0].spec).includes('"strokeDash"'), "one layer: no layer encoding");
  const svg = await renderSvg(withData(decay.spec, "decay", rows));
  // The lower layer's line is dashed (the top layer's solid): dashes appear in the drawing.
  assert(svg.includes("stroke-dasharray"), "no dashed line for the lower layer");
  assert(countSvgMarks(svg) > 0);
});
