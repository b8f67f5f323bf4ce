import { initBackend, tf } from "../backend.ts";
import { assertLess } from "../testing/assert.ts";
import { eagerOps } from "./eager_ops.ts";
import { expm, expmAdjoint } from "./expm.ts";
import { mulberry32 } from "./_test_rng.ts";

/** Float64 host matrices, row-major n × n. */
type M = Float64Array<ArrayBuffer>;

function mm(a: M, b: M, n: number): M {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const v = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += v * b[k * n + j];
    }
  }
  return c;
}

/** A float64 reference independent of the module: Taylor-30 on X / 2^s, ‖X / 2^s‖_F ≤ ½. */
function expm64(x: M, n: number): M {
  const frob = Math.sqrt(x.reduce((a, v) => a + v * v, 0));
  const s = Math.max(0, Math.ceil(Math.log2(2 * frob)));
  const y = x.map((v) => v / 2 ** s);
  let term: M = new Float64Array(n * n), sum: M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) term[i * n + i] = sum[i * n + i] = 1;
  for (let j = 1; j <= 30; j++) {
    term = mm(term, y, n).map((v) => v / j);
    sum = sum.map((v, i) => v + term[i]);
  }
  for (let i = 0; i < s; i++) sum = mm(sum, sum, n);
  return sum;
}

/** dL/dX = upper-right block of expm([[Xᵀ, G], [0, Xᵀ]]), the block matrix formed in full. */
function adjoint64(x: M, g: M, n: number): M {
  const N = 2 * n, big = new Float64Array(N * N);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      big[i * N + j] = big[(i + n) * N + j + n] = x[j * n + i];
      big[i * N + j + n] = g[i * n + j];
    }
  }
  const e = expm64(big, N), out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = e[i * N + j + n];
  return out;
}

/** A random skew-symmetric matrix scaled to Frobenius norm `frob`. */
function skew(n: number, seed: number, frob: number): M {
  const u = mulberry32(seed), a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = u() - 0.5;
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) x[i * n + j] = a[i * n + j] - a[j * n + i];
  }
  const f = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
  return x.map((v) => (v * frob) / f);
}

function relErr(a: ArrayLike<number>, r: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < r.length; i++) {
    num = Math.max(num, Math.abs(a[i] - r[i]));
    den = Math.max(den, Math.abs(r[i]));
  }
  return num / den;
}

for (const backend of ["tensorflow", "cpu"] as const) {
  Deno.test(`expm and its adjoint match float64 references up to ‖X‖₂ ≈ 40 (${backend})`, async () => {
    await initBackend(backend);
    const n = 16;
    for (const [seed, frob] of [[1, 0.5], [2, 3], [3, 12], [4, 60], [5, 100]]) {
      // ‖X‖_F = frob; for these draws ‖X‖₂ ≈ 0.42·frob (≈ 42 for the last).
      const x = skew(n, seed, frob);
      const u = mulberry32(seed + 100), g = new Float64Array(n * n).map(() => 40 * (u() - 0.5));
      const [w, d] = tf.tidy(() => {
        const xt = tf.tensor2d(Float32Array.from(x), [n, n]);
        const gt = tf.tensor2d(Float32Array.from(g), [n, n]);
        return [expm(eagerOps, xt, n), expmAdjoint(eagerOps, xt, gt, n)];
      });
      const wErr = relErr(await w.data(), expm64(x, n));
      const dErr = relErr(await d.data(), adjoint64(x, g, n));
      tf.dispose([w, d]);
      assertLess(wErr, 5e-6, `expm at ‖X‖_F = ${frob}: ${wErr}`);
      assertLess(dErr, 5e-6, `adjoint at ‖X‖_F = ${frob}: ${dErr}`);
    }
  });
}

Deno.test("the adjoint agrees with a finite difference of expm (float64 host)", () => {
  // Guards the reference above: d/dε ⟨G, expm(X + εE)⟩ = ⟨dL/dX, E⟩.
  const n = 5, x = skew(n, 7, 4);
  const u = mulberry32(8);
  const g = new Float64Array(n * n).map(() => u() - 0.5);
  const e = new Float64Array(n * n).map(() => u() - 0.5);
  const dot = (a: M, b: M) => a.reduce((s, v, i) => s + v * b[i], 0);
  const eps = 1e-6;
  const f = (s: number) => dot(g, expm64(x.map((v, i) => v + s * e[i]), n));
  const fd = (f(eps) - f(-eps)) / (2 * eps);
  assertLess(Math.abs(fd - dot(adjoint64(x, g, n), e)) / Math.abs(fd), 1e-6);
});
