/**
 * The task heads of CELLS.md as functions of the stacked states, forward and backward side by side
 * (a handful of ops over all steps; nothing per step):
 *
 * - `adding`: ŷ = f W_o + b_o, f = h_{T-1} (or [h_{T-1}; ctx]); loss = mean_b (ŷ − y)².
 * - `copy`: logits_t = f_t W_o + b_o, f_t = h_t (or [h_t; ctx]); loss = mean over B·T of the
 *   softmax cross-entropy.
 *
 * The backward gives the *direct* gradients dL/dh_t (before the recurrence adds the path through
 * later steps) and the readout's parameter gradients.
 *
 * @module
 */
import { tf } from "../backend.ts";
import { attend, attendBackward, type AttentionCache } from "./attention.ts";
import type { Params } from "./cells/mod.ts";
import type { Task } from "./model.ts";

/** The readout's parameter names. */
export function headParamNames(attention: boolean): string[] {
  return attention ? ["W_q", "W_o", "b_o"] : ["W_o", "b_o"];
}

/** A forward pass of the head. */
export interface HeadForward {
  /** adding: ŷ [B, 1]; copy: logits time-major [T, B, O]. */
  out: tf.Tensor;
  hLast: tf.Tensor2D;
  ctx?: tf.Tensor2D;
  attn?: AttentionCache;
}

/**
 * The head's output from time-major states `hs` [T, B, H] (`hLast` = hs[T-1]). Adding without
 * attention reads only `hLast`.
 */
export function readout(
  task: Task,
  attention: boolean,
  hs: tf.Tensor3D | null,
  hLast: tf.Tensor2D,
  p: Params,
): HeadForward {
  const W_o = p.W_o as tf.Tensor2D;
  const O = W_o.shape[1];
  if (!attention) {
    if (task === "adding") return { out: tf.add(tf.matMul(hLast, W_o), p.b_o), hLast };
    const [T, B, H] = hs!.shape;
    const out = tf.reshape(tf.add(tf.matMul(tf.reshape(hs!, [T * B, H]), W_o), p.b_o), [T, B, O]);
    return { out, hLast };
  }
  const { ctx, cache } = attend(hs!, hLast, p.W_q);
  if (task === "adding") {
    return {
      out: tf.add(tf.matMul(tf.concat([hLast, ctx], 1), W_o), p.b_o),
      hLast,
      ctx,
      attn: cache,
    };
  }
  // [h_t; ctx] W_o = h_t W_o[:H] + ctx W_o[H:], the second term shared by every step.
  const [T, B, H] = hs!.shape;
  const [Wh, Wc] = tf.split(W_o, 2, 0);
  const perStep = tf.reshape(tf.matMul(tf.reshape(hs!, [T * B, H]), Wh), [T, B, O]);
  return { out: tf.add(perStep, tf.add(tf.matMul(ctx, Wc), p.b_o)), hLast, ctx, attn: cache };
}

/**
 * Targets in the form the losses use: adding → [B, 1] float32; copy → one-hot time-major
 * [T, B, O] float32 (from class indices [B, T]).
 */
export function prepareTargets(task: Task, y: tf.Tensor, outputSize: number): tf.Tensor {
  return tf.tidy(() => {
    if (task === "adding") return tf.reshape(tf.cast(y, "float32"), [y.shape[0], 1]);
    const idx = tf.transpose(tf.cast(y, "int32"), [1, 0]);
    return tf.cast(tf.oneHot(idx as tf.Tensor2D, outputSize), "float32");
  });
}

/**
 * The loss of CELLS.md and dL/d(out): adding 2(ŷ − y)/B; copy (softmax − onehot)/(T·B).
 */
export function headLoss(
  task: Task,
  out: tf.Tensor,
  target: tf.Tensor,
): { loss: tf.Scalar; dout: tf.Tensor } {
  if (task === "adding") {
    const diff = tf.sub(out, target);
    return { loss: tf.mean(tf.square(diff)), dout: tf.mul(diff, 2 / out.shape[0]) };
  }
  const [T, B] = out.shape;
  const logp = tf.logSoftmax(out);
  const loss = tf.mul(tf.sum(tf.mul(target, logp)), -1 / (T * B)) as tf.Scalar;
  return { loss, dout: tf.mul(tf.sub(tf.exp(logp), target), 1 / (T * B)) };
}

/** Gradients of the head: direct dL/dh_t and the readout's parameter gradients. */
export interface HeadBackward {
  /** Direct dL/dh_t for every step, time-major [T, B, H] (null when only the last step has one). */
  dhs: tf.Tensor3D | null;
  /** Direct dL/dh_{T-1} beyond `dhs` (adding head, attention query). */
  dhLast: tf.Tensor2D | null;
  grads: Params;
}

/** Backward of {@link readout} given dL/d(out). */
export function readoutBackward(
  task: Task,
  attention: boolean,
  hs: tf.Tensor3D | null,
  f: HeadForward,
  dout: tf.Tensor,
  p: Params,
): HeadBackward {
  const W_o = p.W_o as tf.Tensor2D;
  const O = W_o.shape[1];
  const H = f.hLast.shape[1];
  let dhs: tf.Tensor3D | null = null,
    dhLast: tf.Tensor2D | null = null,
    dctx: tf.Tensor2D | null = null;
  const grads: Params = {};
  if (task === "adding") {
    const d = dout as tf.Tensor2D; // [B, 1]
    const feats = attention ? tf.concat([f.hLast, f.ctx!], 1) : f.hLast;
    grads.W_o = tf.matMul(feats, d, true, false);
    grads.b_o = tf.sum(d, 0);
    const dfeats = tf.matMul(d, W_o, false, true);
    if (attention) [dhLast, dctx] = tf.split(dfeats, 2, 1) as tf.Tensor2D[];
    else dhLast = dfeats as tf.Tensor2D;
  } else {
    const [T, B] = dout.shape;
    const d2 = tf.reshape(dout, [T * B, O]) as tf.Tensor2D;
    const h2 = tf.reshape(hs!, [T * B, H]) as tf.Tensor2D;
    grads.b_o = tf.sum(d2, 0);
    const Wh = attention ? tf.slice(W_o, [0, 0], [H, O]) : W_o;
    const dWh = tf.matMul(h2, d2, true, false);
    dhs = tf.reshape(tf.matMul(d2, Wh, false, true), [T, B, H]) as tf.Tensor3D;
    if (attention) {
      const dSum = tf.sum(dout, 0) as tf.Tensor2D; // Σ_t dlogits_t, [B, O]
      const Wc = tf.slice(W_o, [H, 0], [H, O]);
      grads.W_o = tf.concat([dWh, tf.matMul(f.ctx!, dSum, true, false)], 0);
      dctx = tf.matMul(dSum, Wc, false, true);
    } else grads.W_o = dWh;
  }
  if (attention) {
    const a = attendBackward(dctx!, f.attn!, p.W_q);
    grads.W_q = a.dW_q;
    dhs = dhs ? tf.add(dhs, a.dhs) as tf.Tensor3D : a.dhs;
    dhLast = dhLast ? tf.add(dhLast, a.dhLast) as tf.Tensor2D : a.dhLast;
  }
  return { dhs, dhLast, grads };
}
