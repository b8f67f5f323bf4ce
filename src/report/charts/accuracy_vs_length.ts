/**
 * Chart 3, accuracy / MSE against sequence length: per task one panel (adding: test MSE, log
 * y; copy: recall accuracy, and a second copy panel of the test loss, log y, where the published
 * copy-loss references sit), one line per cell (mean over the seeds that finished ok, error
 * bars min–max), the memoryless baseline as a dashed rule and the published reference points
 * of the `paper` suite as black diamonds.
 *
 * @module
 */
import { COPY_ALPHABET } from "../../data/task_spec.ts";
import type { ResultRecord } from "../../results/schema.ts";
import type { Reference } from "../load.ts";
import {
  cellColor,
  type Chart,
  fmt,
  groupBy,
  lengthX,
  mean,
  placeholderSpec,
  seriesOf,
  sig,
  sortCells,
  TASK_LABEL,
  type VlSpec,
} from "./_common.ts";
import { wrapSpec } from "./_skeleton.ts";

/** The metric plotted per task. */
export const TASK_METRIC = {
  adding: "test_mse",
  copy: "test_accuracy",
} as const;

/** One (task, cell, T) point: the metric over seeds. */
export interface LengthRow {
  task: string;
  cell: string;
  T: number;
  mean: number;
  min: number;
  max: number;
  /** Seeds that finished ok (with the metric). */
  seeds: number;
  /** Seeds that diverged or failed. */
  lost: number;
  solvedSeeds: number;
}

/** The memoryless baseline of a task, in the plotted metric. */
export interface BaselineRow {
  task: string;
  value: number;
  label: string;
}

/** A metric a panel plots. */
export type PanelMetric = "test_mse" | "test_accuracy" | "test_loss";

/** Aggregates the plotted metric per task, cell and T (`metric`: default the task's own). */
export function accuracyRows(
  records: ResultRecord[],
  metricOf: (task: "adding" | "copy") => PanelMetric = (t) => TASK_METRIC[t],
): LengthRow[] {
  const rows: LengthRow[] = [];
  const groups = groupBy(records, (r) => `${r.config.task}|${seriesOf(r.config)}|${r.config.T}`);
  for (const rs of groups.values()) {
    const { task, T } = rs[0].config;
    const cell = seriesOf(rs[0].config);
    const metric = metricOf(task);
    const vals = rs.filter((r) => r.status === "ok")
      .map((r) => r.metrics[metric])
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v))
      // A log axis cannot show a loss of exactly 0: clamp to a floor far below any threshold.
      .map((v) => (metric === "test_accuracy" ? v : Math.max(v, 1e-12)));
    rows.push({
      task,
      cell,
      T,
      mean: vals.length ? sig(mean(vals)) : NaN,
      min: vals.length ? sig(Math.min(...vals)) : NaN,
      max: vals.length ? sig(Math.max(...vals)) : NaN,
      seeds: vals.length,
      lost: rs.filter((r) => r.status !== "ok").length,
      solvedSeeds: rs.filter((r) => r.metrics.solved).length,
    });
  }
  // A fixed order (task, T, cell order) so captions do not depend on the order of the records.
  const order = sortCells(rows.map((r) => r.cell));
  return rows.sort((a, b) =>
    a.task.localeCompare(b.task) || a.T - b.T || order.indexOf(a.cell) - order.indexOf(b.cell)
  );
}

/** Baselines per task: adding predicts 1 (MSE ≈ 1/6, from the records), copy guesses 1 of 8. */
export function baselineRows(records: ResultRecord[]): BaselineRow[] {
  const out: BaselineRow[] = [];
  const adding = records.filter((r) => r.config.task === "adding");
  if (adding.length) {
    const v = mean(adding.map((r) => r.metrics.baseline_loss));
    out.push({ task: "adding", value: sig(v), label: `memoryless baseline (MSE ${fmt(v)})` });
  }
  if (records.some((r) => r.config.task === "copy")) {
    const v = 1 / COPY_ALPHABET;
    out.push({ task: "copy", value: v, label: `memoryless baseline (guess: ${fmt(v)})` });
  }
  return out;
}

/**
 * The finding in words, one clause per task: how many series solve the longest length anyone
 * solved (by the mean over seeds), how many solve none, and how many are no better than the
 * memoryless baseline at the longest length.
 */
