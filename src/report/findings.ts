/**
 * The findings of a suite run as plain data, computed from the records (pure); one module,
 * `findings_text.ts`, words them for the page, `FINDINGS.md` and the terminal.
 *
 * - Memory horizons per (task, cell series), with `capped` where the longest tested length was
 *   solved (the horizon is then "≥ T": the grid did not find the limit).
 * - The thesis check, one {@link ThesisPair} per (task, series) with a gradient probe at
 *   initialisation: a gradient that falls below 10^-6 of the last step's after h steps lets a
 *   cell learn the lengths whose needed distance — T for adding (the first marker may sit at the
 *   start), T + S for copy (a symbol to its recall) — is at most h. The verdict `predicts` when
 *   the longest such tested length is the memory horizon (the median seed's), both "none"
 *   included; `under` when the cell learned farther; `over` when it learned less far.
 * - In a suite run that mixes grid runs and memory-horizon searches, a (task, series) with search
 *   rungs takes its horizon, budget and gradient decay from them alone (`searched`); its grid
 *   runs (the literature's lengths, at the literature's settings) are for the other charts and
 *   the literature table, not a rung of its ladder.
 * - The literature table's rows ({@link literatureRows}).
 * - The headline facts: per task the farthest reach and who reached it, the tanh RNN's reach,
 *   who solved nothing, and the cost (steps and seconds) of the fastest solve at the longest
 *   length solved.
 *
 * @module
 */
import type { ResultRecord } from "../results/schema.ts";
import type { Reference } from "../suite/suite.ts";
import { groupBy, median, seriesOf, sortCells } from "./charts/_common.ts";
import { type LiteratureRow, literatureRows } from "./literature.ts";
import { isSearchRung, type OriginOf } from "./origins.ts";
import {
  type DecayRates,
  decayRates,
  type MemoryHorizon,
  memoryHorizons,
  predictedHorizon,
  stepsToSolve,
  taskBudget,
} from "./horizons.ts";

/** The tasks in the order the findings list them. */
export const TASKS = ["adding", "copy"] as const;

/** A memory horizon as the report presents it: with its "≥" flag. */
export interface PresentedHorizon extends MemoryHorizon {
  /** True when the horizon is a lower bound: the search or the grid stopped at a solved length. */
  capped: boolean;
  /** Found by a memory-horizon search (its rungs alone), not read off a grid. */
  searched: boolean;
  /** A searched series' note: its experiment's `source` in the suite (absent: none). */
  note?: string;
}

/**
 * Whether a memory horizon is a lower bound. A horizon that says so itself (a `capped` field,
 * as `memoryHorizons` computes per seed for grids and searches alike) is taken at its word;
 * otherwise it is capped when the median seed solved the longest tested length.
 */
export function horizonCapped(h: MemoryHorizon & { capped?: boolean }): boolean {
  if (typeof h.capped === "boolean") return h.capped;
  return h.median > 0 && h.lengths.length > 0 && h.median === Math.max(...h.lengths);
}

/** How the gradient horizon at initialisation compares with the memory horizon. */
export type Verdict = "predicts" | "under" | "over";

/** One (task, series) of the thesis check. */
export interface ThesisPair {
  task: "adding" | "copy";
  cell: string;
  memory: PresentedHorizon;
  /** Per-step factor of ‖dL/dh_t‖ at initialisation. */
  factorInit: number;
  /** Gradient horizon at initialisation, steps (Infinity: no decay). */
  gradientInit: number;
  /** Longest tested T the initial gradient horizon covers (0: none). */
  predicted: number;
  verdict: Verdict;
  /** After training (null: no probe after training). */
  factorTrained: number | null;
  gradientTrained: number | null;
  /** Whether the trained gradient covers the memory horizon (null: nothing solved or no probe). */
  reachedAfterTraining: boolean | null;
}

/** The fastest solve at the longest length solved on a task. */
export interface SolveCost {
  T: number;
  cell: string;
  /** Median steps-to-solve over the seeds that solved. */
  steps: number;
  /**
   * Median wall time to the solving step, seconds: each run's seconds per step (its
   * `timing.total_s` over the steps it trained, evaluations included) times its steps to solve, so
   * a run that trained on past its solve (no `stopWhenSolved`) is not charged for the rest.
   */
  seconds: number;
}

