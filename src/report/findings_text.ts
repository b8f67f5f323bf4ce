/**
 * The findings in words: the one module that turns {@link FindingsData} into the headline
 * sentences and the findings tables the page, `FINDINGS.md` and the terminal show (pure).
 *
 * Tables hold the detail (a row per cell–task pair); sentences stay short — the headline is three
 * to five sentences, a caption at most two.
 *
 * @module
 */
import { fmt, listWords, TASK_LABEL } from "./charts/_common.ts";
import { type LiteratureRow, memorylessLoss } from "./literature.ts";
import {
  type FindingsData,
  findingsData,
  type FindingsOptions,
  type PresentedHorizon,
  type TaskHeadline,
  type Verdict,
} from "./findings.ts";
import type { ResultRecord } from "../results/schema.ts";

/** A table of strings (html.ts escapes and lays it out; a `cell` column gets colour swatches). */
export interface FindingsTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** The findings as the page shows them. */
export interface Findings {
  /** Three to five short sentences: what fails, what solves, how far, at what cost. */
  headline: string[];
  /** The thesis check: a row per cell–task pair. */
  thesis: FindingsTable;
  /** Memory horizon per cell series (rows) and task (columns). */
  memory: FindingsTable;
  /** Against the literature: a row per published reference point (no rows: none given). */
  literature: FindingsTable;
}

/** `T = 200`, `≥ 200` where capped, `none` for 0. */
export function horizonT(h: { median: number; capped?: boolean }): string {
  if (h.median <= 0) return "none";
  return h.capped ? `≥ ${h.median}` : String(h.median);
}

/**
 * `200 [100–500]`; `≥ 200 [...]` where capped (each end of the range too, where that seed's
 * horizon is a lower bound); `—` for a horizon of 0 (nothing solved).
 */
export function horizonText(
  h:
    & Pick<PresentedHorizon, "median" | "min" | "max">
    & Partial<Pick<PresentedHorizon, "capped" | "minCapped" | "maxCapped">>,
): string {
  const v = (x: number, capped?: boolean) => (x > 0 ? `${capped ? "≥ " : ""}${x}` : "—");
  if (h.max === 0) return "—";
  const head = v(h.median, h.capped);
  return h.min === h.max ? head : `${head} [${v(h.min, h.minCapped)}–${v(h.max, h.maxCapped)}]`;
}

/** Steps, `∞` for no decay. */
export function stepsText(h: number | null): string {
  if (h === null) return "n/a";
  return Number.isFinite(h) ? String(Math.round(h)) : "∞";
}

/** The verdict as the thesis table says it. */
export const VERDICT_TEXT: Record<Verdict, string> = {
  predicts: "predicts",
  under: "underestimates",
  over: "overestimates",
};

/** A few names, the rest counted: `a, b and 3 more`. */
export function someNames(xs: string[], most = 3): string {
  if (xs.length <= most) return listWords(xs);
  return `${xs.slice(0, most - 1).join(", ")} and ${xs.length - most + 1} more`;
}

/** How a sentence names a task. */
const TASK_THE: Record<string, string> = { adding: "the adding problem", copy: "copy memory" };

const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

function taskSentence(h: TaskHeadline): string {
  const label = TASK_THE[h.task] ?? h.task;
  const Ts = h.lengths.length > 1 ? `${h.lengths[0]}–${h.lengths.at(-1)}` : `${h.lengths[0]}`;
  const range = h.lengths.length ? ` (T = ${Ts} ${h.searched ? "searched" : "tested"})` : "";
  const On = `On ${label}${range}`;
  if (h.best === 0) return `${On}, no cell solved any length.`;
  const n = h.bestCells.length;
  const s = h.bestCapped
    ? `${On}, ${someNames(h.bestCells)} ${verb(n, "solves", "solve")} the longest, T = ${h.best} ` +
      `(horizon ≥ ${h.best})`
    : `${On}, ${someNames(h.bestCells)} ${verb(n, "reaches", "reach")} T = ${h.best}`;
  const fails: string[] = [];
  const tanhNone = h.tanh !== null && h.tanh.median === 0;
  if (h.tanh && !tanhNone && h.tanh.median < h.best) {
    fails.push(`the tanh RNN stops at T = ${h.tanh.median}`);
  }
  const none = [...(tanhNone ? ["the tanh RNN"] : []), ...h.none.filter((c) => c !== "rnn_tanh")];
  if (none.length) fails.push(`${someNames(none)} ${verb(none.length, "solves", "solve")} none`);
  return `${s}${fails.length ? `; ${fails.join("; ")}` : ""}.`;
}

