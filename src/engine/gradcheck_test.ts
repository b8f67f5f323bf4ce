import { initBackend } from "../backend.ts";
import { assert, assertEquals, assertLess, assertThrows } from "../testing/assert.ts";
import {
  gradcheck,
  loadReference,
  MalformedReferenceError,
  parseReference,
  relativeError,
} from "./gradcheck.ts";
import { CELL_NAMES } from "./model.ts";

/** The project's own references (`peers/torch/refgrad.py`); `tasks/gradcheck_test.ts` adds the outside ones. */
const DIR = new URL("../../fixtures/grads/", import.meta.url);
const files = [...Deno.readDirSync(DIR)].filter((e) => e.name.endsWith(".json")).map((e) => e.name)
  .sort();

for (const backend of ["tensorflow", "cpu", "wasm"] as const) {
  Deno.test(`every reference file matches PyTorch to 3e-5 on the ${backend} backend`, async () => {
    await initBackend(backend);
    // Every registry cell × ± attention × 2 tasks × 1 and 2 layers (tasks/gradcheck_test.ts
    // checks the names).
    assertEquals(files.length, CELL_NAMES.length * 8);
    for (const f of files) {
      // 3e-5: the attention query's gradient of the 2-layer IndRNN case is the worst (1.2e-5 on
      // the graph executor); every other array is within 3e-6.
      const r = await gradcheck(await loadReference(new URL(f, DIR).pathname), 3e-5);
      assert(r.pass, `${f}: max error ${r.maxError} (${JSON.stringify(r.paramErrors)})`);
    }
  });
}

Deno.test("a malformed reference names the offending field", async () => {
  const good = JSON.parse(await Deno.readTextFile(new URL("lstm-adding-s3-T9.json", DIR)));
  const bad = structuredClone(good);
  bad.param_grads.W_h[2] = [1, 2];
  const e = assertThrows(() => parseReference(bad), MalformedReferenceError);
  assertEquals(e.field, "param_grads.W_h[2]");
  const noLoss = structuredClone(good);
  delete noLoss.loss;
  assertEquals(assertThrows(() => parseReference(noLoss), MalformedReferenceError).field, "loss");
  assertEquals(
    assertThrows(() => parseReference({ ...good, cell: "nope" }), MalformedReferenceError).field,
    "cell",
  );
});

Deno.test("relative error is scaled by the reference's largest magnitude", () => {
  assertLess(Math.abs(relativeError([1, 2.1], [1, 2]) - 0.05), 1e-12);
  assertEquals(relativeError([0, 0], [0, 0]), 0);
  assertEquals(relativeError([NaN], [1]), Infinity);
});
