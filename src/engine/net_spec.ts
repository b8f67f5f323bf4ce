/**
 * The BPTT driver's static description of a model on a batch shape.
 *
 * @module
 */
import type { NetSpec } from "./bptt.ts";
import { cellConfig, type Model } from "./model.ts";

/** The driver's view of `model` on a batch [B, T, …] in `parts` row blocks. */
export function netSpecOf(model: Model, batchShape: readonly number[], parts = 1): NetSpec {
  return {
    base: model.base,
    cfg: cellConfig(model),
    layers: model.layers,
    inputSize: model.inputSize,
    head: {
      task: model.task,
      attention: model.attention,
      B: batchShape[0],
      T: batchShape[1],
      H: model.hidden,
      O: model.outputSize,
    },
    parts,
  };
}
