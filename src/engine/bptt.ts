/**
 * Forward over T steps and backpropagation through time, by hand (micrograd style: each cell's
 * backward step sits beside its forward step in `cells/`).
 *
 * Per step only the recurrent matmul and the element-wise gate math run; the input projection of
 * all steps is one matmul before the loop, and the weight gradients are one matmul each over the
 * stacked steps after it. The readout (attention, output layer, loss) is a function of the stacked
 * states, differentiated with tfjs autodiff (few ops, not per step); its gradient is the *direct*
 * dL/dh_t, to which the backward recurrence adds the gradient through step t+1 — that sum is the
 * total dL/dh_t the gradient probe reports. No host reads anywhere here.
 *
 * @module
 */
import { tf } from "../backend.ts";
import { matrixParamGrads } from "./cells/_common.ts";
import type { Params, State } from "./cells/mod.ts";
import { headLoss, prepareTargets, readout, readoutBackward } from "./heads.ts";
import { fusedAvailable, fusedLossAndGrads } from "./_fused_bptt.ts";
import { graphAvailable, graphLossAndGrads } from "./tf_graph/runtime.ts";
import { cellConfig, cellOf, type Model } from "./model.ts";

/** The states of a forward pass: states[0] is the zero state, states[t+1] is after step t. */
export interface ForwardPass {
  /** Inputs, time-major and flattened, [T·B, I]. */
  x2d: tf.Tensor2D;
  states: State[];
  /** What each backward step needs (null when the pass was run for inference). */
  saved: tf.Tensor[][] | null;
}

/**
 * Runs the cell over `x` [B, T, I]. With `keep` false, per-step backward data is freed as it goes
 * (inference). Call inside `tf.tidy`.
 */
export function runForward(model: Model, x: tf.Tensor3D, keep: boolean): ForwardPass {
  const cell = cellOf(model), cfg = cellConfig(model), p = model.params;
  const [B, T, I] = x.shape;
  const H = model.hidden;
  const x2d = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]) as tf.Tensor2D;
  const xp = tf.reshape(tf.add(tf.matMul(x2d, p.W_x as tf.Tensor2D), p.b), [
    T,
    B,
    -1,
  ]) as tf.Tensor3D;
  const inputs = cell.stepInputs
    ? cell.stepInputs(xp, H)
    : (tf.unstack(xp) as tf.Tensor2D[]).map((t) => [t]);
  xp.dispose();
  const zero = tf.zeros([B, H]) as tf.Tensor2D;
  const states: State[] = [model.base === "lstm" ? { h: zero, c: zero } : { h: zero }];
  const saved: tf.Tensor[][] = [];
  for (let t = 0; t < T; t++) {
    const step = tf.tidy(() =>
      cell.forward(inputs[t], states[t], p, cfg) as unknown as tf.TensorContainerObject
    ) as unknown as { state: State; saved: tf.Tensor[] };
    for (const xt of inputs[t]) xt.dispose();
    states.push(step.state);
    if (keep) saved.push(step.saved);
    else {
      for (const s of step.saved) s.dispose();
      states[t].c?.dispose(); // c_{t-1} is not needed without a backward pass
    }
  }
  return { x2d, states, saved: keep ? saved : null };
}

/** What {@link lossAndGrads} returns (all tensors; the caller disposes them). */
export interface LossAndGrads {
  loss: tf.Scalar;
  /** dL/dparam for every entry of `model.params`. */
  grads: Params;
  /** With `probe`: the stacked total gradients dL/dh_t, time-major [T, B, H]. */
  dh?: tf.Tensor3D;
}

/** Which implementation {@link lossAndGrads} runs (engine-internal; for tests and benches). */
export type BpttPath = "auto" | "graph" | "eager" | "fused" | "generic";

/**
 * The loss of `model` on a batch and its gradients by BPTT.
 * `x` [B, T, I] float32; `y`: adding [B] or [B, 1] float32, copy [B, T] class indices.
 *
 * Paths (issue 9), all the same math: on the tensorflow backend every cell takes the graph path (`tf_graph/`: the whole computation as one TensorFlow graph run, the probe's dL/dh_t
 * included); then, without `probe`, the fused path (`_fused_bptt.ts`: the per-step loop as raw
 * eager TensorFlow ops); else the generic per-cell path below. `path: "eager"` skips the graph
 * path; `"graph"`, `"fused"` and `"generic"` insist on one and throw where it is not available.
 */
