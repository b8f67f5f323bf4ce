import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import {
  MIXED_SUITE,
  syntheticGridRecords,
  writeRecords,
  writeSyntheticBench,
  writeSyntheticRun,
} from "./_synthetic.ts";
import { expandGrid, validateSuite } from "../suite/mod.ts";
import { buildReport } from "./build_report.ts";
import { ReportInputError } from "./load.ts";

const NAMES = [
  "memory_horizon",
  "steps_to_solve",
  "gradient_decay",
  "accuracy_vs_length",
  "training_curves",
  "subnormal_share",
  "speed",
];

Deno.test("buildReport writes index.html, specs and SVGs for every chart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticRun(join(dir, "results"));
    await writeSyntheticBench(join(dir, "bench"));
    const refs = join(dir, "paper.json");
    await Deno.writeTextFile(
      refs,
      JSON.stringify({
        references: [{
          task: "adding",
          T: 100,
          cell: "lstm",
          metric: "test_mse",
          value: 0.01,
          source: "A & B 2018",
        }],
      }),
    );
    const out = join(dir, "site");
    const r = await buildReport({
      resultsDir: join(dir, "results"),
      benchDir: join(dir, "bench"),
      outDir: out,
      referencesPath: refs,
    });
    assertEquals(r.indexPath, join(out, "index.html"));
    assertEquals(r.charts, NAMES);
    assertEquals(r.captions.length, NAMES.length);
    for (const name of NAMES) {
      JSON.parse(await Deno.readTextFile(join(out, "charts", `${name}.vl.json`)));
      assertMatch(await Deno.readTextFile(join(out, "charts", `${name}.svg`)), /^<svg /);
    }
    const html = await Deno.readTextFile(r.indexPath);
    assertMatch(html, /A &amp; B 2018|A \\u0026 B 2018/);
    assertMatch(html, /vega-embed|vegaEmbed/);
    assert(html.length > 500_000, "vega, vega-lite and vega-embed are inlined");
    // The headline and its chart come first, then the findings tables, then the charts.
    const headlineAt = html.indexOf('<section id="headline">');
    const findingsAt = html.indexOf('<section id="findings">');
    assert(headlineAt > 0 && headlineAt < html.indexOf('id="chart-0"'));
    assert(html.indexOf('id="chart-0"') < findingsAt);
    assert(findingsAt < html.indexOf('<section id="steps_to_solve">'));
    assertMatch(html, /<table class="memory-horizon">/);
    assertMatch(html, /<table class="thesis">/);
    assertMatch(html, /gradient horizon at initialisation predicts/);
    assertMatch(html, /"bind":"legend"/);
    // Synthetic faults: a diverged and a failed run are named among the missing.
    assertMatch(r.missing.join("\n"), /^diverged: .*rnn_tanh|^failed: copy gru/m);
    // FINDINGS.md quotes the page: the same thesis sentences and every chart's caption.
    const md = await Deno.readTextFile(r.findingsPath);
    for (const f of r.findings) assert(md.includes(f), `FINDINGS.md lacks: ${f}`);
    for (const c of r.captions) assert(md.includes(c.replace(/\s*\n\s*/g, " ")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("buildReport builds from partial results and says what is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = await writeSyntheticRun(join(dir, "results"), {
      cells: ["rnn_tanh", "lstm"],
      lengths: [50, 100],
      seeds: [1, 2],
    });
    // Drop one (cell, T) of the adding grid and a seed elsewhere.
    const lines = (await Deno.readTextFile(file)).trim().split("\n").filter((l) => {
      const c = JSON.parse(l).config;
      return !(c.task === "adding" && c.cell === "lstm" && c.T === 100) &&
        !(c.task === "copy" && c.cell === "rnn_tanh" && c.T === 50 && c.seed === 2);
    });
    await Deno.writeTextFile(file, lines.join("\n") + "\n");
    const r = await buildReport({
      resultsDir: join(dir, "results"),
      benchDir: join(dir, "bench"),
      outDir: join(dir, "site"),
      referencesPath: join(dir, "none.json"),
      svg: false,
    });
    const missing = r.missing.join("\n");
    assertMatch(missing, /adding lstm: no runs at T=100/);
    assertMatch(missing, /copy rnn_tanh T=50: 1 of 2 seeds/);
    assertMatch(missing, /no bench file in/);
    assertMatch(r.captions[NAMES.indexOf("speed")], /No bench file found/);
    assertMatch(await Deno.readTextFile(r.indexPath), /no runs at T=100/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("buildReport with no results at all still writes a page that says so", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await buildReport({
      resultsDir: join(dir, "results"),
      benchDir: join(dir, "bench"),
      outDir: join(dir, "site"),
      referencesPath: join(dir, "none.json"),
    });
    assertMatch(r.missing[0], /no results in/);
    assertEquals(r.charts.length, NAMES.length);
    assertMatch(await Deno.readTextFile(r.indexPath), /No results yet/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unknown run id is bad input and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticRun(join(dir, "results"), { cells: ["lstm"], lengths: [50] });
    await assertRejects(
      () =>
        buildReport({
          resultsDir: join(dir, "results"),
          benchDir: join(dir, "bench"),
          outDir: join(dir, "site"),
          run: "no-such-run",
        }),
      ReportInputError,
    );
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["results"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a suite mixing a grid and a search: the literature table, no rung gaps, links", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const suitePath = join(dir, "mixed.json");
    await Deno.writeTextFile(suitePath, JSON.stringify(MIXED_SUITE));
    const grid = await expandGrid(validateSuite(MIXED_SUITE, suitePath));
    await writeRecords(join(dir, "results"), syntheticGridRecords(grid));
    const r = await buildReport({
      resultsDir: join(dir, "results"),
      benchDir: join(dir, "bench"),
      outDir: join(dir, "site"),
      referencesPath: suitePath,
      grid,
      suitePath,
      links: [{ label: "Tour", href: "../index.html" }],
      svg: false,
    });
    assertEquals(r.missing.filter((m) => /no runs|seeds/.test(m)), [], r.missing.join("\n"));
    const html = await Deno.readTextFile(r.indexPath);
    assertMatch(html, /<h3 id="literature">Against the literature<\/h3>/);
    assertMatch(html, /<table class="literature">/);
    assertMatch(html, /<td>not run<\/td>/);
    assertMatch(html, /class="agree-(yes|no)"/);
    assertMatch(html, /<nav><a href="..\/index.html">Tour →<\/a>/);
    assertMatch(html, /\(T = 25–200 searched\)/);
    const md = await Deno.readTextFile(r.findingsPath);
    assertMatch(md, /## Against the literature\n\nPublished results beside ours/);
    assertMatch(md, /\| copy \| 1000 \| gru \| test loss \| 0\.0197 \| A 2018 \| not run \|/);
    assert(md.includes("See also: [Tour](../FINDINGS.md)."));
    assert(md.includes(`deno task train --suite ${suitePath} --out reports/mixed`));
    assert(md.includes(`--references ${suitePath} --link Tour=../index.html\n`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
