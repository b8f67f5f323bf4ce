/**
 * Batches from a task spec and a generator, and the deterministic train/test sources built on
 * them (see `rng.ts` for the sub-stream scheme).
 *
 * Samples are drawn one after another, so batches are a pure function of how many samples came
 * before: the first N samples of {@link batchStream} (any batch size) are exactly
 * `trainSet(spec, seed, N)`, which is what `train_*.npy` holds.
 *
 * @module
 */
import { addingSample } from "./adding.ts";
import type { Batch } from "./batch.ts";
import { copySample } from "./copy.ts";
import { rngFromSeed, STREAM_TEST, STREAM_TRAIN, Xoshiro128StarStar } from "./rng.ts";
import {
  checkTaskSpec,
  resolveTaskSpec,
  taskInputSize,
  type TaskSpec,
  taskSteps,
} from "./task_spec.ts";

/** Draws `B` samples of `spec` from `rng` into a fresh {@link Batch}. */
export function generateBatch(spec: TaskSpec, rng: Xoshiro128StarStar, B: number): Batch {
  checkTaskSpec(spec);
  if (!Number.isSafeInteger(B) || B < 0) {
    throw new RangeError(`batch size must be a whole number ≥ 0, got ${B}`);
  }
  const steps = taskSteps(spec);
  const inputSize = taskInputSize(spec);
  const x = new Float32Array(B * steps * inputSize);
  const r = resolveTaskSpec(spec);
  if (r.task === "adding") {
    const y = new Float32Array(B);
    for (let b = 0; b < B; b++) y[b] = addingSample(rng, r.T, r.variant, x, b * steps * 2);
    return { x, y, batch: B, steps, inputSize };
  }
  const y = new Int32Array(B * steps);
  for (let b = 0; b < B; b++) {
    copySample(rng, r.T, r.symbols, x, b * steps * inputSize, y, b * steps);
  }
  return { x, y, batch: B, steps, inputSize };
}

/**
 * Where a {@link BatchStream} stands: the samples drawn so far and the generator's state. A
 * sample takes a varying number of draws (rejection sampling), so the state, not the count, is
 * what lets a stream continue exactly.
 */
export interface StreamPosition {
  samples: number;
  /** The xoshiro128** state words, unsigned. */
  state: [number, number, number, number];
}

/** An endless source of training batches. */
export interface BatchStream {
  readonly spec: TaskSpec;
  readonly seed: number;
  readonly batchSize: number;
  /** Samples drawn so far. */
  readonly samplesDrawn: number;
  /** The next batch of the train sub-stream. */
  next(): Batch;
  /** The stream's position now: {@link batchStream} given it continues with the same batches. */
  position(): StreamPosition;
}

/**
 * Training batches of size `B` from the train sub-stream of `seed`: same (spec, seed, B) →
 * same batches, on every machine. Given `from` (a {@link BatchStream.position}), it continues
 * from there: the batches a stream drawn that far would give next.
 */
export function batchStream(
  spec: TaskSpec,
  seed: number,
  B: number,
  from?: StreamPosition,
): BatchStream {
  checkTaskSpec(spec);
  if (!Number.isSafeInteger(B) || B < 1) {
    throw new RangeError(`batch size must be a whole number ≥ 1, got ${B}`);
  }
  const rng = from ? new Xoshiro128StarStar(...from.state) : rngFromSeed(seed, STREAM_TRAIN);
  let drawn = from?.samples ?? 0;
  return {
    spec,
    seed,
    batchSize: B,
    get samplesDrawn() {
      return drawn;
    },
    next() {
      drawn += B;
      return generateBatch(spec, rng, B);
    },
    position: () => ({ samples: drawn, state: rng.state() }),
  };
}

/** The first `N` samples of the train sub-stream of `seed` (what `train_*.npy` holds). */
export function trainSet(spec: TaskSpec, seed: number, N: number): Batch {
  return generateBatch(spec, rngFromSeed(seed, STREAM_TRAIN), N);
}

/** `N` samples from the test sub-stream of `seed`: never seen in training. */
export function testSet(spec: TaskSpec, seed: number, N: number): Batch {
  return generateBatch(spec, rngFromSeed(seed, STREAM_TEST), N);
}
