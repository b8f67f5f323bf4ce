/**
 * Checking the engine against gradient reference files (PyTorch autograd in float64: the
 * project's own in `fixtures/grads/`, made by `peers/torch/refgrad.py`; format in
 * `docs/cells.md`): set the file's weights and inputs, run {@link lossAndGrads}
 * with the probe, compare — the loss, every parameter gradient and every layer's ‖dL/dh_t‖.
 *
 * Errors are relative to each array's largest magnitude: max_i |ours_i − ref_i| / max_i |ref_i|
 * (absolute when the reference is all zeros); the loss error is |ours − ref| / |ref|.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { type EnginePath, lossAndGrads, resolvePath } from "./loss_and_grads.ts";
import {
  checkLayers,
  createModel,
  disposeModel,
  flatten,
  isCellName,
  type Model,
  paramShapes,
  setParams,
  type Task,
} from "./model.ts";

/** A reference file is not in the expected format; `field` names what is wrong. */
export class MalformedReferenceError extends Error {
  override name = "MalformedReferenceError";
  constructor(readonly field: string, detail: string) {
    super(`${field}: ${detail}`);
  }
}

/** A validated reference case. */
export interface GradReference {
  cell: string;
  task: Task;
  B: number;
  T: number;
  I: number;
  H: number;
  O: number;
  alpha: number;
  /** Stacked layers (1 when the file has no `layers` field). */
  layers: number;
  params: Record<string, Float32Array>;
  x: Float32Array;
  /** adding: [B] targets; copy: [B·T] class indices. */
  y: Float32Array | Int32Array;
  loss: number;
  /** The top layer's ‖dL/dh_t‖. */
  gradHNorms: number[];
  /** Every layer's ‖dL/dh_t‖, bottom first (files with more than one layer). */
  gradHNormsByLayer?: number[][];
  paramGrads: Record<string, Float64Array>;
}

function int(o: Record<string, unknown>, k: string): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new MalformedReferenceError(k, `expected a whole number ≥ 1, got ${JSON.stringify(v)}`);
  }
  return v;
}

