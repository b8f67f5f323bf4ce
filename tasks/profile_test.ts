import { runScript } from "../src/testing/run_script.ts";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const PERMS = ["--allow-read", "--allow-env", "--allow-ffi", "--allow-sys"];

Deno.test("profile prints step times and a per-op table of the traced graph step", async () => {
  const r = await runScript(
    "tasks/profile.ts",
    PERMS,
    [
      "--cell",
      "rnn_tanh",
      "--length",
      "8",
      "--batch",
      "32",
      "--hidden",
      "16",
      "--steps",
      "2",
      "--top",
      "50",
    ],
    { cwd: ROOT },
  );
  assertEquals(r.code, 0, r.stdout + r.stderr);
  assertMatch(r.stdout, /rnn_tanh, adding, T=8, B=32, H=16, 1 layer\(s\): 2 batch part\(s\)/);
  assertMatch(r.stdout, /step: [\d.]+ ms median of 2/);
  // 8 steps · 2·32·16·(3·16 + 2·2) FLOPs of matrix products
  assertMatch(r.stdout, /matrix products: 0\.000426 GFLOP per step .*: [\d.]+ GFLOP\/s/);
  assertMatch(r.stdout, /kernels of 3 traced step\(s\), per step:/);
  assertMatch(r.stdout, /\| median µs \| share at medians \|/);
  assertMatch(r.stdout, /kernels span [\d.]+ ms, Σ kernel time [\d.]+ ms over \d+ ops/);
  // Two batch parts × 8 steps: 16 Tanh and 16 TanhGrad kernels.
  assertMatch(r.stdout, /^\| Tanh \| 16 \|/m);
  assertMatch(r.stdout, /^\| TanhGrad \| 16 \|/m);
  assertMatch(r.stdout, /^\| MatMul \| \d+ \|/m);
});

Deno.test("profile refuses a cell without a graph path and bad numbers: one line, exit 2", async () => {
  for (
    const [args, msg] of [
      [["--cell", "gru+nope"], /--cell must be one of .*got 'gru\+nope'/],
      [["--batch", "0"], /--batch must be/],
      [["--task", "sort"], /--task must be one of adding, copy/],
      [["--traced", "0"], /--traced must be/],
    ] as const
  ) {
    const r = await runScript("tasks/profile.ts", PERMS, [...args], { cwd: ROOT });
    assertEquals(r.code, 2, r.stderr);
    assertMatch(r.stderr, msg);
    assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertEquals(r.stdout, "");
  }
  const help = await runScript("tasks/profile.ts", PERMS, ["--help"], { cwd: ROOT });
  assertEquals(help.code, 0);
  assert(help.stdout.includes("--cell"));
});
