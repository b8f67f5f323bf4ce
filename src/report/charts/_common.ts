/**
 * What every chart module shares: the chart type, the cell order and colours (one cell has one
 * colour across all charts), sampling of distances, small statistics and number formatting.
 *
 * @module
 */
import type { ResultRecord } from "../../results/schema.ts";

/** A Vega-Lite spec as plain JSON (validated by compiling it in the tests). */
export type VlSpec = Record<string, unknown>;

/** One chart of the report. */
export interface Chart {
  /** File-safe name: `charts/NAME.vl.json`, `charts/NAME.svg`. */
  name: string;
  title: string;
  spec: VlSpec;
  /** The finding in words, computed from the data. */
  caption: string;
  /** What the chart had to leave out or could not show (dropped points, missing data). */
  notes: string[];
  /** An optional table shown under the chart (e.g. the speed ratios). */
  table?: { columns: string[]; rows: string[][]; caption?: string };
}

export const VL_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** The order cells are listed in: plain RNNs, the remedies, gated cells; `+attn` after its base. */
export const CELL_ORDER = [
  "rnn_tanh",
  "rnn_relu",
  "rnn_leaky",
  "irnn",
  "indrnn",
  "lstm",
  "gru",
];

/** Sorts cell names in {@link CELL_ORDER}, unknown ones alphabetically after, `+attn` after base. */
export function sortCells(cells: Iterable<string>): string[] {
  const rank = (c: string) => {
    const base = c.replace(/\+attn$/, "");
    const i = CELL_ORDER.indexOf(base);
    return [i < 0 ? CELL_ORDER.length : i, base, c.endsWith("+attn") ? 1 : 0] as const;
  };
  return [...new Set(cells)].sort((a, b) => {
    const [ia, ba, xa] = rank(a);
    const [ib, bb, xb] = rank(b);
    return ia - ib || ba.localeCompare(bb) || xa - xb;
  });
}

/** The colour encoding of a cell; a fixed domain keeps colours equal across charts. */
export function cellColor(cells: string[], title = "cell"): VlSpec {
  return {
    field: "cell",
    type: "nominal",
    title,
    scale: { domain: cells, scheme: cells.length > 10 ? "category20" : "tableau10" },
    sort: cells,
  };
}

/** The length a run's sequences (and probes) have: T for adding, T + 2·symbols for copy. */
export function sequenceLength(r: ResultRecord): number {
  return r.config.task === "copy" ? r.config.T + 2 * (r.config.symbols ?? 10) : r.config.T;
}

/**
 * Distances to plot for a sequence of length `len`: every distance up to 10, then roughly
 * geometric steps (×1.08), plus round numbers and the longest distance. Keeps ~60 points per
 * curve whatever T is, so the page and the SVG stay small.
 */
export function sampleDistances(len: number): number[] {
  const max = len - 1;
  const set = new Set<number>();
  for (let d = 0; d <= Math.min(10, max); d++) set.add(d);
  for (let x = 10; x < max; x *= 1.08) set.add(Math.round(x));
  for (const d of [20, 50, 100, 200, 500, 1000, 2000, 5000]) if (d <= max) set.add(d);
  if (max >= 0) set.add(max);
  return [...set].sort((a, b) => a - b);
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `x` rounded to 4 significant digits (keeps the inlined data small). */
export function sig(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(4)) : x;
}

/** Mean of a non-empty list. */
export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** `10^-4.6` style; `0` for zero. */
export function pow10(x: number): string {
  if (x === 0) return "0";
  const e = Math.log10(x);
  const rounded = Math.round(e * 10) / 10;
  return `10^${rounded === 0 ? "0" : rounded.toFixed(1).replace(/\.0$/, "")}`;
}

/** A short human number: 3 significant digits, exponent form for tiny/huge values. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e5) return x.toExponential(2).replace("e", "·10^").replace("+", "");
  return String(Number(x.toPrecision(3)));
}

/** `a, b and c`. */
export function listWords(xs: string[]): string {
  if (xs.length <= 1) return xs.join("");
  return `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`;
}

/** Groups items by a string key, keeping first-seen order. */
export function groupBy<T>(xs: Iterable<T>, key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** Task names as readers know them. */
export const TASK_LABEL: Record<string, string> = {
  adding: "adding problem",
  copy: "copy memory",
};

/** A chart that says why there is nothing to show (it still renders a mark). */
export function placeholderSpec(title: string, message: string): VlSpec {
  return {
    $schema: VL_SCHEMA,
    title,
    width: 480,
    height: 60,
    data: { values: [{ message }] },
    mark: { type: "text", fontSize: 14, align: "center" },
    encoding: {
      text: { field: "message", type: "nominal" },
      tooltip: [{ field: "message", type: "nominal", title: "why" }],
    },
  };
}

/** Shared config: readable fonts, no chart border. */
export const CONFIG: VlSpec = {
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320, titleLimit: 320 },
  title: { fontSize: 15, anchor: "start", subtitleFontSize: 12, subtitleColor: "#555" },
};
