/**
 * Building the report for standard-suite-sized results: 9 cells × T ∈ {50, 100, 200, 500, 1000}
 * × 3 seeds × 2 tasks (270 runs), probes at 3 checkpoints, plus a bench file. Target: ≤ 5 s.
 * Run with `deno bench --allow-read --allow-write --allow-env bench/report_bench.ts`.
 *
 * @module
 */
import { join } from "node:path";
import { writeSyntheticBench, writeSyntheticRun } from "../src/report/_synthetic.ts";
import { buildReport } from "../src/report/mod.ts";

const CELLS = [
  "rnn_tanh",
  "rnn_relu",
  "rnn_leaky",
  "irnn",
  "indrnn",
  "lstm",
  "gru",
  "lstm+attn",
  "rnn_tanh+attn",
];
const LENGTHS = [50, 100, 200, 500, 1000];

const dir = await Deno.makeTempDir({ prefix: "report_bench_" });
await writeSyntheticRun(join(dir, "results"), {
  suite: "standard",
  cells: CELLS,
  lengths: LENGTHS,
  seeds: [1, 2, 3],
  tasks: ["adding", "copy"],
  probeAt: [0, 1000, 2000],
  steps: 2000,
  evalEvery: 20,
});
await writeSyntheticBench(join(dir, "bench"), { cells: CELLS, lengths: LENGTHS });

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* already gone */ }
});

Deno.bench({
  name: "report: standard suite (270 runs, 3 probes each), HTML + specs + SVGs",
  n: 3,
  warmup: 1,
  async fn() {
    await buildReport({
      resultsDir: join(dir, "results"),
      benchDir: join(dir, "bench"),
      outDir: join(dir, "site"),
      referencesPath: join(dir, "none.json"),
    });
  },
});
