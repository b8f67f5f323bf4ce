/**
 * Our numbers against the literature's, as data (pure): a row per published reference point
 * (task, T, cell, metric, value, source) with our value of the same metric over the seeds of
 * that configuration, and whether the two agree.
 *
 * "Solves" has one definition here, {@link metricSolves}, used for the published number (the
 * headline chart's filled diamonds) and for ours alike: the adding problem is solved at a test
 * MSE at most the suite's threshold, copy memory at a recall accuracy at least the threshold, or
 * at a test loss under a tenth of the memoryless baseline (S·ln 8 / (T + 2S): the loss of a
 * model that knows the symbols' distribution but not the symbols). The two agree when both solve
 * or both fail by it. Where they disagree, {@link LiteratureRow.differs} says what differs from
 * the paper's setting: our settings as the records hold them, and the experiment's `source`
 * sentences that say which settings are ours.
 *
 * @module
 */
import type { ResultRecord, RunConfig, SolvedThreshold } from "../results/schema.ts";
import { recordStepsToSolve } from "../results/solved.ts";
import type { Reference } from "../suite/suite.ts";
import { groupBy, median, seriesOf } from "./charts/_common.ts";
import { settingsKey } from "../results/settings_key.ts";
import type { OriginOf } from "./origins.ts";

/** The suite's default thresholds, where no record says. */
export const DEFAULT_SOLVED: SolvedThreshold = { mse: 0.01, accuracy: 0.99 };

/** The memoryless baseline loss of a task at length T (adding: Var of the sum, 1/6). */
export function memorylessLoss(task: "adding" | "copy", T: number, symbols = 10): number {
  return task === "adding" ? 1 / 6 : (symbols * Math.log(8)) / (T + 2 * symbols);
}

/**
 * Whether a value of a metric solves the task at T: test MSE ≤ `mse`, accuracy ≥ `accuracy`,
 * or a test loss under a tenth of the memoryless baseline.
 */
export function metricSolves(
  m: { task: "adding" | "copy"; T: number; metric: Reference["metric"]; value: number },
  thresholds: SolvedThreshold = DEFAULT_SOLVED,
  symbols = 10,
): boolean {
  if (m.metric === "test_mse") return m.value <= thresholds.mse;
  if (m.metric === "test_accuracy") return m.value >= thresholds.accuracy;
  return m.value < memorylessLoss(m.task, m.T, symbols) / 10;
}

/** Our side of a row: one configuration's records at the reference's task, T and cell. */
export interface OurValue {
  /** The metric of each record that has it (runs that diverged or failed have none). */
  values: number[];
  /** Median, min and max of `values` (NaN where there are none). */
  median: number;
  min: number;
  max: number;
  /** Records of this configuration (seeds). */
  runs: number;
  /** Records without the metric, by status: `{diverged: 1}`. */
  lost: Record<string, number>;
  /** Whether the median solves by {@link metricSolves}; a configuration with no value fails. */
  solves: boolean;
  /** The step each record that solved was solved at (steps to solve), ascending. */
  solvedAt: number[];
  /** The configuration (its first record's). */
  config: RunConfig;
  /** A rung of a memory-horizon search rather than a run of a grid. */
  search: boolean;
  /** The experiment's source text (null: unknown). */
  source: string | null;
}

/** One row of the table. */
export interface LiteratureRow {
  reference: Reference;
  /** Whether the published value solves by {@link metricSolves}. */
  publishedSolves: boolean;
  /** Null: no record of this (task, T, cell) yet. */
  ours: OurValue | null;
  /** Both solve or both fail (null: not run). */
  agree: boolean | null;
  /** Where they disagree, what differs from the paper's setting (empty otherwise). */
  differs: string[];
}

