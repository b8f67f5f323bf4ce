/**
 * Pieces shared by several cells.
 *
 * @module
 */
import { tf } from "../../backend.ts";
import type { Params, Stacked } from "./types.ts";

/**
 * The weight gradients of a cell with pre-activation x_t W_x + h_{t-1} W_h + b (+ b_h):
 * dW_x = Xᵀ·dA, dW_h = H_prevᵀ·dA_rec, db = Σ dA, db_h = Σ dA_rec — one matmul each over all steps.
 */
export function matrixParamGrads(s: Stacked, p: Params): Params {
  const g: Params = {
    W_x: tf.matMul(s.x, s.dx, true, false),
    b: tf.sum(s.dx, 0),
  };
  if (p.W_h) g.W_h = tf.matMul(s.hPrev, s.drec, true, false);
  if (p.b_h) g.b_h = tf.sum(s.drec, 0);
  return g;
}
