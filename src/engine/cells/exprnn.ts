/**
 * `exprnn` — Lezcano-Casado & Martínez-Rubio 2019, "Cheap Orthogonal Constraints in Neural
 * Networks": an RNN whose recurrent matrix is orthogonal by construction. The parameter is an
 * unconstrained square matrix A and the steps use W_h = expm(A − Aᵀ), the exponential of a
 * skew-symmetric matrix, formed once per pass (`weights`); its gradient reaches A through the
 * exponential's adjoint (`../expm.ts`). The nonlinearity is modReLU (Arjovsky, Shah & Bengio 2016):
 * a = x_t W_x + h_{t-1} W_h;  h_t = sign(a) ⊙ relu(|a| + b).
 * With W_h orthogonal, ‖∂h_t/∂h_{t-1}‖ ≤ 1 with equality where modReLU passes: the gradient
 * neither explodes nor, through W_h, vanishes.
 *
 * Init as the paper's code: A − Aᵀ block-diagonal with 2×2 blocks [[0, θ], [−θ, 0]],
 * θ ~ U(−π, π) (Henaff, Szlam & LeCun 2016; A holds θ above its diagonal, zeros elsewhere);
 * W_x ~ U(−1/√I, 1/√I) (PyTorch's `nn.Linear`); b ~ U(−0.01, 0.01).
 *
 * @module
 */
import { expm, expmAdjoint } from "../expm.ts";
import { uniformIn } from "../init.ts";
import { tf } from "../tf.ts";
import type { Cell } from "./types.ts";

export const exprnn: Cell = {
  name: "exprnn",
  summary:
    "h_t = modReLU(x_t W_x + h_{t-1} expm(A − Aᵀ), b) (Lezcano-Casado & Martínez-Rubio 2019)",
  gates: 1,
  paramNames: ["W_x", "A", "b"],
  shapes: (I, H) => ({ W_x: [I, H], A: [H, H], b: [H] }),
  init: ({ inputSize: I, hidden: H, uniform }) => {
    const a = new Float32Array(H * H);
    for (let i = 0; i + 1 < H; i += 2) a[i * H + i + 1] = Math.PI * (2 * uniform() - 1);
    return {
      W_x: uniformIn(uniform, [I, H], -1 / Math.sqrt(I), 1 / Math.sqrt(I)),
      A: tf.tensor2d(a, [H, H]),
      b: uniformIn(uniform, [H], -0.01, 0.01),
    };
  },
  // W_h = expm(A − Aᵀ); the modReLU bias is not added to the input projection (`b_mod`).
  // Back: dX = L_exp(Xᵀ, dW_h); dA = dX − dXᵀ.
  weights: (o, p, { hidden: H }) => {
    const x = o.sub(p.A, o.transpose(p.A, [1, 0]));
    return {
      weights: { W_x: p.W_x, W_h: expm(o, x, H), b_mod: p.b },
      backward: (g) => {
        const dx = expmAdjoint(o, x, g.W_h, H);
        return { W_x: g.W_x, A: o.sub(dx, o.transpose(dx, [1, 0])), b: g.b_mod };
      },
    };
  },

  // a = xp_t + h_{t-1} W_h;  h_t = sign(a) ⊙ relu(|a| + b)
  forward: (o, { xp: [xp] }, prev, p) => {
    const a = o.add(xp, o.matMul(prev.h, p.W_h));
    const sa = o.sign(a), r = o.relu(o.add(o.abs(a), p.b_mod));
    return { state: { h: o.mul(sa, r) }, saved: [sa, r] };
  },
  // dz = dh ⊙ sign(a) ⊙ [|a| + b > 0];  da = dz ⊙ sign(a);  dh_{t-1} = da W_hᵀ (drec carries dz)
  backward: (o, dh, _dc, _prev, _state, [sa, r], p, _cfg, first) => {
    const dz = o.reluGrad(r, o.mul(dh, sa), 0);
    const da = o.mul(dz, sa);
    return { dx: da, drec: dz, dhPrev: first ? null : o.matMul(da, p.W_h, false, true) };
  },
  // dW_x = Xᵀ da, dW_h = H_prevᵀ da, db = Σ dz
  paramGrads: (o, s) => ({
    W_x: o.matMul(s.x, s.dx, true, false),
    W_h: o.matMul(s.hPrev, s.dx, true, false),
    b_mod: o.sum(s.drec, [0]),
  }),
};
