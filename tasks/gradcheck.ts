/**
 * `deno task gradcheck [--backend B] [--tolerance X] [FILE...]` — checks the engine's loss,
 * per-step ‖dL/dh_t‖ and parameter gradients against PyTorch reference files (default: every
 * `../shared/reference/grads/*.json`). Exit 0 when every file passes, 1 when one fails, 2 on bad
 * flags or a malformed file (the message names the field).
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
import { parseCellName } from "../src/engine/model.ts";
import { graphAvailable } from "../src/engine/tf_graph/runtime.ts";

const DEFAULT_DIR = "../shared/reference/grads";

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
  "deno task gradcheck [--backend auto|tensorflow|wasm|cpu] [--path auto|graph|eager] [--tolerance 1e-4] [FILE...]",
  `Checks the engine against PyTorch reference gradients (default: ${DEFAULT_DIR}/*.json).\n` +
    "Per file: the loss, the max relative error of ‖dL/dh_t‖ and of each parameter gradient\n" +
    "(relative to that array's largest magnitude), PASS or FAIL. Exit 0 only if all pass.",
  FLAGS,
);

async function defaultFiles(): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(DEFAULT_DIR)) {
      if (e.isFile && e.name.endsWith(".json")) files.push(`${DEFAULT_DIR}/${e.name}`);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UsageError(`no FILE given and ${DEFAULT_DIR} does not exist`);
    }
    throw e;
  }
  if (files.length === 0) {
    throw new UsageError(`no FILE given and no .json files in ${DEFAULT_DIR}`);
  }
  return files.sort();
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
  const files = positionals.length > 0 ? positionals : await defaultFiles();
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
  for (const { file, ref } of refs) {
    if (path === "graph" && !graphAvailable(parseCellName(ref.cell))) {
      throw new UsageError(
        `--path graph: no graph path for ${ref.cell} (${
          file.split("/").pop()
        }) on the ${info.name} backend`,
      );
    }
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
      `${r.pass ? "PASS" : "FAIL"}  ${file.split("/").pop()}  [${r.path}]  loss ${
        r.loss.toPrecision(7)
      } (err ${fmt(r.lossError)})  ` +
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
