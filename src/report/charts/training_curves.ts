/**
 * Chart 3, training curves: training loss against step, one line per cell (median over the seeds
 * that finished ok), faceted by T, one row of panels per task, the memoryless baseline dashed.
 *
 * @module
 */
import type { ResultRecord } from "../../results/schema.ts";
import {
  cellColor,
  type Chart,
  groupBy,
  median,
  seriesOf,
  sig,
  sortCells,
  TASK_LABEL,
  type VlSpec,
} from "./_common.ts";
import { taskChart } from "./_skeleton.ts";

/** One point of a training curve, aggregated over seeds. */
export interface CurveRow {
  task: string;
  T: number;
  cell: string;
  step: number;
  loss: number;
  baseline: number;
  seeds: number;
}

/** At most this many points per curve (evenly thinned, the last one kept). */
export const MAX_CURVE_POINTS = 80;

/** Median training loss per (task, T, cell, step) over runs that finished ok. */
export function trainingCurveRows(records: ResultRecord[]): CurveRow[] {
  const rows: CurveRow[] = [];
  const ok = records.filter((r) => r.status === "ok" && r.curve.length > 0);
  for (
    const rs of groupBy(ok, (r) => `${r.config.task}|${r.config.T}|${seriesOf(r.config)}`).values()
  ) {
    const byStep = new Map<number, number[]>();
    for (const r of rs) {
      for (const p of r.curve) {
        // A log axis cannot show a loss of 0 or a non-number.
        if (!(p.train_loss > 0) || !Number.isFinite(p.train_loss)) continue;
        const l = byStep.get(p.step);
        if (l) l.push(p.train_loss);
        else byStep.set(p.step, [p.train_loss]);
      }
    }
    const steps = [...byStep.keys()].sort((a, b) => a - b);
    const every = Math.max(1, Math.ceil(steps.length / MAX_CURVE_POINTS));
    const kept = steps.filter((_, i) => i % every === 0 || i === steps.length - 1);
    const baseline = sig(rs[0].metrics.baseline_loss);
    for (const step of kept) {
      const losses = byStep.get(step)!;
      rows.push({
        task: rs[0].config.task,
        T: rs[0].config.T,
        cell: seriesOf(rs[0].config),
        step,
        loss: sig(median(losses)),
        baseline,
        seeds: losses.length,
      });
    }
  }
  return rows;
}

/** The first points of a curve that the axis limits leave out (start-up transients). */
export const TRANSIENT_EVALS = 3;

/** The quantile of the later losses the log axis is clipped at. */
export const CLIP_QUANTILE = 0.98;

/**
 * Robust y limits of one task's curves: from just under the lowest loss to the
 * {@link CLIP_QUANTILE} quantile of the losses after each curve's first {@link TRANSIENT_EVALS}
 * evaluations (and at least a little above the baseline), so one early spike cannot flatten
 * every curve. Points beyond are clipped at the panel's edge.
 */
export function robustLossDomain(rows: CurveRow[]): [number, number] {
  const later: number[] = [];
  for (const rs of groupBy(rows, (r) => `${r.T}|${r.cell}`).values()) {
    const sorted = [...rs].sort((a, b) => a.step - b.step);
    const rest = sorted.length > TRANSIENT_EVALS ? sorted.slice(TRANSIENT_EVALS) : sorted;
    later.push(...rest.map((r) => r.loss));
  }
  later.sort((a, b) => a - b);
  const q = later[Math.min(later.length - 1, Math.floor(CLIP_QUANTILE * later.length))];
  const base = Math.max(...rows.map((r) => r.baseline));
  const lo = Math.min(...rows.map((r) => r.loss));
  return [sig(lo * 0.8), sig(Math.max(q, base * 1.3))];
}

/**
 * The finding in words (two sentences): at the longest T of each task how many series end below
 * half the memoryless baseline and how many at it; and how the axis limits were set.
 */
