import {
  arraySbatchArgs,
  type JobRecord,
  mergeSbatchArgs,
  parseJobId,
  parseShowJob,
  type SweepIds,
  sweepOutcome,
  type SweepSpec,
} from "./slurm.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../testing/assert.ts";

const spec: SweepSpec = {
  array: 3,
  out: "reports/sweep",
  trainArgs: ["--suite", "quick", "--cells", "rnn_tanh,lstm"],
  partition: "cpu",
  time: "02:00:00",
};

Deno.test("the array's sbatch line: tasks 1…N, logs in the sweep, overrides, then script and train's options", () => {
  assertEquals(arraySbatchArgs(spec), [
    "--parsable",
    "--array=1-3",
    "--output=reports/sweep/logs/%x-%A_%a.out",
    "--partition=cpu",
    "--time=02:00:00",
    "slurm/train.sbatch",
    "--suite",
    "quick",
    "--cells",
    "rnn_tanh,lstm",
    "--out",
    "reports/sweep",
  ]);
  // Without overrides the script's #SBATCH lines decide.
  const plain = arraySbatchArgs({ array: 1, out: "reports/x", trainArgs: [] });
  assert(!plain.some((a) => /^--(partition|time|mem|cpus-per-task)=/.test(a)));
});

Deno.test("the merge job runs after every task succeeded and is cancelled if one fails", () => {
  const a = mergeSbatchArgs(spec, "41");
  assertEquals(a.slice(0, 3), [
    "--parsable",
    "--dependency=afterok:41",
    "--kill-on-invalid-dep=yes",
  ]);
  assertEquals(a.slice(-3), ["slurm/merge.sbatch", "--out", "reports/sweep"]);
  assert(a.includes("--partition=cpu"));
  assert(!a.some((x) => x.startsWith("--time=")), "the merge keeps its own short limit");
});

Deno.test("job ids from sbatch --parsable, with or without a cluster name", () => {
  assertEquals(parseJobId("1234\n"), "1234");
  assertEquals(parseJobId("1234;cluster\n"), "1234");
  assertThrows(
    () => parseJobId("sbatch: error: Batch job submission failed\n"),
    Error,
    "no job id",
  );
});

// Abridged lines of a real `scontrol show job -o` (Slurm 22.05) for an array and its merge job.
const SHOW_ARRAY = [
  "JobId=17 ArrayJobId=16 ArrayTaskId=2 JobName=rnn-gradbench UserId=root(0) JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=1 BatchFlag=1 ExitCode=0:0 RunTime=00:00:08",
  "JobId=18 ArrayJobId=16 ArrayTaskId=3 JobName=rnn-gradbench UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 ExitCode=1:0",
  "JobId=16 ArrayJobId=16 ArrayTaskId=1 JobName=rnn-gradbench UserId=root(0) JobState=COMPLETED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 ExitCode=0:0",
  "",
].join("\n");

Deno.test("scontrol show job -o: one record per task, with state, reason and exit code", () => {
  const r = parseShowJob(SHOW_ARRAY);
  assertEquals(r.length, 3);
  assertEquals(r[1], {
    jobId: "18",
    arrayJobId: "16",
    arrayTaskId: "3",
    state: "FAILED",
    reason: "NonZeroExitCode",
    exitCode: "1:0",
  });
  const merge = parseShowJob(
    "JobId=19 JobName=rnn-gradbench-merge JobState=PENDING Reason=Dependency Dependency=afterok:16_*(unfulfilled) ExitCode=0:0\n",
  );
  assertEquals(merge, [{
    jobId: "19",
    state: "PENDING",
    reason: "Dependency",
    exitCode: "0:0",
  }]);
});

const ids: SweepIds = { arrayJobId: "16", mergeJobId: "19", array: 3, logs: "reports/sweep/logs" };
const task = (id: string, state: string, exitCode = "0:0"): JobRecord => ({
  jobId: `1${id}`,
  arrayJobId: "16",
  arrayTaskId: id,
  state,
  reason: "None",
  exitCode,
});
const merge = (state: string, reason = "None", exitCode = "0:0"): JobRecord => ({
  jobId: "19",
  state,
  reason,
  exitCode,
});

Deno.test("a sweep is running while its merge job waits, whatever its tasks do (a requeued one is pending)", () => {
  const o = sweepOutcome(
    ids,
    [task("1", "COMPLETED"), task("2", "PENDING"), task("3", "RUNNING")],
    merge("PENDING", "Dependency"),
  );
  assertEquals(o.done, false);
  assertMatch(
    (o as { summary: string }).summary,
    /1 COMPLETED, 1 PENDING, 1 RUNNING; merge PENDING/,
  );
  // A pending range counts every task in it.
  const pending = { ...task("1-3", "PENDING") };
  assertMatch(
    (sweepOutcome(ids, [pending], merge("PENDING")) as { summary: string }).summary,
    /3 PENDING/,
  );
});

Deno.test("a sweep succeeds when its merge job completed", () => {
  const o = sweepOutcome(ids, [task("1", "COMPLETED")], merge("COMPLETED"));
  assertEquals(o.done && o.ok, true);
});

Deno.test("a failed task fails the sweep in one line naming the task, once the merge is cancelled", () => {
  const o = sweepOutcome(
    ids,
    [task("1", "COMPLETED"), task("3", "FAILED", "1:0")],
    merge("CANCELLED", "DependencyNeverSatisfied"),
  );
  assert(o.done && !o.ok);
  const m = (o as { message: string }).message;
  assertEquals(m.split("\n").length, 1);
  assertMatch(m, /array task 16_3 \(FAILED, exit 1:0\)/);
  assertMatch(m, /merge job 19 CANCELLED \(DependencyNeverSatisfied\)/);
  assertMatch(m, /reports\/sweep\/logs/);
});

Deno.test("a failed merge, or a merge job Slurm forgot, fails the sweep", () => {
  const f = sweepOutcome(ids, [task("1", "COMPLETED")], merge("FAILED", "NonZeroExitCode", "2:0"));
  assert(f.done && !f.ok);
  assertMatch((f as { message: string }).message, /merge job 19 FAILED \(exit 2:0/);
  const gone = sweepOutcome(ids, [], null);
  assert(gone.done && !gone.ok);
  assertMatch((gone as { message: string }).message, /no longer known to Slurm/);
});

Deno.test("a task cancelled before it started (Slurm keeps no record of it) is named by its index", () => {
  const o = sweepOutcome(
    ids,
    [task("1", "COMPLETED"), task("3", "RUNNING")],
    merge("CANCELLED", "DependencyNeverSatisfied"),
  );
  assert(o.done && !o.ok);
  assertMatch(
    (o as { message: string }).message,
    /merge job 19 CANCELLED .*: array task 16_2 did not complete/,
  );
});
