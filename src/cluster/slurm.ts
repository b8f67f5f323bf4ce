/**
 * A suite as a Slurm job array: array task i of N trains shard i/N (`slurm/train.sbatch`), and a
 * merge job that depends on the whole array (`afterok`) merges the shards into one suite run
 * (`slurm/merge.sbatch`). This module builds the `sbatch` command lines, reads Slurm's answers
 * (`sbatch --parsable`, `scontrol show job -o`) and decides from the jobs' states whether a sweep
 * has finished, succeeded or failed.
 *
 * Layout of a sweep's folder `DIR` (under `reports/`, where the train task may write):
 * `DIR/shards/shard-i/` (each task's records), `DIR/logs/` (Slurm's output files) and the merged
 * `DIR/<suite>-<grid hash>.jsonl`.
 *
 * Slurm's states are those of `squeue(1)`'s JOB STATE CODES. A requeued task goes back to
 * PENDING and is neither finished nor failed; with `--kill-on-invalid-dep=yes` a task that fails
 * cancels the merge job (reason `DependencyNeverSatisfied`), which is how a failed sweep ends.
 *
 * @example
 * ```ts
 * import { submitSweep, runCommand, waitForSweep } from "./slurm.ts";
 * const ids = await submitSweep({ array: 4, out: "reports/slurm", trainArgs: ["--suite", "quick"] }, runCommand);
 * const outcome = await waitForSweep(ids, runCommand);
 * console.log(outcome.ok ? "merged" : outcome.message);
 * ```
 *
 * @module
 */
import { join } from "node:path";

/** The batch scripts, relative to the repository's root (where jobs are submitted from). */
export const TRAIN_SBATCH = "slurm/train.sbatch";
export const MERGE_SBATCH = "slurm/merge.sbatch";

/** Slurm's default `MaxArraySize` is 1001: array indices 0…1000. */
export const MAX_ARRAY_TASKS = 1000;

/** What a sweep is: the array size, the folder, train's options and resource overrides. */
export interface SweepSpec {
  /** Number of array tasks (= shards). */
  array: number;
  /** The sweep's folder: merged records; shards and logs below it. */
  out: string;
  /** Options passed to `deno task train` in every task (not --out or --shard). */
  trainArgs: string[];
  /** `sbatch` overrides of the script's `#SBATCH` lines. */
  partition?: string;
  /** Time limit per task, in Slurm's format (e.g. `1-00:00:00`, `90`). */
  time?: string;
  cpusPerTask?: number;
  /** Memory per task (e.g. `4G`). */
  mem?: string;
}

/** The job ids of a submitted sweep. */
export interface SweepIds {
  arrayJobId: string;
  mergeJobId: string;
  /** Array size, to tell a task's id from the job's. */
  array: number;
  /** Where the logs are (for messages). */
  logs: string;
}

/** The folders of a sweep. */
export function sweepPaths(out: string): { shards: string; logs: string } {
  return { shards: join(out, "shards"), logs: join(out, "logs") };
}

function overrides(spec: SweepSpec): string[] {
  const a: string[] = [];
  if (spec.partition) a.push(`--partition=${spec.partition}`);
  if (spec.time) a.push(`--time=${spec.time}`);
  if (spec.cpusPerTask) a.push(`--cpus-per-task=${spec.cpusPerTask}`);
  if (spec.mem) a.push(`--mem=${spec.mem}`);
  return a;
}

/** `sbatch` arguments for the training array (options first, then the script and train's). */
export function arraySbatchArgs(spec: SweepSpec): string[] {
  const { logs } = sweepPaths(spec.out);
  return [
    "--parsable",
    `--array=1-${spec.array}`,
    `--output=${join(logs, "%x-%A_%a.out")}`,
    ...overrides(spec),
    TRAIN_SBATCH,
    ...spec.trainArgs,
    "--out",
    spec.out,
  ];
}

/** `sbatch` arguments for the merge job, which runs once every task of `arrayJobId` succeeded. */
export function mergeSbatchArgs(spec: SweepSpec, arrayJobId: string): string[] {
  const { logs } = sweepPaths(spec.out);
  return [
    "--parsable",
    `--dependency=afterok:${arrayJobId}`,
    "--kill-on-invalid-dep=yes",
    `--output=${join(logs, "%x-%j.out")}`,
    ...(spec.partition ? [`--partition=${spec.partition}`] : []),
    MERGE_SBATCH,
    "--out",
    spec.out,
  ];
}

