/**
 * Chart 6, the run manifest: environment and versions, the suite run shown (id, suite, grid
 * hash, dates), every run with its config hash and status, what is missing from the grid, and
 * the history of suite runs in the results folder.
 *
 * @module
 */
import type { ResultRecord } from "../results/schema.ts";
import type { SuiteRun } from "../results/store.ts";
import { fmt, groupBy, seriesOf, sortCells } from "./charts/_common.ts";
import type { ReportData } from "./load.ts";
import { settingsKey } from "../results/settings_key.ts";
import { isSearchRung, type OriginOf } from "./origins.ts";

/** The manifest as tables of strings (html.ts escapes and lays them out). */
export interface Manifest {
  /** Key–value facts about the run shown and its environment. */
  facts: [string, string][];
  runs: { columns: string[]; rows: string[][] };
  history: { columns: string[]; rows: string[][] };
  /** One line per diverged or failed run. */
  failures: string[];
}

function taskMetric(r: ResultRecord): string {
  if (r.status !== "ok") return "";
  return r.config.task === "adding"
    ? `MSE ${fmt(r.metrics.test_mse)}`
    : `acc ${fmt(r.metrics.test_accuracy)}`;
}

/** Diverged and failed runs, one line each: where and why. */
export function failureLines(records: ResultRecord[]): string[] {
  return records.filter((r) => r.status !== "ok").map((r) =>
    `${r.status}: ${r.config.task} ${seriesOf(r.config)} T=${r.config.T} seed ${r.config.seed}` +
    (r.status_detail
      ? ` (${
        r.status_detail.step !== null ? `step ${r.status_detail.step}: ` : ""
      }${r.status_detail.reason})`
      : "")
  );
}

/**
 * What the grid lacks: per task, every observed cell × observed T without a record, and
 * (task, cell, T) with fewer seeds than the most any has. Where the records' origins are known
 * (`originOf`), each experiment's grid is checked on its own, and a search's rungs not at all: a
 * chain ends at its first failure and bisects between its own lengths, so the lengths one cell
 * reached and another did not are the search's result, not a gap.
 */
export function missingGrid(records: ResultRecord[], originOf?: OriginOf): string[] {
  const out: string[] = [];
  const group = (r: ResultRecord) => {
    if (!originOf?.(r)) return r.config.task;
    const { cell: _cell, ...settings } = r.config;
    return `${r.config.task}|${settingsKey(settings as ResultRecord["config"])}`;
  };
  const grid = records.filter((r) => !isSearchRung(originOf, r));
  // Records of no known experiment: every cell seen in any of them, on every task.
  const unmatched = sortCells(grid.filter((r) => !originOf?.(r)).map((r) => seriesOf(r.config)));
  for (const rs of groupBy(grid, group).values()) {
    const task = rs[0].config.task;
    const cells = originOf?.(rs[0]) ? sortCells(rs.map((r) => seriesOf(r.config))) : unmatched;
    const Ts = [...new Set(rs.map((r) => r.config.T))].sort((a, b) => a - b);
    const seeds = new Map<string, number>();
    for (const r of rs) {
      const k = `${seriesOf(r.config)}|${r.config.T}`;
      seeds.set(k, (seeds.get(k) ?? 0) + 1);
    }
    const most = Math.max(...seeds.values());
    for (const cell of cells) {
      const absent = Ts.filter((T) => !seeds.has(`${cell}|${T}`));
      if (absent.length === Ts.length) out.push(`${task}: no runs of ${cell}`);
      else if (absent.length) out.push(`${task} ${cell}: no runs at T=${absent.join(", ")}`);
      for (const T of Ts) {
        const n = seeds.get(`${cell}|${T}`) ?? 0;
        if (n > 0 && n < most) out.push(`${task} ${cell} T=${T}: ${n} of ${most} seeds`);
      }
    }
  }
  return out;
}

function short(h: string | null | undefined, n = 12): string {
  return h ? h.slice(0, n) : "n/a";
}

function historyRow(run: SuiteRun, shown: SuiteRun | null): string[] {
  const n = (s: string) => run.records.filter((r) => r.status === s).length;
  return [
    run.id + (run === shown ? " (shown)" : ""),
    run.suite,
    run.finished.slice(0, 19).replace("T", " "),
    String(run.records.length),
    String(n("ok")),
    String(n("diverged")),
    String(n("failed")),
    short(run.records[0]?.env.commit),
  ];
}

/** Builds the manifest of the suite run shown. */
export function runManifest(data: ReportData): Manifest {
  const run = data.run;
  const recs = run?.records ?? [];
  const env = recs.at(-1)?.env;
  const versions = (k: (r: ResultRecord) => string | null | undefined) =>
    [...new Set(recs.map(k).map((v) => v ?? "n/a"))].join(", ");
  const facts: [string, string][] = run
    ? [
      ["suite", run.suite],
      ["suite run", run.id],
      ["grid hash", run.grid_hash],
      ["runs", `${recs.length} (${recs.filter((r) => r.status === "ok").length} ok)`],
      ["started", run.started],
      ["finished", run.finished],
      ["backend", versions((r) => r.env.backend)],
      ["tfjs", versions((r) => r.env.tfjs)],
      ["TensorFlow", versions((r) => r.env.tensorflow)],
      ["Deno", versions((r) => r.env.deno)],
      ["V8", versions((r) => r.env.v8)],
      ["CPU", `${env?.cpu ?? "n/a"} (${env?.cores ?? "?"} cores, ${env?.threads ?? "?"} threads)`],
      ["OS", `${env?.os ?? "n/a"} ${env?.arch ?? ""}`.trim()],
      ["commit", versions((r) => r.env.commit)],
    ]
    : [["results", "none"]];
  if (data.bench) {
    facts.push(["bench file", data.bench.file]);
    facts.push(["bench date", data.bench.data.env?.date ?? "n/a"]);
    facts.push(["bench command", data.bench.data.command ?? ""]);
  } else facts.push(["bench file", "none"]);
  const sorted = [...recs];
  const cellOrder = sortCells(recs.map((r) => seriesOf(r.config)));
  sorted.sort((a, b) =>
    a.config.task.localeCompare(b.config.task) ||
    cellOrder.indexOf(seriesOf(a.config)) - cellOrder.indexOf(seriesOf(b.config)) ||
    a.config.T - b.config.T || a.config.seed - b.config.seed
  );
  return {
    facts,
    runs: {
      columns: [
        "task",
        "cell",
        "T",
        "seed",
        "status",
        "result",
        "ms/step",
        "config hash",
        "run id",
      ],
      rows: sorted.map((r) => [
        r.config.task,
        seriesOf(r.config),
        String(r.config.T),
        String(r.config.seed),
        r.status,
        r.status === "ok" ? taskMetric(r) : (r.status_detail?.reason ?? ""),
        fmt(r.timing.median_step_ms),
        short(r.config_hash),
        r.run_id,
      ]),
    },
    history: {
      columns: ["suite run", "suite", "finished", "runs", "ok", "diverged", "failed", "commit"],
      rows: [...data.runs].reverse().map((r) => historyRow(r, run)),
    },
    failures: failureLines(recs),
  };
}
