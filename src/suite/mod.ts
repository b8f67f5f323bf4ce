/**
 * Suites as data (`suites/*.json`), their grids of runs with content hashes, memory-horizon
 * searches (ladders of lengths per cell × task × seed, trained as chains of runs), and shards.
 *
 * @example
 * ```ts
 * import { expandGrid, loadSuite, shardRuns } from "./mod.ts";
 * const grid = await expandGrid(await loadSuite("standard"));
 * const mine = shardRuns(grid.runs, { index: 1, count: 4 }); // this machine's quarter
 * console.log(grid.runs.length, mine.length);
 * ```
 *
 * @module
 */
export * from "./suite.ts";
export * from "./shard.ts";
export * from "./search.ts";
export * from "./chain.ts";
