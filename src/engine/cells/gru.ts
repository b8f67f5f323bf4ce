/**
 * `gru` — Cho et al. 2014, in the reset-after form of PyTorch and of Keras (reset_after=true):
 * gx = x_t W_x + b, gh = h_{t-1} W_h + b_h, each [r | z | n];
 * r = σ(gx_r + gh_r); u = σ(gx_z + gh_z); n = tanh(gx_n + r ⊙ gh_n); h_t = (1 − u) ⊙ n + u ⊙ h_{t-1}.
 * Init: W_x Glorot-uniform, W_h orthogonal, b = b_h = 0 (Keras defaults).
 *
 * @module
 */
import { tf } from "../../backend.ts";
import { sigmoidGrad, tanhGrad } from "../_fused.ts";
import { bias, glorotUniform, orthogonal } from "../init.ts";
import type { Cell } from "./types.ts";

export const gru: Cell = {
  name: "gru",
  summary: "GRU, reset-after form (PyTorch, Keras reset_after=true)",
  gates: 3,
  paramNames: ["W_x", "W_h", "b", "b_h"],
  shapes: (I, H) => ({ W_x: [I, 3 * H], W_h: [H, 3 * H], b: [3 * H], b_h: [3 * H] }),
  init: ({ inputSize: I, hidden: H, uniform }) => ({
    W_x: glorotUniform(uniform, I, 3 * H),
    W_h: orthogonal(uniform, H, 3 * H),
    b: bias(3 * H),
    b_h: bias(3 * H),
  }),
  // Split the projection into [gx_r gx_z] and gx_n once for all steps, not per step.
  stepInputs: (xp, H) => {
    const [rz, n] = tf.split(xp, [2 * H, H], 2);
    const rzs = tf.unstack(rz) as tf.Tensor2D[], ns = tf.unstack(n) as tf.Tensor2D[];
    rz.dispose();
    n.dispose();
    return rzs.map((t, k) => [t, ns[k]]);
  },

  forward: ([gxRZ, gxN], prev, p) => {
    const H = prev.h.shape[1];
    const gh = tf.add(tf.matMul(prev.h, p.W_h), p.b_h);
    const [ghRZ, ghN] = tf.split(gh, [2 * H, H], 1) as tf.Tensor2D[];
    const [r, u] = tf.split(tf.sigmoid(tf.add(gxRZ, ghRZ)), 2, 1) as tf.Tensor2D[];
    const n = tf.tanh(tf.add(gxN, tf.mul(r, ghN)));
    const hMinusN = tf.sub(prev.h, n);
    const h = tf.add(n, tf.mul(u, hMinusN)) as tf.Tensor2D; // = (1 − u) ⊙ n + u ⊙ h_{t-1}
    return { state: { h }, saved: [r, u, n, ghN, hMinusN] };
  },
  // dn = dh ⊙ (1 − u);  du = dh ⊙ (h_{t-1} − n);  dn_pre = dn ⊙ tanh'
  // dgx = [dr_pre, du_pre, dn_pre],  dgh = [dr_pre, du_pre, dn_pre ⊙ r],  dr = dn_pre ⊙ gh_n
  // dh_{t-1} = dh ⊙ u + dgh W_hᵀ
  backward: (dh, _dc, _prev, _state, saved, p, _cfg, first) => {
    const [r, u, n, ghN, hMinusN] = saved as tf.Tensor2D[];
    const dhU = tf.mul(dh, u) as tf.Tensor2D;
    const dnPre = tanhGrad(n, tf.sub(dh, dhU) as tf.Tensor2D);
    const drz = tf.concat([
      sigmoidGrad(r, tf.mul(dnPre, ghN) as tf.Tensor2D),
      sigmoidGrad(u, tf.mul(dh, hMinusN) as tf.Tensor2D),
    ], 1);
    const dx = tf.concat([drz, dnPre], 1) as tf.Tensor2D;
    const drec = tf.concat([drz, tf.mul(dnPre, r)], 1) as tf.Tensor2D;
    return {
      dx,
      drec,
      dhPrev: first ? null : tf.add(dhU, tf.matMul(drec, p.W_h, false, true)),
    };
  },
};
