/**
 * The FLOP model of one training step: how many floating-point operations its matrix products
 * do, so a step time becomes GFLOP/s and a share of the machine's GEMM peak. Written once, here,
 * for every cell: the counts follow from the cell's parameter shapes in the engine's registry
 * (`CELLS[name].shapes(I, H)`), so a new cell is counted without a line added here.
 *
 * Per time step and layer, with B the batch, I the layer's input width (the task's for layer 0,
 * H above it), H the hidden width and G the cell's gate blocks (W_x is [I, G·H]):
 *
 * - the input projection x_t·W_x, forward: 2·B·I·G·H; its weight gradient dW_x = xᵀ·dz:
 *   2·B·I·G·H; and, above the bottom layer only, the gradient handed down, dz·W_xᵀ: 2·B·G·H·I
 *   (the bottom layer's input is data and needs no gradient);
 * - each recurrent matrix [H, N] (W_h: N = G·H; expRNN's A, whose W_h = expm(A − Aᵀ) has the same
 *   shape): forward h_{t-1}·W_h 2·B·H·N, backward dz·W_hᵀ 2·B·N·H, weight gradient dW_h 2·B·H·N.
 *   Cells without one (IndRNN's element-wise u, minGRU) have only the input terms.
 *
 * So a plain LSTM layer over T steps costs T·2·B·4H·(3H + 2I) FLOPs. The attention readout adds,
 * once per step over the whole sequence (the products of `src/engine/attention.ts`): the query
 * h_{T-1}·W_q, its two gradients dq·W_qᵀ and dW_q (3 · 2·B·H²), and five batched products over all
 * states — scores, context, dw, dq, and dh_t = [w_t, ds_t]·[dctx; q] — 2·B·T·H each, the last
 * twice (12·B·T·H).
 *
 * Not counted: element-wise work (gates, nonlinearities, Adam), the linear head (O = 1), and
 * expRNN's matrix exponential with its gradient (a few dozen H×H products once per training
 * step, under 5% of the recurrence's products at H = 128, T ≥ 50). The count is the work any
 * implementation must do in matrix products, so GFLOP/s compares contenders on the same footing.
 *
 * @module
 */
import { CELLS, isCellName, parseCellName } from "../engine/mod.ts";
import { parseBenchCell } from "./grid.ts";

/** The size of one timed configuration. */
export interface StepSize {
  /** Batch B. */
  B: number;
  /** Hidden width H. */
  H: number;
  /** Sequence length T. */
  T: number;
  /** Input width of the bottom layer (2 for the adding problem). */
  I: number;
}

/** One training step's matrix-product FLOPs, by where they go. */
export interface StepFlops {
  /** Forward products (input projections and recurrences). */
  forward: number;
  /** Backward products: gradients handed back through the recurrence and down the layers. */
  backward: number;
  /** Weight-gradient products (dW_x, dW_h). */
  weights: number;
  /** The attention readout's products (0 without `+attn`). */
  attention: number;
  /** The sum. */
  total: number;
}

/** The input width of the adding problem (value, marker). */
export const ADDING_INPUT = 2;

/**
 * The FLOP model of one training step of bench cell `name` (`lstm`, `lstm+attn`, `lstm×2`, …) at
 * `size`; null for a name the engine's registry does not know.
 *
 * @example
 * ```ts
 * const f = stepFlops("lstm", { B: 64, H: 128, T: 200, I: 2 })!;
 * // 200 steps · 2·64·512·(3·128 + 2·2) = 5.09 GFLOP
 * console.log((f.total / 1e9).toFixed(2));
 * ```
 */
export function stepFlops(name: string, size: StepSize): StepFlops | null {
  const { cell, layers } = parseBenchCell(name);
  if (!isCellName(cell)) return null;
  const { base, attention } = parseCellName(cell);
  const { B, H, T } = size;
  let forward = 0, backward = 0, weights = 0;
  for (let k = 0; k < layers; k++) {
    const I = k === 0 ? size.I : H;
    const shapes = CELLS[base].shapes(I, H);
    for (const [param, shape] of Object.entries(shapes)) {
      if (shape.length !== 2) continue;
      const [rows, cols] = shape;
      const product = 2 * B * rows * cols; // one [B, rows]·[rows, cols] product
      if (param === "W_x") {
        forward += product;
        weights += product;
        if (k > 0) backward += product;
      } else if (rows === H) {
        forward += product;
        backward += product;
        weights += product;
      }
    }
  }
  forward *= T;
  backward *= T;
  weights *= T;
  const attn = attention ? 3 * 2 * B * H * H + 12 * B * T * H : 0;
  return {
    forward,
    backward,
    weights,
    attention: attn,
    total: forward + backward + weights + attn,
  };
}

/** GFLOP/s of `flops` done in `ms` milliseconds. */
export function gflops(flops: number, ms: number): number {
  return flops / (ms * 1e6);
}
