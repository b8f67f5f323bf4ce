/**
 * The chart shape and Vega-Lite basics shared by the report's and the history page's charts:
 * the {@link Chart} object, the schema URL, the shared config and a placeholder for "nothing to
 * show". Kept apart from both pages so neither imports the other.
 *
 * @module
 */

/** A Vega-Lite spec as plain JSON (validated by compiling it in the tests). */
export type VlSpec = Record<string, unknown>;

/** One chart of a page. */
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

/** The Vega-Lite schema every spec names. */
export const VL_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

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
