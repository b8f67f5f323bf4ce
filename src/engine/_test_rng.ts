/**
 * A small seeded U[0,1) generator for tests only (mulberry32).
 *
 * @module
 */
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

/** An adding-problem batch [B, T, 2] and targets [B] from `uniform`. */
export function addingBatch(
  uniform: () => number,
  B: number,
  T: number,
): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(B * T * 2), y = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    const i = Math.floor(uniform() * T);
    let j = Math.floor(uniform() * (T - 1));
    if (j >= i) j++;
    for (let t = 0; t < T; t++) {
      const v = uniform();
      x[(b * T + t) * 2] = v;
      if (t === i || t === j) {
        x[(b * T + t) * 2 + 1] = 1;
        y[b] += v;
      }
    }
  }
  return { x, y };
}
