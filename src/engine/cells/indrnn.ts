/**
 * `indrnn` — Li et al. 2018, "Independently Recurrent Neural Network": h_t = relu(x_t W_x + u ⊙
 * h_{t-1} + b) with a recurrent *vector* u [H], so each unit's gradient through k steps is
 * Π u_n·relu' — it neither vanishes nor explodes when u_n is kept near 1. The paper stacks such
 * layers (a single layer has no cross-unit recurrence at all, and cannot solve the adding
 * problem); `layers: 2` in a suite is the published form.
 *
 * Init and constraint as the paper does for the adding problem (T up to 5000), in every layer:
 * u ~ U(2^{−1/T}, 2^{1/T}) and |u| ≤ 2^{1/T} after every update (T = the model's `seqLength`;
 * without one, u ~ U(0, 1) and no bound); W_x ~ N(0, 0.001²); b = 0.
 *
 * @module
 */
import { bias, gaussian, uniformIn } from "../init.ts";
import type { Cell } from "./types.ts";

export const indrnn: Cell = {
  name: "indrnn",
  summary: "h_t = relu(x_t W_x + u ⊙ h_{t-1} + b) (Li et al. 2018)",
  gates: 1,
  paramNames: ["W_x", "u", "b"],
  shapes: (I, H) => ({ W_x: [I, H], u: [H], b: [H] }),
  init: ({ inputSize: I, hidden: H, uniform, seqLength }) => ({
    W_x: gaussian(uniform, [I, H], 0.001),
    u: seqLength
      ? uniformIn(uniform, [H], Math.pow(0.5, 1 / seqLength), Math.pow(2, 1 / seqLength))
      : uniformIn(uniform, [H], 0, 1),
    b: bias(H),
  }),
  configure: ({ seqLength }) => seqLength ? { recurrentMax: Math.pow(2, 1 / seqLength) } : {},
  constrain: (o, p, cfg) =>
    cfg.recurrentMax === undefined
      ? p
      : { ...p, u: o.clipByValue(p.u, -cfg.recurrentMax, cfg.recurrentMax) },

  // a = xp_t + u ⊙ h_{t-1};  h_t = relu(a)
  forward: (o, { xp: [xp] }, prev, p) => ({
    state: { h: o.relu(o.add(xp, o.mul(prev.h, p.u))) },
    saved: [],
  }),
  // da = dh ⊙ [h_t > 0];  dh_{t-1} = da ⊙ u
  backward: (o, dh, _dc, _prev, state, _saved, p, _cfg, first) => {
    const da = o.reluGrad(state.h, dh, 0);
    return { dx: da, dhPrev: first ? null : o.mul(da, p.u) };
  },
  // du = Σ_{t,b} da ⊙ h_{t-1}
  paramGrads: (o, s) => ({
    W_x: o.matMul(s.x, s.dx, true, false),
    u: o.sum(o.mul(s.dx, s.hPrev), [0]),
    b: o.sum(s.dx, [0]),
  }),
};
