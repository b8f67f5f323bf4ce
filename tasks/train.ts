/**
 * `deno task train`: runs a suite's grid (task × cell × T × seed) and appends one result record
 * per finished run to `reports/results/<suite>-<grid hash>.jsonl`. Re-running the same command
 * resumes; `--force` re-runs finished configs; `--dry-run` prints what is done and what remains
 * (given the results folder), with estimated times. A suite that searches (`search`) trains
 * chain by chain, each chain's next rung decided by the records so far, and shards by chain.
 *
 * @module
 */
import { BACKEND_CHOICES, BackendUnavailableError, initBackend } from "../src/backend.ts";
import { BACKEND_FLAG, TF_LOG_FLAG } from "../src/cli/common_flags.ts";
import {
  helpText,
  parseChoice,
  parseFlags,
  parseInteger,
  parseIntegerList,
  parseNameList,
  parseNumber,
  runCli,
  UsageError,
} from "../src/cli/args.ts";
import { isCellName } from "../src/engine/mod.ts";
import {
  parseShard,
  shardChains,
  shardFromEnv,
  shardRuns,
  type ShardSpec,
} from "../src/suite/shard.ts";
import {
  expandGrid,
  loadSuite,
  MAX_LAYERS,
  runCost,
  runLabel,
  SuiteError,
  type SuiteOverrides,
} from "../src/suite/suite.ts";
import { parseOnly, selectByLabel } from "../src/suite/select.ts";
import { suiteRunFile } from "../src/results/store.ts";
import { formatPlan, planRemaining, readDoneHashes } from "../src/train/plan.ts";
import { createProgress } from "../src/train/progress.ts";
import { trainGrid } from "../src/train/train_suite.ts";
import { readOutcomes, trainChains } from "../src/train/train_search.ts";
import { formatSearchPlan, planChains } from "../src/train/plan_search.ts";
import { readPricing } from "../src/train/pace.ts";
import { DEFAULT_CHECKPOINT_EVERY } from "../src/train/checkpoint.ts";
import { readInFlight } from "../src/train/in_flight.ts";

const FLAGS = {
  suite: {
    type: "string",
    arg: "quick|tour|standard|paper|horizon|PATH",
    default: "quick",
    description: "the suite to run",
  },
  task: {
    type: "string",
    arg: "adding,copy",
    description: "only these tasks (like every override below: a grid and results file of its own)",
  },
  cells: {
    type: "string",
    arg: "LIST",
    description:
      "these cells in every experiment instead of the suite's, e.g. rnn_tanh,lstm,lstm+attn",
  },
  lengths: { type: "string", arg: "LIST", description: "sequence lengths T, e.g. 50,100" },
  seeds: { type: "string", arg: "LIST", description: "seeds, e.g. 1,2,3" },
  steps: { type: "string", arg: "N", description: "training steps per run" },
  hidden: { type: "string", arg: "N", description: "hidden size" },
  batch: { type: "string", arg: "N", description: "batch size" },
  "test-size": { type: "string", arg: "N", description: "test samples per run" },
  "eval-every": { type: "string", arg: "N", description: "evaluate every N steps" },
  lr: { type: "string", arg: "X", description: "Adam learning rate" },
  layers: { type: "string", arg: "N", description: `stacked recurrent layers, 1–${MAX_LAYERS}` },
  backend: BACKEND_FLAG,
  out: { type: "string", arg: "DIR", default: "reports/results", description: "results folder" },
  only: {
    type: "string",
    arg: "LIST",
    description:
      "only the suite's runs (a search: chains) whose label has these words, e.g. 'copy exprnn,adding lstm'; unlike the overrides, the suite's own runs, hashes and results file",
  },
  shard: {
    type: "string",
    arg: "I/N",
    description:
      "run shard I of N (also $RNN_GRADBENCH_SHARD, or JOB_COMPLETION_INDEX + $RNN_GRADBENCH_SHARD_COUNT)",
  },
  force: { type: "boolean", description: "re-run configs that already have a result" },
  "checkpoint-every": {
    type: "string",
    arg: "N",
    description:
      `save the run in flight every N steps under <out>/checkpoints/ (default ${DEFAULT_CHECKPOINT_EVERY}; 0: never); the same command resumes it`,
  },
  "dry-run": {
    type: "boolean",
    description:
      "print what is done and what remains (given --out), with estimated times; train nothing",
  },
  verbose: { type: "boolean", description: "also print one line per evaluation" },
  "tf-log": TF_LOG_FLAG,
} as const;

