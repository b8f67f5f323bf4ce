/**
 * Chart 1, steps to solve against sequence length: per task one panel, one line per cell series
 * (median over the seeds that solved, bars min–max), log–log. A point's tooltip says how many
 * seeds solved; lengths no seed solved have no point (the memory-horizon table says "—").
 *
 * @module
 */
import type { ResultRecord } from "../../results/schema.ts";
import { thresholdText } from "../../results/solved.ts";
import { stepsToSolve } from "../horizons.ts";
import {
  cellColor,
  type Chart,
  groupBy,
  lengthX,
  median,
  seriesOf,
  sortCells,
  TASK_LABEL,
  type VlSpec,
} from "./_common.ts";
import { taskChart } from "./_skeleton.ts";

/** One (task, series, T) point: steps-to-solve over the seeds that solved. */
export interface SolveRow {
  task: string;
  cell: string;
  T: number;
  median: number;
  min: number;
  max: number;
  solved: number;
  seeds: number;
}

/** Steps-to-solve per task, series and T (only where at least one seed solved). */
export function solveRows(records: ResultRecord[]): SolveRow[] {
  const rows: SolveRow[] = [];
  const groups = groupBy(records, (r) => `${r.config.task}|${seriesOf(r.config)}|${r.config.T}`);
  for (const rs of groups.values()) {
    const steps = rs.map(stepsToSolve).filter((s): s is number => s !== null);
    if (steps.length === 0) continue;
    rows.push({
      task: rs[0].config.task,
      cell: seriesOf(rs[0].config),
      T: rs[0].config.T,
      median: median(steps),
      min: Math.min(...steps),
      max: Math.max(...steps),
      solved: steps.length,
      seeds: rs.length,
    });
  }
  const order = sortCells(rows.map((r) => r.cell));
  return rows.sort((a, b) =>
    a.task.localeCompare(b.task) || a.T - b.T || order.indexOf(a.cell) - order.indexOf(b.cell)
  );
}

/**
 * The finding in words, one clause per task: at the longest T anything solved, how many series
 * solved it, the fastest and the slowest (median steps over the seeds that solved).
 */
export function solveCaption(rows: SolveRow[], records: ResultRecord[]): string {
  if (rows.length === 0) {
    return records.length
      ? "No run reached its solve threshold (and held it at the next evaluation)."
      : "No finished runs in these results.";
  }
  const out: string[] = [];
  for (const [task, rs] of groupBy(rows, (r) => r.task)) {
    const maxT = Math.max(...rs.map((r) => r.T));
    const atT = rs.filter((r) => r.T === maxT).sort((a, b) =>
      a.median - b.median || a.cell.localeCompare(b.cell)
    );
    const rec = records.find((r) => r.config.task === task)!;
    const fast = atT[0], slow = atT.at(-1)!;
    out.push(
      `${TASK_LABEL[task] ?? task} at T = ${maxT} (${
        thresholdText(task as "adding" | "copy", rec.config.solved)
      }): ${atT.length} series, fastest ${fast.cell} (${fast.median} steps)` +
        (atT.length > 1 ? `, slowest ${slow.cell} (${slow.median})` : ""),
    );
  }
  return `At the longest length solved: ${out.join("; ")}.`;
}

function panel(task: string, rows: SolveRow[], cells: string[]): VlSpec {
  const Ts = [...new Set(rows.map((r) => r.T))].sort((a, b) => a - b);
  const x = lengthX(Ts);
  const y = (field: string, extra: VlSpec = {}) => ({
    field,
    type: "quantitative",
    scale: { type: "log" },
    ...extra,
  });
  return {
    title: { text: TASK_LABEL[task] ?? task, fontSize: 13 },
    width: 340,
    height: 240,
    data: { values: rows },
    layer: [
      {
        mark: { type: "rule", strokeWidth: 1.5 },
        encoding: { x, y: y("min"), y2: { field: "max" }, color: cellColor(cells) },
      },
      {
        mark: { type: "line", point: { filled: true, size: 40 } },
        encoding: {
          x,
          y: y("median", { title: "training steps to solve (log)" }),
          color: cellColor(cells),
          tooltip: [
            { field: "cell", type: "nominal" },
            { field: "T", type: "quantitative", title: "T (steps)" },
            { field: "median", type: "quantitative", title: "steps to solve (median)" },
            { field: "min", type: "quantitative", title: "fastest seed (steps)" },
            { field: "max", type: "quantitative", title: "slowest seed (steps)" },
            { field: "solved", type: "quantitative", title: "seeds solved" },
            { field: "seeds", type: "quantitative", title: "seeds run" },
          ],
        },
      },
    ],
  };
}

/** Chart: training steps to solve against T, per cell series, one panel per task. */
export function stepsToSolveChart(records: ResultRecord[]): Chart {
  const rows = solveRows(records);
  const notes: string[] = [];
  const recomputed = records.filter((r) => r.metrics.steps_to_solve === undefined).length;
  if (recomputed) {
    notes.push(
      `${recomputed} record(s) predate the steps_to_solve field: recomputed from their curves.`,
    );
  }
  const cells = sortCells(rows.map((r) => r.cell));
  return taskChart({
    name: "steps_to_solve",
    title: "Steps to solve against sequence length",
    subtitle: "first evaluation step that passes the threshold and holds at the next one; " +
      "median over the seeds that solved, bars min–max",
    caption: solveCaption(rows, records),
    notes,
    rows,
    empty: "No run solved its task yet.",
    panel: (task, rs) => panel(task, rs, cells),
  });
}
