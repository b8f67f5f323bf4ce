import { join } from "node:path";
import { assertEquals } from "../testing/assert.ts";
import { suiteRunFile } from "../results/store.ts";
import { jsonl, syntheticRecord } from "./_synthetic.ts";
import { loadHistory, parseRunFolder, runFolderName } from "./load.ts";
import { trends } from "./trends.ts";

Deno.test("run folder names encode the date and commit, and parse back", () => {
  const name = runFolderName(new Date("2026-11-27T03:00:41Z"), "abc1234def5678");
  assertEquals(name, "2026-11-27T0300Z-abc1234");
  assertEquals(parseRunFolder(name), { date: "2026-11-27T03:00:00.000Z", commit: "abc1234" });
  assertEquals(parseRunFolder("2026-11-27T030015Z-ABC1234")?.date, "2026-11-27T03:00:15.000Z");
  assertEquals(parseRunFolder("shard-1"), null);
  assertEquals(parseRunFolder("2026-13-45T0300Z-abc1234"), null);
});

Deno.test("loadHistory reads run folders and plain files, oldest first; a missing folder is empty", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rnn-gradbench-history-load-" });
  try {
    // A plain file (date and commit from its records) and two run folders.
    const plain = [syntheticRecord({ date: "2026-01-20T10:00:00.000Z", commit: "feedbeef" })];
    await Deno.writeTextFile(suiteRunFile(dir, "quick", plain[0].grid_hash), jsonl(plain));
    for (
      const [folder, date] of [["2026-02-01T0300Z-bbbbbbb", "2026-02-01T03:10:00.000Z"], [
        "2026-01-01T0300Z-aaaaaaa",
        "2026-01-01T03:10:00.000Z",
      ]]
    ) {
      await Deno.mkdir(join(dir, folder));
      const recs = [
        syntheticRecord({ date, stepMs: 4 }),
        syntheticRecord({ date, seed: 2, stepMs: 6 }),
        syntheticRecord({ date, task: "copy", cell: "gru", T: 5 }),
      ];
      await Deno.writeTextFile(
        suiteRunFile(join(dir, folder), "quick", recs[0].grid_hash),
        jsonl(recs),
      );
    }
    await Deno.writeTextFile(join(dir, "2026-01-01T0300Z-aaaaaaa", "torn.jsonl"), '{"sch');
    const { runs, problems } = await loadHistory(dir);
    assertEquals(runs.map((r) => [r.date, r.commit]), [
      ["2026-01-01T03:00:00.000Z", "aaaaaaa"],
      ["2026-01-20T10:00:00.000Z", "feedbeef"],
      ["2026-02-01T03:00:00.000Z", "bbbbbbb"],
    ]);
    assertEquals(runs[0].id.startsWith("2026-01-01T0300Z-aaaaaaa/quick-"), true);
    assertEquals(problems.length, 1);
    const ts = trends(runs);
    const adding = ts.find((s) => s.task === "adding" && s.cell === "rnn_tanh")!;
    assertEquals(adding.points.map((p) => p.median_step_ms), [5, 5, 5]);
    assertEquals(adding.points.map((p) => p.seeds), [2, 1, 2]);
    const copy = ts.find((s) => s.task === "copy")!;
    assertEquals(copy.points.length, 2);
    assertEquals(copy.points[0].mse, null);
    assertEquals(copy.points[0].accuracy, 0.5);
    assertEquals((await loadHistory(join(dir, "nope"))).runs, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
