/// <reference lib="dom" />
/**
 * The playground in real headless Chromium, opened from `file://` (puppeteer-core over a pipe,
 * so no port is opened): an LSTM and a tanh RNN with `autorun=1&steps=30` finish with state
 * `done`, a finite final loss, charts with marks, no console error and no network request; on
 * the wasm and the cpu backend the final loss equals that of the `deno task train` command the
 * page shows for the same setting; a bad URL parameter shows
 * `#error` and trains nothing; the buttons step and reset. Screenshots stay in the test's temp
 * folder (the artefacts).
 *
 * Skipped only when Chromium is not installed and CI is not "true" (in CI it must run).
 *
 * @module
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { join } from "node:path";
import { assert, assertEquals, assertLess, assertMatch } from "../testing/assert.ts";
import { findChromium } from "../testing/chromium.ts";
import { readLibraries } from "../report/mod.ts";
import { buildPlayground, PAGE_BUDGET } from "./build.ts";
import { parseSettings, trainCommand } from "./params.ts";
import { runScript } from "../testing/run_script.ts";
import { CELL_NAMES } from "../engine/eager.ts";

const CHROMIUM = findChromium();
const CI = Deno.env.get("CI") === "true";

/** The first chart must be drawn this soon after opening (ms; the page's budget is 3 s). */
const FIRST_CHART_MS = 3000;

/** What a page did while the test watched it. */
interface Watch {
  errors: string[];
  requests: string[];
}

/** Records console errors (page and workers), uncaught errors and any non-local request. */
async function watch(page: Page): Promise<Watch> {
  const w: Watch = { errors: [], requests: [] };
  page.on("console", (m) => {
    if (m.type() === "error") w.errors.push(m.text());
  });
  page.on("pageerror", (e) => w.errors.push(`uncaught: ${e}`));
  page.on("workercreated", (worker) => {
    worker.on("console", (m) => {
      if (m.type() === "error") w.errors.push(`worker: ${m.text()}`);
    });
  });
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    const url = r.url();
    if (/^(file|data|blob):/.test(url)) return void r.continue();
    w.requests.push(url);
    return void r.abort();
  });
  return w;
}

async function finished(page: Page, timeout = 90_000): Promise<string> {
  await page.waitForFunction(
    () => ["done", "error", "diverged"].includes(document.body.dataset.state ?? ""),
    { timeout },
  );
  return await page.evaluate(() => document.body.dataset.state ?? "");
}

const text = (page: Page, id: string) =>
  page.$eval(`#${id}`, (e) => (e as HTMLElement).textContent ?? "");

const marks = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      ["decay", "loss", "metric"].map((n) => [
        n,
        document.querySelectorAll(`#chart-${n} svg .role-mark > *`).length,
      ]),
    )
  );

/**
 * The final training loss of the page's `deno task train` command for the same setting (what
 * the page shows under "the same run in Deno"), run as the task runs it.
 */
async function trainTaskFinalLoss(command: string, dir: string): Promise<number> {
  const out = join(dir, "results");
  await Deno.mkdir(dir, { recursive: true });
  const flags = command.replace(/^deno task train /, "").split(" ");
  const r = await runScript(
    "tasks/train.ts",
    ["--allow-read", `--allow-write=${dir}`, "--allow-env", "--allow-ffi", "--allow-sys"],
    [...flags, "--out", out],
  );
  assertEquals(r.code, 0, r.stderr);
  const file = [...Deno.readDirSync(out)].find((e) => e.name.endsWith(".jsonl"))!;
  const record = JSON.parse((await Deno.readTextFile(join(out, file.name))).trim());
  return record.metrics.final_train_loss;
}

