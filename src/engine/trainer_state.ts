/**
 * A trainer's tensors as host arrays: the weights, Adam's moments and its step count — what a
 * checkpoint must hold so that training continues from it bit for bit (float32 values are copied,
 * never rounded). Browser-safe (tfjs-core only).
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Params } from "./cells/mod.ts";
import type { Model } from "./model.ts";
import type { Adam } from "./optim.ts";

/** One tensor's shape and float32 values. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** A trainer's state: weights and Adam's moments per parameter name, and Adam's step count. */
export interface TrainerState {
  /** Adam steps taken (its bias correction depends on it). */
  step: number;
  params: Record<string, HostTensor>;
  m: Record<string, HostTensor>;
  v: Record<string, HostTensor>;
}

function toHost(ps: Params): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [k, t] of Object.entries(ps)) {
    out[k] = { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
  }
  return out;
}

function fromHost(h: Record<string, HostTensor>, like: Params, what: string): Params {
  const out: Params = {};
  for (const [k, t] of Object.entries(like)) {
    const s = h[k];
    if (!s || s.shape.join(",") !== t.shape.join(",") || s.data.length !== t.size) {
      throw new Error(`trainer state: ${what}.${k} is missing or has another shape`);
    }
    out[k] = tf.keep(tf.tensor(s.data, s.shape, "float32"));
  }
  return out;
}

/** Reads `model.params` and `opt`'s moments (current ones: sync a graph trainer first). */
export function readTrainerState(model: Model, opt: Adam): TrainerState {
  return { step: opt.step, params: toHost(model.params), m: toHost(opt.m), v: toHost(opt.v) };
}

/**
 * Replaces `model.params` and `opt`'s moments and step with `s` (the old tensors are disposed).
 * Throws, changing nothing, when a name or shape does not match the model.
 */
export function writeTrainerState(model: Model, opt: Adam, s: TrainerState): void {
  const params = fromHost(s.params, model.params, "params");
  let m: Params, v: Params;
  try {
    m = fromHost(s.m, model.params, "m");
    v = fromHost(s.v, model.params, "v");
  } catch (e) {
    tf.dispose(Object.values(params));
    throw e;
  }
  tf.dispose([
    ...Object.values(model.params),
    ...Object.values(opt.m),
    ...Object.values(opt.v),
  ]);
  model.params = params;
  opt.m = m!;
  opt.v = v!;
  opt.step = s.step;
}