const HELP = helpText(
  "deno task train [--suite quick|tour|standard|paper|horizon|PATH] [overrides…] [--dry-run]",
  "Train every run of a suite and store one result record per run (resumable). A suite with a " +
    "'search' climbs each cell's ladder of lengths until its first failure, chain by chain.",
  FLAGS,
);

/** `1 run`, `2 runs`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

async function main(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, FLAGS);
  const s = (k: keyof typeof FLAGS) => v[k] as string | undefined;
  const ov: SuiteOverrides = {};
  if (s("task")) {
    ov.tasks = parseNameList("task", s("task")!).map((t) =>
      parseChoice("task", t, ["adding", "copy"] as const)
    );
  }
  if (s("cells")) {
    ov.cells = parseNameList("cells", s("cells")!);
    const bad = ov.cells.find((c) => !isCellName(c));
    if (bad) throw new UsageError(`--cells: unknown cell '${bad}'`);
  }
  if (s("lengths")) ov.lengths = parseIntegerList("lengths", s("lengths")!, 1);
  if (s("seeds")) ov.seeds = parseIntegerList("seeds", s("seeds")!, 0);
  if (s("steps")) ov.steps = parseInteger("steps", s("steps")!);
  if (s("hidden")) ov.hidden = parseInteger("hidden", s("hidden")!);
  if (s("batch")) ov.batch = parseInteger("batch", s("batch")!);
  if (s("test-size")) ov.testSize = parseInteger("test-size", s("test-size")!);
  if (s("eval-every")) ov.evalEvery = parseInteger("eval-every", s("eval-every")!);
  if (s("lr")) ov.lr = parseNumber("lr", s("lr")!, { positive: true });
  if (s("layers")) {
    ov.layers = parseInteger("layers", s("layers")!);
    if (ov.layers > MAX_LAYERS) {
      throw new UsageError(
        `--layers must be a whole number from 1 to ${MAX_LAYERS}, got '${s("layers")}'`,
      );
    }
  }
  const checkpointEvery = s("checkpoint-every")
    ? parseInteger("checkpoint-every", s("checkpoint-every")!, 0)
    : DEFAULT_CHECKPOINT_EVERY;
  const backendChoice = parseChoice("backend", s("backend")!, BACKEND_CHOICES);
  ov.backend = backendChoice;
  let shard: ShardSpec | null = null;
  if (s("shard")) {
    const p = parseShard(s("shard")!);
    if (typeof p === "string") throw new UsageError(p);
    shard = p;
  } else {
    const p = shardFromEnv((k) => Deno.env.get(k));
    if (typeof p === "string") throw new UsageError(p);
    shard = p;
  }

  let only: string[] | null = null;
  if (s("only")) {
    const p = parseOnly(s("only")!);
    if (typeof p === "string") throw new UsageError(p);
    only = p;
  }

  let grid;
  try {
    grid = await expandGrid(await loadSuite(s("suite")!), ov);
  } catch (e) {
    if (e instanceof SuiteError) throw new UsageError(e.message);
    throw e;
  }
  // A search is sharded by chain (a chain's rungs depend on each other); a grid by run.
  let chains = grid.chains && shard ? shardChains(grid.chains, shard) : grid.chains;
  let gridRuns = shard && !chains ? shardRuns(grid.runs, shard) : grid.runs;
  if (only) {
    const before = chains ? chains.length : gridRuns.length;
    if (chains) chains = selectByLabel(chains, only, (c) => c.label);
    else gridRuns = selectByLabel(gridRuns, only, (r) => runLabel(r.config));
    if ((chains ?? gridRuns).length === 0) {
      throw new UsageError(
        `--only ${s("only")}: no ${chains ? "chain" : "run"} of the ${before} ${
          shard ? "in this shard" : "in the suite"
        } has those words in its label; --dry-run lists the labels`,
      );
    }
  }
  const runs = chains ? chains.flatMap((c) => c.ladder) : gridRuns;
  const shardText = shard ? ` shard ${shard.index}/${shard.count}:` : "";

  const outDir = s("out")!;
  if (v["dry-run"]) {
    // Reads the results file (if any) to tell done from remaining; writes nothing.
    const file = suiteRunFile(outDir, grid.suite, grid.gridHash);
    if (chains) {
      const outcomes = await readOutcomes(file);
      const plan = await planChains(grid, chains, (h) => outcomes.get(h), {
        force: v.force === true,
        inFlight: (next) => readInFlight(outDir, file, next),
        pricing: await readPricing(file),
      });
      for (const line of formatSearchPlan(plan, { grid, shardText, file })) console.log(line);
      return 0;
    }
    const { done } = await readDoneHashes(file);
    const inFlight = await readInFlight(outDir, file, runs);
    const plan = planRemaining(grid, runs, done, {
      force: v.force === true,
      inFlight,
      pricing: await readPricing(file),
    });
    for (const line of formatPlan(plan, { grid, shardText, file })) console.log(line);
    return 0;
  }

  // Check the output folder is writable before any training.
  try {
    await Deno.mkdir(outDir, { recursive: true });
    const probe = `${outDir}/.write-test-${Deno.pid}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (e) {
    throw new UsageError(
      `--out ${outDir} is not writable (${(e as Error).message.split("\n")[0]})`,
    );
  }

  let backend;
  try {
    backend = await initBackend(backendChoice, { tfLog: v["tf-log"] === true || undefined });
  } catch (e) {
    if (e instanceof BackendUnavailableError) throw new UsageError(e.message);
    throw e;
  }
  let stop = false;
  const onSigint = () => {
    if (stop) Deno.exit(130);
    stop = true;
    console.error(
      "\ninterrupt: abandoning the run in flight (it will not be recorded; its last checkpoint is kept); Ctrl-C again to quit now",
    );
  };
  Deno.addSignalListener("SIGINT", onSigint);
  // SIGTERM is how Slurm, Kubernetes and CI runners end a job (preemption, time limit): save the
  // run in flight at the next step boundary and exit 143 (128 + 15), so a requeue resumes it.
  let suspend = false;
  const onSigterm = () => {
    if (!suspend) {
      console.error("\nSIGTERM: saving a checkpoint of the run in flight, then exiting");
    }
    suspend = true;
  };
  Deno.addSignalListener("SIGTERM", onSigterm);
  const progress = createProgress(runs.map((r) => runCost(r.config)), {
    verbose: v.verbose === true,
  });
  progress.line(
    `suite ${grid.suite}:${shardText} ${
      chains
        ? `${count(chains.length, "chain")} (${count(runs.length, "ladder rung")} at most)`
        : count(runs.length, "run")
    } on the ${backend.name} backend → ${outDir}`,
  );
  const options = {
    grid,
    outDir,
    backend,
    force: v.force === true,
    progress,
    shouldStop: () => stop,
    shouldSuspend: () => suspend,
    checkpointEvery,
  };
  const summary = chains
    ? await trainChains({ ...options, chains })
    : await trainGrid({ ...options, runs });
  Deno.removeSignalListener("SIGINT", onSigint);
  Deno.removeSignalListener("SIGTERM", onSigterm);
  if (summary.suspended) {
    console.error(
      `stopped by SIGTERM after ${
        count(summary.ran, "new run")
      }; the run in flight is checkpointed in ${outDir}/checkpoints/. Re-run the same command to resume.`,
    );
    return 143;
  }
  if (summary.interrupted) {
    console.error(
      `interrupted after ${
        count(summary.ran, "new run")
      }; results so far are in ${summary.file}. Re-run the same command to resume.`,
    );
    return 130;
  }
  // A search's run count is only known at its end: the summary line below gives it.
  if (!chains) progress.done();
  console.error(
    `results: ${summary.file} (${summary.ran} run, ${summary.skipped} already there, ${
      summary.elsewhere ? `${summary.elsewhere} left to other processes, ` : ""
    }${summary.diverged} diverged, ${summary.failed} failed)`,
  );
  return 0;
}

if (import.meta.main) await runCli("train", HELP, main);
