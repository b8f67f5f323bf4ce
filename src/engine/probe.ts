/**
 * The gradient probe's statistics: for every step t, ‖dL/dh_t‖_F over the batch (the total
 * derivative through all later steps), and the share of exactly-zero and of subnormal entries in
 * dL/dh_t.
 *
 * Vanishing gradients underflow to subnormal floats (|x| < 2^−126), which x86 CPUs process up to
 * ten times slower unless flush-to-zero is on. TensorFlow's CPU kernels run with flush-to-zero and
 * denormals-are-zero, so comparisons on the device are unreliable: the shares are counted on the
 * host from the float32 bit patterns (exponent bits 0, mantissa ≠ 0). A host read, so for
 * checkpoints only, never in the per-step training path.
 *
 * @module
 */

/** Per-step gradient statistics, index t = 0 … T−1 (of the top layer). */
export interface GradientProfile {
  norms: number[];
  zeroFraction: number[];
  subnormalFraction: number[];
  /** With more than one layer: every layer's norms, bottom first (the last equals `norms`). */
  layerNorms?: number[][];
}

/** Norms and zero/subnormal shares per step of a time-major [T, B, H] float32 buffer. */
export function profileOf(data: Float32Array, T: number): GradientProfile {
  const per = data.length / T;
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  const norms: number[] = [], zeroFraction: number[] = [], subnormalFraction: number[] = [];
  for (let t = 0; t < T; t++) {
    let sq = 0, zeros = 0, subs = 0;
    for (let i = t * per; i < (t + 1) * per; i++) {
      const v = data[i];
      sq += v * v;
      const magnitude = bits[i] & 0x7fffffff;
      if (magnitude === 0) zeros++;
      else if (magnitude < 0x00800000) subs++; // exponent bits 0, mantissa ≠ 0
    }
    norms.push(Math.sqrt(sq));
    zeroFraction.push(zeros / per);
    subnormalFraction.push(subs / per);
  }
  return { norms, zeroFraction, subnormalFraction };
}
