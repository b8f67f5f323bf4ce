/**
 * The copy-memory task (Arjovsky, Shah & Bengio 2016, "Unitary evolution recurrent neural
 * networks", §4.1; after Hochreiter & Schmidhuber 1997), with S symbols to copy (S = 10 there):
 *
 * - alphabet 0..9: 0 blank, 1..8 symbols, 9 delimiter;
 * - input, length T + 2S: S symbols uniform in 1..8, then T − 1 blanks, one delimiter, S blanks;
 * - target: T + S blanks, then the same S symbols.
 *
 * Draw order per sample (a peer must follow it): S draws of `1 + int(8)`, in order; nothing else
 * is random. Inputs are one-hot float32, targets int32 class indices.
 *
 * @module
 */
import type { Xoshiro128StarStar } from "./rng.ts";
import { COPY_ALPHABET, COPY_CLASSES, COPY_DELIMITER } from "./task_spec.ts";

/**
 * Draws one copy sample: writes the one-hot input into `x` at `xBase` (`(T+2S)·10` floats, zero
 * on entry) and the targets into `y` at `yBase` (`T+2S` ints, zero = blank on entry).
 */
export function copySample(
  rng: Xoshiro128StarStar,
  T: number,
  S: number,
  x: Float32Array,
  xBase: number,
  y: Int32Array,
  yBase: number,
): void {
  const L = T + 2 * S;
  for (let i = 0; i < S; i++) {
    const sym = 1 + rng.uniformInt(COPY_ALPHABET);
    x[xBase + i * COPY_CLASSES + sym] = 1;
    y[yBase + T + S + i] = sym;
  }
  // Blanks: every position not holding a symbol or the delimiter.
  for (let t = S; t < L; t++) x[xBase + t * COPY_CLASSES] = 1;
  const d = S + T - 1;
  x[xBase + d * COPY_CLASSES] = 0;
  x[xBase + d * COPY_CLASSES + COPY_DELIMITER] = 1;
}
