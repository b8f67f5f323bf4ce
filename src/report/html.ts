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
 * {@link HIGHLIGHT_PARAM} (see `LINK_SCRIPT`).
 *
 * @module
 */
import { HIGHLIGHT_PARAM } from "../viz/cell_style.ts";
import { escapeHtml } from "../viz/escape.ts";
import type { Chart } from "./charts/_common.ts";
import type { Findings } from "./findings.ts";
import type { Manifest } from "./manifest.ts";

export { escapeHtml };

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
  /** The findings shown first, above the charts (the report's index page). */
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

function table(columns: string[], rows: string[][], cls = "", caption = ""): string {
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table${
    cls ? ` class="${cls}"` : ""
  }>${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function findingsSection(f: Findings): string {
  const sentences = f.sentences.map((s) => `<p class="caption">${withPowers(escapeHtml(s))}</p>`)
    .join("\n");
  const tbl = (t: Findings["memory"], cls: string) =>
    table(t.columns, t.rows, cls, "") +
    `<p class="notes">${withPowers(escapeHtml(t.caption))}</p>`;
  return `<section id="findings">
<h2>Findings</h2>
${sentences}
<h3>Memory horizon</h3>
${tbl(f.memory, "memory-horizon")}
<h3>Gradient decay and horizon</h3>
${tbl(f.decay, "decay-rate")}
</section>`;
}

function list(items: string[]): string {
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("\n")}</ul>`;
}

const STATUS_SCRIPT = `
(function () {
  var errors = [];
  window.__reportErrors = errors;
  var origError = console.error;
  console.error = function () {
    try { errors.push(Array.prototype.map.call(arguments, String).join(" ")); } catch (e) {}
    return origError.apply(console, arguments);
  };
  window.addEventListener("error", function (e) { errors.push("error: " + (e.message || e)); });
  window.addEventListener("unhandledrejection", function (e) {
    errors.push("unhandled rejection: " + (e.reason && e.reason.message || e.reason));
  });
})();`;

/**
 * Shares the legend-bound cell selection across every chart of the page: each view holding the
 * selection's store dataset (`<param>_store`, which Vega-Lite keeps the picked tuples in) gets a
 * data listener, and a change there is written into the store of every other such view, so a
 * pick (or its clearing) in one chart dims (or restores) the same cells everywhere. A listener
 * ignores a store whose content is already the page's current selection: that is what the
 * write into the other views makes them report back, and so no change bounces between views.
 * A click that clears the pick in one chart clears it in all. Views without the store (charts
 * not coloured by cell) are left alone.
 */
const LINK_SCRIPT = `
(function () {
  var STORE = ${JSON.stringify(`${HIGHLIGHT_PARAM}_store`)};
  var linked = [];
  var current = { key: "[]", tuples: [] };
  function hasStore(view) {
    try { view.data(STORE); return true; } catch (e) { return false; }
  }
  // One fresh copy of each distinct picked tuple: Vega marks the objects it ingests with ids of
  // one view, and a faceted chart stores the same pick once per panel.
  function distinct(tuples) {
    var seen = {};
    return (tuples || []).map(function (t) { return JSON.parse(JSON.stringify(t)); })
      .filter(function (t) {
        var k = entryKey(t);
        return seen[k] ? false : (seen[k] = true);
      });
  }
  // What a tuple picks, independent of the view (unit) that picked it.
  function entryKey(t) {
    return JSON.stringify([(t.fields || []).map(function (f) { return f.field; }), t.values]);
  }
  function keyOf(tuples) {
    return JSON.stringify(tuples.map(entryKey).sort());
  }
  function write(view, tuples) {
    var rows = vega.changeset().remove(function () { return true; }).insert(distinct(tuples));
    view.change(STORE, rows).runAsync().catch(function (e) {
      console.error("cell highlight: " + (e && e.message || e));
    });
  }
  window.__linkCellHighlight = function (view) {
    if (!hasStore(view)) return;
    linked.push(view);
    // What the last click in this view hit. Vega may run the selection's signals (and so this
    // view's data listener) before the click listener below, so a store change is judged only
    // once the click's listeners have all run.
    var clicked = "none";
    if (current.tuples.length) write(view, current.tuples);
    view.addDataListener(STORE, function (name, tuples) {
      var picked = distinct(tuples);
      if (keyOf(picked) === current.key) return;
      setTimeout(function () {
        var key = keyOf(picked);
        if (key === current.key) return;
        if (clicked === "mark") {
          // A click on anything but the legend makes Vega-Lite store again the entry last
          // clicked in this view's own legend, which is stale once another chart picked: put
          // the page's pick back.
          write(view, current.tuples);
          return;
        }
        current = { key: key, tuples: picked };
        linked.forEach(function (other) { if (other !== view) write(other, current.tuples); });
      }, 0);
    });
    view.addEventListener("click", function (event, item) {
      var role = item && item.mark && item.mark.role;
      clicked = !item || !item.datum
        ? "empty"
        : /^legend-(symbol|label|entry)$/.test(role) ? "legend" : "mark";
      // Vega-Lite clears the pick on a click that hits no item or one without data, but only in
      // the view whose own legend made it: a view whose store was written from another chart
      // has no pick of its own to clear. So such a click clears the pick of the page.
      if (clicked !== "empty" || current.tuples.length === 0) return;
      current = { key: "[]", tuples: [] };
      linked.forEach(function (other) { write(other, []); });
    });
  };
})();`;

const EMBED_SCRIPT = `
(function () {
  var status = document.getElementById("render-status");
  var errors = window.__reportErrors;
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  var done = specs.map(function (s, i) {
    if (typeof vegaEmbed !== "function") return Promise.reject(new Error("vega-embed missing"));
    return vegaEmbed("#chart-" + i, s.spec, { actions: false, renderer: "svg" })
      .then(function (r) { window.__linkCellHighlight(r.view); return r; });
  });
  Promise.allSettled(done).then(function (results) {
    var marks = {};
    var rendered = 0;
    results.forEach(function (r, i) {
      var n = document.querySelectorAll("#chart-" + i + " svg .role-mark > *").length;
      marks[specs[i].name] = n;
      if (r.status === "fulfilled" && n > 0) rendered++;
      if (r.status === "rejected") errors.push(specs[i].name + ": " + (r.reason && r.reason.message || r.reason));
    });
    status.textContent = JSON.stringify({
      done: true, charts: specs.length, rendered: rendered, marks: marks, errors: errors
    });
    document.body.setAttribute("data-render", "done");
  });
})();`;

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #222; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5em 2em 4em; }
h1 { font-size: 1.7em; margin: 0 0 .2em; }
h2 { font-size: 1.25em; margin: 2em 0 .4em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
.sub { color: #555; margin: 0 0 1em; }
.caption { background: #f4f7fb; border-left: 4px solid #4c78a8; padding: .6em .9em;
  margin: .6em 0; }
.notes { color: #7a4b00; font-size: .9em; }
.chart { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85em; margin: .5em 0 1em; }
th, td { border: 1px solid #ddd; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
caption { caption-side: top; text-align: left; color: #555; padding: .2em 0; }
td { font-variant-numeric: tabular-nums; }
.missing li { color: #8a1f11; }
nav a { margin-right: 1em; }
#render-status { display: none; }
details { margin: .5em 0; }
`;

/** Renders the page (pure: no I/O). */
export function renderHtml(page: Page): string {
  const specs = page.charts.map((c) => ({ name: c.name, spec: c.spec }));
  const sections = page.charts.map((c, i) => {
    const notes = c.notes.length
      ? `<div class="notes">${c.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join("")}</div>`
      : "";
    const tbl = c.table ? table(c.table.columns, c.table.rows, "ratios", c.table.caption) : "";
    return `<section id="${escapeHtml(c.name)}">
<h2>${i + 1}. ${escapeHtml(c.title)}</h2>
<p class="caption">${withPowers(escapeHtml(c.caption))}</p>
<div class="chart" id="chart-${i}"></div>
<noscript><img src="charts/${escapeHtml(c.name)}.svg" alt="${escapeHtml(c.title)}"></noscript>
${notes}${tbl}
</section>`;
  }).join("\n");
  const links = (page.links ?? []).map(([href, text]) =>
    `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`
  ).join("");
  const nav = links + (page.findings ? `<a href="#findings">Findings</a>` : "") +
    page.charts.map((c, i) =>
      `<a href="#${escapeHtml(c.name)}">${i + 1}. ${escapeHtml(c.title)}</a>`
    )
      .join("") +
    `<a href="#manifest">${page.charts.length + 1}. Run manifest</a>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
<script>${STATUS_SCRIPT}</script>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p class="sub">${escapeHtml(page.subtitle)}</p>
<nav>${page.body === undefined ? nav : links}</nav>
${
    page.body ?? `${page.findings ? findingsSection(page.findings) : ""}
${sections}
${manifestSection(page)}`
  }
<pre id="render-status">{"done":false}</pre>
</main>
<script type="application/json" id="chart-specs">${jsonForScript(specs)}</script>
<script>${inlineScript(page.libs.vega)}</script>
<script>${inlineScript(page.libs.vegaLite)}</script>
<script>${inlineScript(page.libs.vegaEmbed)}</script>
<script>${LINK_SCRIPT}
${EMBED_SCRIPT}</script>
</body>
</html>
`;
}

function manifestSection(page: Page): string {
  const m = page.manifest;
  const missing = page.missing.length
    ? `<ul class="missing">${page.missing.map((x) => `<li>${escapeHtml(x)}</li>`).join("\n")}</ul>`
    : "<p>Nothing: every cell × length × seed of the grid finished ok.</p>";
  return `<section id="manifest">
<h2>${page.charts.length + 1}. Run manifest</h2>
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
