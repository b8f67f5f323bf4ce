/**
 * The report's headline numbers, computed from the records (pure):
 *
 * - steps-to-solve of a run: the record's `metrics.steps_to_solve`, or for records written before
 *   that field existed the same rule applied to its curve (`results/solved.ts`);
 * - memory horizon: per task and cell series, each seed's longest T solved, then the median over
 *   seeds with the min–max spread (0 = that seed solved no length). A seed's horizon is a lower
 *   bound ("≥ T", `capped`) when no longer length was tested for it: the grid's (or the search
 *   ladder's) longest length was solved, or its search is unfinished. Beside it, the step budget
 *   the runs had, in words (`budget`);
 * - decay rate: per task and series, the per-step factor of ‖dL/dh_t‖ — 10^slope of the
 *   least-squares line of log10(‖dL/dh_t‖ / ‖dL/dh_{len−1}‖) against the distance len−1−t —
 *   at initialisation and after training (median over runs), and the gradient horizon: the
 *   distance at which that line falls below 10^-6.
 *
 * On copy memory a probe's `recall_norms` (the gradient of the recall loss alone, the last S
 * positions) are used when present, the whole-loss `norms` otherwise; which one is reported.
 *
 * @module
 */
import type { ProbeRecord, ResultRecord } from "../results/schema.ts";
import { recordStepsToSolve } from "../results/solved.ts";
import { groupBy, median, seriesOf } from "./charts/_common.ts";

/** The ratio below which a gradient counts as gone: 10^-6 of the last step's. */
export const HORIZON_RATIO = 1e-6;

/** A run's steps-to-solve: recorded, else recomputed from its curve (null: never solved). */
export function stepsToSolve(r: ResultRecord): number | null {
  return recordStepsToSolve(r);
}

/** Which gradient a probe's norms measure. */
export type NormSource = "recall" | "whole";

/**
 * The per-step norms of a probe to use: layer `fromTop` (0 = the top layer) of `layer_norms`
 * below the top; at the top on copy the recall loss's norms when recorded, else `norms`.
 */
export function probeNorms(
  r: ResultRecord,
  p: ProbeRecord,
  fromTop = 0,
): { norms: (number | null)[]; source: NormSource } | null {
  if (fromTop > 0) {
    const layers = p.layer_norms;
    if (!layers || fromTop >= layers.length) return null;
    return { norms: layers[layers.length - 1 - fromTop], source: "whole" };
  }
  if (r.config.task === "copy" && p.recall_norms && p.recall_norms.length > 0) {
    return { norms: p.recall_norms, source: "recall" };
  }
  return { norms: p.norms, source: "whole" };
}

/** Least-squares slope of log10(norm ratio to the last step) against distance; null: < 2 points. */
export function decaySlope(norms: (number | null)[]): number | null {
  const len = norms.length;
  const last = norms[len - 1];
  if (len < 2 || typeof last !== "number" || !(last > 0) || !Number.isFinite(last)) return null;
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let d = 0; d < len; d++) {
    const v = norms[len - 1 - d];
    const ratio = typeof v === "number" ? v / last : NaN;
    // 0 (underflow) and non-numbers cannot sit on a log scale: left out of the fit.
    if (!(ratio > 0) || !Number.isFinite(ratio)) continue;
    const y = Math.log10(ratio);
    n++;
    sx += d;
    sy += y;
    sxx += d * d;
    sxy += d * y;
  }
  const den = n * sxx - sx * sx;
  if (n < 2 || den === 0) return null;
  return (n * sxy - sx * sy) / den;
}

/** Distance at which a line of this slope falls below {@link HORIZON_RATIO}; ∞ without decay. */
export function gradientHorizon(slope: number): number {
  return slope < 0 ? Math.log10(HORIZON_RATIO) / slope : Infinity;
}

