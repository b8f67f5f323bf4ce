/**
 * Trains one run of a suite and returns everything its result record holds: the training-loss
 * curve, test metrics at each evaluation, gradient probes at the checkpoints, timings, and how
 * it ended (`ok`, `diverged` at the first non-finite loss or gradient, `failed` with the error).
 *
 * Every evaluation also feeds the solve rule of `results/solved.ts`: the record gets
 * `metrics.steps_to_solve`, and a config with `stopWhenSolved` ends `patience` evaluations after
 * the solving one (`stopped_early: true`; the curve ends there, and when the suite probes at the
 * end, the probe runs at the step it stopped at).
 *
 * The step loop makes no host reads: losses and gradient norms stay on the device until an
 * evaluation, where they are read in one go (that is also where divergence is detected, and
 * the step it happened at recovered).
 *
 * @module
 */
import { tf } from "../backend.ts";
import {
  baselineLoss,
  batchStream,
  DEFAULT_COPY_SYMBOLS,
  rngFromSeed,
  taskInputSize,
  taskOutputSize,
  type TaskSpec,
  taskSteps,
  testSet,
} from "../data/mod.ts";
import type { Batch } from "../data/mod.ts";
import {
  createModel,
  createTrainer,
  disposeModel,
  evaluate,
  gradientProbe,
  type Model,
  type Trainer,
} from "../engine/mod.ts";
import { solveTracker } from "../results/solved.ts";
import { batchTensors } from "./batch_tensors.ts";
import type {
  CurvePoint,
  EvalMetrics,
  ProbeRecord,
  ResultRecord,
  RunConfig,
  RunStatus,
} from "../results/schema.ts";

/** The PRNG stream initial weights are drawn from (data uses 1 = train, 2 = test). */
export const STREAM_INIT = 3;

/** Largest test chunk evaluated at once (bounds memory at T = 1000). */
const EVAL_CHUNK = 256;

/** What a run produced; the store adds identity and environment. */
export type RunOutcome = Pick<
  ResultRecord,
  | "status"
  | "status_detail"
  | "metrics"
  | "curve"
  | "probes"
  | "timing"
  | "stopped_early"
  | "end_step"
>;

/** Progress callbacks (the CLI draws bars or prints lines from these). */
export interface RunHooks {
  /** After every step (cheap: no values read). */
  onStep?: (step: number) => void;
  /** After every evaluation. */
  onEval?: (m: EvalMetrics & { train_loss: number; steps_per_s: number }) => void;
  /** Polled between steps; true abandons the run (it is then not recorded). */
  shouldStop?: () => boolean;
}

/** Thrown when {@link RunHooks.shouldStop} asked to stop: the run must not be recorded. */
export class RunInterrupted extends Error {
  override name = "RunInterrupted";
}

/** The data spec of a run config. */
export function taskSpecOf(c: RunConfig): TaskSpec {
  return c.task === "adding"
    ? { task: "adding", T: c.T, variant: c.variant ?? "arjovsky" }
    : { task: "copy", T: c.T, symbols: c.symbols ?? 10 };
}

function sliceBatch(b: Batch, start: number, end: number): Batch {
  const per = b.steps * b.inputSize;
  const yPer = b.y.length / b.batch;
  return {
    ...b,
    batch: end - start,
    x: b.x.subarray(start * per, end * per),
    y: b.y.subarray(start * yPer, end * yPer) as Batch["y"],
  };
}

