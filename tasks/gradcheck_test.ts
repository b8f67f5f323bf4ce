import { runScript } from "../src/testing/run_script.ts";
import { assertEquals, assertMatch } from "../src/testing/assert.ts";
import { CELL_NAMES, TASKS } from "../src/engine/model.ts";

const ROOT = new URL("../", import.meta.url).pathname;
/** The project's own references (`peers/torch/refgrad.py`). */
const OWN = "fixtures/grads";
const OWN_COUNT = [...Deno.readDirSync(`${ROOT}${OWN}`)].filter((e) => e.name.endsWith(".json"))
  .length;
/** The independent references outside the project, where a checkout has them. */
const OUTSIDE = [
  "../shared/reference/grads",
  "../shared/reference/grads-stacked",
  "../shared/reference/grads-exprnn",
];
const outside = OUTSIDE.filter((d) => {
  try {
    return Deno.statSync(`${ROOT}${d}`).isDirectory;
  } catch {
    return false;
  }
});

async function gradcheck(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runScript(
    "tasks/gradcheck.ts",
    ["--allow-read", "--allow-env", "--allow-ffi", "--allow-sys"],
    args,
    { cwd: ROOT },
  );
  return { code: r.code, out: r.stdout, err: r.stderr };
}

Deno.test("the project's references cover every cell, ± attention, both tasks, 1 and 2 layers", () => {
  // Every registry cell × {plain, +attn} × {adding, copy} × {1, 2 layers}, and nothing else.
  const names = new Set(
    [...Deno.readDirSync(`${ROOT}${OWN}`)].map((e) => e.name).filter((n) => n.endsWith(".json")),
  );
  const expected = CELL_NAMES.flatMap((c) =>
    [c, `${c}_attn`].flatMap((f) =>
      TASKS.flatMap((t) => [`${f}-${t}-s3-T9.json`, `${f}-${t}-s3-T9-L2.json`])
    )
  );
  assertEquals([...names].sort(), expected.sort());
});

Deno.test("the reference generator defines exactly the registry's cells", async () => {
  // refgrad.py's CELL_DEFS is its own, independent float64 math for each registry cell.
  const src = await Deno.readTextFile(`${ROOT}peers/torch/refgrad.py`);
  const table = src.slice(
    src.indexOf("CELL_DEFS = {"),
    src.indexOf("\n}\n", src.indexOf("CELL_DEFS = {")),
  );
  const defined = [...table.matchAll(/^ {4}"(\w+)": \(/gm)].map((m) => m[1]);
  assertEquals(defined, CELL_NAMES);
});

for (const backend of ["tensorflow", "wasm", "cpu"]) {
  Deno.test(`gradcheck passes every committed reference file on the ${backend} backend`, async () => {
    const r = await gradcheck("--backend", backend, OWN);
    assertEquals(r.code, 0, r.out + r.err);
    assertMatch(r.out, new RegExp(`backend ${backend}`));
    assertMatch(r.out, new RegExp(`${OWN_COUNT}/${OWN_COUNT} passed`));
    assertEquals(r.out.match(/^PASS /gm)?.length, OWN_COUNT);
  });
}

Deno.test({
  name: "gradcheck with no FILE checks the committed references and the outside ones present",
  fn: async () => {
    const r = await gradcheck();
    assertEquals(r.code, 0, r.out + r.err);
    const count = (dir: string) => r.out.match(new RegExp(`^PASS  ${dir}/`, "gm"))?.length ?? 0;
    assertEquals(count(OWN), OWN_COUNT);
    for (const d of outside) assertEquals(count(d) > 0, true, `${d} was checked`);
  },
});

for (const dir of outside) {
  for (const path of ["graph", "eager"]) {
    Deno.test(`gradcheck passes the independent references in ${dir} [${path}]`, async () => {
      const r = await gradcheck("--path", path, dir);
      assertEquals(r.code, 0, r.out + r.err);
      assertMatch(r.out, /^(\d+)\/\1 passed/m);
      assertEquals(r.out.match(new RegExp(`^FAIL`, "gm")), null);
    });
  }
}

Deno.test("gradcheck exits 1 with FAIL on a file whose gradient was perturbed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ref = JSON.parse(await Deno.readTextFile(`${ROOT}${OWN}/lstm-copy-s3-T9-L2.json`));
    ref.param_grads["l1.W_h"][0][0] += 1e-2;
    await Deno.writeTextFile(`${dir}/perturbed.json`, JSON.stringify(ref));
    const r = await gradcheck(
      "--backend",
      "tensorflow",
      `${OWN}/gru-adding-s3-T9.json`,
      `${dir}/perturbed.json`,
    );
    assertEquals(r.code, 1, r.out + r.err);
    assertMatch(r.out, /FAIL {2}\S*perturbed\.json/);
    assertMatch(r.out, /PASS {2}\S*gru-adding/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gradcheck exits 2 on a malformed file, naming the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ref = JSON.parse(await Deno.readTextFile(`${ROOT}${OWN}/gru-adding-s3-T9-L2.json`));
    ref.grad_h_norms_by_layer = ref.grad_h_norms_by_layer.slice(1);
    await Deno.writeTextFile(`${dir}/short.json`, JSON.stringify(ref));
    const r = await gradcheck(`${dir}/short.json`);
    assertEquals(r.code, 2);
    assertMatch(r.err, /short\.json: malformed: grad_h_norms_by_layer/);
    ref.layers = 9;
    await Deno.writeTextFile(`${dir}/deep.json`, JSON.stringify(ref));
    assertMatch((await gradcheck(`${dir}/deep.json`)).err, /deep\.json: malformed: layers/);
    const bad = await gradcheck("--tolerance", "zero");
    assertEquals(bad.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gradcheck --help describes the flags", async () => {
  const r = await gradcheck("--help");
  assertEquals(r.code, 0);
  assertMatch(r.out, /--tolerance/);
  assertMatch(r.out, /--backend/);
});

Deno.test("gradcheck --path graph / eager pins the engine path", async () => {
  const r = await gradcheck("--path", "graph", OWN);
  assertEquals(r.code, 0, r.out + r.err);
  assertEquals(r.out.match(/^PASS .*\[graph\]/gm)?.length, OWN_COUNT);
  const eager = await gradcheck("--path", "eager", `${OWN}/lstm-copy-s3-T9.json`);
  assertEquals(eager.code, 0, eager.out + eager.err);
  assertMatch(eager.out, /^PASS {2}\S*lstm-copy-s3-T9\.json {2}\[eager\]/m);
  const none = await gradcheck(
    "--backend",
    "wasm",
    "--path",
    "graph",
    `${OWN}/gru-copy-s3-T9.json`,
  );
  assertEquals(none.code, 2);
  assertMatch(none.err, /--path graph: no graph path on the wasm backend/);
  assertEquals(none.out, "");
});
