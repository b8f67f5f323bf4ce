import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { findingsMarkdown, reproduceCommands } from "./findings_md.ts";

const input = {
  title: "T",
  subtitle: "Suite tour, run tour-abc, 2 runs.",
  suite: "tour",
  resultsDir: "docs/reference/results",
  benchDir: "docs/reference/bench",
  outDir: "docs/reference",
  findings: {
    headline: ["The gradient horizon predicts 1 of 2."],
    memory: {
      caption: "Memory horizon.",
      columns: ["cell", "adding"],
      rows: [["lstm", "50 [20–50]"]],
    },
    thesis: { caption: "Thesis.", columns: ["cell", "a|b"], rows: [["gru", "0.9"]] },
  },
  charts: [{ name: "gradient_decay", caption: "tanh decays\n  fastest." }],
  missing: ["failed: copy gru T=5 seed=1"],
};

Deno.test("findingsMarkdown: sentences, tables, captions, missing and the reproduce commands", () => {
  const md = findingsMarkdown(input);
  assertMatch(md, /^# T\n\nSuite tour, run tour-abc, 2 runs\./);
  assertMatch(
    md,
    /^# T\n\nSuite tour, run tour-abc, 2 runs\.\n\n## Headline\n\n- The gradient horizon/,
  );
  assert(md.includes("| cell | adding |\n| --- | --- |\n| lstm | 50 [20–50] |"));
  assert(md.includes("| cell | a\\|b |"), "pipes inside a cell are escaped");
  assert(md.includes("- **gradient_decay**: tanh decays fastest."), "captions on one line");
  assert(md.includes("- failed: copy gru T=5 seed=1"));
  assert(
    md.includes(
      "deno task report --results docs/reference/results --bench docs/reference/bench --out docs/reference",
    ),
  );
  assert(md.includes("deno task train --suite tour --out reports/tour"));
});

Deno.test("findingsMarkdown: no suite, no reproduce section; nothing missing, no section", () => {
  const md = findingsMarkdown({ ...input, suite: undefined, missing: [] });
  assertEquals(md.includes("## Reproduce"), false);
  assertEquals(md.includes("## Missing"), false);
});

Deno.test("reproduceCommands: the sharded form merges into the folder the report reads", () => {
  const cmds = reproduceCommands("tour", { resultsDir: "r", benchDir: "b", outDir: "o" }).join(
    "\n",
  );
  assertMatch(cmds, /--shard 1\/2 --out reports\/tour-1 &/);
  assertMatch(cmds, /deno task merge --out reports\/tour reports\/tour-1 reports\/tour-2/);
  assertMatch(cmds, /deno task report --results reports\/tour --out reports\/tour-site/);
});
