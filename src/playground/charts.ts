/**
 * The playground's three live charts as Vega-Lite specs, in the report's look (its shared
 * config, fonts and colours), plus the rows they show. Each spec reads a named data set
 * (`decay`, `loss`, `metric`) that the page replaces as training runs, so a chart is embedded
 * once per setting and then only its data changes.
 *
 * Pure: no DOM; the page embeds them with vega-embed, the tests compile and render them. Only
 * `src/viz/chart.ts` is imported from the report (the rest of its chart code reaches the
 * engine, which the page's bundle must not carry).
 *
 * @module
 */
import { CONFIG, VL_SCHEMA, type VlSpec } from "../viz/chart.ts";
import { TEST_SIZE } from "./params.ts";

/** A chart of the page: where it goes and what it draws. */
export interface PlaygroundChart {
  /** The element id suffix and the data set's name. */
  name: "decay" | "loss" | "metric";
  spec: VlSpec;
}

/** One point of a decay curve. */
export interface DecayRow {
  checkpoint: "initialisation" | "now";
  step: number;
  distance: number;
  ratio: number;
  /** Stacked cells: the layer, 1 = bottom (absent for one layer). */
  layer?: number;
}

/** One training-loss point. */
export interface LossRow {
  step: number;
  loss: number;
}

/** One test-metric point. */
export interface MetricRow {
  step: number;
  value: number;
}

/** Lay the chart out again on every update: axis labels grow as the data arrives. */
const AUTOSIZE = { type: "pad", resize: true };

/**
 * A log axis labelled at powers of ten only (vega also labels 2·10^k and 5·10^k, which crowds),
 * as decimals down to 0.001 and in exponent form below.
 */
const LOG_AXIS = {
  labelExpr: "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) > 1e-6 ? '' : " +
    "datum.value >= 0.001 ? format(datum.value, '~g') : format(datum.value, '.0e')",
};

/** Blue for the network as it is now, grey for how it started. */
const CHECKPOINT_COLOURS = { domain: ["now", "initialisation"], range: ["#4c78a8", "#aaaaaa"] };

/**
 * Decay rows of one probe: ‖dL/dh_t‖ / ‖dL/dh_{len−1}‖ at every distance d = len−1−t (at most
 * a thousand or so points: live data, never inlined). Ratios that are 0 or not finite cannot
 * sit on a log axis: they are left out and counted.
 */
export function decayRows(
  norms: number[],
  checkpoint: DecayRow["checkpoint"],
  step: number,
  layer?: number,
): { rows: DecayRow[]; dropped: number } {
  const len = norms.length;
  const last = norms[len - 1];
  if (!(last > 0) || !Number.isFinite(last)) return { rows: [], dropped: len };
  const rows: DecayRow[] = [];
  let dropped = 0;
  for (let d = 0; d < len; d++) {
    const ratio = norms[len - 1 - d] / last;
    if (ratio > 0 && Number.isFinite(ratio)) {
      rows.push({ checkpoint, step, distance: d, ratio, ...(layer ? { layer } : {}) });
    } else dropped++;
  }
  return { rows, dropped };
}

/**
 * Decay rows of a probe of every layer of a stacked cell (`layerNorms`, bottom first), each
 * relative to its own layer's last step; one layer: the rows of `norms` alone.
 */
export function layerDecayRows(
  norms: number[],
  layerNorms: number[][] | undefined,
  checkpoint: DecayRow["checkpoint"],
  step: number,
): { rows: DecayRow[]; dropped: number } {
  if (!layerNorms || layerNorms.length < 2) return decayRows(norms, checkpoint, step);
  const parts = layerNorms.map((n, i) => decayRows(n, checkpoint, step, i + 1));
  return {
    rows: parts.flatMap((p) => p.rows),
    dropped: parts.reduce((a, p) => a + p.dropped, 0),
  };
}

/**
 * ‖dL/dh_t‖ / ‖dL/dh_{T−1}‖ against distance, log y: now and at initialisation; a stacked
 * cell draws one line per layer (solid: the top layer, dashed below it).
 */
export function decaySpec(cell: string, seqLength: number, layers = 1): VlSpec {
  const stacked = layers > 1;
  return {
    $schema: VL_SCHEMA,
    title: {
      text: `Gradient decay: ${cell}${stacked ? ` ×${layers}` : ""}`,
      subtitle: `‖dL/dh_t‖ relative to the last step's, over ${seqLength} steps (log scale)` +
        (stacked ? `; one line per layer` : ""),
    },
    width: 440,
    height: 370,
    config: CONFIG,
    autosize: AUTOSIZE,
    data: { name: "decay" },
    // Markers only while they stay apart.
    mark: { type: "line", point: seqLength <= 80 ? { size: 18 } : false },
    encoding: {
      x: {
        field: "distance",
        type: "quantitative",
        title: "distance from the last step (steps)",
        scale: { domain: [0, Math.max(1, seqLength - 1)], nice: false },
      },
      y: {
        field: "ratio",
        type: "quantitative",
        title: "‖dL/dh_t‖ / ‖dL/dh_{T−1}‖ (log)",
        scale: { type: "log" },
        axis: LOG_AXIS,
      },
      color: {
        field: "checkpoint",
        type: "nominal",
        title: null,
        scale: CHECKPOINT_COLOURS,
        sort: CHECKPOINT_COLOURS.domain,
        legend: { orient: "top", direction: "horizontal" },
      },
      ...(stacked
        ? {
          strokeDash: {
            field: "layer",
            type: "ordinal",
            title: "layer (1 = bottom)",
            // The top layer solid, the lower ones ever more finely dashed.
            scale: {
              domain: Array.from({ length: layers }, (_, i) => layers - i),
              range: Array.from(
                { length: layers },
                (_, i) => (i === 0 ? [1, 0] : [Math.max(1, 6 - i), 2 + i]),
              ),
            },
            legend: { orient: "top", direction: "horizontal" },
          },
        }
        : {}),
      tooltip: [
        ...(stacked ? [{ field: "layer", type: "ordinal", title: "layer" }] : []),
        { field: "checkpoint", type: "nominal", title: "when" },
        { field: "step", type: "quantitative", title: "training step" },
        { field: "distance", type: "quantitative", title: "distance (steps)" },
        { field: "ratio", type: "quantitative", title: "ratio", format: ".3e" },
      ],
    },
  };
}

