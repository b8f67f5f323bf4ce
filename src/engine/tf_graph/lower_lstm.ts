/**
 * A lowering of the graph executor: it recognises, in the ops a cell emits, one step of a gated
 * recurrence of the form
 *
 *   z = xp_t + h_{t-1} W_h,  xp = X W_x + b (the driver's projection of a chunk of steps),
 *   [z_i | z_f | z_g | z_o] = z,  c_t = σ(z_f) ⊙ c_{t-1} + σ(z_i) ⊙ tanh(z_g),
 *   h_t = σ(z_o) ⊙ tanh(c_t)
 *
 * and runs it as TensorFlow's fused `LSTMBlockCell` kernel (TensorFlow's `LSTMBlockCell`,
 * tensorflow/core/kernels/rnn/lstm_ops.cc: the same step from the raw x_t and h_{t-1}, one matmul
 * of [x_t, h_{t-1}] against [W_x; W_h] and the element-wise work in one op), so the cell keeps one
 * plain definition and the ops interface and the BPTT driver know nothing of the kernel.
 *
 * How: every op goes through a recorder that remembers how each output was made and how often it
 * was consumed. When `h_t = σ(z_o) ⊙ tanh(c_t)` is asked for and the recorded chain above matches
 * (each intermediate consumed only inside the step), the kernel is emitted and the step's outputs
 * the cell already holds (the gates, c_t, tanh c_t) are rebound to the kernel's outputs. The
 * element-wise nodes emitted before are then consumed by nothing: TensorFlow prunes them from
 * every run (as it prunes the driver's projection xp, which the kernel does not read). Anything
 * that does not match is left as emitted.
 *
 * @module
 */
import type { Ops } from "../ops.ts";
import type { Graph, Out } from "./graph.ts";
import { DT } from "./tf_c.ts";

const F = { type: DT.float };

/** How an output was made: the op's kind, its arguments, and which of its outputs it is. */
interface Made {
  kind: string;
  args: readonly unknown[];
  index: number;
}

/** Reorders the four H-wide gate blocks of `a` along `axis` from `from` to `to`. */
function reorderGates(g: Graph, a: Out, axis: number, H: number, from: string, to: string): Out {
  const parts = g.split(a, [H, H, H, H], axis);
  return g.concat([...to].map((k) => parts[from.indexOf(k)]), axis);
}

const isOut = (a: unknown): a is Out =>
  typeof a === "object" && a !== null && "op" in a && "index" in a;

