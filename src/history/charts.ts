/**
 * Vega-Lite specs of the history page: step time, test accuracy and test MSE over runs, one
 * panel per (suite,) task and T, one line per cell; flagged step-time regressions drawn as red
 * rings. Each chart has a title, axis titles with units and a tooltip naming the run's commit.
 *
 * The chart objects have the shape of the report's charts (`name`, `title`, `spec`, `caption`,
 * `notes`), so the report writes and embeds them like its own.
 *
 * @module
 */
import { cellColor, sortCells, withCellHighlight } from "../viz/cell_style.ts";
import { type Chart, CONFIG, placeholderSpec, VL_SCHEMA, type VlSpec } from "../viz/chart.ts";
import type { Regression } from "./regressions.ts";
import type { TrendSeries } from "./trends.ts";

/** One chart of the history page: the report's chart shape. */
export type HistoryChart = Chart;
export type { VlSpec };

/** A chart row: one point of one series. */
interface Row {
  panel: string;
  /** The cell series (coloured as on every page). */
  cell: string;
  /** Hidden size, batch and backend where the history mixes them (one line style each). */
  variant: string;
  T: number;
  date: string;
  commit: string;
  run: string;
  value: number;
  seeds: number;
  regression?: boolean;
  baseline?: number;
  threshold?: number;
}

const TASK_LABEL: Record<string, string> = { adding: "adding", copy: "copy memory" };

function panelOf(s: TrendSeries, multiSuite: boolean): string {
  return `${multiSuite ? `${s.suite} · ` : ""}${TASK_LABEL[s.task] ?? s.task} · T=${s.T}`;
}

/** What tells series of one cell apart: size and backend, where the history mixes them. */
function variantLabel(s: TrendSeries, mixed: { size: boolean; backend: boolean }): string {
  return [
    ...(mixed.size ? [`H=${s.hidden} B=${s.batch}`] : []),
    ...(mixed.backend ? [s.backend] : []),
  ].join(", ");
}

function rows(
  series: TrendSeries[],
  pick: (p: TrendSeries["points"][number]) => number | null,
  flagged = new Map<string, Regression>(),
): Row[] {
  const multiSuite = new Set(series.map((s) => s.suite)).size > 1;
  const mixed = {
    // One (suite, task, cell, T, backend) in several series: they differ in hidden or batch.
    size: new Set(series.map((s) => `${s.suite}|${s.task}|${s.cell}|${s.T}|${s.backend}`)).size <
      series.length,
    backend: new Set(series.map((s) => s.backend)).size > 1,
  };
  const out: Row[] = [];
  for (const s of series) {
    for (const p of s.points) {
      const v = pick(p);
      if (v === null || !Number.isFinite(v)) continue;
      const reg = flagged.get(`${s.key}@${p.run}`);
      out.push({
        panel: panelOf(s, multiSuite),
        cell: s.cell,
        variant: variantLabel(s, mixed),
        T: s.T,
        date: p.date,
        commit: p.commit ? p.commit.slice(0, 7) : "unknown",
        run: p.run,
        value: Number(v.toPrecision(4)),
        seeds: p.seeds,
        ...(flagged.size
          ? {
            regression: reg !== undefined,
            ...(reg
              ? {
                baseline: Number(reg.baseline.toPrecision(4)),
                threshold: Number(reg.threshold.toPrecision(4)),
              }
              : {}),
          }
          : {}),
      });
    }
  }
  return out;
}

function placeholder(name: string, title: string, message: string): HistoryChart {
  return {
    name,
    title,
    caption: message,
    notes: [],
    spec: { ...placeholderSpec(title, message), config: CONFIG },
  };
}

function panels(data: Row[]): string[] {
  return [...new Set(data.map((r) => r.panel))].sort((a, b) => {
    const ta = Number(a.match(/T=(\d+)$/)?.[1]), tb = Number(b.match(/T=(\d+)$/)?.[1]);
    const pa = a.replace(/T=\d+$/, ""), pb = b.replace(/T=\d+$/, "");
    return pa.localeCompare(pb) || ta - tb;
  });
}

