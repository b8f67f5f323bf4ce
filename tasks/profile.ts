/**
 * `deno task profile [--cell lstm] [--length 50] [--batch 64] [--hidden 128] [--task adding]` —
 * where one training step's time goes on the graph path: the median wall time of untraced steps,
 * then one step with TensorFlow's full trace, summed per op type (count, Σ kernel time, µs per
 * op). The span covered by kernels against the wall time tells TensorFlow's share from the
 * host's (feeding, the session call, JavaScript); Σ kernel time above the span is the work the
 * inter-op threads overlapped.
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
import { nodeStats, summarize } from "../src/engine/tf_graph/profile.ts";
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
  top: { type: "string", description: "op types listed", default: "12", arg: "N" },
  "tf-log": TF_LOG_FLAG,
} as const;

const HELP = helpText(
  "deno task profile [--cell lstm] [--length 50] [--batch 64] [--hidden 128] [--layers 1] [--task adding]",
  "Profiles one training step on the graph path (tensorflow backend): median wall time of\n" +
    "untraced steps, then one traced step's kernels summed per op type.\n" +
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
  let meta: Uint8Array | null = null;
  const tracedMs = step((m) => meta = m);
  const p = summarize(nodeStats(meta!));
  const th = graphThreads(), parts = graphSpecOf(model, x.shape).net.parts;
  const ms = (us: number) => (us / 1000).toFixed(2);

  console.log(
    `${cell}, ${task}, T=${batch.steps}, B=${B}, H=${H}, ${layers} layer(s): ${parts} batch ` +
      `part(s), TensorFlow ` +
      `${th.intraOpThreads} intra-op × ${th.interOpThreads} inter-op threads`,
  );
  console.log(
    `step: ${times[times.length >> 1].toFixed(2)} ms median of ${steps} (first, with graph ` +
      `build and session start: ${first.toFixed(0)} ms)`,
  );
  console.log(
    `traced step: ${tracedMs.toFixed(2)} ms wall; kernels span ${ms(p.spanMicros)} ms, ` +
      `Σ kernel time ${ms(p.kernelMicros)} ms over ${p.ops} ops ` +
      `(${(p.kernelMicros / Math.max(p.spanMicros, 1)).toFixed(2)} kernels busy on average)`,
  );
  console.log("");
  console.log("| op | count | Σ ms | µs per op | share of Σ |");
  console.log("|---|---:|---:|---:|---:|");
  for (const o of p.byOp.slice(0, top)) {
    console.log(
      `| ${o.op} | ${o.count} | ${ms(o.micros)} | ${(o.micros / o.count).toFixed(1)} | ${
        (100 * o.micros / p.kernelMicros).toFixed(1)
      }% |`,
    );
  }
  tf.dispose([x, y]);
  trainer.dispose();
  disposeModel(model);
  return 0;
}

if (import.meta.main) await runCli("profile", HELP, main);
