/**
 * The fused BPTT path (tensorflow backend; issue 9): the same math as `bptt.ts` and `cells/`,
 * with the per-step loop run as raw TensorFlow ops (`_tf_raw.ts`), and the LSTM step as
 * TensorFlow's fused `LSTMBlockCell` / `LSTMBlockCellGrad` kernels (one op forward, one op plus the
 * recurrent matmul backward). Everything outside the loop — input projection, readout, loss,
 * weight gradients over the stacked steps — is the generic tfjs code.
 *
 * It does not expose dL/dh_t, so the gradient probe stays on the generic path. Cells: the plain
 * RNNs (`rnn_tanh`, `rnn_relu`, `irnn`, `rnn_leaky`), `gru` and `lstm`, with or without attention.
 * TensorFlow's `GRUBlockCell` is not used: it is the reset-*before* GRU, c = tanh(x W_c +
 * (r ⊙ h) W_c + b_c), not the reset-after form of CELLS.md.
 *
 * @module
 */
import { tf } from "../backend.ts";
import type { LossAndGrads } from "./bptt.ts";
import type { Params } from "./cells/mod.ts";
import { headLoss, prepareTargets, readout, readoutBackward } from "./heads.ts";
import type { Model } from "./model.ts";
import { hasOps, RawOps, type RawTensor } from "./_tf_raw.ts";

type Raw = RawOps;

type Activation = "tanh" | "relu" | "leaky";
const ACTIVATION: Record<string, Activation> = {
  rnn_tanh: "tanh",
  rnn_relu: "relu",
  irnn: "relu",
  rnn_leaky: "leaky",
};

function lstmAttrs(r: Raw) {
  return [r.float("forget_bias", 0), r.float("cell_clip", -1), r.bool("use_peephole", false)];
}

// Tiny invocations that tell whether the loaded libtensorflow has the ops each cell needs.
const PROBES: Record<string, (r: Raw) => void> = {
  MatMul: (r) => {
    const a = r.of(tf.ones([1, 1]));
    r.matMul(a, a);
  },
  LSTMBlockCell: (r) => {
    const z = r.of(tf.zeros([1, 1])), w = r.of(tf.zeros([2, 4]));
    const v = r.of(tf.zeros([1])), b = r.of(tf.zeros([4]));
    const out = r.run("LSTMBlockCell", [...lstmAttrs(r), r.floatType], [z, z, z, w, v, v, v, b], 7);
    r.run("LSTMBlockCellGrad", [r.bool("use_peephole", false), r.floatType], [
      z,
      z,
      z,
      w,
      v,
      v,
      v,
      b,
      ...out.slice(0, 6),
      z,
      z,
    ], 5);
  },
};

/** True when `model` can take the fused path on the active backend. */
export function fusedAvailable(model: Model): boolean {
  if (model.base === "lstm") return tf.tidy(() => hasOps(PROBES));
  if (model.base === "gru" || ACTIVATION[model.base]) {
    return tf.tidy(() => hasOps({ MatMul: PROBES.MatMul }));
  }
  return false;
}

/** The per-step part of a cell on raw handles. */
interface RawRun {
  /** h_1 … h_T. */
  hs: RawTensor[];
  /**
   * Backward from step T−1 down, given the direct dL/dh_t (null where none); returns dL/d(xp)
   * and dL/d(recurrent pre-activation) stacked [T, B, G·H] (drec null when it equals dx).
   */
  backward(direct: (t: number) => RawTensor | null): { dx: RawTensor; drec: RawTensor | null };
}