/** Per task, what the headline says. */
export interface TaskHeadline {
  task: "adding" | "copy";
  lengths: number[];
  /** Every horizon of the task was searched (the lengths are rungs, not a grid). */
  searched: boolean;
  /** The farthest memory horizon and the series that reached it (0: nothing solved). */
  best: number;
  bestCapped: boolean;
  bestCells: string[];
  /** The tanh RNN's horizon, the baseline cell (null: not run). */
  tanh: PresentedHorizon | null;
  /** Series whose median seed solved no tested length. */
  none: string[];
  cost: SolveCost | null;
}

/** The findings as data. */
export interface FindingsData {
  records: number;
  /** Seeds per series (the most any series has). */
  seeds: number;
  tasks: ("adding" | "copy")[];
  horizons: PresentedHorizon[];
  decay: DecayRates[];
  pairs: ThesisPair[];
  headline: TaskHeadline[];
  /** Where the copy-memory norms come from. */
  copySource: "recall" | "whole" | "mixed" | null;
  /** Per task, the runs' step budget in words (a search's budget rule, a grid's budgets). */
  budgets: { task: "adding" | "copy"; text: string }[];
  /** Published reference points against ours. */
  literature: LiteratureRow[];
}

/** What {@link findingsData} needs beside the records. */
export interface FindingsOptions {
  /** Where each record comes from (search rung or grid run); absent: every record a grid's. */
  originOf?: OriginOf;
  /** Published reference points for the literature table. */
  references?: Reference[];
}

/**
 * The records the horizons are read from: per (task, series), its search rungs where it has
 * any, else all its records.
 */
export function horizonRecords(records: ResultRecord[], originOf?: OriginOf): ResultRecord[] {
  if (!originOf) return records;
  const key = (r: ResultRecord) => `${r.config.task}|${seriesOf(r.config)}`;
  const searched = new Set(records.filter((r) => isSearchRung(originOf, r)).map(key));
  return records.filter((r) => !searched.has(key(r)) || isSearchRung(originOf, r));
}

function taskOrder(t: string): number {
  return (TASKS as readonly string[]).indexOf(t);
}

/** A run's wall time to `steps`, at its own pace (its whole time where the steps are unknown). */
function secondsToSolve(r: ResultRecord, steps: number): number {
  const done = r.timing.steps_done;
  return done > 0 ? (r.timing.total_s * Math.min(steps, done)) / done : r.timing.total_s;
}

function headlineOf(
  task: "adding" | "copy",
  records: ResultRecord[],
  horizons: PresentedHorizon[],
): TaskHeadline {
  const hs = horizons.filter((h) => h.task === task);
  const best = Math.max(0, ...hs.map((h) => h.median));
  const bestHs = best > 0 ? hs.filter((h) => h.median === best) : [];
  const recs = records.filter((r) => r.config.task === task);
  let cost: SolveCost | null = null;
  const solvedT = Math.max(
    0,
    ...recs.filter((r) => stepsToSolve(r) !== null).map((r) => r.config.T),
  );
  if (solvedT > 0) {
    const atT = recs.filter((r) => r.config.T === solvedT && stepsToSolve(r) !== null);
    for (const [cell, rs] of groupBy(atT, (r) => seriesOf(r.config))) {
      const steps = median(rs.map((r) => stepsToSolve(r)!));
      if (!cost || steps < cost.steps || (steps === cost.steps && cell < cost.cell)) {
        const seconds = median(rs.map((r) => secondsToSolve(r, stepsToSolve(r)!)));
        cost = { T: solvedT, cell, steps, seconds };
      }
    }
  }
  return {
    task,
    lengths: [...new Set(recs.map((r) => r.config.T))].sort((a, b) => a - b),
    searched: hs.length > 0 && hs.every((h) => h.searched),
    best,
    bestCapped: bestHs.some((h) => h.capped),
    bestCells: sortCells(bestHs.map((h) => h.cell)),
    tanh: hs.find((h) => h.cell === "rnn_tanh") ?? null,
    none: sortCells(hs.filter((h) => h.median === 0).map((h) => h.cell)),
    cost,
  };
}

