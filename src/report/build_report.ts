/**
 * `buildReport`: reads results, bench and references, builds the charts and writes
 * `index.html`, `FINDINGS.md` (the findings and captions as Markdown), `playground.html`,
 * `history.html`, `charts/NAME.vl.json` and `charts/NAME.svg` into the output folder.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic.ts";
import { accuracyVsLengthChart } from "./charts/accuracy_vs_length.ts";
import { type Chart, withCellHighlight } from "./charts/_common.ts";
import { stepsToSolveChart } from "./charts/steps_to_solve.ts";
import { type FindingsData, findingsData } from "./findings.ts";
import { wordFindings } from "./findings_text.ts";
import { literatureMarks, memoryHorizonChart } from "./charts/memory_horizon.ts";
import { readPageAssets } from "./page/assets.ts";
import { findingsMarkdown } from "./findings_md.ts";
import { gradientDecayChart } from "./charts/gradient_decay.ts";
import { speedChart } from "./charts/speed.ts";
import { subnormalShareChart } from "./charts/subnormal_share.ts";
import { trainingCurvesChart } from "./charts/training_curves.ts";
import { type Libraries, renderHtml } from "./html.ts";
import { loadReportData, type ReportData } from "./load.ts";
import { failureLines, missingGrid, runManifest } from "./manifest.ts";
import { renderSvg } from "./svg.ts";
import { historyPage, historyView, loadHistory } from "../history/mod.ts";
import type { Grid } from "../suite/suite.ts";
import { originIndex, type OriginOf } from "./origins.ts";

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** Folder of results JSONL files (e.g. `reports/results`). */
  resultsDir: string;
  /** Folder of bench JSON files (e.g. `reports/bench`); the newest is shown. */
  benchDir: string;
  /** Where `index.html` and `charts/` go (e.g. `reports/site`). */
  outDir: string;
  /** Suite file with published `references` (default `suites/paper.json`; absent → none). */
  referencesPath?: string;
  /** `newest` (default) or a suite run id (a results file's stem). */
  run?: "newest" | string;
  /** Skip the server-side SVGs (faster; the page itself does not need them). */
  svg?: boolean;
  /**
   * Folder of past scheduled runs (one subfolder per run, as the benchmark workflow keeps them)
   * for `history.html`; when absent or empty, the suite runs in `resultsDir` are the history.
   */
  historyDir?: string;
  /**
   * Renders the playground page with the report's libraries (the caller's: the report knows no
   * engine); written as `playground.html` and linked from the page, or its `problem` listed as
   * missing. Absent: no playground.
   */
  playground?: (libs: Libraries) => Promise<{ html?: string | null; problem?: string | null }>;
  /**
   * The expanded grid of the suite file the records were trained from (`expandGrid`): it says
   * which records are search rungs and each experiment's `source`. Absent: every record is read
   * as a grid's run.
   */
  grid?: Grid;
  /** That suite file's path, for the reproduce commands (absent: the records' suite name). */
  suitePath?: string;
  /**
   * Links to other reports, shown in the page's navigation and in `FINDINGS.md` (where a link
   * to a report's `index.html` points to the `FINDINGS.md` beside it).
   */
  links?: ReportLink[];
}

/** A link to another report (or page): its label and its address, as given. */
export interface ReportLink {
  label: string;
  href: string;
}

/**
 * Parses `LABEL=HREF` (the first `=` splits; both sides non-empty); null when malformed.
 */
export function parseLink(s: string): ReportLink | null {
  const at = s.indexOf("=");
  if (at <= 0) return null;
  const label = s.slice(0, at).trim(), href = s.slice(at + 1).trim();
  return label && href ? { label, href } : null;
}

/** What {@link buildReport} wrote and found. */
export interface BuildReportResult {
  /** Path of the written `index.html`. */
  indexPath: string;
  /** Path of the written `FINDINGS.md`. */
  findingsPath: string;
  /** Chart names, in page order (`charts/NAME.vl.json`, `charts/NAME.svg`). */
  charts: string[];
  /** One caption per chart, same order: the findings in words. */
  captions: string[];
  /** The headline at the top of the page: what fails, what solves, how far, at what cost. */
  findings: string[];
  /** What the results lack: grid gaps, diverged/failed runs, no bench, no results. */
  missing: string[];
  /** Path of the written `history.html` (trends over runs, step-time regressions). */
  historyPath: string;
  /** Step-time regressions flagged in the newest run of each series. */
  regressions: string[];
}

