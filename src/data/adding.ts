/**
 * The adding problem (Hochreiter & Schmidhuber 1997, "Long short-term memory", experiment 4),
 * in the form of Arjovsky, Shah & Bengio 2016 ("Unitary evolution recurrent neural networks",
 * §4.2) and Li et al. 2018 (IndRNN, §4.1):
 *
 * - input `[T, 2]`: channel 0 holds values ~ U[0, 1); channel 1 holds markers, exactly two 1s;
 * - `arjovsky` variant: the first marker uniform in [0, ⌊T/2⌋), the second in [⌊T/2⌋, T);
 * - `tcn` variant (locuslab/TCN `adding_problem/utils.py`: `np.random.choice(T, 2,
 *   replace=False)`): two distinct positions anywhere;
 * - target: the sum of the two marked values.
 *
 * Draw order per sample (a peer must follow it): T unit floats for the values, then the first
 * marker position, then the second. For `arjovsky`: `p = int(⌊T/2⌋)`, `q = ⌊T/2⌋ + int(T − ⌊T/2⌋)`.
 * For `tcn`: `p = int(T)`, `q = int(T − 1)`, `q += 1` if `q ≥ p` (a uniform distinct pair).
 * The target is the float64 sum of the two float32 values (exact), rounded once to float32.
 *
 * @module
 */
import type { AddingVariant } from "./task_spec.ts";
import type { Xoshiro128StarStar } from "./rng.ts";

/**
 * Draws one adding sample into `x` at sample offset `base` (T·2 floats, must be zero on entry)
 * and returns its target.
 */
export function addingSample(
  rng: Xoshiro128StarStar,
  T: number,
  variant: AddingVariant,
  x: Float32Array,
  base: number,
): number {
  rng.fillFloats(x, base, T, 2);
  let p: number, q: number;
  if (variant === "arjovsky") {
    const half = Math.floor(T / 2);
    p = rng.uniformInt(half);
    q = half + rng.uniformInt(T - half);
  } else {
    p = rng.uniformInt(T);
    q = rng.uniformInt(T - 1);
    if (q >= p) q += 1;
  }
  x[base + 2 * p + 1] = 1;
  x[base + 2 * q + 1] = 1;
  return Math.fround(x[base + 2 * p] + x[base + 2 * q]);
}