/**
 * A task's step budget in words: the search's rule where every series of it was searched under
 * one rule; else read from the runs' steps ({@link taskBudget}), each searched series' own rule
 * where they differ.
 */
function budgetOf(
  task: "adding" | "copy",
  records: ResultRecord[],
  horizons: PresentedHorizon[],
): string {
  const hs = horizons.filter((h) => h.task === task);
  const rules = new Set(hs.map((h) => (h.searched ? h.budget : null)));
  if (rules.size === 1 && !rules.has(null) && !rules.has(undefined)) return [...rules][0]!;
  const searched = hs.filter((h) => h.searched);
  if (searched.length === 0) return taskBudget(records, horizons, task);
  return hs.map((h) => `${h.cell} ${h.budget}`).join("; ");
}

/** The findings of these records, as data. */
export function findingsData(all: ResultRecord[], opts: FindingsOptions = {}): FindingsData {
  const records = horizonRecords(all, opts.originOf);
  // A searched series' budget is its search's rule, as the suite states it (the rungs a chain
  // trained may be too few to read the rule back from their steps).
  const rules = new Map<string, string>();
  const notes = new Map<string, string>();
  for (const r of records) {
    const o = opts.originOf?.(r);
    const key = `${r.config.task}|${seriesOf(r.config)}`;
    if (o?.search && o.budget) rules.set(key, o.budget);
    if (o?.search && o.source) notes.set(key, o.source);
  }
  const horizons: PresentedHorizon[] = memoryHorizons(records).map((h) => {
    const rule = rules.get(`${h.task}|${h.cell}`);
    const note = notes.get(`${h.task}|${h.cell}`);
    return {
      ...h,
      capped: horizonCapped(h),
      searched: rule !== undefined,
      ...(rule ? { budget: rule } : {}),
      ...(note ? { note } : {}),
    };
  });
  const order = sortCells(horizons.map((h) => h.cell));
  horizons.sort((a, b) =>
    taskOrder(a.task) - taskOrder(b.task) || order.indexOf(a.cell) - order.indexOf(b.cell)
  );
  const decay = decayRates(records);
  const symbols = records.find((r) => r.config.task === "copy")?.config.symbols ?? 10;
  const pairs: ThesisPair[] = [];
  for (const m of horizons) {
    const d = decay.find((x) => x.task === m.task && x.cell === m.cell);
    if (!d?.init) continue;
    const predicted = predictedHorizon(m.task, m.lengths, d.init.horizon, symbols);
    const verdict: Verdict = predicted === m.median
      ? "predicts"
      : m.median > predicted
      ? "under"
      : "over";
    const reached = d.trained && m.median > 0
      ? predictedHorizon(m.task, m.lengths, d.trained.horizon, symbols) >= m.median
      : null;
    pairs.push({
      task: m.task,
      cell: m.cell,
      memory: m,
      factorInit: d.init.factor,
      gradientInit: d.init.horizon,
      predicted,
      verdict,
      factorTrained: d.trained?.factor ?? null,
      gradientTrained: d.trained?.horizon ?? null,
      reachedAfterTraining: reached,
    });
  }
  const tasks = TASKS.filter((t) => horizons.some((h) => h.task === t));
  const copySources = new Set(decay.filter((d) => d.task === "copy").map((d) => d.source));
  return {
    records: all.length,
    seeds: Math.max(0, ...horizons.map((h) => h.seeds)),
    tasks,
    horizons,
    decay,
    pairs,
    headline: tasks.map((t) => headlineOf(t, records, horizons)),
    budgets: tasks.map((task) => ({ task, text: budgetOf(task, records, horizons) })),
    copySource: copySources.size === 0
      ? null
      : copySources.size > 1
      ? "mixed"
      : [...copySources][0],
    literature: literatureRows(all, opts.references ?? [], opts.originOf),
  };
}
