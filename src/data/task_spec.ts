/**
 * What a task is, independent of how its samples are drawn: the {@link TaskSpec} type, its
 * shapes, and the loss of the best memoryless predictor (the "baseline" a model must beat).
 *
 * - Adding problem (Hochreiter & Schmidhuber 1997, "Long short-term memory"; the variant of
 *   Arjovsky, Shah & Bengio 2016, "Unitary evolution recurrent neural networks", also used by
 *   Li et al. 2018, "Independently recurrent neural network (IndRNN)"): predicting 1 always has
 *   MSE Var(a + b) = 2 · 1/12 = 1/6 ≈ 0.1667. (locuslab/TCN's README says 0.1767: a typo.)
 * - Copy memory (Arjovsky et al. 2016): blanks are free, the S symbols are guessed uniformly from
 *   8, so the mean cross-entropy per step is S · ln 8 / (T + 2S); T = 1000, S = 10 → 0.0204.
 *
 * @module
 */

/** Adding-problem marker placement: `arjovsky` (one marker per half) or `tcn` (anywhere). */
export type AddingVariant = "arjovsky" | "tcn";

/** A task and its length T (and variant or number of symbols to copy). */
export type TaskSpec =
  | { task: "adding"; T: number; variant?: AddingVariant }
  | { task: "copy"; T: number; symbols?: number };

/** Task names, for CLIs and validation. */
export const TASKS = ["adding", "copy"] as const;
/** Adding-problem variants; the first is the default. */
export const ADDING_VARIANTS: readonly AddingVariant[] = ["arjovsky", "tcn"];
/** Symbols to copy by default (Arjovsky et al. 2016). */
export const DEFAULT_COPY_SYMBOLS = 10;
/** Copy-memory alphabet: 0 blank, 1..8 symbols, 9 delimiter. */
export const COPY_CLASSES = 10;
/** Class index of the blank. */
export const COPY_BLANK = 0;
/** Class index of the delimiter ("start copying now"). */
export const COPY_DELIMITER = 9;
/** Number of distinct symbols (classes 1..8). */
export const COPY_ALPHABET = 8;

/** The spec with its defaults filled in (variant `arjovsky`, 10 symbols). */
export function resolveTaskSpec(spec: TaskSpec): Required<TaskSpec> {
  return spec.task === "adding"
    ? { task: "adding", T: spec.T, variant: spec.variant ?? "arjovsky" }
    : { task: "copy", T: spec.T, symbols: spec.symbols ?? DEFAULT_COPY_SYMBOLS };
}

/**
 * Throws a RangeError with one readable line when the spec cannot be generated: adding needs
 * T ≥ 2 (two distinct marker positions), copy needs T ≥ 1 and S ≥ 1.
 */
export function checkTaskSpec(spec: TaskSpec): void {
  const { task } = spec as { task: unknown };
  if (task !== "adding" && task !== "copy") {
    throw new RangeError(`unknown task '${String(task)}' (expected adding or copy)`);
  }
  if (!Number.isSafeInteger(spec.T)) {
    throw new RangeError(`T must be a whole number, got ${spec.T}`);
  }
  if (spec.task === "adding") {
    if (spec.T < 2) throw new RangeError(`adding needs T ≥ 2 (two markers), got T=${spec.T}`);
    const v = spec.variant ?? "arjovsky";
    if (!ADDING_VARIANTS.includes(v)) {
      throw new RangeError(`unknown adding variant '${v}' (expected arjovsky or tcn)`);
    }
  } else {
    if (spec.T < 1) throw new RangeError(`copy needs T ≥ 1, got T=${spec.T}`);
    const s = spec.symbols ?? DEFAULT_COPY_SYMBOLS;
    if (!Number.isSafeInteger(s) || s < 1) {
      throw new RangeError(`copy needs a whole number of symbols ≥ 1, got ${s}`);
    }
  }
}

/** Sequence length: T for adding, T + 2S for copy. */
export function taskSteps(spec: TaskSpec): number {
  return spec.task === "adding" ? spec.T : spec.T + 2 * (spec.symbols ?? DEFAULT_COPY_SYMBOLS);
}

/** Input features per step: 2 for adding (value, marker), 10 for copy (one-hot). */
export function taskInputSize(spec: TaskSpec): number {
  return spec.task === "adding" ? 2 : COPY_CLASSES;
}

/** Outputs of the head: 1 for adding (a regression at the last step), 10 for copy (per step). */
export function taskOutputSize(spec: TaskSpec): number {
  return spec.task === "adding" ? 1 : COPY_CLASSES;
}

/** The loss the baseline gets: adding MSE 1/6; copy mean cross-entropy S·ln 8 / (T + 2S). */
export function baselineLoss(spec: TaskSpec): number {
  if (spec.task === "adding") return 1 / 6;
  const s = spec.symbols ?? DEFAULT_COPY_SYMBOLS;
  return (s * Math.log(COPY_ALPHABET)) / (spec.T + 2 * s);
}

/** What {@link baselineLoss} measures: `mse` for adding, `cross_entropy` for copy. */
export function baselineLossKind(spec: TaskSpec): "mse" | "cross_entropy" {
  return spec.task === "adding" ? "mse" : "cross_entropy";
}
