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
 * A run in flight is one value, a {@link RunSnapshot}: the host-side state (curve, evaluations,
 * probes, solve rule, timings), the data stream's position and the trainer's tensors. Every
 * `checkpointEvery` steps, and at the next step boundary when asked to suspend, it is handed to
 * `saveCheckpoint`; a run started with `resume` continues from one and its record equals the
 * uninterrupted run's (a snapshot reads losses without adding a curve point, so taking one
 * changes nothing).
 *
 * The step loop makes no host reads: losses and gradient norms stay on the device until an
 * evaluation, a probe or a checkpoint, where they are read in one go (that is also where
 * divergence is detected, and the step it happened at recovered).
 *
 * @module
 */
import {
  baselineLoss,
  batchStream,
  rngFromSeed,
  type StreamPosition,
  taskInputSize,
  taskOutputSize,
  type TaskSpec,
  taskSteps,
  testSet,
} from "../data/mod.ts";
import {
  createModel,
  createTrainer,
  disposeModel,
  type Model,
  type Trainer,
  type TrainerState,
} from "../engine/mod.ts";
import { solveTracker, type SolveTrackerState } from "../results/solved.ts";
import type {
  EvalMetrics,
  ProbeRecord,
  ResultRecord,
  RunConfig,
  RunStatus,
} from "../results/schema.ts";
import { batchTensors } from "./batch_tensors.ts";
import {
  type CurveState,
  curveStride,
  disposePending,
  drainLosses,
  emptyCurve,
  type PendingStep,
} from "./curve.ts";
import { evaluateTestSet, probeRecord, sliceBatch } from "./measure.ts";

export { CURVE_POINTS, curveStride } from "./curve.ts";

/** The PRNG stream initial weights are drawn from (data uses 1 = train, 2 = test). */
export const STREAM_INIT = 3;

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
  | "resumed_from"
>;

/** The host-side state of a run in flight (plain data). */
export interface RunState extends CurveState {
  /** Training steps done. */
  step: number;
  /** The last evaluation. */
  lastEval: EvalMetrics | null;
  probes: ProbeRecord[];
  solve: SolveTrackerState;
  /** Milliseconds of each step done. */
  stepMs: number[];
  /** Seconds this run took in earlier processes. */
  elapsedS: number;
  /** The steps it was resumed from, in order. */
  resumedFrom: number[];
}

/** A run in flight, whole: what a checkpoint saves and a resumed run starts from. */
export interface RunSnapshot {
  run: RunState;
  stream: StreamPosition;
  trainer: TrainerState;
}

/** Progress callbacks (the CLI draws bars or prints lines from these). */
export interface RunHooks {
  /** After every step (cheap: no values read). */
  onStep?: (step: number) => void;
  /** After every evaluation. */
  onEval?: (m: EvalMetrics & { train_loss: number; steps_per_s: number }) => void;
  /** Polled between steps; true abandons the run (it is then not recorded). */
  shouldStop?: () => boolean;
  /** Polled between steps; true saves a checkpoint there and ends with {@link RunSuspended}. */
  shouldSuspend?: () => boolean;
}

/** Checkpointing of {@link trainRun}. */
export interface RunCheckpoints {
  /** Continue from this snapshot (of this config). */
  resume?: RunSnapshot;
  /** Save a snapshot every this many steps (never at the last one); 0 or absent: never. */
  every?: number;
  /** Where snapshots go (a checkpoint file). */
  save?: (s: RunSnapshot) => Promise<void>;
}

/** Thrown when {@link RunHooks.shouldStop} asked to stop: the run must not be recorded. */
export class RunInterrupted extends Error {
  override name = "RunInterrupted";
}

/** Thrown after {@link RunHooks.shouldSuspend}: a checkpoint of `step` was saved; not recorded. */
export class RunSuspended extends Error {
  override name = "RunSuspended";
  constructor(readonly step: number) {
    super(`suspended at step ${step}`);
  }
}