export function accuracyCaption(
  rows: LengthRow[],
  baselines: BaselineRow[],
  thresholds: { mse: number; accuracy: number },
): string {
  if (rows.length === 0) return "No finished runs in these results.";
  const out: string[] = [];
  for (const [task, rs] of groupBy(rows, (r) => r.task)) {
    const metric = TASK_METRIC[task as "adding" | "copy"];
    const solved = (r: LengthRow) =>
      r.seeds > 0 &&
      (metric === "test_mse" ? r.mean <= thresholds.mse : r.mean >= thresholds.accuracy);
    const cells = sortCells(rs.map((r) => r.cell));
    const longest = cells.map((c) =>
      Math.max(0, ...rs.filter((r) => r.cell === c && solved(r)).map((r) => r.T))
    );
    const best = Math.max(...longest);
    const rule = metric === "test_mse"
      ? `mean MSE ≤ ${thresholds.mse}`
      : `mean accuracy ≥ ${thresholds.accuracy}`;
    let s = best > 0
      ? `${TASK_LABEL[task] ?? task}: ${longest.filter((T) => T === best).length} of ` +
        `${cells.length} series solve T = ${best} (${rule}), ${
          longest.filter((T) => T === 0).length
        } none`
      : `${TASK_LABEL[task] ?? task}: no series solves any length (${rule})`;
    const maxT = Math.max(...rs.map((r) => r.T));
    const base = baselines.find((b) => b.task === task)?.value;
    if (base !== undefined) {
      const stuck = rs.filter((r) =>
        r.T === maxT && r.seeds > 0 &&
        (metric === "test_mse" ? r.mean >= 0.9 * base : r.mean <= base + 0.05)
      ).length;
      if (stuck) s += `, and ${stuck} stay at the memoryless baseline at T = ${maxT}`;
    }
    out.push(s);
  }
  return `${out.join("; ")}.`;
}

/** The copy task's memoryless cross-entropy per T (it falls with T: S·ln 8 / (T + 2S)). */
export function copyLossBaselines(records: ResultRecord[]): (BaselineRow & { T: number })[] {
  const copy = records.filter((r) => r.config.task === "copy");
  return [...groupBy(copy, (r) => String(r.config.T)).values()].map((rs) => {
    const v = mean(rs.map((r) => r.metrics.baseline_loss));
    return {
      task: "copy",
      T: rs[0].config.T,
      value: sig(v),
      label: `memoryless baseline (cross-entropy ${fmt(v)})`,
    };
  }).sort((a, b) => a.T - b.T);
}

const Y_TITLE: Record<PanelMetric, string> = {
  test_mse: "test MSE (log, lower is better)",
  test_accuracy: "recall accuracy (fraction, higher is better)",
  test_loss: "test cross-entropy (nats per step, log)",
};

const PANEL_NAME: Record<PanelMetric, string> = {
  test_mse: "test MSE",
  test_accuracy: "recall accuracy",
  test_loss: "test loss",
};

function panel(
  task: string,
  metric: PanelMetric,
  rows: LengthRow[],
  baselines: BaselineRow[],
  refs: Reference[],
  cells: string[],
): VlSpec {
  const isLog = metric !== "test_accuracy";
  const yTitle = Y_TITLE[metric];
  const y = (field: string, extra: VlSpec = {}) => ({
    field,
    type: "quantitative",
    scale: isLog ? { type: "log" } : { domain: [0, 1] },
    ...extra,
  });
  const Ts = [...new Set([...rows.map((r) => r.T), ...refs.map((r) => r.T)])].sort((a, b) => a - b);
  const x = lengthX(Ts);
  const layers: VlSpec[] = [
    metric === "test_loss"
      ? {
        data: { values: baselines },
        mark: { type: "line", strokeDash: [6, 4], color: "#888" },
        encoding: {
          x,
          y: y("value"),
          tooltip: [{ field: "label", type: "nominal", title: "baseline" }],
        },
      }
      : {
        data: { values: baselines },
        mark: { type: "rule", strokeDash: [6, 4], color: "#888" },
        encoding: {
          y: y("value"),
          tooltip: [{ field: "label", type: "nominal", title: "baseline" }],
        },
      },
    {
      data: { values: rows },
      mark: { type: "rule", strokeWidth: 1.5 },
      encoding: {
        x,
        y: y("min"),
        y2: { field: "max" },
        color: cellColor(cells),
      },
    },
    {
      data: { values: rows },
      mark: { type: "line", point: { filled: true, size: 40 } },
      encoding: {
        x,
        y: y("mean", { title: yTitle }),
        color: cellColor(cells),
        tooltip: [
          { field: "cell", type: "nominal" },
          { field: "T", type: "quantitative", title: "T (steps)" },
          { field: "mean", type: "quantitative", title: `${metric} (mean)`, format: ".4g" },
          { field: "min", type: "quantitative", title: "min", format: ".4g" },
          { field: "max", type: "quantitative", title: "max", format: ".4g" },
          { field: "seeds", type: "quantitative", title: "seeds ok" },
          { field: "lost", type: "quantitative", title: "seeds diverged/failed" },
        ],
      },
    },
  ];
  if (refs.length) {
    layers.push({
      data: { values: refs },
      mark: { type: "point", shape: "diamond", filled: true, size: 110, color: "black" },
      encoding: {
        x,
        y: y("value"),
        tooltip: [
          { field: "source", type: "nominal", title: "published" },
          { field: "cell", type: "nominal" },
          { field: "T", type: "quantitative", title: "T (steps)" },
          { field: "value", type: "quantitative", title: metric, format: ".4g" },
        ],
      },
    });
  }
  return {
    title: {
      text: `${TASK_LABEL[task] ?? task} (${PANEL_NAME[metric]})`,
      fontSize: 13,
    },
    width: 340,
    height: 260,
    layer: layers,
  };
}

