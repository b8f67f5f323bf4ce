/**
 * `trainStep` on the graph path: the model's weights and Adam's moments live as variables in a
 * TensorFlow session while training, and a step is one `TF_SessionRun` (forward, BPTT, norm,
 * clipping, Adam, constraint) fed with the batch; only the loss and the gradient norm come back.
 *
 * The tfjs tensors stay the interface: while a trainer is attached, `model.params`, `opt.m` and
 * `opt.v` are accessors that read the variables back into fresh tfjs tensors on first access after
 * a step (evaluation, the probe, checkpoints — never inside the step loop), replacing and disposing
 * the previous ones exactly as an eager step does. A parameter replaced through the object
 * (`setParams`) is written to its variable before the next step; assigning `model.params`,
 * `opt.m` or `opt.v` wholesale (e.g. `disposeModel`) detaches the trainer.
 *
 * @module
 */
import { tf } from "../../backend.ts";
import type { Params } from "../cells/mod.ts";
import type { Model } from "../model.ts";
import type { Adam } from "../optim.ts";
import type { Operation, Out } from "./graph.ts";
import { compile, type Compiled, hostBatch, specKey, specOf } from "./runtime.ts";
import type { GraphVariable } from "./train_graph.ts";

const byOpt = new WeakMap<Adam, GraphTrainer>();
const byModel = new WeakMap<Model, GraphTrainer>();
const closer = new FinalizationRegistry<Compiled["session"]>((s) => s.close());

type Run = (values: readonly Deno.PointerValue[]) => Deno.PointerValue[];

class GraphTrainer {
  readonly key: string;
  private readonly comp: Compiled;
  private readonly names: string[];
  private readonly stepRun: Run;
  private readonly stepTraced: ReturnType<Compiled["session"]["tracedRunner"]>;
  private readonly readParams: Run;
  private readonly readMoments: Run;
  private params: Params;
  private m: Params;
  private v: Params;
  /** The variables are newer than `params` / `m`, `v`. */
  private paramsStale = false;
  private momentsStale = false;
  /** `params` was handed out since the last step (it may have been edited). */
  private handedOut = false;
  private snapshot: Params;
  private attached = true;

  constructor(readonly model: Model, readonly opt: Adam, x: tf.Tensor3D) {
    const spec = specOf(model, x.shape);
    this.key = specKey(spec);
    this.comp = compile(spec);
    const tg = this.comp.tg, s = this.comp.session;
    this.names = Object.keys(tg.params);
    const vars = (group: Record<string, GraphVariable>) => this.names.map((k) => group[k]);
    const a = tg.adam;
    const feeds = [
      tg.x,
      tg.y,
      tg.clip,
      a.beta1Power,
      a.beta2Power,
      a.lr,
      a.beta1,
      a.beta2,
      a.epsilon,
    ];
    this.stepRun = s.runner(feeds, [tg.loss, tg.gradNorm], tg.update);
    this.stepTraced = s.tracedRunner(feeds, [tg.loss, tg.gradNorm], tg.update);
    this.readParams = s.runner([], vars(tg.params).map((v) => v.read));
    this.readMoments = s.runner([], [...vars(tg.m), ...vars(tg.v)].map((v) => v.read));
    closer.register(this, s, this);

    this.params = model.params;
    this.m = opt.m;
    this.v = opt.v;
    this.snapshot = { ...this.params };
    this.upload(this.names, true);
    this.install();
  }

  /** Writes `names` (and with `moments`, every m and v) from the tfjs tensors to the variables. */
  private upload(names: string[], moments: boolean): void {
    const { c, tg } = this.comp;
    const feeds: Out[] = [], ops: Operation[] = [], values: Deno.PointerValue[] = [];
    const put = (v: GraphVariable, t: tf.Tensor | undefined, what: string) => {
      if (!t || t.isDisposed) throw new Error(`graph path: ${what} is missing or disposed`);
      feeds.push(v.init);
      ops.push(v.assign);
      values.push(c.tensor(1, v.shape, t.dataSync() as Float32Array));
    };
    try {
      for (const k of names) put(tg.params[k], this.params[k], `model.params.${k}`);
      if (moments) {
        for (const k of this.names) put(tg.m[k], this.m[k], `opt.m.${k}`);
        for (const k of this.names) put(tg.v[k], this.v[k], `opt.v.${k}`);
      }
      this.comp.session.runner(feeds, [], ops)(values);
    } finally {
      for (const t of values) c.deleteTensor(t);
    }
  }

  private install(): void {
    Object.defineProperty(this.model, "params", {
      configurable: true,
      enumerable: true,
      get: () => this.currentParams(),
      set: (p: Params) => this.detach({ params: p }),
    });
    for (const k of ["m", "v"] as const) {
      Object.defineProperty(this.opt, k, {
        configurable: true,
        enumerable: true,
        get: () => this.currentMoments()[k],
        set: (p: Params) => this.detach({ [k]: p }),
      });
    }
  }

