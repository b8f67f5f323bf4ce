/**
 * One training step as one TensorFlow graph: the BPTT driver (`../bptt.ts`) run on the graph
 * executor (`graph_ops.ts`) — forward over T unrolled steps through every layer, the head and its
 * loss, backpropagation through time — then the global gradient norm, clipping, Adam and the
 * cell's constraint (`../optim.ts`, the cell's `constrain`), on resource variables, so a step is
 * one `TF_SessionRun` with the batch as its only input. The same graph answers loss-and-gradients
 * calls (fetch `loss`, `grads`, `dh` with the parameter reads fed), so the gradient probe and
 * gradcheck exercise this path too.
 *
 * @module
 */
import { lossAndGradsOf, type NetSpec } from "../bptt.ts";
import { recallWeights } from "../heads.ts";
import { layerParamName } from "../param_names.ts";
import {
  adamPowers,
  adamRule,
  type AdamScalars,
  adamScalarValues,
  clipByGlobalNormOf,
  globalNormOf,
  lrGroupsOf,
  type Optimizer,
  type OptimizerName,
  rmspropRule,
  type RmspropScalars,
  rmspropScalarValues,
} from "../optim.ts";
import { type Graph, type Operation, type Out } from "./graph.ts";
import { graphOps } from "./graph_ops.ts";
import { lowerLstmBlock } from "./lower_lstm.ts";
import { DT } from "./tf_c.ts";

/**
 * What a training graph is built for: the network (the driver's description, with the cell's
 * math handed over; `net.parts` is the batch split: each part's rows are an independent chain
 * through time, and the parts' per-step ops run side by side on TensorFlow's inter-op threads)
 * and the executor's own choices.
 */
export interface GraphSpec {
  net: NetSpec;
  /**
   * Lower what the executor recognises to TensorFlow's fused kernels: a gated recurrence's step
   * to `LSTMBlockCell` (`lower_lstm.ts`), Adam to `ResourceApplyAdam`; else the plain ops.
   */
  fuse: boolean;
  /** The optimiser the update applies (default Adam). */
  optimizer?: OptimizerName;
  /**
   * Parameters with a learning rate of their own: name → index of its rate among the optimiser's
   * distinct rates (`lrGroupsOf`; 0, the main rate, for every name not listed).
   */
  lrGroup?: Record<string, number>;
  /** Copy: the loss is the recall loss over the last `recall` steps (the probe's); else all. */
  recall?: number;
}

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
  /** Parameters by the model's names, and Adam's moments. */
  params: Record<string, GraphVariable>;
  m: Record<string, GraphVariable>;
  v: Record<string, GraphVariable>;
  loss: Out;
  /** Global norm of the gradients before clipping. */
  gradNorm: Out;
  grads: Record<string, Out>;
  /** Per layer (bottom first), the total dL/dh_t stacked [T, B, H] (computed only when fetched). */
  dh: Out[];
  /** Per-step scalar of the update: the clip norm (∞ = off). */
  clip: Out;
  /**
   * The optimiser's per-step scalars: the placeholders, and their values for an optimiser at
   * step t (1-based), in the same order.
   */
  adam: {
    feeds: Out[];
    values(o: Optimizer, t: number): number[];
  };
  /** Run these to apply one update. */
  update: Operation[];
}

function variable(g: Graph, shape: number[]): GraphVariable {
  const { handle, read } = g.variable(shape);
  const init = g.placeholder(shape);
  const assign = g.op("AssignVariableOp", [handle, init], { dtype: { type: DT.float } });
  return { handle, read, shape, init, assign };
}

