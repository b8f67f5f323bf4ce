/**
 * The engine: the cell zoo, backpropagation through time over stacked layers, the gradient probe,
 * Adam and clipping — each written once against a tensor-operations interface and run by two
 * executors: the TensorFlow graph (a whole training step as one graph run, on the tensorflow
 * backend) and eager tfjs tensors (every other backend, and the browser: `eager.ts`).
 *
 * Cells follow `docs/cells.md` exactly (checked against PyTorch by
 * `deno task gradcheck`). A cell is one file in `cells/` plus one line in `cells/mod.ts`; every
 * cell composes with the attention readout as `NAME+attn` and stacks with `layers`.
 *
 * @example
 * ```ts
 * import { initBackend, tf } from "../backend.ts";
 * import { createModel, createTrainer, gradientProbe } from "./mod.ts";
 *
 * await initBackend("auto");
 * let s = 1; // any U[0,1) source; use the project's seeded PRNG in real runs
 * const uniform = () => ((s = (s * 16807) % 2147483647) / 2147483647);
 * const model = createModel("lstm+attn", { task: "adding", inputSize: 2, outputSize: 1, hidden: 32, uniform });
 * const x = tf.randomUniform([16, 50, 2]) as tf.Tensor3D, y = tf.randomUniform([16]);
 * const trainer = createTrainer(model, { adam: { lr: 1e-3 }, clipNorm: 1 });
 * const { loss, gradNorm } = trainer.step(x, y);
 * console.log(trainer.path, await loss.data(), await gradNorm.data());
 * const probe = await gradientProbe(trainer.sync(), x, y); // ‖dL/dh_t‖, zero and subnormal shares
 * console.log(probe.norms[0] / probe.norms[49]);
 * trainer.dispose();
 * ```
 *
 * @module
 */
export {
  CELL_NAMES,
  type CellName,
  checkLayers,
  createModel,
  disposeModel,
  isCellName,
  layerParamName,
  MAX_LAYERS,
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
export type { Ops } from "./ops.ts";
export {
  eagerLossAndGrads,
  eagerTrainer,
  type LossAndGrads,
  type LossAndGradsOptions,
  type Trainer,
  trainStep,
  type TrainStepOptions,
} from "./eager.ts";
export { type EnginePath, gradientProbe, lossAndGrads, resolvePath } from "./loss_and_grads.ts";
export { createTrainer, type TrainerOptions } from "./trainer.ts";
export { type GradientProfile, profileOf } from "./probe.ts";
export {
  type HostTensor,
  readTrainerState,
  type TrainerState,
  writeTrainerState,
} from "./trainer_state.ts";
export {
  type Adam,
  type AdamOptions,
  adamUpdate,
  clipByGlobalNorm,
  createAdam,
  createOptimizer,
  disposeAdam,
  globalNorm,
  type Optimizer,
  type OptimizerName,
  type OptimizerOptions,
  OPTIMIZERS,
  type ParamGroup,
} from "./optim.ts";
export { expm, expmAdjoint } from "./expm.ts";
export { graphAvailable } from "./tf_graph/runtime.ts";
export { ADDING_TOLERANCE, evaluate, type Evaluation, predict } from "./evaluate.ts";
export { normal, type Uniform } from "./init.ts";
