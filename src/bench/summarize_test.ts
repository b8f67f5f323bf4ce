import { assert, assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import type { Measurement } from "./measurement.ts";
import { OURS, summarize } from "./summarize.ts";

function m(contender: string, repeat: number, samples: number[], extra: Partial<Measurement> = {}) {
  return {
    contender,
    what: "train_step",
    name: "lstm T=50",
    cell: "lstm",
    T: 50,
    B: 64,
    H: 128,
    backend: contender === OURS ? "tensorflow" : "cpu",
    repeat,
    samples,
    ms_min: Math.min(...samples),
    ms_max: Math.max(...samples),
    ...extra,
  } satisfies Measurement;
}

Deno.test("repeats pool into one entry: median of all samples, min–max, per-repeat medians", () => {
  const { entries } = summarize([m(OURS, 1, [10, 12, 11]), m(OURS, 2, [20, 22, 21])]);
  assertEquals(entries.length, 1);
  const e = entries[0];
  assertEquals(e.ms, 16);
  assertEquals([e.ms_min, e.ms_max], [10, 22]);
  assertEquals(e.ms_repeats, [11, 21]);
  assertEquals(e.n, 6);
});

Deno.test("ratios compare ours with every peer and mark the fastest", () => {
  const { ratios } = summarize([
    m(OURS, 1, [20, 20]),
    m("torch", 1, [10, 10]),
    m("keras", 1, [40, 40]),
    m(OURS, 2, [20, 20]),
    m("torch", 2, [10, 10]),
    m("keras", 2, [40, 40]),
  ]);
  assertEquals(ratios.length, 2);
  const torch = ratios.find((r) => r.peer === "torch")!;
  assertEquals([torch.ratio, torch.ci_low, torch.ci_high, torch.fastest], [2, 2, 2, true]);
  const keras = ratios.find((r) => r.peer === "keras")!;
  assertAlmostEquals(keras.ratio, 0.5);
  assertEquals(keras.fastest, false);
});

Deno.test("the interval reflects spread across repeats", () => {
  const { ratios } = summarize([
    m(OURS, 1, [10, 10.2, 9.8]),
    m(OURS, 2, [20, 20.2, 19.8]),
    m("torch", 1, [10, 10.1, 9.9]),
    m("torch", 2, [10, 10.1, 9.9]),
  ]);
  const r = ratios[0];
  assert(r.ci_low <= r.ratio && r.ratio <= r.ci_high);
  assert(r.ci_low < 1.1 && r.ci_high > 1.9, JSON.stringify(r));
});

Deno.test("ratios use the first backend only, and skip configurations without peers", () => {
  const { entries, ratios } = summarize([
    m(OURS, 1, [10]),
    m(OURS, 1, [100], { backend: "wasm" }),
    m(OURS, 1, [30], { cell: "gru", name: "gru T=50" }),
    m("torch", 1, [5]),
  ]);
  assertEquals(entries.length, 4);
  assertEquals(ratios.map((r) => [r.cell, r.ratio]), [["lstm", 2]]);
});

Deno.test("non-step measurements become entries without ratios", () => {
  const { entries, ratios } = summarize([
    m(OURS, 1, [3], { what: "data", name: "adding T=100", cell: null, B: null, H: null }),
  ]);
  assertEquals(entries[0].what, "data");
  assertEquals(entries[0].name, "adding T=100");
  assertEquals(ratios, []);
});
