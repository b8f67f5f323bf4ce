/**
 * Test helper: checks a chart the way a reader would — it compiles, renders marks, and has a
 * title, titled axes and a tooltip.
 *
 * @module
 */
import { assert } from "../testing/assert.ts";
import type { Chart, VlSpec } from "./charts/_common.ts";
import { compileSpec, countSvgMarks, renderSvg } from "./svg.ts";

type Json = unknown;

function walk(v: Json, visit: (o: Record<string, Json>) => void): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, visit));
  else if (v && typeof v === "object") {
    visit(v as Record<string, Json>);
    for (const x of Object.values(v)) walk(x, visit);
  }
}

/** Every `title` of x/y encodings, every tooltip, across the whole spec. */
export function specFacts(spec: VlSpec) {
  const axisTitles: string[] = [];
  let tooltips = 0;
  let untitledQuantAxes = 0;
  walk(spec, (o) => {
    const enc = o.encoding as Record<string, Record<string, Json>> | undefined;
    if (!enc) return;
    for (const ch of ["x", "y"]) {
      const e = enc[ch];
      if (!e || typeof e !== "object") continue;
      if (typeof e.title === "string") axisTitles.push(e.title);
    }
    if (enc.tooltip) tooltips++;
    // Layers may leave titles to a sibling layer; count quantitative axes no layer titles.
    if (enc.x && !("title" in enc.x) && enc.y && !("title" in enc.y)) untitledQuantAxes++;
  });
  return { axisTitles, tooltips, untitledQuantAxes };
}

/** Asserts the chart is complete and renders; returns the SVG. */
export async function checkChart(chart: Chart, opts: { placeholder?: boolean } = {}) {
  const spec = chart.spec;
  const title = spec.title as string | { text: string } | undefined;
  assert(title && (typeof title === "string" || title.text), `${chart.name}: no title`);
  assert(chart.caption.length > 20, `${chart.name}: caption too short: ${chart.caption}`);
  const facts = specFacts(spec);
  assert(facts.tooltips > 0, `${chart.name}: no tooltip`);
  if (!opts.placeholder) {
    assert(
      facts.axisTitles.length >= 2,
      `${chart.name}: axes need titles, got ${facts.axisTitles}`,
    );
    for (const t of facts.axisTitles) {
      assert(/\(.+\)|step/.test(t), `${chart.name}: axis title without unit: '${t}'`);
    }
  }
  compileSpec(spec);
  const svg = await renderSvg(spec);
  assert(countSvgMarks(svg) > 0, `${chart.name}: rendered no marks`);
  return svg;
}
