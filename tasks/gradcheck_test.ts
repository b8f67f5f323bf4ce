import { runScript } from "../src/testing/run_script.ts";
import { assertEquals, assertMatch } from "../src/testing/assert.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const GRADS = new URL("../../shared/reference/grads/", import.meta.url).pathname;

async function gradcheck(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runScript(
    "tasks/gradcheck.ts",
    ["--allow-read", "--allow-env", "--allow-ffi", "--allow-sys"],
    args,
    { cwd: ROOT },
  );
  return { code: r.code, out: r.stdout, err: r.stderr };
}

for (const backend of ["tensorflow", "wasm"]) {
  Deno.test(`gradcheck passes every shared reference file on the ${backend} backend`, async () => {
    const r = await gradcheck("--backend", backend);
    assertEquals(r.code, 0, r.out + r.err);
    assertMatch(r.out, new RegExp(`backend ${backend}`));
    assertMatch(r.out, /18\/18 passed/);
    assertEquals(r.out.match(/^PASS /gm)?.length, 18);
  });
}

Deno.test("gradcheck exits 1 with FAIL on a file whose gradient was perturbed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ref = JSON.parse(await Deno.readTextFile(`${GRADS}lstm-copy-s7-T12.json`));
    ref.param_grads.W_h[0][0] += 1e-2;
    await Deno.writeTextFile(`${dir}/perturbed.json`, JSON.stringify(ref));
    const r = await gradcheck(
      "--backend",
      "tensorflow",
      `${GRADS}gru-adding-s7-T12.json`,
      `${dir}/perturbed.json`,
    );
    assertEquals(r.code, 1, r.out + r.err);
    assertMatch(r.out, /FAIL {2}perturbed\.json/);
    assertMatch(r.out, /PASS {2}gru-adding/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gradcheck exits 2 on a malformed file, naming the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ref = JSON.parse(await Deno.readTextFile(`${GRADS}gru-adding-s7-T12.json`));
    ref.grad_h_norms = ref.grad_h_norms.slice(1);
    await Deno.writeTextFile(`${dir}/short.json`, JSON.stringify(ref));
    const r = await gradcheck(`${dir}/short.json`);
    assertEquals(r.code, 2);
    assertMatch(r.err, /short\.json: malformed: grad_h_norms/);
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
  const r = await gradcheck("--path", "graph");
  assertEquals(r.code, 0, r.out + r.err);
  assertEquals(r.out.match(/^PASS .*\[graph\]/gm)?.length, 18);
  assertMatch(r.out, /18\/18 passed/);
  const eager = await gradcheck("--path", "eager", `${GRADS}lstm-copy-s7-T12.json`);
  assertEquals(eager.code, 0, eager.out + eager.err);
  assertMatch(eager.out, /^PASS {2}lstm-copy-s7-T12\.json {2}\[eager\]/m);
  const none = await gradcheck(
    "--backend",
    "wasm",
    "--path",
    "graph",
    `${GRADS}gru-copy-s7-T12.json`,
  );
  assertEquals(none.code, 2);
  assertMatch(
    none.err,
    /--path graph: no graph path for gru \(gru-copy-s7-T12\.json\) on the wasm/,
  );
  assertEquals(none.out, "");
});