function trendSpec(
  title: string,
  subtitle: string,
  data: Row[],
  y: { title: string; scale?: VlSpec; format: string },
  withRegressions: boolean,
): VlSpec {
  const cells = sortCells(data.map((r) => r.cell));
  const variants = [...new Set(data.map((r) => r.variant))].filter((v) => v !== "").sort();
  const tooltip = [
    { field: "cell", type: "nominal", title: "cell" },
    ...(variants.length ? [{ field: "variant", type: "nominal", title: "size, backend" }] : []),
    { field: "panel", type: "nominal", title: "task · T" },
    { field: "date", type: "temporal", title: "run date (UTC)", format: "%Y-%m-%d %H:%M" },
    { field: "commit", type: "nominal", title: "commit" },
    { field: "value", type: "quantitative", title: y.title, format: y.format },
    { field: "seeds", type: "quantitative", title: "seeds" },
  ];
  const x = {
    field: "date",
    type: "temporal",
    title: "run date (UTC)",
    axis: { format: "%b %d", labelAngle: -30 },
  };
  const yEnc = { field: "value", type: "quantitative", title: y.title, scale: y.scale ?? {} };
  const color = cellColor(cells);
  const layers: VlSpec[] = [{
    mark: { type: "line", point: true },
    encoding: {
      x,
      y: yEnc,
      color,
      ...(variants.length
        ? { strokeDash: { field: "variant", type: "nominal", title: "size, backend" } }
        : {}),
      tooltip,
    },
  }];
  if (withRegressions) {
    layers.push({
      transform: [{ filter: "datum.regression" }],
      mark: { type: "point", shape: "circle", size: 220, strokeWidth: 2.5, color: "#d62728" },
      encoding: {
        x,
        y: yEnc,
        tooltip: [
          ...tooltip,
          {
            field: "baseline",
            type: "quantitative",
            title: "baseline: median of earlier runs (ms)",
            format: ".3~g",
          },
          { field: "threshold", type: "quantitative", title: "flagged above (ms)", format: ".3~g" },
        ],
      },
    });
  }
  const ps = panels(data);
  return withCellHighlight({
    $schema: VL_SCHEMA,
    title: { text: title, subtitle },
    data: { values: data },
    facet: { field: "panel", type: "nominal", title: null, sort: ps },
    columns: Math.min(3, ps.length),
    spec: { width: 260, height: 170, layer: layers },
    resolve: { scale: { y: "independent" } },
    config: CONFIG,
  });
}

/** Median step time over runs, with flagged regressions ringed in red. */
export function stepTimeTrendChart(series: TrendSeries[], regressions: Regression[]): HistoryChart {
  const name = "history_step_time";
  const title = "Step time over runs";
  const flagged = new Map(regressions.map((r) => [`${r.series}@${r.run}`, r]));
  const data = rows(series, (p) => p.median_step_ms, flagged.size ? flagged : undefined);
  if (data.length === 0) {
    return placeholder(name, title, "No timed runs in the history yet.");
  }
  const n = regressions.length;
  return {
    name,
    title,
    spec: trendSpec(
      title,
      "median milliseconds per training step over seeds; red rings: flagged regressions",
      data,
      { title: "median step time (ms)", scale: { zero: false }, format: ".3~g" },
      n > 0,
    ),
    caption: n === 0
      ? `No step-time regression flagged across ${series.length} series.`
      : `${n} step-time regression${n === 1 ? "" : "s"} flagged (red rings).`,
    notes: [],
  };
}

/** Test accuracy over runs (the copy task's recall accuracy; the adding task's if recorded). */
export function accuracyTrendChart(series: TrendSeries[]): HistoryChart {
  const name = "history_accuracy";
  const title = "Test accuracy over runs";
  const data = rows(series, (p) => p.accuracy);
  if (data.length === 0) return placeholder(name, title, "No accuracy recorded in the history.");
  return {
    name,
    title,
    spec: trendSpec(
      title,
      "mean over seeds of the final test accuracy",
      data,
      { title: "test accuracy (fraction, 0–1)", scale: { domain: [0, 1] }, format: ".3f" },
      false,
    ),
    caption: `Final test accuracy of ${
      new Set(data.map((r) => `${r.panel}|${r.cell}`)).size
    } configurations over ${new Set(data.map((r) => r.run)).size} runs.`,
    notes: [],
  };
}

/** Test MSE over runs (the adding task), log scale. */
export function mseTrendChart(series: TrendSeries[]): HistoryChart {
  const name = "history_mse";
  const title = "Test MSE over runs";
  const data = rows(series, (p) => (p.mse !== null && p.mse > 0 ? p.mse : null));
  if (data.length === 0) return placeholder(name, title, "No MSE recorded in the history.");
  return {
    name,
    title,
    spec: trendSpec(
      title,
      "mean over seeds of the final test MSE (adding problem; the memoryless baseline is ≈ 0.167)",
      data,
      {
        title: "test MSE (squared output units, log scale)",
        scale: { type: "log" },
        format: ".3~g",
      },
      false,
    ),
    caption: `Final test MSE of ${
      new Set(data.map((r) => `${r.panel}|${r.cell}`)).size
    } configurations over ${new Set(data.map((r) => r.run)).size} runs.`,
    notes: [],
  };
}
