/**
 * `deno task report`: builds the self-contained HTML report (Vega-Lite charts of gradient
 * decay, accuracy against length, training curves, subnormal shares, speed, and the run
 * manifest) from `reports/results/` and `reports/bench/` into `reports/site/`. The suite file
 * (`--suite`, default the `--references` one) is expanded here, so the report library stays free
 * of engine modules; `--link LABEL=HREF` links other reports.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { helpText, parseFlags, runCli, UsageError } from "../src/cli/args.ts";
import { tryRenderPlayground } from "../src/playground/build.ts";
import { buildReport, parseLink, ReportInputError } from "../src/report/mod.ts";
import { CELL_NAMES } from "../src/engine/model.ts";
import { expandGrid, type Grid, loadSuite, SuiteError } from "../src/suite/mod.ts";
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
  suite: {
    type: "string",
    arg: "FILE",
    description: "suite file the records were trained from: which runs are search rungs, each " +
      "experiment's source (default: the --references file)",
  },
  link: {
    type: "string",
    arg: "LABEL=HREF",
    multiple: true,
    description: "a link to another report in the page's navigation and FINDINGS.md (repeatable)",
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
  "deno task report [--results DIR] [--bench DIR] [--history DIR] [--out DIR] [--run ID]\n" +
    "                 [--references FILE] [--suite FILE] [--link LABEL=HREF]...",
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
  const links = ((values.link ?? []) as string[]).map((l) => {
    const link = parseLink(l);
    if (!link) throw new UsageError(`--link needs LABEL=HREF, got '${l}'`);
    return link;
  });
  const suitePath = values.suite === undefined ? str("references") : str("suite");
  const grid = await suiteGrid(suitePath, values.suite !== undefined);
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
      ...(grid ? { grid, suitePath } : {}),
      links,
    });
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(e.message);
    throw e;
  }
  console.log(`Report: ${result.indexPath}`);
  console.log(`History: ${result.historyPath}`);
  console.log(`Findings: ${result.findingsPath}`);
  for (const l of links) {
    const local = !/^[a-z][a-z0-9+.-]*:|^\/|^#/i.test(l.href);
    if (local && !existsSync(join(str("out"), l.href.replace(/[?#].*$/, "")))) {
      console.log(`  note: link '${l.label}' → ${l.href}: no such file under ${str("out")} (yet)`);
    }
  }
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

/**
 * The expanded grid of a suite file. One given with --suite must load (else exit 2); the
 * --references file standing in for it may be a plain list of references: then no grid.
 */
async function suiteGrid(path: string, asked: boolean): Promise<Grid | null> {
  try {
    return await expandGrid(await loadSuite(path));
  } catch (e) {
    if (!(e instanceof SuiteError)) throw e;
    if (asked) throw new UsageError(e.message);
    return null;
  }
}

if (import.meta.main) await runCli("report", HELP, main);
