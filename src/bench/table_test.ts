import { BENCH_SCHEMA, type BenchEntry, type BenchFile } from "../results/schema.ts";
import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { formatMs, formatTable } from "./table.ts";

function entry(contender: string, cell: string, T: number, ms: number): BenchEntry {
  return {
    contender,
    what: "train_step",
    cell,
    T,
    B: 64,
    H: 128,
    backend: contender === "rnn-gradbench" ? "tensorflow" : "cpu",
    ms,
    ms_min: ms * 0.9,
    ms_max: ms * 1.2,
    ms_repeats: [ms],
    ...(contender === "torch" ? { version: "2.13.0+cpu" } : {}),
  };
}

const BENCH: BenchFile = {
  schema: BENCH_SCHEMA,
  kind: "bench",
  env: {
    backend: "tensorflow",
    tfjs: "4.22.0",
    tensorflow: "2.21.0",
    deno: "2.9.6",
    v8: "x",
    cpu: "AMD EPYC",
    cores: 2,
    threads: 2,
    os: "linux",
    arch: "x86_64",
    commit: "0123456789abcdef",
    date: "2025-01-02T03:04:05.000Z",
  },
  command: "deno task bench --peer torch",
  repeats: 3,
  threads: 2,
  entries: [
    entry("rnn-gradbench", "lstm", 50, 30),
    entry("torch", "lstm", 50, 20),
    entry("torch-denormal", "lstm", 50, 25),
    entry("rnn-gradbench", "lstm+attn", 50, 40),
    { ...entry("rnn-gradbench", "lstm", 50, 70), what: "probe", name: "probe lstm T=50" },
  ],
  ratios: [
    { cell: "lstm", T: 50, peer: "torch", ratio: 1.5, ci_low: 1.4, ci_high: 1.6, fastest: true },
    { cell: "lstm", T: 50, peer: "torch-denormal", ratio: 1.2, ci_low: 1.1, ci_high: 1.3 },
  ],
  peers_skipped: [{ peer: "keras", reason: "pip install tensorflow-cpu" }],
};

Deno.test("the table has a row per cell and T, a column per contender, the ratio to the fastest", () => {
  const t = formatTable(BENCH);
  assertMatch(t, /threads: 2 for every contender/);
  assertMatch(t, /torch 2\.13\.0\+cpu/);
  assertMatch(t, /not run: keras \(pip install tensorflow-cpu\)/);
  const header = t.split("\n").find((l) => l.startsWith("| cell"))!;
  assertMatch(header, /rnn-gradbench \(tensorflow\) +\| +torch +\| +torch-denormal/);
  assert(header.indexOf("rnn-gradbench") < header.indexOf("torch"));
  const lstm = t.split("\n").find((l) => l.startsWith("| lstm "))!;
  assertMatch(lstm, /30\.0 \(27\.0–36\.0\)/);
  assertMatch(lstm, /1\.50× torch \[1\.40–1\.60\]/);
  const attn = t.split("\n").find((l) => l.startsWith("| lstm+attn"))!;
  assertMatch(attn, /–/);
  assertMatch(t, /probe lstm T=50/);
});

Deno.test("without forced threads the header names each contender's own", () => {
  const { threads: _, ...rest } = BENCH;
  const t = formatTable({
    ...rest,
    entries: rest.entries.map((e) => ({ ...e, threads: e.contender === "rnn-gradbench" ? 1 : 2 })),
  });
  assertMatch(
    t,
    /threads: each contender at its default \(rnn-gradbench \(tensorflow\) 1, torch 2, torch-denormal 2\)/,
  );
});

Deno.test("milliseconds keep about three significant digits", () => {
  assertEquals([formatMs(1234.4), formatMs(61.94), formatMs(5.046), formatMs(0.1234)], [
    "1234",
    "61.9",
    "5.05",
    "0.123",
  ]);
});

Deno.test("with a peak: GFLOP per step, GFLOP/s, share of the peak and the verdict per row", () => {
  const peak = { gflops: 100, threads: 2, n: 1024, ms: 21.5, samples: 60, method: "MatMul" };
  const t = formatTable({ ...BENCH, peak, ratios: [{ ...BENCH.ratios[0], ratio: 0.45 }] });
  assertMatch(t, /fp32 GEMM peak: 100 GFLOP\/s \(MatMul\)/);
  assertMatch(t, /verdict: meets = at most 0\.5× the fastest peer or at least 75% of the peak/);
  const header = t.split("\n").find((l) => l.startsWith("| cell"))!;
  assertMatch(
    header,
    /\| GFLOP \| rnn-gradbench.*\| GFLOP\/s \| of peak \| ours \/ fastest.*\| verdict \|/,
  );
  // lstm T=50: 50 · 2·64·512·388 FLOPs = 1.271 GFLOP in 30 ms: 42.4 GFLOP/s, 42% of the peak
  const lstm = t.split("\n").find((l) => l.startsWith("| lstm "))!;
  assertMatch(lstm, /\| 1\.271 \|.*\| +42\.4 \| +42% \| +0\.45× torch .*\| meets +\|$/);
  const attn = t.split("\n").find((l) => l.startsWith("| lstm+attn"))!;
  assertMatch(attn, /\| not +\|$/);
});

Deno.test("the peak is read from the entries of a file that has no peak record", () => {
  const t = formatTable({
    ...BENCH,
    entries: [...BENCH.entries, {
      ...entry("rnn-gradbench", "x", 0, 20),
      what: "peak",
      cell: null,
      T: null,
      name: "gemm n=1024 threads=2",
      ms_min: 21.47483648,
    }],
  });
  assertMatch(t, /fp32 GEMM peak: 100 GFLOP\/s/);
});
