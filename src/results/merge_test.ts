import { join } from "node:path";
import { jsonl, syntheticRecord } from "../history/_synthetic.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { describeConflict, MergeError, mergeResults, resultIdentity } from "./merge.ts";
import type { ResultRecord } from "./schema.ts";
import { readSuiteRun, suiteRunFile } from "./store.ts";

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rnn-gradbench-merge-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function writeRun(dir: string, records: ResultRecord[], name?: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const file = name ? join(dir, name) : suiteRunFile(dir, records[0].suite, records[0].grid_hash);
  await Deno.writeTextFile(file, jsonl(records));
  return file;
}

const CELLS = ["rnn_tanh", "lstm", "gru"];
const grid = (date = "2026-01-01T03:00:00.000Z") =>
  CELLS.flatMap((cell) => [20, 50].map((T) => syntheticRecord({ cell, T, date })));

Deno.test("two disjoint shards merge into one suite run holding the whole grid, sorted by config hash", async () => {
  await withTmp(async (tmp) => {
    const all = grid();
    await writeRun(join(tmp, "s1"), all.filter((_, i) => i % 2 === 0));
    await writeRun(join(tmp, "s2"), all.filter((_, i) => i % 2 === 1));
    const m = await mergeResults([join(tmp, "s1"), join(tmp, "s2")], join(tmp, "out"));
    assertEquals(m.records.length, all.length);
    assertEquals(m.duplicates, 0);
    assertEquals(m.conflicts, []);
    assertEquals(m.problems, []);
    assert(m.written && m.changed);
    assertEquals(m.file, suiteRunFile(join(tmp, "out"), "quick", all[0].grid_hash));
    const hashes = m.records.map((r) => r.config_hash);
    assertEquals(hashes, [...hashes].sort());
    const back = await readSuiteRun(m.file);
    assertEquals(back.problems, []);
    assertEquals(
      back.run!.records.map((r) => r.config_hash).sort(),
      all.map((r) => r.config_hash).sort(),
    );
  });
});

Deno.test("identical duplicates (same results, other date and machine) are dropped, keeping the earliest", async () => {
  await withTmp(async (tmp) => {
    const early = grid("2026-01-01T03:00:00.000Z");
    const late = grid("2026-01-02T03:00:00.000Z").map((r) => ({
      ...r,
      env: { ...r.env, cpu: "Another CPU" },
      timing: { ...r.timing, median_step_ms: 9 },
    }));
    await writeRun(join(tmp, "a"), late.slice(0, 4));
    await writeRun(join(tmp, "b"), early);
    const m = await mergeResults([join(tmp, "a"), join(tmp, "b")], join(tmp, "out"));
    assertEquals(m.records.length, early.length);
    assertEquals(m.duplicates, 4);
    assertEquals(m.conflicts, []);
    assert(m.records.every((r) => r.env.date === "2026-01-01T03:00:00.000Z"));
    assertEquals(resultIdentity(early[0]), resultIdentity(late[0]));
  });
});

Deno.test("conflicting results for one config are reported and, without allowConflicts, nothing is written", async () => {
  await withTmp(async (tmp) => {
    const a = grid("2026-01-01T03:00:00.000Z");
    const b = grid("2026-01-02T03:00:00.000Z");
    b[2] = { ...b[2], metrics: { ...b[2].metrics, test_mse: 0.5 } };
    await writeRun(join(tmp, "a"), a);
    await writeRun(join(tmp, "b"), b);
    const out = join(tmp, "out");
    const m = await mergeResults([join(tmp, "b"), join(tmp, "a")], out);
    assertEquals(m.conflicts.length, 1);
    const c = m.conflicts[0];
    assertEquals(c.config_hash, a[2].config_hash);
    assertEquals(c.fields, ["metrics"]);
    assertEquals(c.kept.date, "2026-01-01T03:00:00.000Z");
    assertEquals(c.others.length, 1);
    assertEquals(m.duplicates, a.length - 1);
    assertEquals(m.written, false);
    await assertRejects(() => Deno.stat(out), Deno.errors.NotFound);
    assertMatch(
      describeConflict(c, tmp),
      /conflict for [0-9a-f]{12} \(adding .* T=\d+ seed=1\): metrics differ; kept a\//,
    );

    const forced = await mergeResults([join(tmp, "b"), join(tmp, "a")], out, {
      allowConflicts: true,
    });
    assert(forced.written);
    const kept = forced.records.find((r) => r.config_hash === a[2].config_hash)!;
    assertEquals(kept.metrics.test_mse, a[2].metrics.test_mse);
  });
});

