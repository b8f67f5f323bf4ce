/**
 * One training step as one TensorFlow graph (issue 9): forward over T unrolled steps, the head and
 * its loss, backpropagation through time by hand (the math of `cells/`, `heads.ts` and `bptt.ts`,
 * op for op), the global gradient norm, clipping, Adam (`ResourceApplyAdam`) and IndRNN's
 * constraint — on resource variables, so a step is one `TF_SessionRun` with the batch as its only
 * input. The same graph answers {@link lossAndGrads}-style calls (fetch `loss`, `grads`, `dh`
 * with the parameter reads fed), so the gradient probe and gradcheck exercise this path too.
 *
 * The weight gradients are summed over chunks of {@link CHUNK} steps, each chunk's matmul
 * depending only on its own steps: TensorFlow's executor runs them on the second core while the
 * backward recurrence goes on.
 *
 * Cells: the plain RNNs, IndRNN, GRU and LSTM, each with or without the attention readout.
 *
 * @module
 */
import type { BaseCellName } from "../cells/mod.ts";
import { CELLS } from "../cells/mod.ts";
import type { Task } from "../model.ts";
import { type Graph, type Operation, type Out } from "./graph.ts";
import { DT } from "./tf_c.ts";

/** What a training graph is built for. */
export interface GraphSpec {
  base: BaseCellName;
  task: Task;
  inputSize: number;
  hidden: number;
  outputSize: number;
  /** The `+attn` readout. */
  attention: boolean;
  /** LeakyReLU slope (`rnn_leaky`). */
  alpha: number;
  /** IndRNN's bound on |u| after each update, if any. */
  recurrentMax?: number;
  batch: number;
  steps: number;
  /**
   * Parts the batch is split into: each part's rows are an independent chain through time, and
   * the parts' per-step ops run side by side on TensorFlow's inter-op threads (a 64×128×512
   * matmul does not split across cores by itself). `batch` must be a multiple.
   */
  parts: number;
  /** LSTM on TensorFlow's `LSTMBlockCell` / `LSTMBlockCellGrad` kernels (else element-wise ops). */
  lstmBlock: boolean;
}

/** Base cells the graph path builds. */
export const GRAPH_CELLS: readonly BaseCellName[] = [
  "rnn_tanh",
  "rnn_relu",
  "irnn",
  "rnn_leaky",
  "indrnn",
  "gru",
  "lstm",
];

/**
 * The batch split for `threads` inter-op threads: the most parts ≤ `threads` that divide `batch`
 * with at least {@link MIN_PART_ROWS} rows each (1 when none does).
 */
export function batchParts(batch: number, threads: number): number {
  for (let p = Math.min(threads, Math.floor(batch / MIN_PART_ROWS)); p > 1; p--) {
    if (batch % p === 0) return p;
  }
  return 1;
}

/** Fewest batch rows per part worth a chain of its own. */
export const MIN_PART_ROWS = 16;

/** Steps per weight-gradient chunk. */
export const CHUNK = 16;

/** A resource variable of the graph. */
export interface GraphVariable {
  handle: Out;
  read: Out;
  shape: number[];
  /** Feed a value here and run `assign` to set the variable. */
  init: Out;
  assign: Operation;
}

/** The endpoints of a built training graph. */
export interface TrainGraph {
  spec: GraphSpec;
  /** Inputs: x [B, T, I] float32; y adding [B] float32, copy [B, T] int32. */
  x: Out;
  y: Out;
  /** Parameters, in CELLS.md order (cell, then W_q with attention, W_o, b_o), and Adam's moments. */
  params: Record<string, GraphVariable>;
  m: Record<string, GraphVariable>;
  v: Record<string, GraphVariable>;
  loss: Out;
  /** Global norm of the gradients before clipping. */
  gradNorm: Out;
  grads: Record<string, Out>;
  /** Total dL/dh_t stacked [T, B, H] (computed only when fetched). */
  dh: Out;
  /** Per-step scalars of the update: clip norm (∞ = off) and Adam's inputs. */
  clip: Out;
  adam: { beta1Power: Out; beta2Power: Out; lr: Out; beta1: Out; beta2: Out; epsilon: Out };
  /** Run these to apply one update. */
  update: Operation[];
}

