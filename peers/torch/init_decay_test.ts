/**
 * `init_decay.py` measures the gradient's reach at initialisation under our initialisation and
 * PyTorch's default. Ignored where python3 has no torch (CI machines need not).
 */
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertMatch } from "../../src/testing/assert.ts";

const SCRIPT = fileURLToPath(new URL("./init_decay.py", import.meta.url));
const run = (args: string[]) =>
  new Deno.Command("python3", { args: [SCRIPT, ...args], stdout: "piped", stderr: "piped" })
    .output();
const hasTorch = await new Deno.Command("python3", { args: ["-c", "import torch, numpy"] })
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "init_decay.py: LSTM's forget bias 1 reaches further back than PyTorch's default init",
  ignore: !hasTorch,
  async fn() {
    const o = await run(["--cell", "lstm", "--length", "60", "--hidden", "16", "--batch", "4"]);
    assertEquals(o.code, 0, new TextDecoder().decode(o.stderr));
    const lines = new TextDecoder().decode(o.stdout).trim().split("\n");
    const re =
      /^lstm (ours|pytorch) +T=60 H=16 B=4: factor per step (0\.\d+) \[.*\], gradient horizon (\d+) steps \[.*\] over 5 seeds$/;
    assertEquals(lines.length, 2);
    const [ours, torch] = lines.map((l) => l.match(re));
    assert(ours && torch, lines.join("\n"));
    assertEquals([ours[1], torch[1]], ["ours", "pytorch"]);
    // A forget gate that starts open (σ(1) ≈ 0.73) decays the gradient more slowly than one at
    // σ(≈0) ≈ 0.5: measured 0.85 against 0.64 per step.
    assert(Number(ours[2]) > Number(torch[2]) + 0.1, lines.join("\n"));
    assert(Number(ours[3]) > 2 * Number(torch[3]), lines.join("\n"));
  },
});

Deno.test({
  name: "init_decay.py: bad input is one line and exit 2",
  ignore: !hasTorch,
  async fn() {
    const o = await run(["--length", "1"]);
    assertEquals(o.code, 2);
    assertMatch(new TextDecoder().decode(o.stderr).trim(), /^init_decay\.py: --length must be ≥ 2/);
    assertEquals(o.stdout.length, 0);
  },
});