/** The data spec of a run config. */
export function taskSpecOf(c: RunConfig): TaskSpec {
  return c.task === "adding"
    ? { task: "adding", T: c.T, variant: c.variant ?? "arjovsky" }
    : { task: "copy", T: c.T, symbols: c.symbols ?? 10 };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function freshState(): RunState {
  return {
    ...emptyCurve(),
    step: 0,
    lastEval: null,
    probes: [],
    solve: { stepsToSolve: null, candidate: null, since: 0 },
    stepMs: [],
    elapsedS: 0,
    resumedFrom: [],
  };
}

/** The model of a run config, with its seeded initial weights. */
function modelOf(c: RunConfig, spec: TaskSpec): Model {
  const init = rngFromSeed(c.seed, STREAM_INIT);
  return createModel(c.cell, {
    task: c.task,
    inputSize: taskInputSize(spec),
    outputSize: taskOutputSize(spec),
    hidden: c.hidden,
    uniform: () => init.nextFloat(),
    alpha: c.alpha,
    seqLength: taskSteps(spec),
    layers: c.layers ?? 1,
  });
}

/**
 * Trains one run (or continues one from `ck.resume`). Never throws for a failing run (it is
 * recorded as `failed`), except on interrupt ({@link RunInterrupted}) and suspension
 * ({@link RunSuspended}).
 */
export async function trainRun(
  c: RunConfig,
  hooks: RunHooks = {},
  ck: RunCheckpoints = {},
): Promise<RunOutcome> {
  const spec = taskSpecOf(c);
  const started = performance.now();
  const s: RunState = ck.resume
    ? { ...ck.resume.run, resumedFrom: [...ck.resume.run.resumedFrom, ck.resume.run.step] }
    : freshState();
  const solve = solveTracker(c, s.solve);
  const stride = curveStride(c.steps);
  const pending: PendingStep[] = [];
  const test = testSet(spec, c.seed, c.testSize);
  const probeBatch = sliceBatch(test, 0, Math.min(c.batch, test.batch));
  let model: Model | null = null;
  let trainer: Trainer | null = null;
  let status: RunStatus = "ok";
  let detail: RunOutcome["status_detail"] = null;
  let stoppedEarly = false;
  let at = s.step; // the step being taken (for a failure's detail)
  try {
    model = modelOf(c, spec);
    if (!ck.resume && c.probeAt.includes(0)) {
      s.probes.push(await probeRecord(model, spec, probeBatch, 0));
    }
    trainer = createTrainer(model, { adam: c.optimizer, clipNorm: c.clipNorm ?? undefined });
    if (ck.resume) trainer.restore(ck.resume.trainer);
    const stream = batchStream(spec, c.seed, c.batch, ck.resume?.stream);
    const tr = trainer;
    const checkpoint = async () => {
      if (!ck.save) return;
      await drainLosses(s, pending, stride, false);
      const run = {
        ...s,
        solve: solve.state(),
        elapsedS: s.elapsedS + (performance.now() - started) / 1000,
      };
      await ck.save({ run, stream: stream.position(), trainer: tr.state() });
    };
    let window = { start: performance.now(), steps: 0 };
    let lastYield = performance.now();
    while (s.step < c.steps) {
      // The step loop never waits on I/O, so signal handlers (Ctrl-C) and progress redraws would
      // starve; give the event loop a turn about ten times a second.
      if (performance.now() - lastYield > 100) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = performance.now();
      }
      if (hooks.shouldStop?.()) throw new RunInterrupted("interrupted");
      if (hooks.shouldSuspend?.()) {
        await checkpoint();
        throw new RunSuspended(s.step);
      }
      const step = at = s.step + 1;
      const batch = stream.next();
      const t0 = performance.now();
      // Not in a tidy of ours: an eager step replaces model.params with tensors that must outlive it.
      const { x, y } = batchTensors(batch);
      const out = trainer.step(x, y);
      x.dispose();
      y.dispose();
      s.stepMs.push(performance.now() - t0);
      s.step = step;
      pending.push({ step, loss: out.loss, gradNorm: out.gradNorm });
      window.steps++;
      hooks.onStep?.(step);
      const isEval = step % c.evalEvery === 0 || step === c.steps;
      const isProbe = c.probeAt.includes(step);
      if (isEval || isProbe) {
        await drainLosses(s, pending, stride, true);
        if (s.bad) {
          status = "diverged";
          detail = s.bad;
          break;
        }
      }
      if (isEval) {
        const last = s.lastEval = await evaluateTestSet(trainer.sync(), test, step);
        const { test_loss, test_mse, test_accuracy } = last;
        Object.assign(s.curve[s.curve.length - 1], { test_loss, test_mse, test_accuracy });
        const now = performance.now();
        hooks.onEval?.({
          ...last,
          train_loss: s.lastTrainLoss ?? NaN,
          steps_per_s: window.steps / Math.max(1e-9, (now - window.start) / 1000),
        });
        window = { start: now, steps: 0 };
        if (!Number.isFinite(test_loss)) {
          status = "diverged";
          detail = { step, reason: `test loss is ${test_loss}` };
          break;
        }
        stoppedEarly = solve.observe(last, step === c.steps).stop;
      }
      // A run stopped early is probed where it stopped when the suite probes at the end.
      if (isProbe || (stoppedEarly && c.probeAt.includes(c.steps))) {
        s.probes.push(await probeRecord(trainer.sync(), spec, probeBatch, step));
      }
      if (stoppedEarly) break;
      if (ck.every && step % ck.every === 0 && step < c.steps) await checkpoint();
    }
  } catch (e) {
    if (e instanceof RunInterrupted || e instanceof RunSuspended) throw e;
    status = "failed";
    detail = {
      step: at || null,
      reason: (e instanceof Error ? e.message : String(e)).split("\n")[0],
    };
  } finally {
    disposePending(pending);
    trainer?.dispose();
    if (model) disposeModel(model);
  }
  const last = s.lastEval;
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
      final_train_loss: s.lastTrainLoss,
      baseline_loss: baselineLoss(spec),
      solved,
      // The rule's answer whatever happened later: a run that solved and then diverged solved.
      steps_to_solve: solve.stepsToSolve,
    },
    stopped_early: stoppedEarly,
    end_step: s.stepMs.length,
    ...(s.resumedFrom.length ? { resumed_from: s.resumedFrom } : {}),
    curve: s.curve,
    probes: s.probes,
    timing: {
      median_step_ms: median(s.stepMs),
      total_s: s.elapsedS + (performance.now() - started) / 1000,
      steps_done: s.stepMs.length,
    },
  };
}
