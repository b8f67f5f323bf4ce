import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { renderPlaygroundHtml } from "./html.ts";
import { PARAM_NAMES } from "./params.ts";

const nasty = `var s = "</script><!-- \\u2028 & <b>";`;

function page(): string {
  return renderPlaygroundHtml({
    libs: { vega: "/*vega*/", vegaLite: "/*vega-lite*/", vegaEmbed: "/*vega-embed*/" },
    pageJs: "/*page*/",
    workerJs: nasty,
    wasmBase64: "AGFzbQ==",
    cells: ["rnn_tanh", "lstm"],
  });
}

Deno.test("the page has every element of its test contract and one control per parameter", () => {
  const html = page();
  for (const id of ["step", "final-loss", "error", "finding", "backend", "link", "state"]) {
    assertMatch(html, new RegExp(`id="${id}"`), id);
  }
  for (const c of ["decay", "loss", "metric"]) assertMatch(html, new RegExp(`id="chart-${c}"`));
  for (const b of ["train", "pause", "step", "reset"]) {
    assertMatch(html, new RegExp(`id="btn-${b}"`));
  }
  for (const name of PARAM_NAMES.filter((n) => n !== "autorun")) {
    assertMatch(html, new RegExp(`id="in-${name}"`), name);
  }
  for (const cell of ["rnn_tanh", "lstm", "rnn_tanh+attn", "lstm+attn"]) {
    assert(html.includes(`<option value="${cell}">`), cell);
  }
  assertMatch(html, /<body data-state="loading">/);
});

Deno.test("the worker's source survives inlining byte for byte, and nothing is fetched", () => {
  const html = page();
  const m = html.match(/<script type="application\/json" id="worker-src">([^<]*)<\/script>/);
  assert(m, "no worker source block");
  assertEquals(JSON.parse(m[1]), nasty);
  assert(!html.includes("<b>"), "markup leaked from a script");
  assertMatch(html, /id="wasm-b64">AGFzbQ==<\/script>/);
  assertEquals(html.match(/\ssrc=/g), null, "no external script or image");
  assertEquals(html.match(/href="https?:/g), null, "no link off the page");
});
