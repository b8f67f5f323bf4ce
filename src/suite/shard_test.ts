import { assert, assertEquals } from "../testing/assert.ts";
import { parseShard, partition, shardFromEnv, shardRuns } from "./shard.ts";
import { expandGrid, loadSuite, runCost } from "./suite.ts";

Deno.test("shards partition the grid exactly, with no overlap, for many N", async () => {
  const grid = await expandGrid(await loadSuite("standard"));
  const all = grid.runs.map((r) => r.hash).sort();
  for (const n of [1, 2, 3, 4, 5, 7, 8, 13, 32, 64, grid.runs.length + 3]) {
    const shards = partition(grid.runs, n);
    assertEquals(shards.length, n);
    const union = shards.flat().map((r) => r.hash).sort();
    assertEquals(union, all, `N=${n}: union is the grid`);
    assertEquals(new Set(union).size, union.length, `N=${n}: no overlap`);
    for (let i = 1; i <= n; i++) {
      assertEquals(shardRuns(grid.runs, { index: i, count: n }), shards[i - 1]);
    }
  }
});

Deno.test("shards are balanced by estimated cost (LPT: within 4/3 of the lower bound)", async () => {
  const grid = await expandGrid(await loadSuite("standard"));
  const total = grid.runs.reduce((a, r) => a + runCost(r.config), 0);
  const biggest = Math.max(...grid.runs.map((r) => runCost(r.config)));
  for (const n of [2, 4, 8, 16]) {
    const loads = partition(grid.runs, n).map((s) => s.reduce((a, r) => a + runCost(r.config), 0));
    const lower = Math.max(total / n, biggest);
    assert(Math.max(...loads) <= lower * 4 / 3 + 1e-9, `N=${n}: ${Math.max(...loads)} vs ${lower}`);
  }
});

Deno.test("the partition is deterministic whatever the order runs arrive in", async () => {
  const grid = await expandGrid(await loadSuite("quick"));
  const reversed = [...grid.runs].reverse();
  const a = partition(grid.runs, 3).map((s) => s.map((r) => r.hash).sort());
  const b = partition(reversed, 3).map((s) => s.map((r) => r.hash).sort());
  assertEquals(a, b);
});

Deno.test("shard specs parse from flags and from GitHub/Kubernetes-style environments", () => {
  assertEquals(parseShard("2/4"), { index: 2, count: 4 });
  assert(typeof parseShard("0/4") === "string");
  assert(typeof parseShard("5/4") === "string");
  assert(typeof parseShard("two/4") === "string");
  const env = (o: Record<string, string>) => (k: string) => o[k];
  assertEquals(shardFromEnv(env({})), null);
  assertEquals(shardFromEnv(env({ RNN_GRADBENCH_SHARD: "3/5" })), { index: 3, count: 5 });
  assertEquals(
    shardFromEnv(env({ JOB_COMPLETION_INDEX: "0", RNN_GRADBENCH_SHARD_COUNT: "4" })),
    { index: 1, count: 4 },
  );
  assert(typeof shardFromEnv(env({ JOB_COMPLETION_INDEX: "1" })) === "string");
});
