/**
 * The history of scheduled benchmark runs: trends per (task, cell, T) over runs, step-time
 * regressions flagged with a noise-respecting rule, trend charts, and the report's
 * `history.html` content.
 *
 * @example
 * ```ts
 * import { historyPage, historyView, loadHistory } from "./mod.ts";
 * const { runs, problems } = await loadHistory("history");
 * const view = historyView(runs, undefined, problems.map((p) => `${p.file}:${p.line}: ${p.problem}`));
 * for (const r of view.regressions) console.log(`${r.cell} T=${r.T}: +${(r.change * 100).toFixed(0)}%`);
 * const html = historyPage(view); // body content; view.charts hold the Vega-Lite specs
 * ```
 *
 * @module
 */
export { type HistoryRun, loadHistory, parseRunFolder, runFolderName, runLabel } from "./load.ts";
export { type TrendPoint, trends, type TrendSeries } from "./trends.ts";
export {
  DEFAULT_RULE,
  describeRule,
  detectRegressions,
  type Regression,
  type RegressionRule,
} from "./regressions.ts";
export {
  accuracyTrendChart,
  type HistoryChart,
  mseTrendChart,
  stepTimeTrendChart,
  type VlSpec,
} from "./charts.ts";
export { type HistoryView, historyView } from "./view.ts";
export { escapeHtml, historyPage, type HistoryPageOptions } from "./page.ts";
