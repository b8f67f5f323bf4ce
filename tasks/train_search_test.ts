import { runScript } from "../src/testing/run_script.ts";
import {
  assert,
  assertEquals,
  assertGreater,
  assertMatch,
  assertRejects,
} from "../src/testing/assert.ts";
import { expandGrid, loadSuite } from "../src/suite/suite.ts";

const PERMS = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi", "--allow-sys"];
const train = (args: string[]) => runScript("tasks/train.ts", PERMS, args);

Deno.test("--dry-run of a search gives its range with the assumptions, by chain and by shard", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  // One chain per registry cell of the suite (and per stacked variant), from the suite itself.
  const n = (await expandGrid(await loadSuite("horizon"))).chains?.length ?? 0;
  assertGreater(n, 8);
  const r = await train(["--suite", "horizon", "--dry-run", "--out", out]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(
    r.stdout,
    new RegExp(`suite horizon \\(search [0-9a-f]{12}\\): ${n} of ${n} chains; 0 finished, ${n} to`),
  );
  assertMatch(r.stdout, /adding lstm seed=1 +T 50,100,200,400,800,1600 \+1 bisection; 20·T steps/);
  assertMatch(r.stdout, /at most [\d.]+ h — worst case: every chain climbs to its top rung/);
  assertMatch(r.stdout, /at least [\d.]+ (min|s) if every unfinished chain fails its next rung/);
  assertMatch(r.stdout, /whole search over N shards, by chain.*: 1 → [\d.]+ h, 2 → /);
  await assertRejects(() => Deno.stat(out), Deno.errors.NotFound);
  // A shard owns whole chains: the two halves list every chain once.
  const halves = await Promise.all(
    ["1/2", "2/2"].map((s) => train(["--suite", "horizon", "--dry-run", "--shard", s])),
  );
  const chains = halves.flatMap((h) => h.stdout.match(/^ {2}adding \S+( ×2)? seed=1/gm) ?? []);
  assertEquals(chains.length, n);
  assertEquals(new Set(chains).size, n);
  assert(halves.every((h) => new RegExp(`shard \\d/2: \\d+ of ${n} chains`).test(h.stdout)));
});

Deno.test("bad search fields: one line naming the field, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bad.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({ name: "bad", search: { from: 50, factor: 1, to: 100, steps: {} } }),
  );
  const r = await train(["--suite", file, "--dry-run"]);
  assertEquals(r.code, 2);
  assertMatch(r.stderr, /bad\.json: 'search\.factor' must be a number > 1/);
  assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
});
