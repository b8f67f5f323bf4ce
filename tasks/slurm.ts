/**
 * `deno task slurm [train's options] --array N --out DIR [--wait]`: submits a suite to Slurm as a
 * job array — task i of N trains shard i/N (`slurm/train.sbatch`) into `DIR/shards/shard-i` —
 * plus a merge job that runs after every task succeeded (`afterok`) and merges the shards into
 * `DIR` (`slurm/merge.sbatch`). Prints both job ids. `--wait` returns once the merge job has
 * finished: exit 0 when it merged, 1 with one line when a task or the merge failed.
 *
 * Train's options are checked before anything is submitted (by `train --dry-run`, whose plan is
 * printed). The library is `src/cluster/slurm.ts`.
 *
 * @module
 */
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type FlagSpecs,
  helpText,
  parseFlags,
  parseInteger,
  runCli,
  UsageError,
} from "../src/cli/args.ts";
import {
  arraySbatchArgs,
  MAX_ARRAY_TASKS,
  mergeSbatchArgs,
  runCommand,
  submitSweep,
  type SweepSpec,
  waitForSweep,
} from "../src/cluster/mod.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const FLAGS = {
  array: { type: "string", arg: "N", description: `array tasks = shards, 1–${MAX_ARRAY_TASKS}` },
  out: {
    type: "string",
    arg: "DIR",
    default: "reports/slurm",
    description: "the sweep's folder under reports/: merged records; shards/ and logs/ below it",
  },
  wait: {
    type: "boolean",
    description: "return when the merge job has finished; exit 1 if a task or the merge failed",
  },
  partition: { type: "string", arg: "NAME", description: "Slurm partition (sbatch --partition)" },
  time: {
    type: "string",
    arg: "LIMIT",
    description: "time limit per task, e.g. 1-00:00:00 (default: the script's #SBATCH --time)",
  },
  cpus: { type: "string", arg: "N", description: "CPUs per task (default: the script's, 2)" },
  mem: { type: "string", arg: "SIZE", description: "memory per task, e.g. 4G (default: 4G)" },
  print: { type: "boolean", description: "print the sbatch commands; submit nothing" },
} as const satisfies FlagSpecs;

const HELP = helpText(
  "deno task slurm [train's options] --array N [--out DIR] [--wait] [--partition P] [--time T]",
  "Submit a suite as a Slurm job array (task i trains shard i/N) and a merge job after it.\n" +
    "Every option not listed here goes to `deno task train` (see its --help); --shard and\n" +
    "--dry-run are the array's own business. Tasks are requeueable and resume where they stopped.",
  FLAGS,
);

/** Splits argv into this task's flags and train's (everything else, order kept). */
function splitArgs(argv: string[]): { own: string[]; train: string[] } {
  const own: string[] = [], train: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith("--") ? a.slice(2).split("=")[0] : "";
    const spec = (FLAGS as FlagSpecs)[name];
    if (!spec) {
      train.push(a);
      continue;
    }
    own.push(a);
    if (spec.type === "string" && !a.includes("=") && i + 1 < argv.length) own.push(argv[++i]);
  }
  return { own, train };
}

async function checkTrainArgs(trainArgs: string[], out: string): Promise<string> {
  for (const a of trainArgs) {
    const name = a.split("=")[0];
    if (name === "--shard" || name === "--dry-run") {
      throw new UsageError(`${name} is not an option here: each array task trains its own shard`);
    }
  }
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--allow-ffi",
      "--allow-sys",
      `${ROOT}tasks/train.ts`,
      ...trainArgs,
      "--out",
      out,
      "--dry-run",
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", RNN_GRADBENCH_SHARD: "", JOB_COMPLETION_INDEX: "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (r.code !== 0) {
    const line = dec.decode(r.stderr).trim().split("\n").pop() ?? `exit ${r.code}`;
    throw new UsageError(
      `train's options: ${line.replace(/^train: /, "").replace(/ \(see --help\)$/, "")}`,
    );
  }
  return dec.decode(r.stdout).trimEnd();
}

async function main(argv: string[]): Promise<number> {
  const { own, train } = splitArgs(argv);
  const { values: v } = parseFlags(own, FLAGS);
  if (v.array === undefined) throw new UsageError("--array N is required (the number of shards)");
  const array = parseInteger("array", v.array as string);
  if (array > MAX_ARRAY_TASKS) {
    throw new UsageError(`--array must be at most ${MAX_ARRAY_TASKS}, got ${array}`);
  }
  // Jobs run in the repository's root, where the train task may write under reports/ only.
  const out = relative(ROOT, resolve(v.out as string));
  if (out !== "reports" && !out.startsWith("reports/")) {
    throw new UsageError(`--out must lie under reports/ (train writes only there), got '${v.out}'`);
  }
  if (v.time !== undefined && !/^(\d+-)?\d+(:\d+){0,2}$/.test(v.time as string)) {
    throw new UsageError(`--time must be Slurm's [D-]HH:MM:SS or minutes, got '${v.time}'`);
  }
  if (v.mem !== undefined && !/^\d+[KMGT]?$/.test(v.mem as string)) {
    throw new UsageError(`--mem must look like 4G or 4096M, got '${v.mem}'`);
  }
  const spec: SweepSpec = {
    array,
    out,
    trainArgs: train,
    partition: v.partition as string | undefined,
    time: v.time as string | undefined,
    cpusPerTask: v.cpus !== undefined ? parseInteger("cpus", v.cpus as string) : undefined,
    mem: v.mem as string | undefined,
  };
  const plan = await checkTrainArgs(train, out);
  if (v.print) {
    const q = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);
    console.log(`sbatch ${arraySbatchArgs(spec).map(q).join(" ")}`);
    console.log(`sbatch ${mergeSbatchArgs(spec, "ARRAY_JOB_ID").map(q).join(" ")}`);
    return 0;
  }
  const probe = await runCommand("sbatch", ["--version"]);
  if (probe.code !== 0) {
    throw new UsageError(`sbatch is not available here (${probe.stderr.trim() || probe.code})`);
  }
  Deno.chdir(ROOT);
  console.log(plan.split("\n")[0]);
  const ids = await submitSweep(spec, runCommand);
  console.log(
    `array job ${ids.arrayJobId}: ${array} tasks, task i trains shard i/${array} into ${out}/shards/shard-i`,
  );
  console.log(
    `merge job ${ids.mergeJobId}: after every task succeeded (afterok:${ids.arrayJobId}), merges into ${out}`,
  );
  console.log(`logs: ${ids.logs}/`);
  if (!v.wait) return 0;
  const outcome = await waitForSweep(ids, runCommand, {
    onChange: (s) => console.error(`slurm: ${s}`),
  });
  if (!outcome.ok) {
    console.error(`slurm: ${outcome.message}`);
    return 1;
  }
  console.log(`merged: ${out} (${outcome.summary})`);
  return 0;
}

if (import.meta.main) await runCli("slurm", HELP, main);
