/**
 * One training step (forward, backward through time, Adam) per cell — every cell, `+attn`
 * included — at T ∈ {50, 200, 1000}, B = 64, H = 128 on the adding task, batches from the
 * project's own generator; plus the cost of a gradient probe (which reads dL/dh_t back). The
 * configuration of the peers in `peers/torch/` and `peers/keras/`. Names are `<cell> T=<T>` and
 * `probe <cell> T=<T>`.
 *
 * `deno bench --allow-read --allow-env --allow-ffi --allow-sys bench/step_bench.ts`
 *
 * Environment (set by `deno task bench`; all optional): `BENCH_BACKEND` (tensorflow | wasm | cpu,
 * default tensorflow), `BENCH_CELLS=lstm,gru`, `BENCH_LENGTHS=50,200`, `BENCH_PROBE=0` (skip the
 * probe), `BENCH_N` / `BENCH_WARMUP` (timed / warm-up steps for every configuration, instead of
 * the per-length defaults of `src/bench/grid.ts`), `BENCH_QUICK=1` (the quick step counts),
 * `BENCH_PROTOCOL=1` (report per-step times and the environment on stderr).
 *
 * @module
 */
import { type BackendChoice, initBackend, tf } from "../src/backend.ts";
import {
  ALL_BENCH_CELLS,
  BENCH_B,
  BENCH_H,
  parseBenchCell,
  probeName,
  stepName,
  stepsFor,
} from "../src/bench/grid.ts";
import { recordSample, reportEnvironment } from "../src/bench/protocol.ts";
import { generateBatch, rngFromSeed, STREAM_TRAIN } from "../src/data/mod.ts";
import { createModel, createTrainer, gradientProbe } from "../src/engine/mod.ts";
import { collectEnvironment } from "../src/results/env.ts";

const env = (k: string) => Deno.env.get(k)?.trim() || undefined;
const list = (k: string) => env(k)?.split(",").map((s) => s.trim()).filter((s) => s !== "");

const info = await initBackend((env("BENCH_BACKEND") ?? "tensorflow") as BackendChoice);
reportEnvironment(collectEnvironment(info));

const cells = list("BENCH_CELLS") ?? ALL_BENCH_CELLS;
const lengths = (list("BENCH_LENGTHS") ?? ["50", "200", "1000"]).map(Number);
const probe = env("BENCH_PROBE") !== "0";
const quick = env("BENCH_QUICK") === "1";

function steps(T: number): { n: number; warmup: number } {
  const d = stepsFor(T, quick);
  return { n: Number(env("BENCH_N") ?? d.n), warmup: Number(env("BENCH_WARMUP") ?? d.warmup) };
}

for (const T of lengths) {
  const b = generateBatch({ task: "adding", T }, rngFromSeed(1, STREAM_TRAIN), BENCH_B);
  const x = tf.tensor3d(b.x, [b.batch, b.steps, b.inputSize]);
  const y = tf.tensor1d(b.y as Float32Array, "float32");
  for (const benched of cells) {
    const { cell, layers } = parseBenchCell(benched);
    const init = rngFromSeed(1, 3);
    const model = createModel(cell, {
      task: "adding",
      inputSize: 2,
      outputSize: 1,
      hidden: BENCH_H,
      uniform: () => init.nextFloat(),
      seqLength: T,
      layers,
    });
    const trainer = createTrainer(model, { adam: { lr: 1e-3 } });
    const name = stepName(benched, T);
    Deno.bench({
      name,
      group: `T=${T}`,
      baseline: benched === "lstm",
      ...steps(T),
      async fn() {
        const t0 = performance.now();
        const { loss, gradNorm } = trainer.step(x, y);
        await loss.data(); // wait for the step, as the peers do
        recordSample(name, performance.now() - t0);
        tf.dispose([loss, gradNorm]);
      },
    });
  }
  if (!probe) continue;
  const init = rngFromSeed(1, 3);
  const probed = createModel("lstm", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: BENCH_H,
    uniform: () => init.nextFloat(),
  });
  const name = probeName("lstm", T);
  Deno.bench({
    name,
    group: `probe T=${T}`,
    ...steps(T),
    async fn() {
      const t0 = performance.now();
      await gradientProbe(probed, x, y);
      recordSample(name, performance.now() - t0);
    },
  });
}
