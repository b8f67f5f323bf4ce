/**
 * `lstm` — Hochreiter & Schmidhuber 1997 with a forget gate (Gers et al. 2000), gate order i, f, g, o:
 * z = x_t W_x + h_{t-1} W_h + b = [z_i | z_f | z_g | z_o];
 * c_t = σ(z_f) ⊙ c_{t-1} + σ(z_i) ⊙ tanh(z_g);  h_t = σ(z_o) ⊙ tanh(c_t).
 * Init: W_x Glorot-uniform, W_h orthogonal, b = 0 except the forget block = 1 (Jozefowicz et al.
 * 2015), so that c_t is carried — the additive path that keeps gradients from vanishing.
 *
 * @module
 */
import { tf } from "../../backend.ts";
import { sigmoidGrad, tanhGrad } from "../_fused.ts";
import { bias, glorotUniform, orthogonal } from "../init.ts";
import type { Cell } from "./types.ts";

export const lstm: Cell = {
  name: "lstm",
  summary: "LSTM, gates i, f, g, o; forget bias 1",
  gates: 4,
  paramNames: ["W_x", "W_h", "b"],
  shapes: (I, H) => ({ W_x: [I, 4 * H], W_h: [H, 4 * H], b: [4 * H] }),
  init: ({ inputSize: I, hidden: H, uniform }) => ({
    W_x: glorotUniform(uniform, I, 4 * H),
    W_h: orthogonal(uniform, H, 4 * H),
    b: bias(4 * H, { from: H, to: 2 * H, value: 1 }),
  }),

  // One matmul and one split per step: [z_i z_f | z_g | z_o], then σ on i and f together.
  forward: ([xp], prev, p) => {
    const H = prev.h.shape[1];
    const z = tf.add(xp, tf.matMul(prev.h, p.W_h));
    const [zif, zg, zo] = tf.split(z, [2 * H, H, H], 1);
    const [i, f] = tf.split(tf.sigmoid(zif), 2, 1) as tf.Tensor2D[];
    const g = tf.tanh(zg), o = tf.sigmoid(zo);
    const c = tf.add(tf.mul(f, prev.c!), tf.mul(i, g)) as tf.Tensor2D;
    const tc = tf.tanh(c);
    return { state: { h: tf.mul(o, tc) as tf.Tensor2D, c }, saved: [i, f, g, o, tc] };
  },
  // dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c_t)
  // dz_i = dc ⊙ g ⊙ σ'   dz_f = dc ⊙ c_{t-1} ⊙ σ'   dz_g = dc ⊙ i ⊙ tanh'   dz_o = dh ⊙ tanh c_t ⊙ σ'
  // dc_{t-1} = dc ⊙ f;  dh_{t-1} = dz W_hᵀ
  backward: (dh, dcNext, prev, _state, saved, p, _cfg, first) => {
    const [i, f, g, o, tc] = saved as tf.Tensor2D[];
    let dc = tanhGrad(tc, tf.mul(dh, o) as tf.Tensor2D);
    if (dcNext) dc = tf.add(dc, dcNext);
    const dz = tf.concat([
      sigmoidGrad(i, tf.mul(dc, g)),
      sigmoidGrad(f, tf.mul(dc, prev.c!)),
      tanhGrad(g, tf.mul(dc, i)),
      sigmoidGrad(o, tf.mul(dh, tc)),
    ], 1) as tf.Tensor2D;
    return {
      dx: dz,
      dhPrev: first ? null : tf.matMul(dz, p.W_h, false, true),
      dcPrev: first ? undefined : tf.mul(dc, f) as tf.Tensor2D,
    };
  },
};
