/**
 * A {@link Trainer} on the graph path: the model's weights and Adam's moments live as variables
 * in a TensorFlow session while training, and a step is one `TF_SessionRun` (forward, BPTT, norm,
 * clipping, Adam, constraint) fed with the batch; only the loss and the gradient norm come back.
 * `sync()` reads the variables back into `model.params` and the optimiser's moments.
 *
 * @module
 */
import { tf } from "../tf.ts";
import type { Params } from "../cells/mod.ts";
import type { Trainer } from "../eager.ts";
import { readTrainerState, type TrainerState, writeTrainerState } from "../trainer_state.ts";
import type { Model } from "../model.ts";
import type { NetOf } from "../bptt.ts";
import type { Optimizer } from "../optim.ts";
import type { Operation, Out } from "./graph.ts";
import { compile, type Compiled, hostBatch, specKey, specOf } from "./runtime.ts";
import type { GraphSpec, GraphVariable } from "./train_graph.ts";

type Run = (values: readonly Deno.PointerValue[]) => Deno.PointerValue[];

const closer = new FinalizationRegistry<Compiled["session"]>((s) => s.close());

/** One compiled step graph with its prepared calls. */
interface Built {
  key: string;
  comp: Compiled;
  stepRun: Run;
  stepTraced: ReturnType<Compiled["session"]["tracedRunner"]>;
  readParams: Run;
  readMoments: Run;
}

/** The graph-path trainer; build it with {@link graphTrainer}. */
export class GraphTrainer implements Trainer {
  readonly path = "graph";
  private built: Built | null = null;
  /** The session's variables are newer than `model.params` / the optimiser's moments. */
  private stale = false;
  private disposed = false;

  constructor(
    readonly model: Model,
    readonly optimizer: Optimizer,
    /** The network's description (the driver hands over the cell's math). */
    private readonly net: NetOf,
    private readonly clipNorm?: number,
    private readonly kernels: Partial<Pick<GraphSpec, "fuse">> = {},
  ) {}

  private names(): string[] {
    return Object.keys(this.built!.comp.tg.params);
  }

  /** The compiled graph for a batch of `x`'s shape (rebuilt, state carried over, on a change). */
  private graphFor(x: tf.Tensor3D): Built {
    if (this.disposed) throw new Error("trainer: used after dispose()");
    const spec = { ...specOf(this.net, x.shape, { optimizer: this.optimizer }), ...this.kernels };
    const key = specKey(spec);
    if (this.built?.key === key) return this.built;
    this.close();
    const comp = compile(spec);
    const tg = comp.tg, s = comp.session;
    const names = Object.keys(tg.params);
    const vars = (group: Record<string, GraphVariable>) => names.map((k) => group[k]);
    const feeds = [tg.x, tg.y, tg.clip, ...tg.adam.feeds];
    this.built = {
      key,
      comp,
      stepRun: s.runner(feeds, [tg.loss, tg.gradNorm], tg.update),
      stepTraced: s.tracedRunner(feeds, [tg.loss, tg.gradNorm], tg.update),
      readParams: s.runner([], vars(tg.params).map((v) => v.read)),
      readMoments: s.runner([], [...vars(tg.m), ...vars(tg.v)].map((v) => v.read)),
    };
    closer.register(this, s, this);
    this.upload();
    return this.built;
  }

  /** Writes the model's weights and the optimiser's moments into the session's variables. */
  private upload(): void {
    const { c, tg } = this.built!.comp;
    const feeds: Out[] = [], ops: Operation[] = [], values: Deno.PointerValue[] = [];
    const put = (v: GraphVariable, t: tf.Tensor | undefined, what: string) => {
      if (!t || t.isDisposed) throw new Error(`graph path: ${what} is missing or disposed`);
      feeds.push(v.init);
      ops.push(v.assign);
      values.push(c.tensor(1, v.shape, t.dataSync() as Float32Array));
    };
    try {
      for (const k of this.names()) {
        put(tg.params[k], this.model.params[k], `model.params.${k}`);
        put(tg.m[k], this.optimizer.m[k], `optimizer.m.${k}`);
        put(tg.v[k], this.optimizer.v[k], `optimizer.v.${k}`);
      }
      this.built!.comp.session.runner(feeds, [], ops)(values);
    } finally {
      for (const t of values) c.deleteTensor(t);
    }
  }

