/**
 * Opens a generated report in headless Chromium and checks that every chart rendered (an `svg`
 * with marks per chart) with no console error, from the page's `#render-status`; keeps a
 * screenshot in the test's temp folder.
 *
 * Skipped only when Chromium is not installed and CI is not "true" (in CI it must run).
 *
 * @module
 */
import { join } from "node:path";
import { findChromium } from "../testing/chromium.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { syntheticRecords, writeSyntheticBench } from "./_synthetic.ts";
import { buildReport } from "./build_report.ts";
import { suiteRunFile } from "../results/store.ts";

const CHROMIUM = findChromium();
const CI = Deno.env.get("CI") === "true";

async function chromium(profile: string, args: string[]): Promise<string> {
  const cmd = new Deno.Command(CHROMIUM ?? "chromium", {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-extensions",
      "--no-first-run",
      "--disable-quic",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      "--virtual-time-budget=15000",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  });
  const { code, stdout, stderr } = await cmd.output();
  const out = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(`chromium exited ${code}: ${new TextDecoder().decode(stderr).slice(-800)}`);
  }
  return out;
}

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

Deno.test({
  name: "the report renders every chart in headless Chromium without console errors",
  ignore: CHROMIUM === null && !CI,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(CHROMIUM, "chromium is not installed (apt-get install chromium); CI needs it");
    const dir = await Deno.makeTempDir({ prefix: "report_browser_" });
    const keep = join(dir, "report.png");
    try {
      // A cell whose name would break a careless page: it must render like any other.
      const evil = `lstm"</script><b>x`;
      const records = [
        ...syntheticRecords({ cells: ["rnn_tanh", "lstm", "gru"], lengths: [50, 200] }),
        ...syntheticRecords({ cells: [evil], lengths: [50, 200], faults: false }).map((r) => ({
          ...r,
          run_id: r.run_id + "-evil",
          config_hash: "f" + r.config_hash.slice(1),
        })),
      ];
      const results = join(dir, "results");
      await Deno.mkdir(results, { recursive: true });
      await Deno.writeTextFile(
        suiteRunFile(results, records[0].suite, records[0].grid_hash),
        records.map((r) => JSON.stringify(r)).join("\n") + "\n",
      );
      await writeSyntheticBench(join(dir, "bench"));
      const { indexPath, charts } = await buildReport({
        resultsDir: results,
        benchDir: join(dir, "bench"),
        outDir: join(dir, "site"),
        referencesPath: join(dir, "none.json"),
        svg: false,
      });
      const url = `file://${indexPath}`;
      const dom = await chromium(join(dir, "profile-1"), ["--dump-dom", url]);
      const m = dom.match(/<pre id="render-status">([^<]*)<\/pre>/);
      assert(m, "no #render-status in the dumped DOM");
      const status = JSON.parse(unescapeHtml(m[1]));
      assertEquals(status.done, true, "vega-embed did not finish within the time budget");
      assertEquals(status.errors, []);
      assertEquals(status.charts, charts.length);
      assertEquals(status.rendered, charts.length);
      for (const name of charts) assert(status.marks[name] > 0, `${name}: no marks`);
      assert(!dom.includes("<b>x"), "a cell name leaked into the page as markup");

      await chromium(join(dir, "profile-2"), [
        `--screenshot=${keep}`,
        "--window-size=1280,4000",
        url,
      ]);
      assert((await Deno.stat(keep)).size > 10_000, "the screenshot is empty");
    } finally {
      // Keep only the screenshot (the artifact); drop the rest.
      for (const e of Deno.readDirSync(dir)) {
        if (e.name !== "report.png") await Deno.remove(join(dir, e.name), { recursive: true });
      }
      console.log(`screenshot: ${keep}`);
    }
  },
});