/** h_t = act(xp_t + h_{t-1} W_h); da = act'(h_t) ⊙ dh; dh_{t-1} = da W_hᵀ. */
function rnnRun(
  r: Raw,
  act: Activation,
  alpha: number,
  xp: RawTensor,
  h0: RawTensor,
  W_h: RawTensor,
  W_hT: RawTensor,
): RawRun {
  const xs = r.unpack(xp);
  const hs: RawTensor[] = [];
  let h = h0;
  for (let t = 0; t < xs.length; t++) {
    const m = r.matMul(h, W_h), a = r.add(xs[t], m);
    r.free(m, xs[t]);
    h = act === "tanh"
      ? r.unary("Tanh", a)
      : act === "relu"
      ? r.unary("Relu", a)
      : r.leakyRelu(a, alpha);
    r.free(a);
    hs.push(h);
  }
  return {
    hs,
    backward(direct) {
      const T = hs.length, das: RawTensor[] = new Array(T);
      let dhNext: RawTensor | null = null;
      for (let t = T - 1; t >= 0; t--) {
        const d = direct(t);
        const dh: RawTensor = d && dhNext ? r.add(d, dhNext) : (d ?? dhNext)!;
        const da = act === "tanh"
          ? r.outputGrad("TanhGrad", hs[t], dh)
          : r.reluGrad(dh, hs[t], act === "relu" ? 0 : alpha);
        r.free(dh, dhNext);
        das[t] = da;
        dhNext = t > 0 ? r.matMul(da, W_hT) : null;
      }
      const dx = r.pack(das);
      r.free(...das);
      return { dx, drec: null };
    },
  };
}

/** The reset-after GRU of `cells/gru.ts`, op for op. */
function gruRun(
  r: Raw,
  xp: RawTensor,
  h0: RawTensor,
  W_h: RawTensor,
  W_hT: RawTensor,
  b_h: RawTensor,
  H: number,
): RawRun {
  const [xpRZ, xpN] = r.splitV(xp, [2 * H, H], 2);
  const gxRZ = r.unpack(xpRZ), gxN = r.unpack(xpN);
  r.free(xpRZ, xpN);
  const hs: RawTensor[] = [], saved: RawTensor[][] = [];
  let h = h0;
  for (let t = 0; t < gxRZ.length; t++) {
    const m = r.matMul(h, W_h), gh = r.add(m, b_h);
    const [ghRZ, ghN] = r.splitV(gh, [2 * H, H], 1);
    const sRZ = r.add(gxRZ[t], ghRZ), rz = r.unary("Sigmoid", sRZ);
    const [rg, u] = r.splitV(rz, [H, H], 1);
    const rgh = r.mul(rg, ghN), sN = r.add(gxN[t], rgh), n = r.unary("Tanh", sN);
    const hMinusN = r.sub(h, n), uh = r.mul(u, hMinusN);
    h = r.add(n, uh); // = (1 − u) ⊙ n + u ⊙ h_{t-1}
    r.free(m, gh, ghRZ, sRZ, rz, rgh, sN, uh, gxRZ[t], gxN[t]);
    hs.push(h);
    saved.push([rg, u, n, ghN, hMinusN]);
  }
  return {
    hs,
    backward(direct) {
      // dL/d(xp_t) = [dr, du, dnPre] differs from the recurrent [dr, du, dnR] only in its last
      // block: the per-step pieces are stacked over T and concatenated once after the loop, so
      // each step has one ConcatV2 (the matmul's input), not two.
      const T = hs.length, drecs: RawTensor[] = new Array(T);
      const drs: RawTensor[] = new Array(T), dus: RawTensor[] = new Array(T);
      const dns: RawTensor[] = new Array(T);
      let dhNext: RawTensor | null = null;
      for (let t = T - 1; t >= 0; t--) {
        const [rg, u, n, ghN, hMinusN] = saved[t];
        const d = direct(t);
        const dh: RawTensor = d && dhNext ? r.add(d, dhNext) : (d ?? dhNext)!;
        const dhU = r.mul(dh, u), dn = r.sub(dh, dhU), dnPre = r.outputGrad("TanhGrad", n, dn);
        const drIn = r.mul(dnPre, ghN), dr = r.outputGrad("SigmoidGrad", rg, drIn);
        const duIn = r.mul(dh, hMinusN), du = r.outputGrad("SigmoidGrad", u, duIn);
        const dnR = r.mul(dnPre, rg);
        drecs[t] = r.concat([dr, du, dnR], 1);
        drs[t] = dr;
        dus[t] = du;
        dns[t] = dnPre;
        r.free(dh, dhNext, dn, drIn, duIn, dnR, ...saved[t]);
        if (t > 0) {
          const m = r.matMul(drecs[t], W_hT);
          dhNext = r.add(dhU, m);
          r.free(m);
        } else dhNext = null;
        r.free(dhU);
      }
      const drec = r.pack(drecs);
      const pr = r.pack(drs), pu = r.pack(dus), pn = r.pack(dns);
      r.free(...drecs, ...drs, ...dus, ...dns);
      const dx = r.concat([pr, pu, pn], 2);
      r.free(pr, pu, pn);
      return { dx, drec };
    },
  };
}