/** A horizontal reference line with a label at its right end. */
function reference(value: number, label: string, colour: string): VlSpec {
  return {
    data: { values: [{ value, label }] },
    layer: [
      {
        mark: { type: "rule", strokeDash: [4, 3], color: colour },
        encoding: {
          y: { field: "value", type: "quantitative" },
          tooltip: [
            { field: "label", type: "nominal", title: "reference" },
            { field: "value", type: "quantitative", title: "value", format: ".4g" },
          ],
        },
      },
      {
        mark: { type: "text", align: "right", dy: -6, x: "width", color: colour, fontSize: 11 },
        encoding: {
          y: { field: "value", type: "quantitative" },
          text: { field: "label", type: "nominal" },
        },
      },
    ],
  };
}

/** The training loss per step (log y) with the memoryless baseline. */
export function lossSpec(task: "adding" | "copy", baseline: number): VlSpec {
  const what = task === "adding" ? "MSE" : "cross-entropy";
  return {
    $schema: VL_SCHEMA,
    title: { text: "Training loss", subtitle: `${what} per step; dashed: memoryless baseline` },
    width: 400,
    height: 150,
    config: CONFIG,
    autosize: AUTOSIZE,
    layer: [
      {
        data: { name: "loss" },
        mark: { type: "line", color: "#4c78a8", strokeWidth: 1.2 },
        encoding: {
          x: { field: "step", type: "quantitative", title: "training step" },
          y: {
            field: "loss",
            type: "quantitative",
            title: `training loss (${what}, log)`,
            scale: { type: "log" },
            axis: LOG_AXIS,
          },
          tooltip: [
            { field: "step", type: "quantitative", title: "step" },
            { field: "loss", type: "quantitative", title: "loss", format: ".4g" },
          ],
        },
      },
      reference(baseline, `baseline ${baseline.toPrecision(3)}`, "#e45756"),
    ],
  };
}

/** The test metric: adding, test MSE (log) with the solved line; copy, recall accuracy. */
export function metricSpec(task: "adding" | "copy", baseline: number): VlSpec {
  const adding = task === "adding";
  return {
    $schema: VL_SCHEMA,
    title: {
      text: adding ? "Test MSE" : "Recall accuracy",
      subtitle: adding
        ? `on ${TEST_SIZE} held-out sequences; solved at ≤ 0.01`
        : `share of the symbols recalled right, ${TEST_SIZE} held-out sequences; solved at ≥ 0.99`,
    },
    width: 400,
    height: 150,
    config: CONFIG,
    autosize: AUTOSIZE,
    layer: [
      {
        data: { name: "metric" },
        mark: { type: "line", color: "#54a24b", point: { size: 20 } },
        encoding: {
          x: { field: "step", type: "quantitative", title: "training step" },
          y: {
            field: "value",
            type: "quantitative",
            title: adding ? "test MSE (log)" : "recall accuracy (share)",
            scale: adding ? { type: "log" } : { domain: [0, 1] },
            ...(adding ? { axis: LOG_AXIS } : {}),
          },
          tooltip: [
            { field: "step", type: "quantitative", title: "step" },
            { field: "value", type: "quantitative", title: adding ? "MSE" : "accuracy" },
          ],
        },
      },
      adding
        ? reference(0.01, "solved 0.01", "#54a24b")
        : reference(0.99, "solved 0.99", "#54a24b"),
      adding
        ? reference(baseline, `baseline ${baseline.toPrecision(3)}`, "#e45756")
        : reference(1 / 8, "chance 1/8", "#e45756"),
    ],
  };
}

/** The three charts of a setting, in page order. */
export function playgroundCharts(
  s: {
    cell: string;
    task: "adding" | "copy";
    seqLength: number;
    baseline: number;
    layers?: number;
  },
): PlaygroundChart[] {
  return [
    { name: "decay", spec: decaySpec(s.cell, s.seqLength, s.layers ?? 1) },
    { name: "loss", spec: lossSpec(s.task, s.baseline) },
    { name: "metric", spec: metricSpec(s.task, s.baseline) },
  ];
}
