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
  CONFIG,
  fmt,
  groupBy,
  listWords,
  median,
  placeholderSpec,
  seriesOf,
  sig,
  sortCells,
  TASK_LABEL,
  VL_SCHEMA,
  type VlSpec,
} from "./_common.ts";

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

/** The finding in words: at the longest T, which cells got their loss well below the baseline. */
export function trainingCurvesCaption(rows: CurveRow[]): string {
  if (rows.length === 0) return "No training curves in these results.";
  const out: string[] = [];
  for (const [task, rs] of groupBy(rows, (r) => r.task)) {
    const maxT = Math.max(...rs.map((r) => r.T));
    const atT = rs.filter((r) => r.T === maxT);
    const finals = sortCells(atT.map((r) => r.cell)).map((cell) => {
      const pts = atT.filter((r) => r.cell === cell);
      const last = pts.reduce((a, b) => (b.step > a.step ? b : a));
      return { cell, loss: last.loss, step: last.step, ratio: last.loss / last.baseline };
    });
    const learned = finals.filter((f) => f.ratio < 0.5).map((f) => f.cell);
    const stuck = finals.filter((f) => f.ratio >= 0.9).map((f) => f.cell);
    const base = atT[0].baseline;
    const best = finals.reduce((a, b) => (b.loss < a.loss ? b : a));
    let s = `${TASK_LABEL[task] ?? task}, T = ${maxT}: the lowest final training loss is ` +
      `${best.cell}'s ${fmt(best.loss)} (baseline ${fmt(base)}).`;
    if (learned.length) s += ` Below half the baseline: ${listWords(learned)}.`;
    if (stuck.length) s += ` Still at the baseline: ${listWords(stuck)}.`;
    out.push(s);
  }
  return out.join(" ");
}

function taskSpec(rows: CurveRow[], task: string, cells: string[]): VlSpec {
  return {
    title: { text: TASK_LABEL[task] ?? task, anchor: "start", fontSize: 13 },
    data: { values: rows },
    facet: { column: { field: "T", type: "ordinal", title: "sequence length T (steps)" } },
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
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: {
            x: { field: "step", type: "quantitative", title: "training step" },
            y: {
              field: "loss",
              type: "quantitative",
              scale: { type: "log" },
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

/** Chart 3: training loss against step per cell, faceted by T. */
export function trainingCurvesChart(records: ResultRecord[]): Chart {
  const title = "Training curves";
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
  if (rows.length === 0) {
    return {
      name: "training_curves",
      title,
      spec: placeholderSpec(title, "No training curves of finished runs yet."),
      caption: trainingCurvesCaption(rows),
      notes,
    };
  }
  const cells = sortCells(rows.map((r) => r.cell));
  const tasks = ["adding", "copy"].filter((t) => rows.some((r) => r.task === t));
  return {
    name: "training_curves",
    title,
    spec: {
      $schema: VL_SCHEMA,
      title: {
        text: title,
        subtitle: "training loss against step, median over seeds; dashed: memoryless baseline",
      },
      vconcat: tasks.map((t) => taskSpec(rows.filter((r) => r.task === t), t, cells)),
      resolve: { scale: { color: "shared" } },
      config: CONFIG,
    },
    caption: trainingCurvesCaption(rows),
    notes,
  };
}
