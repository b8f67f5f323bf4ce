/**
 * The optimisers — Adam (Kingma & Ba 2015, bias-corrected, in PyTorch's form) and RMSprop
 * (Tieleman & Hinton 2012, in PyTorch's form: ε outside the square root, no momentum; the
 * optimiser of Arjovsky et al. 2016 and Lezcano-Casado & Martínez-Rubio 2019) — and gradient
 * clipping by global norm (Pascanu, Mikolov & Bengio 2013), written once against {@link Ops}: the
 * eager step below runs them on tfjs tensors, the graph executor emits the same formulas into its
 * training graph, or lowers Adam's to TensorFlow's fused `ResourceApplyAdam` kernel, the same
 * update in the kernel's parameters ({@link adamPowers}; `tf_graph/train_graph.ts`).
 *
 * Parameter groups: `groups` gives parameters their own learning rate by name without the layer
 * prefix (`{ params: ["A"], lr: 2e-5 }`: expRNN's A in every layer, 10× below the rest, as the
 * paper trains it); every other parameter uses `lr`.
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Params } from "./cells/mod.ts";
import { eagerOps } from "./eager_ops.ts";
import type { Ops, TensorMap } from "./ops.ts";
import { baseParamName } from "./param_names.ts";

/** The optimisers there are. */
export const OPTIMIZERS = ["adam", "rmsprop"] as const;
/** An optimiser's name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Parameters (by their names without the layer prefix) that train at a learning rate of their own. */
export interface ParamGroup {
  params: string[];
  lr: number;
}

/** An optimiser's hyper-parameters. */
export interface OptimizerOptions {
  /** Default `adam`. */
  name?: OptimizerName;
  lr: number;
  /** Adam; default 0.9. */
  beta1?: number;
  /** Adam; default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** RMSprop's smoothing constant (PyTorch's `alpha`); default 0.99. */
  rho?: number;
  /** Learning rates of their own for some parameters. */
  groups?: ParamGroup[];
}

/** Adam's hyper-parameters (an {@link OptimizerOptions} by its older name). */
export type AdamOptions = OptimizerOptions;

/**
 * An optimiser's state: its settings, the step count and the per-parameter slots — Adam's
 * moments m and v; RMSprop's running mean of g² in v (its m stays zero).
 */
export interface Optimizer {
  name: OptimizerName;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  rho: number;
  groups: ParamGroup[];
  step: number;
  m: Params;
  v: Params;
  /** Frees the slot tensors (same as {@link disposeAdam}). */
  dispose(): void;
}

/** An {@link Optimizer} by its older name. */
export type Adam = Optimizer;

/** A fresh optimiser for `params` (zero slots). */
export function createOptimizer(params: Params, opts: OptimizerOptions): Optimizer {
  const name = opts.name ?? "adam";
  if (!OPTIMIZERS.includes(name)) throw new Error(`unknown optimizer '${name}'`);
  const m: Params = {}, v: Params = {};
  for (const [k, p] of Object.entries(params)) {
    m[k] = tf.zerosLike(p);
    v[k] = tf.zerosLike(p);
  }
  const opt: Optimizer = {
    name,
    lr: opts.lr,
    beta1: opts.beta1 ?? 0.9,
    beta2: opts.beta2 ?? 0.999,
    epsilon: opts.epsilon ?? 1e-8,
    rho: opts.rho ?? 0.99,
    groups: opts.groups ?? [],
    step: 0,
    m,
    v,
    dispose: () => disposeAdam(opt),
  };
  return opt;
}

/** A fresh optimiser for `params` (zero moments); Adam unless `opts.name` says otherwise. */
export const createAdam: (params: Params, opts: OptimizerOptions) => Optimizer = createOptimizer;

/** The learning rate of parameter `name` (its group's, else the optimiser's). */
export function lrOf(opt: Pick<Optimizer, "lr" | "groups">, name: string): number {
  const base = baseParamName(name);
  return opt.groups.find((g) => g.params.includes(base))?.lr ?? opt.lr;
}

/**
 * The distinct learning rates of `names` in first-seen order, and each name's index among them
 * (the graph executor feeds one learning-rate scalar per group).
 */