/**
 * The page's charts, in order, built from loaded data (pure): the headline chart (memory horizon
 * per cell, with the literature's marks) first. A click on a legend entry highlights that cell
 * in every chart of the page.
 */
export function buildCharts(
  data: ReportData,
  found: FindingsData = findingsData(data.run?.records ?? [], { references: data.references }),
): Chart[] {
  const records = data.run?.records ?? [];
  const solved = records[0]?.config.solved;
  const symbols = records.find((r) => r.config.task === "copy")?.config.symbols;
  return [
    memoryHorizonChart(found.horizons, literatureMarks(data.references, solved, symbols)),
    stepsToSolveChart(records),
    gradientDecayChart(records),
    accuracyVsLengthChart(records, data.references),
    trainingCurvesChart(records),
    subnormalShareChart(records),
    speedChart(data.bench?.data ?? null, records),
  ].map((c) => ({ ...c, spec: withCellHighlight(c.spec) }));
}

/** Everything the report should say is missing. */
export function missingItems(
  data: ReportData,
  opts: { resultsDir: string; benchDir: string; originOf?: OriginOf },
): string[] {
  const out: string[] = [];
  const recs = data.run?.records ?? [];
  if (!data.run) out.push(`no results in ${opts.resultsDir} (run \`deno task train\`)`);
  out.push(...missingGrid(recs, opts.originOf));
  out.push(...failureLines(recs));
  const noProbe = recs.filter((r) => r.probes.length === 0).length;
  if (noProbe) out.push(`${noProbe} run(s) without gradient probes`);
  if (!data.bench) out.push(`no bench file in ${opts.benchDir} (run \`deno task bench\`)`);
  return out;
}

async function readLibrary(pkg: string, file: string): Promise<string> {
  const candidates: URL[] = [];
  try {
    const main = import.meta.resolve(pkg);
    if (main.startsWith("file:")) candidates.push(new URL(`./${file}`, main));
  } catch { /* not resolvable: fall back to node_modules beside the project */ }
  candidates.push(new URL(`../../node_modules/${pkg}/build/${file}`, import.meta.url));
  candidates.push(new URL(`node_modules/${pkg}/build/${file}`, `file://${Deno.cwd()}/`));
  for (const url of candidates) {
    try {
      return await Deno.readTextFile(url);
    } catch { /* try the next */ }
  }
  throw new Error(`cannot find ${pkg}'s ${file} to inline (run \`deno install\`)`);
}

/** Reads the browser bundles of vega, vega-lite and vega-embed from the installed packages. */
export async function readLibraries(): Promise<Libraries> {
  const [vega, vegaLite, vegaEmbed] = await Promise.all([
    readLibrary("vega", "vega.min.js"),
    readLibrary("vega-lite", "vega-lite.min.js"),
    readLibrary("vega-embed", "vega-embed.min.js"),
  ]);
  return { vega, vegaLite, vegaEmbed };
}

/**
 * Builds the report. Reads everything and renders every chart before writing anything, so bad
 * input (an unknown `run`, {@link ReportInputError}) leaves the output folder untouched.
 */
/** Whether every record is of a small model (H ≤ 32), which leaves a core idle. */
function smallModels(records: readonly { config: { hidden: number } }[]): boolean {
  return records.length > 0 && records.every((r) => r.config.hidden <= 32);
}

