/**
 * A model: a stack of recurrent layers of one cell (optionally with the attention readout) and a
 * task head, as plain tensors named as in docs/cells.md (W_x, W_h | u, b, b_h, W_q, W_o, b_o). With
 * more than one layer each cell parameter carries its layer's prefix (`l0.W_x`, `l1.W_x`, …);
 * the readout's names never do.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { type BaseCellName, type Cell, type CellConfig, CELLS, type Params } from "./cells/mod.ts";
import { bias, glorotUniform, type Uniform } from "./init.ts";
import type { Task } from "./task.ts";
import { layerParamName } from "./param_names.ts";

export { baseParamName, layerParamName } from "./param_names.ts";

export { type Task, TASKS } from "./task.ts";

/** The most layers a model may stack. */
export const MAX_LAYERS = 8;

/** Every base cell name (each composes with `+attn`). */
export const CELL_NAMES = Object.keys(CELLS) as BaseCellName[];

/** A parsed cell name: `lstm+attn` → { base: "lstm", attention: true }. */
export interface CellName {
  base: BaseCellName;
  attention: boolean;
}

/** True for a base cell name with an optional `+attn` suffix. */
export function isCellName(name: string): boolean {
  const base = name.endsWith("+attn") ? name.slice(0, -5) : name;
  return Object.hasOwn(CELLS, base);
}

/** Parses `base` or `base+attn`; throws on an unknown cell, listing the known ones. */
export function parseCellName(name: string): CellName {
  if (!isCellName(name)) {
    throw new Error(
      `unknown cell '${name}'; known: ${CELL_NAMES.join(", ")} (each also as NAME+attn)`,
    );
  }
  const attention = name.endsWith("+attn");
  return { base: (attention ? name.slice(0, -5) : name) as BaseCellName, attention };
}

/** A cell, its head and its weights. */
export interface Model {
  /** The full cell name, e.g. `lstm+attn`. */
  cell: string;
  base: BaseCellName;
  attention: boolean;
  task: Task;
  inputSize: number;
  hidden: number;
  outputSize: number;
  /** The LeakyReLU slope asked for, if any (read by `rnn_leaky`'s `configure`, default 0.01). */
  alpha?: number;
  /** The sequence length the model was built for (read by IndRNN's init and bound), if given. */
  seqLength?: number;
  /** Stacked recurrent layers (1 … {@link MAX_LAYERS}); layer k ≥ 1 reads layer k−1's states. */
  layers: number;
  /** Weights by docs/cells.md name; replaced (never mutated) by updates. */
  params: Params;
}

/** What {@link createModel} needs. */
export interface ModelOptions {
  task: Task;
  inputSize: number;
  outputSize: number;
  hidden: number;
  /** U[0,1) source for the seeded initialisers. */
  uniform: Uniform;
  /** LeakyReLU slope α (`rnn_leaky`'s default when absent). */
  alpha?: number;
  /** Sequence length T: IndRNN initialises u in (2^{−1/T}, 2^{1/T}) and keeps |u| ≤ 2^{1/T}. */
  seqLength?: number;
  /** Stacked recurrent layers (default 1). */
  layers?: number;
}

/** The cell object of a model. */
export function cellOf(model: Pick<Model, "base">): Cell {
  return CELLS[model.base];
}

/** Per-cell constants of a model: H and the cell's own settings (its `configure` hook). */
export function cellConfig(
  model: Pick<Model, "base" | "hidden" | "alpha" | "seqLength">,
): CellConfig {
  const own = CELLS[model.base].configure?.({ alpha: model.alpha, seqLength: model.seqLength });
  return { hidden: model.hidden, ...own };
}

/** Throws unless `layers` is a whole number in 1 … {@link MAX_LAYERS}. */
export function checkLayers(layers: number): void {
  if (!Number.isInteger(layers) || layers < 1 || layers > MAX_LAYERS) {
    throw new Error(`layers must be a whole number from 1 to ${MAX_LAYERS}, got ${layers}`);
  }
}

/**
 * Names and shapes of all parameters of a model: the cell's, layer by layer (bottom first), then
 * W_q, W_o, b_o.
 */
