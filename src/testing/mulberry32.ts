/**
 * mulberry32: a small seeded U[0,1) generator for tests and synthetic data (not the project's
 * dataset RNG, which is `src/data/rng.ts`).
 *
 * @module
 */

/** A reproducible U[0,1) stream from `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
