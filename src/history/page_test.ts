import { assert, assertEquals, assertMatch, assertNotMatch } from "../testing/assert.ts";
import { syntheticRecord } from "./_synthetic.ts";
import type { HistoryRun } from "./load.ts";
import { escapeHtml, historyPage } from "./page.ts";
import { historyView } from "./view.ts";

function run(i: number, suite: string, lstmMs: number): HistoryRun {
  const date = new Date(Date.UTC(2026, 0, 1 + 7 * i, 3)).toISOString();
  const records = ["rnn_tanh", "lstm"].map((cell) =>
    syntheticRecord({ suite, cell, date, stepMs: cell === "lstm" ? lstmMs : 2 })
  );
  return {
    id: `${i}/<run>`,
    file: "x.jsonl",
    suite,
    grid_hash: records[0].grid_hash,
    date,
    commit: `${i}`.repeat(7),
    records,
  };
}

Deno.test("the history page lists the rule, the flagged regression, the charts and the runs, escaped", () => {
  const evil = `<script>alert("x")</script>`;
  const view = historyView([run(0, evil, 6), run(1, evil, 6), run(2, evil, 9)], undefined, [
    "torn <line>",
  ]);
  const html = historyPage(view, { firstChartIndex: 5 });
  assertNotMatch(html, /<script>/);
  assertMatch(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assertMatch(html, /torn &lt;line&gt;/);
  assertMatch(html, /^<section id="history">/);
  assertMatch(html, /median of the previous 5 runs/);
  assertMatch(html, /1 step-time regression flagged, 1 in the newest run of its series/);
  assertMatch(html, /<td>lstm<\/td><td>20<\/td><td>tensorflow<\/td><td>9 ms<\/td><td>6 ms<\/td>/);
  assertMatch(html, /\+50%/);
  for (const i of [5, 6, 7]) assertMatch(html, new RegExp(`<div class="chart" id="chart-${i}">`));
  assertMatch(html, /<img src="charts\/history_step_time\.svg"/);
  assertEquals(
    (html.match(/<tr>/g) ?? []).length,
    1 + 1 + 1 + 3,
    "header + 1 regression, header + 3 runs",
  );
  const runsTable = html.slice(html.indexOf('class="runs"'));
  assert(runsTable.indexOf("2222222") < runsTable.indexOf("0000000"), "runs newest first");
});

Deno.test("the history page without runs says so; without regressions says that", () => {
  assertMatch(historyPage(historyView([])), /No scheduled runs in the history yet/);
  const html = historyPage(historyView([run(0, "quick", 6), run(1, "quick", 6)]));
  assertMatch(html, /No step-time regression/);
  assertNotMatch(html, /class="regressions"/);
});

Deno.test("escapeHtml escapes the five special characters", () => {
  assertEquals(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});