Deno.test("merging is idempotent: again, or the output with its inputs, gives the same bytes", async () => {
  await withTmp(async (tmp) => {
    const all = grid();
    await writeRun(join(tmp, "s1"), all.slice(0, 3));
    await writeRun(join(tmp, "s2"), all.slice(2));
    const out = join(tmp, "out");
    const m1 = await mergeResults([join(tmp, "s1"), join(tmp, "s2")], out);
    const bytes = await Deno.readTextFile(m1.file);
    const m2 = await mergeResults([join(tmp, "s2"), join(tmp, "s1")], out);
    assertEquals(m2.changed, false);
    assertEquals(await Deno.readTextFile(m2.file), bytes);
    const m3 = await mergeResults([out, join(tmp, "s1"), join(tmp, "s2")], out);
    assertEquals(m3.changed, false);
    assertEquals(m3.conflicts, []);
    assertEquals(await Deno.readTextFile(m3.file), bytes);
    // Into a fresh folder, in another order: the same bytes.
    const m4 = await mergeResults([join(tmp, "s2"), join(tmp, "s1")], join(tmp, "out2"));
    assertEquals(await Deno.readTextFile(m4.file), bytes);
  });
});

Deno.test("an existing output file is merged in, so merging more shards into it loses nothing", async () => {
  await withTmp(async (tmp) => {
    const all = grid();
    const out = join(tmp, "out");
    await mergeResults([await writeRun(join(tmp, "s1"), all.slice(0, 2))], out);
    const m = await mergeResults([await writeRun(join(tmp, "s2"), all.slice(2))], out);
    assertEquals(m.records.length, all.length);
  });
});

