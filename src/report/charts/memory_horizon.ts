/**
 * The headline chart, memory horizon per cell: per task one panel, one row per cell series, a
 * dot at its memory horizon (the median seed's longest T solved; "≥" where the longest tested
 * length was solved, so the true horizon lies beyond), a bar over the seeds' min–max, and
 * "none" where no length was solved. Published results sit beside them as marks
 * ({@link LiteratureMark}: a diamond at the length a paper reports, filled where it reports the
 * task solved there).
 *
 * @module
 */
import type { Reference } from "../../suite/suite.ts";
import type { PresentedHorizon } from "../findings.ts";
import { horizonT } from "../findings_text.ts";
import { metricSolves } from "../literature.ts";
import { cellColor, type Chart, sortCells, TASK_LABEL, type VlSpec } from "./_common.ts";
import { taskChart } from "./_skeleton.ts";

/** A published result placed beside the measured horizons. */
export interface LiteratureMark {
  task: "adding" | "copy";
  cell: string;
  /** The length the paper reports. */
  T: number;
  /** Whether the paper's number counts as solving the task at T (see {@link literatureMarks}). */
  solved: boolean;
  /** The reported number in words, e.g. `test MSE 5.3e-5`. */
  value: string;
  source: string;
}

/**
 * Literature marks from a suite's reference points, filled where the published number solves
 * the task by {@link metricSolves} (the one rule the literature table judges both sides by).
 */
export function literatureMarks(
  refs: Reference[],
  thresholds: { mse: number; accuracy: number } = { mse: 0.01, accuracy: 0.99 },
  symbols = 10,
): LiteratureMark[] {
  return refs.map((r) => ({
    task: r.task,
    cell: r.cell,
    T: r.T,
    solved: metricSolves(r, thresholds, symbols),
    value: `${r.metric.replace("_", " ")} ${r.value}`,
    source: r.source,
  }));
}

/** One plotted row: a series' horizon on a task. */
export interface HorizonRow {
  task: string;
  cell: string;
  /** Where the dot sits: the horizon, or the axis start for "none". */
  at: number;
  min: number | null;
  max: number | null;
  label: string;
  /** Where the label starts: past the dot and past the seeds' range bar, so neither hides it. */
  labelAt: number;
  solved: boolean;
  seeds: number;
}

/** The rows of the headline chart. */
export function horizonRows(horizons: PresentedHorizon[]): HorizonRow[] {
  return horizons.map((h) => {
    const lo = Math.min(...h.lengths);
    const at = h.median > 0 ? h.median : lo / 1.6;
    return {
      task: h.task,
      cell: h.cell,
      at,
      min: h.max > 0 ? Math.max(h.min, lo / 1.6) : null,
      max: h.max > 0 ? h.max : null,
      label: h.median > 0 ? horizonT(h) : "none",
      labelAt: Math.max(at, h.max),
      solved: h.median > 0,
      seeds: h.seeds,
    };
  });
}

/** The finding in words: per task the farthest reach, and how many series reached nothing. */
export function horizonCaption(horizons: PresentedHorizon[]): string {
  if (horizons.length === 0) return "No finished runs in these results.";
  const parts = ["adding", "copy"].flatMap((t) => {
    const hs = horizons.filter((h) => h.task === t);
    if (hs.length === 0) return [];
    const best = Math.max(...hs.map((h) => h.median));
    const capped = hs.some((h) => h.median === best && h.capped);
    const none = hs.filter((h) => h.median === 0).length;
    if (best === 0) return [`${TASK_LABEL[t]}: none of ${hs.length} series solves a length`];
    const n = hs.filter((h) => h.median === best).length;
    return [
      `${TASK_LABEL[t]}: ${n} of ${hs.length} series ${n === 1 ? "reaches" : "reach"} ` +
      `${capped ? "≥ " : ""}T = ${best}` + (none ? `, ${none} solve none` : ""),
    ];
  });
  const top = horizons.some((h) => h.searched) ? " (a search's top rung)" : "";
  return `${parts.join("; ")}. A dot is the median seed's longest T solved, its bar the ` +
    `seeds' range; ≥ marks a horizon at the longest length tested${top}.`;
}

