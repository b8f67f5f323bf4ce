/**
 * Cross-checks with Python: numpy reads our `.npy` files, and `_peer_reference.py` (written from
 * our module docs) regenerates the same bytes. Ignored when python3 or numpy is missing.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../testing/assert.ts";
import { batchXShape, batchYShape } from "./batch.ts";
import { loadDataset } from "./dataset.ts";
import { testSet, trainSet } from "./generate.ts";
import { encodeNpy } from "./npy.ts";
import { STREAM_TEST, STREAM_TRAIN } from "./rng.ts";
import type { TaskSpec } from "./task_spec.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/data/", import.meta.url));
const REFERENCE = fileURLToPath(new URL("./_peer_reference.py", import.meta.url));

function hasNumpy(): boolean {
  try {
    return new Deno.Command("python3", {
      args: ["-c", "import numpy"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false; // no python3, or no --allow-run
  }
}
const ignore = !hasNumpy();

async function python(args: string[]): Promise<string> {
  const out = await new Deno.Command("python3", { args }).output();
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`python3 failed: ${err}`);
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name: "numpy.load reads the fixtures with the shapes, dtypes and values we wrote",
  ignore,
  async fn() {
    for (const name of ["adding-arjovsky-T20-seed7", "copy-S10-T5-seed7"]) {
      const dir = join(FIXTURES, name);
      const script = `
import json, sys, numpy as np
out = {}
for f in ["train_x", "train_y", "test_x", "test_y"]:
    a = np.load(sys.argv[1] + "/" + f + ".npy")
    out[f] = {"shape": list(a.shape), "dtype": str(a.dtype), "values": a.ravel().tolist()}
print(json.dumps(out))`;
      const got = JSON.parse(await python(["-c", script, dir]));
      const ds = await loadDataset(dir);
      for (const [split, b] of [["train", ds.train], ["test", ds.test]] as const) {
        assertEquals(got[`${split}_x`].shape, batchXShape(b));
        assertEquals(got[`${split}_y`].shape, batchYShape(b));
        assertEquals(got[`${split}_x`].dtype, "float32");
        assertEquals(got[`${split}_y`].dtype, ds.spec.task === "adding" ? "float32" : "int32");
        assertEquals(got[`${split}_x`].values, [...b.x]);
        assertEquals(got[`${split}_y`].values, [...b.y]);
      }
    }
  },
});

Deno.test({
  name: "a Python peer following the module docs generates byte-identical .npy files",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rnn-gradbench-peer-" });
    try {
      const cases: [TaskSpec, string, number, number][] = [
        [{ task: "adding", T: 37, variant: "arjovsky" }, "arjovsky", 11, STREAM_TRAIN],
        [{ task: "adding", T: 16, variant: "tcn" }, "tcn", 12, STREAM_TEST],
        [{ task: "copy", T: 9, symbols: 10 }, "10", 13, STREAM_TRAIN],
        [{ task: "copy", T: 3, symbols: 4 }, "4", 2 ** 40 + 5, STREAM_TEST],
      ];
      for (const [spec, param, seed, stream] of cases) {
        const n = 25;
        const prefix = join(dir, `${spec.task}-${param}-${seed}`);
        await python([
          REFERENCE,
          spec.task,
          String(spec.T),
          String(seed),
          String(stream),
          String(n),
          param,
          prefix,
        ]);
        const b = (stream === STREAM_TRAIN ? trainSet : testSet)(spec, seed, n);
        assertEquals(
          await Deno.readFile(`${prefix}_x.npy`),
          encodeNpy(b.x, batchXShape(b)),
          prefix,
        );
        assertEquals(
          await Deno.readFile(`${prefix}_y.npy`),
          encodeNpy(b.y, batchYShape(b)),
          prefix,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