/** The job id in `sbatch --parsable`'s answer (`ID` or `ID;CLUSTER`). */
export function parseJobId(stdout: string): string {
  const id = stdout.trim().split("\n").pop()?.split(";")[0]?.trim() ?? "";
  if (!/^\d+$/.test(id)) throw new Error(`sbatch gave no job id (answered '${stdout.trim()}')`);
  return id;
}

/** One line of `scontrol show job -o`: a job, or one task (or a pending range) of an array. */
export interface JobRecord {
  jobId: string;
  /** The array's job id (array tasks only). */
  arrayJobId?: string;
  /** The task index, or a range such as `2-3` for tasks not yet started. */
  arrayTaskId?: string;
  state: string;
  reason: string;
  /** `code:signal`. */
  exitCode: string;
}

/** Parses `scontrol show job -o` (one job per line, `Key=Value` fields). */
export function parseShowJob(text: string): JobRecord[] {
  const out: JobRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.includes("JobId=")) continue;
    const field = (k: string) => line.match(new RegExp(`(?:^|\\s)${k}=(\\S*)`))?.[1];
    const rec: JobRecord = {
      jobId: field("JobId") ?? "",
      state: field("JobState") ?? "UNKNOWN",
      reason: field("Reason") ?? "None",
      exitCode: field("ExitCode") ?? "0:0",
    };
    const a = field("ArrayJobId"), t = field("ArrayTaskId");
    if (a) rec.arrayJobId = a;
    if (t) rec.arrayTaskId = t;
    out.push(rec);
  }
  return out;
}

/** States after which a job will not run again by itself (a requeued one returns to PENDING). */
const FAILED_STATES = new Set([
  "BOOT_FAIL",
  "CANCELLED",
  "DEADLINE",
  "FAILED",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "TIMEOUT",
  "SPECIAL_EXIT",
]);

/** Where a sweep stands. */
export type SweepOutcome =
  | { done: false; summary: string }
  | { done: true; ok: true; summary: string }
  | { done: true; ok: false; message: string };

/** Counts of task states, e.g. `2 COMPLETED, 1 RUNNING`. */
function stateSummary(tasks: JobRecord[]): string {
  const n = new Map<string, number>();
  for (const t of tasks) n.set(t.state, (n.get(t.state) ?? 0) + taskCount(t));
  return [...n].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, c]) => `${c} ${s}`).join(", ");
}

/** The task indices a record stands for (one, or a pending range such as `2-5`). */
function taskIndices(t: JobRecord): number[] {
  const m = t.arrayTaskId?.match(/^(\d+)(?:-(\d+))?$/);
  if (!m) return [];
  const a = Number(m[1]), b = m[2] ? Number(m[2]) : a;
  return Array.from({ length: b - a + 1 }, (_, k) => a + k);
}

function taskCount(t: JobRecord): number {
  const m = t.arrayTaskId?.match(/^(\d+)-(\d+)/);
  return m ? Number(m[2]) - Number(m[1]) + 1 : 1;
}

/**
 * Decides a sweep's outcome from its array tasks and its merge job (null: Slurm no longer knows
 * the merge job). Done and successful once the merge job completed; failed when it failed or was
 * cancelled (a task failed: the failed tasks are named) or vanished.
 */
