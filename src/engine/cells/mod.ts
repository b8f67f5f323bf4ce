/**
 * The cell zoo. Adding a cell = one new file in this folder implementing {@link Cell} (forward
 * step, backward step and initialiser side by side, against the tensor-operations interface) plus
 * one line in {@link CELLS} below; both executors, the attention readout, stacking, gradcheck,
 * the tests, the benches and the report (its cell order and colours) pick it up from here.
 *
 * @example
 * ```ts
 * import { CELLS } from "./mod.ts";
 * console.log(Object.keys(CELLS)); // ["rnn_tanh", "rnn_relu", …]
 * ```
 *
 * @module
 */
import { exprnn } from "./exprnn.ts";
import { gru } from "./gru.ts";
import { indrnn } from "./indrnn.ts";
import { irnn } from "./irnn.ts";
import { lstm } from "./lstm.ts";
import { mingru } from "./mingru.ts";
import { rnnLeaky } from "./rnn_leaky.ts";
import { rnnRelu } from "./rnn_relu.ts";
import { rnnTanh } from "./rnn_tanh.ts";
import type { Cell } from "./types.ts";

export type {
  BackwardStep,
  Cell,
  CellConfig,
  InitOptions,
  ModelSettings,
  Params,
  Stacked,
  State,
  StepInput,
} from "./types.ts";

/** Every base cell, by name, in the order the report lists them. */
export const CELLS = {
  rnn_tanh: rnnTanh,
  rnn_relu: rnnRelu,
  rnn_leaky: rnnLeaky,
  irnn: irnn,
  indrnn: indrnn,
  lstm: lstm,
  gru: gru,
  mingru: mingru,
  exprnn: exprnn,
} as const satisfies Record<string, Cell>;

/** A base cell name. */
export type BaseCellName = keyof typeof CELLS;