  private read(run: Run, groups: number): Params[] {
    const { c } = this.comp;
    const outs = run([]);
    try {
      return Array.from({ length: groups }, (_, gi) => {
        const out: Params = {};
        this.names.forEach((k, i) => {
          const shape = this.comp.tg.params[k].shape;
          // Kept: the first read may happen inside someone's tf.tidy (evaluation).
          out[k] = tf.keep(
            tf.tensor(c.readFloats(outs[gi * this.names.length + i]), shape, "float32"),
          );
        });
        return out;
      });
    } finally {
      for (const t of outs) c.deleteTensor(t);
    }
  }

  private currentParams(): Params {
    if (this.paramsStale) {
      const [fresh] = this.read(this.readParams, 1);
      for (const k of this.names) this.params[k]?.dispose();
      this.params = fresh;
      this.snapshot = { ...fresh };
      this.paramsStale = false;
    }
    this.handedOut = true;
    return this.params;
  }

  private currentMoments(): { m: Params; v: Params } {
    if (this.momentsStale) {
      const [m, v] = this.read(this.readMoments, 2);
      tf.dispose([...Object.values(this.m), ...Object.values(this.v)]);
      this.m = m;
      this.v = v;
      this.momentsStale = false;
    }
    return { m: this.m, v: this.v };
  }

  /** One training step; loss and pre-clip gradient norm as tfjs scalars. */
  step(
    x: tf.Tensor3D,
    y: tf.Tensor,
    clipNorm?: number,
    trace?: (runMetadata: Uint8Array) => void,
  ): { loss: tf.Scalar; gradNorm: tf.Scalar } {
    if (this.handedOut) {
      // Entries replaced through the handed-out object (setParams) go to their variables.
      const changed = this.names.filter((k) => this.params[k] !== this.snapshot[k]);
      if (changed.length) {
        this.upload(changed, false);
        this.snapshot = { ...this.params };
      }
      this.handedOut = false;
    }
    const { c, tg } = this.comp, o = this.opt;
    const t = o.step + 1;
    const b1p = Math.pow(o.beta1, t), b2p = Math.pow(o.beta2, t);
    // optim.ts: p −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε); ResourceApplyAdam computes
    // p −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε'): the same update with ε' = ε·√(1−β2ᵗ).
    const scalars = [
      clipNorm ?? Infinity,
      b1p,
      b2p,
      o.lr,
      o.beta1,
      o.beta2,
      o.epsilon * Math.sqrt(1 - b2p),
    ];
    const feeds = [
      ...hostBatch(c, tg, x, y),
      ...scalars.map((s) => c.tensor(1, [], Float32Array.of(s))),
    ];
    let outs: Deno.PointerValue[] = [];
    try {
      if (trace) {
        const r = this.stepTraced(feeds);
        outs = r.outputs;
        trace(r.metadata!);
      } else outs = this.stepRun(feeds);
      o.step = t;
      this.paramsStale = this.momentsStale = true;
      return {
        loss: tf.scalar(c.readFloats(outs[0])[0]),
        gradNorm: tf.scalar(c.readFloats(outs[1])[0]),
      };
    } finally {
      for (const p of [...feeds, ...outs]) c.deleteTensor(p);
    }
  }

  /**
   * Reads everything back into plain tfjs properties (replacing `replace`'s entries), closes the
   * session and forgets the trainer.
   */
  detach(replace: { params?: Params; m?: Params; v?: Params } = {}): void {
    if (!this.attached) return;
    const params = replace.params ?? this.currentParams();
    const { m, v } = replace.m && replace.v
      ? { m: replace.m, v: replace.v }
      : this.currentMoments();
    this.attached = false;
    const plain = (obj: object, k: string, value: Params) =>
      Object.defineProperty(obj, k, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    plain(this.model, "params", params);
    plain(this.opt, "m", replace.m ?? m);
    plain(this.opt, "v", replace.v ?? v);
    closer.unregister(this);
    this.comp.session.close();
    byOpt.delete(this.opt);
    byModel.delete(this.model);
  }
}

/**
 * A training step on the graph path (call only when `graphAvailable(model)`); the trainer of
 * (`model`, `opt`) is built at the first step and rebuilt when the batch shape changes. With
 * `trace`, the step runs with TensorFlow's full trace and hands over its `RunMetadata`
 * (`profile.ts` reads it).
 */
export function graphTrainStep(
  model: Model,
  opt: Adam,
  x: tf.Tensor3D,
  y: tf.Tensor,
  clipNorm?: number,
  trace?: (runMetadata: Uint8Array) => void,
): { loss: tf.Scalar; gradNorm: tf.Scalar } {
  let tr = byOpt.get(opt);
  if (tr && (tr.model !== model || tr.key !== specKey(specOf(model, x.shape)))) {
    tr.detach();
    tr = undefined;
  }
  if (!tr) {
    byModel.get(model)?.detach();
    tr = new GraphTrainer(model, opt, x);
    byOpt.set(opt, tr);
    byModel.set(model, tr);
  }
  return tr.step(x, y, clipNorm, trace);
}

/** Detaches any graph trainer of `model` or `opt` (before an eager step on them). */
export function detachGraphTrainer(model: Model, opt: Adam): void {
  byOpt.get(opt)?.detach();
  byModel.get(model)?.detach();
}