export function paramShapes(
  cellName: string,
  dims: { inputSize: number; hidden: number; outputSize: number; layers?: number },
): Record<string, number[]> {
  const { base, attention } = parseCellName(cellName);
  const H = dims.hidden, L = dims.layers ?? 1;
  checkLayers(L);
  const cells: Record<string, number[]> = {};
  for (let k = 0; k < L; k++) {
    for (const [name, shape] of Object.entries(CELLS[base].shapes(k ? H : dims.inputSize, H))) {
      cells[layerParamName(L, k, name)] = shape;
    }
  }
  return {
    ...cells,
    ...(attention ? { W_q: [H, H] } : {}),
    W_o: [attention ? 2 * H : H, dims.outputSize],
    b_o: [dims.outputSize],
  };
}

/**
 * A freshly initialised model. The cell's documented initialiser draws first, layer by layer from
 * the bottom, then the readout: W_q (attention) and W_o Glorot-uniform, b_o = 0. Same `uniform`
 * sequence → same weights.
 */
export function createModel(cellName: string, opts: ModelOptions): Model {
  const { base, attention } = parseCellName(cellName);
  const H = opts.hidden, L = opts.layers ?? 1;
  checkLayers(L);
  const params: Params = {};
  for (let k = 0; k < L; k++) {
    const layer = CELLS[base].init({
      inputSize: k ? H : opts.inputSize,
      hidden: H,
      uniform: opts.uniform,
      seqLength: opts.seqLength,
    });
    for (const [name, t] of Object.entries(layer)) params[layerParamName(L, k, name)] = t;
  }
  if (attention) params.W_q = glorotUniform(opts.uniform, H, H);
  params.W_o = glorotUniform(opts.uniform, attention ? 2 * H : H, opts.outputSize);
  params.b_o = bias(opts.outputSize);
  return {
    cell: cellName,
    base,
    attention,
    task: opts.task,
    inputSize: opts.inputSize,
    hidden: H,
    outputSize: opts.outputSize,
    ...(opts.alpha !== undefined ? { alpha: opts.alpha } : {}),
    ...(opts.seqLength ? { seqLength: opts.seqLength } : {}),
    layers: L,
    params,
  };
}

/** Frees a model's tensors. */
export function disposeModel(model: Model): void {
  for (const t of Object.values(model.params)) t.dispose();
  model.params = {};
}

/** A nested array of numbers (row-major), as in the reference files. */
export type NestedNumbers = number | NestedNumbers[];

/**
 * Replaces the model's weights with `values` (nested arrays or flat arrays, row-major), checking
 * every name and shape; throws an Error naming the offending parameter. Unlisted names keep their
 * weights.
 */
export function setParams(
  model: Model,
  values: Record<string, NestedNumbers | ArrayLike<number>>,
): void {
  const shapes = paramShapes(model.cell, model);
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(shapes, name)) {
      throw new Error(
        `params.${name}: not a parameter of ${model.cell} (expected ${
          Object.keys(shapes).join(", ")
        })`,
      );
    }
  }
  const fresh: Params = {};
  for (const [name, shape] of Object.entries(shapes)) {
    if (!Object.hasOwn(values, name)) continue;
    const flat = flatten(values[name], shape, `params.${name}`);
    fresh[name] = tf.tensor(flat, shape, "float32");
  }
  for (const [name, t] of Object.entries(fresh)) {
    model.params[name]?.dispose();
    model.params[name] = t;
  }
}

/** Flattens a nested row-major array of the given shape; throws naming `field` on a mismatch. */
export function flatten(value: unknown, shape: number[], field: string): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new Error(
          `${path}: expected a finite number, got ${JSON.stringify(v)?.slice(0, 40)}`,
        );
      }
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(
        `${path}: expected an array of length ${shape[depth]} (shape [${shape.join(", ")}]), got ${
          Array.isArray(v) ? `length ${v.length}` : typeof v
        }`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  // A flat array of the right length is accepted too.
  if (
    (Array.isArray(value) || ArrayBuffer.isView(value)) && shape.length > 1 &&
    (value as ArrayLike<unknown>).length === size &&
    typeof (value as ArrayLike<unknown>)[0] === "number"
  ) {
    const a = value as ArrayLike<number>;
    for (let i = 0; i < size; i++) {
      if (!Number.isFinite(a[i])) throw new Error(`${field}[${i}]: expected a finite number`);
      out[i] = a[i];
    }
    return out;
  }
  walk(
    ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value,
    0,
    field,
  );
  return out;
}