/**
 * The LSTM on `LSTMBlockCell` (TensorFlow's gate order i, c(=g), f, o; forget_bias 0, no cell
 * clip, no peepholes): per step one op forward; backward `LSTMBlockCellGrad` gives dz (as
 * [dz_i dz_g dz_f dz_o]) and dL/dc_{t-1}, and dh_{t-1} = dz W_hᵀ with W_hᵀ (`W_hT`, transposed
 * once: a plain matmul is faster than one with transpose_b) in the same order.
 */
function lstmRun(
  r: Raw,
  xT: RawTensor,
  h0: RawTensor,
  w: RawTensor,
  W_hT: RawTensor,
  b: RawTensor,
  H: number,
): RawRun {
  const xs = r.unpack(xT);
  const zH = r.of(tf.zeros([H]));
  const attrs = [...lstmAttrs(r), r.floatType];
  const hs: RawTensor[] = [], cs: RawTensor[] = [h0], saved: RawTensor[][] = [];
  let h = h0;
  for (let t = 0; t < xs.length; t++) {
    const [i, c, f, o, ci, co, hn] = r.run(
      "LSTMBlockCell",
      attrs,
      [xs[t], cs[t], h, w, zH, zH, zH, b],
      7,
    );
    h = hn;
    hs.push(h);
    cs.push(c);
    saved.push([i, f, o, ci, co]);
  }
  const gradAttrs = [r.bool("use_peephole", false), r.floatType];
  return {
    hs,
    backward(direct) {
      const T = hs.length, dzs: RawTensor[] = new Array(T);
      let dhNext: RawTensor | null = null, dcNext: RawTensor = h0; // h0 is zeros [B, H]
      for (let t = T - 1; t >= 0; t--) {
        const [i, f, o, ci, co] = saved[t];
        const d = direct(t);
        const dh: RawTensor = d && dhNext ? r.add(d, dhNext) : (d ?? dhNext)!;
        const [dcPrev, dz, g1, g2, g3] = r.run("LSTMBlockCellGrad", gradAttrs, [
          xs[t],
          cs[t],
          t > 0 ? hs[t - 1] : h0,
          w,
          zH,
          zH,
          zH,
          b,
          i,
          cs[t + 1],
          f,
          o,
          ci,
          co,
          dcNext,
          dh,
        ], 5);
        r.free(g1, g2, g3, dh, dhNext, dcNext, ...saved[t], xs[t], cs[t + 1]);
        dzs[t] = dz;
        dcNext = dcPrev;
        dhNext = t > 0 ? r.matMul(dz, W_hT) : null;
      }
      r.free(dcNext);
      const dx = r.pack(dzs);
      r.free(...dzs);
      return { dx, drec: null };
    },
  };
}

/** Reorders the four H-wide gate blocks along `axis` from `from` to `to` (e.g. "ifgo" → "igfo"). */
function reorderGates(t: tf.Tensor, axis: number, from: string, to: string): tf.Tensor {
  const parts = tf.split(t, 4, axis);
  return tf.concat([...to].map((g) => parts[from.indexOf(g)]), axis);
}

/**
 * {@link lossAndGrads} without the probe, on the fused path. Call only when
 * {@link fusedAvailable} says so.
 */
export function fusedLossAndGrads(model: Model, x: tf.Tensor3D, y: tf.Tensor): LossAndGrads {
  return tf.tidy(() => {
    const r = new RawOps();
    try {
      return run(r, model, x, y) as unknown as tf.TensorContainerObject;
    } finally {
      r.dispose();
    }
  }) as unknown as LossAndGrads;
}

