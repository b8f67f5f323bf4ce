/**
 * The `+attn` readout (docs/cells.md): scaled dot-product attention of the last state over all states,
 * q = h_{T-1} W_q;  w = softmax_t(h_t · q / √H);  ctx = Σ_t w_t h_t.
 * It gives every step a direct path to the loss, one softmax away — so dL/dh_t for early t no
 * longer has to travel through the recurrence (Bahdanau et al. 2015; Vaswani et al. 2017 for the
 * scaling). Forward and backward side by side; batched matmuls over all steps, nothing per step.
 *
 * @module
 */
import type { Ops } from "./ops.ts";

/** The attention readout over batch-major states, with its backward. */
export interface Attention<T> {
  /** Context vectors [B, H]. */
  ctx: T;
  /**
   * Backward given dctx [B, H]: dL/dh_t time-major [T, B, H] without the query term, the query
   * term dL/dh_{T-1}, and dW_q.
   */
  backward(dctx: T): { dhs: T; dhLast: T; dW_q: T };
}

/**
 * Attention of `hLast` [B, H] over the states `hsB` [B, T, H].
 * Backward: dw_t = h_t · dctx;  ds = w ⊙ (dw − Σ_t w dw) / √H;  dq = Σ_t ds_t h_t;
 * dh_t = w_t dctx + ds_t q (plus dq W_qᵀ into h_{T-1});  dW_q = h_{T-1}ᵀ dq.
 */
export function attend<T>(
  o: Ops<T>,
  hsB: T,
  hLast: T,
  W_q: T,
  dims: { B: number; T: number; H: number },
): Attention<T> {
  const { B, T, H } = dims;
  const scale = o.scalar(1 / Math.sqrt(H));
  const q = o.matMul(hLast, W_q); // [B, H]
  const scores = o.reshape(o.batchMatMul(hsB, o.reshape(q, [B, H, 1])), [B, T]);
  const w = o.softmax(o.mul(scores, scale)); // [B, T]
  const ctx = o.reshape(o.batchMatMul(o.reshape(w, [B, 1, T]), hsB), [B, H]);
  return {
    ctx,
    backward(dctx) {
      const dw = o.reshape(o.batchMatMul(hsB, o.reshape(dctx, [B, H, 1])), [B, T]);
      const ds = o.mul(o.mul(w, o.sub(dw, o.sum(o.mul(w, dw), [1], true))), scale);
      const dq = o.reshape(o.batchMatMul(o.reshape(ds, [B, 1, T]), hsB), [B, H]);
      // dh_t = [w_t, ds_t] · [dctx; q], one batched matmul for both terms.
      const dhsB = o.batchMatMul(o.stack([w, ds], 2), o.stack([dctx, q], 1));
      return {
        dhs: o.transpose(dhsB, [1, 0, 2]),
        dhLast: o.matMul(dq, W_q, false, true),
        dW_q: o.matMul(hLast, dq, true, false),
      };
    },
  };
}