/** The metric of a record (null where the run has none). */
function metricOf(r: ResultRecord, metric: Reference["metric"]): number | null {
  const v = r.metrics[metric];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** `0.002` → `2e-3` where shorter: learning rates as papers write them. */
function rate(x: number): string {
  const e = x.toExponential();
  return e.length < String(x).length ? e : String(x);
}

/** Our settings in a few words: `H 128, batch 32, 30000 steps, adam lr 2e-3`. */
export function settingsText(c: RunConfig): string {
  const groups = (c.optimizer.groups ?? []).map((g) => `, ${g.params.join("/")} ${rate(g.lr)}`)
    .join("");
  return [
    `H ${c.hidden}`,
    ...(c.layers && c.layers > 1 ? [`${c.layers} layers`] : []),
    `batch ${c.batch}`,
    `${c.steps} steps`,
    `${c.optimizer.name} lr ${rate(c.optimizer.lr)}${groups}`,
    ...(c.task === "adding" && c.variant ? [`${c.variant} markers`] : []),
    ...(c.task === "copy" ? [`${c.symbols ?? 10} symbols`] : []),
  ].join(", ");
}

/**
 * The sentences of a source text that say which settings are ours (they contain "ours"), each
 * up to its first colon after "ours" (what follows is the calibration, not the difference).
 */
export function oursSentences(source: string | null): string[] {
  if (!source) return [];
  return source.split(/(?<=\.)\s+(?=[A-Z])/).filter((s) => /\bours\b/i.test(s)).map((s) => {
    const at = s.search(/\bours\b/i);
    const colon = s.indexOf(":", at);
    return (colon >= 0 ? s.slice(0, colon) : s).trim().replace(/[.;]$/, "");
  });
}

function differences(o: OurValue): string[] {
  const out = [`ours: ${settingsText(o.config)}`];
  // Where ours solves and the paper's fails, how late: a budget shorter than this would fail too.
  if (o.solves && o.solvedAt.length) {
    const [lo, hi] = [o.solvedAt[0], o.solvedAt.at(-1)!];
    out.push(
      `ours solved at step${lo === hi ? ` ${lo}` : `s ${lo}–${hi}`} of ${o.config.steps}`,
    );
  }
  if (o.search) out.push("a search rung (its budget rule's steps)");
  out.push(...oursSentences(o.source));
  const lost = Object.entries(o.lost).map(([s, n]) => `${n} of ${o.runs} ${s}`);
  if (lost.length) out.push(lost.join(", "));
  return out;
}

function ourValue(
  rs: ResultRecord[],
  ref: Reference,
  originOf: OriginOf | undefined,
): OurValue {
  const values: number[] = [];
  const lost: Record<string, number> = {};
  for (const r of rs) {
    const v = metricOf(r, ref.metric);
    const why = r.status === "ok" ? "without the metric" : r.status;
    if (v !== null) values.push(v);
    else lost[why] = (lost[why] ?? 0) + 1;
  }
  const config = rs[0].config;
  const m = values.length ? median(values) : NaN;
  const origin = originOf?.(rs[0]) ?? null;
  return {
    values,
    median: m,
    min: values.length ? Math.min(...values) : NaN,
    max: values.length ? Math.max(...values) : NaN,
    runs: rs.length,
    lost,
    solves: values.length > 0 &&
      metricSolves({ ...ref, value: m }, config.solved, config.symbols ?? 10),
    solvedAt: rs.flatMap((r) => {
      const s = r.status === "ok" ? recordStepsToSolve(r) : null;
      return s === null ? [] : [s];
    }).sort((a, b) => a - b),
    config,
    search: origin?.search ?? false,
    source: origin?.source ?? null,
  };
}

/**
 * The rows: per reference point, one per configuration of our records at its task, T and cell
 * series (grid runs before search rungs; search rungs only where no grid run is there), or one
 * "not run" row. The published value is judged with the thresholds and symbols of our records.
 */
export function literatureRows(
  records: ResultRecord[],
  references: Reference[],
  originOf?: OriginOf,
): LiteratureRow[] {
  const solved = records[0]?.config.solved ?? DEFAULT_SOLVED;
  return references.flatMap((ref): LiteratureRow[] => {
    const at = records.filter((r) =>
      r.config.task === ref.task && r.config.T === ref.T && seriesOf(r.config) === ref.cell
    );
    const grid = at.filter((r) => !(originOf?.(r)?.search ?? false));
    const mine = grid.length ? grid : at;
    const symbols = mine[0]?.config.symbols ??
      records.find((r) => r.config.task === ref.task)?.config.symbols ?? 10;
    const publishedSolves = metricSolves(ref, mine[0]?.config.solved ?? solved, symbols);
    if (mine.length === 0) {
      return [{ reference: ref, publishedSolves, ours: null, agree: null, differs: [] }];
    }
    const configs = groupBy(mine, (r) => `${settingsKey(r.config)}|${r.config.steps}`);
    return [...configs.values()].map((rs) => {
      const ours = ourValue(rs, ref, originOf);
      const agree = ours.solves === publishedSolves;
      return {
        reference: ref,
        publishedSolves,
        ours,
        agree,
        differs: agree ? [] : differences(ours),
      };
    });
  });
}
