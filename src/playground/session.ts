/**
 * One playground training session: the project's engine on the project's seeded data, step by
 * step, exactly as `deno task train` runs a config (`src/train/train_run.ts`): weights drawn
 * from sub-stream {@link STREAM_INIT} of the seed, batches from the seed's train sub-stream,
 * the probe batch and the test set from its test sub-stream, Adam with the suites' β1, β2, ε.
 * Same settings and seed on the same backend → the same losses, step for step.
 *
 * Browser-safe: tfjs-core, the eager engine and the pure data generators only (no Deno APIs),
 * so the page's Web Worker bundles it; the tests run it in Deno.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  createAdam,
  createModel,
  disposeModel,
  evaluate,
  gradientProbe,
  trainStep,
} from "../engine/eager.ts";
import type { Batch } from "../data/batch.ts";
import { batchTensors } from "../train/batch_tensors.ts";
import { type BatchStream, batchStream, testSet } from "../data/generate.ts";
import { rngFromSeed } from "../data/rng.ts";
import {
  baselineLoss,
  taskInputSize,
  taskOutputSize,
  type TaskSpec,
  taskSteps,
} from "../data/task_spec.ts";
import { type Settings, TEST_SIZE } from "./params.ts";

/** The PRNG stream initial weights come from; equal to `train_run.ts`'s (a test checks). */
export const STREAM_INIT = 3;

/** Adam's moments as every suite sets them (only the learning rate is a control). */
export const ADAM_BETAS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** LeakyReLU slope of `rnn_leaky`, the suites' default. */
export const LEAKY_ALPHA = 0.01;

/** What a session needs: the training part of {@link Settings}. */
export type SessionSettings = Pick<
  Settings,
  "task" | "cell" | "layers" | "T" | "H" | "batch" | "lr" | "clip" | "seed" | "symbols"
>;

/** A training step's numbers, read back from the device. */
export interface StepRecord {
  step: number;
  loss: number;
  gradNorm: number;
}

/** The gradient probe at one step: ‖dL/dh_t‖ for t = 0 … len−1 (top layer). */
export interface ProbeSnapshot {
  step: number;
  norms: number[];
  /** Stacked cells: the same per layer, bottom first. */
  layerNorms?: number[][];
}

/** Test metrics at one step over the {@link TEST_SIZE} held-out sequences. */
export interface EvalSnapshot {
  step: number;
  loss: number;
  accuracy: number;
  /** Adding only. */
  mse: number | null;
}

type Model = ReturnType<typeof createModel>;
type Adam = ReturnType<typeof createAdam>;

/** The data spec of a setting (adding: Arjovsky et al.'s one marker per half). */
export function taskSpecOf(s: Pick<Settings, "task" | "T" | "symbols">): TaskSpec {
  return s.task === "adding"
    ? { task: "adding", T: s.T, variant: "arjovsky" }
    : { task: "copy", T: s.T, symbols: s.symbols };
}

function firstRows(b: Batch, n: number): Batch {
  const per = b.steps * b.inputSize;
  const yPer = b.y.length / b.batch;
  return {
    ...b,
    batch: n,
    x: b.x.subarray(0, n * per),
    y: b.y.subarray(0, n * yPer) as Batch["y"],
  };
}

/** A model, its optimiser and its data streams; call {@link TrainingSession.dispose} when done. */
export class TrainingSession {
  /** The settings it was built from. */
  readonly settings: SessionSettings;
  /** The data spec. */
  readonly spec: TaskSpec;
  /** The memoryless baseline's loss (adding 1/6; copy S·ln 8 / (T + 2S)). */
  readonly baseline: number;
  /** Steps trained so far. */
  step = 0;
  #model: Model;
  #opt: Adam;
  #stream: BatchStream;
  #test: Batch;
  #probeBatch: Batch;
  #pending: { step: number; loss: tf.Scalar; gradNorm: tf.Scalar }[] = [];

  constructor(settings: SessionSettings) {
    this.settings = { ...settings };
    this.spec = taskSpecOf(settings);
    this.baseline = baselineLoss(this.spec);
    // Data first: its checks throw before any tensor exists. (Separate streams: order is free.)
    this.#stream = batchStream(this.spec, settings.seed, settings.batch);
    this.#test = testSet(this.spec, settings.seed, TEST_SIZE);
    this.#probeBatch = firstRows(this.#test, Math.min(settings.batch, this.#test.batch));
    const init = rngFromSeed(settings.seed, STREAM_INIT);
    this.#model = createModel(settings.cell, {
      task: settings.task,
      inputSize: taskInputSize(this.spec),
      outputSize: taskOutputSize(this.spec),
      hidden: settings.H,
      uniform: () => init.nextFloat(),
      alpha: LEAKY_ALPHA,
      seqLength: taskSteps(this.spec),
      layers: settings.layers,
    });
    this.#opt = createAdam(this.#model.params, { lr: settings.lr, ...ADAM_BETAS });
  }

  /** One training step on the next batch; its loss stays on the device until {@link drain}. */
  trainOne(): void {
    const { x, y } = batchTensors(this.#stream.next());
    try {
      const out = trainStep(this.#model, this.#opt, x, y, {
        clipNorm: this.settings.clip ?? undefined,
      });
      this.step++;
      this.#pending.push({ step: this.step, loss: out.loss, gradNorm: out.gradNorm });
    } finally {
      x.dispose();
      y.dispose();
    }
  }

  /** Reads the losses and gradient norms of the steps since the last drain, in one go. */
  async drain(): Promise<StepRecord[]> {
    if (this.#pending.length === 0) return [];
    const pending = this.#pending;
    this.#pending = [];
    const packed = tf.tidy(() => tf.stack(pending.flatMap((p) => [p.loss, p.gradNorm])));
    try {
      const vals = await packed.data();
      return pending.map((p, i) => ({
        step: p.step,
        loss: vals[2 * i],
        gradNorm: vals[2 * i + 1],
      }));
    } finally {
      packed.dispose();
      tf.dispose(pending.flatMap((p) => [p.loss, p.gradNorm]));
    }
  }

  /** ‖dL/dh_t‖ on the probe batch (the test set's first `batch` sequences), now. */
  async probe(): Promise<ProbeSnapshot> {
    const { x, y } = batchTensors(this.#probeBatch);
    try {
      const p = await gradientProbe(this.#model, x, y);
      const layerNorms = (p as { layerNorms?: number[][] }).layerNorms;
      return { step: this.step, norms: p.norms, ...(layerNorms ? { layerNorms } : {}) };
    } finally {
      x.dispose();
      y.dispose();
    }
  }

  /** Test loss, accuracy and (adding) MSE over the held-out set, now. */
  async evaluate(): Promise<EvalSnapshot> {
    const vals = tf.tidy(() => {
      const { x, y } = batchTensors(this.#test);
      const m = evaluate(this.#model, x, y);
      const parts = [m.loss, m.accuracy, m.mse ?? tf.scalar(NaN)].map((t) => tf.reshape(t, [1]));
      return tf.concat(parts);
    });
    try {
      const [loss, accuracy, mse] = await vals.data();
      return { step: this.step, loss, accuracy, mse: Number.isNaN(mse) ? null : mse };
    } finally {
      vals.dispose();
    }
  }

  /** Frees the model, the optimiser and any unread step results. */
  dispose(): void {
    tf.dispose(this.#pending.flatMap((p) => [p.loss, p.gradNorm]));
    this.#pending = [];
    this.#opt.dispose();
    disposeModel(this.#model);
  }
}
