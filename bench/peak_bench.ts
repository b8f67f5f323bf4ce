/**
 * The machine's fp32 GEMM peak: one TensorFlow `MatMul` of two 1024×1024 float32 matrices through
 * tfjs-node (the libtensorflow the graph executor runs on), at the intra-op thread count of this
 * process (`TF_NUM_INTRAOP_THREADS`; `deno task bench` runs it at the core count and at one
 * thread). The bench is named `gemm n=1024 threads=<threads>`; `src/bench/peak.ts` turns its
 * fastest sample into GFLOP/s.
 *
 * `deno bench --allow-read --allow-env --allow-ffi --allow-sys bench/peak_bench.ts`
 *
 * Environment: `BENCH_PEAK_N` (timed products, default 20), `BENCH_PROTOCOL=1` (report every
 * product's time on stderr).
 *
 * @module
 */
import { initBackend, tf } from "../src/backend.ts";
import { PEAK_SIZE, peakName } from "../src/bench/peak.ts";
import { recordSample } from "../src/bench/protocol.ts";

const info = await initBackend("tensorflow");
const n = Number(Deno.env.get("BENCH_PEAK_N")?.trim() || 20);
const a = tf.randomUniform([PEAK_SIZE, PEAK_SIZE], -1, 1, "float32", 1);
const b = tf.randomUniform([PEAK_SIZE, PEAK_SIZE], -1, 1, "float32", 2);
const name = peakName(PEAK_SIZE, info.threads);

Deno.bench({
  name,
  n,
  warmup: 3,
  fn() {
    const t0 = performance.now();
    // Reading one element back waits for the product without timing a 4 MB copy.
    tf.tidy(() => tf.slice(tf.matMul(a, b), [0, 0], [1, 1]).dataSync());
    recordSample(name, performance.now() - t0);
  },
});
