/**
 * One order, label and colour per cell series on every page (the report and `history.html`).
 *
 * - Order: the cell order the program sets with {@link setCellOrder} (the tasks set the engine
 *   registry's: the report and the history pages know no engine), `NAME+attn` right after `NAME`,
 *   a stacked `NAME ×k` right after its one-layer series; names not in it come after,
 *   alphabetically.
 * - Label: the cell name, plus ` ×k` for a stack of k > 1 layers (`indrnn ×2`): its own series.
 * - Colour: fixed per name, never from the cells a results file happens to hold. Registry cell i
 *   takes pair i of the Tableau-20 palette, dark for the cell and light for its `+attn`; a stack
 *   takes its one-layer colour darkened per extra layer; unknown names take the palette's tail.
 * - Highlight: a click on a legend entry highlights that series in every panel of a chart
 *   (a legend-bound point selection dims the others), see {@link withCellHighlight}; the pages
 *   built by the report's `renderHtml` share that selection across all their charts.
 *
 * @module
 */
import type { VlSpec } from "./chart.ts";

let cellOrder: readonly string[] = [];

/**
 * Sets the base cells' order, which also fixes their colours (`deno task report` and the other
 * page builders set the engine registry's, `CELL_NAMES`). Until set, every name sorts
 * alphabetically and takes a colour from the palette's tail.
 */
export function setCellOrder(names: readonly string[]): void {
  cellOrder = [...names];
}

/** Vega's Tableau-20, in dark/light pairs of one hue. */
const TABLEAU20 = [
  "#4c78a8",
  "#9ecae9",
  "#f58518",
  "#ffbf79",
  "#54a24b",
  "#88d27a",
  "#b79a20",
  "#f2cf5b",
  "#439894",
  "#83bcb6",
  "#e45756",
  "#ff9d98",
  "#79706e",
  "#bab0ac",
  "#d67195",
  "#fcbfd2",
  "#b279a2",
  "#d6a5c9",
  "#9e765f",
  "#d8b5a5",
];

/** Every registry cell followed by its `+attn`: the fixed list colours are assigned over. */
export function allCellNames(): string[] {
  return cellOrder.flatMap((c) => [c, `${c}+attn`]);
}

/** A series label: `indrnn`, `indrnn ×2`. */
export function seriesLabel(cell: string, layers = 1): string {
  return layers > 1 ? `${cell} ×${layers}` : cell;
}

/** The series a run belongs to: its cell and layer count (`config.layers`, 1 when absent). */
export function seriesOf(config: { cell: string; layers?: number }): string {
  return seriesLabel(config.cell, config.layers ?? 1);
}

/** `indrnn ×2` → { cell: "indrnn", layers: 2 }. */
export function parseSeries(label: string): { cell: string; layers: number } {
  const m = label.match(/^(.*) ×(\d+)$/);
  return m ? { cell: m[1], layers: Number(m[2]) } : { cell: label, layers: 1 };
}

function rank(label: string): [number, string, number, number] {
  const { cell, layers } = parseSeries(label);
  const attn = cell.endsWith("+attn");
  const base = attn ? cell.slice(0, -5) : cell;
  const i = cellOrder.indexOf(base);
  return [i < 0 ? cellOrder.length : i, base, attn ? 1 : 0, layers];
}

/** Sorts series labels in the registry's order (see the module comment); unique. */
export function sortCells(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort((a, b) => {
    const [ia, ba, xa, la] = rank(a);
    const [ib, bb, xb, lb] = rank(b);
    return ia - ib || ba.localeCompare(bb) || xa - xb || la - lb || a.localeCompare(b);
  });
}

function darken(hex: string, factor: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = (shift: number) =>
    Math.round(((n >> shift) & 0xff) * factor).toString(16).padStart(2, "0");
  return `#${ch(16)}${ch(8)}${ch(0)}`;
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.codePointAt(0)!) >>> 0;
  return h;
}

/** The colour of a series label: the same on every chart and page. */
export function cellColour(label: string): string {
  const { cell, layers } = parseSeries(label);
  const names = allCellNames();
  const i = names.indexOf(cell);
  // Registry cells fill the palette from the front; unknown names share what is left at its end.
  const spare = Math.max(1, TABLEAU20.length - names.length);
  const base = i >= 0 && i < TABLEAU20.length
    ? TABLEAU20[i]
    : TABLEAU20[TABLEAU20.length - 1 - (hash(cell) % spare)];
  return layers > 1 ? darken(base, Math.pow(0.72, layers - 1)) : base;
}

/** The colour encoding of the `cell` field for these series (sorted); colours from {@link cellColour}. */
export function cellColor(cells: string[], title = "cell"): VlSpec {
  const domain = sortCells(cells);
  return {
    field: "cell",
    type: "nominal",
    title,
    scale: { domain, range: domain.map(cellColour) },
    sort: domain,
  };
}

/** The name of the legend-bound selection {@link withCellHighlight} adds. */
export const HIGHLIGHT_PARAM = "cell_pick";

type Json = unknown;

function units(v: Json, visit: (o: Record<string, Json>) => void): void {
  if (Array.isArray(v)) v.forEach((x) => units(x, visit));
  else if (v && typeof v === "object") {
    const o = v as Record<string, Json>;
    if ("mark" in o) visit(o);
    for (const [k, x] of Object.entries(o)) if (k !== "data" && k !== "encoding") units(x, visit);
  }
}

/**
 * Makes a click on a legend entry highlight that series: the first view coloured by `cell`
 * gets a point selection on `cell` bound to the legend, and every view coloured by `cell` an
 * opacity (and, for lines, a stroke width) that dims the other series while one is picked.
 * Returns the spec (changed in place); a spec without a `cell` colour is returned as it was.
 */
export function withCellHighlight(spec: VlSpec): VlSpec {
  let first = true;
  units(spec, (u) => {
    const enc = u.encoding as Record<string, Record<string, Json>> | undefined;
    if (enc?.color?.field !== "cell") return;
    if (first) {
      const params = (u.params as Json[] | undefined) ?? [];
      u.params = [...params, {
        name: HIGHLIGHT_PARAM,
        select: { type: "point", fields: ["cell"] },
        bind: "legend",
      }];
      first = false;
    }
    const mark = typeof u.mark === "string" ? u.mark : (u.mark as { type?: string }).type;
    // An area's own fillOpacity multiplies this: a band dims less than a line.
    const dim = mark === "area" ? 0.3 : 0.12;
    const on = 1;
    enc.opacity = { condition: { param: HIGHLIGHT_PARAM, value: on, empty: true }, value: dim };
    if (mark === "line") {
      enc.strokeWidth = { condition: { param: HIGHLIGHT_PARAM, value: 2, empty: true }, value: 1 };
    }
  });
  return spec;
}
