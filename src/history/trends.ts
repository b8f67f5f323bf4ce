/**
 * Trends over runs: for each (suite, task, cell, T) — and the hidden size, batch and backend,
 * since a step time is only comparable with the same ones — one point per run holding the
 * run's test accuracy, test MSE and median step time (over the seeds of that run).
 *
 * @module
 */
import type { HistoryRun } from "./load.ts";
import { seriesOf } from "../viz/cell_style.ts";
import { mean, median } from "./stats.ts";

/** One run's values of a series. */
export interface TrendPoint {
  /** The run's id (see {@link HistoryRun}). */
  run: string;
  date: string;
  commit: string | null;
  /** Mean test accuracy over the run's ok seeds (null: none). */
  accuracy: number | null;
  /** Mean test MSE over the run's ok seeds (null: none, e.g. the copy task). */
  mse: number | null;
  /** Median over seeds of each run's median ms per training step (null: not timed). */
  median_step_ms: number | null;
  /** Records (seeds) behind the point. */
  seeds: number;
}

/** One configuration followed over runs. */
export interface TrendSeries {
  /** `suite|task|cell|T|hidden|batch|backend`. */
  key: string;
  suite: string;
  task: "adding" | "copy";
  /** The cell series: the cell, with ` ×k` for k > 1 stacked layers (`indrnn ×2`). */
  cell: string;
  T: number;
  hidden: number;
  batch: number;
  /** The backend actually used (env.backend). */
  backend: string;
  /** Oldest first. */
  points: TrendPoint[];
}

function finite(xs: (number | null | undefined)[]): number[] {
  return xs.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
}

/** The trend series of `runs` (any order; points come out oldest first), sorted by key parts. */
export function trends(runs: HistoryRun[]): TrendSeries[] {
  const ordered = [...runs].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1
  );
  const byKey = new Map<string, TrendSeries>();
  for (const run of ordered) {
    const groups = new Map<string, typeof run.records>();
    for (const r of run.records) {
      const c = r.config;
      const key = [run.suite, c.task, seriesOf(c), c.T, c.hidden, c.batch, r.env.backend].join("|");
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    for (const [key, recs] of groups) {
      const c = recs[0].config;
      let s = byKey.get(key);
      if (!s) {
        s = {
          key,
          suite: run.suite,
          task: c.task,
          cell: seriesOf(c),
          T: c.T,
          hidden: c.hidden,
          batch: c.batch,
          backend: recs[0].env.backend,
          points: [],
        };
        byKey.set(key, s);
      }
      const ok = recs.filter((r) => r.status === "ok");
      const acc = finite(ok.map((r) => r.metrics.test_accuracy));
      const mse = finite(ok.map((r) => r.metrics.test_mse));
      const ms = finite(recs.map((r) => r.timing.median_step_ms)).filter((x) => x > 0);
      s.points.push({
        run: run.id,
        date: run.date,
        commit: run.commit,
        accuracy: acc.length ? mean(acc) : null,
        mse: mse.length ? mean(mse) : null,
        median_step_ms: ms.length ? median(ms) : null,
        seeds: recs.length,
      });
    }
  }
  return [...byKey.values()].sort((a, b) =>
    a.suite.localeCompare(b.suite) || a.task.localeCompare(b.task) || a.T - b.T ||
    a.cell.localeCompare(b.cell) || a.hidden - b.hidden || a.batch - b.batch ||
    a.backend.localeCompare(b.backend)
  );
}
