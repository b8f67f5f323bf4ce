/**
 * Sharding a grid across machines: a deterministic partition balanced by estimated cost.
 *
 * Runs are sorted by estimated cost (T × steps × cell cost), largest first, ties broken by
 * config hash, and each goes to the shard with the least cost so far (ties: lowest index) —
 * the LPT rule, within 4/3 of the best possible makespan. Every machine computes the same
 * partition from the grid alone, so the union of shards 1…N is exactly the grid, with no overlap.
 *
 * A memory-horizon search is sharded by chain: which rungs a chain trains depends on its earlier
 * rungs, so one shard owns a whole chain. Chains are balanced the same way, each weighing its
 * whole ladder (the most it can train).
 *
 * @module
 */
import type { Chain, GridRun } from "./suite.ts";
import { runCost } from "./suite.ts";

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** The runs of shard `index`/`count`, in grid order. */
export function shardRuns(runs: GridRun[], shard: ShardSpec): GridRun[] {
  return partition(runs, shard.count)[shard.index - 1];
}

/** All `count` shards (each in grid order). */
export function partition(runs: GridRun[], count: number): GridRun[][] {
  return lpt(runs, count, (r) => runCost(r.config), (r) => r.hash);
}

/** The chains of shard `index`/`count`, in grid order. */
export function shardChains(chains: Chain[], shard: ShardSpec): Chain[] {
  return partitionChains(chains, shard.count)[shard.index - 1];
}

/** All `count` shards of a search's chains (each in grid order). */
export function partitionChains(chains: Chain[], count: number): Chain[][] {
  return lpt(chains, count, chainCost, (c) => c.ladder[0].hash);
}

/** A chain's estimated cost: its whole ladder's. */
export function chainCost(c: Chain): number {
  return c.ladder.reduce((a, r) => a + runCost(r.config), 0);
}

/** Largest cost first (ties by key) to the least-loaded shard (ties: lowest index). */
function lpt<T>(items: T[], count: number, cost: (x: T) => number, key: (x: T) => string): T[][] {
  const order = items.map((x, i) => ({ i, cost: cost(x), key: key(x) }))
    .sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const members: number[][] = Array.from({ length: count }, () => []);
  for (const { i, cost } of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best]) best = s;
    load[best] += cost;
    members[best].push(i);
  }
  return members.map((m) => m.sort((a, b) => a - b).map((i) => items[i]));
}

/** Parses `I/N` (1 ≤ I ≤ N); returns an error message or the spec. */
export function parseShard(text: string): ShardSpec | string {
  const m = text.trim().match(/^(\d+)\/(\d+)$/);
  if (!m) return `--shard must look like I/N (e.g. 2/4), got '${text}'`;
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) {
    return `--shard I/N needs 1 ≤ I ≤ N, got '${text}'`;
  }
  return { index, count };
}

/**
 * The shard from the environment, for engines that pass it that way:
 * `RNN_GRADBENCH_SHARD=I/N`, or a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` (0-based)
 * with the completions count in `RNN_GRADBENCH_SHARD_COUNT` (set it from the Job's
 * `spec.completions`). GitHub Actions matrices pass `--shard ${{ matrix.shard }}/N` as a flag.
 */
export function shardFromEnv(env: (k: string) => string | undefined): ShardSpec | string | null {
  const direct = env("RNN_GRADBENCH_SHARD");
  if (direct) return parseShard(direct);
  const k8sIndex = env("JOB_COMPLETION_INDEX");
  if (k8sIndex !== undefined && k8sIndex !== "") {
    const count = env("RNN_GRADBENCH_SHARD_COUNT");
    if (!count) return "JOB_COMPLETION_INDEX is set but RNN_GRADBENCH_SHARD_COUNT is not";
    if (!/^\d+$/.test(k8sIndex) || !/^\d+$/.test(count)) {
      return `JOB_COMPLETION_INDEX/RNN_GRADBENCH_SHARD_COUNT must be whole numbers, got '${k8sIndex}'/'${count}'`;
    }
    return parseShard(`${Number(k8sIndex) + 1}/${count}`);
  }
  return null;
}
