import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";
import { runScript } from "../src/testing/run_script.ts";
import { writeSyntheticBench, writeSyntheticRun } from "../src/report/_synthetic.ts";

const report = (out: string, args: string[]) =>
  runScript("tasks/report.ts", ["--allow-read", `--allow-write=${out}`, "--allow-env"], args);

Deno.test("report --help prints the flags and exits 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await report(dir, ["--help"]);
    assertEquals(r.code, 0);
    assertMatch(r.stdout, /--results DIR/);
    assertMatch(r.stdout, /--run ID/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bad flag exits 2 with one line and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await report(dir, ["--nope", "--out", join(dir, "site")]);
    assertEquals(r.code, 2);
    assertEquals(r.stderr.trim().split("\n").length, 1);
    assertMatch(r.stderr, /^report: .*nope/);
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unknown --run exits 2 with one line and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticRun(join(dir, "results"), { cells: ["lstm"], lengths: [50] });
    const r = await report(dir, [
      "--results",
      join(dir, "results"),
      "--out",
      join(dir, "site"),
      "--run",
      "nope",
    ]);
    assertEquals(r.code, 2);
    assertEquals(r.stderr.trim().split("\n").length, 1);
    assertMatch(r.stderr, /no suite run 'nope'/);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["results"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report builds from a synthetic results folder and prints where and what it found", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticRun(join(dir, "results"));
    await writeSyntheticBench(join(dir, "bench"));
    const out = join(dir, "site");
    const r = await report(dir, [
      "--results",
      join(dir, "results"),
      "--bench",
      join(dir, "bench"),
      "--out",
      out,
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stdout, new RegExp(`Report: ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    assertMatch(r.stdout, /^- On the adding problem/m);
    assertMatch(r.stdout, /predicts the memory horizon in \d+ of \d+ cell–task pairs/);
    assert(r.stdout.trim().split("\n").length <= 12, "a few lines, not every caption");
    assert((await Deno.stat(join(out, "index.html"))).size > 500_000);
    assert((await Deno.stat(join(out, "charts", "gradient_decay.svg"))).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the published reference run (docs/reference/) rebuilds to its committed FINDINGS.md", async () => {
  const root = new URL("../", import.meta.url).pathname;
  const dir = await Deno.makeTempDir();
  try {
    const committed0 = await Deno.readTextFile(join(root, "docs/reference/FINDINGS.md"));
    const r = await report(dir, [
      "--results",
      join(root, "docs/reference/results"),
      "--bench",
      join(root, "docs/reference/bench"),
      "--history",
      join(dir, "no-history"),
      "--out",
      join(dir, "site"),
      ...rebuildFlags(committed0),
    ]);
    assertEquals(r.code, 0, r.stderr);
    // Everything but the reproduce commands, which name the folders the report was built into.
    const cut = (md: string) => md.slice(0, md.indexOf("## Reproduce"));
    const rebuilt = await Deno.readTextFile(join(dir, "site", "FINDINGS.md"));
    const committed = await Deno.readTextFile(join(root, "docs/reference/FINDINGS.md"));
    assert(committed.includes("## Reproduce"));
    assertEquals(
      cut(rebuilt),
      cut(committed),
      "docs/reference/ is stale: deno task report --results docs/reference/results " +
        "--bench docs/reference/bench --out docs/reference",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * The `--references`, `--suite` and `--link` flags of the rebuild command a FINDINGS.md gives
 * (its last `deno task report` line), unquoted as a shell would.
 */
function rebuildFlags(md: string): string[] {
  const line = md.split("\n").filter((l) => l.startsWith("deno task report ")).at(-1) ?? "";
  const words = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]
  );
  return words.flatMap((w, i) =>
    ["--references", "--suite", "--link"].includes(w) && i + 1 < words.length
      ? [w, words[i + 1]]
      : []
  );
}

Deno.test("rebuildFlags reads the flags back as a shell would", () => {
  assertEquals(
    rebuildFlags(
      "x\ndeno task report --results r --out o --references s.json --link 'Long run=long/index.html'" +
        " --link T=../index.html\n",
    ),
    ["--references", "s.json", "--link", "Long run=long/index.html", "--link", "T=../index.html"],
  );
});

Deno.test("--link needs LABEL=HREF and --suite a suite file: exit 2, one line, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [args, msg] of [
        [["--link", "nolabel"], /^report: --link needs LABEL=HREF, got 'nolabel' \(see --help\)$/],
        [["--suite", join(dir, "none.json")], /^report: suite '.*none\.json' not found/],
      ] as const
    ) {
      const r = await report(dir, [...args, "--out", join(dir, "site")]);
      assertEquals(r.code, 2, r.stderr);
      assertEquals(r.stderr.trim().split("\n").length, 1);
      assertMatch(r.stderr.trim(), msg);
    }
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Words in each prose line of a Markdown text: not table rows, headings or code blocks. */
function proseLines(md: string): { words: number; line: string }[] {
  let code = false;
  return md.split("\n").flatMap((line) => {
    if (line.startsWith("```")) {
      code = !code;
      return [];
    }
    if (code || line.startsWith("|") || line.startsWith("#") || line.trim() === "") return [];
    return [{ words: line.trim().split(/\s+/).length, line: line.slice(0, 80) }];
  });
}

Deno.test("the committed FINDINGS.md opens with the headline and has no prose line over 80 words", async () => {
  const root = new URL("../", import.meta.url).pathname;
  const md = await Deno.readTextFile(join(root, "docs/reference/FINDINGS.md"));
  assertMatch(md, /^# .*\n\n.*\n\n## Headline\n\n- /);
  const long = proseLines(md).filter((l) => l.words > 80);
  assertEquals(long, [], "prose lines over 80 words");
  assert(proseLines("a b\n| x |\n```\n" + "w ".repeat(99) + "\n```\n").length === 1);
});
