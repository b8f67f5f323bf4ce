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

Deno.test("the batch script is requeueable, warned before its time limit, pins the wheel and trains its shard", async () => {
  const script = await Deno.readTextFile(join(ROOT, "slurm", "train.sbatch"));
  const directive = (name: string) =>
    script.match(new RegExp(`^#SBATCH --${name}(?:=(\\S+))?$`, "m"));
  assert(directive("requeue"), "#SBATCH --requeue");
  const signal = directive("signal")?.[1] ?? "";
  const m = signal.match(/^B:USR1@(\d+)$/);
  assert(m && Number(m[1]) >= 120, `a warning minutes before the limit, got '${signal}'`);
  for (const d of ["time", "mem", "cpus-per-task", "open-mode"]) {
    assert(directive(d), `#SBATCH --${d}`);
  }
  assertMatch(script, /^#+SBATCH --partition=/m);
  assertMatch(script, /deno task setup --route wheel/);
  assertMatch(script, /tasks\.train\.command/, "train's permissions from deno.json");
  assertMatch(script, /"\$\{train\[@\]\}" "\$\{args\[@\]\}" --shard "\$index\/\$count"/);
  const merge = await Deno.readTextFile(join(ROOT, "slurm", "merge.sbatch"));
  assertMatch(merge, /deno task merge --out "\$out" "\$out\/shards"/);
});

Deno.test("the batch script refuses, in one line and before any work, what is not one shard of a contiguous array", async () => {
  const run = async (env: Record<string, string>, args: string[] = []) => {
    const r = await new Deno.Command("bash", {
      args: [join(ROOT, "slurm", "train.sbatch"), ...args],
      cwd: ROOT,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: r.code, stderr: new TextDecoder().decode(r.stderr).trim() };
  };
  const task = { SLURM_ARRAY_JOB_ID: "7", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "9" };
  for (
    const [env, args, pattern] of [
      [{}, [], /not an array task: submit with sbatch --array=1-N/],
      [
        { ...task, SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "3" },
        [],
        /one contiguous range/,
      ],
      [
        { ...task, SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "9" },
        ["--shard", "1/2"],
        /drop --shard/,
      ],
    ] as const
  ) {
    const r = await run({ ...env }, [...args]);
    assertEquals(r.code, 2, r.stderr);
    assertEquals(r.stderr.split("\n").length, 1, r.stderr);
    assertMatch(r.stderr, pattern);
  }
});
