/**
 * The report page: one self-contained HTML file that works offline. vega, vega-lite and
 * vega-embed are inlined from the installed packages (no CDN); the chart specs sit in a JSON
 * `<script>` block; everything taken from results is escaped for its context.
 *
 * The page keeps a render status a headless browser can read: `console.error`, `window.onerror`
 * and unhandled rejections are recorded before anything else runs, and once every `vegaEmbed`
 * promise settles `#render-status` gets JSON `{done, charts, rendered, marks, errors}`.
 *
 * A cell picked in one chart's legend is highlighted in every chart of the page (the report and
 * the history page alike): the charts share the legend-bound selection of
 * {@link HIGHLIGHT_PARAM} (see `page/link.js`). The page's own scripts and styles are real files
 * in `page/` ({@link PageAssets}), inlined here. A cell's colour marks it in the tables too: a
 * table column headed `cell` gets the series' colour swatch.
 *
 * The layout keeps every chart inside the page's width: a chart wider than the screen scrolls
 * inside its own box (`.chart-box`), and so does a wide table (`.table-box`).
 *
 * @module
 */
import { cellColour, HIGHLIGHT_PARAM } from "../viz/cell_style.ts";
import { escapeHtml } from "../viz/escape.ts";
import type { Chart } from "./charts/_common.ts";
import type { Findings } from "./findings_text.ts";
import type { PageAssets } from "./page/assets.ts";
import type { Manifest } from "./manifest.ts";

export { escapeHtml };
export type { PageAssets };

/**
 * JSON safe inside a `<script>` element: `<`, `>` and `&` become `\u003c` etc. (so no
 * `</script>` or `<!--` can appear), and U+2028/U+2029 are escaped for old JS parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * A JavaScript library's source made safe to inline in `<script>`: any `</script` or `<!--`
 * (none in today's vega bundles) is broken up in a way that keeps strings and regexes meaning
 * the same (`<\/script`, `<\!--`).
 */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** `10^-4.6` in already-escaped text becomes 10<sup>-4.6</sup>. */
export function withPowers(escaped: string): string {
  return escaped.replace(/10\^(-?\d+(?:\.\d+)?)/g, "10<sup>$1</sup>");
}

