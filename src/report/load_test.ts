import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { syntheticBench, writeSyntheticBench, writeSyntheticRun } from "./_synthetic.ts";
import { loadReportData, readNewestBench, readReferences, ReportInputError } from "./load.ts";

Deno.test("readReferences: a missing file or field means no reference points", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertEquals(await readReferences(join(dir, "nope.json")), { references: [], problems: [] });
    await Deno.writeTextFile(join(dir, "paper.json"), JSON.stringify({ name: "paper" }));
    assertEquals(await readReferences(join(dir, "paper.json")), { references: [], problems: [] });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readReferences reads valid points and reports invalid ones", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "paper.json");
  try {
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        references: [
          {
            task: "adding",
            T: 600,
            cell: "lstm",
            metric: "test_mse",
            value: 0.164,
            source: "Bai, Kolter & Koltun 2018, Table 1",
          },
          { task: "adding", T: "600", cell: "lstm", metric: "test_mse", value: 1 },
          { task: "copy", T: 1000, cell: "gru", metric: "perplexity", value: 1 },
        ],
      }),
    );
    const { references, problems } = await readReferences(file);
    assertEquals(references.length, 1);
    assertEquals(references[0].source, "Bai, Kolter & Koltun 2018, Table 1");
    assertEquals(problems.length, 2);
    assertMatch(problems[0], /references\[1\]/);
    await Deno.writeTextFile(file, "{ not json");
    assertMatch((await readReferences(file)).problems[0], /not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readNewestBench picks the newest valid file and tolerates a missing folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertEquals((await readNewestBench(join(dir, "absent"))).bench, null);
    await writeSyntheticBench(dir, { name: "old", date: "2025-01-01T00:00:00Z" });
    await writeSyntheticBench(dir, { name: "new", date: "2025-03-01T00:00:00Z" });
    await Deno.writeTextFile(join(dir, "broken.json"), "{");
    await Deno.writeTextFile(
      join(dir, "future.json"),
      JSON.stringify({ ...syntheticBench(), schema: 99 }),
    );
    const { bench, problems } = await readNewestBench(dir);
    assertMatch(bench!.file, /bench-new\.json$/);
    assertEquals(problems.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadReportData shows the newest run by default, or one by id", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const results = join(dir, "results");
    await writeSyntheticRun(results, { suite: "quick", date: "2025-01-01T00:00:00Z" });
    await writeSyntheticRun(results, {
      suite: "standard",
      cells: ["lstm"],
      date: "2025-02-01T00:00:00Z",
    });
    const opts = {
      resultsDir: results,
      benchDir: join(dir, "bench"),
      referencesPath: join(dir, "none.json"),
    };
    const newest = await loadReportData(opts);
    assertEquals(newest.runs.length, 2);
    assertEquals(newest.run!.suite, "standard");
    assertEquals(newest.bench, null);
    const older = await loadReportData({ ...opts, run: newest.runs[0].id });
    assertEquals(older.run!.suite, "quick");
    const err = await assertRejects(
      () => loadReportData({ ...opts, run: "nope" }),
      ReportInputError,
    );
    assertMatch(err.message, /no suite run 'nope'.*have: quick-/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadReportData reads an empty or missing results folder as no results", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = await loadReportData({
      resultsDir: join(dir, "nope"),
      benchDir: join(dir, "nope"),
      referencesPath: join(dir, "nope.json"),
    });
    assertEquals(data.run, null);
    assertEquals(data.runs, []);
    assert(data.notes.length === 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("torn lines in a results file are reported in the notes, not fatal", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = await writeSyntheticRun(dir, { cells: ["lstm"], lengths: [50] });
    await Deno.writeTextFile(file, '{"schema":1,"kind":"res', { append: true });
    const data = await loadReportData({
      resultsDir: dir,
      benchDir: dir,
      referencesPath: join(dir, "x"),
    });
    assert(data.run!.records.length > 0);
    assertMatch(data.notes.join("\n"), /torn last line/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
