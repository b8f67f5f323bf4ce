/**
 * `deno task profile [--cell lstm] [--length 50] [--batch 64] [--hidden 128] [--task adding]` —
 * where one training step's time goes on the graph path: the median wall time of untraced steps
 * and the step's matrix-product GFLOP/s (the bench's FLOP model), then steps with TensorFlow's
 * full trace, their kernels pooled per op type (count per step, Σ kernel time, µs per op, the
 * median µs per op). The span covered by kernels against the wall time tells TensorFlow's share
 * from the host's (feeding, the session call, JavaScript); Σ kernel time above the span is the
 * work the inter-op threads overlapped. On a shared machine a kernel's time also holds the time
 * its thread was descheduled, which inflates the means of a few kernels; the share at median
 * times (count × median µs) is the robust reading there.
 *
 * @module
 */
import { BackendUnavailableError, initBackend, tf } from "../src/backend.ts";
import {
  helpText,
  parseChoice,
  parseFlags,
  parseInteger,
  runCli,
  UsageError,
} from "../src/cli/args.ts";
import { TF_LOG_FLAG } from "../src/cli/common_flags.ts";
import { generateBatch, rngFromSeed, STREAM_TRAIN, taskOutputSize } from "../src/data/mod.ts";
import {
  CELL_NAMES,
  createAdam,
  createModel,
  disposeModel,
  isCellName,
  MAX_LAYERS,
  TASKS,
} from "../src/engine/mod.ts";
import type { Task } from "../src/engine/model.ts";
import { benchCell } from "../src/bench/grid.ts";
import { gflops, stepFlops } from "../src/bench/flops.ts";
import { type NodeStat, nodeStats, summarize } from "../src/engine/tf_graph/profile.ts";
import { graphSpecOf } from "../src/engine/loss_and_grads.ts";
import { graphTrainer } from "../src/engine/trainer.ts";
import { graphThreads } from "../src/engine/tf_graph/runtime.ts";

const FLAGS = {
  cell: {
    type: "string",
    description: "the cell (NAME or NAME+attn)",
    default: "lstm",
    arg: "NAME",
  },
  length: { type: "string", description: "sequence length T", default: "50", arg: "T" },
  batch: { type: "string", description: "batch size B", default: "64", arg: "B" },
  hidden: { type: "string", description: "hidden width H", default: "128", arg: "H" },
  task: { type: "string", description: "adding or copy", default: "adding", arg: "TASK" },
  layers: {
    type: "string",
    description: `stacked layers, 1–${MAX_LAYERS}`,
    default: "1",
    arg: "L",
  },
  steps: { type: "string", description: "untraced steps timed first", default: "10", arg: "N" },
  traced: {
    type: "string",
    description: "traced steps whose kernels are pooled",
    default: "3",
    arg: "N",
  },
  top: { type: "string", description: "op types listed", default: "12", arg: "N" },
  "tf-log": TF_LOG_FLAG,
} as const;

