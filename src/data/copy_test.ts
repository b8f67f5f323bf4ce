import { assert, assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import { generateBatch } from "./generate.ts";
import { rngFromSeed, STREAM_TRAIN } from "./rng.ts";
import { baselineLoss, COPY_BLANK, COPY_DELIMITER } from "./task_spec.ts";

/** The class index of each input step (checking that each step is exactly one-hot). */
function inputClasses(x: Float32Array, L: number, b: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < L; t++) {
    const row = x.subarray((b * L + t) * 10, (b * L + t + 1) * 10);
    const hot = [...row.keys()].filter((k) => row[k] === 1);
    assertEquals(hot.length, 1, `step ${t} is not one-hot`);
    assertEquals(row.reduce((a, v) => a + v, 0), 1);
    out.push(hot[0]);
  }
  return out;
}

Deno.test("copy has the exact layout of Arjovsky et al. 2016", () => {
  for (const [T, S] of [[1, 10], [5, 10], [30, 10], [7, 3], [4, 1]]) {
    const L = T + 2 * S;
    const b = generateBatch({ task: "copy", T, symbols: S }, rngFromSeed(T, STREAM_TRAIN), 50);
    assertEquals([b.steps, b.inputSize, b.x.length, b.y.length], [L, 10, 50 * L * 10, 50 * L]);
    assert(b.y instanceof Int32Array);
    for (let i = 0; i < 50; i++) {
      const input = inputClasses(b.x, L, i);
      const symbols = input.slice(0, S);
      assert(symbols.every((s) => s >= 1 && s <= 8), `symbols ${symbols}`);
      const blanks = (n: number) => new Array(n).fill(COPY_BLANK);
      assertEquals(input, [...symbols, ...blanks(T - 1), COPY_DELIMITER, ...blanks(S)]);
      assertEquals([...b.y.subarray(i * L, (i + 1) * L)], [...blanks(T + S), ...symbols]);
    }
  }
});

Deno.test("copy symbols are uniform over 1..8", () => {
  const N = 100_000, T = 1, S = 10, L = T + 2 * S;
  const b = generateBatch({ task: "copy", T }, rngFromSeed(8, STREAM_TRAIN), N);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < N; i++) {
    for (let k = T + S; k < L; k++) counts[b.y[i * L + k]]++;
  }
  assertEquals(counts[0] + counts[9], 0);
  // 10^6 draws: each class 1/8 ± 5σ (σ ≈ 0.00033).
  for (let c = 1; c <= 8; c++) assertAlmostEquals(counts[c] / (N * S), 1 / 8, 0.0017);
  // Chi-square with 7 degrees of freedom: 99.9th percentile is 24.3.
  const e = (N * S) / 8;
  const chi2 = counts.slice(1, 9).reduce((a, c) => a + (c - e) ** 2 / e, 0);
  assert(chi2 < 24.3, `chi-square ${chi2} too large for uniform symbols`);
});

Deno.test("the memoryless predictor's cross-entropy equals the baseline formula", () => {
  // Predict blank with certainty for the first T + S steps and 1/8 on each symbol after: its
  // mean cross-entropy on any sample is S·ln 8 / (T + 2S).
  const T = 40, S = 10, L = T + 2 * S;
  const b = generateBatch({ task: "copy", T }, rngFromSeed(9, STREAM_TRAIN), 200);
  let total = 0;
  for (let i = 0; i < b.batch; i++) {
    for (let t = 0; t < L; t++) {
      const cls = b.y[i * L + t];
      const p = t < T + S ? (cls === COPY_BLANK ? 1 : 0) : (cls >= 1 && cls <= 8 ? 1 / 8 : 0);
      total += -Math.log(p);
    }
  }
  assertAlmostEquals(total / (b.batch * L), baselineLoss({ task: "copy", T }), 1e-12);
});