/** `base` with the gated-recurrence step lowered to `LSTMBlockCell` (see the module comment). */
export function lowerLstmBlock(g: Graph, base: Ops<Out>): Ops<Out> {
  const made = new Map<Out, Made>();
  const uses = new Map<Out, number>();
  const use = (args: readonly unknown[]) => {
    for (const a of args) {
      for (const t of Array.isArray(a) ? a : [a]) if (isOut(t)) uses.set(t, (uses.get(t) ?? 0) + 1);
    }
  };
  const ops = { ...base } as Ops<Out>;
  const wrapped = ops as unknown as Record<string, unknown>;
  for (const [k, f] of Object.entries(base)) {
    if (typeof f !== "function" || k === "scope") continue;
    wrapped[k] = (...args: unknown[]) => {
      use(args);
      const r = (f as (...a: unknown[]) => unknown)(...args);
      if (isOut(r)) made.set(r, { kind: k, args, index: 0 });
      else if (Array.isArray(r)) r.forEach((t, index) => made.set(t, { kind: k, args, index }));
      return r;
    };
  }
  const node = (t: unknown, kind: string, uses1 = true): Made | undefined => {
    const m = isOut(t) ? made.get(t) : undefined;
    if (!m || m.kind !== kind) return undefined;
    return !uses1 || uses.get(t as Out) === 1 ? m : undefined;
  };
  const plainMatMul = (m: Made | undefined) => m && !m.args[2] && !m.args[3];

  // [W_x; W_h] and b in the kernel's gate order i, c(=g), f, o, built once per layer.
  const blockWeights = new Map<Out, { W_h: Out; b: Out; w: Out; b4: Out; zeros: Out }>();
  // Per-step inputs x_t recovered from a chunk's stacked rows [n·Bp, I].
  const stepsOf = new Map<Out, Out[]>();

  /** The raw input x_t of step `j` of a chunk of `n` steps whose rows [n·Bp, In] are `rows`. */
  const stepInput = (rows: Out, n: number, Bp: number, j: number): Out => {
    const r = made.get(rows);
    const packed = r?.kind === "reshape" ? made.get(r.args[0] as Out) : undefined;
    if (packed?.kind === "stack" && (packed.args[1] ?? 0) === 0) {
      const list = packed.args[0] as Out[];
      if (list.length === n) return list[j];
    }
    let steps = stepsOf.get(rows);
    if (!steps) stepsOf.set(rows, steps = g.unpack(g.reshape(rows, [n, Bp, -1]), n, 0));
    return steps[j];
  };

  const lowered = (og: Out, tc: Out): Out | undefined => {
    const oM = node(og, "sigmoid", false), tcM = node(tc, "tanh", false);
    if (!oM || !tcM || uses.get(og) !== undefined || uses.get(tc) !== undefined) return;
    const c = tcM.args[0] as Out, cM = node(c, "add");
    if (!cM) return;
    const [fc, ig] = cM.args as Out[];
    const fcM = node(fc, "mul"), igM = node(ig, "mul");
    if (!fcM || !igM) return;
    const [f, cPrev] = fcM.args as Out[];
    const [i, gg] = igM.args as Out[];
    const fM = node(f, "sigmoid"), iM = node(i, "sigmoid"), gM = node(gg, "tanh");
    if (!fM || !iM || !gM) return;
    const pieces = [iM, fM, gM, oM].map((m) => node(m.args[0], "split"));
    const split = pieces[0];
    if (!split || pieces.some((p, k) => !p || p.args !== split.args || p.index !== k)) return;
    const [z, sizes, axis] = split.args as [Out, number[], number];
    const H = sizes[0];
    if (axis !== 1 || sizes.length !== 4 || sizes.some((s) => s !== H)) return;
    const zM = node(z, "add");
    if (!zM) return;
    const [xpt, rec] = zM.args as Out[];
    const recM = node(rec, "matMul");
    const uM = node(xpt, "unstack");
    if (!plainMatMul(recM) || !uM || (uM.args[2] ?? 0) !== 0) return;
    const [hPrev, W_h] = recM!.args as Out[];
    const n = uM.args[1] as number;
    const xpM = node(uM.args[0], "reshape", false);
    const shape = xpM?.args[1] as number[] | undefined;
    if (!xpM || shape?.length !== 3 || shape[0] !== n) return;
    const projM = node(xpM.args[0], "add", false);
    const mmM = node(projM?.args[0], "matMul", false);
    if (!projM || !plainMatMul(mmM)) return;
    const b = projM.args[1] as Out;
    const [rows, W_x] = mmM!.args as Out[];

    let bw = blockWeights.get(W_x);
    if (!bw) {
      bw = {
        W_h,
        b,
        w: reorderGates(g, g.concat([W_x, W_h], 0), 1, H, "ifgo", "igfo"),
        b4: reorderGates(g, b, 0, H, "ifgo", "igfo"),
        zeros: g.constant(new Array(H).fill(0), [H]),
      };
      blockWeights.set(W_x, bw);
    }
    if (bw.W_h !== W_h || bw.b !== b) return;
    const x = stepInput(rows, n, shape[1], uM.index);
    // forget_bias 0 (the bias is in b), no cell clip, no peepholes (their weights are zeros).
    const [ki, kc, kf, ko, kg, ktc, kh] = g.outs(
      "LSTMBlockCell",
      [x, cPrev, hPrev, bw.w, bw.zeros, bw.zeros, bw.zeros, bw.b4],
      {
        forget_bias: { float: 0 },
        cell_clip: { float: -1 },
        use_peephole: { bool: false },
        T: F,
      },
      7,
    );
    // Rebind what the cell holds to the kernel's outputs.
    for (const [held, k] of [[i, ki], [f, kf], [gg, kg], [og, ko], [c, kc], [tc, ktc]]) {
      made.delete(held);
      Object.assign(held, k);
    }
    return kh;
  };

  const mul = wrapped.mul as Ops<Out>["mul"];
  ops.mul = (a, b) => lowered(a, b) ?? mul(a, b);
  return ops;
}
