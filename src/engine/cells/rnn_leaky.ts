/**
 * `rnn_leaky` — h_t = leaky(x_t W_x + h_{t-1} W_h + b), leaky(a) = a if a > 0 else α·a
 * (α = `alpha`, default 0.01). Init as `rnn_relu`. The leak keeps a gradient path through
 * units that ReLU would switch off.
 *
 * @module
 */
import { rnnRelu } from "./rnn_relu.ts";
import type { Cell } from "./types.ts";

export const rnnLeaky: Cell = {
  ...rnnRelu,
  name: "rnn_leaky",
  summary: "h_t = leaky_α(x_t W_x + h_{t-1} W_h + b)",
  configure: ({ alpha }) => ({ alpha: alpha ?? 0.01 }),

  // a = xp_t + h_{t-1} W_h;  h_t = leaky(a)
  forward: (o, { xp: [xp] }, prev, p, cfg) => ({
    state: { h: o.leakyRelu(o.add(xp, o.matMul(prev.h, p.W_h)), cfg.alpha!) },
    saved: [],
  }),
  // da = dh ⊙ (1 if a > 0 else α) (a > 0 ⇔ h_t > 0);  dh_{t-1} = da W_hᵀ
  backward: (o, dh, _dc, _prev, state, _saved, p, cfg, first) => {
    const da = o.reluGrad(state.h, dh, cfg.alpha!);
    return { dx: da, dhPrev: first ? null : o.matMul(da, p.W_h, false, true) };
  },
};
