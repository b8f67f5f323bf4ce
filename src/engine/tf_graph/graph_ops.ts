/**
 * The graph executor: {@link Ops} as TensorFlow graph emission. Every call adds nodes to a
 * {@link Graph}; nothing runs until a session runs the graph, and TensorFlow's executor then
 * schedules independent nodes (the batch parts' recurrences, the chunked weight gradients) side
 * by side on its inter-op threads. Nothing is freed by hand: a graph's nodes live with the graph.
 *
 * Fused kernels are lowerings on top of these plain ops (`lower_lstm.ts`).
 *
 * @module
 */
import type { Ops } from "../ops.ts";
import type { Graph, Out } from "./graph.ts";
import { DT } from "./tf_c.ts";

/** Steps per chunk of the weight-gradient matmuls on the graph executor. */
export const CHUNK = 16;

const F = { type: DT.float };

/**
 * The graph executor's operations on `g`; `weights` are the parameter reads (their transposes are
 * formed once).
 */
export function graphOps(g: Graph, opts: { weights?: readonly Out[] } = {}): Ops<Out> {
  const bmm = (a: Out, b: Out) =>
    g.out("BatchMatMulV2", [a, b], { T: F, adj_x: { bool: false }, adj_y: { bool: false } });
  // `a · Wᵀ` with a weight W (dh_{t-1} = dz W_hᵀ, every step) runs as a plain matmul on Wᵀ
  // transposed once: TensorFlow's transposed MatMul on these small tiles is slower (LSTM steps
  // measured 10–20% slower with it).
  const weights = new Set(opts.weights ?? []);
  const transposed = new Map<Out, Out>();
  const matMul = (a: Out, b: Out, ta = false, tb = false): Out => {
    if (!tb || ta || !weights.has(b)) return g.matMul(a, b, ta, tb);
    let bT = transposed.get(b);
    if (!bT) transposed.set(b, bT = g.transpose(b, [1, 0]));
    return g.matMul(a, bT);
  };
  return {
    name: "graph",
    chunk: CHUNK,
    scope: (fn) => fn(),
    dispose: () => {},
    keep: (t) => t,

    scalar: (v) => g.constant(v),
    constant: (values, shape) => g.constant(values, shape),
    zeros: (shape) => g.constant(new Array(shape.reduce((a, b) => a * b, 1)).fill(0), shape),

    matMul,
    batchMatMul: bmm,
    add: (a, b) => g.add(a, b),
    sub: (a, b) => g.sub(a, b),
    mul: (a, b) => g.mul(a, b),
    div: (a, b) => g.div(a, b),
    minimum: (a, b) => g.minimum(a, b),
    maximum: (a, b) => g.maximum(a, b),
    addN: (ts) => g.addN(ts),
    sqrt: (a) => g.unary("Sqrt", a),
    abs: (a) => g.unary("Abs", a),
    sign: (a) => g.unary("Sign", a),

    tanh: (a) => g.unary("Tanh", a),
    sigmoid: (a) => g.unary("Sigmoid", a),
    relu: (a) => g.unary("Relu", a),
    leakyRelu: (a, alpha) => g.leakyRelu(a, alpha),
    tanhGrad: (y, dy) => g.outputGrad("TanhGrad", y, dy),
    sigmoidGrad: (y, dy) => g.outputGrad("SigmoidGrad", y, dy),
    reluGrad: (y, dy, alpha) => g.reluGrad(dy, y, alpha),
    clipByValue: (a, lo, hi) => g.out("ClipByValue", [a, g.constant(lo), g.constant(hi)], { T: F }),
    softmax: (a) => g.out("Softmax", [a], { T: F }),

    sum: (a, axes, keepDims = false) => g.sum(a, axes, keepDims),
    // Σ a² = 2 · L2Loss(a) (L2Loss is Σ a² / 2; the factor 2 is exact).
    sumSquares: (a) => g.mul(g.l2Loss(a), g.constant(2)),
    reshape: (a, shape) => g.reshape(a, shape),
    transpose: (a, perm) => g.transpose(a, perm),
    concat: (ts, axis) => ts.length === 1 ? ts[0] : g.concat(ts, axis),
    split: (a, sizes, axis) => g.split(a, sizes, axis),
    stack: (ts, axis = 0) => g.pack(ts, axis),
    unstack: (a, n, axis = 0) => g.unpack(a, n, axis),

    oneHot: (indices, depth) =>
      g.out("OneHot", [indices, g.ints([depth], []), g.constant(1), g.constant(0)], {
        T: F,
        TI: { type: DT.int32 },
        axis: { int: -1 },
      }),
    softmaxCrossEntropy: (logits, labels) => {
      const [rows, grad] = g.outs("SoftmaxCrossEntropyWithLogits", [logits, labels], { T: F }, 2);
      return { rows, grad };
    },
  };
}
