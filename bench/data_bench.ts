/**
 * Generation throughput of the dataset generators (the target: ≥ 50 M float32 values per
 * second on one core). Each bench name says how many float32 values one iteration produces
 * (x and float32 y); on exit the file prints values per second for each.
 *
 *     deno bench --allow-read bench/data_bench.ts
 */
import { generateBatch, rngFromSeed, STREAM_TRAIN, type TaskSpec } from "../src/data/mod.ts";

const measured = new Map<string, { values: number; ms: number }>();

function valuesPerBatch(spec: TaskSpec, B: number): number {
  const b = generateBatch(spec, rngFromSeed(0, STREAM_TRAIN), B);
  return b.x.length + (b.y instanceof Float32Array ? b.y.length : 0);
}

function benchBatches(spec: TaskSpec, B: number): void {
  const values = valuesPerBatch(spec, B);
  const label = spec.task === "adding"
    ? `adding (${spec.variant ?? "arjovsky"}) T=${spec.T}`
    : `copy S=${spec.symbols ?? 10} T=${spec.T}`;
  const name = `${label} B=${B} (${values.toLocaleString("en")} float32 values)`;
  const rng = rngFromSeed(1, STREAM_TRAIN);
  Deno.bench({ name, group: spec.task }, (b) => {
    b.start();
    const t0 = performance.now();
    generateBatch(spec, rng, B);
    const ms = performance.now() - t0;
    b.end();
    const m = measured.get(name) ?? { values: 0, ms: 0 };
    m.values += values;
    m.ms += ms;
    measured.set(name, m);
  });
}

const raw = new Float32Array(1 << 20);
const rawRng = rngFromSeed(2, STREAM_TRAIN);
Deno.bench({ name: "xoshiro128** fillFloats (1,048,576 float32 values)", baseline: true }, () => {
  rawRng.fillFloats(raw, 0, raw.length);
});

benchBatches({ task: "adding", T: 100 }, 256);
benchBatches({ task: "adding", T: 1000 }, 64);
benchBatches({ task: "adding", T: 1000, variant: "tcn" }, 64);
benchBatches({ task: "copy", T: 100 }, 64);
benchBatches({ task: "copy", T: 1000 }, 16);

globalThis.addEventListener("unload", () => {
  for (const [name, m] of measured) {
    if (m.ms > 0) console.log(`${name}: ${(m.values / m.ms / 1e3).toFixed(0)} M values/s`);
  }
});
