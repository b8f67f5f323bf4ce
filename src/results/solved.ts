/**
 * When a run counts as solved, and from which step: one rule shared by training (which records
 * `metrics.steps_to_solve` and may stop early) and the report (which recomputes it from the
 * curve of records written before the field existed).
 *
 * The thresholds are the run config's `solved`: the adding problem passes an evaluation at test
 * MSE ≤ `solved.mse`, copy memory at recall accuracy ≥ `solved.accuracy`.
 *
 * Steps-to-solve is the first evaluation step whose metric passes **and** whose next evaluation
 * passes too (one lucky evaluation is not a solve). The run's final evaluation (at the step
 * budget) has no next one: it counts on its own, so a run that first passes at its last
 * evaluation is solved there. A run that ends early for any other reason (divergence, a failure)
 * gets no such grace: a passing evaluation without a next one does not count.
 *
 * @module
 */
import type {
  CurvePoint,
  EvalMetrics,
  ResultRecord,
  RunConfig,
  SolvedThreshold,
  StopWhenSolved,
} from "./schema.ts";

/** True when one evaluation passes the task's threshold. */
export function passes(
  task: RunConfig["task"],
  thresholds: SolvedThreshold,
  m: Pick<EvalMetrics, "test_mse" | "test_accuracy">,
): boolean {
  return task === "adding"
    ? typeof m.test_mse === "number" && m.test_mse <= thresholds.mse
    : typeof m.test_accuracy === "number" && m.test_accuracy >= thresholds.accuracy;
}

/** The rule in words, e.g. `test MSE ≤ 0.01` (for captions and logs). */
export function thresholdText(task: RunConfig["task"], thresholds: SolvedThreshold): string {
  return task === "adding"
    ? `test MSE ≤ ${thresholds.mse}`
    : `recall accuracy ≥ ${thresholds.accuracy}`;
}

/** What {@link SolveTracker.observe} says after an evaluation. */
export interface SolveState {
  /** The steps-to-solve found so far (null: not solved yet). */
  stepsToSolve: number | null;
  /** True when `stopWhenSolved` asks the run to end at this evaluation. */
  stop: boolean;
}

/** What a {@link SolveTracker} remembers between evaluations (a checkpoint saves it). */
export interface SolveTrackerState {
  stepsToSolve: number | null;
  /** The step of the last evaluation if it passed and awaits confirmation, else null. */
  candidate: number | null;
  /** Evaluations seen since the solving one (0 at the solving one). */
  since: number;
}

/** Follows a run's evaluations in order and finds its steps-to-solve. */
export interface SolveTracker {
  /** Feeds one evaluation; `final` marks the evaluation at the step budget. */
  observe(m: Pick<EvalMetrics, "step" | "test_mse" | "test_accuracy">, final: boolean): SolveState;
  /** The steps-to-solve so far (null: not solved). */
  readonly stepsToSolve: number | null;
  /** Its memory now: {@link solveTracker} given it continues from here. */
  state(): SolveTrackerState;
}

/** A tracker for one run's config (task, thresholds and `stopWhenSolved`), maybe continued. */
export function solveTracker(
  c: Pick<RunConfig, "task" | "solved"> & { stopWhenSolved?: StopWhenSolved },
  from?: SolveTrackerState,
): SolveTracker {
  let { stepsToSolve, candidate, since } = from ??
    { stepsToSolve: null, candidate: null, since: 0 };
  return {
    get stepsToSolve() {
      return stepsToSolve;
    },
    state: () => ({ stepsToSolve, candidate, since }),
    observe(m, final) {
      const ok = passes(c.task, c.solved, m);
      if (stepsToSolve === null) {
        if (ok && candidate !== null) {
          stepsToSolve = candidate;
          since = 1;
        } else if (ok && final) {
          stepsToSolve = m.step;
          since = 0;
        } else {
          candidate = ok ? m.step : null;
        }
      } else since++;
      const patience = c.stopWhenSolved?.patience;
      const stop = stepsToSolve !== null && patience !== undefined && since >= patience && !final;
      return { stepsToSolve, stop };
    },
  };
}

/**
 * Steps-to-solve of a recorded curve (its points with test metrics, in order); `lastStep` is the
 * run's step budget, so only an evaluation at it counts without a next one.
 */
export function stepsToSolveOfCurve(
  c: Pick<RunConfig, "task" | "solved" | "steps">,
  curve: CurvePoint[],
): number | null {
  const t = solveTracker(c);
  for (const p of curve) {
    if (p.test_loss === undefined && p.test_accuracy === undefined) continue;
    t.observe(
      { step: p.step, test_mse: p.test_mse ?? null, test_accuracy: p.test_accuracy ?? NaN },
      p.step === c.steps,
    );
  }
  return t.stepsToSolve;
}

/**
 * A record's steps-to-solve: its `metrics.steps_to_solve`, or for records written before that
 * field existed the same rule applied to its curve (null: never solved). The memory horizon and
 * the memory-horizon search both count a run as solved by this.
 */
export function recordStepsToSolve(
  r: Pick<ResultRecord, "metrics" | "config" | "curve">,
): number | null {
  if (r.metrics.steps_to_solve !== undefined) return r.metrics.steps_to_solve;
  return stepsToSolveOfCurve(r.config, r.curve);
}