/** The memory horizon of one (task, series). */
export interface MemoryHorizon {
  task: "adding" | "copy";
  cell: string;
  /**
   * Median over seeds of each seed's longest T solved (0: the median seed solved none). With an
   * even number of seeds, the lower median: a length is only a horizon if half the seeds reached
   * it (the mean of 0 and 20 would be a length no run was trained on).
   */
  median: number;
  min: number;
  max: number;
  seeds: number;
  /** The lengths tested. */
  lengths: number[];
  // The fields below are always set by memoryHorizons (optional for horizons built elsewhere).
  /**
   * The median is a lower bound: seeds whose longest tested length was solved may reach
   * farther, and too few of the others lie at or below it for it to be known exactly.
   */
  capped?: boolean;
  /** The smallest seed's horizon is a lower bound (every seed at it solved its longest length). */
  minCapped?: boolean;
  /** The largest is a lower bound (some seed solved its longest length). */
  maxCapped?: boolean;
  /** The step budget of the runs, in words (see {@link budgetText}). */
  budget?: string;
}

/** The lower median: the ⌈n/2⌉-th smallest value. */
function lowerMedian(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
}

/** Memory horizons of every (task, series) in the records. */
export function memoryHorizons(records: ResultRecord[]): MemoryHorizon[] {
  const out: MemoryHorizon[] = [];
  for (const rs of groupBy(records, (r) => `${r.config.task}|${seriesOf(r.config)}`).values()) {
    const bySeed = groupBy(rs, (r) => String(r.config.seed));
    const seeds = [...bySeed.values()].map((seedRuns) => {
      const value = Math.max(
        0,
        ...seedRuns.filter((r) => stepsToSolve(r) !== null).map((r) => r.config.T),
      );
      const top = Math.max(...seedRuns.map((r) => r.config.T));
      return { value, capped: value > 0 && value === top };
    });
    const longest = seeds.map((x) => x.value);
    const median = lowerMedian(longest);
    const min = Math.min(...longest);
    // The median is known exactly when at least ⌈n/2⌉ seeds are known to lie at or below it.
    const exactBelow = seeds.filter((x) => !x.capped && x.value <= median).length;
    out.push({
      task: rs[0].config.task,
      cell: seriesOf(rs[0].config),
      median,
      min,
      max: Math.max(...longest),
      seeds: longest.length,
      lengths: [...new Set(rs.map((r) => r.config.T))].sort((a, b) => a - b),
      capped: exactBelow < ((longest.length - 1) >> 1) + 1,
      minCapped: !seeds.some((x) => !x.capped && x.value === min),
      maxCapped: seeds.some((x) => x.capped),
      budget: budgetText(rs.map((r) => ({ T: r.config.T, steps: r.config.steps }))),
    });
  }
  return out;
}

/**
 * The step budget of runs, in words, from their (T, steps): `4000 steps` when one budget; a
 * length rule when one reproduces every run's steps exactly — `20·T steps, at least 4000, at most
 * 32000` (K·T rounded up, clamped; the floor and the cap named only where a run was clamped to
 * them, as a memory-horizon search's budget rule gives); else the budgets by length,
 * `4000 steps at T = 25, 50, 100; 5000 at T = 200`.
 */
export function budgetText(runs: { T: number; steps: number }[]): string {
  const steps = [...new Set(runs.map((r) => r.steps))].sort((a, b) => a - b);
  if (steps.length === 1) return `${steps[0]} steps`;
  const lo = steps[0], hi = steps.at(-1)!;
  const pairs = [...new Set(runs.map((r) => `${r.T}:${r.steps}`))]
    .map((p) => p.split(":").map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [T, s] of pairs) {
    if (s === lo || s === hi) continue;
    const k = s / T;
    const rule = (t: number) => Math.min(hi, Math.max(lo, Math.ceil(k * t)));
    if (!pairs.every(([t, x]) => rule(t) === x)) continue;
    const floor = pairs.some(([t, x]) => x === lo && Math.ceil(k * t) < lo);
    const cap = pairs.some(([t, x]) => x === hi && Math.ceil(k * t) > hi);
    return `${+k.toPrecision(6)}·T steps${floor ? `, at least ${lo}` : ""}${
      cap ? `, at most ${hi}` : ""
    }`;
  }
  return steps.map((s, i) => {
    const Ts = pairs.filter(([, x]) => x === s).map(([t]) => t);
    return `${s}${i === 0 ? " steps" : ""} at T = ${Ts.join(", ")}`;
  }).join("; ");
}

