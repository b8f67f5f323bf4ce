/// <reference lib="dom" />
/**
 * The committed reference report (`docs/reference/index.html`, and its `history.html`) as a
 * reader sees it, in headless Chromium at a laptop's 1,280 × 800 and a phone's 390 × 844:
 *
 * - the page never scrolls sideways;
 * - no chart is cut: each chart's SVG lies inside its scroll box (at 1,280 px inside the box's
 *   visible width, so no chart needs scrolling there);
 * - the report's first screen holds the headline chart (whole at 1,280 × 800, its top at
 *   390 × 844);
 * - no prose block (paragraph, list item, caption) runs over 80 words.
 *
 * A screenshot of each first screen is kept in the test's temp folder. Skipped only when
 * Chromium is not installed and CI is not "true" (in CI it must run).
 *
 * @module
 */
import puppeteer, { type Browser } from "puppeteer-core";
import { join } from "node:path";
import { findChromium } from "../testing/chromium.ts";
import { assert, assertEquals } from "../testing/assert.ts";

const CHROMIUM = findChromium();
const CI = Deno.env.get("CI") === "true";
const REFERENCE = new URL("../../docs/reference/", import.meta.url).pathname;

/** The most words a block of prose may have. */
export const MAX_PROSE_WORDS = 80;

/** What the page measures of itself. */
interface Layout {
  scrollWidth: number;
  innerWidth: number;
  innerHeight: number;
  charts: {
    id: string;
    svgLeft: number;
    svgRight: number;
    boxLeft: number;
    boxRight: number;
    boxScroll: number;
    boxClient: number;
    top: number;
    bottom: number;
  }[];
  prose: { words: number; text: string }[];
}

function measure(): Layout {
  const charts = [...document.querySelectorAll(".chart-box")].map((box) => {
    const chart = box.querySelector(".chart")!;
    const svg = chart.querySelector("svg, canvas")!;
    const b = box.getBoundingClientRect();
    const s = svg.getBoundingClientRect();
    return {
      id: chart.id,
      svgLeft: s.left,
      svgRight: s.right,
      boxLeft: b.left,
      boxRight: b.right,
      boxScroll: box.scrollWidth,
      boxClient: box.clientWidth,
      top: s.top + scrollY,
      bottom: s.bottom + scrollY,
    };
  });
  const prose = [...document.querySelectorAll("p, li, caption, figcaption, .caption, .notes")]
    .filter((el) => !el.closest("td, th, pre, nav, #render-status"))
    .map((el) => {
      const text = (el as HTMLElement).innerText.trim();
      return { words: text ? text.split(/\s+/).length : 0, text: text.slice(0, 80) };
    });
  return {
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth,
    innerHeight,
    charts,
    prose,
  };
}

for (
  const [file, width, height] of [
    ["index.html", 1280, 800],
    ["index.html", 390, 844],
    ["history.html", 1280, 800],
    ["history.html", 390, 844],
  ] as const
) {
  const index = file === "index.html";
  Deno.test({
    name: `the reference ${file} at ${width} × ${height}: no sideways scroll, no chart cut` +
      (index ? `, the headline chart on the first screen` : "") +
      `, no prose block over ${MAX_PROSE_WORDS} words`,
    ignore: CHROMIUM === null && !CI,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      assert(CHROMIUM, "chromium is not installed (apt-get install chromium); CI needs it");
      const dir = await Deno.makeTempDir({ prefix: "report_layout_" });
      let browser: Browser | null = null;
      try {
        browser = await puppeteer.launch({
          executablePath: CHROMIUM,
          headless: true,
          pipe: true,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        const page = await browser.newPage();
        await page.setViewport({ width, height });
        await page.goto(`file://${join(REFERENCE, file)}`);
        await page.waitForFunction(() => document.body.dataset.render === "done", {
          timeout: 60_000,
        });
        await page.screenshot({ path: join(dir, `first-screen-${file}-${width}.png`) });
        const m = await page.evaluate(measure);
        assert(
          m.scrollWidth <= m.innerWidth,
          `the page scrolls sideways: ${m.scrollWidth} px wide in a ${m.innerWidth} px window`,
        );
        assert(m.charts.length >= (index ? 5 : 1), `only ${m.charts.length} charts`);
        for (const c of m.charts) {
          // Inside its scroll box: nothing left of it, nothing past what the box scrolls to.
          assert(c.svgLeft >= c.boxLeft - 1, `${c.id} starts left of its box`);
          assert(
            c.svgRight - c.svgLeft <= c.boxScroll + 1,
            `${c.id} is cut: ${c.svgRight - c.svgLeft} px in a box that scrolls to ${c.boxScroll}`,
          );
          if (width >= 1280) {
            assert(
              c.svgRight <= c.boxRight + 1 && c.boxScroll <= c.boxClient + 1,
              `${c.id} does not fit ${width} px: ${Math.round(c.svgRight - c.svgLeft)} px wide`,
            );
          }
        }
        const head = m.charts.find((c) => c.id === "chart-0");
        assert(head, "no first chart");
        if (index) {
          assert(head.top < m.innerHeight, `the headline chart starts at ${head.top} px`);
          if (width >= 1280) {
            assert(head.bottom <= m.innerHeight, `the headline chart ends at ${head.bottom} px`);
          }
        }
        const long = m.prose.filter((p) => p.words > MAX_PROSE_WORDS);
        assertEquals(long, [], "prose blocks over the word limit");
      } finally {
        await browser?.close();
        console.log(`screenshots: ${dir}`);
      }
    },
  });
}