function run(r: Raw, model: Model, x: tf.Tensor3D, y: tf.Tensor): LossAndGrads {
  const p = model.params, H = model.hidden;
  const [B, T, I] = x.shape;
  const xT = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D;
  const x2d = tf.reshape(xT, [T * B, I]) as tf.Tensor2D;
  const h0 = r.of(tf.zeros([B, H]));
  const lstm = model.base === "lstm";
  let cell: RawRun;
  if (lstm) {
    // TensorFlow's block cells concatenate [x_t, h_{t-1}] and take gates in the order i, c, f, o.
    const w = reorderGates(tf.concat([p.W_x, p.W_h], 0), 1, "ifgo", "igfo");
    const W_hT = tf.transpose(reorderGates(p.W_h, 1, "ifgo", "igfo"));
    const b = reorderGates(p.b, 0, "ifgo", "igfo");
    cell = lstmRun(r, r.of(xT), h0, r.of(w), r.of(W_hT), r.of(b), H);
  } else {
    const xp = tf.reshape(tf.add(tf.matMul(x2d, p.W_x as tf.Tensor2D), p.b), [T, B, -1]);
    const W_hT = r.of(tf.transpose(p.W_h));
    cell = model.base === "gru"
      ? gruRun(r, r.of(xp), h0, r.of(p.W_h), W_hT, r.of(p.b_h), H)
      : rnnRun(r, ACTIVATION[model.base], model.alpha, r.of(xp), h0, r.of(p.W_h), W_hT);
  }

  // Readout and loss in tfjs, as in bptt.ts; its backward gives the direct dL/dh_t.
  const lastOnly = model.task === "adding" && !model.attention;
  const hLast = r.wrap<tf.Tensor2D>(cell.hs[T - 1]);
  const hs = lastOnly ? null : r.wrap<tf.Tensor3D>(r.pack(cell.hs));
  const target = prepareTargets(model.task, y, model.outputSize);
  const head = readout(model.task, model.attention, hs, hLast, p);
  const { loss, dout } = headLoss(model.task, head.out, target);
  const hb = readoutBackward(model.task, model.attention, hs, head, dout, p);
  const direct: (RawTensor | null)[] = hb.dhs ? r.unpack(r.of(hb.dhs)) : new Array(T).fill(null);
  if (hb.dhLast) {
    const last = r.of(hb.dhLast);
    direct[T - 1] = direct[T - 1] ? r.add(direct[T - 1]!, last) : last;
  }

  // hPrev = [h_{-1}, h_0 … h_{T-2}] before the backward pass frees per-step data.
  const hPrev = tf.reshape(r.wrap(r.pack([h0, ...cell.hs.slice(0, T - 1)])), [T * B, H]);
  const back = cell.backward((t) => direct[t]);
  for (const d of direct) r.free(d);
  for (const h of cell.hs) r.free(h);
  // Weight gradients over the stacked steps (as `matrixParamGrads`), the matmuls as raw `MatMul`
  // with transpose_a: `tf.matMul` goes through a batched matmul that is ~2× slower here.
  const GH = back.dx.shape[2];
  const dx = tf.reshape(r.wrap(back.dx), [T * B, GH]) as tf.Tensor2D;
  const drec = back.drec ? tf.reshape(r.wrap(back.drec), [T * B, GH]) as tf.Tensor2D : dx;
  const xtd = (a: tf.Tensor, d: tf.Tensor) => r.wrap<tf.Tensor2D>(r.matMul(r.of(a), r.of(d), true));
  const grads: Params = {
    W_x: xtd(x2d, dx),
    W_h: xtd(hPrev, drec),
    b: tf.sum(dx, 0),
  };
  if (p.b_h) grads.b_h = tf.sum(drec, 0);
  if (lstm) { // back from TensorFlow's gate order
    for (const k of ["W_x", "W_h", "b"]) {
      grads[k] = reorderGates(grads[k], grads[k].rank - 1, "igfo", "ifgo");
    }
  }
  Object.assign(grads, hb.grads);
  return { loss, grads };
}