/** Test metrics over the whole test set, in chunks; one host read per chunk. */
async function evaluateTestSet(model: Model, test: Batch, step: number): Promise<EvalMetrics> {
  let loss = 0, mse = 0, acc = 0, n = 0;
  let hasMse = false;
  for (let s = 0; s < test.batch; s += EVAL_CHUNK) {
    const e = Math.min(test.batch, s + EVAL_CHUNK);
    const chunk = sliceBatch(test, s, e);
    const vals = tf.tidy(() => {
      const { x, y } = batchTensors(chunk);
      const m = evaluate(model, x, y);
      const parts = [m.loss, m.accuracy, m.mse ?? tf.scalar(NaN)].map((t) => tf.reshape(t, [1]));
      return tf.concat(parts);
    });
    const [l, a, m] = await vals.data();
    vals.dispose();
    const w = e - s;
    loss += l * w;
    acc += a * w;
    if (!Number.isNaN(m)) {
      mse += m * w;
      hasMse = true;
    }
    n += w;
  }
  return {
    step,
    test_loss: loss / n,
    test_mse: hasMse ? mse / n : null,
    test_accuracy: acc / n,
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** About how many points a run's training curve keeps (see {@link curveStride}). */
export const CURVE_POINTS = 500;

/**
 * Steps per training-curve point for a run of `steps` steps: 1 up to {@link CURVE_POINTS} steps,
 * then ⌈steps / CURVE_POINTS⌉ (each point is the mean loss of its window).
 */
export function curveStride(steps: number): number {
  return Math.max(1, Math.ceil(steps / CURVE_POINTS));
}

/** Trains one run. Never throws for a failing run (it is recorded as `failed`), except on interrupt. */
export async function trainRun(c: RunConfig, hooks: RunHooks = {}): Promise<RunOutcome> {
  const spec = taskSpecOf(c);
  const started = performance.now();
  const curve: CurvePoint[] = [];
  const probes: ProbeRecord[] = [];
  const stepMs: number[] = [];
  let model: Model | null = null;
  let trainer: Trainer | null = null;
  let last: EvalMetrics | null = null;
  let lastTrainLoss: number | null = null;
  let status: RunStatus = "ok";
  let detail: RunOutcome["status_detail"] = null;
  let step = 0;
  let stoppedEarly = false;
  const solve = solveTracker(c);
  const layers = c.layers ?? 1;
  const pending: { step: number; loss: tf.Scalar; gradNorm: tf.Scalar }[] = [];
  const test = testSet(spec, c.seed, c.testSize);
  const probeBatch = sliceBatch(test, 0, Math.min(c.batch, test.batch));

  const probe = async (at: number) => {
    const { x, y } = batchTensors(probeBatch);
    try {
      const m = trainer ? trainer.sync() : model!;
      const p = await gradientProbe(m, x, y);
      // On copy, also the gradient of the recall loss alone (the last S positions, the part that
      // needs memory): the whole loss's dL/dh_t includes each step's own blank-prediction term.
      const recall = spec.task === "copy"
        ? (await gradientProbe(m, x, y, { recall: spec.symbols ?? DEFAULT_COPY_SYMBOLS })).norms
        : undefined;
      probes.push({
        step: at,
        norms: p.norms,
        zero_fraction: p.zeroFraction,
        subnormal_fraction: p.subnormalFraction,
        ...(recall ? { recall_norms: recall } : {}),
        ...(p.layerNorms ? { layer_norms: p.layerNorms } : {}),
      });
    } finally {
      x.dispose();
      y.dispose();
    }
  };

  // The curve keeps at most about CURVE_POINTS points: each is the mean training loss over the
  // steps since the previous one (every step for short runs), so a 40,000-step run's record stays
  // small while its curve keeps the shape (and the mean is less noisy than one sampled step).
  const stride = curveStride(c.steps);
  const acc = { sum: 0, n: 0 };
  const flush = (at: number) => {
    if (acc.n === 0) return;
    curve.push({ step: at, train_loss: acc.sum / acc.n });
    acc.sum = 0;
    acc.n = 0;
  };

  /** Reads pending losses; returns the first non-finite step, or null. */
  const drain = async (): Promise<{ step: number; reason: string } | null> => {
    if (pending.length === 0) return null;
    const packed = tf.tidy(() => tf.stack(pending.flatMap((p) => [p.loss, p.gradNorm])));
    const vals = await packed.data();
    packed.dispose();
    let bad: { step: number; reason: string } | null = null;
    pending.forEach((p, i) => {
      const l = vals[2 * i], g = vals[2 * i + 1];
      if (!bad && (!Number.isFinite(l) || !Number.isFinite(g))) {
        bad = {
          step: p.step,
          reason: !Number.isFinite(l) ? `training loss is ${l}` : `gradient norm is ${g}`,
        };
      }
      if (Number.isFinite(l)) {
        lastTrainLoss = l;
        acc.sum += l;
        acc.n++;
      } else {
        // A non-finite loss gets a point of its own (null), after the window before it.
        flush(p.step - 1);
        curve.push({ step: p.step, train_loss: null as unknown as number });
      }
      // A point every `stride` steps, and at the last step read (an evaluation or a probe),
      // which the evaluation's metrics then join.
      if (p.step % stride === 0 || i === pending.length - 1) flush(p.step);
      p.loss.dispose();
      p.gradNorm.dispose();
    });
    pending.length = 0;
    return bad;
  };

  try {
    const init = rngFromSeed(c.seed, STREAM_INIT);
    model = createModel(c.cell, {
      task: c.task,
      inputSize: taskInputSize(spec),
      outputSize: taskOutputSize(spec),
      hidden: c.hidden,
      uniform: () => init.nextFloat(),
      alpha: c.alpha,
      seqLength: taskSteps(spec),
      layers,
    });
    if (c.probeAt.includes(0)) await probe(0);
    trainer = createTrainer(model, { adam: c.optimizer, clipNorm: c.clipNorm ?? undefined });
    const stream = batchStream(spec, c.seed, c.batch);
    let windowStart = performance.now();
    let windowSteps = 0;
    let lastYield = performance.now();
    for (step = 1; step <= c.steps; step++) {
      // The step loop never waits on I/O, so signal handlers (Ctrl-C) and progress redraws would
      // starve; give the event loop a turn about ten times a second.
      if (performance.now() - lastYield > 100) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = performance.now();
      }
      if (hooks.shouldStop?.()) throw new RunInterrupted("interrupted");
      const batch = stream.next();
      const t0 = performance.now();
      // Not in a tidy of ours: an eager step replaces model.params with tensors that must outlive it.
      const { x, y } = batchTensors(batch);
      const out = trainer.step(x, y);
      x.dispose();
      y.dispose();
      stepMs.push(performance.now() - t0);
      pending.push({ step, loss: out.loss, gradNorm: out.gradNorm });
      windowSteps++;
      hooks.onStep?.(step);
      const isEval = step % c.evalEvery === 0 || step === c.steps;
      const isProbe = c.probeAt.includes(step);
      if (isEval || isProbe) {
        const bad = await drain();
        if (bad) {
          status = "diverged";
          detail = bad;
          break;
        }
      }
      if (isEval) {
        last = await evaluateTestSet(trainer.sync(), test, step);
        const point = curve[curve.length - 1];
        Object.assign(point, {
          test_loss: last.test_loss,
          test_mse: last.test_mse,
          test_accuracy: last.test_accuracy,
        });
        const now = performance.now();
        hooks.onEval?.({
          ...last,
          train_loss: lastTrainLoss ?? NaN,
          steps_per_s: windowSteps / Math.max(1e-9, (now - windowStart) / 1000),
        });
        windowStart = now;
        windowSteps = 0;
        if (!Number.isFinite(last.test_loss)) {
          status = "diverged";
          detail = { step, reason: `test loss is ${last.test_loss}` };
          break;
        }
        stoppedEarly = solve.observe(last, step === c.steps).stop;
      }
      // A run stopped early is probed where it stopped when the suite probes at the end.
      if (isProbe || (stoppedEarly && c.probeAt.includes(c.steps))) await probe(step);
      if (stoppedEarly) break;
    }
  } catch (e) {
    if (e instanceof RunInterrupted) throw e;
    status = "failed";
    detail = {
      step: step || null,
      reason: (e instanceof Error ? e.message : String(e)).split("\n")[0],
    };
  } finally {
    for (const p of pending) {
      p.loss.dispose();
      p.gradNorm.dispose();
    }
    trainer?.dispose();
    if (model) disposeModel(model);
  }
  const solved = status === "ok" && last !== null &&
    (c.task === "adding"
      ? last.test_mse !== null && last.test_mse <= c.solved.mse
      : last.test_accuracy >= c.solved.accuracy);
  return {
    status,
    status_detail: detail,
    metrics: {
      test_loss: last?.test_loss ?? null,
      test_mse: last?.test_mse ?? null,
      test_accuracy: last?.test_accuracy ?? null,
      final_train_loss: lastTrainLoss,
      baseline_loss: baselineLoss(spec),
      solved,
      // The rule's answer whatever happened later: a run that solved and then diverged solved.
      steps_to_solve: solve.stepsToSolve,
    },
    stopped_early: stoppedEarly,
    end_step: stepMs.length,
    curve,
    probes,
    timing: {
      median_step_ms: median(stepMs),
      total_s: (performance.now() - started) / 1000,
      steps_done: stepMs.length,
    },
  };
}
