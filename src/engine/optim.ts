/**
 * Adam (Kingma & Ba 2015, bias-corrected, in PyTorch's form) and gradient clipping by global norm
 * (Pascanu, Mikolov & Bengio 2013). All tensor ops, no host reads; old tensors are disposed as new
 * ones replace them, so memory stays flat over any number of steps.
 *
 * @module
 */
import { tf } from "../backend.ts";
import type { Params } from "./cells/mod.ts";
import { hasOps, RawOps } from "./_tf_raw.ts";

// On the tensorflow backend Adam and the global norm run as raw TensorFlow ops (`_tf_raw.ts`):
// the same formulas with the scalars made once per step, without tfjs's per-op bookkeeping
// (about half the time; issue 9).
const RAW_PROBE = {
  AdamOps: (r: RawOps) => {
    const a = r.of(tf.ones([2]));
    r.addN([r.l2Loss(a), r.l2Loss(a)]);
    r.div(r.unary("Sqrt", a), r.unary("Square", a));
  },
};
function rawAvailable(): boolean {
  return tf.getBackend() === "tensorflow" && tf.tidy(() => hasOps(RAW_PROBE));
}

/** Adam's hyper-parameters. */
export interface AdamOptions {
  lr: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
}

/** Adam's state: moments per parameter name and the step count. */
export interface Adam {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
  m: Params;
  v: Params;
  /** Frees the moment tensors (same as {@link disposeAdam}). */
  dispose(): void;
}

/** A fresh Adam for `params` (zero moments). */
export function createAdam(params: Params, opts: AdamOptions): Adam {
  const m: Params = {}, v: Params = {};
  for (const [k, p] of Object.entries(params)) {
    m[k] = tf.zerosLike(p);
    v[k] = tf.zerosLike(p);
  }
  const opt: Adam = {
    lr: opts.lr,
    beta1: opts.beta1 ?? 0.9,
    beta2: opts.beta2 ?? 0.999,
    epsilon: opts.epsilon ?? 1e-8,
    step: 0,
    m,
    v,
    dispose: () => disposeAdam(opt),
  };
  return opt;
}

/** Frees an optimiser's moment tensors. */
export function disposeAdam(opt: Adam): void {
  tf.dispose([...Object.values(opt.m), ...Object.values(opt.v)]);
  opt.m = {};
  opt.v = {};
}

/**
 * One Adam step: m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
 * p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε).
 * Returns the new parameters (the caller owns and disposes the old ones); replaces `opt.m`/`opt.v`.
 */
export function adamUpdate(opt: Adam, params: Params, grads: Params): Params {
  opt.step++;
  const t = opt.step;
  const stepSize = opt.lr / (1 - Math.pow(opt.beta1, t));
  const invSqrtBc2 = 1 / Math.sqrt(1 - Math.pow(opt.beta2, t));
  const out = rawAvailable() ? rawAdam(opt, params, grads, stepSize, invSqrtBc2) : tf.tidy(() => {
    const next: Record<string, Params> = { p: {}, m: {}, v: {} };
    for (const [k, p] of Object.entries(params)) {
      const g = grads[k];
      if (!g) throw new Error(`adam: no gradient for parameter ${k}`);
      const m = tf.add(tf.mul(opt.m[k], opt.beta1), tf.mul(g, 1 - opt.beta1));
      const v = tf.add(tf.mul(opt.v[k], opt.beta2), tf.mul(tf.square(g), 1 - opt.beta2));
      const denom = tf.add(tf.mul(tf.sqrt(v), invSqrtBc2), opt.epsilon);
      next.p[k] = tf.sub(p, tf.mul(tf.div(m, denom), stepSize));
      next.m[k] = m;
      next.v[k] = v;
    }
    return next as unknown as tf.TensorContainerObject;
  }) as unknown as Record<string, Params>;
  tf.dispose([...Object.values(opt.m), ...Object.values(opt.v)]);
  opt.m = out.m;
  opt.v = out.v;
  return out.p;
}

/** {@link adamUpdate}'s formulas, op for op, on raw TensorFlow handles. */
function rawAdam(
  opt: Adam,
  params: Params,
  grads: Params,
  stepSize: number,
  invSqrtBc2: number,
): Record<string, Params> {
  const r = new RawOps();
  try {
    const b1 = r.scalar(opt.beta1), c1 = r.scalar(1 - opt.beta1);
    const b2 = r.scalar(opt.beta2), c2 = r.scalar(1 - opt.beta2);
    const ib = r.scalar(invSqrtBc2), eps = r.scalar(opt.epsilon), lr = r.scalar(stepSize);
    const next: Record<string, Params> = { p: {}, m: {}, v: {} };
    for (const [k, p] of Object.entries(params)) {
      const gt = grads[k];
      if (!gt) throw new Error(`adam: no gradient for parameter ${k}`);
      const g = r.of(gt);
      const m1 = r.mul(r.of(opt.m[k]), b1), m2 = r.mul(g, c1), m = r.add(m1, m2);
      const sq = r.unary("Square", g);
      const v1 = r.mul(r.of(opt.v[k]), b2), v2 = r.mul(sq, c2), v = r.add(v1, v2);
      const sv = r.unary("Sqrt", v), sc = r.mul(sv, ib), denom = r.add(sc, eps);
      const q = r.div(m, denom), step = r.mul(q, lr), np = r.sub(r.of(p), step);
      r.free(m1, m2, sq, v1, v2, sv, sc, denom, q, step);
      next.p[k] = r.wrap(np);
      next.m[k] = r.wrap(m);
      next.v[k] = r.wrap(v);
    }
    return next;
  } finally {
    r.dispose();
  }
}

/** √(Σ ‖g‖²) over all gradients, as a scalar tensor. */
export function globalNorm(grads: Params): tf.Scalar {
  if (rawAvailable()) {
    // Σ ‖g‖² = 2 Σ L2Loss(g) (L2Loss is Σ x² / 2; the factor 2 is exact).
    const r = new RawOps();
    try {
      const halves = Object.values(grads).map((g) => r.l2Loss(r.of(g)));
      const half = halves.length === 1 ? halves[0] : r.addN(halves);
      const two = r.scalar(2), sum = r.mul(half, two);
      return r.wrap<tf.Scalar>(r.unary("Sqrt", sum));
    } finally {
      r.dispose();
    }
  }
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))));
}

/**
 * Scales all gradients by min(1, maxNorm / ‖g‖) (Pascanu et al. 2013), given their global norm.
 * Returns new tensors; the inputs are left to the caller.
 */
export function clipByGlobalNorm(grads: Params, maxNorm: number, norm: tf.Scalar): Params {
  return tf.tidy(() => {
    const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norm, 1e-12)));
    const out: Params = {};
    for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, scale);
    return out as unknown as tf.TensorContainerObject;
  }) as unknown as Params;
}