/** True when the graph path builds this base cell (with or without the attention readout). */
export function graphSupports(base: string): boolean {
  return (GRAPH_CELLS as readonly string[]).includes(base);
}

interface CellGraph {
  /** h_0 … h_{T-1}. */
  hs: Out[];
  /**
   * Backward from T−1 down given the direct dL/dh_t; per step: the total dh_t, dL/d(xp_t), and
   * dL/d(recurrent pre-activation) where it differs (GRU).
   */
  backward(direct: (t: number) => Out | null, stack: Stack): {
    dh: Out[];
    dx: Stacked;
    drec: Stacked | null;
  };
}

/** Stacks per-step [Bp, width] tensors into [steps·Bp, width] rows. */
type Stack = (ts: Out[]) => Out;
/** Steps a … b−1 of a per-step gradient as stacked rows. */
type Stacked = (a: number, b: number) => Out;

type Act = "tanh" | "relu" | "leaky";
const ACT: Partial<Record<BaseCellName, Act>> = {
  rnn_tanh: "tanh",
  rnn_relu: "relu",
  irnn: "relu",
  rnn_leaky: "leaky",
  indrnn: "relu",
};

function activate(g: Graph, act: Act, alpha: number, a: Out): Out {
  return act === "tanh"
    ? g.unary("Tanh", a)
    : act === "relu"
    ? g.unary("Relu", a)
    : g.leakyRelu(a, alpha);
}

function activateGrad(g: Graph, act: Act, alpha: number, h: Out, dh: Out): Out {
  return act === "tanh"
    ? g.outputGrad("TanhGrad", h, dh)
    : g.reluGrad(dh, h, act === "relu" ? 0 : alpha);
}

/** dh_t = direct_t + (dL/dh_t through step t+1). */
function total(g: Graph, d: Out | null, next: Out | null): Out {
  return d && next ? g.add(d, next) : (d ?? next)!;
}

/** Plain RNNs (matrix W_h) and IndRNN (vector u): h_t = act(xp_t + h_{t-1} W_h | u ⊙ h_{t-1}). */
function rnnGraph(
  g: Graph,
  xs: Out[],
  h0: Out,
  rec: Out,
  vector: boolean,
  act: Act,
  alpha: number,
): CellGraph {
  const hs: Out[] = [];
  let h = h0;
  for (let t = 0; t < xs.length; t++) {
    const r = vector ? g.mul(h, rec) : g.matMul(h, rec);
    h = activate(g, act, alpha, g.add(xs[t], r));
    hs.push(h);
  }
  return {
    hs,
    backward(direct, stack) {
      const T = hs.length, dh: Out[] = new Array(T), dx: Out[] = new Array(T);
      const recT = vector ? rec : g.transpose(rec, [1, 0]);
      let next: Out | null = null;
      for (let t = T - 1; t >= 0; t--) {
        dh[t] = total(g, direct(t), next);
        dx[t] = activateGrad(g, act, alpha, hs[t], dh[t]);
        next = t > 0 ? (vector ? g.mul(dx[t], recT) : g.matMul(dx[t], recT)) : null;
      }
      return { dh, dx: (a, b) => stack(dx.slice(a, b)), drec: null };
    },
  };
}