/** Chart 3: the task metric against T, per cell, with baselines and published references. */
export function accuracyVsLengthChart(records: ResultRecord[], references: Reference[]): Chart {
  const title = "Accuracy and MSE against sequence length";
  const rows = accuracyRows(records);
  const plotted = rows.filter((r) => r.seeds > 0);
  const lossRows = accuracyRows(records.filter((r) => r.config.task === "copy"), () => "test_loss")
    .filter((r) => r.seeds > 0);
  const baselines = baselineRows(records);
  const notes: string[] = [];
  const stopped = records.filter((r) => r.stopped_early === true);
  if (stopped.length) {
    notes.push(
      `${stopped.length} of ${records.length} run(s) stopped early once solved (stopWhenSolved): ` +
        `their final metrics are from the step they stopped at (${
          [...new Set(stopped.map((r) => r.end_step ?? r.timing.steps_done))].sort((a, b) => a - b)
            .slice(0, 8).join(", ")
        }${stopped.length > 8 ? ", …" : ""}), the others' from their full step budget.`,
    );
  }
  const empty = rows.filter((r) => r.seeds === 0).map((r) => `${r.task} ${r.cell} T=${r.T}`);
  if (empty.length) {
    notes.push(
      `No seed finished ok for ${empty.length} point(s): ${empty.slice(0, 4).join(", ")}${
        empty.length > 4 ? ", …" : ""
      }.`,
    );
  }
  const tasks = ["adding", "copy"].filter((t) => plotted.some((r) => r.task === t));
  // A reference is plotted at a length these results cover (the paper suite's own lengths);
  // elsewhere it would only stretch the axis, so it is listed in a note instead.
  const lengths = new Set(plotted.map((r) => `${r.task}:${r.T}`));
  const onPanel = (r: Reference) =>
    r.metric === TASK_METRIC[r.task] || (r.task === "copy" && r.metric === "test_loss");
  const shownRefs = references.filter((r) =>
    tasks.includes(r.task) && onPanel(r) && lengths.has(`${r.task}:${r.T}`)
  );
  const otherRefs = references.filter((r) => !shownRefs.includes(r));
  if (otherRefs.length) {
    notes.push(
      `${otherRefs.length} published reference point(s) are at lengths or metrics not on this ` +
        `chart; the memory-horizon chart marks them at their lengths.`,
    );
  }
  const thresholds = records[0]?.config.solved ?? { mse: 0.01, accuracy: 0.99 };
  const caption = accuracyCaption(plotted, baselines, thresholds) +
    (shownRefs.length ? ` Black diamonds: ${shownRefs.length} published reference point(s).` : "");
  if (plotted.length === 0) {
    return {
      name: "accuracy_vs_length",
      title,
      spec: placeholderSpec(title, "No finished runs with test metrics yet."),
      caption,
      notes,
    };
  }
  const cells = sortCells(plotted.map((r) => r.cell));
  return {
    name: "accuracy_vs_length",
    title,
    spec: wrapSpec(
      title,
      "mean over seeds that finished ok, bars min–max; dashed: memoryless baseline; " +
        "◆ published results",
      {
        // Two panels a row: three side by side would not fit a 1,280 px screen.
        columns: 2,
        concat: [
          ...tasks.map((t) =>
            panel(
              t,
              TASK_METRIC[t as "adding" | "copy"],
              plotted.filter((r) => r.task === t),
              baselines.filter((b) => b.task === t),
              shownRefs.filter((r) => r.task === t && r.metric === TASK_METRIC[r.task]),
              cells,
            )
          ),
          ...(lossRows.length
            ? [panel(
              "copy",
              "test_loss",
              lossRows,
              copyLossBaselines(records),
              shownRefs.filter((r) => r.task === "copy" && r.metric === "test_loss"),
              cells,
            )]
            : []),
        ],
      },
    ),
    caption,
    notes,
  };
}
