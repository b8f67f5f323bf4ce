/**
 * `deno task data`: writes adding-problem / copy-memory datasets as `.npy` files with a
 * checksummed `manifest.json`, one folder per (task, T, seed) under `--out`.
 *
 * Everything is checked before anything is written: flags, task lengths, that `--out` is
 * writable, and that every target folder is either absent or already holds the same intact
 * dataset (then it is a no-op that says so). A folder with other content is refused unless
 * `--force`.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import {
  helpText,
  parseChoice,
  parseFlags,
  parseInteger,
  parseIntegerList,
  runCli,
  UsageError,
} from "../src/cli/args.ts";
import {
  ADDING_VARIANTS,
  checkTaskSpec,
  type DatasetCounts,
  datasetDirName,
  inspectDataset,
  taskInputSize,
  TASKS,
  type TaskSpec,
  taskSteps,
  writeDataset,
} from "../src/data/mod.ts";

const FLAGS = {
  task: { type: "string", arg: "adding|copy", description: "which task to generate" },
  lengths: {
    type: "string",
    arg: "T,T,…",
    description: "sequence lengths T (adding needs T ≥ 2, copy T ≥ 1)",
  },
  train: { type: "string", arg: "N", default: "10000", description: "training samples" },
  test: { type: "string", arg: "M", default: "1000", description: "test samples" },
  seed: { type: "string", arg: "S,S,…", default: "1", description: "seeds (whole numbers ≥ 0)" },
  variant: {
    type: "string",
    arg: "arjovsky|tcn",
    description: "adding only: markers one per half (arjovsky) or anywhere (tcn)",
  },
  symbols: { type: "string", arg: "S", description: "copy only: symbols to copy (default 10)" },
  out: { type: "string", arg: "DIR", default: ".cache/data", description: "output folder" },
  force: {
    type: "boolean",
    description: "replace a folder that holds a different or corrupt dataset",
  },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

const HELP = helpText(
  "deno task data --task adding|copy --lengths 50,100,200 [--train N] [--test M] [--seed S] [--out DIR]",
  "Generates seeded datasets: per (task, T, seed) a folder with train_x.npy, train_y.npy,\n" +
    "test_x.npy, test_y.npy (NumPy v1.0, float32 / int32) and manifest.json (SHA-256 of each).\n" +
    "Re-running with the same arguments is a no-op.",
  FLAGS,
);

/** A single `.npy` above this is refused: it would not fit in one typed array comfortably. */
const MAX_FILE_BYTES = 2 ** 31;