export function trainingCurvesCaption(rows: CurveRow[]): string {
  if (rows.length === 0) return "No training curves in these results.";
  const out: string[] = [];
  for (const task of ["adding", "copy"]) {
    const rs = rows.filter((r) => r.task === task);
    if (rs.length === 0) continue;
    const maxT = Math.max(...rs.map((r) => r.T));
    const atT = rs.filter((r) => r.T === maxT);
    const finals = sortCells(atT.map((r) => r.cell)).map((cell) => {
      const last = atT.filter((r) => r.cell === cell).reduce((a, b) => (b.step > a.step ? b : a));
      return last.loss / last.baseline;
    });
    out.push(
      `${TASK_LABEL[task] ?? task} at T = ${maxT}: ${finals.filter((f) => f < 0.5).length} of ` +
        `${finals.length} series end below half the memoryless baseline, ${
          finals.filter((f) => f >= 0.9).length
        } at it`,
    );
  }
  return `${out.join("; ")}. The log axis ignores start-up transients: it is clipped at the ${
    Math.round(CLIP_QUANTILE * 100)
  }th percentile of the losses after each curve's first ${TRANSIENT_EVALS} points.`;
}

function taskSpec(rows: CurveRow[], task: string, cells: string[]): VlSpec {
  const domain = robustLossDomain(rows);
  return {
    title: { text: TASK_LABEL[task] ?? task, anchor: "start", fontSize: 13 },
    data: { values: rows },
    facet: { field: "T", type: "ordinal", title: "sequence length T (steps)" },
    // Facets wrap: at most four panels a row.
    columns: 4,
    spec: {
      width: 170,
      height: 150,
      layer: [
        {
          mark: { type: "rule", strokeDash: [6, 4], color: "#888" },
          encoding: {
            y: { aggregate: "mean", field: "baseline", type: "quantitative" },
            tooltip: [{
              aggregate: "mean",
              field: "baseline",
              type: "quantitative",
              title: "memoryless baseline loss",
              format: ".4g",
            }],
          },
        },
        {
          mark: { type: "line", strokeWidth: 1.5, clip: true },
          encoding: {
            x: { field: "step", type: "quantitative", title: "training step" },
            y: {
              field: "loss",
              type: "quantitative",
              scale: { type: "log", domain, nice: false },
              title: task === "adding"
                ? "training MSE (log)"
                : "training cross-entropy (nats, log)",
            },
            color: cellColor(cells),
            tooltip: [
              { field: "cell", type: "nominal" },
              { field: "T", type: "quantitative", title: "T (steps)" },
              { field: "step", type: "quantitative", title: "step" },
              { field: "loss", type: "quantitative", title: "train loss (median)", format: ".4g" },
              { field: "seeds", type: "quantitative" },
            ],
          },
        },
      ],
    },
    resolve: { scale: { x: "independent" } },
  };
}

/** Chart: training loss against step per cell, faceted by T, one block per task. */
export function trainingCurvesChart(records: ResultRecord[]): Chart {
  const rows = trainingCurveRows(records);
  const notes: string[] = [];
  const lost = records.filter((r) => r.status !== "ok").length;
  if (lost) notes.push(`${lost} diverged or failed run(s) are left out of the curves.`);
  const stopped = records.filter((r) => r.status === "ok" && r.stopped_early === true).length;
  if (stopped) {
    notes.push(
      `${stopped} run(s) stopped early once solved (stopWhenSolved): their curves end where ` +
        `they stopped, and from there on the median is over the runs that went on.`,
    );
  }
  const cells = sortCells(rows.map((r) => r.cell));
  return taskChart({
    name: "training_curves",
    title: "Training curves",
    subtitle: "training loss against step, median over seeds; dashed: memoryless baseline",
    caption: trainingCurvesCaption(rows),
    notes,
    rows,
    empty: "No training curves of finished runs yet.",
    layout: "vconcat",
    panel: (task, rs) => taskSpec(rs, task, cells),
  });
}
