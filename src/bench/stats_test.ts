import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { bootstrapRatio, median, quantile } from "./stats.ts";

Deno.test("median takes the middle value, or the mean of the middle two", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  assert(Number.isNaN(median([])));
});

Deno.test("quantile interpolates between order statistics", () => {
  assertEquals(quantile([1, 2, 3, 4, 5], 0), 1);
  assertEquals(quantile([1, 2, 3, 4, 5], 1), 5);
  assertEquals(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assertAlmostEquals(quantile([0, 10], 0.3), 3);
});

Deno.test("the bootstrap ratio is the ratio of pooled medians, inside its interval", () => {
  const a = [[10, 11, 9, 10.5], [12, 10, 11, 10]];
  const b = [[5, 5.5, 4.8, 5.1], [6, 5, 5.2, 5.3]];
  const r = bootstrapRatio(a, b);
  assertAlmostEquals(r.ratio, median(a.flat()) / median(b.flat()));
  assert(r.low <= r.ratio && r.ratio <= r.high, JSON.stringify(r));
  assert(r.low > 1.5 && r.high < 2.6, JSON.stringify(r));
});

Deno.test("the bootstrap is deterministic for a given seed", () => {
  const a = [[10, 14, 9, 13], [12, 8, 11, 15]];
  const b = [[5, 7, 4, 6], [6, 5, 8, 4]];
  assertEquals(bootstrapRatio(a, b, { seed: 7 }), bootstrapRatio(a, b, { seed: 7 }));
});

Deno.test("identical constant samples give a zero-width interval at 1", () => {
  const r = bootstrapRatio([[3, 3], [3]], [[3, 3, 3]]);
  assertEquals(r, { ratio: 1, low: 1, high: 1 });
});

Deno.test("a wider spread across repeats widens the interval", () => {
  const b = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];
  const tight = bootstrapRatio([[2, 2.1, 1.9], [2, 2.1, 1.9], [2, 2.1, 1.9]], b);
  const loose = bootstrapRatio([[1, 1.1, 0.9], [2, 2.1, 1.9], [3, 3.1, 2.9]], b);
  assert(loose.high - loose.low > 5 * (tight.high - tight.low));
});

Deno.test("an empty side is a RangeError", () => {
  assertThrows(() => bootstrapRatio([[]], [[1]]), RangeError);
});