/** Builds the training graph of `spec` into `g`. */
export function buildTrainGraph(g: Graph, spec: GraphSpec): TrainGraph {
  const net = spec.net, shapes = net.shapes;
  const { B, T } = net.head, I = net.inputSize;
  const params: Record<string, GraphVariable> = {};
  const m: Record<string, GraphVariable> = {}, v: Record<string, GraphVariable> = {};
  for (const [k, s] of Object.entries(shapes)) {
    params[k] = variable(g, s);
    m[k] = variable(g, s);
    v[k] = variable(g, s);
  }
  const reads = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.read]));
  const plain = graphOps(g, { weights: Object.values(reads) });
  const o = spec.fuse ? lowerLstmBlock(g, plain) : plain;

  const x = g.placeholder([B, T, I]);
  const y = net.head.task === "adding" ? g.placeholder([B]) : g.placeholder([B, T], DT.int32);
  const stepWeights = spec.recall ? recallWeights(T, B, spec.recall) : undefined;
  const pass = lossAndGradsOf(o, net, reads, x, y, { probe: true, stepWeights });
  const grads = pass.grads;

  const names = Object.keys(shapes);
  const gradNorm = globalNormOf(o, grads);
  const clip = g.placeholder([]);
  const clipped = clipByGlobalNormOf(o, grads, clip, gradNorm);
  const groups = 1 + Math.max(0, ...Object.values(spec.lrGroup ?? {}));
  const group = (k: string) => spec.lrGroup?.[k] ?? 0;
  const slots = { names, params, m, v, grads: clipped, groups, group };
  const { applied, adam } = spec.optimizer === "rmsprop"
    ? ruleRmsprop(g, o, slots)
    : spec.fuse
    ? adamOnKernel(g, slots)
    : ruleAdam(g, o, slots);

  // The cell's constraint, on reads that follow the update (control edges), written back.
  const update: Operation[] = [];
  const cell = net.cell;
  const constrained = new Set<string>();
  if (cell.constrain) {
    for (let k = 0; k < net.layers; k++) {
      const full = (n: string) => layerParamName(net.layers, k, n);
      const after: Record<string, Out> = {};
      for (const n of cell.paramNames) {
        after[n] = {
          op: g.op("ReadVariableOp", [params[full(n)].handle], { dtype: { type: DT.float } }, [
            applied[full(n)],
          ]),
          index: 0,
        };
      }
      const out = cell.constrain(o, after, net.cfg);
      for (const n of cell.paramNames) {
        if (out[n] === after[n]) continue;
        constrained.add(full(n));
        update.push(
          g.op("AssignVariableOp", [params[full(n)].handle, out[n]], {
            dtype: { type: DT.float },
          }),
        );
      }
    }
  }
  for (const k of names) if (!constrained.has(k)) update.push(applied[k]);
  return {
    spec,
    x,
    y,
    params,
    m,
    v,
    loss: pass.loss,
    gradNorm,
    grads,
    dh: Array.from({ length: net.layers }, (_, k) => pass.dh(k)),
    clip,
    adam,
    update,
  };
}

type Adam = Pick<TrainGraph, "adam"> & { applied: Record<string, Operation> };

/**
 * `adamRule` lowered to TensorFlow's fused `ResourceApplyAdam` kernel (ApplyAdam in
 * tensorflow/core/kernels/training_ops.cc: m += (g − m)(1 − β1), v += (g² − v)(1 − β2),
 * p −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε')): one op per parameter instead of a dozen, and the
 * same update as the rule's p −= (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + ε) with ε' = ε·√(1−β2ᵗ). Its
 * per-step scalars come from the rule's own hyper-parameters and {@link adamPowers}.
 */
function adamOnKernel(g: Graph, slots: Slots): Adam {
  const { names, params, m, v, grads } = slots;
  const feeds = Array.from({ length: 6 }, () => g.placeholder([]));
  const [beta1Power, beta2Power, lr0, beta1, beta2, epsilon] = feeds;
  // One learning-rate feed per parameter group after the main one.
  const lrs = [lr0, ...Array.from({ length: slots.groups - 1 }, () => g.placeholder([]))];
  feeds.push(...lrs.slice(1));
  const applied: Record<string, Operation> = {};
  for (const k of names) {
    const lr = lrs[slots.group(k)];
    applied[k] = g.op("ResourceApplyAdam", [
      params[k].handle,
      m[k].handle,
      v[k].handle,
      beta1Power,
      beta2Power,
      lr,
      beta1,
      beta2,
      epsilon,
      grads[k],
    ], { T: { type: DT.float }, use_locking: { bool: false }, use_nesterov: { bool: false } });
  }
  return {
    applied,
    adam: {
      feeds,
      values: (o, t) => {
        const { beta1Power, beta2Power } = adamPowers(o, t);
        const { lrs } = lrGroupsOf(o, names);
        return [
          beta1Power,
          beta2Power,
          lrs[0],
          o.beta1,
          o.beta2,
          o.epsilon * Math.sqrt(1 - beta2Power),
          ...lrs.slice(1),
        ];
      },
    },
  };
}