function costSentence(hs: TaskHeadline[]): string | null {
  const parts = hs.filter((h) => h.cost).map((h) =>
    `${h.cost!.cell}, ${h.cost!.steps} steps (${fmt(h.cost!.seconds)} s) at ${h.task} T = ${
      h.cost!.T
    }`
  );
  return parts.length ? `Fastest at the longest length solved: ${parts.join("; ")}.` : null;
}

function thesisSentence(d: FindingsData): string | null {
  if (d.pairs.length === 0) return null;
  const n = (v: Verdict) => d.pairs.filter((p) => p.verdict === v).length;
  return `The gradient horizon at initialisation predicts the memory horizon in ${
    n("predicts")
  } of ${d.pairs.length} cell–task pairs; it underestimates ${n("under")} (training ` +
    `lengthened the reach) and overestimates ${n("over")} (the gradient arrived, training did ` +
    `not use it).`;
}

/** The headline: one sentence per task, the thesis check, the cost. */
export function headlineSentences(d: FindingsData): string[] {
  if (d.horizons.length === 0) return ["No finished runs in these results yet."];
  const out = d.headline.map(taskSentence);
  const thesis = thesisSentence(d);
  out.push(
    thesis ?? "No runs with a gradient probe at initialisation: the gradient horizon is unknown.",
  );
  const cost = costSentence(d.headline);
  if (cost) out.push(cost);
  return out;
}

/** The thesis-check table: a row per cell–task pair. */
export function thesisTable(d: FindingsData): FindingsTable {
  const copy = d.copySource === "recall"
    ? " On copy memory the norms are the recall loss's (the last S positions)."
    : d.copySource === "mixed"
    ? " On copy memory the norms are the recall loss's where recorded."
    : "";
  return {
    caption: "Gradient horizon: the distance at which ‖dL/dh_t‖ falls below 10^-6 of the last " +
      "step's (fitted per-step factor, median over runs); it covers the tested lengths whose " +
      "needed distance (T, copy T + S) it reaches, and predicts when that is the memory " +
      `horizon (≥: the longest tested length was solved).${copy}`,
    columns: [
      "cell",
      "task",
      "memory horizon (T)",
      "factor per step at init",
      "gradient horizon at init (steps)",
      "covers (T)",
      "verdict",
      "gradient horizon after training (steps)",
      "covers the memory horizon after training",
    ],
    rows: d.pairs.map((p) => [
      p.cell,
      p.task,
      horizonT(p.memory),
      fmt(p.factorInit),
      stepsText(p.gradientInit),
      p.predicted > 0 ? String(p.predicted) : "none",
      VERDICT_TEXT[p.verdict],
      stepsText(p.gradientTrained),
      p.reachedAfterTraining === null ? "—" : p.reachedAfterTraining ? "yes" : "no",
    ]),
  };
}

/**
 * The suite's notes on searched series (their experiments' `source`), each once, naming the
 * series it speaks of: what a search's budget rule leaves out (say, a longer run at a length
 * the rule stopped at) belongs beside the horizon it qualifies.
 */
function horizonNotes(d: FindingsData): string {
  const by = new Map<string, string[]>();
  for (const h of d.horizons) {
    if (h.note) by.set(h.note, [...(by.get(h.note) ?? []), `${h.cell} (${TASK_LABEL[h.task]})`]);
  }
  return [...by].map(([note, who]) => ` Note on ${who.join(", ")}: ${note}`).join("");
}

