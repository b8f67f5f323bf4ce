/**
 * `rnn_relu` — h_t = relu(x_t W_x + h_{t-1} W_h + b).
 * Init: every weight U(−1/√H, 1/√H), PyTorch's `nn.RNN` default, as `rnn_tanh` (with identity
 * W_h and zero bias it is `irnn`).
 * ReLU does not saturate, so gradients can explode as well as vanish.
 *
 * @module
 */
import { rnnTanh } from "./rnn_tanh.ts";
import type { Cell } from "./types.ts";

const { gates, paramNames, shapes, init } = rnnTanh;

export const rnnRelu: Cell = {
  name: "rnn_relu",
  summary: "h_t = relu(x_t W_x + h_{t-1} W_h + b)",
  // Same parameters, shapes and initialiser as rnn_tanh (PyTorch's nn.RNN default).
  gates,
  paramNames,
  shapes,
  init,

  // a = xp_t + h_{t-1} W_h;  h_t = relu(a)
  forward: (o, { xp: [xp] }, prev, p) => ({
    state: { h: o.relu(o.add(xp, o.matMul(prev.h, p.W_h))) },
    saved: [],
  }),
  // da = dh ⊙ [a > 0] (= [h_t > 0]);  dh_{t-1} = da W_hᵀ
  backward: (o, dh, _dc, _prev, state, _saved, p, _cfg, first) => {
    const da = o.reluGrad(state.h, dh, 0);
    return { dx: da, dhPrev: first ? null : o.matMul(da, p.W_h, false, true) };
  },
};
