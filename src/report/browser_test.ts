/// <reference lib="dom" />
/**
 * Opens a generated report in headless Chromium and checks that every chart rendered (an `svg`
 * with marks per chart) with no console error, from the page's `#render-status`; keeps a
 * screenshot in the test's temp folder. Then, driven through puppeteer-core, checks that a click
 * on a legend entry highlights that cell in every chart of the report and of the history page
 * (the other cells' marks dimmed), that clearing the pick restores every chart, and that a chart
 * not coloured by cell is left alone.
 *
 * Skipped only when Chromium is not installed and CI is not "true" (in CI it must run).
 *
 * @module
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { join } from "node:path";
import { findChromium } from "../testing/chromium.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { HIGHLIGHT_PARAM } from "../viz/cell_style.ts";
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
      const results = await writeSyntheticInputs(dir, records);
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

/**
 * Writes a suite run (by default synthetic: three cells, two lengths) and a bench file under
 * `dir`; returns the results folder.
 */
async function writeSyntheticInputs(
  dir: string,
  records = syntheticRecords({ cells: ["rnn_tanh", "lstm", "gru"], lengths: [50, 200] }),
): Promise<string> {
  const results = join(dir, "results");
  await Deno.mkdir(results, { recursive: true });
  await Deno.writeTextFile(
    suiteRunFile(results, records[0].suite, records[0].grid_hash),
    records.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  await writeSyntheticBench(join(dir, "bench"));
  return results;
}

/** One data mark of a chart as drawn: the cell of its datum and its opacity. */
interface MarkItem {
  cell: string;
  opacity: number;
}

/** A chart as drawn: whether its spec has the legend-bound highlight, and its data marks. */
interface Drawn {
  highlight: boolean;
  items: MarkItem[];
}

/**
 * Every chart of the page as drawn: every SVG mark element (in document order) whose datum has
 * a `cell`, with its computed opacity, read from the page alone.
 */
function drawn(page: Page): Promise<Drawn[]> {
  return page.evaluate((param: string) => {
    const specs = JSON.parse(document.getElementById("chart-specs")!.textContent!);
    return (specs as { spec: unknown }[]).map((s, i) => {
      const items: MarkItem[] = [];
      for (const el of document.querySelectorAll(`#chart-${i} svg .role-mark > *`)) {
        // Vega's SVG renderer binds each element to its scenegraph item.
        // deno-lint-ignore no-explicit-any
        const cell = (el as any).__data__?.datum?.cell;
        if (typeof cell === "string") {
          items.push({ cell, opacity: Number(getComputedStyle(el).opacity) });
        }
      }
      return { highlight: JSON.stringify(s.spec).includes(`"name":"${param}"`), items };
    });
  }, HIGHLIGHT_PARAM);
}

/** Polls the drawn charts until `done` holds or 5 s pass; returns the last state. */
async function settle(page: Page, done: (s: Drawn[]) => boolean): Promise<Drawn[]> {
  const deadline = Date.now() + 5000;
  let state = await drawn(page);
  while (!done(state) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    state = await drawn(page);
  }
  return state;
}

/** How many marks of `cell` (or, with `others`, of the other cells) are fainter than before. */
function dimmed(before: MarkItem[], after: MarkItem[], cell: string, others: boolean): number {
  if (after.length !== before.length) return NaN;
  return after.filter((it, k) =>
    (it.cell === cell) !== others && it.opacity < before[k].opacity - 1e-9
  ).length;
}

const same = (a: MarkItem[], b: MarkItem[]) => JSON.stringify(a) === JSON.stringify(b);

/** Clicks the legend label `label` of chart `i`. */
async function clickLegend(page: Page, i: number, label: string): Promise<void> {
  for (const el of await page.$$(`#chart-${i} svg .role-legend-label text`)) {
    if (await el.evaluate((e) => e.textContent) === label) return void await el.click();
  }
  throw new Error(`chart ${i} has no legend entry ${label}`);
}

/** Clicks the top-left corner of chart `i`, where nothing is drawn: that clears a pick. */
async function clickEmpty(page: Page, i: number): Promise<void> {
  const svg = await page.$(`#chart-${i} svg`);
  assert(svg, `chart ${i} has no svg`);
  await svg.scrollIntoView();
  const box = await svg.boundingBox();
  assert(box, `chart ${i} has no box`);
  await page.mouse.click(box.x + 2, box.y + 2);
}

/** Clicks a point on a data mark of chart `i` (one the mark itself is hit at). */
async function clickMark(page: Page, i: number): Promise<void> {
  const at = await page.evaluate((i: number) => {
    for (const el of document.querySelectorAll(`#chart-${i} svg .role-mark > path`)) {
      // deno-lint-ignore no-explicit-any
      if (typeof (el as any).__data__?.datum?.cell !== "string") continue;
      el.scrollIntoView({ block: "center" });
      const path = el as SVGPathElement;
      const m = path.getScreenCTM();
      const length = path.getTotalLength();
      for (let t = 0; m && t < length; t += Math.max(1, length / 50)) {
        const p = path.getPointAtLength(t);
        const x = p.x * m.a + p.y * m.c + m.e;
        const y = p.x * m.b + p.y * m.d + m.f;
        if (document.elementFromPoint(x, y) === el) return { x, y };
      }
    }
    return null;
  }, i);
  assert(at, `chart ${i}: no data mark to click`);
  await page.mouse.click(at.x, at.y);
}

/**
 * Picks `cell` in chart `from`'s legend and checks every chart: in each one with the highlight
 * some marks of other cells are dimmed and none of `cell`; the others are drawn as before. Then
 * clears the pick with a click in chart `clearIn` and checks every chart is drawn as before,
 * also after a click on a mark of chart `from`.
 */
async function checkLinkedHighlight(
  page: Page,
  what: string,
  cell: string,
  from: number,
  clearIn: number,
): Promise<void> {
  const before = await drawn(page);
  const linked = before.flatMap((c, i) => c.highlight ? [i] : []);
  assert(linked.length >= 2, `${what}: fewer than two cell-coloured charts (${linked})`);

  await clickLegend(page, from, cell);
  const othersDimmed = (s: Drawn[], i: number) => dimmed(before[i].items, s[i].items, cell, true);
  const picked = await settle(page, (s) => linked.every((i) => othersDimmed(s, i) > 0));
  picked.forEach((c, i) => {
    if (c.highlight) {
      assert(
        othersDimmed(picked, i) > 0,
        `${what}: chart ${i} dims no other cell (pick in ${from})`,
      );
      const own = dimmed(before[i].items, c.items, cell, false);
      assertEquals(own, 0, `${what}: chart ${i} dims ${cell}`);
    } else {
      assert(same(c.items, before[i].items), `${what}: chart ${i} has no highlight but changed`);
    }
  });

  await clickEmpty(page, clearIn);
  const cleared = await settle(page, (s) => s.every((c, i) => same(c.items, before[i].items)));
  cleared.forEach((c, i) => {
    assert(
      same(c.items, before[i].items),
      `${what}: chart ${i} not restored (clear in ${clearIn})`,
    );
  });
  if (clearIn === from) return;

  // Chart `from`'s own legend state still holds `cell`, which Vega-Lite stores again on a click
  // on one of its marks: the page must stay cleared.
  await clickMark(page, from);
  await new Promise((r) => setTimeout(r, 300));
  const after = await settle(page, (s) => s.every((c, i) => same(c.items, before[i].items)));
  after.forEach((c, i) => {
    assert(same(c.items, before[i].items), `${what}: chart ${i} changed on a mark click`);
  });
}

Deno.test({
  name: "a legend click highlights that cell in every chart of the report and the history page",
  ignore: CHROMIUM === null && !CI,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(CHROMIUM, "chromium is not installed (apt-get install chromium); CI needs it");
    const dir = await Deno.makeTempDir({ prefix: "report_highlight_" });
    let browser: Browser | null = null;
    try {
      const results = await writeSyntheticInputs(dir);
      const { indexPath, historyPath } = await buildReport({
        resultsDir: results,
        benchDir: join(dir, "bench"),
        outDir: join(dir, "site"),
        referencesPath: join(dir, "none.json"),
        svg: false,
      });
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        pipe: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      for (const [what, path] of [["report", indexPath], ["history", historyPath]]) {
        const page = await browser.newPage();
        await page.setViewport({ width: 1280, height: 1000 });
        const errors: string[] = [];
        page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
        page.on("pageerror", (e) => void errors.push(`uncaught: ${e}`));
        await page.goto(`file://${path}`);
        await page.waitForFunction(() => document.body.dataset.render === "done", {
          timeout: 30_000,
        });
        const charts = await drawn(page);
        const linked = charts.flatMap((c, i) => c.highlight ? [i] : []);
        if (what === "report") {
          // The speed chart is not coloured by cell: it must take no part and break nothing.
          assert(linked.length < charts.length, "every report chart has the highlight");
        }
        // A pick in the first chart reaches the others; one in the last chart reaches the first.
        await checkLinkedHighlight(page, what, "lstm", linked[0], linked[0]);
        await checkLinkedHighlight(page, what, "gru", linked.at(-1)!, linked[0]);
        // deno-lint-ignore no-explicit-any
        const recorded = await page.evaluate(() => (globalThis as any).__reportErrors);
        assertEquals(recorded, [], `${what}: errors recorded by the page`);
        assertEquals(errors, [], `${what}: console errors`);
        await page.close();
      }
    } finally {
      await browser?.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
