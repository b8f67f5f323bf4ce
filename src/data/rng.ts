/**
 * The project's own seeded PRNG: **xoshiro128\*\*** 1.1 (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 2021; reference C at https://prng.di.unimi.it/),
 * seeded through **splitmix64** (Steele, Lea & Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014).
 *
 * Why our own: the datasets must be the same bytes on every machine and reproducible by a Python
 * peer, independent of the tensor backend and of `Math.random`. xoshiro128\*\* needs only 32-bit
 * integer math (`Math.imul`, shifts), so JavaScript runs it exactly and fast.
 *
 * Seeding and sub-streams (the scheme a peer must follow):
 * 1. `x = seed XOR (stream << 56)` as an unsigned 64-bit integer (`0 ≤ seed < 2^53`,
 *    `0 ≤ stream < 256`), so distinct (seed, stream) pairs give distinct splitmix64 states.
 * 2. Two splitmix64 outputs `z0`, `z1` give the state `s = [lo(z0), hi(z0), lo(z1), hi(z1)]`.
 * 3. {@link STREAM_TRAIN} (1) feeds training batches and `train_*.npy`; {@link STREAM_TEST} (2)
 *    feeds the test set. Different splitmix64 outputs make overlapping xoshiro windows
 *    astronomically unlikely (period 2^128 − 1).
 *
 * Derived draws:
 * - unit float: `(u >>> 8) · 2^-24` from one 32-bit output `u`, in [0, 1) and exact in float32;
 * - integer in [0, n): rejection sampling, redraw while `u ≥ 2^32 − (2^32 mod n)`, then `u mod n`
 *   (unbiased; for a power of two it never redraws).
 *
 * @module
 */

/** Sub-stream of training batches and `train_*.npy`. */
export const STREAM_TRAIN = 1;
/** Sub-stream of the test set and `test_*.npy`. */
export const STREAM_TEST = 2;

const MASK64 = (1n << 64n) - 1n;

/**
 * One step of splitmix64: returns the next 64-bit output and the advanced state.
 * BigInt is fine here: it runs twice per generator, never in a hot loop.
 */
export function splitmix64(state: bigint): { value: bigint; state: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { value: z ^ (z >> 31n), state: next };
}

/** xoshiro128\*\* 1.1: 128-bit state, 32-bit outputs. */
export class Xoshiro128StarStar {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** From four 32-bit state words (not all zero). Prefer {@link rngFromSeed}. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) {
      throw new RangeError("xoshiro128**: the all-zero state is not allowed");
    }
    this.#s0 = s0 | 0;
    this.#s1 = s1 | 0;
    this.#s2 = s2 | 0;
    this.#s3 = s3 | 0;
  }

  /** The state words as unsigned integers (for tests and peers). */
  state(): [number, number, number, number] {
    return [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0];
  }

  /** Next output as an unsigned 32-bit integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const r = Math.imul(s1, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 = s1 ^ this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = (this.#s3 << 11) | (this.#s3 >>> 21);
    return result >>> 0;
  }

  /** A float in [0, 1) from the 24 high bits: exact in float32. */
  nextFloat(): number {
    return (this.nextUint32() >>> 8) * 2 ** -24;
  }

  /** An unbiased integer in [0, n), for 1 ≤ n ≤ 2^32 (rejection sampling, see module docs). */
  uniformInt(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= 2 ** 32)) {
      throw new RangeError(`uniformInt: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return u % n;
  }

  /**
   * Writes `count` unit floats (as {@link nextFloat}) to `dst[start]`, `dst[start + stride]`, …
   * The same draws as `count` calls of `nextFloat`, with the state in locals: the hot loop of
   * the adding problem.
   */
  fillFloats(dst: Float32Array, start: number, count: number, stride = 1): void {
    let s0 = this.#s0, s1 = this.#s1, s2 = this.#s2, s3 = this.#s3;
    let j = start;
    for (let i = 0; i < count; i++, j += stride) {
      const r = Math.imul(s1, 5);
      const u = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      dst[j] = (u >>> 8) * 5.9604644775390625e-8; // 2^-24
    }
    this.#s0 = s0;
    this.#s1 = s1;
    this.#s2 = s2;
    this.#s3 = s3;
  }
}

/**
 * The generator for `(seed, stream)`, following the scheme in the module docs.
 *
 * @example
 * ```ts
 * import { rngFromSeed, STREAM_TRAIN } from "./rng.ts";
 * const rng = rngFromSeed(42, STREAM_TRAIN);
 * rng.nextFloat(); // same value on every machine
 * ```
 */
export function rngFromSeed(seed: number, stream: number): Xoshiro128StarStar {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a whole number in [0, 2^53), got ${seed}`);
  }
  if (!Number.isInteger(stream) || stream < 0 || stream > 255) {
    throw new RangeError(`stream must be a whole number in [0, 255], got ${stream}`);
  }
  const a = splitmix64(BigInt(seed) ^ (BigInt(stream) << 56n));
  const b = splitmix64(a.state);
  const lo = (z: bigint) => Number(z & 0xffffffffn);
  const hi = (z: bigint) => Number(z >> 32n);
  // splitmix64 outputs two zero words only with negligible probability, but the state must not be
  // all zero; the constructor rejects it rather than silently patching it.
  return new Xoshiro128StarStar(lo(a.value), hi(a.value), lo(b.value), hi(b.value));
}