/**
 * The step budget of a task's runs in words ({@link budgetText}): one text for the whole task
 * where one describes every run of it (as a search's budget rule does, or a grid's budgets by
 * length shared by every cell), else each series' own, `lstm 4000 steps; gru 2000 steps`.
 */
export function taskBudget(
  records: ResultRecord[],
  horizons: MemoryHorizon[],
  task: string,
): string {
  const all = budgetText(
    records.filter((r) => r.config.task === task).map((r) => ({
      T: r.config.T,
      steps: r.config.steps,
    })),
  );
  const hs = horizons.filter((h) => h.task === task);
  if (new Set(hs.map((h) => h.budget)).size <= 1 || !all.includes(" at T = ")) return all;
  return hs.map((h) => `${h.cell} ${h.budget}`).join("; ");
}

/** The decay rate of one (task, series) at a checkpoint. */
export interface DecayRate {
  /** Per-step factor of the gradient norm (median over runs). */
  factor: number;
  /** Steps until the fitted ratio falls below {@link HORIZON_RATIO}; Infinity: no decay. */
  horizon: number;
  runs: number;
}

/** Decay rates of one (task, series) at initialisation and after training. */
export interface DecayRates {
  task: "adding" | "copy";
  cell: string;
  init: DecayRate | null;
  trained: DecayRate | null;
  /** Which gradient the copy rates come from (adding is always the whole loss). */
  source: NormSource | "mixed";
}

function rate(slopes: number[]): DecayRate | null {
  if (slopes.length === 0) return null;
  const s = median(slopes);
  return { factor: Math.pow(10, s), horizon: gradientHorizon(s), runs: slopes.length };
}

/** Decay rates of every (task, series) with probes. */
export function decayRates(records: ResultRecord[]): DecayRates[] {
  const out: DecayRates[] = [];
  for (const rs of groupBy(records, (r) => `${r.config.task}|${seriesOf(r.config)}`).values()) {
    const init: number[] = [], trained: number[] = [];
    const sources = new Set<NormSource>();
    for (const r of rs) {
      const first = r.probes.find((p) => p.step === 0);
      const last = r.probes.at(-1);
      const pick = (p: ProbeRecord | undefined, into: number[]) => {
        const n = p ? probeNorms(r, p) : null;
        const s = n ? decaySlope(n.norms) : null;
        if (n && s !== null) {
          into.push(s);
          sources.add(n.source);
        }
      };
      pick(first, init);
      if (r.status === "ok" && last && last.step > 0) pick(last, trained);
    }
    if (init.length === 0 && trained.length === 0) continue;
    out.push({
      task: rs[0].config.task,
      cell: seriesOf(rs[0].config),
      init: rate(init),
      trained: rate(trained),
      source: sources.size > 1 ? "mixed" : [...sources][0] ?? "whole",
    });
  }
  return out;
}

/** The distance a task needs bridged at length T: T for adding, T + S for copy. */
export function neededDistance(task: "adding" | "copy", T: number, symbols = 10): number {
  return task === "adding" ? T : T + symbols;
}

/**
 * The memory horizon a gradient horizon predicts: the longest tested T whose needed distance
 * the gradient horizon covers (0: none).
 */
export function predictedHorizon(
  task: "adding" | "copy",
  lengths: number[],
  horizon: number,
  symbols = 10,
): number {
  return Math.max(0, ...lengths.filter((T) => neededDistance(task, T, symbols) <= horizon));
}
