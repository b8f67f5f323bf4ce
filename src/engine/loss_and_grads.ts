/**
 * Loss and gradients, and the gradient probe, on the fastest executor available: the TensorFlow
 * graph (`tf_graph/`) on the tensorflow backend, else the eager executor (`eager.ts`). Both run
 * the same driver, cells and heads; `path` insists on one.
 *
 * @module
 */
import type { tf } from "./tf.ts";
import {
  eagerLossAndGrads,
  type LossAndGrads,
  type LossAndGradsOptions,
  profileOfPass,
} from "./eager.ts";
import type { Model } from "./model.ts";
import type { GradientProfile } from "./probe.ts";
import { netOf } from "./net_spec.ts";
import { graphAvailable, graphLossAndGrads, specOf } from "./tf_graph/runtime.ts";
import type { GraphSpec } from "./tf_graph/train_graph.ts";

/** Which executor runs: `auto` (graph where available), `graph` (throws where not), `eager`. */
export type EnginePath = "auto" | "graph" | "eager";

/** The executor `path` resolves to on the current backend; throws for an unavailable `graph`. */
export function resolvePath(path: EnginePath = "auto"): "graph" | "eager" {
  if (path === "eager") return "eager";
  if (graphAvailable()) return "graph";
  if (path === "graph") {
    throw new Error("the graph path needs the tensorflow backend and TensorFlow's C API");
  }
  return "eager";
}

/**
 * The loss of `model` on a batch and its gradients by BPTT.
 * `x` [B, T, I] float32; `y`: adding [B] or [B, 1] float32, copy [B, T] class indices.
 */
export function lossAndGrads(
  model: Model,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: LossAndGradsOptions & { path?: EnginePath } = {},
): LossAndGrads {
  if (opts.recall && model.task !== "copy") throw new Error("recall: a copy-task option");
  return resolvePath(opts.path) === "graph"
    ? graphLossAndGrads(netOf(model), model.params, x, y, opts)
    : eagerLossAndGrads(model, x, y, opts);
}

/**
 * Profiles dL/dh_t for every step and layer on a batch (reads the host). With `recall` (copy),
 * of the recall loss alone — the part of the copy loss that needs memory.
 */
export function gradientProbe(
  model: Model,
  x: tf.Tensor3D,
  y: tf.Tensor,
  opts: { recall?: number; path?: EnginePath } = {},
): Promise<GradientProfile> {
  return profileOfPass(lossAndGrads(model, x, y, { ...opts, probe: true }));
}

/** The graph executor's spec of `model` on a batch shape (tests and the profiler pin its knobs). */
export function graphSpecOf(
  model: Model,
  batchShape: readonly number[],
  opts: { recall?: number } = {},
): GraphSpec {
  return specOf(netOf(model), batchShape, opts);
}
