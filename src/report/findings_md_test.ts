import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { benchCommandOf, findingsMarkdown, reproduceCommands, shellWord } from "./findings_md.ts";

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
    literature: { caption: "Literature.", columns: ["task", "agree"], rows: [["copy", "no"]] },
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
  assert(md.includes("## Against the literature\n\nLiterature.\n\n| task | agree |"));
  assertEquals(md.includes("See also"), false, "no links given, none shown");
});

Deno.test("findingsMarkdown: links given to the report are in its text and its rebuild command", () => {
  const md = findingsMarkdown({
    ...input,
    suitePath: "suites/long.json",
    referencesPath: "suites/long.json",
    links: [{ label: "Long horizons", href: "long/index.html" }, {
      label: "Tour",
      href: "../index.html",
    }],
  });
  // A report's index.html is linked by the FINDINGS.md beside it.
  assert(md.includes("See also: [Long horizons](long/FINDINGS.md) · [Tour](../FINDINGS.md)."));
  assert(md.includes("deno task train --suite suites/long.json --out reports/tour"));
  assert(
    md.includes(
      "--out docs/reference --references suites/long.json --link 'Long horizons=long/index.html'" +
        " --link Tour=../index.html\n",
    ),
  );
  const literatureless = findingsMarkdown({
    ...input,
    findings: { ...input.findings, literature: { ...input.findings.literature, rows: [] } },
  });
  assertEquals(literatureless.includes("Against the literature"), false);
});

Deno.test("findingsMarkdown: no suite, no reproduce section; nothing missing, no section", () => {
  const md = findingsMarkdown({ ...input, suite: undefined, missing: [] });
  assertEquals(md.includes("## Reproduce"), false);
  assertEquals(md.includes("## Missing"), false);
});

Deno.test("reproduceCommands: the sharded form merges into the folder the report reads", () => {
  const cmds = reproduceCommands("tour", {
    resultsDir: "r",
    benchDir: "b",
    outDir: "o",
    shardsSideBySide: true,
  }).join("\n");
  assertMatch(cmds, /--shard 1\/2 --out reports\/tour-1 &/);
  assertMatch(cmds, /deno task merge --out reports\/tour reports\/tour-1 reports\/tour-2/);
  assertMatch(cmds, /deno task report --results reports\/tour --out reports\/tour-site/);
  // Models that fill both cores by themselves: one process, no side-by-side shards.
  const big = reproduceCommands("long", { resultsDir: "r", benchDir: "b", outDir: "o" });
  assertEquals(big.some((c) => c.includes("--shard")), false);
  assertMatch(big.join("\n"), /deno task train --suite long --out reports\/long/);
});

Deno.test("reproduceCommands: the bench line reruns the shown bench file's own command", () => {
  const cmds = reproduceCommands("tour", {
    resultsDir: "r",
    benchDir: "b",
    outDir: "o",
    benchCommand: "deno task bench --preset speed --repeats 3 --out reports/bench-quiet",
  });
  assertEquals(
    cmds.find((c) => c.startsWith("deno task bench")),
    "deno task bench --preset speed --repeats 3   # the speed chart's numbers, into reports/bench",
  );
  assertEquals(benchCommandOf(undefined), "deno task bench --quick --peer torch");
  assertEquals(benchCommandOf("runBench"), "deno task bench --quick --peer torch");
  assertEquals(benchCommandOf("deno task bench --out=x --quick"), "deno task bench --quick");
});

Deno.test("shellWord quotes what a shell would split or expand", () => {
  assertEquals(shellWord("long/index.html"), "long/index.html");
  assertEquals(shellWord("Long run=long/index.html"), "'Long run=long/index.html'");
  assertEquals(shellWord("it's"), "'it'\\''s'");
});
