/**
 * The matrix exponential and its adjoint, written once against {@link Ops} (matmuls, sums and
 * scalings only) and so run by every executor.
 *
 * Method: scaling and squaring (Higham 2005) with a fixed scaling: expm(X) = p(X / 2^s)^(2^s),
 * p the degree-{@link EXPM_DEGREE} Taylor polynomial evaluated by Paterson–Stockmeyer (powers
 * Y², Y³, Y⁴, then two Horner steps in Y⁴: 5 matmuls), then s = {@link EXPM_SQUARINGS}
 * squarings. The scaling is fixed rather than read from the matrix's norm because a norm-chosen
 * s would need a host read (or graph control flow) every training step. The fixed choice is
 * float32-accurate wherever ‖X‖₂ ≤ 2^s = 32: there ‖Y‖₂ ≤ 1 and the Taylor remainder is
 * ≤ 1/13! ≈ 1.6·10⁻¹⁰ per scaled factor, ≤ 5·10⁻⁹ after the squarings — below float32's
 * rounding. For expRNN's skew-symmetric X = A − Aᵀ, ‖X‖₂ is the largest rotation angle of
 * W_h = expm(X); Henaff initialisation puts it at ≤ π, and angles past π only re-express
 * rotations already reachable below it, so training stays far inside the bound (the test checks
 * up to ‖X‖₂ ≈ 42 against float64 references: errors ≤ 3·10⁻⁶; past ≈ 64 they grow).
 *
 * Adjoint: for a loss L(W) with W = expm(X) and G = dL/dW, dL/dX = L_exp(Xᵀ, G), the Fréchet
 * derivative of the exponential at Xᵀ in the direction G (Najfeld & Havel 1995; Al-Mohy & Higham
 * 2009), which is the upper-right block of expm([[Xᵀ, G], [0, Xᵀ]]) (Van Loan 1978). That block
 * matrix is never formed: block upper-triangular matrices [[P, Q], [0, P]] multiply as
 * (P₁P₂, P₁Q₂ + Q₁P₂), so the same scaling-and-squaring algorithm run on such pairs computes
 * expm(Xᵀ) and the block exactly as it would on the 2H × 2H matrix, with three H × H matmuls per
 * product. The block is linear in G, so G's size never affects the accuracy.
 *
 * @module
 */
import type { Ops } from "./ops.ts";

/** Squarings s of the scaling X / 2^s (float32-accurate for ‖X‖₂ ≤ 2^s). */
export const EXPM_SQUARINGS = 5;
/** Degree of the Taylor approximant of exp on the scaled matrix. */
export const EXPM_DEGREE = 12;

/** The operations the algorithm needs, on some kind of square matrix M. */
interface Algebra<M> {
  mul(a: M, b: M): M;
  add(a: M, b: M): M;
  scale(a: M, c: number): M;
  /** c·I + Σ_j cs[j]·ms[j]. */
  combination(c: number, cs: readonly number[], ms: readonly M[]): M;
}

/** p(Y)^(2^s) with p the Taylor polynomial, for Y = X / 2^s, on any {@link Algebra}. */
function scalingAndSquaring<M>(a: Algebra<M>, x: M): M {
  const y = a.scale(x, Math.pow(2, -EXPM_SQUARINGS));
  const c: number[] = [1];
  for (let j = 1; j <= EXPM_DEGREE; j++) c.push(c[j - 1] / j);
  const y2 = a.mul(y, y), y3 = a.mul(y2, y), y4 = a.mul(y2, y2);
  const pows = [y, y2, y3];
  // p = B0 + Y⁴ (B1 + Y⁴ B2), B_k = Σ_{j<4} c_{4k+j} Y^j (B2 also holds c_12 Y⁴).
  const block = (k: number) => a.combination(c[4 * k], c.slice(4 * k + 1, 4 * k + 4), pows);
  const b2 = a.add(block(2), a.scale(y4, c[12]));
  let p = a.add(block(0), a.mul(y4, a.add(block(1), a.mul(y4, b2))));
  for (let i = 0; i < EXPM_SQUARINGS; i++) p = a.mul(p, p);
  return p;
}

function matrixAlgebra<T>(o: Ops<T>, n: number): Algebra<T> {
  const eye = new Array(n * n).fill(0);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  let identity: T | undefined;
  const scale = (m: T, c: number) => o.mul(m, o.scalar(c));
  return {
    mul: (a, b) => o.matMul(a, b),
    add: (a, b) => o.add(a, b),
    scale,
    combination: (c, cs, ms) =>
      o.addN([
        scale(identity ??= o.constant(eye, [n, n]), c),
        ...ms.map((m, j) => scale(m, cs[j])),
      ]),
  };
}

/** The pair (P, Q) standing for the block matrix [[P, Q], [0, P]]. */
interface Pair<T> {
  p: T;
  q: T;
}

function pairAlgebra<T>(o: Ops<T>, n: number): Algebra<Pair<T>> {
  const m = matrixAlgebra(o, n);
  return {
    mul: (a, b) => ({ p: m.mul(a.p, b.p), q: o.add(m.mul(a.p, b.q), m.mul(a.q, b.p)) }),
    add: (a, b) => ({ p: o.add(a.p, b.p), q: o.add(a.q, b.q) }),
    scale: (a, c) => ({ p: m.scale(a.p, c), q: m.scale(a.q, c) }),
    // The identity block has a zero upper-right part: it adds nothing to q.
    combination: (c, cs, ms) => ({
      p: m.combination(c, cs, ms.map((x) => x.p)),
      q: o.addN(ms.map((x, j) => m.scale(x.q, cs[j]))),
    }),
  };
}

/** expm(X) of a square matrix X [n, n]. */
export function expm<T>(o: Ops<T>, x: T, n: number): T {
  return scalingAndSquaring(matrixAlgebra(o, n), x);
}

/**
 * dL/dX for W = expm(X) given G = dL/dW (both [n, n]): the Fréchet derivative L_exp(Xᵀ, G).
 */
export function expmAdjoint<T>(o: Ops<T>, x: T, g: T, n: number): T {
  return scalingAndSquaring(pairAlgebra(o, n), { p: o.transpose(x, [1, 0]), q: g }).q;
}
