import { assertEquals } from "../testing/assert.ts";
import { chainState } from "./chain.ts";
import { partitionChains, shardChains } from "./shard.ts";
import { expandGrid, type GridRun, validateSuite } from "./suite.ts";

async function search(bisect: number, cells = ["lstm"], seeds = [1]) {
  return await expandGrid(validateSuite({
    name: "c",
    cells,
    seeds,
    hidden: 8,
    batch: 8,
    evalEvery: 10,
    testSize: 16,
    search: { lengths: [10, 20, 40, 80], steps: { perT: 1, min: 10, max: 100 }, bisect },
  }, "c.json"));
}

/** Outcomes of a cell that solves every length up to `horizon`, for the runs trained so far. */
function trainUntilDone(horizon: number) {
  const outcomes = new Map<string, boolean>();
  const train = (r: GridRun) => outcomes.set(r.hash, r.config.T <= horizon);
  return { outcomes, train, solved: (h: string) => outcomes.get(h) };
}

Deno.test("a chain's state is read from what is known: next rung, rungs trained, horizon", async () => {
  const chain = (await search(2)).chains![0];
  const t = trainUntilDone(30);
  let s = await chainState(chain, t.solved);
  assertEquals([s.next?.config.T, s.trained.length, s.horizon, s.capped], [10, 0, 0, false]);
  const order: number[] = [];
  while (s.next) {
    order.push(s.next.config.T);
    t.train(s.next);
    s = await chainState(chain, t.solved);
  }
  assertEquals(order, [10, 20, 40, 30, 35]);
  assertEquals([s.horizon, s.capped], [30, false]);
  assertEquals(s.trained.map((x) => [x.run.config.T, x.solved]), [
    [10, true],
    [20, true],
    [40, false],
    [30, true],
    [35, false],
  ]);
  // The top rung solved: finished, and the horizon is a lower bound.
  const all = trainUntilDone(1000);
  for (const r of chain.ladder) all.train(r);
  const top = await chainState(chain, all.solved);
  assertEquals([top.next, top.horizon, top.capped], [null, 80, true]);
});

Deno.test("chains are sharded whole: every chain in exactly one shard, deterministically", async () => {
  const grid = await search(0, ["rnn_tanh", "lstm", "gru"], [1, 2, 3]);
  const shards = partitionChains(grid.chains!, 4);
  assertEquals(shards.flat().length, 9);
  assertEquals(new Set(shards.flat()).size, 9);
  // The most expensive chains (LSTM: 4 gates) are spread first.
  assertEquals(shards.map((s) => s.filter((c) => c.label.includes("lstm")).length).sort(), [
    0,
    1,
    1,
    1,
  ]);
  const again = await search(0, ["rnn_tanh", "lstm", "gru"], [1, 2, 3]);
  assertEquals(
    shardChains(again.chains!, { index: 2, count: 4 }).map((c) => c.label),
    shards[1].map((c) => c.label),
  );
});
