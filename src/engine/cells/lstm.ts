/**
 * `lstm` — Hochreiter & Schmidhuber 1997 with a forget gate (Gers et al. 2000), gate order i, f, g, o:
 * z = x_t W_x + h_{t-1} W_h + b = [z_i | z_f | z_g | z_o];
 * c_t = σ(z_f) ⊙ c_{t-1} + σ(z_i) ⊙ tanh(z_g);  h_t = σ(z_o) ⊙ tanh(c_t).
 * Init: W_x Glorot-uniform, W_h orthogonal, b = 0 except the forget block = 1 (Jozefowicz et al.
 * 2015), so that c_t is carried — the additive path that keeps gradients from vanishing.
 *
 * This is the LSTM's one definition; the graph executor recognises the forward step and runs it
 * as TensorFlow's fused `LSTMBlockCell` kernel (`../tf_graph/lower_lstm.ts`).
 *
 * @module
 */
import { bias, glorotUniform, orthogonal } from "../init.ts";
import type { Cell } from "./types.ts";

export const lstm: Cell = {
  name: "lstm",
  summary: "LSTM, gates i, f, g, o; forget bias 1",
  gates: 4,
  hasCellState: true,
  paramNames: ["W_x", "W_h", "b"],
  shapes: (I, H) => ({ W_x: [I, 4 * H], W_h: [H, 4 * H], b: [4 * H] }),
  init: ({ inputSize: I, hidden: H, uniform }) => ({
    W_x: glorotUniform(uniform, I, 4 * H),
    W_h: orthogonal(uniform, H, 4 * H),
    b: bias(4 * H, { from: H, to: 2 * H, value: 1 }),
  }),

  // One matmul and one split per step, then c_t = σ(z_f) c_{t-1} + σ(z_i) tanh(z_g).
  forward: (o, input, prev, p, { hidden: H }) => {
    const z = o.add(input.xp[0], o.matMul(prev.h, p.W_h));
    const [zi, zf, zg, zo] = o.split(z, [H, H, H, H], 1);
    const i = o.sigmoid(zi), f = o.sigmoid(zf), g = o.tanh(zg), og = o.sigmoid(zo);
    const c = o.add(o.mul(f, prev.c!), o.mul(i, g));
    const tc = o.tanh(c);
    return { state: { h: o.mul(og, tc), c }, saved: [i, f, g, og, tc] };
  },
  // dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c_t)
  // dz_i = dc ⊙ g ⊙ σ'   dz_f = dc ⊙ c_{t-1} ⊙ σ'   dz_g = dc ⊙ i ⊙ tanh'   dz_o = dh ⊙ tanh c_t ⊙ σ'
  // dc_{t-1} = dc ⊙ f;  dh_{t-1} = dz W_hᵀ
  backward: (o, dh, dcNext, prev, _state, saved, p, _cfg, first) => {
    const [i, f, g, og, tc] = saved;
    const dcH = o.tanhGrad(tc, o.mul(dh, og));
    const dc = dcNext ? o.add(dcH, dcNext) : dcH;
    const dz = o.concat([
      o.sigmoidGrad(i, o.mul(dc, g)),
      o.sigmoidGrad(f, o.mul(dc, prev.c!)),
      o.tanhGrad(g, o.mul(dc, i)),
      o.sigmoidGrad(og, o.mul(dh, tc)),
    ], 1);
    return {
      dx: dz,
      dhPrev: first ? null : o.matMul(dz, p.W_h, false, true),
      dcPrev: first ? undefined : o.mul(dc, f),
    };
  },
};
