/**
 * The `+attn` readout (CELLS.md): scaled dot-product attention of the last state over all states,
 * q = h_{T-1} W_q;  w = softmax_t(h_t · q / √H);  ctx = Σ_t w_t h_t.
 * It gives every step a direct path to the loss, one softmax away — so dL/dh_t for early t no
 * longer has to travel through the recurrence (Bahdanau et al. 2015; Vaswani et al. 2017 for the
 * scaling). Forward and backward side by side; batched matmuls over all steps, nothing per step.
 *
 * @module
 */
import { tf } from "../backend.ts";

/** What the backward pass needs from the forward pass. */
export interface AttentionCache {
  /** States batch-major [B, T, H]. */
  hsB: tf.Tensor3D;
  hLast: tf.Tensor2D;
  q: tf.Tensor2D;
  /** Attention weights [B, T]. */
  weights: tf.Tensor2D;
}

/** Context vectors [B, H] for time-major states `hs` [T, B, H]. */
export function attend(
  hs: tf.Tensor3D,
  hLast: tf.Tensor2D,
  W_q: tf.Tensor,
): { ctx: tf.Tensor2D; cache: AttentionCache } {
  const [T, B, H] = hs.shape;
  const q = tf.matMul(hLast, W_q as tf.Tensor2D) as tf.Tensor2D; // [B, H]
  const hsB = tf.transpose(hs, [1, 0, 2]) as tf.Tensor3D; // [B, T, H]
  const scores = tf.reshape(tf.matMul(hsB, tf.reshape(q, [B, H, 1])), [B, T]);
  const weights = tf.softmax(tf.mul(scores, 1 / Math.sqrt(H))) as tf.Tensor2D;
  const ctx = tf.reshape(tf.matMul(tf.reshape(weights, [B, 1, T]), hsB), [B, H]) as tf.Tensor2D;
  return { ctx, cache: { hsB, hLast, q, weights } };
}

/**
 * Backward of {@link attend} given dctx [B, H]:
 * dw_t = h_t · dctx;  ds = w ⊙ (dw − Σ_t w dw) / √H;  dq = Σ_t ds_t h_t;
 * dh_t = w_t dctx + ds_t q (plus dq W_qᵀ into h_{T-1});  dW_q = h_{T-1}ᵀ dq.
 * Returns dhs time-major [T, B, H] (without the h_{T-1} query term), dhLast (the query term) and dW_q.
 */
export function attendBackward(
  dctx: tf.Tensor2D,
  c: AttentionCache,
  W_q: tf.Tensor,
): { dhs: tf.Tensor3D; dhLast: tf.Tensor2D; dW_q: tf.Tensor2D } {
  const [B, T, H] = c.hsB.shape;
  const dw = tf.reshape(tf.matMul(c.hsB, tf.reshape(dctx, [B, H, 1])), [B, T]);
  const ds = tf.mul(
    tf.mul(c.weights, tf.sub(dw, tf.sum(tf.mul(c.weights, dw), 1, true))),
    1 / Math.sqrt(H),
  );
  const dq = tf.reshape(tf.matMul(tf.reshape(ds, [B, 1, T]), c.hsB), [B, H]) as tf.Tensor2D;
  // dh_t = [w_t, ds_t] · [dctx; q], one batched matmul for both terms.
  const coef = tf.stack([c.weights, ds], 2); // [B, T, 2]
  const vecs = tf.stack([dctx, c.q], 1); // [B, 2, H]
  const dhs = tf.transpose(tf.matMul(coef, vecs), [1, 0, 2]) as tf.Tensor3D;
  return {
    dhs,
    dhLast: tf.matMul(dq, W_q as tf.Tensor2D, false, true),
    dW_q: tf.matMul(c.hLast, dq, true, false),
  };
}
