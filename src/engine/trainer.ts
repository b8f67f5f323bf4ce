/**
 * Training on the fastest executor available: {@link createTrainer} returns a graph-path trainer
 * on the tensorflow backend (a whole step as one TensorFlow graph run) and an eager one
 * elsewhere. Both take the same steps: the same driver, cells, heads, clipping and optimiser.
 *
 * @module
 */
import { eagerTrainer, type Trainer } from "./eager.ts";
import { type EnginePath, resolvePath } from "./loss_and_grads.ts";
import type { Model } from "./model.ts";
import { createOptimizer, type OptimizerOptions } from "./optim.ts";
import { netOf } from "./net_spec.ts";
import type { Optimizer } from "./optim.ts";
import type { GraphSpec } from "./tf_graph/train_graph.ts";
import { type GraphTrainer, graphTrainer as graphTrainerOf } from "./tf_graph/trainer.ts";

/** Options of {@link createTrainer}. */
export interface TrainerOptions {
  /** The optimiser and its hyper-parameters (Adam, RMSprop; per-parameter-group rates). */
  optimizer?: OptimizerOptions;
  /** The same as `optimizer` (its older name; `optimizer` wins where both are given). */
  adam?: OptimizerOptions;
  /** Clip gradients to this global norm (Pascanu et al. 2013); off when absent. */
  clipNorm?: number;
  /** Which executor: `auto` (graph where available), `graph` (throws where not), `eager`. */
  path?: EnginePath;
}

/** A trainer of `model` with a fresh optimiser. */
export function createTrainer(model: Model, opts: TrainerOptions): Trainer {
  const settings = opts.optimizer ?? opts.adam;
  if (!settings) throw new Error("createTrainer: no optimizer settings");
  const optimizer = createOptimizer(model.params, settings);
  return resolvePath(opts.path) === "graph"
    ? graphTrainer(model, optimizer, opts.clipNorm)
    : eagerTrainer(model, optimizer, { clipNorm: opts.clipNorm });
}

/**
 * A trainer of `model` on the graph path (call only where `graphAvailable()`), handing the graph
 * executor the model's network description; `kernels` can turn the fused kernels off.
 */
export function graphTrainer(
  model: Model,
  optimizer: Optimizer,
  clipNorm?: number,
  kernels: Partial<Pick<GraphSpec, "fuse">> = {},
): GraphTrainer {
  return graphTrainerOf(model, optimizer, netOf(model), clipNorm, kernels);
}
