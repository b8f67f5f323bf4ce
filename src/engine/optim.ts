/**
 * Adam (Kingma & Ba 2015, bias-corrected, in PyTorch's form) and gradient clipping by global norm
 * (Pascanu, Mikolov & Bengio 2013), written once against {@link Ops}: the eager step below runs
 * them on tfjs tensors, the graph executor emits the same formulas into its training graph (or
 * TensorFlow's fused `ResourceApplyAdam`, the same update, where the library has it).
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Params } from "./cells/mod.ts";
import { eagerOps } from "./eager_ops.ts";
import type { Ops, TensorMap } from "./ops.ts";

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

/** The per-step scalars of an Adam update, as tensors of the executor. */
export interface AdamScalars<T> {
  beta1: T;
  /** 1 − β1. */
  oneMinusBeta1: T;
  beta2: T;
  /** 1 − β2. */
  oneMinusBeta2: T;
  /** lr / (1 − β1ᵗ). */
  stepSize: T;
  /** 1 / √(1 − β2ᵗ). */
  invSqrtBc2: T;
  epsilon: T;
}

/** The host values of {@link AdamScalars} for step `t` (1-based), in their field order. */
export function adamScalarValues(opt: Pick<Adam, "lr" | "beta1" | "beta2" | "epsilon">, t: number) {
  return {
    beta1: opt.beta1,
    oneMinusBeta1: 1 - opt.beta1,
    beta2: opt.beta2,
    oneMinusBeta2: 1 - opt.beta2,
    stepSize: opt.lr / (1 - Math.pow(opt.beta1, t)),
    invSqrtBc2: 1 / Math.sqrt(1 - Math.pow(opt.beta2, t)),
    epsilon: opt.epsilon,
  };
}

/**
 * One parameter's Adam update: m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
 * p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
 */
export function adamRule<T>(
  o: Ops<T>,
  p: T,
  m: T,
  v: T,
  g: T,
  s: AdamScalars<T>,
): { p: T; m: T; v: T } {
  const m1 = o.add(o.mul(m, s.beta1), o.mul(g, s.oneMinusBeta1));
  const v1 = o.add(o.mul(v, s.beta2), o.mul(o.mul(g, g), s.oneMinusBeta2));
  const denom = o.add(o.mul(o.sqrt(v1), s.invSqrtBc2), s.epsilon);
  return { p: o.sub(p, o.mul(o.div(m1, denom), s.stepSize)), m: m1, v: v1 };
}

/** √(Σ ‖g‖²) over all gradients, as a scalar. */
export function globalNormOf<T>(o: Ops<T>, grads: TensorMap<T>): T {
  const squares = Object.values(grads).map((g) => o.sumSquares(g));
  return o.sqrt(squares.length === 1 ? squares[0] : o.addN(squares));
}

/** Scales every gradient by min(1, maxNorm / ‖g‖) (Pascanu et al. 2013), given their norm. */
export function clipByGlobalNormOf<T>(
  o: Ops<T>,
  grads: TensorMap<T>,
  maxNorm: T,
  norm: T,
): TensorMap<T> {
  const scale = o.minimum(o.scalar(1), o.div(maxNorm, o.maximum(norm, o.scalar(1e-12))));
  const out: TensorMap<T> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = o.mul(g, scale);
  return out;
}

/**
 * One eager Adam step over every parameter. Returns the new parameters (the caller owns and
 * disposes the old ones); replaces `opt.m`/`opt.v`, disposing the old moments.
 */
export function adamUpdate(opt: Adam, params: Params, grads: Params): Params {
  opt.step++;
  const values = adamScalarValues(opt, opt.step);
  const out = tf.tidy(() => {
    const s = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, tf.scalar(v)]),
    ) as unknown as AdamScalars<tf.Tensor>;
    const next: Record<string, Params> = { p: {}, m: {}, v: {} };
    for (const [k, p] of Object.entries(params)) {
      const g = grads[k];
      if (!g) throw new Error(`adam: no gradient for parameter ${k}`);
      const r = adamRule(eagerOps, p, opt.m[k], opt.v[k], g, s);
      next.p[k] = r.p;
      next.m[k] = r.m;
      next.v[k] = r.v;
    }
    return next as unknown as tf.TensorContainerObject;
  }) as unknown as Record<string, Params>;
  tf.dispose([...Object.values(opt.m), ...Object.values(opt.v)]);
  opt.m = out.m;
  opt.v = out.v;
  return out.p;
}

/** √(Σ ‖g‖²) over all gradients, as a scalar tensor (eager). */
export function globalNorm(grads: Params): tf.Scalar {
  return tf.tidy(() => globalNormOf(eagerOps, grads)) as tf.Scalar;
}

/** Eager {@link clipByGlobalNormOf}: new tensors; the inputs are left to the caller. */
export function clipByGlobalNorm(grads: Params, maxNorm: number, norm: tf.Scalar): Params {
  return tf.tidy(() =>
    clipByGlobalNormOf(
      eagerOps,
      grads,
      tf.scalar(maxNorm),
      norm,
    ) as unknown as tf.TensorContainerObject
  ) as unknown as Params;
}
