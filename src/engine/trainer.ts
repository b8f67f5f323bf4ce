/**
 * Training on the fastest executor available: {@link createTrainer} returns a graph-path trainer
 * on the tensorflow backend (a whole step as one TensorFlow graph run) and an eager one
 * elsewhere. Both take the same steps: the same driver, cells, heads, clipping and Adam.
 *
 * @module
 */
import { eagerTrainer, type Trainer } from "./eager.ts";
import { type EnginePath, resolvePath } from "./loss_and_grads.ts";
import type { Model } from "./model.ts";
import { type AdamOptions, createAdam } from "./optim.ts";
import { graphTrainer } from "./tf_graph/trainer.ts";

/** Options of {@link createTrainer}. */
export interface TrainerOptions {
  /** Adam's hyper-parameters. */
  adam: AdamOptions;
  /** Clip gradients to this global norm (Pascanu et al. 2013); off when absent. */
  clipNorm?: number;
  /** Which executor: `auto` (graph where available), `graph` (throws where not), `eager`. */
  path?: EnginePath;
}

/** A trainer of `model` with a fresh Adam. */
export function createTrainer(model: Model, opts: TrainerOptions): Trainer {
  const optimizer = createAdam(model.params, opts.adam);
  return resolvePath(opts.path) === "graph"
    ? graphTrainer(model, optimizer, opts.clipNorm)
    : eagerTrainer(model, optimizer, { clipNorm: opts.clipNorm });
}