export async function buildReport(opts: BuildReportOptions): Promise<BuildReportResult> {
  const data = await loadReportData(opts);
  const run = data.run;
  const originOf = opts.grid ? originIndex(opts.grid) : undefined;
  const facts = findingsData(run?.records ?? [], { originOf, references: data.references });
  const found = wordFindings(facts);
  const charts = buildCharts(data, facts);
  const assets = await readPageAssets();
  const missing = missingItems(data, { ...opts, originOf });
  const libs = await readLibraries();
  const playground = opts.playground ? await opts.playground(libs) : {};
  if (playground.problem) missing.push(playground.problem);
  const svgs = opts.svg === false ? [] : await Promise.all(charts.map((c) => renderSvg(c.spec)));
  const title = "rnn-gradbench: vanishing gradients in recurrent networks";
  const subtitle = run
    ? `Suite ${run.suite}, run ${run.id}, ${run.records.length} runs, finished ${
      run.finished.slice(0, 16).replace("T", " ")
    } UTC.`
    : "No results yet.";
  const links: [string, string][] = (opts.links ?? []).map((l) => [l.href, `${l.label} →`]);
  if (playground.html) links.push(["playground.html", "Playground: train a cell live →"]);
  const html = renderHtml({
    title,
    subtitle,
    charts,
    findings: found,
    manifest: runManifest(data),
    missing,
    notes: data.notes,
    libs,
    assets,
    links,
  });
  let hist = opts.historyDir ? await loadHistory(opts.historyDir) : { runs: [], problems: [] };
  if (hist.runs.length === 0) hist = await loadHistory(opts.resultsDir);
  const view = historyView(
    hist.runs,
    undefined,
    hist.problems.map((p) => `${p.file}:${p.line}: ${p.problem}`),
  );
  const historyHtml = renderHtml({
    title: "rnn-gradbench: history of suite runs",
    subtitle:
      `${view.runs.length} suite run(s); step-time regressions flagged by a noise-aware rule.`,
    charts: view.charts,
    manifest: runManifest(data),
    missing: [],
    notes: view.notes,
    libs,
    assets,
    links: [["index.html", "← Report"]],
    body: historyPage(view, { firstChartIndex: 0 }),
  });
  const historySvgs = opts.svg === false
    ? []
    : await Promise.all(view.charts.map((c) => renderSvg(c.spec)));
  const chartsDir = join(opts.outDir, "charts");
  await Promise.all(view.charts.map(async (c, i) => {
    await writeFileAtomic(join(chartsDir, `${c.name}.vl.json`), JSON.stringify(c.spec) + "\n");
    if (historySvgs[i] !== undefined) {
      await writeFileAtomic(join(chartsDir, `${c.name}.svg`), historySvgs[i]);
    }
  }));
  const historyPath = join(opts.outDir, "history.html");
  await writeFileAtomic(historyPath, historyHtml);
  await Promise.all(charts.map(async (c, i) => {
    await writeFileAtomic(join(chartsDir, `${c.name}.vl.json`), JSON.stringify(c.spec) + "\n");
    if (svgs[i] !== undefined) await writeFileAtomic(join(chartsDir, `${c.name}.svg`), svgs[i]);
  }));
  const markdown = findingsMarkdown({
    title,
    subtitle,
    suite: run?.suite,
    suitePath: opts.grid && opts.grid.suite === run?.suite ? opts.suitePath : undefined,
    referencesPath: opts.referencesPath,
    links: opts.links ?? [],
    resultsDir: opts.resultsDir,
    benchDir: opts.benchDir,
    benchCommand: data.bench?.data.command,
    shardsSideBySide: smallModels(run?.records ?? []),
    outDir: opts.outDir,
    findings: found,
    charts: charts.map((c) => ({ name: c.name, caption: c.caption })),
    missing,
  });
  await writeFileAtomic(join(opts.outDir, "FINDINGS.md"), markdown);
  const indexPath = join(opts.outDir, "index.html");
  if (playground.html) await writeFileAtomic(join(opts.outDir, "playground.html"), playground.html);
  await writeFileAtomic(indexPath, html);
  return {
    indexPath,
    findingsPath: join(opts.outDir, "FINDINGS.md"),
    charts: charts.map((c) => c.name),
    captions: charts.map((c) => c.caption),
    findings: found.headline,
    missing,
    historyPath,
    regressions: view.regressions.filter((r) => r.latest).map((r) =>
      `${r.task} ${r.cell} T=${r.T} (${r.backend}): step time ${r.value.toPrecision(3)} ms vs ${
        r.baseline.toPrecision(3)
      } ms before (run ${r.run})`
    ),
  };
}