/** What an optimiser's update is built over. */
interface Slots {
  names: string[];
  params: Record<string, GraphVariable>;
  m: Record<string, GraphVariable>;
  v: Record<string, GraphVariable>;
  grads: Record<string, Out>;
  /** Distinct learning rates (parameter groups), and each parameter's. */
  groups: number;
  group(name: string): number;
}

const assignTo = (g: Graph, vr: GraphVariable, value: Out, after: Operation[] = []) =>
  g.op("AssignVariableOp", [vr.handle, value], { dtype: { type: DT.float } }, after);

/** Adam as `adamRule`'s element-wise ops, each result assigned to its variable. */
function ruleAdam(g: Graph, o: ReturnType<typeof graphOps>, slots: Slots): Adam {
  const { names, params, m, v, grads } = slots;
  const keys = [
    "beta1",
    "oneMinusBeta1",
    "beta2",
    "oneMinusBeta2",
    "stepSize",
    "invSqrtBc2",
    "epsilon",
  ] as const;
  const feeds = keys.map(() => g.placeholder([]));
  const s = Object.fromEntries(keys.map((k, i) => [k, feeds[i]])) as unknown as AdamScalars<Out>;
  // One step-size feed (lr / (1 − β1ᵗ)) per parameter group after the main one.
  const stepSizes = [
    s.stepSize,
    ...Array.from({ length: slots.groups - 1 }, () => g.placeholder([])),
  ];
  feeds.push(...stepSizes.slice(1));
  const applied: Record<string, Operation> = {};
  const assign = (vr: GraphVariable, value: Out, after: Operation[] = []) =>
    assignTo(g, vr, value, after);
  for (const k of names) {
    const sk = slots.group(k) ? { ...s, stepSize: stepSizes[slots.group(k)] } : s;
    const r = adamRule(o, params[k].read, m[k].read, v[k].read, grads[k], sk);
    // Each assignment's value is computed from reads of the old values, so it follows them; the
    // parameter's assignment also carries the moments' as control inputs, so that running it
    // runs all three.
    applied[k] = assign(params[k], r.p, [assign(m[k], r.m), assign(v[k], r.v)]);
  }
  return {
    applied,
    adam: {
      feeds,
      values: (opt, t) => {
        const values = adamScalarValues(opt, t);
        const { lrs } = lrGroupsOf(opt, names);
        return [
          ...keys.map((k) => values[k]),
          ...lrs.slice(1).map((lr) => adamScalarValues({ ...opt, lr }, t).stepSize),
        ];
      },
    },
  };
}

/** RMSprop as `rmspropRule`'s element-wise ops (its slot is v; m is left as it is). */
function ruleRmsprop(g: Graph, o: ReturnType<typeof graphOps>, slots: Slots): Adam {
  const { names, params, v, grads } = slots;
  const keys = ["rho", "oneMinusRho", "lr", "epsilon"] as const;
  const feeds = keys.map(() => g.placeholder([]));
  const s = Object.fromEntries(keys.map((k, i) => [k, feeds[i]])) as unknown as RmspropScalars<
    Out
  >;
  const lrs = [s.lr, ...Array.from({ length: slots.groups - 1 }, () => g.placeholder([]))];
  feeds.push(...lrs.slice(1));
  const applied: Record<string, Operation> = {};
  for (const k of names) {
    const r = rmspropRule(o, params[k].read, v[k].read, grads[k], {
      ...s,
      lr: lrs[slots.group(k)],
    });
    applied[k] = assignTo(g, params[k], r.p, [assignTo(g, v[k], r.v)]);
  }
  return {
    applied,
    adam: {
      feeds,
      values: (opt) => {
        const values = rmspropScalarValues(opt);
        return [...keys.map((k) => values[k]), ...lrGroupsOf(opt, names).lrs.slice(1)];
      },
    },
  };
}
