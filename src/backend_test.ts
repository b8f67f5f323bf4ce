import { BACKEND_CHOICES, currentBackend, initBackend, tf } from "./backend.ts";
import { nodeUtilShimmed } from "./node_util_shim.ts";
import { assert, assertAlmostEquals, assertEquals } from "./testing/assert.ts";

// Under CI the suite must run on TensorFlow's C library, not on a silent fallback.
Deno.test("under CI=true the tensorflow backend is the one in use", async () => {
  const info = await initBackend(Deno.env.get("CI") === "true" ? "tensorflow" : "auto");
  if (Deno.env.get("CI") === "true") {
    assertEquals(info.name, "tensorflow");
    assertEquals(tf.getBackend(), "tensorflow");
    assert(info.tensorflowVersion, "TensorFlow's C library reports its version");
    // CI provisions with `deno task setup --route wheel` (.ci/run): the measured TensorFlow.
    assertEquals(info.tensorflowRoute, "wheel");
  }
  if (info.name !== "tensorflow") assertEquals(info.tensorflowRoute, undefined);
  assertEquals(currentBackend()?.name, info.name);
});

Deno.test("the node:util shim is installed before tfjs-node loads", () => {
  assert(nodeUtilShimmed);
});

Deno.test("backend choices are the four documented ones", () => {
  assertEquals([...BACKEND_CHOICES], ["auto", "tensorflow", "wasm", "cpu"]);
});

/** matmul + tanh and its gradient w.r.t. both inputs, read back to the host. */
function smallComputation(): { y: number[]; ga: number[]; gw: number[] } {
  return tf.tidy(() => {
    const a = tf.tensor2d([[0.1, -0.2, 0.3], [0.5, 0.4, -0.6]]);
    const w = tf.tensor2d([[0.7, -0.1], [0.2, 0.9], [-0.3, 0.25]]);
    const f = (a: tf.Tensor, w: tf.Tensor) =>
      tf.sum(tf.tanh(tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D)));
    const [ga, gw] = tf.grads(f)([a, w]);
    const y = tf.tanh(tf.matMul(a, w));
    return {
      y: Array.from(y.dataSync()),
      ga: Array.from(ga.dataSync()),
      gw: Array.from(gw.dataSync()),
    };
  });
}

Deno.test("matmul + tanh and its gradient agree across tensorflow, wasm and cpu", async () => {
  const results: Record<string, ReturnType<typeof smallComputation>> = {};
  const names = ["cpu", "wasm"] as const;
  for (const name of names) {
    await initBackend(name);
    results[name] = smallComputation();
  }
  const tfInfo = await initBackend("auto", { warn: () => {} });
  if (tfInfo.name === "tensorflow") results.tensorflow = smallComputation();
  if (Deno.env.get("CI") === "true") assert(results.tensorflow, "tensorflow took part");
  const ref = results.cpu;
  for (const [name, r] of Object.entries(results)) {
    for (const key of ["y", "ga", "gw"] as const) {
      r[key].forEach((v, i) => assertAlmostEquals(v, ref[key][i], 1e-6, `${name}.${key}[${i}]`));
    }
  }
  // and the math is right, not merely consistent: d/da sum tanh(aw) = (1 - tanh²) wᵀ
  const y00 = Math.tanh(0.1 * 0.7 + -0.2 * 0.2 + 0.3 * -0.3);
  assertAlmostEquals(ref.y[0], y00, 1e-6);
});
