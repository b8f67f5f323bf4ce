/**
 * End-to-end tests of `deno task data`: the CLI runs in a subprocess with the permissions of the
 * deno.json task, in a fresh temporary working folder.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runScript, type ScriptResult } from "../src/testing/run_script.ts";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";
import { DATASET_FILES, loadDataset, MANIFEST_FILE, testSet, trainSet } from "../src/data/mod.ts";

const SCRIPT = fileURLToPath(new URL("./data.ts", import.meta.url));

type Run = ScriptResult;

const runData = (cwd: string, args: string[]): Promise<Run> =>
  runScript(SCRIPT, ["--allow-read", "--allow-write=.cache,fixtures,reports"], args, { cwd });

async function withCwd(fn: (cwd: string) => Promise<void>): Promise<void> {
  const cwd = await Deno.makeTempDir({ prefix: "rnn-gradbench-data-cli-" });
  try {
    await fn(cwd);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

async function tree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix + e.name;
    out.push(rel);
    if (e.isDirectory) out.push(...await tree(join(dir, e.name), rel + "/"));
  }
  return out.sort();
}

const GOOD = [
  "--task",
  "adding",
  "--lengths",
  "10,20",
  "--train",
  "8",
  "--test",
  "4",
  "--seed",
  "3",
];

Deno.test("a good run writes one folder per length with four .npy files and a manifest", async () => {
  await withCwd(async (cwd) => {
    const r = await runData(cwd, GOOD);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stderr, "");
    const names = ["adding-arjovsky-T10-seed3", "adding-arjovsky-T20-seed3"];
    for (const name of names) {
      assertMatch(r.stdout, new RegExp(`wrote \\.cache/data/${name} `));
      const dir = join(cwd, ".cache/data", name);
      assertEquals((await tree(dir)).sort(), [...DATASET_FILES, MANIFEST_FILE].sort());
      const ds = await loadDataset(dir);
      assertEquals(ds.manifest.counts, { train: 8, test: 4 });
      assertEquals(ds.train, trainSet(ds.spec, 3, 8));
      assertEquals(ds.test, testSet(ds.spec, 3, 4));
    }
  });
});

Deno.test("re-running with the same arguments is a no-op that says so", async () => {
  await withCwd(async (cwd) => {
    assertEquals((await runData(cwd, GOOD)).code, 0);
    const file = join(cwd, ".cache/data/adding-arjovsky-T10-seed3/train_x.npy");
    const before = (await Deno.stat(file)).mtime;
    const r = await runData(cwd, GOOD);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.match(/up to date \(no-op\)/g)?.length, 2);
    assertMatch(r.stdout, /nothing to do: all 2 dataset\(s\) already up to date/);
    assertEquals((await Deno.stat(file)).mtime, before);
  });
});

Deno.test("bad input exits 2 with one line on stderr and writes nothing", async () => {
  await withCwd(async (cwd) => {
    const outside = await Deno.makeTempDir({ prefix: "rnn-gradbench-outside-" });
    await Deno.writeTextFile(join(cwd, "not-a-dir"), "");
    try {
      const cases: [string[], RegExp][] = [
        [["--task", "mult", "--lengths", "10"], /--task must be one of adding, copy/],
        [["--lengths", "10"], /--task is required/],
        [["--task", "adding"], /--lengths is required/],
        [["--task", "adding", "--lengths", "1"], /adding needs T ≥ 2/],
        [["--task", "copy", "--lengths", "0"], /copy needs T ≥ 1/],
        [["--task", "copy", "--lengths", "5,x"], /--lengths must be a whole number/],
        [
          ["--task", "copy", "--lengths", "5", "--train", "-3"],
          /--train must be a whole number ≥ 1/,
        ],
        [["--task", "copy", "--lengths", "5", "--train", "2.5"], /--train must be a whole number/],
        [["--task", "copy", "--lengths", "5", "--test", "0"], /--test must be a whole number ≥ 1/],
        [["--task", "copy", "--lengths", "5", "--seed", "-1"], /--seed must be a whole number ≥ 0/],
        [["--task", "copy", "--lengths", "5", "--symbols", "0"], /--symbols must be/],
        [
          ["--task", "copy", "--lengths", "5", "--variant", "tcn"],
          /--variant applies to the adding/,
        ],
        [["--task", "adding", "--lengths", "5", "--variant", "x"], /--variant must be one of/],
        [["--task", "adding", "--lengths", "5", "--bogus"], /bogus/],
        [["--task", "adding", "--lengths", "5", "--out", outside], /is not writable/],
        [["--task", "adding", "--lengths", "5", "--out", "not-a-dir"], /is not a folder/],
        [["--task", "copy", "--lengths", "100000", "--train", "100000"], /GiB file/],
      ];
      for (const [args, message] of cases) {
        const r = await runData(cwd, args);
        const what = args.join(" ");
        assertEquals(r.code, 2, `${what}: exit ${r.code}, stderr ${r.stderr}`);
        assertEquals(r.stdout, "", what);
        const lines = r.stderr.trimEnd().split("\n");
        assertEquals(lines.length, 1, `${what}: ${r.stderr}`);
        assertMatch(lines[0], /^data: /);
        assertMatch(lines[0], message);
      }
      assertEquals(await tree(cwd), ["not-a-dir"]);
      assertEquals(await tree(outside), []);
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  });
});

Deno.test("a corrupted file is refused by name, left alone, and replaced only with --force", async () => {
  await withCwd(async (cwd) => {
    assertEquals((await runData(cwd, GOOD)).code, 0);
    const rel = ".cache/data/adding-arjovsky-T20-seed3/test_y.npy";
    const bytes = await Deno.readFile(join(cwd, rel));
    bytes[bytes.length - 1] ^= 1;
    await Deno.writeFile(join(cwd, rel), bytes);
    const r = await runData(cwd, GOOD);
    assertEquals(r.code, 2, r.stderr);
    assertEquals(r.stderr.trimEnd().split("\n").length, 1);
    assert(r.stderr.includes(rel), r.stderr);
    assertMatch(r.stderr, /corrupt/);
    assertEquals(await Deno.readFile(join(cwd, rel)), bytes);
    const forced = await runData(cwd, [...GOOD, "--force"]);
    assertEquals(forced.code, 0, forced.stderr);
    assertMatch(forced.stdout, /up to date \(no-op\): \.cache\/data\/adding-arjovsky-T10-seed3/);
    assertMatch(forced.stdout, /wrote \.cache\/data\/adding-arjovsky-T20-seed3/);
    await loadDataset(join(cwd, ".cache/data/adding-arjovsky-T20-seed3"));
  });
});

Deno.test("a different count for an existing folder is refused, naming the difference", async () => {
  await withCwd(async (cwd) => {
    assertEquals((await runData(cwd, GOOD)).code, 0);
    const r = await runData(cwd, GOOD.map((a) => (a === "8" ? "9" : a)));
    assertEquals(r.code, 2);
    assertMatch(r.stderr, /different dataset \(train 8, asked for 9\); pass --force/);
  });
});

Deno.test("--help prints usage and exits 0", async () => {
  await withCwd(async (cwd) => {
    const r = await runData(cwd, ["--help"]);
    assertEquals(r.code, 0);
    assertMatch(r.stdout, /^Usage: deno task data --task adding\|copy/);
    assertEquals(await tree(cwd), []);
  });
});
