/**
 * Results: the versioned result record and bench file, the append-only JSONL store, the
 * environment object written into both, and merging shards into one suite run.
 *
 * @example
 * ```ts
 * import { readResultsDir } from "./mod.ts";
 * const { runs, problems } = await readResultsDir("reports/results");
 * const newest = runs.at(-1);
 * console.log(newest?.suite, newest?.records.length, problems.length);
 * ```
 *
 * @module
 */
export * from "./schema.ts";
export * from "./store.ts";
export * from "./env.ts";
export * from "./solved.ts";
export { settingsKey } from "./settings_key.ts";
export { MergeError, mergeResults } from "./merge.ts";