function num(o: Record<string, unknown>, k: string): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new MalformedReferenceError(k, `expected a finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function nested(value: unknown, shape: number[], field: string): Float32Array {
  try {
    return flatten(value, shape, field);
  } catch (e) {
    const msg = (e as Error).message;
    const at = msg.indexOf(": ");
    throw new MalformedReferenceError(msg.slice(0, at), msg.slice(at + 2));
  }
}

function nested64(value: unknown, shape: number[], field: string): Float64Array {
  // Gradients are compared in float64: parse without rounding to float32.
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new MalformedReferenceError(
          path,
          `expected a finite number, got ${JSON.stringify(v)}`,
        );
      }
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new MalformedReferenceError(
        path,
        `expected an array of length ${shape[depth]} (shape [${shape.join(", ")}])`,
      );
    }
    v.forEach((e, i) => walk(e, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, field);
  return out;
}

/** Validates parsed JSON as a reference case; throws {@link MalformedReferenceError} naming the field. */
export function parseReference(json: unknown): GradReference {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new MalformedReferenceError("(file)", "expected a JSON object");
  }
  const o = json as Record<string, unknown>;
  if (typeof o.cell !== "string" || !isCellName(o.cell)) {
    throw new MalformedReferenceError("cell", `unknown cell ${JSON.stringify(o.cell)}`);
  }
  if (o.task !== "adding" && o.task !== "copy") {
    throw new MalformedReferenceError(
      "task",
      `expected "adding" or "copy", got ${JSON.stringify(o.task)}`,
    );
  }
  const cell = o.cell, task = o.task as Task;
  const B = int(o, "B"), T = int(o, "T"), I = int(o, "I"), H = int(o, "H"), O = int(o, "O");
  const alpha = o.alpha === undefined ? 0.01 : num(o, "alpha");
  const layers = o.layers === undefined ? 1 : int(o, "layers");
  try {
    checkLayers(layers);
  } catch (e) {
    throw new MalformedReferenceError("layers", (e as Error).message);
  }
  const shapes = paramShapes(cell, { inputSize: I, hidden: H, outputSize: O, layers });
  for (const field of ["params", "param_grads"]) {
    const v = o[field];
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      throw new MalformedReferenceError(field, "expected an object of named arrays");
    }
    for (const name of Object.keys(shapes)) {
      if (!Object.hasOwn(v, name)) throw new MalformedReferenceError(`${field}.${name}`, "missing");
    }
    for (const name of Object.keys(v)) {
      if (!Object.hasOwn(shapes, name)) {
        throw new MalformedReferenceError(`${field}.${name}`, `not a parameter of ${cell}`);
      }
    }
  }
  const params: Record<string, Float32Array> = {};
  const paramGrads: Record<string, Float64Array> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    params[name] = nested((o.params as Record<string, unknown>)[name], shape, `params.${name}`);
    paramGrads[name] = nested64(
      (o.param_grads as Record<string, unknown>)[name],
      shape,
      `param_grads.${name}`,
    );
  }
  const x = nested(o.x, [B, T, I], "x");
  let y: Float32Array | Int32Array;
  if (task === "adding") y = nested(o.y, [B, 1], "y");
  else {
    const yf = nested(o.y, [B, T], "y");
    yf.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= O) {
        throw new MalformedReferenceError(
          `y[${Math.floor(i / T)}][${i % T}]`,
          `expected a class index in [0, ${O})`,
        );
      }
    });
    y = Int32Array.from(yf);
  }
  const loss = num(o, "loss");
  const gradHNorms = Array.from(nested64(o.grad_h_norms, [T], "grad_h_norms"));
  const ref: GradReference = {
    cell,
    task,
    B,
    T,
    I,
    H,
    O,
    alpha,
    layers,
    params,
    x,
    y,
    loss,
    gradHNorms,
    paramGrads,
  };
  if (layers > 1) {
    const by = nested64(o.grad_h_norms_by_layer, [layers, T], "grad_h_norms_by_layer");
    ref.gradHNormsByLayer = Array.from(
      { length: layers },
      (_, k) => Array.from(by.subarray(k * T, (k + 1) * T)),
    );
  }
  return ref;
}

/** Reads and validates a reference file. */
export async function loadReference(path: string): Promise<GradReference> {
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new MalformedReferenceError("(file)", `not JSON: ${e.message}`);
    }
    throw e;
  }
  return parseReference(json);
}

/** The outcome for one reference case. */
export interface GradcheckResult {
  cell: string;
  task: Task;
  loss: number;
  refLoss: number;
  lossError: number;
  /** Max relative error of ‖dL/dh_t‖ over t (and over layers). */
  normsError: number;
  /** Max relative error per parameter gradient. */
  paramErrors: Record<string, number>;
  /** The largest of all the errors above. */
  maxError: number;
  pass: boolean;
  /** The engine path that computed it: `graph` (one TensorFlow graph run) or `eager`. */
  path: "graph" | "eager";
}

/** Which engine path {@link gradcheck} takes: `auto` (the graph path where available). */
export type GradcheckPath = EnginePath;

/** max |a − r| / max |r| (absolute error if r is all zeros). */
export function relativeError(actual: ArrayLike<number>, ref: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) {
    num = Math.max(num, Math.abs(actual[i] - ref[i]));
    den = Math.max(den, Math.abs(ref[i]));
  }
  if (Number.isNaN(num) || actual.length !== ref.length) return Infinity;
  return den > 0 ? num / den : num;
}

/** A model holding the reference's weights. */
export function referenceModel(ref: GradReference): Model {
  let s = 0;
  const model = createModel(ref.cell, {
    task: ref.task,
    inputSize: ref.I,
    hidden: ref.H,
    outputSize: ref.O,
    alpha: ref.alpha,
    layers: ref.layers,
    uniform: () => (s = (s * 9301 + 49297) % 233280) / 233280, // overwritten below
  });
  setParams(model, ref.params);
  return model;
}

/** Runs the engine on one reference case and compares at `tolerance`. */
export async function gradcheck(
  ref: GradReference,
  tolerance = 1e-4,
  path: GradcheckPath = "auto",
): Promise<GradcheckResult> {
  const model = referenceModel(ref);
  const x = tf.tensor3d(ref.x, [ref.B, ref.T, ref.I]);
  const y = ref.task === "adding"
    ? tf.tensor2d(ref.y as Float32Array, [ref.B, 1])
    : tf.tensor2d(ref.y as Int32Array, [ref.B, ref.T], "int32");
  try {
    const used = resolvePath(path);
    const out = lossAndGrads(model, x, y, { probe: true, path: used });
    const loss = (await out.loss.data())[0];
    const byLayer = ref.gradHNormsByLayer ?? [ref.gradHNorms];
    let normsError = 0;
    for (const [k, d] of out.dh!.entries()) {
      const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(d), [1, 2])));
      normsError = Math.max(normsError, relativeError(await norms.data(), byLayer[k]));
      norms.dispose();
    }
    const paramErrors: Record<string, number> = {};
    for (const [name, g] of Object.entries(ref.paramGrads)) {
      paramErrors[name] = relativeError(await out.grads[name].data(), g);
    }
    tf.dispose([out.loss, ...out.dh!, ...Object.values(out.grads)]);
    const lossError = Math.abs(loss - ref.loss) / Math.max(Math.abs(ref.loss), 1e-30);
    const maxError = Math.max(lossError, normsError, ...Object.values(paramErrors));
    return {
      cell: ref.cell,
      task: ref.task,
      loss,
      refLoss: ref.loss,
      lossError,
      normsError,
      paramErrors,
      maxError,
      pass: maxError <= tolerance,
      path: used,
    };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}
