/**
 * Compiled training graphs (graph + session) and the stateless loss-and-gradients call on them.
 * The training loop's stateful use — variables that live in the session between steps — is
 * `trainer.ts`.
 *
 * @module
 */
import { currentBackend, interOpThreads } from "../../backend.ts";
import { tf } from "../tf.ts";
import type { NetOf } from "../bptt.ts";
import type { TensorMap } from "../ops.ts";
import { lrGroupsOf, type Optimizer } from "../optim.ts";
import { Graph, Session, sessionConfig } from "./graph.ts";
import { loadTfC, type TfC, TfError } from "./tf_c.ts";
import { batchParts, buildTrainGraph, type GraphSpec, type TrainGraph } from "./train_graph.ts";

/** A built graph with a session on it. */
export interface Compiled {
  c: TfC;
  tg: TrainGraph;
  session: Session;
}

/**
 * TensorFlow's executor threads for graph sessions. Intra-op: the backend's (one by default —
 * B=64, H=128 matmuls do not split profitably). Inter-op: env `TF_NUM_INTEROP_THREADS`, else one
 * per core, so the chunked weight-gradient matmuls run beside the backward recurrence.
 */
export function graphThreads(): { intraOpThreads: number; interOpThreads: number } {
  const b = currentBackend();
  return { intraOpThreads: b?.threads ?? 1, interOpThreads: b?.interOpThreads ?? interOpThreads() };
}

/**
 * Builds `spec`'s graph and opens a session on it (throws TensorFlow's message on failure). Where
 * the library lacks a fused kernel (`LSTMBlockCell`, `ResourceApplyAdam`) the graph is built from
 * the generic formulas instead.
 */
export function compile(spec: GraphSpec): Compiled {
  const c = loadTfC();
  if (!c) throw new Error("the TensorFlow C API is not loaded");
  const build = (s: GraphSpec) => {
    const g = new Graph(c);
    try {
      return { g, tg: buildTrainGraph(g, s) };
    } catch (e) {
      c.sym.TF_DeleteGraph(g.ptr);
      throw e;
    }
  };
  let built;
  try {
    built = build(spec);
  } catch (e) {
    // A library without the fused kernels: the generic formulas, the same math.
    if (!(spec.fuse && e instanceof TfError)) throw e;
    built = build({ ...spec, fuse: false });
  }
  return { c, tg: built.tg, session: new Session(built.g, sessionConfig(graphThreads())) };
}

/** Which implementation `lossAndGrads` and `trainStep` may take. */
export function graphPathEnabled(): boolean {
  return Deno.env.get("RNN_GRADBENCH_GRAPH") !== "0";
}

/**
 * True when the graph path can run: tensorflow backend, the C API loads, and
 * `RNN_GRADBENCH_GRAPH` is not `0`. Every cell of the registry builds (the graph is the BPTT
 * driver run on the graph executor).
 */
export function graphAvailable(): boolean {
  return tf.getBackend() === "tensorflow" && graphPathEnabled() && loadTfC() !== null;
}

/**
 * The graph spec of the network `net` describes on a batch of shape [B, T, …]: the batch split
 * for this session's inter-op threads, with TensorFlow's fused kernels where the executor
 * recognises them; `recall` makes the loss the copy task's recall loss (the probe's);
 * `optimizer` the update's optimiser and its parameter groups.
 */
export function specOf(
  net: NetOf,
  batchShape: readonly number[],
  opts: { recall?: number; optimizer?: Pick<Optimizer, "name" | "lr" | "groups"> } = {},
): GraphSpec {
  const n = net(batchShape, batchParts(batchShape[0], graphThreads().interOpThreads));
  const opt = opts.optimizer;
  const lrGroup = opt ? nonZero(lrGroupsOf(opt, Object.keys(n.shapes)).index) : {};
  return {
    net: n,
    fuse: true,
    ...(opts.recall ? { recall: opts.recall } : {}),
    ...(opt && opt.name !== "adam" ? { optimizer: opt.name } : {}),
    ...(Object.keys(lrGroup).length ? { lrGroup } : {}),
  };
}

function nonZero(index: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(index).filter(([, i]) => i > 0));
}

/** A stable key of a spec (the cell by its name). */
export function specKey(spec: GraphSpec): string {
  const sorted = (o: object): unknown =>
    Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [
      k,
      k === "cell" ? v.name : v && typeof v === "object" && !Array.isArray(v) ? sorted(v) : v,
    ]);
  return JSON.stringify(sorted(spec));
}

