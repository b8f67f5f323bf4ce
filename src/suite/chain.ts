/**
 * Where a chain of a memory-horizon search stands, given what is known of its runs: which rung
 * it trains next (a ladder rung or a bisection rung), which rungs it has trained, and the horizon
 * found so far. Known outcomes come from the stored records, so a search resumes where its
 * records end, on any machine that has them.
 *
 * @example
 * ```ts
 * import { chainState } from "./chain.ts";
 * import { expandGrid, loadSuite } from "./suite.ts";
 * const grid = await expandGrid(await loadSuite("horizon"));
 * const state = await chainState(grid.chains![0], () => undefined); // nothing trained yet
 * console.log(state.next?.config.T); // the ladder's first length
 * ```
 *
 * @module
 */
import { chainHorizon, nextLength } from "./search.ts";
import type { Chain, GridRun } from "./suite.ts";

/** A chain's state. */
export interface ChainState {
  /** The run to train next; null: the chain is finished. */
  next: GridRun | null;
  /** The rungs trained, in the order the chain trains them, with their outcomes. */
  trained: { run: GridRun; solved: boolean }[];
  /** The longest length solved so far (0: none). */
  horizon: number;
  /** The horizon is a lower bound: no longer length failed (top rung solved, or unfinished). */
  capped: boolean;
}

/**
 * The state of `chain` when `solved(hash)` says what is known of a run: true (solved), false
 * (trained, not solved: failed, diverged or out of budget), undefined (not trained).
 */
export async function chainState(
  chain: Chain,
  solved: (hash: string) => boolean | undefined,
): Promise<ChainState> {
  const runs = new Map<number, GridRun>(chain.ladder.map((r) => [r.config.T, r]));
  const lengths = chain.ladder.map((r) => r.config.T);
  for (;;) {
    const trained: ChainState["trained"] = [];
    // A length without a run yet (a bisection rung) reads as untrained: the walk stops there,
    // the run is made (hashed) and the walk starts over, now knowing its outcome if stored.
    const T = nextLength(lengths, chain.bisect, (T) => {
      const run = runs.get(T);
      const s = run ? solved(run.hash) : undefined;
      if (run && s !== undefined) trained.push({ run, solved: s });
      return s;
    });
    if (T !== null && !runs.has(T)) {
      runs.set(T, await chain.rung(T));
      continue;
    }
    const { horizon, capped } = chainHorizon(
      trained.map((t) => ({ T: t.run.config.T, solved: t.solved })),
    );
    return { next: T === null ? null : runs.get(T)!, trained, horizon, capped };
  }
}
