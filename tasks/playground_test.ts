import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";
import { runScript } from "../src/testing/run_script.ts";

/** The task as deno.json runs it, writing only into `out`. */
const playground = (out: string, args: string[]) =>
  runScript("tasks/playground.ts", ["--allow-read", `--allow-write=${out}`, "--allow-env"], args);

Deno.test("playground --help prints the flags and exits 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await playground(dir, ["--help"]);
    assertEquals(r.code, 0);
    assertMatch(r.stdout, /--out DIR/);
    assertMatch(r.stdout, /playground\.html\?cell=rnn_tanh/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad input exits 2 with one line and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "a-file");
    await Deno.writeTextFile(file, "x");
    for (
      const [args, why] of [
        [["--nope"], /nope/],
        [["--out", ""], /--out needs a value/],
        [["--out", file], /exists and is not a folder/],
      ] as const
    ) {
      const r = await playground(dir, [...args]);
      assertEquals(r.code, 2, `${args}: ${r.stderr}`);
      assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
      assertMatch(r.stderr, /^playground: /);
      assertMatch(r.stderr, why);
      assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["a-file"]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("playground --out DIR writes one self-contained playground.html and says where", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "site");
    const r = await playground(dir, ["--out", out]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stdout, new RegExp(`^Playground: ${out}/playground\\.html \\([\\d.]+ MB`));
    assertEquals([...Deno.readDirSync(out)].map((e) => e.name), ["playground.html"]);
    const html = await Deno.readTextFile(join(out, "playground.html"));
    assert(html.length < 4 * 1024 * 1024, `${html.length} bytes`);
    assertMatch(html, /id="worker-src">"/);
    assertMatch(html, /id="wasm-b64">AGFzbQ/); // the wasm binary's magic number, base64
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
