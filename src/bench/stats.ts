/**
 * The statistics of the bench: medians and a bootstrap confidence interval of a ratio of
 * medians. `deno bench --json` reports one process's spread only, so the bench repeats whole
 * processes; the bootstrap here resamples at both levels (which repeat, then which samples
 * within it), so the interval carries the spread across processes as well as within one.
 * Deterministic: the resampler is the project's seeded xoshiro128** generator.
 *
 * @module
 */
import { rngFromSeed } from "../data/rng.ts";

/** The median of `xs` (mean of the middle two for an even count); NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The `q`-quantile of `xs` (0 ≤ q ≤ 1), linear between order statistics; NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = Math.min(Math.max(q, 0), 1) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** A ratio with its confidence interval. */
export interface RatioEstimate {
  /** median(a) / median(b) over all samples pooled. */
  ratio: number;
  low: number;
  high: number;
}

/** Options of {@link bootstrapRatio}. */
export interface BootstrapOptions {
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed of the resampler (default 1): same inputs and seed → same interval. */
  seed?: number;
}

/**
 * The ratio of medians `median(a) / median(b)` with a percentile bootstrap interval. `a` and `b`
 * are samples grouped by repeat (one inner array per process run); each resample draws repeats
 * with replacement, then samples with replacement within each drawn repeat.
 *
 * @example
 * ```ts
 * const r = bootstrapRatio([[10, 11], [12, 10]], [[5, 5.5], [6, 5]]);
 * // r.ratio === 2, r.low ≤ 2 ≤ r.high
 * ```
 */
export function bootstrapRatio(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  opts: BootstrapOptions = {},
): RatioEstimate {
  const ga = a.filter((r) => r.length > 0);
  const gb = b.filter((r) => r.length > 0);
  if (ga.length === 0 || gb.length === 0) {
    throw new RangeError("bootstrapRatio needs at least one sample on each side");
  }
  const ratio = median(ga.flat()) / median(gb.flat());
  const n = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const rng = rngFromSeed(opts.seed ?? 1, 0);
  const draws: number[] = [];
  for (let i = 0; i < n; i++) {
    draws.push(median(resample(ga, rng)) / median(resample(gb, rng)));
  }
  const tail = (1 - level) / 2;
  return { ratio, low: quantile(draws, tail), high: quantile(draws, 1 - tail) };
}

function resample(
  groups: readonly (readonly number[])[],
  rng: { uniformInt(n: number): number },
): number[] {
  const out: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    const group = groups[rng.uniformInt(groups.length)];
    for (let i = 0; i < group.length; i++) out.push(group[rng.uniformInt(group.length)]);
  }
  return out;
}
