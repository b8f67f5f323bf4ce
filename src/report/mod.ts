/**
 * The report: a self-contained HTML page that opens with the headline (sentences and the
 * memory-horizon chart), then the findings tables and Vega-Lite charts of steps to solve,
 * gradient decay, accuracy against length, training curves, subnormal shares and speed, plus the
 * run manifest. The findings are computed as data (`findingsData`) and worded by one module
 * (`wordFindings`); they include the table of our numbers against the literature's
 * (`literatureRows`). Given the expanded grid of the suite the records come from (`grid`), the
 * report tells a memory-horizon search's rungs from a grid's runs (`originIndex`).
 *
 * @example
 * ```ts
 * import { buildReport } from "./mod.ts";
 *
 * const { indexPath, captions, missing } = await buildReport({
 *   resultsDir: "reports/results",
 *   benchDir: "reports/bench",
 *   outDir: "reports/site",
 * });
 * console.log(indexPath); // reports/site/index.html
 * for (const c of captions) console.log(c);
 * if (missing.length) console.log(`missing: ${missing.join("; ")}`);
 * ```
 *
 * @module
 */
export {
  buildCharts,
  buildReport,
  type BuildReportOptions,
  type BuildReportResult,
  missingItems,
  parseLink,
  readLibraries,
  type ReportLink,
} from "./build_report.ts";
export { type LiteratureRow, literatureRows, metricSolves } from "./literature.ts";
export { originIndex, type OriginOf, type RunOrigin } from "./origins.ts";
export type { Chart, VlSpec } from "./charts/_common.ts";
export { gradientDecayChart, gradientDecayData } from "./charts/gradient_decay.ts";
export {
  type LiteratureMark,
  literatureMarks,
  memoryHorizonChart,
} from "./charts/memory_horizon.ts";
export {
  type FindingsData,
  findingsData,
  horizonCapped,
  type PresentedHorizon,
  type ThesisPair,
} from "./findings.ts";
export { type Findings, findings, type FindingsTable, wordFindings } from "./findings_text.ts";
export { type PageAssets, readPageAssets } from "./page/assets.ts";
export { accuracyVsLengthChart } from "./charts/accuracy_vs_length.ts";
export { trainingCurvesChart } from "./charts/training_curves.ts";
export { subnormalShareChart } from "./charts/subnormal_share.ts";
export { speedChart } from "./charts/speed.ts";
export { escapeHtml, jsonForScript, renderHtml } from "./html.ts";
export {
  loadReportData,
  readNewestBench,
  readReferences,
  type Reference,
  type ReportData,
  ReportInputError,
} from "./load.ts";
export { runManifest } from "./manifest.ts";
export { countSvgMarks, renderSvg } from "./svg.ts";