export function lossAndGrads(
  model: Model,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: { probe?: boolean; path?: BpttPath } = {},
): LossAndGrads {
  const probe = opts.probe ?? false;
  let path = opts.path ?? "auto";
  if (path === "graph" || path === "auto") {
    if (graphAvailable(model)) return graphLossAndGrads(model, x, y, probe);
    if (path === "graph") {
      throw new Error(
        `lossAndGrads: no graph path for ${model.cell} on the ${tf.getBackend()} backend`,
      );
    }
  }
  if (path === "eager") path = "auto";
  if (path === "fused" && (probe || !fusedAvailable(model))) {
    throw new Error(
      `lossAndGrads: no fused path for ${model.cell}${
        probe ? " with the probe" : ""
      } on the ${tf.getBackend()} backend`,
    );
  }
  if (path === "fused" || (path === "auto" && !probe && fusedAvailable(model))) {
    return fusedLossAndGrads(model, x, y);
  }
  return tf.tidy(() => {
    const cell = cellOf(model), cfg = cellConfig(model), p = model.params;
    const T = x.shape[1];
    const { x2d, states, saved } = runForward(model, x, true);

    // Readout and loss; its backward gives the direct dL/dh_t and the readout's gradients.
    const lastOnly = model.task === "adding" && !model.attention;
    const hLast = states[T].h;
    const hs = lastOnly ? null : tf.stack(states.slice(1).map((s) => s.h)) as tf.Tensor3D;
    const target = prepareTargets(model.task, y, model.outputSize);
    const head = readout(model.task, model.attention, hs, hLast, p);
    const { loss, dout } = headLoss(model.task, head.out, target);
    const hb = readoutBackward(model.task, model.attention, hs, head, dout, p);
    const direct: (tf.Tensor2D | null)[] = hb.dhs
      ? tf.unstack(hb.dhs) as tf.Tensor2D[]
      : new Array(T).fill(null);
    if (hb.dhLast) direct[T - 1] = direct[T - 1] ? tf.add(direct[T - 1]!, hb.dhLast) : hb.dhLast;

    // Backward through time: dh_t = direct_t + dL/dh_t through step t+1.
    const dxs: tf.Tensor2D[] = new Array(T), drecs: tf.Tensor2D[] = new Array(T);
    const dhs: tf.Tensor2D[] = probe ? new Array(T) : [];
    let dhNext: tf.Tensor2D | null = null;
    let dcNext: tf.Tensor2D | undefined;
    for (let t = T - 1; t >= 0; t--) {
      const d = direct[t];
      const r = tf.tidy(() => {
        const dh = d && dhNext ? tf.add(d, dhNext) as tf.Tensor2D : (d ?? dhNext)!;
        const out = cell.backward(dh, dcNext, states[t], states[t + 1], saved![t], p, cfg, t === 0);
        return { dh, ...out } as unknown as tf.TensorContainerObject;
      }) as unknown as {
        dh: tf.Tensor2D;
        dx: tf.Tensor2D;
        drec?: tf.Tensor2D;
        dhPrev: tf.Tensor2D | null;
        dcPrev?: tf.Tensor2D;
      };
      // Free what step t no longer needs, so memory stays at the stacked essentials.
      for (const s of saved![t]) s.dispose();
      dcNext?.dispose();
      if (dhNext && dhNext !== r.dh) dhNext.dispose();
      if (d && d !== r.dh) d.dispose();
      if (probe) dhs[t] = r.dh;
      else r.dh.dispose();
      dxs[t] = r.dx;
      if (r.drec) drecs[t] = r.drec;
      dhNext = r.dhPrev;
      dcNext = r.dcPrev;
    }

    const GH = dxs[0].shape[1];
    const B = x.shape[0], H = model.hidden;
    const dx = tf.reshape(tf.stack(dxs), [T * B, GH]) as tf.Tensor2D;
    const drec = drecs[0] ? tf.reshape(tf.stack(drecs), [T * B, GH]) as tf.Tensor2D : dx;
    const hPrev = tf.reshape(tf.stack(states.slice(0, T).map((s) => s.h)), [
      T * B,
      H,
    ]) as tf.Tensor2D;
    const grads: Params = (cell.paramGrads ?? matrixParamGrads)({ x: x2d, hPrev, dx, drec }, p);
    Object.assign(grads, hb.grads);
    const result: LossAndGrads = { loss, grads };
    if (probe) result.dh = tf.stack(dhs) as tf.Tensor3D;
    return result as unknown as tf.TensorContainerObject;
  }) as unknown as LossAndGrads;
}