interface Plan {
  dirs: { dir: string; spec: TaskSpec; seed: number }[];
  counts: DatasetCounts;
  out: string;
  force: boolean;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/**
 * `node:util`'s parser reads `--train -3` as two flags ("argument is ambiguous"); joining it to
 * `--train=-3` lets the number check give the clear message ("must be a whole number ≥ 1").
 */
function attachNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], next = argv[i + 1];
    const name = a.startsWith("--") ? a.slice(2) : "";
    const spec = (FLAGS as Record<string, { type: string }>)[name];
    if (spec?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** Parses and validates the flags into a plan; throws UsageError on any bad input. */
export function planFromArgs(argv: string[]): Plan {
  const { values } = parseFlags(attachNegativeValues(argv), FLAGS);
  const taskArg = str(values.task);
  if (taskArg === undefined) throw new UsageError("--task is required (adding or copy)");
  const task = parseChoice("task", taskArg, TASKS);
  const lengthsArg = str(values.lengths);
  if (lengthsArg === undefined) throw new UsageError("--lengths is required, e.g. 50,100,200");
  // Range checks on T come from checkTaskSpec below, whose message says why (e.g. two markers).
  const lengths = parseIntegerList("lengths", lengthsArg, 0);
  const counts = {
    train: parseInteger("train", str(values.train)!, 1),
    test: parseInteger("test", str(values.test)!, 1),
  };
  const seeds = parseIntegerList("seed", str(values.seed)!, 0);
  const variantArg = str(values.variant);
  const symbolsArg = str(values.symbols);
  if (task === "copy" && variantArg !== undefined) {
    throw new UsageError("--variant applies to the adding task only");
  }
  if (task === "adding" && symbolsArg !== undefined) {
    throw new UsageError("--symbols applies to the copy task only");
  }
  const variant = variantArg === undefined
    ? "arjovsky"
    : parseChoice("variant", variantArg, ADDING_VARIANTS);
  const symbols = symbolsArg === undefined ? 10 : parseInteger("symbols", symbolsArg, 1);
  const out = str(values.out)!;
  const dirs: Plan["dirs"] = [];
  for (const T of lengths) {
    const spec: TaskSpec = task === "adding" ? { task, T, variant } : { task, T, symbols };
    try {
      checkTaskSpec(spec);
    } catch (e) {
      throw new UsageError(`--lengths: ${(e as Error).message}`);
    }
    const bytes = Math.max(counts.train, counts.test) * taskSteps(spec) * taskInputSize(spec) * 4;
    if (bytes > MAX_FILE_BYTES) {
      throw new UsageError(
        `${task} T=${T} with ${Math.max(counts.train, counts.test)} samples needs a ${
          (bytes / 2 ** 30).toFixed(1)
        } GiB file; lower --train/--test`,
      );
    }
    for (const seed of seeds) dirs.push({ dir: join(out, datasetDirName(spec, seed)), spec, seed });
  }
  return { dirs, counts, out, force: values.force === true };
}

/**
 * Throws UsageError unless `out` may be created and written, without leaving anything behind:
 * asks Deno's permissions, then probes the nearest existing ancestor with a temp file that is
 * removed at once (catching read-only folders the permission check cannot see).
 */
async function checkWritable(out: string): Promise<void> {
  let dir = resolve(out);
  for (;;) {
    try {
      const info = await Deno.stat(dir);
      if (!info.isDirectory) throw new UsageError(`--out ${out}: ${dir} is not a folder`);
      break;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (!(e instanceof Deno.errors.NotFound) || dirname(dir) === dir) {
        throw new UsageError(`--out ${out} is not writable (${(e as Error).message})`);
      }
      dir = dirname(dir);
    }
  }
  const status = await Deno.permissions.query({ name: "write", path: resolve(out) });
  if (status.state !== "granted") {
    throw new UsageError(`--out ${out} is not writable (outside the folders this task may write)`);
  }
  // The probe needs permission on the ancestor itself; `.cache` may be allowed while `.` is not,
  // and then a failure to create the folder surfaces when writing (exit 1).
  const ancestor = await Deno.permissions.query({ name: "write", path: dir });
  if (ancestor.state !== "granted") return;
  try {
    const probe = await Deno.makeTempFile({ dir, prefix: ".rnn-gradbench-probe-" });
    await Deno.remove(probe);
  } catch (e) {
    throw new UsageError(`--out ${out} is not writable (${(e as Error).message})`);
  }
}

async function main(argv: string[]): Promise<number> {
  const plan = planFromArgs(argv);
  await checkWritable(plan.out);

  // Look at every target before writing any, so a refusal leaves nothing half done.
  const todo: Plan["dirs"] = [];
  for (const d of plan.dirs) {
    const found = await inspectDataset(d.dir, d.spec, d.seed, plan.counts);
    if (found.state === "current") {
      console.log(`up to date (no-op): ${d.dir}`);
    } else if (found.state === "conflict" && !plan.force) {
      throw new UsageError(`${found.reason}; pass --force to replace it`);
    } else {
      todo.push(d);
    }
  }
  for (const d of todo) {
    const { manifest } = await writeDataset(d.dir, d.spec, d.seed, plan.counts, {
      force: plan.force,
    });
    const bytes = Object.values(manifest.files).reduce((a, f) => a + f.bytes, 0);
    console.log(
      `wrote ${d.dir} (train ${plan.counts.train}, test ${plan.counts.test}, ${
        (bytes / 2 ** 20).toFixed(1)
      } MiB, baseline ${manifest.baselineLoss.kind} ${manifest.baselineLoss.value.toFixed(4)})`,
    );
  }
  if (todo.length === 0) {
    console.log(`nothing to do: all ${plan.dirs.length} dataset(s) already up to date`);
  }
  return 0;
}

if (import.meta.main) {
  await runCli("data", HELP, main);
}
