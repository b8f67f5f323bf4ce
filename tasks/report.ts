/**
 * `deno task report`: builds the self-contained HTML report (Vega-Lite charts of gradient
 * decay, accuracy against length, training curves, subnormal shares, speed, and the run
 * manifest) from `reports/results/` and `reports/bench/` into `reports/site/`.
 *
 * @module
 */
import { helpText, parseFlags, runCli, UsageError } from "../src/cli/args.ts";
import { tryRenderPlayground } from "../src/playground/build.ts";
import { buildReport, ReportInputError } from "../src/report/mod.ts";
import { CELL_NAMES } from "../src/engine/model.ts";
import { setCellOrder } from "../src/viz/cell_style.ts";

const FLAGS = {
  results: {
    type: "string",
    arg: "DIR",
    default: "reports/results",
    description: "folder of results JSONL files",
  },
  bench: {
    type: "string",
    arg: "DIR",
    default: "reports/bench",
    description: "folder of bench JSON files (the newest is shown)",
  },
  out: { type: "string", arg: "DIR", default: "reports/site", description: "output folder" },
  references: {
    type: "string",
    arg: "FILE",
    default: "suites/paper.json",
    description: "suite file with published reference points",
  },
  history: {
    type: "string",
    arg: "DIR",
    default: "reports/history",
    description: "past scheduled runs, one subfolder each (absent: the runs in --results)",
  },
  run: {
    type: "string",
    arg: "ID",
    default: "newest",
    description: "suite run to show (a results file's name without .jsonl)",
  },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

const HELP = helpText(
  "deno task report [--results DIR] [--bench DIR] [--history DIR] [--out DIR] [--run ID]",
  "Builds reports/site/index.html (self-contained, works offline), FINDINGS.md and\n" +
    "charts/NAME.vl.json + charts/NAME.svg, and prints the headline.",
  FLAGS,
);

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const str = (k: keyof typeof FLAGS) => {
    const v = values[k];
    if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${k} needs a value`);
    return v;
  };
  setCellOrder(CELL_NAMES); // the report's cell order and colours: the engine registry's
  let result;
  try {
    result = await buildReport({
      resultsDir: str("results"),
      benchDir: str("bench"),
      outDir: str("out"),
      referencesPath: str("references"),
      run: str("run"),
      historyDir: str("history"),
      playground: tryRenderPlayground,
    });
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(e.message);
    throw e;
  }
  console.log(`Report: ${result.indexPath}`);
  console.log(`History: ${result.historyPath}`);
  console.log(`Findings: ${result.findingsPath}`);
  for (const r of result.regressions) console.log(`  regression: ${r}`);
  for (const f of result.findings) console.log(`- ${f}`);
  if (result.missing.length) {
    console.log(`Missing (${result.missing.length}):`);
    for (const m of result.missing.slice(0, 5)) console.log(`  - ${m}`);
    if (result.missing.length > 5) {
      console.log(`  … and ${result.missing.length - 5} more (see the report's manifest)`);
    }
  }
  return 0;
}

if (import.meta.main) await runCli("report", HELP, main);