const HELP = helpText(
  "deno task profile [--cell lstm] [--length 50] [--batch 64] [--hidden 128] [--layers 1] [--task adding]",
  "Profiles one training step on the graph path (tensorflow backend): median wall time of\n" +
    "untraced steps and their matrix-product GFLOP/s (src/bench/flops.ts), then the kernels of\n" +
    "--traced N traced steps pooled per op type (with each type's median µs per op: the robust\n" +
    "reading on a shared machine).\n" +
    `Cells: ${CELL_NAMES.join(", ")}, each also as NAME+attn.`,
  FLAGS,
);

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const str = (k: keyof typeof FLAGS) => values[k] as string;
  const cell = str("cell");
  if (!isCellName(cell)) {
    throw new UsageError(
      `--cell must be one of ${CELL_NAMES.join(", ")}, each also as NAME+attn; got '${cell}'`,
    );
  }
  const T = parseInteger("length", str("length"), 2);
  const B = parseInteger("batch", str("batch"));
  const H = parseInteger("hidden", str("hidden"));
  const task = parseChoice("task", str("task"), TASKS) as Task;
  const steps = parseInteger("steps", str("steps"));
  const traced = parseInteger("traced", str("traced"));
  const top = parseInteger("top", str("top"));
  const layers = parseInteger("layers", str("layers"));
  if (layers > MAX_LAYERS) throw new UsageError(`--layers must be 1–${MAX_LAYERS}, got ${layers}`);
  await initBackend("tensorflow", { tfLog: values["tf-log"] === true || undefined }).catch((e) => {
    throw e instanceof BackendUnavailableError ? new UsageError(e.message) : e;
  });

  const spec = task === "adding" ? { task, T } as const : { task, T, symbols: 8 } as const;
  const batch = generateBatch(spec, rngFromSeed(1, STREAM_TRAIN), B);
  const x = tf.tensor3d(batch.x, [batch.batch, batch.steps, batch.inputSize]);
  const y = task === "adding"
    ? tf.tensor1d(batch.y as Float32Array, "float32")
    : tf.tensor2d(batch.y as Int32Array, [B, batch.steps], "int32");
  const init = rngFromSeed(1, 3);
  const model = createModel(cell, {
    task,
    inputSize: batch.inputSize,
    outputSize: taskOutputSize(spec),
    hidden: H,
    uniform: () => init.nextFloat(),
    seqLength: batch.steps,
    layers,
  });
  const trainer = graphTrainer(model, createAdam(model.params, { lr: 1e-3 }));
  const step = (trace?: (m: Uint8Array) => void) => {
    const t0 = performance.now();
    const out = trainer.run(x, y, trace);
    const ms = performance.now() - t0;
    tf.dispose([out.loss, out.gradNorm]);
    return ms;
  };
  const first = step(); // builds the graph and opens the session
  const times = Array.from({ length: steps }, () => step()).sort((a, b) => a - b);
  const pooled: NodeStat[] = [];
  let last: NodeStat[] = [], tracedMs = 0;
  for (let k = 0; k < traced; k++) {
    let meta: Uint8Array | null = null;
    tracedMs = step((m) => meta = m);
    last = nodeStats(meta!);
    pooled.push(...last);
  }
  const one = summarize(last), p = summarize(pooled);
  const medians = new Map<string, number>();
  for (const o of p.byOp) {
    const us = pooled.filter((s) => s.op === o.op).map((s) => s.micros).sort((a, b) => a - b);
    medians.set(o.op, us[us.length >> 1]);
  }
  const atMedians = p.byOp.reduce((sum, o) => sum + o.count * medians.get(o.op)!, 0);
  const th = graphThreads(), parts = graphSpecOf(model, x.shape).net.parts;
  const ms = (us: number) => (us / 1000).toFixed(2);

  console.log(
    `${cell}, ${task}, T=${batch.steps}, B=${B}, H=${H}, ${layers} layer(s): ${parts} batch ` +
      `part(s), TensorFlow ` +
      `${th.intraOpThreads} intra-op × ${th.interOpThreads} inter-op threads`,
  );
  const median = times[times.length >> 1];
  console.log(
    `step: ${median.toFixed(2)} ms median of ${steps} (first, with graph ` +
      `build and session start: ${first.toFixed(0)} ms)`,
  );
  const flops = stepFlops(benchCell(cell, layers), { B, H, T: batch.steps, I: batch.inputSize });
  if (flops) {
    console.log(
      `matrix products: ${(flops.total / 1e9).toPrecision(3)} GFLOP per step ` +
        `(src/bench/flops.ts): ${
          gflops(flops.total, median).toFixed(1)
        } GFLOP/s at the median step`,
    );
  }
  console.log(
    `traced step: ${tracedMs.toFixed(2)} ms wall; kernels span ${ms(one.spanMicros)} ms, ` +
      `Σ kernel time ${ms(one.kernelMicros)} ms over ${one.ops} ops ` +
      `(${(one.kernelMicros / Math.max(one.spanMicros, 1)).toFixed(2)} kernels busy on average)`,
  );
  console.log("");
  console.log(`kernels of ${traced} traced step(s), per step:`);
  console.log("| op | count | Σ ms | µs per op | share of Σ | median µs | share at medians |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const o of p.byOp.slice(0, top)) {
    const med = medians.get(o.op)!;
    console.log(
      `| ${o.op} | ${o.count / traced} | ${ms(o.micros / traced)} | ` +
        `${(o.micros / o.count).toFixed(1)} | ${(100 * o.micros / p.kernelMicros).toFixed(1)}% | ` +
        `${med.toFixed(1)} | ${(100 * o.count * med / atMedians).toFixed(1)}% |`,
    );
  }
  tf.dispose([x, y]);
  trainer.dispose();
  disposeModel(model);
  return 0;
}

if (import.meta.main) await runCli("profile", HELP, main);
