import { assert, assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import { generateBatch } from "./generate.ts";
import { rngFromSeed, STREAM_TRAIN } from "./rng.ts";

const N = 100_000;

function markers(x: Float32Array, T: number, b: number): number[] {
  const pos: number[] = [];
  for (let t = 0; t < T; t++) {
    const m = x[(b * T + t) * 2 + 1];
    assert(m === 0 || m === 1, `marker ${m} is not 0 or 1`);
    if (m === 1) pos.push(t);
  }
  return pos;
}

Deno.test("adding (arjovsky): 10^5 targets have mean ≈ 1 and variance ≈ 1/6", () => {
  const T = 11; // odd: the halves are [0, 5) and [5, 11)
  const b = generateBatch({ task: "adding", T }, rngFromSeed(1, STREAM_TRAIN), N);
  assertEquals([b.batch, b.steps, b.inputSize, b.x.length, b.y.length], [N, T, 2, N * T * 2, N]);
  let sum = 0, sq = 0;
  const firstCounts = new Array(T).fill(0), secondCounts = new Array(T).fill(0);
  for (let i = 0; i < N; i++) {
    const [p, q, ...rest] = markers(b.x, T, i);
    assertEquals(rest.length, 0, "exactly two markers");
    assert(p < 5 && q >= 5 && q < T, `markers ${p}, ${q} not one per half`);
    firstCounts[p]++;
    secondCounts[q]++;
    const y = b.y[i];
    assertEquals(y, Math.fround(b.x[(i * T + p) * 2] + b.x[(i * T + q) * 2]));
    sum += y;
    sq += y * y;
  }
  const mean = sum / N, variance = sq / N - mean * mean;
  // Standard errors: mean 0.0013, variance ≈ 0.0006; tolerances are ~5σ.
  assertAlmostEquals(mean, 1, 0.007);
  assertAlmostEquals(variance, 1 / 6, 0.004);
  // Baseline "always predict 1": MSE = E[(y − 1)²] ≈ 1/6.
  assertAlmostEquals(sq / N - 2 * mean + 1, 1 / 6, 0.004);
  // Positions uniform in their half: each of 5 (6) slots gets 1/5 (1/6) of samples, ±5σ.
  for (let t = 0; t < 5; t++) assertAlmostEquals(firstCounts[t] / N, 1 / 5, 0.0065);
  for (let t = 5; t < T; t++) assertAlmostEquals(secondCounts[t] / N, 1 / 6, 0.006);
});

Deno.test("adding values are uniform in [0, 1) and never marked elsewhere", () => {
  const T = 50;
  const b = generateBatch({ task: "adding", T }, rngFromSeed(2, STREAM_TRAIN), 2000);
  let sum = 0, min = 1, max = 0;
  for (let i = 0; i < b.batch * T; i++) {
    const v = b.x[2 * i];
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assertAlmostEquals(sum / (b.batch * T), 0.5, 0.005);
  assert(min >= 0 && min < 0.001 && max < 1 && max > 0.999);
});

Deno.test("adding (tcn): two distinct markers anywhere, targets still mean 1, variance 1/6", () => {
  const T = 10;
  const b = generateBatch(
    { task: "adding", T, variant: "tcn" },
    rngFromSeed(3, STREAM_TRAIN),
    N,
  );
  const counts = new Array(T).fill(0);
  let bothInFirstHalf = 0, sum = 0, sq = 0;
  for (let i = 0; i < N; i++) {
    const pos = markers(b.x, T, i);
    assertEquals(pos.length, 2, "two distinct markers");
    for (const p of pos) counts[p]++;
    if (pos[1] < T / 2) bothInFirstHalf++;
    sum += b.y[i];
    sq += b.y[i] * b.y[i];
  }
  const mean = sum / N;
  assertAlmostEquals(mean, 1, 0.007);
  assertAlmostEquals(sq / N - mean * mean, 1 / 6, 0.004);
  // Each position holds a marker with probability 2/T.
  for (const c of counts) assertAlmostEquals(c / N, 2 / T, 0.007);
  // P(both in the first half) = C(5,2)/C(10,2) = 10/45, impossible in the arjovsky variant.
  assertAlmostEquals(bothInFirstHalf / N, 10 / 45, 0.007);
});

Deno.test("adding works at the smallest length, T = 2", () => {
  const b = generateBatch({ task: "adding", T: 2 }, rngFromSeed(4, STREAM_TRAIN), 100);
  for (let i = 0; i < 100; i++) assertEquals(markers(b.x, 2, i), [0, 1]);
});
