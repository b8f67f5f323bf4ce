import type { BenchEntry } from "../results/schema.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { gemmFlops, parsePeakName, peakFromEntries, peakName } from "./peak.ts";

function peakEntry(threads: number, msMin: number, n = 1024): BenchEntry {
  return {
    contender: "rnn-gradbench",
    what: "peak",
    cell: null,
    T: null,
    B: null,
    H: null,
    backend: null,
    ms: msMin * 1.2,
    ms_min: msMin,
    ms_max: msMin * 2,
    ms_repeats: [msMin * 1.2, msMin * 1.3],
    name: peakName(n, threads),
    n: 40,
    threads,
  };
}

Deno.test("an n×n product is 2n³ FLOPs", () => {
  assertEquals(gemmFlops(1024), 2 * 1024 ** 3);
});

Deno.test("peak names round-trip and other names do not parse", () => {
  assertEquals(parsePeakName(peakName(1024, 2)), { n: 1024, threads: 2 });
  assertEquals(parsePeakName("lstm T=50"), null);
});

Deno.test("the peak is the fastest product at the most threads, with the one-thread figure", () => {
  const step = { ...peakEntry(1, 1), what: "train_step", name: "lstm T=50" };
  const p = peakFromEntries([peakEntry(1, 30), step, peakEntry(2, 17.9)], "TensorFlow 2.21.0")!;
  assertEquals(p.threads, 2);
  assertEquals(p.gflops, Math.round(gemmFlops(1024) / 17.9e6 * 10) / 10); // 120.0
  assertEquals(p.gflops_1thread, Math.round(gemmFlops(1024) / 30e6 * 10) / 10);
  assertEquals([p.n, p.ms, p.samples], [1024, 17.9, 40]);
  assert(p.method.includes("TensorFlow 2.21.0") && p.method.includes("2 intra-op"), p.method);
});

Deno.test("one-core machines have one figure; no peak entries, no peak", () => {
  const p = peakFromEntries([peakEntry(1, 20)])!;
  assertEquals([p.threads, p.gflops_1thread], [1, undefined]);
  assertEquals(peakFromEntries([]), null);
});
