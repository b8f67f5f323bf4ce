/**
 * What every chart module shares: the chart type and the cell order and colours (from
 * `src/viz/`, shared with the history page), sampling of distances, small statistics and number
 * formatting.
 *
 * @module
 */
import type { ResultRecord } from "../../results/schema.ts";

export { type Chart, CONFIG, placeholderSpec, VL_SCHEMA, type VlSpec } from "../../viz/chart.ts";
export {
  cellColor,
  cellColour,
  seriesOf,
  sortCells,
  withCellHighlight,
} from "../../viz/cell_style.ts";

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

/**
 * The x encoding of a chart against sequence length: log scale, a tick at every tested T.
 */
export function lengthX(Ts: number[]): Record<string, unknown> {
  return {
    field: "T",
    type: "quantitative",
    scale: { type: "log", nice: false, padding: 12 },
    axis: { values: Ts, format: "d" },
    title: "sequence length T (time steps)",
  };
}

/** Task names as readers know them. */
export const TASK_LABEL: Record<string, string> = {
  adding: "adding problem",
  copy: "copy memory",
};
