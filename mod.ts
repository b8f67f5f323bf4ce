/**
 * rnn-gradbench: how gradients vanish in recurrent networks, and how much each remedy helps.
 *
 * The public API: seeded datasets (adding problem, copy memory), the cell zoo with explicit
 * backpropagation through time and the gradient-decay probe, suites and training with a
 * resumable results store, and the HTML report. The `tasks/*.ts` CLIs are thin layers over it.
 * On the tensorflow backend a trainer's step (`createTrainer`), `lossAndGrads` and the probe run
 * each call as one TensorFlow graph (`graphAvailable()` tells; `trainer.path` says which ran);
 * elsewhere as eager tfjs ops — the same math, written once.
 *
 * @example
 * ```ts
 * import { createModel, gradientProbe, initBackend, rngFromSeed, testSet, tf } from "./mod.ts";
 *
 * await initBackend("auto"); // tensorflow if provisioned (`deno task setup`), else wasm
 * const data = testSet({ task: "adding", T: 100 }, 1, 32);
 * const x = tf.tensor3d(data.x, [32, 100, 2]), y = tf.tensor1d(data.y as Float32Array);
 * const rng = rngFromSeed(1, 3);
 * for (const cell of ["rnn_tanh", "lstm", "rnn_tanh+attn"]) {
 *   const model = createModel(cell, {
 *     task: "adding", inputSize: 2, outputSize: 1, hidden: 64, uniform: () => rng.nextFloat(),
 *   });
 *   const { norms } = await gradientProbe(model, x, y);
 *   console.log(cell, "‖dL/dh_0‖ / ‖dL/dh_99‖ =", norms[0] / norms[99]);
 * }
 * ```
 *
 * @module
 */
export {
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  BackendUnavailableError,
  currentBackend,
  initBackend,
  tf,
} from "./src/backend.ts";
export {
  baselineLoss,
  type Batch,
  batchStream,
  generateBatch,
  loadDataset,
  rngFromSeed,
  type TaskSpec,
  testSet,
  trainSet,
  writeDataset,
} from "./src/data/mod.ts";
export {
  CELL_NAMES,
  createAdam,
  createModel,
  createTrainer,
  disposeModel,
  evaluate,
  gradientProbe,
  graphAvailable,
  isCellName,
  lossAndGrads,
  type Model,
  parseCellName,
  predict,
  type Trainer,
  trainStep,
} from "./src/engine/mod.ts";
export { expandGrid, loadSuite, type Suite, validateSuite } from "./src/suite/mod.ts";
export { trainChains, trainGrid, trainRun } from "./src/train/mod.ts";
export {
  collectEnvironment,
  type Environment,
  mergeResults,
  readResultsDir,
  type ResultRecord,
  validateResult,
} from "./src/results/mod.ts";
export { buildReport } from "./src/report/mod.ts";
export { submitSweep, type SweepSpec, waitForSweep } from "./src/cluster/mod.ts";
