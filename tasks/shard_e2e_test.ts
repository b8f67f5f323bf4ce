/**
 * End to end: a two-shard run of the quick suite, merged, equals the unsharded run —
 * the same configs, with identical status and metrics per config hash. Runs `tasks/train.ts` in
 * subprocesses with the train task's permissions (writes limited to a temporary folder).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mergeResults } from "../src/results/merge.ts";
import { buildReport } from "../src/report/mod.ts";
import { readResultsDir } from "../src/results/store.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TRAIN = join(ROOT, "tasks", "train.ts");

async function train(tmp: string, out: string, extra: string[]): Promise<void> {
  const args = [
    "run",
    "--allow-read",
    `--allow-write=${tmp}`,
    "--allow-env",
    "--allow-ffi",
    "--allow-sys",
    TRAIN,
    "--suite",
    "quick",
    "--cells",
    "rnn_tanh,lstm",
    "--lengths",
    "10",
    "--steps",
    "4",
    "--test-size",
    "32",
    "--eval-every",
    "2",
    "--out",
    join(tmp, out),
    ...extra,
  ];
  // Each shard is named by its flag; an empty shard environment keeps this machine's out of it.
  const env = { NO_COLOR: "1", RNN_GRADBENCH_SHARD: "", JOB_COMPLETION_INDEX: "" };
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    env,
  }).output();
  const stderr = new TextDecoder().decode(r.stderr);
  assertEquals(r.code, 0, `train ${extra.join(" ")} failed:\n${stderr}`);
}

Deno.test({
  name: "a two-shard quick run, merged and reported, equals the unsharded run",
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "rnn-gradbench-shard-e2e-" });
    try {
      await Promise.all([
        train(tmp, "shard1", ["--shard", "1/2"]),
        train(tmp, "shard2", ["--shard", "2/2"]),
      ]);
      await train(tmp, "all", []);

      const s1 = (await readResultsDir(join(tmp, "shard1"))).runs[0].records;
      const s2 = (await readResultsDir(join(tmp, "shard2"))).runs[0].records;
      assert(s1.length > 0 && s2.length > 0, "both shards ran something");
      const h1 = new Set(s1.map((r) => r.config_hash));
      assert(s2.every((r) => !h1.has(r.config_hash)), "shards do not overlap");

      const merged = await mergeResults(
        [join(tmp, "shard1"), join(tmp, "shard2")],
        join(tmp, "merged"),
      );
      assertEquals(merged.conflicts, []);
      assertEquals(merged.duplicates, 0);
      assertEquals(merged.problems, []);

      const all = await readResultsDir(join(tmp, "all"));
      assertEquals(all.runs.length, 1);
      const whole = all.runs[0];
      assertEquals(
        merged.file.split("/").pop(),
        whole.file.split("/").pop(),
        "same suite run file",
      );
      assertEquals([merged.suite, merged.grid_hash], [whole.suite, whole.grid_hash]);
      const byHash = new Map(whole.records.map((r) => [r.config_hash, r]));
      assertEquals(merged.records.map((r) => r.config_hash).sort(), [...byHash.keys()].sort());
      for (const r of merged.records) {
        const u = byHash.get(r.config_hash)!;
        const what = `${r.config.task} ${r.config.cell} T=${r.config.T}`;
        assertEquals(r.status, u.status, what);
        assertEquals(r.metrics, u.metrics, `${what}: metrics`);
        assertEquals(r.curve, u.curve, `${what}: curve`);
        assertEquals(r.probes, u.probes, `${what}: probes`);
      }
      // Reported: every finding computed from the results reads the same (speed, computed from
      // timings, naturally differs between two runs and is left out).
      const report = (results: string, out: string) =>
        buildReport({
          resultsDir: results,
          benchDir: join(tmp, "none"),
          outDir: join(tmp, out),
          svg: false,
        });
      const a = await report(join(tmp, "merged"), "site-merged");
      const b = await report(join(tmp, "all"), "site-all");
      const findings = (r: typeof a) =>
        r.charts.map((c, i) => [c, r.captions[i]]).filter(([c]) => c !== "speed");
      assertEquals(findings(a), findings(b));
      assertEquals(a.missing, b.missing);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
