/**
 * `train_adding.py` trains PyTorch's own layers on the adding problem, the suites' outside check.
 * Ignored where python3 has no torch (CI machines need not).
 */
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertMatch } from "../../src/testing/assert.ts";

const SCRIPT = fileURLToPath(new URL("./train_adding.py", import.meta.url));
const run = async (args: string[]) => {
  const o = await new Deno.Command("python3", {
    args: [SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
  return { code: o.code, stdout: text(o.stdout), stderr: text(o.stderr) };
};
const hasTorch = await new Deno.Command("python3", { args: ["-c", "import torch, numpy"] })
  .output().then((o) => o.success, () => false);
const TINY = [
  "--length",
  "8",
  "--hidden",
  "8",
  "--batch",
  "4",
  "--test-size",
  "16",
  "--threads",
  "1",
];

Deno.test({
  name:
    "train_adding.py: an evaluation line per interval, the outcome last; same seed, same numbers",
  ignore: !hasTorch,
  async fn() {
    for (const init of ["pytorch", "ours"]) {
      const args = [
        ...TINY,
        "--cell",
        "gru",
        "--init",
        init,
        "--steps",
        "30",
        "--eval-every",
        "10",
      ];
      const a = await run(args);
      assertEquals(a.code, 0, a.stderr);
      const lines = a.stdout.split("\n").map((l) => JSON.parse(l));
      assertEquals(lines.slice(0, 3).map((l) => l.step), [10, 20, 30]);
      const last = lines[3];
      assertEquals([last.cell, last.init, last.T, last.steps_done], ["gru", init, 8, 30]);
      assertEquals(last.test_mse, lines[2].test_mse);
      assert(last.steps_to_solve === null || last.steps_to_solve <= 30);
      assertEquals((await run(args)).stdout, a.stdout, "deterministic on one thread");
    }
  },
});

Deno.test({
  name: "train_adding.py: a loose threshold solves at the first evaluation and stops when asked",
  ignore: !hasTorch,
  async fn() {
    const a = await run([
      ...TINY,
      ...["--steps", "100", "--eval-every", "10", "--solved-mse", "100", "--stop-when-solved"],
    ]);
    assertEquals(a.code, 0, a.stderr);
    const last = JSON.parse(a.stdout.split("\n").at(-1)!);
    // Solved at step 10, confirmed at step 20, where it stops.
    assertEquals([last.steps_to_solve, last.steps_done], [10, 20]);
  },
});

Deno.test({
  name: "train_adding.py: bad input is one line and exit 2",
  ignore: !hasTorch,
  async fn() {
    const a = await run(["--steps", "0"]);
    assertEquals([a.code, a.stdout], [2, ""]);
    assertMatch(a.stderr, /^train_adding\.py: --steps must be positive$/);
  },
});

Deno.test({
  name: "train_adding.py: --flush-denormals changes only subnormals (none at T = 8: same numbers)",
  ignore: !hasTorch,
  async fn() {
    const args = [...TINY, "--cell", "lstm", "--steps", "20", "--eval-every", "10"];
    const kept = await run(args);
    const flushed = await run([...args, "--flush-denormals"]);
    assertEquals(flushed.code, 0, flushed.stderr);
    assertEquals(flushed.stdout, kept.stdout);
  },
});
