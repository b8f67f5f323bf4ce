import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStrictEquals,
} from "../testing/assert.ts";
import {
  buildDataset,
  DATASET_FILES,
  datasetDirName,
  DatasetError,
  inspectDataset,
  loadDataset,
  MANIFEST_FILE,
  verifyDataset,
  writeDataset,
} from "./dataset.ts";
import { testSet, trainSet } from "./generate.ts";
import type { TaskSpec } from "./task_spec.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/data/", import.meta.url));

/**
 * The committed fixtures (written by `deno task data … --out fixtures/data`) and their pinned
 * digests: a second golden test, through the whole file path.
 */
const FIXTURE_DIGESTS: Record<string, Record<string, string>> = {
  "adding-arjovsky-T20-seed7": {
    "train_x.npy": "cfb23215aac5c549707994f9221d9b8d6903adb4e6b34e5085789e72deedd246",
    "train_y.npy": "97f00b830ae2f15245a4cf25d9c4c9bd66b8a83980828a53f4c2753794f910ef",
    "test_x.npy": "640eba45f01482277125fb27af8a0a43c6c5ac331d82bedbec294c947994af4d",
    "test_y.npy": "bac2f2dbe43a4e505ed721b2dbe4c3db5a72015825d23a4efa89c851fe5f182f",
  },
  "copy-S10-T5-seed7": {
    "train_x.npy": "3370a1311e8820f24c56dd1f7eb0d83ffab4fa066440676e51d7c9c57a855c66",
    "train_y.npy": "cd3969819e54a7a695395d63cecb227e36ae7ee8ce6421c3c7d24a285a63962b",
    "test_x.npy": "8cf74e569ad8a57483793cdc5cf14efc2d220c80371f9f93223c60bccf95cf82",
    "test_y.npy": "f7be383788548f5a85ee111a9936d3b0d910bd54c20d5129dc9c04b006fdd930",
  },
};

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rnn-gradbench-data-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("the committed fixtures load, verify and match their pinned digests", async () => {
  for (const [name, digests] of Object.entries(FIXTURE_DIGESTS)) {
    const ds = await loadDataset(join(FIXTURES, name));
    for (const [file, digest] of Object.entries(digests)) {
      assertEquals(ds.manifest.files[file].sha256, digest, `${name}/${file}`);
    }
    assertEquals(datasetDirName(ds.spec, ds.manifest.seed), name);
  }
});

Deno.test("the fixtures are exactly what the generator makes today", async () => {
  for (const name of Object.keys(FIXTURE_DIGESTS)) {
    const dir = join(FIXTURES, name);
    const ds = await loadDataset(dir);
    const { manifest, files } = await buildDataset(ds.spec, ds.manifest.seed, ds.manifest.counts);
    assertEquals(manifest, ds.manifest);
    for (const f of DATASET_FILES) assertEquals(files[f], await Deno.readFile(join(dir, f)));
    const manifestText = await Deno.readTextFile(join(dir, MANIFEST_FILE));
    assertEquals(manifestText, JSON.stringify(manifest, null, 2) + "\n");
  }
});

Deno.test("a written dataset loads back as the train and test sets of its seed", async () => {
  await withTempDir(async (root) => {
    const spec: TaskSpec = { task: "adding", T: 12, variant: "tcn" };
    const dir = join(root, datasetDirName(spec, 3));
    const w = await writeDataset(dir, spec, 3, { train: 20, test: 6 });
    assertEquals(w.status, "written");
    assertEquals(await listDir(dir), [...DATASET_FILES, MANIFEST_FILE].sort());
    const ds = await loadDataset(dir);
    assertEquals(ds.train, trainSet(spec, 3, 20));
    assertEquals(ds.test, testSet(spec, 3, 6));
    assertEquals(ds.spec, spec);
    const m = ds.manifest;
    assertEquals([m.task, m.variant, m.T, m.seed, m.steps, m.inputSize], [
      "adding",
      "tcn",
      12,
      3,
      12,
      2,
    ]);
    assertEquals(m.files["train_x.npy"].shape, [20, 12, 2]);
    assertEquals(m.files["test_y.npy"].dtype, "float32");
    assertEquals(m.baselineLoss, { kind: "mse", value: 1 / 6 });
    assertEquals(m.counts, { train: 20, test: 6 });
  });
});

