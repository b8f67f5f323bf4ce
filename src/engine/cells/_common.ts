/**
 * Pieces shared by several cells.
 *
 * @module
 */
import type { Ops, TensorMap } from "../ops.ts";
import type { Stacked } from "./types.ts";

/**
 * The weight gradients of a cell with pre-activation x_t W_x + h_{t-1} W_h + b (+ b_h):
 * dW_x = Xᵀ·dA, dW_h = H_prevᵀ·dA_rec, db = Σ dA, db_h = Σ dA_rec — one matmul each over a chunk
 * of stacked steps.
 */
export function matrixParamGrads<T>(o: Ops<T>, s: Stacked<T>, p: TensorMap<T>): TensorMap<T> {
  const g: TensorMap<T> = { W_x: o.matMul(s.x, s.dx, true, false), b: o.sum(s.dx, [0]) };
  if (p.W_h) g.W_h = o.matMul(s.hPrev, s.drec, true, false);
  if (p.b_h) g.b_h = o.sum(s.drec, [0]);
  return g;
}
