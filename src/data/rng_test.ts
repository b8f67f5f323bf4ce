import { assert, assertEquals, assertNotEquals, assertThrows } from "../testing/assert.ts";
import { rngFromSeed, splitmix64, STREAM_TEST, STREAM_TRAIN, Xoshiro128StarStar } from "./rng.ts";

Deno.test("splitmix64 reproduces the published test vector for seed 1234567", () => {
  let state = 1234567n;
  const out: bigint[] = [];
  for (let i = 0; i < 3; i++) {
    const r = splitmix64(state);
    out.push(r.value);
    state = r.state;
  }
  assertEquals(out, [6457827717110365317n, 3203168211198807973n, 9817491932198370423n]);
});

Deno.test("xoshiro128** from state 1,2,3,4 matches the reference C implementation", () => {
  const rng = new Xoshiro128StarStar(1, 2, 3, 4);
  const out = Array.from({ length: 6 }, () => rng.nextUint32());
  assertEquals(out, [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
});

Deno.test("seed 42 on the train stream gives pinned state and outputs", () => {
  const rng = rngFromSeed(42, STREAM_TRAIN);
  assertEquals(rng.state(), [2493728067, 4161349843, 4216836851, 1444140760]);
  const out = Array.from({ length: 5 }, () => rng.nextUint32());
  assertEquals(out, [3457584972, 3444717523, 3409321946, 3629444591, 3339747443]);
});

Deno.test("train and test sub-streams of one seed differ, and so do neighbouring seeds", () => {
  const draw = (seed: number, stream: number) => {
    const r = rngFromSeed(seed, stream);
    return Array.from({ length: 4 }, () => r.nextUint32());
  };
  assertNotEquals(draw(1, STREAM_TRAIN), draw(1, STREAM_TEST));
  assertNotEquals(draw(1, STREAM_TRAIN), draw(2, STREAM_TRAIN));
  assertEquals(draw(9, STREAM_TEST), draw(9, STREAM_TEST));
});

Deno.test("fillFloats makes the same draws as nextFloat, at the given stride", () => {
  const a = rngFromSeed(3, STREAM_TRAIN);
  const b = rngFromSeed(3, STREAM_TRAIN);
  const dst = new Float32Array(20);
  a.fillFloats(dst, 1, 10, 2);
  for (let i = 0; i < 10; i++) {
    assertEquals(dst[1 + 2 * i], b.nextFloat());
    assertEquals(dst[2 * i], 0);
  }
  assertEquals(a.nextUint32(), b.nextUint32());
});

Deno.test("nextFloat is in [0, 1) and exact in float32", () => {
  const rng = rngFromSeed(5, STREAM_TRAIN);
  for (let i = 0; i < 10000; i++) {
    const f = rng.nextFloat();
    assert(f >= 0 && f < 1);
    assertEquals(Math.fround(f), f);
  }
});

Deno.test("uniformInt stays in range and covers it", () => {
  const rng = rngFromSeed(6, STREAM_TRAIN);
  for (const n of [1, 2, 3, 7, 8, 1000]) {
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const k = rng.uniformInt(n);
      assert(Number.isInteger(k) && k >= 0 && k < n, `${k} not in [0, ${n})`);
      seen.add(k);
    }
    assertEquals(seen.size, n);
  }
  assertThrows(() => rng.uniformInt(0), RangeError);
  assertThrows(() => rng.uniformInt(2.5), RangeError);
});

Deno.test("uniformInt rejects the biased top of the range", () => {
  // n = 3·2^30: outputs ≥ 3·2^30 must be redrawn, so the result is never from u % n ≥ 2^30 alone.
  const n = 3 * 2 ** 30;
  const rng = rngFromSeed(11, STREAM_TRAIN);
  const copy = rngFromSeed(11, STREAM_TRAIN);
  for (let i = 0; i < 1000; i++) {
    let u = copy.nextUint32();
    while (u >= n) u = copy.nextUint32();
    assertEquals(rng.uniformInt(n), u);
  }
});

Deno.test("bad seeds and streams are refused", () => {
  assertThrows(() => rngFromSeed(-1, STREAM_TRAIN), RangeError);
  assertThrows(() => rngFromSeed(1.5, STREAM_TRAIN), RangeError);
  assertThrows(() => rngFromSeed(2 ** 53, STREAM_TRAIN), RangeError);
  assertThrows(() => rngFromSeed(1, 256), RangeError);
  assertThrows(() => new Xoshiro128StarStar(0, 0, 0, 0), RangeError);
});
