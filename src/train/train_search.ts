/**
 * Trains a memory-horizon search: each chain rung by rung, the next rung decided by the records
 * stored so far (`suite/chain.ts`), every rung trained and stored by {@link trainGrid} as one
 * ordinary run. Re-running the same command continues every chain from its records; a chain whose
 * next rung another process records instead (or does not record) is left to that process.
 *
 * @module
 */
import { recordStepsToSolve } from "../results/solved.ts";
import { readSuiteRun, suiteRunFile } from "../results/store.ts";
import { chainState } from "../suite/chain.ts";
import type { Chain, Grid } from "../suite/suite.ts";
import type { Progress } from "./progress.ts";
import {
  emptySummary,
  trainGrid,
  type TrainGridOptions,
  type TrainGridSummary,
} from "./train_suite.ts";

/** Options of {@link trainChains}: those of `trainGrid`, with chains for runs. */
export interface TrainChainsOptions extends Omit<TrainGridOptions, "runs"> {
  /** The chains this process trains (a shard), default all of the grid's. */
  chains?: Chain[];
}

/** What {@link trainChains} did: `trainGrid`'s counts, plus each chain's horizon. */
export interface TrainChainsSummary extends TrainGridSummary {
  chains: { label: string; horizon: number; capped: boolean; finished: boolean }[];
}

/** Per config hash, whether its stored record solved the task (a missing file: nothing). */
export async function readOutcomes(file: string): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  try {
    const { run } = await readSuiteRun(file);
    for (const r of run?.records ?? []) out.set(r.config_hash, recordStepsToSolve(r) !== null);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}

/** Trains every chain (or this shard's) until it is finished. */
export async function trainChains(o: TrainChainsOptions): Promise<TrainChainsSummary> {
  const grid: Grid = o.grid;
  const chains = o.chains ?? grid.chains ?? [];
  const file = suiteRunFile(o.outDir, grid.suite, grid.gridHash);
  const summary: TrainChainsSummary = { ...emptySummary(file), chains: [] };
  // trainGrid numbers the runs it is given (one at a time here): number them across the search.
  let index = 0;
  const total = chains.reduce((a, c) => a + c.ladder.length, 0);
  const progress: Progress = {
    ...o.progress,
    runStart: (_i, _n, label, steps) => o.progress.runStart(index++, total, label, steps),
    runSkipped: (_i, _n, label, why) => o.progress.runSkipped(index++, total, label, why),
  };
  // With --force every rung is trained again: only this process's records count as known.
  const trainedHere = new Set<string>();
  for (const chain of chains) {
    let outcomes = await readOutcomes(file);
    const known = (h: string) => (o.force && !trainedHere.has(h) ? undefined : outcomes.get(h));
    let state = await chainState(chain, known);
    const resumed = state.trained.length;
    if (resumed > 0 && chain.ladder.length > 1) {
      o.progress.line(
        `${chain.label}: ${resumed} rung(s) already in results${
          state.next ? `, continuing at T=${state.next.config.T}` : ""
        }`,
      );
    }
    summary.skipped += resumed;
    let finished = true;
    while (state.next) {
      const rung = state.next;
      const s = await trainGrid({ ...o, runs: [rung], progress });
      summary.ran += s.ran;
      summary.elsewhere += s.elsewhere;
      summary.diverged += s.diverged;
      summary.failed += s.failed;
      if (s.interrupted || s.suspended) {
        summary.interrupted = s.interrupted;
        summary.suspended = s.suspended;
        return summary;
      }
      trainedHere.add(rung.hash);
      outcomes = await readOutcomes(file);
      if (!outcomes.has(rung.hash)) {
        // Nothing recorded for the rung (another process holds it): the chain is not ours now.
        o.progress.line(`${chain.label}: T=${rung.config.T} not recorded here; leaving the chain`);
        finished = false;
        break;
      }
      state = await chainState(chain, known);
    }
    summary.chains.push({
      label: chain.label,
      horizon: state.horizon,
      capped: state.capped,
      finished,
    });
    if (chain.ladder.length > 1 && finished) {
      o.progress.line(
        `${chain.label}: horizon ${state.capped ? "≥ " : ""}${state.horizon || "none"} (${
          state.trained.map((t) => `${t.run.config.T}${t.solved ? "✓" : "✗"}`).join(" ")
        })`,
      );
    }
  }
  return summary;
}
