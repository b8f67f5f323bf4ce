/**
 * End-to-end tests of `deno task merge`: the CLI runs in a subprocess with the permissions of
 * the deno.json task (write limited to the temporary folder's `reports`).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonl, syntheticRecord } from "../src/history/_synthetic.ts";
import { suiteRunFile } from "../src/results/store.ts";
import { runScript, type ScriptResult } from "../src/testing/run_script.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../src/testing/assert.ts";

const SCRIPT = fileURLToPath(new URL("./merge.ts", import.meta.url));

type Run = ScriptResult;

const runMerge = (cwd: string, args: string[]): Promise<Run> =>
  runScript(SCRIPT, ["--allow-read", "--allow-write=reports"], args, { cwd });

async function withCwd(fn: (cwd: string) => Promise<void>): Promise<void> {
  const cwd = await Deno.makeTempDir({ prefix: "rnn-gradbench-merge-cli-" });
  try {
    await fn(cwd);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

const records = ["rnn_tanh", "lstm", "gru", "irnn"].map((cell) => syntheticRecord({ cell }));
const FILE = (dir: string) => suiteRunFile(dir, "quick", records[0].grid_hash);

async function shards(cwd: string): Promise<void> {
  await Deno.mkdir(join(cwd, "shards", "shard-1"), { recursive: true });
  await Deno.mkdir(join(cwd, "shards", "shard-2"), { recursive: true });
  await Deno.writeTextFile(FILE(join(cwd, "shards", "shard-1")), jsonl(records.slice(0, 2)));
  await Deno.writeTextFile(FILE(join(cwd, "shards", "shard-2")), jsonl(records.slice(1)));
}

Deno.test("merge CLI combines two shard folders into reports/results and is idempotent", async () => {
  await withCwd(async (cwd) => {
    await shards(cwd);
    const r = await runMerge(cwd, ["shards/shard-1", "shards/shard-2"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stdout, /^4 runs of quick\/[0-9a-f]{12} from 2 file\(s\): 1 identical duplicate/);
    assertMatch(r.stdout, /→ reports\/results\/quick-[0-9a-f]{12}\.jsonl \(wrote\)/);
    const out = FILE(join(cwd, "reports", "results"));
    const bytes = await Deno.readTextFile(out);
    assertEquals(bytes.trim().split("\n").length, 4);
    const again = await runMerge(cwd, ["shards"]);
    assertEquals(again.code, 0, again.stderr);
    assertMatch(again.stdout, /\(unchanged\)/);
    assertEquals(await Deno.readTextFile(out), bytes);
  });
});

Deno.test("merge CLI: conflicts exit 1 and write nothing; --allow-conflicts writes", async () => {
  await withCwd(async (cwd) => {
    await shards(cwd);
    const other = { ...records[1], env: { ...records[1].env, date: "2026-02-01T00:00:00.000Z" } };
    other.metrics = { ...other.metrics, test_accuracy: 0.9 };
    await Deno.mkdir(join(cwd, "shards", "rerun"));
    await Deno.writeTextFile(join(cwd, "shards", "rerun", "quick-rerun.jsonl"), jsonl([other]));
    const r = await runMerge(cwd, ["--out", "reports/merged", "shards"]);
    assertEquals(r.code, 1);
    assertMatch(r.stderr, /conflict for [0-9a-f]{12} \(adding lstm T=20 seed=1\): metrics differ/);
    assertMatch(r.stderr, /nothing written/);
    await assertRejects(() => Deno.stat(join(cwd, "reports", "merged")), Deno.errors.NotFound);
    const ok = await runMerge(cwd, ["--out", "reports/merged", "--allow-conflicts", "shards"]);
    assertEquals(ok.code, 0, ok.stderr);
    assert((await Deno.stat(FILE(join(cwd, "reports", "merged")))).isFile);
  });
});

Deno.test("merge CLI: bad input is one line and exit 2, writing nothing", async () => {
  await withCwd(async (cwd) => {
    await shards(cwd);
    await Deno.mkdir(join(cwd, "other"));
    await Deno.writeTextFile(
      join(cwd, "other", "standard-x.jsonl"),
      jsonl([syntheticRecord({ suite: "standard" })]),
    );
    for (
      const [args, msg] of [
        [[], /give at least one results folder/],
        [["missing"], /no such file or folder: missing/],
        [["--bogus", "shards"], /bogus/],
        [["shards", "other"], /refusing to merge different suite runs: quick\/.* and standard\//],
      ] as const
    ) {
      const r = await runMerge(cwd, [...args]);
      assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
      assertMatch(r.stderr, /^merge: /);
      assertMatch(r.stderr, msg);
    }
    await assertRejects(() => Deno.stat(join(cwd, "reports")), Deno.errors.NotFound);
  });
});

Deno.test("merge CLI prints help", async () => {
  await withCwd(async (cwd) => {
    const r = await runMerge(cwd, ["--help"]);
    assertEquals(r.code, 0);
    assertMatch(r.stdout, /^Usage: deno task merge/);
    assertMatch(r.stdout, /--allow-conflicts/);
  });
});

Deno.test("merge CLI refuses shards of different TensorFlow versions in one line (exit 2), unless --allow-mixed-backends", async () => {
  await withCwd(async (cwd) => {
    const tf = (r: (typeof records)[number], v: string) => ({
      ...r,
      env: { ...r.env, backend: "tensorflow", tensorflow: v },
    });
    await Deno.mkdir(join(cwd, "shards", "shard-1"), { recursive: true });
    await Deno.mkdir(join(cwd, "shards", "shard-2"), { recursive: true });
    await Deno.writeTextFile(
      FILE(join(cwd, "shards", "shard-1")),
      jsonl(records.slice(0, 2).map((r) => tf(r, "2.21.0"))),
    );
    await Deno.writeTextFile(
      FILE(join(cwd, "shards", "shard-2")),
      jsonl(records.slice(2).map((r) => tf(r, "2.9.1"))),
    );
    const r = await runMerge(cwd, ["shards"]);
    assertEquals(r.code, 2);
    const lines = r.stderr.trim().split("\n");
    assertEquals(lines.length, 1, r.stderr);
    assertMatch(lines[0], /TensorFlow 2\.21\.0\) in shards\/shard-1\/quick-\w+\.jsonl/);
    assertMatch(lines[0], /TensorFlow 2\.9\.1\) in shards\/shard-2\/quick-\w+\.jsonl/);
    const ok = await runMerge(cwd, ["--allow-mixed-backends", "shards"]);
    assertEquals(ok.code, 0, ok.stderr);
    assertMatch(ok.stderr, /warning: merging records of 2 backends/);
    assertMatch(ok.stdout, /^4 runs of quick/);
  });
});
