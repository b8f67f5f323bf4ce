/**
 * The settings a run shares with the other runs of its experiment, task and cell: its config
 * without the length, the step budget, the seed and the backend asked for (pure). The report
 * finds a record's experiment by it, and a dry run prices a run from the measured pace of
 * records with the same key.
 *
 * Probe steps are resolved against each run's budget (`probeAt: ["init", "middle", "end"]` is
 * `[0, 2000, 4000]` at 4,000 steps and `[0, 6000, 12000]` at 12,000), so the key writes a step at
 * the budget's start, middle or end back as that word: the rungs of one search, bisection rungs
 * included, then share one key.
 *
 * @module
 */
import { canonicalJson, type RunConfig } from "./schema.ts";

/** Canonical JSON of `c` without `T`, `steps`, `seed` and `backend`, probe steps relative. */
export function settingsKey(c: RunConfig): string {
  const { T: _T, steps, seed: _seed, backend: _backend, probeAt, ...rest } = c;
  const probes = probeAt.map((p) =>
    p === 0 ? "init" : p === Math.floor(steps / 2) ? "middle" : p === steps ? "end" : p
  );
  return canonicalJson({ ...rest, probeAt: probes });
}