function panel(
  task: string,
  rows: HorizonRow[],
  cells: string[],
  marks: LiteratureMark[],
  lengths: number[],
): VlSpec {
  const mine = marks.filter((m) => m.task === task);
  const Ts = [...new Set([...lengths, ...mine.map((m) => m.T)])].sort((a, b) => a - b);
  const lo = Ts[0] / 2;
  const hi = Ts.at(-1)! * 2.4;
  const x = {
    field: "at",
    type: "quantitative",
    scale: { type: "log", domain: [lo, hi], nice: false },
    axis: { values: Ts, format: "d", grid: true },
    title: "memory horizon: longest T solved (log)",
  };
  const y = {
    field: "cell",
    type: "nominal",
    sort: cells,
    scale: { domain: cells },
    title: "cell (series)",
    axis: { labelLimit: 120 },
  };
  const color = cellColor(cells);
  const tooltip = [
    { field: "cell", type: "nominal" },
    { field: "label", type: "nominal", title: "memory horizon (T)" },
    { field: "min", type: "quantitative", title: "shortest seed's" },
    { field: "max", type: "quantitative", title: "longest seed's" },
    { field: "seeds", type: "quantitative", title: "seeds" },
  ];
  const layers: VlSpec[] = [
    {
      data: { values: rows.filter((r) => r.max !== null) },
      mark: { type: "rule", strokeWidth: 3, opacity: 0.45 },
      encoding: { x: { ...x, field: "min" }, x2: { field: "max" }, y, color },
    },
    {
      data: { values: rows },
      mark: { type: "point", filled: true, size: 70 },
      encoding: {
        x,
        y,
        color,
        shape: {
          field: "solved",
          type: "nominal",
          scale: { domain: [true, false], range: ["circle", "cross"] },
          legend: null,
        },
        tooltip,
      },
    },
    {
      data: { values: rows },
      mark: { type: "text", align: "left", dx: 8, fontSize: 11, color: "#333" },
      encoding: { x: { ...x, field: "labelAt" }, y, text: { field: "label" } },
    },
  ];
  if (mine.length) {
    layers.push({
      data: { values: mine.filter((m) => cells.includes(m.cell)).map((m) => ({ ...m, at: m.T })) },
      mark: { type: "point", shape: "diamond", size: 90, stroke: "#222", strokeWidth: 1.2 },
      encoding: {
        x,
        y,
        fill: {
          field: "solved",
          type: "nominal",
          scale: { domain: [true, false], range: ["#222", "transparent"] },
          legend: null,
        },
        tooltip: [
          { field: "cell", type: "nominal" },
          { field: "T", type: "quantitative", title: "T (reported)" },
          { field: "value", type: "nominal", title: "reported" },
          { field: "solved", type: "nominal", title: "solved there" },
          { field: "source", type: "nominal" },
        ],
      },
    });
  }
  return {
    title: { text: TASK_LABEL[task] ?? task, fontSize: 13 },
    width: 380,
    height: { step: 17 },
    layer: layers,
  };
}

/** The headline chart: memory horizon per cell series, one panel per task. */
export function memoryHorizonChart(
  horizons: PresentedHorizon[],
  literature: LiteratureMark[] = [],
): Chart {
  const rows = horizonRows(horizons);
  const cells = sortCells(rows.map((r) => r.cell));
  const notes = literature.length
    ? [
      `Diamonds: published results (${
        [...new Set(literature.map((m) => m.source.replace(/ \(.*\)$/, "")))].join("; ")
      }), filled where the paper's number solves the task at that length.`,
    ]
    : [];
  return taskChart({
    name: "memory_horizon",
    title: "Memory horizon per cell",
    subtitle: "longest sequence length solved (median seed; bar: range over seeds); " +
      "≥: the longest length tested was solved",
    caption: horizonCaption(horizons),
    notes,
    rows,
    empty: "No finished runs yet.",
    panel: (task, rs) =>
      panel(
        task,
        rs,
        cells,
        literature,
        [...new Set(horizons.filter((h) => h.task === task).flatMap((h) => h.lengths))],
      ),
  });
}