  private read(run: Run, groups: number): Params[] {
    const { c, tg } = this.built!.comp;
    const names = this.names();
    const outs = run([]);
    try {
      return Array.from({ length: groups }, (_, gi) => {
        const out: Params = {};
        names.forEach((k, i) => {
          // Kept: a sync may happen inside someone's tf.tidy.
          out[k] = tf.keep(
            tf.tensor(c.readFloats(outs[gi * names.length + i]), tg.params[k].shape, "float32"),
          );
        });
        return out;
      });
    } finally {
      for (const t of outs) c.deleteTensor(t);
    }
  }

  step(x: tf.Tensor3D, y: tf.Tensor): { loss: tf.Scalar; gradNorm: tf.Scalar } {
    return this.run(x, y);
  }

  /**
   * A step; with `trace`, run with TensorFlow's full trace, handing over its `RunMetadata`
   * (`profile.ts` reads it).
   */
  run(
    x: tf.Tensor3D,
    y: tf.Tensor,
    trace?: (runMetadata: Uint8Array) => void,
  ): { loss: tf.Scalar; gradNorm: tf.Scalar } {
    const b = this.graphFor(x);
    const { c, tg } = b.comp, o = this.optimizer;
    const t = o.step + 1;
    const scalars = [this.clipNorm ?? Infinity, ...tg.adam.values(o, t)];
    const feeds = [
      ...hostBatch(c, tg, x, y),
      ...scalars.map((s) => c.tensor(1, [], Float32Array.of(s))),
    ];
    let outs: Deno.PointerValue[] = [];
    try {
      if (trace) {
        const r = b.stepTraced(feeds);
        outs = r.outputs;
        trace(r.metadata!);
      } else outs = b.stepRun(feeds);
      o.step = t;
      this.stale = true;
      return {
        loss: tf.scalar(c.readFloats(outs[0])[0]),
        gradNorm: tf.scalar(c.readFloats(outs[1])[0]),
      };
    } finally {
      for (const p of [...feeds, ...outs]) c.deleteTensor(p);
    }
  }

  sync(): Model {
    if (this.stale && this.built) {
      const [params] = this.read(this.built.readParams, 1);
      const [m, v] = this.read(this.built.readMoments, 2);
      tf.dispose([
        ...Object.values(this.model.params),
        ...Object.values(this.optimizer.m),
        ...Object.values(this.optimizer.v),
      ]);
      this.model.params = params;
      this.optimizer.m = m;
      this.optimizer.v = v;
      this.stale = false;
    }
    return this.model;
  }

  state(): TrainerState {
    this.sync();
    return readTrainerState(this.model, this.optimizer);
  }

  /** Replaces weights, moments and step, and writes them into the session's variables. */
  restore(s: TrainerState): void {
    if (this.disposed) throw new Error("trainer: used after dispose()");
    writeTrainerState(this.model, this.optimizer, s);
    this.stale = false;
    if (this.built) this.upload();
  }

  /** Syncs and closes the session. */
  private close(): void {
    if (!this.built) return;
    this.sync();
    closer.unregister(this);
    this.built.comp.session.close();
    this.built = null;
  }

  /** Syncs the weights into the model, closes the session and frees the optimiser's moments. */
  dispose(): void {
    if (this.disposed) return;
    this.close();
    this.optimizer.dispose();
    this.disposed = true;
  }
}

/**
 * A trainer on the graph path of the network `net` describes (call only where
 * `graphAvailable()`); `kernels` can turn the fused kernels off (tests compare both forms).
 */
export function graphTrainer(
  model: Model,
  optimizer: Optimizer,
  net: NetOf,
  clipNorm?: number,
  kernels: Partial<Pick<GraphSpec, "fuse">> = {},
): GraphTrainer {
  return new GraphTrainer(model, optimizer, net, clipNorm, kernels);
}
