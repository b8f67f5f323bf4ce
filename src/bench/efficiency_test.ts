import type { BenchEntry, BenchRatio } from "../results/schema.ts";
import { assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import { entrySpeed, speedRows, verdict, withSpeed } from "./efficiency.ts";
import { stepFlops } from "./flops.ts";
import type { PeakRecord } from "./peak.ts";

const PEAK: PeakRecord = {
  gflops: 100,
  threads: 2,
  n: 1024,
  ms: 21.5,
  samples: 60,
  method: "test",
};

function step(contender: string, cell: string, T: number, ms: number): BenchEntry {
  return {
    contender,
    what: "train_step",
    cell,
    T,
    B: 64,
    H: 128,
    backend: contender === "rnn-gradbench" ? "tensorflow" : "cpu",
    ms,
    ms_min: ms,
    ms_max: ms,
    ms_repeats: [ms],
  };
}

Deno.test("the verdict: at most 0.5× the fastest peer, or at least 75% of the peak", () => {
  assertEquals(verdict(0.5, 0.1), "meets");
  assertEquals(verdict(0.51, 0.75), "meets");
  assertEquals(verdict(0.51, 0.749), "not");
  assertEquals(verdict(null, 0.8), "meets");
  assertEquals(verdict(0.9, null), "not");
  assertEquals(verdict(null, null), null);
});

Deno.test("a step's GFLOP/s and share of the peak come from the FLOP model", () => {
  const gflop = stepFlops("lstm", { B: 64, H: 128, T: 200, I: 2 })!.total / 1e9;
  const s = entrySpeed(step("torch", "lstm", 200, 50), PEAK);
  assertAlmostEquals(s.gflop!, gflop, 1e-3);
  assertAlmostEquals(s.gflops!, gflop / 0.05, 1e-2);
  assertAlmostEquals(s.peak_share!, gflop / 0.05 / 100, 1e-3);
  assertEquals(entrySpeed(step("torch", "lstm", 200, 50), null).peak_share, undefined);
  assertEquals(entrySpeed({ ...step("x", "lstm", 200, 5), what: "probe" }, PEAK), {});
});

Deno.test("speed rows: ours per configuration, against the fastest peer and the peak", () => {
  const entries = [
    step("rnn-gradbench", "lstm", 200, 40),
    step("torch", "lstm", 200, 100),
    step("rnn-gradbench", "gru", 200, 60),
    step("rnn-gradbench", "mingru", 200, 30),
  ];
  const ratios: BenchRatio[] = [
    { cell: "lstm", T: 200, peer: "torch", ratio: 0.4, ci_low: 0.3, ci_high: 0.5, fastest: true },
    { cell: "gru", T: 200, peer: "torch-denormal", ratio: 0.3, ci_low: 0.2, ci_high: 0.4 },
  ];
  const rows = speedRows(entries, ratios, PEAK);
  assertEquals(rows.map((r) => [r.cell, r.fastest_peer, r.ratio, r.verdict]), [
    ["lstm", "torch", 0.4, "meets"],
    ["gru", null, null, "not"], // a ratio not marked fastest is not the fastest peer's
    ["mingru", null, null, "not"],
  ]);
  assertEquals(rows[0].ms, 40);
  assertEquals(speedRows(entries, [], null).map((r) => r.verdict), [null, null, null]);
});

Deno.test("withSpeed keeps every old field and adds the speed fields to step entries only", () => {
  const probe = { ...step("rnn-gradbench", "lstm", 50, 9), what: "probe" };
  const [s, p] = withSpeed([step("rnn-gradbench", "lstm", 50, 10), probe], PEAK);
  assertEquals(s.ms_repeats, [10]);
  assertEquals(typeof s.gflops, "number");
  assertEquals(p, probe);
});
