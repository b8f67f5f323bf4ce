/**
 * `deno task bench`: times training steps with `deno bench` (and the PyTorch / Keras peers with
 * `--peer`), writes `reports/bench/bench-<date>.json` and prints the table. See `--help`.
 *
 * @module
 */
import { BACKEND_CHOICES, type BackendName } from "../src/backend.ts";
import {
  ALL_BENCH_CELLS,
  benchCell,
  parseBenchCell,
  PEERS,
  PRESETS,
  QUICK_CELLS,
  runBench,
} from "../src/bench/mod.ts";
import {
  helpText,
  parseChoice,
  parseFlags,
  parseInteger,
  parseIntegerList,
  parseNameList,
  runCli,
  UsageError,
} from "../src/cli/args.ts";
import { isCellName, MAX_LAYERS } from "../src/engine/mod.ts";

const SPECS = {
  preset: {
    type: "string",
    arg: "NAME",
    description: `a named setting, flags beside it win: ${
      Object.entries(PRESETS).map(([k, p]) => `${k} — ${p.description}`).join("; ")
    }`,
  },
  quick: {
    type: "boolean",
    description: "the quick grid: rnn_tanh, lstm, gru × T ∈ {50, 200}, 2 repeats (≤ 2 minutes)",
  },
  filter: {
    type: "string",
    arg: "PATTERN",
    description: "only benches whose name matches (`lstm T=50`, or a /regex/), peers included",
  },
  backend: {
    type: "string",
    arg: "LIST",
    default: "tensorflow",
    description: "backends of this project, comma-separated: tensorflow, wasm, cpu " +
      "(wasm and cpu time a shorter grid)",
  },
  peer: {
    type: "string",
    arg: "LIST",
    description: `peers to run beside it, comma-separated: ${Object.keys(PEERS).join(", ")} ` +
      "(skipped with an install hint when the package does not import)",
  },
  repeats: {
    type: "string",
    arg: "N",
    description: "whole-process repeats, contenders interleaved (default 3, with --quick 2)",
  },
  threads: {
    type: "string",
    arg: "N",
    description: "threads forced on every contender (default: each contender's own default — " +
      "the engine's measured TensorFlow default for this project, all cores for torch and Keras)",
  },
  cells: {
    type: "string",
    arg: "LIST",
    description: "cells instead of the grid's (NAME, NAME+attn, NAME×L for L stacked layers)",
  },
  layers: {
    type: "string",
    arg: "N",
    description: `stack every cell N layers deep (1–${MAX_LAYERS}; default: the grid's)`,
  },
  lengths: { type: "string", arg: "LIST", description: "sequence lengths instead of the grid's" },
  steps: {
    type: "string",
    arg: "N",
    description: "timed steps per configuration (default: by length, fewer for long sequences)",
  },
  warmup: { type: "string", arg: "N", description: "warm-up steps per configuration" },
  "no-extras": {
    type: "boolean",
    description: "skip the dataset-generation and report-building benches",
  },
  "no-peak": {
    type: "boolean",
    description: "skip measuring the machine's fp32 GEMM peak (a TensorFlow MatMul of 1024² " +
      "matrices at the core count and at one thread, the reference of the 'of peak' column)",
  },
  out: { type: "string", arg: "DIR", default: "reports/bench", description: "output folder" },
} as const;

const HELP = helpText(
  "deno task bench [--preset speed] [--quick] [--filter PATTERN] [--backend LIST] [--peer torch,keras] ...",
  "Times one training step per cell × T (B=64, H=128, adding task) with `deno bench --json`,\n" +
    "plus the gradient probe, dataset generation and report building; runs the peers (PyTorch,\n" +
    "subnormals flushed and kept; Keras on TensorFlow) interleaved with it; repeats the whole\n" +
    "measurement and writes reports/bench/bench-<date>.json (raw deno bench JSON, environment,\n" +
    "medians, bootstrap intervals of each ratio); prints the table. The peers run with python3\n" +
    "($RNN_GRADBENCH_PYTHON overrides it). In the same run it measures the machine's fp32 GEMM\n" +
    "peak, and prints each configuration's GFLOP/s (the step's matrix products), its share of\n" +
    "the peak and the verdict: meets = at most 0.5× the fastest peer or at least 75% of the peak.",
  SPECS,
);

async function main(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, SPECS);
  const str = (k: string) => v[k] as string | undefined;
  const preset = str("preset") !== undefined
    ? PRESETS[parseChoice("preset", str("preset")!, Object.keys(PRESETS))]
    : undefined;
  const backends = parseNameList("backend", str("backend")!).map((b) =>
    parseChoice("backend", b, BACKEND_CHOICES.filter((c) => c !== "auto") as BackendName[])
  );
  const peers = str("peer") ? parseNameList("peer", str("peer")!) : [...(preset?.peers ?? [])];
  for (const p of peers) parseChoice("peer", p, Object.keys(PEERS));
  let cells = str("cells") ? parseNameList("cells", str("cells")!) : preset?.cells;
  for (const c of cells ?? []) {
    const { cell, layers } = parseBenchCell(c);
    if (!isCellName(cell) || layers < 1 || layers > MAX_LAYERS) {
      throw new UsageError(`--cells: unknown cell '${c}'`);
    }
  }
  if (str("layers") !== undefined) {
    const layers = parseInteger("layers", str("layers")!);
    if (layers > MAX_LAYERS) {
      throw new UsageError(`--layers must be 1–${MAX_LAYERS}, got ${layers}`);
    }
    const base = cells ?? (v.quick === true ? QUICK_CELLS : ALL_BENCH_CELLS);
    cells = [...new Set(base.map((c) => benchCell(parseBenchCell(c).cell, layers)))];
  }
  if (str("filter") !== undefined && str("filter")!.trim() === "") {
    throw new UsageError("--filter needs a pattern");
  }
  const run = await runBench({
    quick: v.quick === true,
    filter: str("filter"),
    backends: [...new Set(backends)],
    peers: [...new Set(peers)],
    repeats: str("repeats") ? parseInteger("repeats", str("repeats")!) : undefined,
    threads: str("threads") ? parseInteger("threads", str("threads")!) : undefined,
    cells,
    lengths: str("lengths") ? parseIntegerList("lengths", str("lengths")!, 2) : preset?.lengths,
    steps: str("steps") ? parseInteger("steps", str("steps")!) : undefined,
    warmup: str("warmup") ? parseInteger("warmup", str("warmup")!, 0) : undefined,
    extras: v["no-extras"] !== true && (preset?.extras ?? true),
    probe: preset?.probe ?? true,
    peak: v["no-peak"] !== true,
    outDir: str("out"),
    command: ["deno task bench", ...argv].join(" "),
    python: Deno.env.get("RNN_GRADBENCH_PYTHON") || undefined,
  });
  console.log(run.table);
  console.log(`wrote ${run.file}`);
  return 0;
}

if (import.meta.main) await runCli("bench", HELP, main);