export function sweepOutcome(
  ids: SweepIds,
  tasks: JobRecord[],
  merge: JobRecord | null,
): SweepOutcome {
  const summary = `array ${ids.arrayJobId}: ${stateSummary(tasks) || "no tasks known"}; merge ${
    merge ? merge.state : "unknown"
  }`;
  const failedTasks = tasks.filter((t) => FAILED_STATES.has(t.state));
  const named = failedTasks.map((t) =>
    `${ids.arrayJobId}_${t.arrayTaskId} (${t.state}, exit ${t.exitCode})`
  ).join(", ");
  if (merge === null) {
    return {
      done: true,
      ok: false,
      message: `merge job ${ids.mergeJobId} is no longer known to Slurm${
        named ? `; failed tasks: ${named}` : ""
      }; see ${ids.logs}`,
    };
  }
  if (merge.state === "COMPLETED") return { done: true, ok: true, summary };
  if (FAILED_STATES.has(merge.state)) {
    if (failedTasks.length > 0) {
      return {
        done: true,
        ok: false,
        message: `failed: array task${
          failedTasks.length > 1 ? "s" : ""
        } ${named}; merge job ${ids.mergeJobId} ${merge.state} (${merge.reason}); logs in ${ids.logs}`,
      };
    }
    // A task cancelled before it started leaves no record; name the tasks not seen to complete.
    const seen = new Set(tasks.flatMap(taskIndices));
    const unseen = [];
    for (let i = 1; i <= ids.array; i++) if (!seen.has(i)) unseen.push(`${ids.arrayJobId}_${i}`);
    const why = merge.reason === "DependencyNeverSatisfied" && unseen.length > 0
      ? `: array task${unseen.length > 1 ? "s" : ""} ${
        unseen.join(", ")
      } did not complete (cancelled before starting, or no longer known to Slurm)`
      : "";
    return {
      done: true,
      ok: false,
      message:
        `failed: merge job ${ids.mergeJobId} ${merge.state} (exit ${merge.exitCode}, ${merge.reason})${why}; logs in ${ids.logs}`,
    };
  }
  return { done: false, summary };
}

/** Runs a command and returns its exit code and output (never throws on non-zero). */
export type Runner = (
  cmd: string,
  args: string[],
) => Promise<{ code: number; stdout: string; stderr: string }>;

/** {@link Runner} over `Deno.Command` (needs --allow-run for `sbatch` and `scontrol`). */
export const runCommand: Runner = async (cmd, args) => {
  try {
    const r = await new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
    const dec = new TextDecoder();
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${cmd}: command not found` };
    }
    throw e;
  }
};

function firstLine(s: string): string {
  return s.trim().split("\n")[0] ?? "";
}

/** Submits the array, then the merge job depending on it; returns both ids. */
export async function submitSweep(spec: SweepSpec, run: Runner): Promise<SweepIds> {
  const { logs } = sweepPaths(spec.out);
  await Deno.mkdir(logs, { recursive: true });
  const a = await run("sbatch", arraySbatchArgs(spec));
  if (a.code !== 0) throw new Error(`sbatch (array) failed: ${firstLine(a.stderr || a.stdout)}`);
  const arrayJobId = parseJobId(a.stdout);
  const m = await run("sbatch", mergeSbatchArgs(spec, arrayJobId));
  if (m.code !== 0) {
    // A sweep without its merge job would train and never merge: take the array back.
    await run("scancel", [arrayJobId]);
    throw new Error(
      `sbatch (merge) failed: ${firstLine(m.stderr || m.stdout)}; array ${arrayJobId} cancelled`,
    );
  }
  return { arrayJobId, mergeJobId: parseJobId(m.stdout), array: spec.array, logs };
}

/** The records `scontrol show job -o ID` gives, or null when Slurm does not know the job. */
export async function showJob(id: string, run: Runner): Promise<JobRecord[] | null> {
  const r = await run("scontrol", ["show", "job", "-o", id]);
  if (r.code !== 0) {
    if (/invalid job id/i.test(r.stderr + r.stdout)) return null;
    throw new Error(`scontrol show job ${id} failed: ${firstLine(r.stderr || r.stdout)}`);
  }
  return parseShowJob(r.stdout);
}

/** Options of {@link waitForSweep}. */
export interface WaitOptions {
  /** Between polls (default 5 s). */
  pollMs?: number;
  /** Called when the summary of states changes (progress for a log). */
  onChange?: (summary: string) => void;
}

/** Polls the sweep's jobs until the merge job has finished (or the sweep failed). */
export async function waitForSweep(
  ids: SweepIds,
  run: Runner,
  opts: WaitOptions = {},
): Promise<Exclude<SweepOutcome, { done: false }>> {
  let last = "";
  for (;;) {
    const tasks = (await showJob(ids.arrayJobId, run) ?? []).filter((t) =>
      t.arrayJobId === ids.arrayJobId
    );
    const merge = (await showJob(ids.mergeJobId, run))?.find((j) => j.jobId === ids.mergeJobId) ??
      null;
    const o = sweepOutcome(ids, tasks, merge);
    if (o.done) return o;
    if (o.summary !== last) opts.onChange?.(o.summary);
    last = o.summary;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 5000));
  }
}
