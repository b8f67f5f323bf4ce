/**
 * `deno task run`: the main job. After `setup` (a task dependency): the quick suite, the quick
 * bench, then the report; ends by printing where the report is and the findings in words.
 *
 * @module
 */
import { BACKEND_CHOICES, BackendUnavailableError, initBackend } from "../src/backend.ts";
import { BACKEND_FLAG, TF_LOG_FLAG } from "../src/cli/common_flags.ts";
import { helpText, parseChoice, parseFlags, runCli, UsageError } from "../src/cli/args.ts";
import { runBench } from "../src/bench/mod.ts";
import { tryRenderPlayground } from "../src/playground/build.ts";
import { buildReport } from "../src/report/mod.ts";
import { CELL_NAMES } from "../src/engine/model.ts";
import { setCellOrder } from "../src/viz/cell_style.ts";
import { expandGrid, loadSuite, runCost } from "../src/suite/suite.ts";
import { createProgress } from "../src/train/progress.ts";
import { trainGrid } from "../src/train/train_suite.ts";

const FLAGS = {
  suite: { type: "string", arg: "NAME|PATH", default: "quick", description: "suite to train" },
  backend: BACKEND_FLAG,
  "no-bench": { type: "boolean", description: "skip the bench step" },
  peer: {
    type: "string",
    arg: "torch,keras",
    default: "torch,keras",
    description: "peers to time beside the project (those installed)",
  },
  verbose: { type: "boolean", description: "print one line per training evaluation" },
  "tf-log": TF_LOG_FLAG,
} as const;

const HELP = helpText(
  "deno task run [--suite quick] [--backend auto] [--no-bench] [--peer torch,keras] [--verbose]",
  "The main job: train the quick suite, run the quick bench, build the report, print the findings.",
  FLAGS,
);

async function main(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, FLAGS);
  const backendChoice = parseChoice("backend", v.backend as string, BACKEND_CHOICES);
  const resultsDir = "reports/results", benchDir = "reports/bench", siteDir = "reports/site";
  const suite = await loadSuite(v.suite as string).catch((e) => {
    throw new UsageError((e as Error).message);
  });
  let backend;
  try {
    backend = await initBackend(backendChoice, { tfLog: v["tf-log"] === true || undefined });
  } catch (e) {
    if (e instanceof BackendUnavailableError) throw new UsageError(e.message);
    throw e;
  }
  const grid = await expandGrid(suite, { backend: backendChoice });
  console.error(`== 1/3 train: suite ${suite.name}, ${grid.runs.length} runs on ${backend.name}`);
  let stop = false;
  const onSigint = () => {
    if (stop) Deno.exit(130);
    stop = true;
  };
  Deno.addSignalListener("SIGINT", onSigint);
  const summary = await trainGrid({
    grid,
    outDir: resultsDir,
    backend,
    progress: createProgress(grid.runs.map((r) => runCost(r.config)), {
      verbose: v.verbose === true,
    }),
    shouldStop: () => stop,
  });
  Deno.removeSignalListener("SIGINT", onSigint);
  if (summary.interrupted) {
    console.error("interrupted; run `deno task run` again to resume where it stopped");
    return 130;
  }
  if (!v["no-bench"]) {
    console.error("== 2/3 bench (quick grid)");
    const bench = await runBench({
      quick: true,
      backends: [backend.name],
      command: "deno task run",
      peers: (v.peer as string).split(",").map((s) => s.trim()).filter(Boolean),
      outDir: benchDir,
      log: (l: string) => console.error(l),
    });
    console.error(bench.table);
  }
  console.error("== 3/3 report");
  setCellOrder(CELL_NAMES); // the report's cell order and colours: the engine registry's
  const report = await buildReport({
    resultsDir,
    benchDir,
    outDir: siteDir,
    playground: tryRenderPlayground,
  });
  console.log(`\nReport: ${report.indexPath} (history: ${report.historyPath})`);
  for (const f of report.findings) console.log(`- ${f}`);
  console.log(`Findings and every chart's caption: ${report.findingsPath}`);
  if (report.missing.length) console.log(`Missing: ${report.missing.slice(0, 5).join("; ")}`);
  return 0;
}

if (import.meta.main) await runCli("run", HELP, main);
