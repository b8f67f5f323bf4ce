/**
 * A run's training-loss curve, built from the losses the step loop leaves on the device: they
 * are read in one go when the loop needs them (an evaluation, a probe, a checkpoint), never per
 * step.
 *
 * The curve keeps at most about {@link CURVE_POINTS} points: each is the mean training loss over
 * the steps since the previous one (every step for short runs), so a 40,000-step run's record
 * stays small while its curve keeps the shape (and the mean is less noisy than one sampled step).
 *
 * @module
 */
import { tf } from "../backend.ts";
import type { CurvePoint } from "../results/schema.ts";

/** About how many points a run's training curve keeps (see {@link curveStride}). */
export const CURVE_POINTS = 500;

/**
 * Steps per training-curve point for a run of `steps` steps: 1 up to {@link CURVE_POINTS} steps,
 * then ⌈steps / CURVE_POINTS⌉ (each point is the mean loss of its window).
 */
export function curveStride(steps: number): number {
  return Math.max(1, Math.ceil(steps / CURVE_POINTS));
}

/** A step's loss and pre-clip gradient norm, not read yet. */
export interface PendingStep {
  step: number;
  loss: tf.Scalar;
  gradNorm: tf.Scalar;
}

/** The curve so far and what it needs to continue (plain data: a checkpoint saves it). */
export interface CurveState {
  curve: CurvePoint[];
  /** The open window: sum and count of the finite losses since the last point. */
  window: { sum: number; n: number };
  /** The last finite training loss read. */
  lastTrainLoss: number | null;
  /** The first non-finite loss or gradient norm read, and at which step. */
  bad: { step: number; reason: string } | null;
}

/** An empty curve. */
export function emptyCurve(): CurveState {
  return { curve: [], window: { sum: 0, n: 0 }, lastTrainLoss: null, bad: null };
}

function closeWindow(s: CurveState, at: number): void {
  if (s.window.n === 0) return;
  s.curve.push({ step: at, train_loss: s.window.sum / s.window.n });
  s.window = { sum: 0, n: 0 };
}

/**
 * Reads the pending losses (one host read for all) into the curve, disposing them. A point every
 * `stride` steps; with `pointAtLast`, also at the last step read (an evaluation or a probe, which
 * then adds its metrics to it). A checkpoint reads without `pointAtLast`, so the curve it saves
 * continues exactly as if it had not been read.
 */
export async function drainLosses(
  s: CurveState,
  pending: PendingStep[],
  stride: number,
  pointAtLast: boolean,
): Promise<void> {
  if (pending.length === 0) return;
  const packed = tf.tidy(() => tf.stack(pending.flatMap((p) => [p.loss, p.gradNorm])));
  const vals = await packed.data();
  packed.dispose();
  pending.forEach((p, i) => {
    const l = vals[2 * i], g = vals[2 * i + 1];
    if (!s.bad && (!Number.isFinite(l) || !Number.isFinite(g))) {
      s.bad = {
        step: p.step,
        reason: !Number.isFinite(l) ? `training loss is ${l}` : `gradient norm is ${g}`,
      };
    }
    if (Number.isFinite(l)) {
      s.lastTrainLoss = l;
      s.window.sum += l;
      s.window.n++;
    } else {
      // A non-finite loss gets a point of its own (null), after the window before it.
      closeWindow(s, p.step - 1);
      s.curve.push({ step: p.step, train_loss: null as unknown as number });
    }
    if (p.step % stride === 0 || (pointAtLast && i === pending.length - 1)) closeWindow(s, p.step);
  });
  disposePending(pending);
}

/** Disposes pending losses unread. */
export function disposePending(pending: PendingStep[]): void {
  for (const p of pending) {
    p.loss.dispose();
    p.gradNorm.dispose();
  }
  pending.length = 0;
}
