/**
 * The engine: the cell zoo, backpropagation through time, the gradient probe, Adam and clipping.
 *
 * Cells follow `../shared/reference/CELLS.md` exactly (checked against PyTorch by
 * `deno task gradcheck`). A cell is one file in `cells/` plus one line in `cells/mod.ts`; every
 * cell composes with the attention readout as `NAME+attn`.
 *
 * @example
 * ```ts
 * import { initBackend, tf } from "../backend.ts";
 * import { createAdam, createModel, gradientProbe, trainStep } from "./mod.ts";
 *
 * await initBackend("auto");
 * let s = 1; // any U[0,1) source; use the project's seeded PRNG in real runs
 * const uniform = () => ((s = (s * 16807) % 2147483647) / 2147483647);
 * const model = createModel("lstm+attn", { task: "adding", inputSize: 2, outputSize: 1, hidden: 32, uniform });
 * const x = tf.randomUniform([16, 50, 2]) as tf.Tensor3D, y = tf.randomUniform([16]);
 * const opt = createAdam(model.params, { lr: 1e-3 });
 * const { loss, gradNorm } = trainStep(model, opt, x, y, { clipNorm: 1 });
 * console.log(await loss.data(), await gradNorm.data());
 * const probe = await gradientProbe(model, x, y); // ‖dL/dh_t‖, zero and subnormal shares per t
 * console.log(probe.norms[0] / probe.norms[49]);
 * ```
 *
 * @module
 */
export {
  CELL_NAMES,
  type CellName,
  createModel,
  disposeModel,
  isCellName,
  type Model,
  type ModelOptions,
  type NestedNumbers,
  paramShapes,
  parseCellName,
  setParams,
  type Task,
  TASKS,
} from "./model.ts";
export { CELLS } from "./cells/mod.ts";
export type { BaseCellName, Cell, Params } from "./cells/mod.ts";
export { type LossAndGrads, lossAndGrads } from "./bptt.ts";
export { gradientProbe, type GradientProfile, profileOf } from "./probe.ts";
export {
  type Adam,
  type AdamOptions,
  adamUpdate,
  clipByGlobalNorm,
  createAdam,
  disposeAdam,
  globalNorm,
} from "./optim.ts";
export { trainStep, type TrainStepOptions } from "./train_step.ts";
export { graphAvailable } from "./tf_graph/runtime.ts";
export { ADDING_TOLERANCE, evaluate, type Evaluation, predict } from "./evaluate.ts";
export { normal, type Uniform } from "./init.ts";
