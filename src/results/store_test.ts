import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertThrows,
} from "../testing/assert.ts";
import { sampleRecord } from "./_sample.ts";
import { SchemaError, validateResult } from "./schema.ts";
import { appendResult, parseResults, readResultsDir, suiteRunFile } from "./store.ts";

Deno.test("records round-trip through an appended JSONL file", async () => {
  const dir = await Deno.makeTempDir();
  const file = suiteRunFile(dir, "quick", "ab".repeat(32));
  assertMatch(file, /quick-abababababab\.jsonl$/);
  await appendResult(file, sampleRecord());
  await appendResult(file, sampleRecord({ run_id: "r2", config_hash: "ef".repeat(32) }));
  const { runs, problems } = await readResultsDir(dir);
  assertEquals(problems, []);
  assertEquals(runs.length, 1);
  assertEquals(runs[0].records.map((r) => r.run_id), ["r1", "r2"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a torn last line, garbage and duplicate lines never reach the reader", () => {
  const good = JSON.stringify(sampleRecord());
  const text = `${good}\nnot json\n${good}\n${good.slice(0, 50)}`;
  const { records, problems } = parseResults(text, "f.jsonl");
  assertEquals(records.length, 1);
  assertEquals(problems.map((p) => p.line), [2, 3, 4]);
  assertMatch(problems[0].problem, /not valid JSON/);
  assertMatch(problems[1].problem, /duplicate/);
  assertMatch(problems[2].problem, /torn last line/);
});

Deno.test("a re-run of the same config supersedes the earlier record", () => {
  const a = sampleRecord({ run_id: "a" });
  const b = sampleRecord({ run_id: "b", metrics: { ...sampleRecord().metrics, test_loss: 0.05 } });
  const { records } = parseResults(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
  assertEquals(records.length, 1);
  assertEquals(records[0].run_id, "b");
});

Deno.test("unknown schema versions and bad fields are rejected with a clear message", () => {
  const e = assertThrows(() => validateResult({ ...sampleRecord(), schema: 99 }), SchemaError);
  assertMatch(e.message, /unknown result schema version 99/);
  assertThrows(
    () => validateResult({ ...sampleRecord(), status: "weird" }),
    SchemaError,
    "'status'",
  );
  const bad = sampleRecord();
  (bad.probes[0] as unknown as { norms: unknown }).norms = "x";
  assertThrows(() => validateResult(bad), SchemaError, "probes[0].norms");
  // resumed_from is optional (records without it stay valid) and, when there, whole steps
  validateResult({ ...sampleRecord(), resumed_from: [1000, 3000] });
  assertThrows(
    () => validateResult({ ...sampleRecord(), resumed_from: [-1] }),
    SchemaError,
    "'resumed_from'",
  );
});

Deno.test("appendResult refuses an invalid record before writing", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/x.jsonl`;
  await assertRejects(
    () => appendResult(file, { ...sampleRecord(), suite: "" }),
    SchemaError,
    "suite",
  );
  await assertRejects(() => Deno.stat(file), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a missing results folder reads as empty; runs sort oldest first", async () => {
  assertEquals((await readResultsDir("/nonexistent/results")).runs, []);
  const dir = await Deno.makeTempDir();
  const late = sampleRecord({ env: { ...sampleRecord().env, date: "2026-12-01T00:00:00Z" } });
  await appendResult(`${dir}/b-old.jsonl`, sampleRecord());
  await appendResult(`${dir}/a-new.jsonl`, late);
  const { runs } = await readResultsDir(dir);
  assertEquals(runs.map((r) => r.id), ["b-old", "a-new"]);
  assert(runs[1].finished > runs[0].finished);
  await Deno.remove(dir, { recursive: true });
});
