import { initBackend } from "../backend.ts";
import { expandGrid, validateSuite } from "../suite/suite.ts";
import {
  assert,
  assertEquals,
  assertGreater,
  assertMatch,
  assertNotEquals,
} from "../testing/assert.ts";
import {
  checkpointPath,
  codeVersion,
  codeVersionFiles,
  engineKey,
  readCheckpoint,
  readCheckpointSummary,
  removeCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";
import { type RunSnapshot, trainRun } from "./train_run.ts";
import { codeReach } from "../testing/module_graph.ts";

async function snapshotOfATinyRun(): Promise<RunSnapshot> {
  await initBackend(Deno.env.get("CI") === "true" ? "tensorflow" : "auto", { warn: () => {} });
  const grid = await expandGrid(validateSuite({
    name: "t",
    cells: ["lstm"],
    lengths: [6],
    steps: 8,
    hidden: 4,
    batch: 4,
    testSize: 4,
    evalEvery: 2,
  }, "t.json"));
  let snap: RunSnapshot | null = null;
  await trainRun(grid.runs[0].config, {}, {
    every: 5,
    save: (s) => Promise.resolve(void (snap = structuredClone(s))),
  });
  return snap!;
}

const ID = { config_hash: "a".repeat(64), code_version: "0123456789abcdef", engine: "tf/graph" };

Deno.test("a checkpoint round-trips its state bit for bit", async () => {
  const snap = await snapshotOfATinyRun();
  const path = checkpointPath(await Deno.makeTempDir(), "t-123", ID.config_hash);
  assertMatch(path, /checkpoints\/t-123\.a{16}\.ckpt$/);
  await writeCheckpoint(path, { ...ID, steps: 8 }, snap);
  const read = await readCheckpoint(path, ID);
  assert(read?.ok);
  assertEquals(read.meta.step, 5);
  const summary = await readCheckpointSummary(path);
  assertEquals(summary?.meta.step, 5);
  assertEquals(summary?.elapsedS, snap.run.elapsedS, "the seconds its steps took, for dry runs");
  assertEquals(read.snapshot.trainer, snap.trainer); // Float32Arrays compared element by element
  assertEquals(read.snapshot.stream, snap.stream);
  assertEquals(read.snapshot.run.curve, snap.run.curve);
  assertEquals(read.snapshot.run.probes, snap.run.probes);
  await removeCheckpoint(path);
  assertEquals(await readCheckpoint(path, ID), null, "a missing checkpoint is none, not an error");
});

Deno.test("a torn, corrupted, foreign or stale checkpoint is refused, naming why", async () => {
  const snap = await snapshotOfATinyRun();
  const dir = await Deno.makeTempDir();
  const path = `${dir}/c.ckpt`;
  await writeCheckpoint(path, { ...ID, steps: 8 }, snap);
  const bytes = await Deno.readFile(path);
  const refused = async (b: Uint8Array, want = ID) => {
    await Deno.writeFile(path, b);
    const r = await readCheckpoint(path, want);
    assert(r && !r.ok, "refused");
    return r.reason;
  };
  assertMatch(await refused(bytes.slice(0, bytes.length - 7)), /checksum does not match/);
  assertMatch(await refused(bytes.slice(0, 20)), /not a checkpoint file/);
  const flipped = bytes.slice();
  flipped[flipped.length - 3] ^= 1; // one bit of one weight
  assertMatch(await refused(flipped), /checksum does not match/);
  assertMatch(await refused(new TextEncoder().encode("{}")), /not a checkpoint file/);
  assertMatch(
    await refused(bytes, { ...ID, config_hash: "b".repeat(64) }),
    /written for another config \(a{12}\)/,
  );
  assertMatch(
    await refused(bytes, { ...ID, code_version: "fedcba9876543210" }),
    /written by other code \(version 0123456789abcdef, this is fedcba9876543210\)/,
  );
  assertMatch(await refused(bytes, { ...ID, engine: "wasm/eager" }), /another engine/);
});

Deno.test("the code version is a stable hash of the computing sources; the engine key names threads", async () => {
  const v = await codeVersion();
  assertMatch(v, /^[0-9a-f]{16}$/);
  assertEquals(await codeVersion(), v);
  const b = { name: "tensorflow", tensorflowVersion: "2.21.0", threads: 1, interOpThreads: 2 };
  assertEquals(engineKey(b, "graph"), "tensorflow/graph/tf 2.21.0/threads 1x2");
  assertNotEquals(engineKey({ ...b, interOpThreads: 4 }, "graph"), engineKey(b, "graph"));
});

Deno.test("the code version covers every module the training loop imports", async () => {
  // What the loop runs: the local modules train_run.ts reaches through value imports.
  const local = [...await codeReach(new URL("./train_run.ts", import.meta.url).href)]
    .map((f) => f.replace(/^src\//, ""));
  assertGreater(local.length, 10);
  const hashed = new Set(codeVersionFiles());
  // Imported by the loop but computing nothing: an atomic file write, Deno's Node shims, the
  // start-up log filter, the environment a record carries, where setup put the library.
  const inert = new Set([
    "fs/atomic.ts",
    "node_util_shim.ts",
    "quiet_stderr.ts",
    "results/env.ts",
    "setup/provision.ts",
  ]);
  const missing = local.filter((f) => !hashed.has(f) && !inert.has(f));
  assertEquals(missing, [], "modules the loop runs that a checkpoint's code version ignores");
});