Deno.test("copy datasets keep int32 targets and one-hot inputs", async () => {
  await withTempDir(async (dir) => {
    const spec: TaskSpec = { task: "copy", T: 6, symbols: 2 };
    await writeDataset(dir, spec, 0, { train: 3, test: 2 });
    const ds = await loadDataset(dir);
    assert(ds.train.y instanceof Int32Array);
    assertEquals(ds.manifest.files["train_y.npy"].shape, [3, 10]);
    assertEquals(ds.manifest.files["train_x.npy"].shape, [3, 10, 10]);
    assertEquals(ds.train.x.reduce((a, v) => a + v, 0), 3 * 10);
    assertEquals(ds.manifest.baselineLoss.kind, "cross_entropy");
  });
});

Deno.test("writing the same dataset again is a no-op that leaves the files alone", async () => {
  await withTempDir(async (dir) => {
    const spec: TaskSpec = { task: "copy", T: 3 };
    await writeDataset(dir, spec, 1, { train: 2, test: 1 });
    const before = (await Deno.stat(join(dir, "train_x.npy"))).mtime;
    const again = await writeDataset(dir, spec, 1, { train: 2, test: 1 });
    assertEquals(again.status, "unchanged");
    assertEquals((await Deno.stat(join(dir, "train_x.npy"))).mtime, before);
  });
});

Deno.test("a corrupt file is refused by name on load and on rewrite", async () => {
  await withTempDir(async (dir) => {
    const spec: TaskSpec = { task: "adding", T: 8 };
    await writeDataset(dir, spec, 1, { train: 4, test: 2 });
    const path = join(dir, "test_x.npy");
    const bytes = await Deno.readFile(path);
    bytes[bytes.length - 3] ^= 0x40;
    await Deno.writeFile(path, bytes);
    await assertRejects(() => loadDataset(dir), DatasetError, `${path} is corrupt`);
    await assertRejects(() => verifyDataset(dir), DatasetError, path);
    await assertRejects(
      () => writeDataset(dir, spec, 1, { train: 4, test: 2 }),
      DatasetError,
      path,
    );
    assertEquals(await Deno.readFile(path), bytes, "the refused file is left as it was");
    // Explicitly forced, it is regenerated and verifies again.
    const w = await writeDataset(dir, spec, 1, { train: 4, test: 2 }, { force: true });
    assertEquals(w.status, "written");
    await verifyDataset(dir);
  });
});

Deno.test("a truncated or missing file is refused by name", async () => {
  await withTempDir(async (dir) => {
    await writeDataset(dir, { task: "adding", T: 8 }, 1, { train: 4, test: 2 });
    const path = join(dir, "train_y.npy");
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, 70));
    const e = await assertRejects(() => loadDataset(dir), DatasetError, path);
    assertMatch(e.message, /truncated: 70 bytes/);
    await Deno.remove(path);
    await assertRejects(() => loadDataset(dir), DatasetError, `${path} is missing`);
  });
});

Deno.test("a missing or foreign manifest is refused", async () => {
  await withTempDir(async (dir) => {
    await assertRejects(
      () => loadDataset(dir),
      DatasetError,
      `${join(dir, MANIFEST_FILE)} is missing`,
    );
    await Deno.writeTextFile(join(dir, MANIFEST_FILE), '{"format": "other"}');
    await assertRejects(() => loadDataset(dir), DatasetError, "not an rnn-gradbench");
    await Deno.writeTextFile(join(dir, MANIFEST_FILE), '{"format": ');
    await assertRejects(() => loadDataset(dir), DatasetError, "not valid JSON");
  });
});

Deno.test("files this tool did not write are never overwritten without force", async () => {
  await withTempDir(async (dir) => {
    const theirs = join(dir, "train_x.npy");
    await Deno.writeTextFile(theirs, "someone else's data");
    const spec: TaskSpec = { task: "copy", T: 2 };
    const state = await inspectDataset(dir, spec, 1, { train: 1, test: 1 });
    assertStrictEquals(state.state, "conflict");
    await assertRejects(
      () => writeDataset(dir, spec, 1, { train: 1, test: 1 }),
      DatasetError,
      theirs,
    );
    assertEquals(await Deno.readTextFile(theirs), "someone else's data");
  });
});

Deno.test("a folder holding a different dataset is a conflict that names the difference", async () => {
  await withTempDir(async (dir) => {
    const spec: TaskSpec = { task: "adding", T: 8 };
    await writeDataset(dir, spec, 1, { train: 4, test: 2 });
    const s = await inspectDataset(dir, spec, 1, { train: 5, test: 2 });
    assert(s.state === "conflict");
    assertMatch(s.reason, /train 4, asked for 5/);
    await assertRejects(
      () => writeDataset(dir, spec, 2, { train: 4, test: 2 }),
      DatasetError,
      "seed 1, asked for 2",
    );
    assertEquals((await inspectDataset(dir, spec, 1, { train: 4, test: 2 })).state, "current");
  });
});