Deno.test("different suites or grids are refused with a message naming both", async () => {
  await withTmp(async (tmp) => {
    await writeRun(join(tmp, "a"), grid());
    await writeRun(join(tmp, "b"), [syntheticRecord({ suite: "standard" })]);
    const e = await assertRejects(
      () => mergeResults([join(tmp, "a"), join(tmp, "b")], join(tmp, "out")),
      MergeError,
      "refusing to merge different suite runs",
    );
    assertMatch(
      e.message,
      /quick\/[0-9a-f]{12} \(in .*a\/.*\) and standard\/[0-9a-f]{12} \(in .*b\//,
    );
    await writeRun(join(tmp, "c"), [syntheticRecord({ gridHash: "f".repeat(64) })]);
    await assertRejects(
      () => mergeResults([join(tmp, "a"), join(tmp, "c")], join(tmp, "out")),
      MergeError,
      "quick/ffffffffffff",
    );
  });
});

Deno.test("an unknown schema version is refused with both versions named", async () => {
  await withTmp(async (tmp) => {
    await writeRun(join(tmp, "a"), grid());
    const future = { ...syntheticRecord({ cell: "gru" }), schema: 2 } as unknown as ResultRecord;
    await writeRun(join(tmp, "b"), [future], "quick-future.jsonl");
    const e = await assertRejects(
      () => mergeResults([join(tmp, "a"), join(tmp, "b")], join(tmp, "out")),
      MergeError,
      "schema version 2",
    );
    assertMatch(e.message, /writes version 1/);
  });
});

Deno.test("torn and invalid lines are reported and skipped; no records at all is an error", async () => {
  await withTmp(async (tmp) => {
    const all = grid();
    await Deno.mkdir(join(tmp, "a"));
    await Deno.writeTextFile(
      join(tmp, "a", "quick-x.jsonl"),
      jsonl(all.slice(0, 2)) + '{"schema":1,"kind":"result"}\n' +
        JSON.stringify(all[2]).slice(0, 40),
    );
    const m = await mergeResults([join(tmp, "a")], join(tmp, "out"));
    assertEquals(m.records.length, 2);
    assertEquals(m.problems.length, 2);
    await Deno.mkdir(join(tmp, "empty"));
    await assertRejects(
      () => mergeResults([join(tmp, "empty")], join(tmp, "out")),
      MergeError,
      "no .jsonl",
    );
    await assertRejects(
      () => mergeResults([join(tmp, "nope")], join(tmp, "out")),
      MergeError,
      "no such file",
    );
    await Deno.writeTextFile(join(tmp, "empty", "x.jsonl"), "garbage\n");
    await assertRejects(
      () => mergeResults([join(tmp, "empty")], join(tmp, "out")),
      MergeError,
      "no valid result records",
    );
  });
});

Deno.test("folders are searched recursively (downloaded artifacts sit one folder deep)", async () => {
  await withTmp(async (tmp) => {
    const all = grid();
    await writeRun(join(tmp, "shards", "shard-1"), all.slice(0, 3));
    await writeRun(join(tmp, "shards", "shard-2"), all.slice(3));
    const m = await mergeResults([join(tmp, "shards")], join(tmp, "out"));
    assertEquals(m.inputs.length, 2);
    assertEquals(m.records.length, all.length);
  });
});

/** The grid's records as computed on another stack. */
const on = (records: ResultRecord[], backend: string, tensorflow: string | null) =>
  records.map((r) => ({ ...r, env: { ...r.env, backend, tensorflow } }));

Deno.test("records of different TensorFlow versions are refused in one line naming the shards of each side", async () => {
  await withTmp(async (tmp) => {
    const all = grid();
    await writeRun(
      join(tmp, "shard-1"),
      on(all.filter((_, i) => i % 2 === 0), "tensorflow", "2.21.0"),
    );
    await writeRun(
      join(tmp, "shard-2"),
      on(all.filter((_, i) => i % 2 === 1), "tensorflow", "2.9.1"),
    );
    const out = join(tmp, "out");
    const e = await assertRejects(
      () => mergeResults([join(tmp, "shard-1"), join(tmp, "shard-2")], out),
      MergeError,
    );
    const msg = (e as Error).message;
    assertEquals(msg.split("\n").length, 1);
    assertMatch(msg, /different backends/);
    assertMatch(msg, /tensorflow \(TensorFlow 2\.21\.0\) in \S*shard-1\/quick-\w+\.jsonl/);
    assertMatch(msg, /tensorflow \(TensorFlow 2\.9\.1\) in \S*shard-2\/quick-\w+\.jsonl/);
    assertMatch(msg, /--allow-mixed-backends/);
    let written = true;
    await Deno.stat(out).catch(() => (written = false));
    assertEquals(written, false, "nothing written");

    const m = await mergeResults([join(tmp, "shard-1"), join(tmp, "shard-2")], out, {
      allowMixedBackends: true,
    });
    assertEquals(m.records.length, all.length);
    assertEquals(m.stacks.sort(), [
      "tensorflow (TensorFlow 2.21.0)",
      "tensorflow (TensorFlow 2.9.1)",
    ]);
  });
});

Deno.test("a shard that fell back to another backend is refused, also against an existing output", async () => {
  await withTmp(async (tmp) => {
    const all = grid();
    const out = join(tmp, "out");
    await writeRun(join(tmp, "tf"), on(all.slice(0, 3), "tensorflow", "2.21.0"));
    const first = await mergeResults([join(tmp, "tf")], out);
    assertEquals(first.stacks, ["tensorflow (TensorFlow 2.21.0)"]);
    // A later shard computed on wasm: refused against the records already in the output.
    await writeRun(join(tmp, "wasm"), on(all.slice(3), "wasm", null));
    const e = await assertRejects(() => mergeResults([join(tmp, "wasm")], out), MergeError);
    assertMatch((e as Error).message, /wasm in \S*wasm\/quick-\w+\.jsonl/);
    assertMatch(
      (e as Error).message,
      /tensorflow \(TensorFlow 2\.21\.0\) in \S*out\/quick-\w+\.jsonl/,
    );
    assertEquals((await readSuiteRun(first.file)).run!.records.length, 3, "output unchanged");
  });
});

Deno.test("records of one TensorFlow at other inter-op thread counts are refused too", async () => {
  await withTmp(async (tmp) => {
    const all = on(grid(), "tensorflow", "2.21.0");
    const at = (rs: ResultRecord[], inter: number) =>
      rs.map((r) => ({ ...r, env: { ...r.env, threads: 1, interOpThreads: inter } }));
    await writeRun(join(tmp, "shard-1"), at(all.slice(0, 3), 2));
    await writeRun(join(tmp, "shard-2"), at(all.slice(3), 8));
    const e = await assertRejects(
      () => mergeResults([join(tmp, "shard-1"), join(tmp, "shard-2")], join(tmp, "out")),
      MergeError,
    );
    assertMatch((e as Error).message, /TensorFlow 2\.21\.0, threads 1×2\) in \S*shard-1/);
    assertMatch((e as Error).message, /TensorFlow 2\.21\.0, threads 1×8\) in \S*shard-2/);
    // The same counts merge.
    await writeRun(join(tmp, "shard-3"), at(all.slice(3), 2));
    const m = await mergeResults([join(tmp, "shard-1"), join(tmp, "shard-3")], join(tmp, "out"));
    assertEquals(m.records.length, all.length);
  });
});