/** The memory-horizon table: a row per series, a column per task. */
export function memoryTable(d: FindingsData): FindingsTable {
  const cells = [...new Set(d.horizons.map((h) => h.cell))];
  return {
    caption:
      `The longest T each cell solved within its step budget (${
        d.budgets.map((b) => `${TASK_LABEL[b.task]}: ${b.text}`).join(" · ")
      }), median over ${d.seeds} seed(s) [min–max]; ≥ where the longest tested length ${
        d.horizons.some((h) => h.searched) ? "(a search's top rung) " : ""
      }was solved, — where none was. Solved: the test metric passes ` +
      "the suite's threshold and still passes at the next evaluation." + horizonNotes(d),
    columns: [
      "cell",
      ...d.tasks.map((t) => {
        const hs = d.horizons.filter((h) => h.task === t);
        const Ts = [...new Set(hs.flatMap((h) => h.lengths))].sort((a, b) => a - b);
        return hs.every((h) => h.searched)
          ? `${TASK_LABEL[t]} (searched, T = ${Ts[0]}–${Ts.at(-1)})`
          : `${TASK_LABEL[t]} (T tested: ${Ts.join(", ")})`;
      }),
    ],
    rows: cells.map((c) => [
      c,
      ...d.tasks.map((t) => {
        const h = d.horizons.find((x) => x.task === t && x.cell === c);
        return h ? horizonText(h) : "not run";
      }),
    ]),
  };
}

/** How the literature table names a reference's metric. */
export const METRIC_TEXT: Record<LiteratureRow["reference"]["metric"], string> = {
  test_mse: "test MSE",
  test_loss: "test loss",
  test_accuracy: "accuracy",
};

/** `0.0123 [0.01–0.02]` over seeds; one value alone; `diverged (1 of 1)` with none. */
export function oursText(row: LiteratureRow): string {
  const o = row.ours;
  if (!o) return "not run";
  if (o.values.length === 0) {
    return Object.entries(o.lost).map(([s, n]) => `${s} (${n} of ${o.runs})`).join(", ");
  }
  const head = fmt(o.median);
  return o.values.length === 1 ? head : `${head} [${fmt(o.min)}–${fmt(o.max)}]`;
}

/** `yes: both fail`, `no: the paper's solves`, `—` where not run. */
export function agreeText(row: LiteratureRow): string {
  if (row.agree === null || !row.ours) return "—";
  if (row.agree) return row.publishedSolves ? "yes: both solve" : "yes: both fail";
  return row.publishedSolves
    ? "no: the paper's solves, ours fails"
    : "no: ours solves, the paper's fails";
}

/** The literature table: a row per published reference point (and configuration of ours). */
export function literatureTable(d: FindingsData): FindingsTable {
  const solved = d.literature.find((r) => r.ours)?.ours?.config.solved ??
    { mse: 0.01, accuracy: 0.99 };
  const copy = d.literature.find((r) => r.reference.task === "copy");
  const baseline = copy
    ? ` (${
      fmt(memorylessLoss("copy", copy.reference.T, copy.ours?.config.symbols ?? 10))
    } at copy T = ${copy.reference.T})`
    : "";
  return {
    caption: "Published results beside ours on the same task, length and cell: our value of the " +
      "paper's metric over the seeds of that configuration, median [min–max]. They agree when " +
      "both solve or both fail by the rule the headline chart's diamonds use: test MSE ≤ " +
      `${solved.mse}, accuracy ≥ ${solved.accuracy}, or a test loss under a tenth of the ` +
      `memoryless baseline${baseline}.`,
    columns: [
      "task",
      "T",
      "cell",
      "metric",
      "published",
      "source",
      "ours: median [min–max]",
      "seeds",
      "agree",
      "what differs (where they disagree)",
    ],
    rows: d.literature.map((r) => [
      r.reference.task,
      String(r.reference.T),
      r.reference.cell,
      METRIC_TEXT[r.reference.metric],
      fmt(r.reference.value),
      r.reference.source,
      oursText(r),
      r.ours ? String(r.ours.runs) : "—",
      agreeText(r),
      r.differs.join("; "),
    ]),
  };
}

/** The findings of findings data, in words. */
export function wordFindings(d: FindingsData): Findings {
  return {
    headline: headlineSentences(d),
    thesis: thesisTable(d),
    memory: memoryTable(d),
    literature: literatureTable(d),
  };
}

/** The findings of these records, in words. */
export function findings(records: ResultRecord[], opts: FindingsOptions = {}): Findings {
  return wordFindings(findingsData(records, opts));
}
