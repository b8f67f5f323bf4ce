import { assert, assertEquals, assertMatch, assertNotMatch } from "../testing/assert.ts";
import type { Chart } from "./charts/_common.ts";
import { escapeHtml, inlineScript, jsonForScript, renderHtml } from "./html.ts";
import type { Manifest } from "./manifest.ts";
import { readPageAssets } from "./page/assets.ts";

const assets = await readPageAssets();

const EVIL = `lstm</script><script>alert("x")</script>'"&<!--`;

function page(name = EVIL) {
  const chart: Chart = {
    name: "evil",
    title: `Chart of ${name}`,
    spec: { title: name, data: { values: [{ cell: name }] }, mark: "point" },
    caption: `caption mentions ${name}`,
    notes: [`note about ${name}`],
    table: { columns: ["cell"], rows: [[name]] },
  };
  const manifest: Manifest = {
    facts: [["suite", name]],
    runs: { columns: ["cell"], rows: [[name]] },
    history: { columns: ["suite run"], rows: [[name]] },
    failures: [],
  };
  return renderHtml({
    title: "t",
    subtitle: `results from ${name}`,
    charts: [chart],
    manifest,
    missing: [`missing ${name}`],
    notes: [`/tmp/"quoted"/</script>.jsonl: torn`],
    libs: { vega: "var vega={};", vegaLite: "var vegaLite={};", vegaEmbed: "var vegaEmbed=1;" },
    assets,
  });
}

Deno.test("escapeHtml escapes markup and both quote kinds", () => {
  assertEquals(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});

Deno.test("jsonForScript cannot close the script element and parses back to the same value", () => {
  const v = { cell: EVIL, line: "a\u2028b" };
  const s = jsonForScript(v);
  assertNotMatch(s, /<|>|&/);
  assertNotMatch(s, /\u2028/);
  assertEquals(JSON.parse(s), v);
});

Deno.test("inlined libraries cannot close their script element", () => {
  assertEquals(inlineScript(`x="</script>";y=/<!--/`), `x="<\\/script>";y=/<\\!--/`);
});

Deno.test("a cell name with </script> and quotes does not break the page", () => {
  const html = page();
  // Exactly the page's own script elements close: status, specs, three libraries, embed.
  assertEquals(html.match(/<\/script>/gi)!.length, 6);
  assertEquals(html.match(/<script\b/gi)!.length, 6);
  assertNotMatch(html, /alert\("x"\)<\/script>/);
  assertNotMatch(html, /<!--/);
  assertMatch(html, /lstm&lt;\/script&gt;&lt;script&gt;alert\(&quot;x&quot;\)/);
  // The specs block parses back to the name as given.
  const m = html.match(/<script type="application\/json" id="chart-specs"[^>]*>(.*?)<\/script>/s)!;
  assertEquals(JSON.parse(m[1])[0].spec.title, EVIL);
});

Deno.test("the page is self-contained: no external scripts, styles or fetches", () => {
  const html = page("lstm");
  assertNotMatch(html, /<script[^>]+src=/);
  assertNotMatch(html, /<link\b/);
  assertNotMatch(html, /https?:\/\/(?!vega\.github\.io\/schema)/);
  assertMatch(html, /id="render-status"/);
  assert(html.includes(assets.link) && html.includes(assets.style), "page assets inlined");
  assert(html.indexOf("__reportErrors") < html.indexOf("var vega={};"));
});

Deno.test("a table's cell column carries the series colour", () => {
  const html = page("lstm");
  assertMatch(
    html,
    /<td class="cell"><span class="swatch" style="background:#[0-9a-f]{6}"><\/span>lstm<\/td>/,
  );
});
