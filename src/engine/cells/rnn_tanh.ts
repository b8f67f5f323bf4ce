/**
 * `rnn_tanh` — the Elman RNN: h_t = tanh(x_t W_x + h_{t-1} W_h + b).
 * Init: every weight U(−1/√H, 1/√H), PyTorch's `nn.RNN` default (the layer the peer bench times).
 * Its W_h has spectral radius ≈ 1/√3 < 1, the setting in which Bengio et al. 1994 and Pascanu et
 * al. 2013 show the gradient ∂h_t/∂h_k = Π diag(tanh′) W_hᵀ vanishing exponentially in t − k.
 * (With an orthogonal W_h instead, Saxe et al. 2014, it barely decays at initialisation: at T=100
 * ‖dL/dh_0‖/‖dL/dh_99‖ ≈ 1e-2 rather than ≈ 1e-24 — orthogonal init is a remedy of its own.)
 *
 * @module
 */
import { uniformIn } from "../init.ts";
import type { Cell } from "./types.ts";

export const rnnTanh: Cell = {
  name: "rnn_tanh",
  summary: "h_t = tanh(x_t W_x + h_{t-1} W_h + b) (Elman 1990)",
  gates: 1,
  paramNames: ["W_x", "W_h", "b"],
  shapes: (I, H) => ({ W_x: [I, H], W_h: [H, H], b: [H] }),
  init: ({ inputSize: I, hidden: H, uniform }) => ({
    W_x: uniformIn(uniform, [I, H], -1 / Math.sqrt(H), 1 / Math.sqrt(H)),
    W_h: uniformIn(uniform, [H, H], -1 / Math.sqrt(H), 1 / Math.sqrt(H)),
    b: uniformIn(uniform, [H], -1 / Math.sqrt(H), 1 / Math.sqrt(H)),
  }),

  // a = xp_t + h_{t-1} W_h;  h_t = tanh(a)
  forward: (o, { xp: [xp] }, prev, p) => ({
    state: { h: o.tanh(o.add(xp, o.matMul(prev.h, p.W_h))) },
    saved: [],
  }),
  // da = dh ⊙ (1 − h_t²);  dh_{t-1} = da W_hᵀ
  backward: (o, dh, _dc, _prev, state, _saved, p, _cfg, first) => {
    const da = o.tanhGrad(state.h, dh);
    return { dx: da, dhPrev: first ? null : o.matMul(da, p.W_h, false, true) };
  },
};
