/**
 * The history page's HTML body content (`history.html` of the report): the regression rule and
 * what it flagged, the trend charts, and the list of runs. Every text is escaped.
 *
 * Charts are placeholders `<div class="chart" id="chart-K">` (K = `firstChartIndex` + i) that
 * the report's embed script fills from its chart specs, plus a `<noscript>` image of
 * `charts/NAME.svg`, the same as the report's own charts.
 *
 * @module
 */
import { escapeHtml } from "../viz/escape.ts";

export { escapeHtml };
import { runLabel } from "./load.ts";
import { describeRule } from "./regressions.ts";
import type { HistoryView } from "./view.ts";

function table(columns: string[], rows: string[][], cls: string): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<div class="table-box"><table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function ms(x: number): string {
  return `${Number(x.toPrecision(3))} ms`;
}

/** Options of {@link historyPage}. */
export interface HistoryPageOptions {
  /** Index of the first chart placeholder (`chart-K`), where the report numbers its charts. */
  firstChartIndex?: number;
}

/** The history page's body content (no `<html>`/`<head>`): one `<section id="history">`. */
export function historyPage(view: HistoryView, opts: HistoryPageOptions = {}): string {
  const first = opts.firstChartIndex ?? 0;
  const runs = view.runs;
  if (runs.length === 0) {
    return `<section id="history">
<h2>History</h2>
<p>No scheduled runs in the history yet: the benchmark workflow adds one folder per run.</p>
</section>`;
  }
  const span = `${runs.length} run${runs.length === 1 ? "" : "s"} from ${runLabel(runs[0])} to ${
    runLabel(runs[runs.length - 1])
  }; ${view.series.length} series (suite × task × cell × T).`;
  const latest = view.regressions.filter((r) => r.latest);
  const regRows = view.regressions.map((r) => [
    runLabel(r),
    `${r.suite} · ${r.task}`,
    r.cell,
    String(r.T),
    r.backend,
    ms(r.value),
    ms(r.baseline),
    ms(r.threshold),
    `+${Math.round(r.change * 100)}%`,
    r.latest ? "newest run" : "earlier run",
  ]);
  const regressions = view.regressions.length === 0
    ? `<p class="caption">No step-time regression: every run is within the noise of the runs before it.</p>`
    : `<p class="caption">${
      escapeHtml(
        `${view.regressions.length} step-time regression${
          view.regressions.length === 1 ? "" : "s"
        } flagged${latest.length ? `, ${latest.length} in the newest run of its series` : ""}.`,
      )
    }</p>
${
      table(
        [
          "run",
          "suite · task",
          "cell",
          "T",
          "backend",
          "step time",
          "baseline",
          "flagged above",
          "change",
          "where",
        ],
        regRows,
        "regressions",
      )
    }`;
  const charts = view.charts.map((c, i) => {
    const notes = c.notes.length
      ? `<div class="notes">${c.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join("")}</div>`
      : "";
    return `<section id="${escapeHtml(c.name)}">
<h3>${escapeHtml(c.title)}</h3>
<p class="caption">${escapeHtml(c.caption)}</p>
<div class="chart-box"><div class="chart" id="chart-${first + i}"></div></div>
<noscript><img src="charts/${escapeHtml(c.name)}.svg" alt="${escapeHtml(c.title)}"></noscript>
${notes}
</section>`;
  }).join("\n");
  const runRows = [...runs].reverse().map((r) => [
    r.date.slice(0, 16).replace("T", " "),
    r.commit ? r.commit.slice(0, 12) : "unknown",
    r.suite,
    r.grid_hash.slice(0, 12),
    String(r.records.length),
    [...new Set(r.records.map((x) => x.env.backend))].join(", "),
    r.id,
  ]);
  const notes = view.notes.length
    ? `<h3>Problems reading the history</h3><ul>${
      view.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("\n")
    }</ul>`
    : "";
  return `<section id="history">
<h2>History</h2>
<p class="sub">${escapeHtml(span)}</p>
<h3>Step-time regressions</h3>
<p>${escapeHtml(describeRule(view.rule))}</p>
${regressions}
${charts}
<h3>Runs</h3>
${table(["date (UTC)", "commit", "suite", "grid", "records", "backend", "id"], runRows, "runs")}
${notes}
</section>`;
}
