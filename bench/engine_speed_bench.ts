/**
 * The engine's training-step speed by executor: median ms per training step on the graph
 * executor (one TensorFlow graph run per step) and on the eager executor (tfjs ops, the same
 * driver), per cell at B = 64, H = 128 on the adding task — the configuration of
 * `bench/step_bench.ts` and the peers. A plain script, so that both are timed in one process,
 * one block of steps per executor (each trains its own copy of the model):
 *
 * `deno run --allow-read --allow-env --allow-ffi --allow-sys bench/engine_speed_bench.ts`
 * (env `BENCH_CELLS`, `BENCH_LENGTHS`, `BENCH_REPEATS`, `BENCH_PATHS=graph,eager`,
 * `BENCH_LAYERS=1`).
 *
 * @module
 */
import { initBackend, tf } from "../src/backend.ts";
import { createModel, createTrainer, disposeModel } from "../src/engine/mod.ts";

const info = await initBackend("tensorflow");
const B = 64, H = 128;
const env = (k: string) => Deno.env.get(k);
const cells = env("BENCH_CELLS")?.split(",") ?? ["rnn_tanh", "lstm", "gru"];
const lengths = env("BENCH_LENGTHS")?.split(",").map(Number) ?? [50, 200, 1000];
const repeats = Number(env("BENCH_REPEATS") ?? 7);
const paths = (env("BENCH_PATHS")?.split(",") ?? ["graph", "eager"]) as ("graph" | "eager")[];
const layers = Number(env("BENCH_LAYERS") ?? 1);

function uniformFrom(seed: number) {
  return () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
}

function addingBatch(T: number): { x: tf.Tensor3D; y: tf.Tensor1D } {
  return tf.tidy(() => {
    const vals = tf.randomUniform([B, T, 1], 0, 1, "float32", 1);
    const marks = tf.reshape(tf.oneHot(tf.randomUniform([B], 0, T, "int32", 2), T), [B, T, 1]);
    const x = tf.concat([vals, tf.cast(marks, "float32")], 2) as tf.Tensor3D;
    return { x, y: tf.sum(tf.mul(vals, marks), [1, 2]) as tf.Tensor1D };
  });
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];

console.log(
  `backend ${info.name} TF ${info.tensorflowVersion} threads ${info.threads} intra-op × ${info.interOpThreads} inter-op`,
);
console.log(`cell      T     path     ms/step (median of ${repeats}), ${layers} layer(s)`);
for (const T of lengths) {
  const { x, y } = addingBatch(T);
  for (const cell of cells) {
    const fresh = (path: "graph" | "eager") => {
      const model = createModel(cell, {
        task: "adding",
        inputSize: 2,
        outputSize: 1,
        hidden: H,
        uniform: uniformFrom(12345),
        seqLength: T,
        layers,
      });
      return { model, trainer: createTrainer(model, { adam: { lr: 1e-3 }, path }) };
    };
    const own = Object.fromEntries(paths.map((p) => [p, fresh(p)]));
    const step = (p: string) => async () => {
      const { loss, gradNorm } = own[p].trainer.step(x, y);
      await loss.data();
      tf.dispose([loss, gradNorm]);
    };
    // Each path's steps in one block: interleaved with eager steps, the graph path ran ~2× slower
    // (the eager runtime's threads still spinning when the session starts).
    const times: Record<string, number[]> = {};
    for (const p of paths) {
      times[p] = [];
      for (let k = 0; k < 2; k++) await step(p)(); // warm-up (builds the graph)
      for (let k = 0; k < (T >= 1000 ? Math.min(repeats, 5) : repeats); k++) {
        const t0 = performance.now();
        await step(p)();
        times[p].push(performance.now() - t0);
      }
    }
    for (const p of paths) {
      console.log(
        `${cell.padEnd(9)} ${String(T).padEnd(5)} ${p.padEnd(8)} ${median(times[p]).toFixed(1)}`,
      );
    }
    for (const { model, trainer } of Object.values(own)) {
      trainer.dispose();
      disposeModel(model);
    }
  }
  tf.dispose([x, y]);
}
