/**
 * The memory-horizon search, as numbers: instead of a fixed grid of lengths, a suite may ask, per
 * cell × task × seed, for the longest T the cell solves. A **chain** climbs a ladder of lengths
 * (an explicit list, or ×`factor` from `from` up to `to`), trains each rung with a step budget
 * from a rule the suite states (`perT`·T steps, at least `min`, at most `max`), ends at its first
 * failure, and then optionally bisects between the last solved and the first failed length
 * (`bisect` more rungs, each at the midpoint of the interval left).
 *
 * Each rung is an ordinary run (its config is an ordinary run config), so a chain's state is read
 * back from the records already stored: {@link nextLength} says which length comes next given
 * what is known, which is what makes a search resumable and mergeable. This module knows nothing
 * of configs; `suite.ts` turns lengths into runs.
 *
 * Suite file form, in an experiment (or at the top level):
 * ```json
 * "search": {
 *   "from": 50, "factor": 2, "to": 1600,
 *   "steps": { "perT": 20, "min": 4000, "max": 40000 },
 *   "bisect": 1
 * }
 * ```
 * or `"lengths": [50, 100, 200]` in place of `from`/`factor`/`to`.
 *
 * @example
 * ```ts
 * import { budgetSteps, ladder, nextLength } from "./search.ts";
 * const lengths = ladder({ from: 50, factor: 2, to: 400 }); // [50, 100, 200, 400]
 * budgetSteps({ perT: 20, min: 4000, max: 40000 }, 400); // 8000
 * // 50 and 100 solved, 200 failed, one bisection rung: 150 comes next.
 * const known = new Map([[50, true], [100, true], [200, false]]);
 * nextLength(lengths, 1, (T) => known.get(T)); // 150
 * ```
 *
 * @module
 */

/** The step budget of a rung: `perT`·T steps (rounded up), at least `min`, at most `max`. */
export interface BudgetRule {
  perT: number;
  min: number;
  max: number;
}

/** A validated search: the ladder, the budget rule, the bisection rungs. */
export interface SearchSpec {
  /** The ladder's lengths, increasing. */
  lengths: number[];
  steps: BudgetRule;
  /** Bisection rungs after the first failure (0: none). */
  bisect: number;
}

/** The most rungs a ladder may have. */
export const MAX_RUNGS = 64;

/**
 * The lengths ×`factor` from `from` while ≤ `to`, each rounded to a whole number; at most
 * {@link MAX_RUNGS} + 1 of them (a longer ladder is refused by {@link parseSearch}). A factor so
 * close to 1 that rounding repeats a length gives the repeat (also refused there).
 */
export function ladder(o: { from: number; factor: number; to: number }): number[] {
  const out: number[] = [];
  for (let k = 0; out.length <= MAX_RUNGS; k++) {
    const T = Math.round(o.from * o.factor ** k);
    if (T > o.to) break;
    out.push(T);
  }
  return out;
}

/** The step budget of a rung at length T under `rule`. */
export function budgetSteps(rule: BudgetRule, T: number): number {
  return Math.min(rule.max, Math.max(rule.min, Math.ceil(rule.perT * T)));
}

/** The rule in words, e.g. `20·T steps, at least 4000, at most 40000`. */
export function budgetRuleText(rule: BudgetRule): string {
  if (rule.perT === 0 || rule.min === rule.max) return `${rule.min} steps`;
  return `${rule.perT}·T steps, at least ${rule.min}, at most ${rule.max}`;
}

/**
 * The length a chain trains next, or null when it is finished. `solved(T)` is what is known of
 * a length: true (solved), false (trained, not solved), undefined (not trained yet).
 *
 * The ladder is climbed until its first unsolved rung; without one (the top rung solved) the
 * chain is finished and its horizon is a lower bound. After a failure with a solved rung below,
 * up to `bisect` midpoints (rounded down) of the interval between the last solved and the first
 * failed length are trained, each halving it; a chain that fails its first rung does not bisect.
 */
export function nextLength(
  lengths: number[],
  bisect: number,
  solved: (T: number) => boolean | undefined,
): number | null {
  let lo = 0, hi: number | null = null;
  for (const T of lengths) {
    const s = solved(T);
    if (s === undefined) return T;
    if (!s) {
      hi = T;
      break;
    }
    lo = T;
  }
  if (hi === null || lo === 0) return null;
  for (let i = 0; i < bisect; i++) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid <= lo || mid >= hi) return null;
    const s = solved(mid);
    if (s === undefined) return mid;
    if (s) lo = mid;
    else hi = mid;
  }
  return null;
}

