/**
 * Running a suite on a cluster engine. Today: Slurm — a job array whose task i trains shard i/N
 * (`slurm/train.sbatch`), and a merge job after it (`slurm/merge.sbatch`); the `slurm` task is
 * the CLI. Kubernetes (`k8s/`) and the GitHub workflow need no library code: the train task
 * reads their shard from the environment (`src/suite/shard.ts`).
 *
 * @example
 * ```ts
 * import { arraySbatchArgs, mergeSbatchArgs } from "./mod.ts";
 * const spec = { array: 8, out: "reports/slurm", trainArgs: ["--suite", "standard"] };
 * console.log("sbatch", arraySbatchArgs(spec).join(" "));
 * console.log("sbatch", mergeSbatchArgs(spec, "1234").join(" "));
 * ```
 *
 * @module
 */
export {
  arraySbatchArgs,
  type JobRecord,
  MAX_ARRAY_TASKS,
  MERGE_SBATCH,
  mergeSbatchArgs,
  parseJobId,
  parseShowJob,
  runCommand,
  type Runner,
  showJob,
  submitSweep,
  type SweepIds,
  type SweepOutcome,
  sweepOutcome,
  sweepPaths,
  type SweepSpec,
  TRAIN_SBATCH,
  waitForSweep,
  type WaitOptions,
} from "./slurm.ts";