/** The reset-after GRU of `cells/gru.ts`. */
function gruGraph(g: Graph, xs: Out[], h0: Out, W_h: Out, b_h: Out, H: number): CellGraph {
  const hs: Out[] = [], saved: Out[][] = [];
  let h = h0;
  for (let t = 0; t < xs.length; t++) {
    const [gxRZ, gxN] = g.split(xs[t], [2 * H, H], 1);
    const gh = g.add(g.matMul(h, W_h), b_h);
    const [ghRZ, ghN] = g.split(gh, [2 * H, H], 1);
    const rz = g.unary("Sigmoid", g.add(gxRZ, ghRZ));
    const [r, u] = g.split(rz, [H, H], 1);
    const n = g.unary("Tanh", g.add(gxN, g.mul(r, ghN)));
    const hMinusN = g.sub(h, n);
    h = g.add(n, g.mul(u, hMinusN)); // (1 − u) ⊙ n + u ⊙ h_{t-1}
    hs.push(h);
    saved.push([r, u, n, ghN, hMinusN]);
  }
  return {
    hs,
    backward(direct, stack) {
      const T = hs.length, dh: Out[] = new Array(T), dx: Out[] = new Array(T);
      const drec: Out[] = new Array(T);
      const W_hT = g.transpose(W_h, [1, 0]);
      let next: Out | null = null;
      for (let t = T - 1; t >= 0; t--) {
        const [r, u, n, ghN, hMinusN] = saved[t];
        dh[t] = total(g, direct(t), next);
        const dhU = g.mul(dh[t], u);
        const dnPre = g.outputGrad("TanhGrad", n, g.sub(dh[t], dhU));
        const dr = g.outputGrad("SigmoidGrad", r, g.mul(dnPre, ghN));
        const du = g.outputGrad("SigmoidGrad", u, g.mul(dh[t], hMinusN));
        drec[t] = g.concat([dr, du, g.mul(dnPre, r)], 1);
        dx[t] = g.concat([dr, du, dnPre], 1);
        next = t > 0 ? g.add(dhU, g.matMul(drec[t], W_hT)) : null;
      }
      return {
        dh,
        dx: (a, b) => stack(dx.slice(a, b)),
        drec: (a, b) => stack(drec.slice(a, b)),
      };
    },
  };
}

/** Reorders the four H-wide gate blocks of `a` along `axis` from `from` to `to`. */
function reorderGates(g: Graph, a: Out, axis: number, size: number, from: string, to: string): Out {
  const parts = g.split(a, [size, size, size, size], axis);
  return g.concat([...to].map((k) => parts[from.indexOf(k)]), axis);
}

/**
 * The LSTM of `cells/lstm.ts`. Forward either as element-wise ops on z = xp_t + h_{t-1} W_h (gates
 * i, f, g, o) or, with `block`, as TensorFlow's fused `LSTMBlockCell` (one op per step on
 * [x_t, h_{t-1}], its weights in TensorFlow's gate order i, c(=g), f, o; forget_bias 0, no clip,
 * no peepholes). The backward is element-wise ops either way: `LSTMBlockCellGrad` took 118 µs
 * per step at 32×128 against ~95 µs for these ops. dL/d(pre-activation) comes in the forward's
 * gate order, which `order` names.
 */