Deno.test({
  name: "the playground trains in headless Chromium from file://, offline, and reports done",
  ignore: CHROMIUM === null && !CI,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(CHROMIUM, "chromium is not installed (apt-get install chromium); CI needs it");
    const dir = await Deno.makeTempDir({ prefix: "playground_browser_" });
    let browser: Browser | null = null;
    try {
      const built = await buildPlayground(join(dir, "site"), await readLibraries());
      assert(built.bytes <= PAGE_BUDGET, `page is ${built.bytes} bytes`);
      const url = `file://${built.path}`;
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        pipe: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });

      for (const cell of ["lstm", "rnn_tanh"]) {
        const page = await browser.newPage();
        await page.setViewport({ width: 1280, height: 1100 });
        const seen = await watch(page);
        await page.goto(`${url}?cell=${cell}&autorun=1&steps=30`);
        assertEquals(await finished(page), "done", `${cell}: ${await text(page, "error")}`);
        assertEquals(await text(page, "step"), "30");
        const loss = Number(await text(page, "final-loss"));
        assert(Number.isFinite(loss) && loss > 0, `${cell}: final loss ${loss}`);
        assertEquals(await text(page, "backend"), "wasm");
        for (const [name, n] of Object.entries(await marks(page))) {
          assert(n > 0, `${cell}: the ${name} chart has no marks`);
        }
        assertMatch(await text(page, "finding"), /^The gradient 39 steps back is /);
        const firstChart = Number(await page.evaluate(() => document.body.dataset.firstChart));
        assertLess(firstChart, FIRST_CHART_MS, `${cell}: first chart after ${firstChart} ms`);
        assertEquals(seen.errors, [], `${cell}: console errors`);
        assertEquals(seen.requests, [], `${cell}: network requests`);
        if (cell === "lstm") {
          // On wasm too: the page's `deno task train` line gives the same final loss.
          const command = await text(page, "train-command");
          assertMatch(command, /--backend wasm$/);
          assertEquals(loss, await trainTaskFinalLoss(command, join(dir, "wasm")));
        }
        await page.screenshot({ path: join(dir, `playground-${cell}.png`), fullPage: true });
        console.log(`${cell}: final loss ${loss}, first chart after ${firstChart} ms`);
        await page.close();
      }

      // Same setting and seed on the same backend: the same loss as the page's own
      // `deno task train` line gives.
      const query = "cell=lstm&T=20&H=16&batch=16&seed=3&backend=cpu&autorun=1&steps=12";
      const page = await browser.newPage();
      const seen = await watch(page);
      await page.goto(`${url}?${query}`);
      assertEquals(await finished(page), "done", await text(page, "error"));
      assertEquals(await text(page, "backend"), "cpu");
      const command = await text(page, "train-command");
      assertEquals(command, trainCommand(parseSettings(query, CELL_NAMES), "cpu"));
      assertEquals(Number(await text(page, "final-loss")), await trainTaskFinalLoss(command, dir));

      // The buttons: one step, then back to step 0.
      await page.click("#btn-step");
      await page.waitForFunction(() => document.getElementById("step")!.textContent === "13");
      await page.click("#btn-reset");
      await page.waitForFunction(() =>
        document.body.dataset.state === "ready" &&
        document.getElementById("step")!.textContent === "0"
      );
      assertEquals(seen.errors, []);
      assertEquals(seen.requests, []);
      await page.close();

      // Two stacked layers: the decay chart draws a line per layer (the lower one dashed).
      const stacked = await browser.newPage();
      const stackedSeen = await watch(stacked);
      await stacked.goto(`${url}?cell=lstm&layers=2&T=20&H=16&autorun=1&steps=5`);
      assertEquals(await finished(stacked), "done", await text(stacked, "error"));
      const dashed = await stacked.evaluate(() =>
        [...document.querySelectorAll("#chart-decay path")].filter((e) => {
          const d = e.getAttribute("stroke-dasharray");
          return d !== null && d !== "" && d !== "1,0";
        }).length
      );
      assert(dashed > 0, "no dashed (lower-layer) line in the stacked decay chart");
      assertEquals(stackedSeen.errors, []);
      await stacked.close();

      // A bad parameter: one line in #error, and nothing trains (no worker is started).
      const bad = await browser.newPage();
      const badSeen = await watch(bad);
      await bad.goto(`${url}?cell=lstm&T=abc&autorun=1`);
      assertEquals(await finished(bad), "error");
      assertEquals(
        await text(bad, "error"),
        `T: expected a whole number in 2…1000, got "abc"`,
      );
      await new Promise((r) => setTimeout(r, 500));
      assertEquals(bad.workers().length, 0, "a worker started despite the bad parameter");
      assertEquals(await text(bad, "step"), "0");
      assertEquals(badSeen.errors, []);
      await bad.screenshot({ path: join(dir, "playground-error.png") });
    } finally {
      await browser?.close();
      // Keep only the screenshots (the artefacts); drop the rest.
      for (const e of Deno.readDirSync(dir)) {
        if (!e.name.endsWith(".png")) await Deno.remove(join(dir, e.name), { recursive: true });
      }
      console.log(`screenshots: ${dir}`);
    }
  },
});
