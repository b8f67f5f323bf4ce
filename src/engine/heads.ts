/**
 * The task heads of docs/cells.md and their losses, forward and backward side by side (a handful of
 * ops over all steps; nothing per step):
 *
 * - `adding`: ŷ = f W_o + b_o, f = h_{T-1} (or [h_{T-1}; ctx]); loss = mean_b (ŷ − y)².
 * - `copy`: logits_t = f_t W_o + b_o, f_t = h_t (or [h_t; ctx]); loss = mean over B·T of the
 *   softmax cross-entropy — or, for the gradient probe, a weighted sum over chosen steps
 *   (the recall positions alone).
 *
 * The backward gives the *direct* gradients dL/dh_t (before the recurrence adds the path through
 * later steps) and the readout's parameter gradients.
 *
 * @module
 */
import { attend } from "./attention.ts";
import type { Ops, TensorMap } from "./ops.ts";
import type { Task } from "./task.ts";

/** The readout's parameter names. */
export function headParamNames(attention: boolean): string[] {
  return attention ? ["W_q", "W_o", "b_o"] : ["W_o", "b_o"];
}

/** What a head is built for. */
export interface HeadSpec {
  task: Task;
  attention: boolean;
  B: number;
  T: number;
  H: number;
  O: number;
}

/** The head's output and what its backward needs. */
export interface HeadOutput<T> {
  /** adding: ŷ [B, 1]; copy: logits, time-major rows [T·B, O]. */
  out: T;
  /** Backward given dL/d(out): direct dL/dh_t per step (null where none) and the readout's grads. */
  backward(dout: T): { direct: (t: number) => T | null; grads: TensorMap<T> };
}

/**
 * The head's output from the states h_t (`hsAt(t)`, [B, H]). Adding without attention reads only
 * h_{T-1}.
 */
export function readout<T>(
  o: Ops<T>,
  s: HeadSpec,
  hsAt: (t: number) => T,
  p: TensorMap<T>,
): HeadOutput<T> {
  const { B, T, H, O } = s;
  const hLast = hsAt(T - 1);
  const all = () => Array.from({ length: T }, (_, t) => hsAt(t));
  const hsB = s.attention ? o.stack(all(), 1) : null; // [B, T, H]
  const att = hsB ? attend(o, hsB, hLast, p.W_q, { B, T, H }) : null;
  if (s.task === "adding") {
    const feats = att ? o.concat([hLast, att.ctx], 1) : hLast;
    return {
      out: o.add(o.matMul(feats, p.W_o), p.b_o),
      backward(dout) {
        const grads: TensorMap<T> = {
          W_o: o.matMul(feats, dout, true, false),
          b_o: o.sum(dout, [0]),
        };
        const dfeats = o.matMul(dout, p.W_o, false, true);
        if (!att) return { direct: (t) => t === T - 1 ? dfeats : null, grads };
        const [dhLast, dctx] = o.split(dfeats, [H, H], 1);
        const a = att.backward(dctx);
        grads.W_q = a.dW_q;
        const dhs = o.unstack(a.dhs, T);
        const last = o.add(o.add(dhs[T - 1], dhLast), a.dhLast);
        return { direct: (t) => t === T - 1 ? last : dhs[t], grads };
      },
    };
  }
  const h2 = hsB
    ? o.reshape(o.transpose(hsB, [1, 0, 2]), [T * B, H])
    : o.reshape(o.stack(all()), [T * B, H]);
  // [h_t; ctx] W_o = h_t W_o[:H] + ctx W_o[H:], the second term shared by every step.
  const [Wh, Wc] = att ? o.split(p.W_o, [H, H], 0) : [p.W_o, null];
  const perStep = o.matMul(h2, Wh);
  const out = att
    ? o.reshape(o.add(o.reshape(perStep, [T, B, O]), o.add(o.matMul(att.ctx, Wc!), p.b_o)), [
      T * B,
      O,
    ])
    : o.add(perStep, p.b_o);
  return {
    out,
    backward(dout) {
      const grads: TensorMap<T> = { b_o: o.sum(dout, [0]) };
      const dWh = o.matMul(h2, dout, true, false);
      let dhs = o.reshape(o.matMul(dout, Wh, false, true), [T, B, H]);
      let dhLast: T | null = null;
      if (att) {
        const dSum = o.sum(o.reshape(dout, [T, B, O]), [0]); // Σ_t dlogits_t, [B, O]
        grads.W_o = o.concat([dWh, o.matMul(att.ctx, dSum, true, false)], 0);
        const a = att.backward(o.matMul(dSum, Wc!, false, true));
        grads.W_q = a.dW_q;
        dhs = o.add(dhs, a.dhs);
        dhLast = a.dhLast;
      } else grads.W_o = dWh;
      const per = o.unstack(dhs, T);
      if (dhLast) per[T - 1] = o.add(per[T - 1], dhLast);
      return { direct: (t) => per[t], grads };
    },
  };
}

/**
 * Targets as the losses use them: adding → [B, 1]; copy → one-hot time-major rows [T·B, O]
 * (from class indices [B, T], int32).
 */
export function prepareTargets<T>(o: Ops<T>, s: HeadSpec, y: T): T {
  if (s.task === "adding") return o.reshape(y, [s.B, 1]);
  const onehot = o.oneHot(y, s.O); // [B, T, O]
  return o.reshape(o.transpose(onehot, [1, 0, 2]), [s.T * s.B, s.O]);
}

/**
 * The loss of docs/cells.md and dL/d(out): adding Σ(ŷ − y)²/B and 2(ŷ − y)/B; copy the mean
 * cross-entropy over all B·T positions and (softmax − onehot)/(T·B). With `stepWeights` (copy;
 * one weight per step t, for every b) the loss is Σ_{t,b} w_t·CE_{t,b} instead.
 */
export function headLoss<T>(
  o: Ops<T>,
  s: HeadSpec,
  out: T,
  target: T,
  stepWeights?: readonly number[],
): { loss: T; dout: T } {
  if (s.task === "adding") {
    const diff = o.sub(out, target);
    return {
      loss: o.mul(o.sumSquares(diff), o.scalar(1 / s.B)),
      dout: o.mul(diff, o.scalar(2 / s.B)),
    };
  }
  const { rows, grad } = o.softmaxCrossEntropy(out, target);
  if (!stepWeights) {
    const scale = o.scalar(1 / (s.T * s.B));
    return { loss: o.mul(o.sum(rows, [0]), scale), dout: o.mul(grad, scale) };
  }
  const w = stepWeights.flatMap((v) => new Array(s.B).fill(v));
  const wRows = o.constant(w, [s.T * s.B]);
  return {
    loss: o.sum(o.mul(rows, wRows), [0]),
    dout: o.mul(grad, o.reshape(wRows, [s.T * s.B, 1])),
  };
}

/**
 * The per-step weights of the copy task's recall loss: the mean cross-entropy over the last
 * `recall` positions (where the symbols must be reproduced) and nothing elsewhere — the part of
 * the loss that needs memory (Arjovsky, Shah & Bengio 2016).
 */
export function recallWeights(T: number, B: number, recall: number): number[] {
  return Array.from({ length: T }, (_, t) => t >= T - recall ? 1 / (recall * B) : 0);
}
