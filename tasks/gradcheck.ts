/**
 * `deno task gradcheck [--backend B] [--tolerance X] [FILE|DIR...]` — checks the engine's loss,
 * every layer's per-step ‖dL/dh_t‖ and the parameter gradients against PyTorch reference files
 * (default: the project's `fixtures/grads/`, and the independent `../shared/reference/` sets
 * where present). Exit 0 when every file passes, 1 when one fails, 2 on bad flags or a
 * malformed file (the message names the field).
 *
 * @module
 */
import {
  BACKEND_CHOICES,
  type BackendChoice,
  BackendUnavailableError,
  initBackend,
} from "../src/backend.ts";
import { BACKEND_FLAG, TF_LOG_FLAG } from "../src/cli/common_flags.ts";
import {
  helpText,
  parseChoice,
  parseFlags,
  parseNumber,
  runCli,
  UsageError,
} from "../src/cli/args.ts";
import {
  gradcheck,
  type GradcheckPath,
  loadReference,
  MalformedReferenceError,
} from "../src/engine/gradcheck.ts";
import { graphAvailable } from "../src/engine/tf_graph/runtime.ts";

/** The project's own references (`peers/torch/refgrad.py`), always checked by default. */
const OWN_DIR = "fixtures/grads";
/** Independent references generated outside the project, checked too where present. */
const OUTSIDE_DIRS = [
  "../shared/reference/grads",
  "../shared/reference/grads-stacked",
  "../shared/reference/grads-exprnn",
];

const FLAGS = {
  backend: BACKEND_FLAG,
  tolerance: {
    type: "string",
    description: "largest relative error that passes",
    default: "1e-4",
    arg: "X",
  },
  path: {
    type: "string",
    description:
      "engine path: auto (graph where available), graph (one TensorFlow graph run; tensorflow backend), eager",
    default: "auto",
    arg: "P",
  },
  "tf-log": TF_LOG_FLAG,
} as const;

const PATHS: readonly GradcheckPath[] = ["auto", "graph", "eager"];

const HELP = helpText(
  "deno task gradcheck [--backend auto|tensorflow|wasm|cpu] [--path auto|graph|eager] [--tolerance 1e-4] [FILE|DIR...]",
  `Checks the engine against PyTorch reference gradients (default: ${OWN_DIR}/*.json, and\n` +
    `${OUTSIDE_DIRS.join(" and ")} where present).\n` +
    "Per file: the loss, the max relative error of ‖dL/dh_t‖ and of each parameter gradient\n" +
    "(relative to that array's largest magnitude), PASS or FAIL. Exit 0 only if all pass.",
  FLAGS,
);

/** The .json files of `dir`, sorted; a usage error when it has none. */
async function jsonFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".json")) files.push(`${dir}/${e.name}`);
  }
  if (files.length === 0) throw new UsageError(`no .json files in ${dir}`);
  return files.sort();
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** The files named (a folder stands for its .json files), or the default folders. */
async function referenceFiles(args: string[]): Promise<string[]> {
  if (args.length === 0) {
    if (!await isDir(OWN_DIR)) throw new UsageError(`no FILE given and ${OWN_DIR} does not exist`);
    const dirs = [OWN_DIR];
    for (const d of OUTSIDE_DIRS) if (await isDir(d)) dirs.push(d);
    args = dirs;
  }
  const files: string[] = [];
  for (const a of args) files.push(...(await isDir(a) ? await jsonFiles(a) : [a]));
  return files;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, { positionals: true });
  const backend = parseChoice(
    "backend",
    values.backend as string,
    BACKEND_CHOICES,
  ) as BackendChoice;
  const tolerance = parseNumber("tolerance", values.tolerance as string, { positive: true });
  const path = parseChoice("path", values.path as string, PATHS) as GradcheckPath;
  const files = await referenceFiles(positionals);
  // Validate every file before running anything: a malformed one is a usage error (exit 2).
  const refs = [];
  for (const file of files) {
    try {
      refs.push({ file, ref: await loadReference(file) });
    } catch (e) {
      if (e instanceof MalformedReferenceError) {
        throw new UsageError(`${file}: malformed: ${e.message}`);
      }
      if (e instanceof Deno.errors.NotFound) throw new UsageError(`${file}: no such file`);
      throw e;
    }
  }
  const info = await initBackend(backend, { tfLog: values["tf-log"] === true || undefined })
    .catch((e) => {
      throw e instanceof BackendUnavailableError ? new UsageError(e.message) : e;
    });
  if (path === "graph" && !graphAvailable()) {
    throw new UsageError(`--path graph: no graph path on the ${info.name} backend`);
  }
  console.log(`backend ${info.name}, tolerance ${tolerance}`);
  let failed = 0;
  const fmt = (v: number) => v.toExponential(1);
  let worst = 0;
  for (const { file, ref } of refs) {
    const r = await gradcheck(ref, tolerance, path);
    if (!r.pass) failed++;
    worst = Math.max(worst, r.maxError);
    const params = Object.entries(r.paramErrors).map(([k, v]) => `${k} ${fmt(v)}`).join("  ");
    console.log(
      `${r.pass ? "PASS" : "FAIL"}  ${file}  [${r.path}]  loss ${r.loss.toPrecision(7)} (err ${
        fmt(r.lossError)
      })  ` +
        `‖dL/dh_t‖ ${fmt(r.normsError)}  ${params}`,
    );
  }
  console.log(
    `${refs.length - failed}/${refs.length} passed; largest relative error ${
      worst.toExponential(2)
    }`,
  );
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) await runCli("gradcheck", HELP, main);
