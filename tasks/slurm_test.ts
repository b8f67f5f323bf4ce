/**
 * The `slurm` task's CLI without a cluster: help, input validation (one line, exit 2, nothing
 * written or submitted) and `--print`, which shows the two sbatch command lines.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runScript } from "../src/testing/run_script.ts";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PERMS = ["--allow-read", "--allow-write=reports", "--allow-env", "--allow-run"];
const slurm = (args: string[]) => runScript("tasks/slurm.ts", PERMS, args, { cwd: ROOT });

Deno.test("slurm --help names its own options and says the rest go to train", async () => {
  const r = await slurm(["--help"]);
  assertEquals(r.code, 0);
  for (const f of ["--array", "--out", "--wait", "--partition", "--time", "--print"]) {
    assert(r.stdout.includes(f), f);
  }
  assertMatch(r.stdout, /deno task train/);
});

Deno.test("slurm refuses bad input with one line and exit 2, writing nothing", async () => {
  const out = `reports/slurm-cli-test-${Deno.pid}`;
  for (
    const [args, pattern] of [
      [["--suite", "quick"], /--array N is required/],
      [["--array", "0"], /--array must be a whole number ≥ 1/],
      [["--array", "5000"], /--array must be at most 1000/],
      [["--array", "2", "--out", "/tmp/elsewhere"], /--out must lie under reports\//],
      [["--array", "2", "--out", out, "--shard", "1/2"], /--shard is not an option here/],
      [["--array", "2", "--out", out, "--time", "soon"], /--time must be/],
      [
        ["--array", "2", "--out", out, "--cells", "nope"],
        /train's options: --cells: unknown cell 'nope'$/,
      ],
    ] as const
  ) {
    const r = await slurm([...args]);
    assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assertEquals(lines.length, 1, r.stderr);
    assertMatch(lines[0].replace(/ \(see --help\)$/, ""), pattern);
  }
  let exists = true;
  await Deno.stat(join(ROOT, out)).catch(() => (exists = false));
  assertEquals(exists, false, "nothing written");
});

Deno.test("slurm --print shows the array (train's options passed on) and the afterok merge job", async () => {
  const out = `reports/slurm-cli-print-${Deno.pid}`;
  const r = await slurm([
    "--suite",
    "quick",
    "--cells",
    "rnn_tanh,lstm",
    "--array",
    "4",
    "--out",
    out,
    "--partition",
    "cpu",
    "--print",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const [array, merge] = r.stdout.trim().split("\n");
  assertEquals(
    array,
    `sbatch --parsable --array=1-4 --output=${out}/logs/%x-%A_%a.out --partition=cpu slurm/train.sbatch --suite quick --cells rnn_tanh,lstm --out ${out}`,
  );
  assertMatch(merge, /--dependency=afterok:ARRAY_JOB_ID --kill-on-invalid-dep=yes/);
  assertMatch(merge, new RegExp(`slurm/merge\\.sbatch --out ${out}$`));
  let exists = true;
  await Deno.stat(join(ROOT, out)).catch(() => (exists = false));
  assertEquals(exists, false, "--print writes nothing");
});
