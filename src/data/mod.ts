/**
 * Seeded datasets for the two classic long-memory tasks: the adding problem (Hochreiter &
 * Schmidhuber 1997; Arjovsky, Shah & Bengio 2016; IndRNN, Li et al. 2018; locuslab/TCN variant)
 * and copy memory (Arjovsky et al. 2016). Same seed → same bytes on every machine, from our own
 * xoshiro128** generator (see `rng.ts` for the seeding and sub-stream scheme); no tfjs here.
 *
 * Batches are plain typed arrays (see {@link Batch}); datasets on disk are NumPy `.npy` files with
 * a checksummed `manifest.json` (see `dataset.ts`).
 *
 * @example
 * ```ts
 * import { baselineLoss, batchStream, testSet, type TaskSpec } from "./mod.ts";
 *
 * const spec: TaskSpec = { task: "adding", T: 100 };
 * const train = batchStream(spec, 1, 32);
 * const batch = train.next(); // x: [32, 100, 2] float32, y: [32] float32
 * const test = testSet(spec, 1, 1000); // a disjoint sub-stream of the same seed
 * console.log(batch.x.length, test.batch, baselineLoss(spec)); // 6400 1000 0.1666…
 * ```
 *
 * @module
 */
export type { Batch } from "./batch.ts";
export { batchXShape, batchYShape } from "./batch.ts";
export {
  ADDING_VARIANTS,
  type AddingVariant,
  baselineLoss,
  baselineLossKind,
  checkTaskSpec,
  COPY_ALPHABET,
  COPY_BLANK,
  COPY_CLASSES,
  COPY_DELIMITER,
  DEFAULT_COPY_SYMBOLS,
  resolveTaskSpec,
  taskInputSize,
  taskOutputSize,
  TASKS,
  type TaskSpec,
  taskSteps,
} from "./task_spec.ts";
export { rngFromSeed, splitmix64, STREAM_TEST, STREAM_TRAIN, Xoshiro128StarStar } from "./rng.ts";
export { addingSample } from "./adding.ts";
export { copySample } from "./copy.ts";
export {
  type BatchStream,
  batchStream,
  generateBatch,
  type StreamPosition,
  testSet,
  trainSet,
} from "./generate.ts";
export { decodeNpy, encodeNpy, type NpyArray, type NpyDtype } from "./npy.ts";
export { sha256Hex } from "./sha256.ts";
export {
  buildDataset,
  DATASET_FILES,
  DATASET_FORMAT,
  DATASET_FORMAT_VERSION,
  type DatasetCounts,
  datasetDirName,
  DatasetError,
  type DatasetFileEntry,
  type DatasetManifest,
  type DatasetState,
  GENERATOR_RNG,
  GENERATOR_VERSION,
  inspectDataset,
  loadDataset,
  type LoadedDataset,
  MANIFEST_FILE,
  manifestTaskSpec,
  verifyDataset,
  writeDataset,
  type WriteResult,
} from "./dataset.ts";
