import { assertEquals } from "../testing/assert.ts";
import { labelMatches, parseOnly, selectByLabel } from "./select.ts";
import { expandGrid, loadSuite, runLabel } from "./suite.ts";

Deno.test("labelMatches: every word of the pattern is a word of the label", () => {
  assertEquals(labelMatches("copy exprnn T=1000 seed=1", "copy exprnn"), true);
  assertEquals(labelMatches("copy exprnn T=1000 seed=1", "exprnn  T=1000"), true);
  assertEquals(labelMatches("adding lstm seed=1", "lstm"), true);
  assertEquals(labelMatches("adding lstm+attn seed=1", "lstm"), false);
  assertEquals(labelMatches("adding lstm seed=1", "copy lstm"), false);
  assertEquals(labelMatches("adding lstm seed=1", " "), false);
});

Deno.test("parseOnly: comma-separated patterns, blanks dropped; none is an error", () => {
  assertEquals(parseOnly("copy exprnn, adding  lstm ,"), ["copy exprnn", "adding lstm"]);
  assertEquals(typeof parseOnly(" , "), "string");
});

Deno.test("selectByLabel keeps the suite's own runs and hashes, in order", async () => {
  const grid = await expandGrid(await loadSuite("quick"));
  const picked = selectByLabel(grid.runs, ["lstm", "rnn_tanh T=20"], (r) => runLabel(r.config));
  assertEquals(picked.length > 0, true);
  for (const r of picked) {
    const label = runLabel(r.config);
    assertEquals(label.includes(" lstm ") || label.includes("rnn_tanh T=20 "), true);
    assertEquals(grid.runs.includes(r), true);
  }
  const order = picked.map((r) => grid.runs.indexOf(r));
  assertEquals(order, [...order].sort((a, b) => a - b));
});