/**
 * What a chain has found so far: the longest length solved (0: none), whether that is a lower
 * bound (`capped`: no longer length failed — the top rung was solved, or the chain is unfinished),
 * and the first failed length above it (null: none).
 */
export function chainHorizon(
  trained: { T: number; solved: boolean }[],
): { horizon: number; capped: boolean; failedAbove: number | null } {
  const horizon = Math.max(0, ...trained.filter((r) => r.solved).map((r) => r.T));
  const above = trained.filter((r) => !r.solved && r.T > horizon).map((r) => r.T);
  const failedAbove = above.length ? Math.min(...above) : null;
  return { horizon, capped: horizon > 0 && failedAbove === null, failedAbove };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isPosInt = (v: unknown, min = 1): v is number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= min;

/**
 * Validates a suite file's `search` object; `fail(field, what)` throws (the suite's error naming
 * the file). `field` is the prefix of the field names in messages, e.g. `experiments[0].search`.
 */
export function parseSearch(
  v: unknown,
  field: string,
  fail: (field: string, what: string) => never,
): SearchSpec {
  if (!isObj(v)) fail(field, "must be an object");
  const o = v as Obj;
  const known = ["lengths", "from", "factor", "to", "steps", "bisect", "$comment"];
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) {
      fail(`${field}.${k}`, `is not a search field (known: ${known.slice(0, -1).join(", ")})`);
    }
  }
  let lengths: number[];
  if (o.lengths !== undefined) {
    if (o.from !== undefined || o.factor !== undefined || o.to !== undefined) {
      fail(field, "states either 'lengths' or 'from', 'factor' and 'to', not both");
    }
    const l = o.lengths;
    if (
      !Array.isArray(l) || l.length === 0 || l.length > MAX_RUNGS ||
      !l.every((x) => isPosInt(x)) || !l.every((x, i) => i === 0 || x > l[i - 1])
    ) {
      fail(
        `${field}.lengths`,
        `must be an increasing list of 1 to ${MAX_RUNGS} whole numbers ≥ 1`,
      );
    }
    lengths = l as number[];
  } else {
    if (!isPosInt(o.from)) fail(`${field}.from`, "must be a whole number ≥ 1 (the first length)");
    if (typeof o.factor !== "number" || !(o.factor > 1) || !Number.isFinite(o.factor)) {
      fail(`${field}.factor`, "must be a number > 1 (each rung's length over the last)");
    }
    if (!isPosInt(o.to) || (o.to as number) < (o.from as number)) {
      fail(`${field}.to`, "must be a whole number ≥ 'from' (the longest length)");
    }
    lengths = ladder({ from: o.from as number, factor: o.factor as number, to: o.to as number });
    if (lengths.some((T, i) => i > 0 && T <= lengths[i - 1])) {
      fail(`${field}.factor`, "gives repeated lengths after rounding; use a larger factor");
    }
    if (lengths.length > MAX_RUNGS) {
      fail(field, `gives more than ${MAX_RUNGS} rungs; use a larger factor or a smaller 'to'`);
    }
  }
  const st = o.steps;
  if (
    !isObj(st) || Object.keys(st).some((k) => !["perT", "min", "max"].includes(k)) ||
    typeof st.perT !== "number" || !(st.perT > 0) || !Number.isFinite(st.perT) ||
    !isPosInt(st.min) || !isPosInt(st.max) || (st.max as number) < (st.min as number)
  ) {
    fail(
      `${field}.steps`,
      'must be { "perT": K, "min": A, "max": B }: K·T steps per rung (K > 0), at least A, at most B (whole numbers, A ≤ B)',
    );
  }
  const s = st as Obj;
  let bisect = 0;
  if (o.bisect !== undefined) {
    if (!isPosInt(o.bisect, 0) || (o.bisect as number) > 16) {
      fail(`${field}.bisect`, "must be a whole number from 0 to 16");
    }
    bisect = o.bisect as number;
  }
  return {
    lengths,
    steps: { perT: s.perT as number, min: s.min as number, max: s.max as number },
    bisect,
  };
}
