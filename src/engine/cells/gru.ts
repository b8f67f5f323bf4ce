/**
 * `gru` — Cho et al. 2014, in the reset-after form of PyTorch and of Keras (reset_after=true):
 * gx = x_t W_x + b, gh = h_{t-1} W_h + b_h, each [r | z | n];
 * r = σ(gx_r + gh_r); u = σ(gx_z + gh_z); n = tanh(gx_n + r ⊙ gh_n); h_t = (1 − u) ⊙ n + u ⊙ h_{t-1}.
 * Init: W_x Glorot-uniform, W_h orthogonal, b = b_h = 0 (Keras defaults).
 *
 * @module
 */
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
  // Split the projection into [gx_r gx_z] and gx_n once per chunk of steps, not per step.
  stepInputs: (o, xp, n, { hidden: H }) => {
    const [rz, nx] = o.split(xp, [2 * H, H], 2);
    const rzs = o.unstack(rz, n), ns = o.unstack(nx, n);
    o.dispose([rz, nx]);
    return rzs.map((t, k) => [t, ns[k]]);
  },

  forward: (o, { xp: [gxRZ, gxN] }, prev, p, { hidden: H }) => {
    const gh = o.add(o.matMul(prev.h, p.W_h), p.b_h);
    const [ghRZ, ghN] = o.split(gh, [2 * H, H], 1);
    const [r, u] = o.split(o.sigmoid(o.add(gxRZ, ghRZ)), [H, H], 1);
    const n = o.tanh(o.add(gxN, o.mul(r, ghN)));
    const hMinusN = o.sub(prev.h, n);
    const h = o.add(n, o.mul(u, hMinusN)); // = (1 − u) ⊙ n + u ⊙ h_{t-1}
    return { state: { h }, saved: [r, u, n, ghN, hMinusN] };
  },
  // dn = dh ⊙ (1 − u);  du = dh ⊙ (h_{t-1} − n);  dn_pre = dn ⊙ tanh'
  // dgx = [dr_pre, du_pre, dn_pre],  dgh = [dr_pre, du_pre, dn_pre ⊙ r],  dr = dn_pre ⊙ gh_n
  // dh_{t-1} = dh ⊙ u + dgh W_hᵀ
  backward: (o, dh, _dc, _prev, _state, saved, p, _cfg, first) => {
    const [r, u, n, ghN, hMinusN] = saved;
    const dhU = o.mul(dh, u);
    const dnPre = o.tanhGrad(n, o.sub(dh, dhU));
    const dr = o.sigmoidGrad(r, o.mul(dnPre, ghN));
    const du = o.sigmoidGrad(u, o.mul(dh, hMinusN));
    const dx = o.concat([dr, du, dnPre], 1);
    const drec = o.concat([dr, du, o.mul(dnPre, r)], 1);
    return {
      dx,
      drec,
      dhPrev: first ? null : o.add(dhU, o.matMul(drec, p.W_h, false, true)),
    };
  },
};