function lstmGraph(
  g: Graph,
  inputs: { xp: Out[]; x: Out[] },
  h0: Out,
  p: { W_x: Out; W_h: Out; b: Out },
  H: number,
  block: boolean,
): CellGraph & { order: string } {
  const order = block ? "igfo" : "ifgo";
  const hs: Out[] = [], saved: Out[][] = [];
  let h = h0, c = h0;
  if (block) {
    const w = reorderGates(g, g.concat([p.W_x, p.W_h], 0), 1, H, "ifgo", order);
    const b = reorderGates(g, p.b, 0, H, "ifgo", order);
    const zH = g.constant(new Array(H).fill(0), [H]);
    const attrs = {
      forget_bias: { float: 0 },
      cell_clip: { float: -1 },
      use_peephole: { bool: false },
      T: { type: DT.float },
    };
    for (const x of inputs.x) {
      const cPrev = c;
      const [i, cs, f, o, ci, co, hn] = g.outs(
        "LSTMBlockCell",
        [x, cPrev, h, w, zH, zH, zH, b],
        attrs,
        7,
      );
      h = hn;
      c = cs;
      hs.push(h);
      saved.push([i, f, ci, o, co, cPrev]);
    }
  } else {
    for (const xp of inputs.xp) {
      const z = g.add(xp, g.matMul(h, p.W_h));
      const [zi, zf, zg, zo] = g.split(z, [H, H, H, H], 1);
      const i = g.unary("Sigmoid", zi), f = g.unary("Sigmoid", zf);
      const gg = g.unary("Tanh", zg), o = g.unary("Sigmoid", zo);
      const cPrev = c;
      c = g.add(g.mul(f, cPrev), g.mul(i, gg));
      const tc = g.unary("Tanh", c);
      h = g.mul(o, tc);
      hs.push(h);
      saved.push([i, f, gg, o, tc, cPrev]);
    }
  }
  return {
    hs,
    order,
    backward(direct, stack) {
      const T = hs.length, dh: Out[] = new Array(T);
      const W_hT = g.transpose(block ? reorderGates(g, p.W_h, 1, H, "ifgo", order) : p.W_h, [1, 0]);
      const dx: Out[] = new Array(T);
      let next: Out | null = null, dcNext: Out | null = null;
      for (let t = T - 1; t >= 0; t--) {
        const [i, f, gg, o, tc, cPrev] = saved[t];
        dh[t] = total(g, direct(t), next);
        const d: Record<string, Out> = {};
        d.o = g.outputGrad("SigmoidGrad", o, g.mul(dh[t], tc));
        const dcH = g.outputGrad("TanhGrad", tc, g.mul(dh[t], o));
        const dc: Out = dcNext ? g.add(dcH, dcNext) : dcH;
        d.i = g.outputGrad("SigmoidGrad", i, g.mul(dc, gg));
        d.g = g.outputGrad("TanhGrad", gg, g.mul(dc, i));
        d.f = g.outputGrad("SigmoidGrad", f, g.mul(dc, cPrev));
        dcNext = t > 0 ? g.mul(dc, f) : null;
        dx[t] = g.concat([...order].map((k) => d[k]), 1);
        next = t > 0 ? g.matMul(dx[t], W_hT) : null;
      }
      return {
        dh,
        dx: (a, b) => stack(dx.slice(a, b)),
        drec: null,
      };
    },
  };
}

/** What a head gives the backward pass. */
interface HeadGraph {
  loss: Out;
  /** Direct dL/dh_t (null where the head reads nothing of h_t). */
  direct: (t: number) => Out | null;
  /** The readout's parameter gradients (W_o, b_o, and W_q with attention). */
  grads: Record<string, Out>;
}

/**
 * The `+attn` readout of `attention.ts`: q = h_{T-1} W_q; w = softmax_t(h_t · q / √H);
 * ctx = Σ_t w_t h_t — as batched matmuls over the stacked states `hsB` [B, T, H].
 */
function attend(g: Graph, hsB: Out, hLast: Out, W_q: Out, spec: GraphSpec) {
  const { batch: B, steps: T, hidden: H } = spec;
  const bmm = (a: Out, b: Out) =>
    g.out("BatchMatMulV2", [a, b], {
      T: { type: DT.float },
      adj_x: { bool: false },
      adj_y: { bool: false },
    });
  const q = g.matMul(hLast, W_q);
  const scores = g.reshape(bmm(hsB, g.reshape(q, [B, H, 1])), [B, T]);
  const w = g.out("Softmax", [g.mul(scores, g.constant(1 / Math.sqrt(H)))], {
    T: { type: DT.float },
  });
  const ctx = g.reshape(bmm(g.reshape(w, [B, 1, T]), hsB), [B, H]);
  return {
    ctx,
    /** dL/dh_t time-major [T, B, H] (without the query term), the query term, dW_q. */
    backward(dctx: Out) {
      const dw = g.reshape(bmm(hsB, g.reshape(dctx, [B, H, 1])), [B, T]);
      const ds = g.mul(
        g.mul(w, g.sub(dw, g.sum(g.mul(w, dw), [1], true))),
        g.constant(1 / Math.sqrt(H)),
      );
      const dq = g.reshape(bmm(g.reshape(ds, [B, 1, T]), hsB), [B, H]);
      // dh_t = [w_t, ds_t] · [dctx; q], one batched matmul for both terms.
      const dhsB = bmm(g.pack([w, ds], 2), g.pack([dctx, q], 1));
      return {
        dhs: g.transpose(dhsB, [1, 0, 2]),
        dhLast: g.matMul(dq, W_q, false, true),
        W_q: g.matMul(hLast, dq, true, false),
      };
    },
  };
}

