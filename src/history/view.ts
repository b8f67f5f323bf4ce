/**
 * Everything the history page shows, computed from the runs (pure).
 *
 * @module
 */
import {
  accuracyTrendChart,
  type HistoryChart,
  mseTrendChart,
  stepTimeTrendChart,
} from "./charts.ts";
import type { HistoryRun } from "./load.ts";
import {
  DEFAULT_RULE,
  detectRegressions,
  type Regression,
  type RegressionRule,
} from "./regressions.ts";
import { trends, type TrendSeries } from "./trends.ts";

/** The history page's content. */
export interface HistoryView {
  /** Oldest first. */
  runs: HistoryRun[];
  series: TrendSeries[];
  rule: RegressionRule;
  /** Every flagged step time (`latest`: in the series' newest run). */
  regressions: Regression[];
  /** Step time, accuracy, MSE. */
  charts: HistoryChart[];
  /** Problems met while reading, one line each. */
  notes: string[];
}

/** Builds the history view of `runs` with the regression `rule`. */
export function historyView(
  runs: HistoryRun[],
  rule: RegressionRule = DEFAULT_RULE,
  notes: string[] = [],
): HistoryView {
  const ordered = [...runs].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1
  );
  const series = trends(ordered);
  const regressions = detectRegressions(series, rule);
  return {
    runs: ordered,
    series,
    rule,
    regressions,
    charts: [
      stepTimeTrendChart(series, regressions),
      accuracyTrendChart(series),
      mseTrendChart(series),
    ],
    notes,
  };
}