export function lrGroupsOf(
  opt: Pick<Optimizer, "lr" | "groups">,
  names: readonly string[],
): { lrs: number[]; index: Record<string, number> } {
  const lrs: number[] = [opt.lr], index: Record<string, number> = {};
  for (const k of names) {
    const lr = lrOf(opt, k);
    let i = lrs.indexOf(lr);
    if (i < 0) i = lrs.push(lr) - 1;
    index[k] = i;
  }
  return { lrs, index };
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

/** β1ᵗ and β2ᵗ at step `t` (1-based): Adam's bias corrections are 1 − β1ᵗ and 1 − β2ᵗ. */
export function adamPowers(opt: Pick<Optimizer, "beta1" | "beta2">, t: number) {
  return { beta1Power: Math.pow(opt.beta1, t), beta2Power: Math.pow(opt.beta2, t) };
}

/** The host values of {@link AdamScalars} for step `t` (1-based), in their field order. */
export function adamScalarValues(
  opt: Pick<Optimizer, "lr" | "beta1" | "beta2" | "epsilon">,
  t: number,
) {
  const { beta1Power, beta2Power } = adamPowers(opt, t);
  return {
    beta1: opt.beta1,
    oneMinusBeta1: 1 - opt.beta1,
    beta2: opt.beta2,
    oneMinusBeta2: 1 - opt.beta2,
    stepSize: opt.lr / (1 - beta1Power),
    invSqrtBc2: 1 / Math.sqrt(1 - beta2Power),
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

/** The per-step scalars of an RMSprop update, as tensors of the executor. */
export interface RmspropScalars<T> {
  rho: T;
  /** 1 − ρ. */
  oneMinusRho: T;
  lr: T;
  epsilon: T;
}

/** The host values of {@link RmspropScalars}, in their field order. */
export function rmspropScalarValues(opt: Pick<Optimizer, "lr" | "rho" | "epsilon">) {
  return { rho: opt.rho, oneMinusRho: 1 - opt.rho, lr: opt.lr, epsilon: opt.epsilon };
}

/** One parameter's RMSprop update: v ← ρ v + (1−ρ) g²;  p ← p − lr · g / (√v + ε). */
export function rmspropRule<T>(o: Ops<T>, p: T, v: T, g: T, s: RmspropScalars<T>): { p: T; v: T } {
  const v1 = o.add(o.mul(v, s.rho), o.mul(o.mul(g, g), s.oneMinusRho));
  const denom = o.add(o.sqrt(v1), s.epsilon);
  return { p: o.sub(p, o.mul(o.div(g, denom), s.lr)), v: v1 };
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

/** Host numbers as eager scalars, field by field. */
function scalars<S>(values: Record<string, number>): S {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, tf.scalar(v)])) as S;
}

/**
 * One eager step of the optimiser over every parameter. Returns the new parameters (the caller
 * owns and disposes the old ones); replaces `opt.m`/`opt.v`, disposing the old slots.
 */
export function adamUpdate(opt: Optimizer, params: Params, grads: Params): Params {
  opt.step++;
  const out = tf.tidy(() => {
    const next: Record<string, Params> = { p: {}, m: {}, v: {} };
    const byLr = new Map<number, AdamScalars<tf.Tensor> | RmspropScalars<tf.Tensor>>();
    const scalarsFor = (lr: number) => {
      if (!byLr.has(lr)) {
        const o = { ...opt, lr };
        byLr.set(
          lr,
          opt.name === "rmsprop"
            ? scalars(rmspropScalarValues(o))
            : scalars(adamScalarValues(o, opt.step)),
        );
      }
      return byLr.get(lr)!;
    };
    for (const [k, p] of Object.entries(params)) {
      const g = grads[k];
      if (!g) throw new Error(`${opt.name}: no gradient for parameter ${k}`);
      const s = scalarsFor(lrOf(opt, k));
      if (opt.name === "rmsprop") {
        const r = rmspropRule(eagerOps, p, opt.v[k], g, s as RmspropScalars<tf.Tensor>);
        next.p[k] = r.p;
        next.m[k] = tf.clone(opt.m[k]);
        next.v[k] = r.v;
      } else {
        const r = adamRule(eagerOps, p, opt.m[k], opt.v[k], g, s as AdamScalars<tf.Tensor>);
        next.p[k] = r.p;
        next.m[k] = r.m;
        next.v[k] = r.v;
      }
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