/** The loss of CELLS.md's head, and the direct dL/dh_t with the readout's gradients. */
function head(
  g: Graph,
  spec: GraphSpec,
  hsAt: (t: number) => Out,
  y: Out,
  p: (name: string) => Out,
): HeadGraph {
  const { batch: B, steps: T, hidden: H, outputSize: O } = spec;
  const W_o = p("W_o"), b_o = p("b_o");
  const hLast = hsAt(T - 1);
  const all = () => Array.from({ length: T }, (_, t) => hsAt(t));
  const hsB = spec.attention ? g.pack(all(), 1) : null; // [B, T, H]
  const att = hsB ? attend(g, hsB, hLast, p("W_q"), spec) : null;
  let loss: Out, dhs: Out | null = null, dhLast: Out | null = null, dctx: Out | null = null;
  const grads: Record<string, Out> = {};
  if (spec.task === "adding") {
    const feats = att ? g.concat([hLast, att.ctx], 1) : hLast;
    const diff = g.sub(g.add(g.matMul(feats, W_o), b_o), g.reshape(y, [B, 1]));
    loss = g.mul(g.l2Loss(diff), g.constant(2 / B)); // Σ d² / B
    const dout = g.mul(diff, g.constant(2 / B));
    grads.W_o = g.matMul(feats, dout, true, false);
    grads.b_o = g.sum(dout, [0]);
    const dfeats = g.matMul(dout, W_o, false, true);
    if (att) [dhLast, dctx] = g.split(dfeats, [H, H], 1);
    else dhLast = dfeats;
  } else {
    const h2 = hsB
      ? g.reshape(g.transpose(hsB, [1, 0, 2]), [T * B, H])
      : g.reshape(g.pack(all()), [T * B, H]);
    // [h_t; ctx] W_o = h_t W_o[:H] + ctx W_o[H:], the second term shared by every step.
    const [Wh, Wc] = att ? g.split(W_o, [H, H], 0) : [W_o, null];
    let logits = g.matMul(h2, Wh);
    logits = att
      ? g.reshape(g.add(g.reshape(logits, [T, B, O]), g.add(g.matMul(att.ctx, Wc!), b_o)), [
        T * B,
        O,
      ])
      : g.add(logits, b_o);
    // One-hot [B, T, O] first, then time-major (a float transpose, not an int32 one).
    const onehot = g.out("OneHot", [y, g.ints([O], []), g.constant(1), g.constant(0)], {
      T: { type: DT.float },
      TI: { type: DT.int32 },
      axis: { int: -1 },
    });
    const labels = g.reshape(g.transpose(onehot, [1, 0, 2]), [T * B, O]);
    const [rows, back] = g.outs("SoftmaxCrossEntropyWithLogits", [logits, labels], {
      T: { type: DT.float },
    }, 2);
    const scale = g.constant(1 / (T * B));
    loss = g.mul(g.sum(rows, [0]), scale);
    const d2 = g.mul(back, scale);
    grads.b_o = g.sum(d2, [0]);
    const dWh = g.matMul(h2, d2, true, false);
    dhs = g.reshape(g.matMul(d2, Wh, false, true), [T, B, H]);
    if (att) {
      const dSum = g.sum(g.reshape(d2, [T, B, O]), [0]); // Σ_t dlogits_t, [B, O]
      grads.W_o = g.concat([dWh, g.matMul(att.ctx, dSum, true, false)], 0);
      dctx = g.matMul(dSum, Wc!, false, true);
    } else grads.W_o = dWh;
  }
  if (att) {
    const a = att.backward(dctx!);
    grads.W_q = a.W_q;
    dhs = dhs ? g.add(dhs, a.dhs) : a.dhs;
    dhLast = dhLast ? g.add(dhLast, a.dhLast) : a.dhLast;
  }
  const perStep = dhs ? g.unpack(dhs, T) : null;
  return {
    loss,
    direct: (t) => {
      const d = perStep ? perStep[t] : null;
      if (t !== T - 1 || !dhLast) return d;
      return d ? g.add(d, dhLast) : dhLast;
    },
    grads,
  };
}