/** Host copies of the batch as the graph's placeholders take them. */
export function hostBatch(
  c: TfC,
  tg: TrainGraph,
  x: tf.Tensor,
  y: tf.Tensor,
): Deno.PointerValue[] {
  // The batch is input data already on the host side of tfjs-node (no pending work to wait for).
  const xs = x.dataSync() as Float32Array;
  const { B, T, task } = tg.spec.net.head, I = tg.spec.net.inputSize;
  const xt = c.tensor(1, [B, T, I], xs instanceof Float32Array ? xs : Float32Array.from(xs));
  const ys = y.dataSync();
  const yt = task === "adding"
    ? c.tensor(1, [B], ys instanceof Float32Array ? ys : Float32Array.from(ys))
    : c.tensor(3, [B, T], ys instanceof Int32Array ? ys : Int32Array.from(ys));
  return [xt, yt];
}

const MAX_CACHED = 4;
const cache = new Map<string, Compiled & { run: ReturnType<Session["runner"]>; probe: boolean }>();

/** The compiled graph of `spec` with a runner of its loss and gradients, from a small LRU cache. */
export function cachedRunner(spec: GraphSpec, probe: boolean) {
  const key = `${specKey(spec)}|${probe}`;
  let e = cache.get(key);
  if (e) {
    cache.delete(key); // most recently used last
  } else {
    const comp = compile(spec);
    const names = Object.keys(comp.tg.params);
    const run = comp.session.runner(
      [comp.tg.x, comp.tg.y, ...names.map((k) => comp.tg.params[k].read)],
      [comp.tg.loss, ...names.map((k) => comp.tg.grads[k]), ...(probe ? comp.tg.dh : [])],
    );
    e = { ...comp, run, probe };
    if (cache.size >= MAX_CACHED) {
      const [oldest, old] = cache.entries().next().value!;
      old.session.close();
      cache.delete(oldest);
    }
  }
  cache.set(key, e);
  return e;
}

/** Closes every cached session (tests; long-lived processes switching configurations). */
export function clearGraphCache(): void {
  for (const e of cache.values()) e.session.close();
  cache.clear();
}

/** What a loss-and-gradients call on the graph path returns (new tfjs tensors). */
export interface GraphPass {
  loss: tf.Scalar;
  grads: TensorMap<tf.Tensor>;
  /** With `probe`: per layer (bottom first), dL/dh_t time-major [T, B, H]. */
  dh?: tf.Tensor3D[];
}

/**
 * Loss and gradients on the graph path of the network `net` describes, with the weights
 * `params`: the parameter reads are fed from them, so no session variable is involved. Returns
 * new tfjs tensors (the caller disposes them).
 */
export function graphLossAndGrads(
  net: NetOf,
  params: TensorMap<tf.Tensor>,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: { probe?: boolean; recall?: number } = {},
): GraphPass {
  return lossAndGradsOn(specOf(net, x.shape, opts), params, x, y, opts.probe ?? false);
}

/** {@link graphLossAndGrads} for an explicit spec (tests pin `parts` and `fuse`). */
export function lossAndGradsOn(
  spec: GraphSpec,
  params: TensorMap<tf.Tensor>,
  x: tf.Tensor3D,
  y: tf.Tensor,
  probe: boolean,
): GraphPass {
  const e = cachedRunner(spec, probe);
  const { c, tg } = e;
  const names = Object.keys(tg.params);
  const feeds: Deno.PointerValue[] = hostBatch(c, tg, x, y);
  const outs: Deno.PointerValue[] = [];
  try {
    for (const k of names) {
      const p = params[k];
      if (!p) throw new Error(`graph path: model has no parameter ${k}`);
      feeds.push(c.tensor(1, tg.params[k].shape, p.dataSync() as Float32Array));
    }
    outs.push(...e.run(feeds));
    const loss = tf.scalar(c.readFloats(outs[0])[0]);
    const grads: TensorMap<tf.Tensor> = {};
    names.forEach((k, i) => grads[k] = tf.tensor(c.readFloats(outs[1 + i]), tg.params[k].shape));
    const result: GraphPass = { loss, grads };
    if (probe) {
      const { T, B, H } = spec.net.head;
      result.dh = tg.dh.map((_, k) =>
        tf.tensor3d(c.readFloats(outs[1 + names.length + k]), [T, B, H])
      );
    }
    return result;
  } finally {
    for (const t of [...feeds, ...outs]) c.deleteTensor(t);
  }
}