/** The inlined libraries' sources. */
export interface Libraries {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

/** Everything the page shows. */
export interface Page {
  title: string;
  /** One line under the title (suite, date). */
  subtitle: string;
  charts: Chart[];
  manifest: Manifest;
  /** What is missing from the results (grid gaps, failed runs, absent bench). */
  missing: string[];
  /** Problems met while reading. */
  notes: string[];
  libs: Libraries;
  /** The page's own scripts and styles (`readPageAssets()`). */
  assets: PageAssets;
  /**
   * The findings (the report's index page): the headline sentences and the first chart (the
   * headline chart) open the page, the findings tables follow the navigation.
   */
  findings?: Findings;
  /** Links shown in the navigation bar before the chart links, e.g. to the history page. */
  links?: [href: string, text: string][];
  /**
   * A body that replaces the chart sections and the manifest (already escaped HTML holding
   * `<div class="chart" id="chart-K">` placeholders for `charts`): how the history page reuses
   * this page's shell and embed script.
   */
  body?: string;
}

/**
 * One table cell: a `cell` column gets its colour swatch, a `verdict` column a class, an `agree`
 * column `agree-yes` or `agree-no`.
 */
function td(column: string, value: string): string {
  if (column === "cell") {
    const swatch = `<span class="swatch" style="background:${
      escapeHtml(cellColour(value))
    }"></span>`;
    return `<td class="cell">${swatch}${escapeHtml(value)}</td>`;
  }
  if (column === "verdict") {
    return `<td class="verdict-${escapeHtml(value)}">${escapeHtml(value)}</td>`;
  }
  if (column === "agree") {
    const cls = value.startsWith("yes") ? "agree-yes" : value.startsWith("no") ? "agree-no" : "";
    return `<td${cls ? ` class="${cls}"` : ""}>${escapeHtml(value)}</td>`;
  }
  return `<td>${withPowers(escapeHtml(value))}</td>`;
}

function table(columns: string[], rows: string[][], cls = "", caption = ""): string {
  const cap = caption ? `<caption>${withPowers(escapeHtml(caption))}</caption>` : "";
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c, k) => td(columns[k] ?? "", c)).join("")}</tr>`)
    .join("\n");
  return `<div class="table-box"><table${
    cls ? ` class="${cls}"` : ""
  }>${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function findingsSection(f: Findings): string {
  const tbl = (t: Findings["memory"], cls: string) =>
    table(t.columns, t.rows, cls) + `<p class="notes">${withPowers(escapeHtml(t.caption))}</p>`;
  return `<section id="findings">
<h2>Findings</h2>
<h3>Does the gradient horizon predict the memory horizon?</h3>
${tbl(f.thesis, "thesis")}
<h3>Memory horizon</h3>
${tbl(f.memory, "memory-horizon")}
${
    f.literature.rows.length
      ? `<h3 id="literature">Against the literature</h3>\n${tbl(f.literature, "literature")}`
      : ""
  }
</section>`;
}

function list(items: string[]): string {
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("\n")}</ul>`;
}

/** The `<style>`-safe text of a stylesheet (it cannot close its element). */
function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, "<\\/$1");
}

function chartBox(c: Chart, i: number): string {
  return `<div class="chart-box"><div class="chart" id="chart-${i}"></div></div>
<noscript><img src="charts/${escapeHtml(c.name)}.svg" alt="${escapeHtml(c.title)}"></noscript>`;
}

function chartNotes(c: Chart): string {
  const notes = c.notes.length
    ? `<div class="notes">${c.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join("")}</div>`
    : "";
  const tbl = c.table ? table(c.table.columns, c.table.rows, "ratios", c.table.caption) : "";
  return notes + tbl;
}

/** Renders the page (pure: no I/O). */
export function renderHtml(page: Page): string {
  const specs = page.charts.map((c) => ({ name: c.name, spec: c.spec }));
  // With findings, the first chart is the headline chart: shown with the headline, unnumbered.
  const lead = page.findings && page.charts.length ? 1 : 0;
  const headline = page.findings
    ? `<section id="headline">
<ul class="headline">${
      page.findings.headline.map((s) => `<li>${withPowers(escapeHtml(s))}</li>`).join("\n")
    }</ul>
${
      lead
        ? `${chartBox(page.charts[0], 0)}
<p class="caption">${withPowers(escapeHtml(page.charts[0].caption))}</p>
${chartNotes(page.charts[0])}`
        : ""
    }
</section>`
    : "";
  const sections = page.charts.map((c, i) => {
    if (i < lead) return "";
    return `<section id="${escapeHtml(c.name)}">
<h2>${i + 1 - lead}. ${escapeHtml(c.title)}</h2>
<p class="caption">${withPowers(escapeHtml(c.caption))}</p>
${chartBox(c, i)}
${chartNotes(c)}
</section>`;
  }).join("\n");
  const links = (page.links ?? []).map(([href, text]) =>
    `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`
  ).join("");
  const nav = links + (page.findings ? `<a href="#findings">Findings</a>` : "") +
    page.charts.map((c, i) =>
      i < lead ? "" : `<a href="#${escapeHtml(c.name)}">${i + 1 - lead}. ${escapeHtml(c.title)}</a>`
    ).join("") +
    `<a href="#manifest">${page.charts.length - lead + 1}. Run manifest</a>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${inlineStyle(page.assets.style)}</style>
<script>${inlineScript(page.assets.status)}</script>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p class="sub">${escapeHtml(page.subtitle)}</p>
${page.body === undefined ? headline : ""}
<nav>${page.body === undefined ? nav : links}</nav>
${
    page.body ?? `${page.findings ? findingsSection(page.findings) : ""}
${sections}
${manifestSection(page, lead)}`
  }
<pre id="render-status">{"done":false}</pre>
</main>
<script type="application/json" id="chart-specs" data-highlight-store="${
    escapeHtml(`${HIGHLIGHT_PARAM}_store`)
  }">${jsonForScript(specs)}</script>
<script>${inlineScript(page.libs.vega)}</script>
<script>${inlineScript(page.libs.vegaLite)}</script>
<script>${inlineScript(page.libs.vegaEmbed)}</script>
<script>${inlineScript(page.assets.link)}
${inlineScript(page.assets.embed)}</script>
</body>
</html>
`;
}

function manifestSection(page: Page, lead: number): string {
  const m = page.manifest;
  const missing = page.missing.length
    ? `<ul class="missing">${page.missing.map((x) => `<li>${escapeHtml(x)}</li>`).join("\n")}</ul>`
    : "<p>Nothing: every cell × length × seed of the grid finished ok.</p>";
  return `<section id="manifest">
<h2>${page.charts.length - lead + 1}. Run manifest</h2>
${table(["", ""], m.facts.map(([k, v]) => [k, v]), "facts")}
<h3>Missing, diverged or failed</h3>
${missing}
${page.notes.length ? `<h3>Problems reading the inputs</h3>${list(page.notes)}` : ""}
<details><summary>All runs (${m.runs.rows.length})</summary>
${table(m.runs.columns, m.runs.rows, "runs")}
</details>
<h3>History of suite runs</h3>
${
    m.history.rows.length
      ? table(m.history.columns, m.history.rows, "history")
      : "<p>No suite runs.</p>"
  }
<p>Show another suite run with <code>deno task report --run ID</code>.</p>
</section>`;
}