/** Σ over chunks of steps of f(chunk), each a function of its own steps only. */
function chunked(g: Graph, T: number, f: (from: number, to: number) => Out): Out {
  const parts: Out[] = [];
  for (let s = 0; s < T; s += CHUNK) parts.push(f(s, Math.min(T, s + CHUNK)));
  return g.addN(parts);
}

function variable(g: Graph, shape: number[]): GraphVariable {
  const { handle, read } = g.variable(shape);
  const init = g.placeholder(shape);
  const assign = g.op("AssignVariableOp", [handle, init], { dtype: { type: DT.float } });
  return { handle, read, shape, init, assign };
}

/** Builds the training graph of `spec` into `g`. */
export function buildTrainGraph(g: Graph, spec: GraphSpec): TrainGraph {
  const { base, batch: B, steps: T, inputSize: I, hidden: H, outputSize: O } = spec;
  if (!graphSupports(base)) {
    throw new Error(`the graph path does not build ${base}`);
  }
  const shapes: Record<string, number[]> = {
    ...CELLS[base].shapes(I, H),
    ...(spec.attention ? { W_q: [H, H] } : {}),
    W_o: [spec.attention ? 2 * H : H, O],
    b_o: [O],
  };
  const params: Record<string, GraphVariable> = {};
  const m: Record<string, GraphVariable> = {}, v: Record<string, GraphVariable> = {};
  for (const [k, s] of Object.entries(shapes)) {
    params[k] = variable(g, s);
    m[k] = variable(g, s);
    v[k] = variable(g, s);
  }
  const p = (k: string) => params[k].read;

  const x = g.placeholder([B, T, I]);
  const y = spec.task === "adding" ? g.placeholder([B]) : g.placeholder([B, T], DT.int32);
  const xT = g.transpose(x, [1, 0, 2]);
  const xp = g.reshape(g.add(g.matMul(g.reshape(xT, [T * B, I]), p("W_x")), p("b")), [T, B, -1]);

  // The batch's rows are independent chains through time: split into `P` parts, their per-step
  // ops run side by side on TensorFlow's inter-op threads (a 64×128×512 matmul does not split
  // across cores by itself).
  const P = spec.parts;
  if (!(P >= 1 && B % P === 0)) throw new Error(`batch ${B} does not split into ${P} parts`);
  const Bp = B / P;
  const bySplit = (a: Out) => P > 1 ? g.split(a, new Array(P).fill(Bp), 1) : [a];
  const xInParts = bySplit(xT).map((a) => g.unpack(a, T));
  const xpParts = bySplit(xp).map((a) => g.unpack(a, T));
  const h0 = g.constant(new Array(Bp * H).fill(0), [Bp, H]);
  const block = spec.lstmBlock;
  const cells: (CellGraph & { order?: string })[] = xpParts.map((xs, k) =>
    base === "lstm"
      ? lstmGraph(
        g,
        { xp: xs, x: xInParts[k] },
        h0,
        { W_x: p("W_x"), W_h: p("W_h"), b: p("b") },
        H,
        block,
      )
      : base === "gru"
      ? gruGraph(g, xs, h0, p("W_h"), p("b_h"), H)
      : rnnGraph(
        g,
        xs,
        h0,
        base === "indrnn" ? p("u") : p("W_h"),
        base === "indrnn",
        ACT[base]!,
        spec.alpha,
      )
  );
  const hsAt = (t: number) => P > 1 ? g.concat(cells.map((c) => c.hs[t]), 0) : cells[0].hs[t];
  const hd = head(g, spec, hsAt, y, p);
  const directParts = new Map<number, Out[] | null>();
  const directOf = (t: number, k: number): Out | null => {
    if (!directParts.has(t)) {
      const d = hd.direct(t);
      directParts.set(t, d && P > 1 ? g.split(d, new Array(P).fill(Bp), 0) : d ? [d] : null);
    }
    return directParts.get(t)?.[k] ?? null;
  };
  const stack: Stack = (ts) => g.reshape(g.pack(ts), [ts.length * Bp, -1]);
  const backs = cells.map((c, k) => c.backward((t) => directOf(t, k), stack));

  // Weight gradients over chunks of stacked steps of each part (as `matrixParamGrads` over all),
  // each chunk's stacks built once.
  const memo = <T>(f: (k: number, a: number, b: number) => T) => {
    const m = new Map<string, T>();
    return (k: number, a: number, b: number) => {
      const key = `${k}:${a}:${b}`;
      if (!m.has(key)) m.set(key, f(k, a, b));
      return m.get(key)!;
    };
  };
  const sumParts = (f: (k: number) => (a: number, b: number) => Out) =>
    g.addN(cells.map((_, k) => chunked(g, T, f(k))));
  const dx = memo((k, a, b) => backs[k].dx(a, b));
  const drec = memo((k, a, b) => backs[k].drec ? backs[k].drec!(a, b) : dx(k, a, b));
  const hp = memo((k, a, b) =>
    stack(Array.from({ length: b - a }, (_, i) => a + i === 0 ? h0 : cells[k].hs[a + i - 1]))
  );
  const grads: Record<string, Out> = {
    W_x: sumParts((k) => (a, b) =>
      g.matMul(stack(xInParts[k].slice(a, b)), dx(k, a, b), true, false)
    ),
    b: sumParts((k) => (a, b) => g.sum(dx(k, a, b), [0])),
    ...hd.grads,
  };
  if (base === "indrnn") {
    grads.u = sumParts((k) => (a, b) => g.sum(g.mul(hp(k, a, b), dx(k, a, b)), [0]));
  } else {
    grads.W_h = sumParts((k) => (a, b) => g.matMul(hp(k, a, b), drec(k, a, b), true, false));
  }
  const order = cells[0].order;
  if (order && order !== "ifgo") {
    for (const k of ["W_x", "W_h", "b"]) {
      grads[k] = reorderGates(g, grads[k], k === "b" ? 0 : 1, H, order, "ifgo");
    }
  }
  if (shapes.b_h) grads.b_h = sumParts((k) => (a, b) => g.sum(drec(k, a, b), [0]));

  // Global norm (Σ‖g‖² = 2 Σ L2Loss), clipping, Adam, constraint.
  const names = Object.keys(shapes);
  const gradNorm = g.unary(
    "Sqrt",
    g.mul(g.addN(names.map((k) => g.l2Loss(grads[k]))), g.constant(2)),
  );
  const clip = g.placeholder([]);
  const scale = g.minimum(g.constant(1), g.div(clip, g.maximum(gradNorm, g.constant(1e-12))));
  const adam = {
    beta1Power: g.placeholder([]),
    beta2Power: g.placeholder([]),
    lr: g.placeholder([]),
    beta1: g.placeholder([]),
    beta2: g.placeholder([]),
    epsilon: g.placeholder([]),
  };
  const update: Operation[] = [];
  for (const k of names) {
    const apply = g.op("ResourceApplyAdam", [
      params[k].handle,
      m[k].handle,
      v[k].handle,
      adam.beta1Power,
      adam.beta2Power,
      adam.lr,
      adam.beta1,
      adam.beta2,
      adam.epsilon,
      g.mul(grads[k], scale),
    ], { T: { type: DT.float }, use_locking: { bool: false }, use_nesterov: { bool: false } });
    if (k === "u" && spec.recurrentMax !== undefined) {
      // The read must follow the update: a control edge.
      const after = g.op("ReadVariableOp", [params.u.handle], { dtype: { type: DT.float } }, [
        apply,
      ]);
      const bound = spec.recurrentMax;
      const clipped = g.out("ClipByValue", [
        { op: after, index: 0 },
        g.constant(-bound),
        g.constant(bound),
      ], { T: { type: DT.float } });
      update.push(
        g.op("AssignVariableOp", [params.u.handle, clipped], { dtype: { type: DT.float } }),
      );
    } else update.push(apply);
  }
  return {
    spec,
    x,
    y,
    params,
    m,
    v,
    loss: hd.loss,
    gradNorm,
    grads,
    dh: g.pack(
      Array.from(
        { length: T },
        (_, t) => P > 1 ? g.concat(backs.map((b) => b.dh[t]), 0) : backs[0].dh[t],
      ),
    ),
    clip,
    adam,
    update,
  };
}
