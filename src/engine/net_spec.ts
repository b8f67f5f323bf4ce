/**
 * The network description ({@link NetSpec}) of a model on a batch shape: the one place that turns
 * a model's cell name into the cell's math (the registry) and its constants, so that the driver
 * and both executors take it as given.
 *
 * @module
 */
import type { NetOf, NetSpec } from "./bptt.ts";
import { cellConfig, cellOf, type Model, paramShapes } from "./model.ts";

/** The driver's view of `model` on a batch [B, T, …] in `parts` row blocks. */
export function netSpecOf(model: Model, batchShape: readonly number[], parts = 1): NetSpec {
  return {
    cell: cellOf(model),
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
    shapes: paramShapes(model.cell, model),
  };
}

/** {@link netSpecOf} of `model` for any batch shape (what the graph executor is handed). */
export function netOf(model: Model): NetOf {
  return (batchShape, parts) => netSpecOf(model, batchShape, parts);
}
