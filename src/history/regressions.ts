/**
 * Step-time regressions over the history, with a rule that respects noise.
 *
 * **The rule.** For each series (one suite, task, cell, T, size and backend) and each run that
 * has at least `minHistory` earlier timed runs, take the previous `window` step times: their
 * median is the baseline and 1.4826 × their median absolute deviation (a robust estimate of the
 * run-to-run noise σ) is the spread. The run is a regression when its step time exceeds
 * `baseline + max(madFactor × spread, minRelative × baseline)`: the change must be larger than
 * the noise the earlier runs showed, and never smaller than `minRelative` (10%), so a series of
 * near-identical times does not flag every jitter. Medians make one earlier outlier unable to
 * hide or fake a change. A slowdown that persists stays flagged until it makes up half the
 * window, when it becomes the new baseline. Only slowdowns are flagged; speed-ups are not.
 *
 * @module
 */
import type { TrendSeries } from "./trends.ts";
import { mad, MAD_TO_SIGMA, median } from "./stats.ts";

/** The parameters of the regression rule (see the module doc). */
export interface RegressionRule {
  /** Earlier runs compared against (the most recent ones). */
  window: number;
  /** Earlier timed runs needed before a run is judged. */
  minHistory: number;
  /** How many noise σ (1.4826 × MAD) a change must exceed. */
  madFactor: number;
  /** The smallest relative change ever flagged (0.1 = 10%). */
  minRelative: number;
}

/** The default rule: 5 earlier runs, at least 2, 3 σ, at least 10%. */
export const DEFAULT_RULE: RegressionRule = {
  window: 5,
  minHistory: 2,
  madFactor: 3,
  minRelative: 0.1,
};

/** One flagged step time. */
export interface Regression {
  /** The series' key (see {@link TrendSeries}). */
  series: string;
  suite: string;
  task: "adding" | "copy";
  cell: string;
  T: number;
  backend: string;
  run: string;
  date: string;
  commit: string | null;
  /** The flagged median step time (ms). */
  value: number;
  /** Median of the earlier runs (ms). */
  baseline: number;
  /** 1.4826 × MAD of the earlier runs (ms). */
  spread: number;
  /** The value above which a run is flagged (ms). */
  threshold: number;
  /** value / baseline − 1. */
  change: number;
  /** Earlier runs compared against. */
  compared: number;
  /** Whether the flagged run is the series' newest point. */
  latest: boolean;
}

/** The rule in one sentence, for the page. */
export function describeRule(rule: RegressionRule = DEFAULT_RULE): string {
  return `A run's median step time is flagged as a regression when it exceeds the median of the ` +
    `previous ${rule.window} runs of the same suite, task, cell, T, size and backend (at least ` +
    `${rule.minHistory} needed) by more than the larger of ${rule.madFactor} × their spread ` +
    `(1.4826 × median absolute deviation, a robust noise σ) and ${
      Math.round(rule.minRelative * 100)
    }% of that median.`;
}

/** Every run of every series that the rule flags, in series order, oldest first. */
export function detectRegressions(
  series: TrendSeries[],
  rule: RegressionRule = DEFAULT_RULE,
): Regression[] {
  if (rule.window < 1 || rule.minHistory < 1 || rule.minHistory > rule.window) {
    throw new RangeError("regression rule: need 1 ≤ minHistory ≤ window");
  }
  const out: Regression[] = [];
  for (const s of series) {
    const timed = s.points.filter((p) => p.median_step_ms !== null);
    for (let i = rule.minHistory; i < timed.length; i++) {
      const prev = timed.slice(Math.max(0, i - rule.window), i).map((p) => p.median_step_ms!);
      const baseline = median(prev);
      const spread = MAD_TO_SIGMA * mad(prev);
      const threshold = baseline + Math.max(rule.madFactor * spread, rule.minRelative * baseline);
      const p = timed[i];
      const value = p.median_step_ms!;
      if (value > threshold) {
        out.push({
          series: s.key,
          suite: s.suite,
          task: s.task,
          cell: s.cell,
          T: s.T,
          backend: s.backend,
          run: p.run,
          date: p.date,
          commit: p.commit,
          value,
          baseline,
          spread,
          threshold,
          change: value / baseline - 1,
          compared: prev.length,
          latest: p === s.points.at(-1),
        });
      }
    }
  }
  return out;
}
