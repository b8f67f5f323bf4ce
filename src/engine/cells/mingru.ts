/**
 * `mingru` — Feng, Tung, Ahmed, Bengio & Hajimirsadeghi 2024, "Were RNNs All We Needed?": the
 * GRU with its gate and candidate depending on the input alone,
 * a = x_t W_x + b = [a_z | a_c];  u = σ(a_z);  h_t = (1 − u) ⊙ h_{t-1} + u ⊙ a_c.
 * The recurrence is linear in h with the diagonal Jacobian ∂h_t/∂h_{t-1} = diag(1 − u_t), so
 * dL/dh_k decays only as fast as the product of (1 − u) — a gradient the network controls
 * through its gates, with no matrix power to vanish. (The paper's sequential form, without its
 * log-space activation g; a parallel scan would compute the same states.)
 * Init: W_x Glorot-uniform, b = 0 (u starts near ½).
 *
 * @module
 */
import { bias, glorotUniform } from "../init.ts";
import type { Cell } from "./types.ts";

export const mingru: Cell = {
  name: "mingru",
  summary: "h_t = (1 − σ(a_z)) ⊙ h_{t-1} + σ(a_z) ⊙ a_c, a = x_t W_x + b (Feng et al. 2024)",
  gates: 2,
  paramNames: ["W_x", "b"],
  shapes: (I, H) => ({ W_x: [I, 2 * H], b: [2 * H] }),
  init: ({ inputSize: I, hidden: H, uniform }) => ({
    W_x: glorotUniform(uniform, I, 2 * H),
    b: bias(2 * H),
  }),

  // u = σ(a_z);  h_t = h_{t-1} + u ⊙ (a_c − h_{t-1})
  forward: (o, { xp: [a] }, prev, _p, { hidden: H }) => {
    const [az, ac] = o.split(a, [H, H], 1);
    const u = o.sigmoid(az);
    const cMinusH = o.sub(ac, prev.h);
    return { state: { h: o.add(prev.h, o.mul(u, cMinusH)) }, saved: [u, cMinusH] };
  },
  // da_z = dh ⊙ (a_c − h_{t-1}) ⊙ σ';  da_c = dh ⊙ u;  dh_{t-1} = dh ⊙ (1 − u) = dh − da_c
  backward: (o, dh, _dc, _prev, _state, [u, cMinusH], _p, _cfg, first) => {
    const dac = o.mul(dh, u);
    return {
      dx: o.concat([o.sigmoidGrad(u, o.mul(dh, cMinusH)), dac], 1),
      dhPrev: first ? null : o.sub(dh, dac),
    };
  },
};
