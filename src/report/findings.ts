/**
 * The findings at the top of the report, from the records (pure): the memory-horizon table
 * (cell series × task: the longest T solved, median over seeds [min–max]), the decay table (per
 * series and task: the per-step factor of ‖dL/dh_t‖ at initialisation and after training, the
 * gradient horizon, the memory horizon), and sentences stating where the gradient horizon
 * predicts the memory horizon and where not.
 *
 * The prediction: a gradient that falls below 10^-6 of the last step's after h steps (at
 * initialisation) lets a cell learn the lengths whose needed distance — T for adding (the first
 * marker may sit at the start), T + S for copy (a symbol to its recall) — is at most h. It holds
 * for a series and task when the longest such tested length is the memory horizon (the median
 * seed's), both "none" included.
 *
 * @module
 */
import type { ResultRecord } from "../results/schema.ts";
import { fmt, groupBy, listWords, sortCells, TASK_LABEL } from "./charts/_common.ts";
import {
  type DecayRate,
  decayRates,
  type MemoryHorizon,
  memoryHorizons,
  predictedHorizon,
} from "./horizons.ts";

/** A table of strings (html.ts escapes and lays it out). */
export interface FindingsTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** What the findings section shows. */
export interface Findings {
  /** The thesis in sentences: where the gradient horizon predicts the memory horizon. */
  sentences: string[];
  memory: FindingsTable;
  decay: FindingsTable;
}

const TASKS = ["adding", "copy"] as const;

/** `200 [100–500]`; `—` for a horizon of 0 (nothing solved). */
export function horizonText(h: Pick<MemoryHorizon, "median" | "min" | "max">): string {
  const v = (x: number) => (x > 0 ? String(x) : "—");
  if (h.max === 0) return "—";
  return `${v(h.median)} [${v(h.min)}–${v(h.max)}]`;
}

function factorText(r: DecayRate | null): string {
  return r ? fmt(r.factor) : "n/a";
}

function horizonSteps(r: DecayRate | null): string {
  if (!r) return "n/a";
  return Number.isFinite(r.horizon) ? `${Math.round(r.horizon)}` : "∞ (no decay)";
}

/** The findings of these records. */
export function findings(records: ResultRecord[]): Findings {
  const memory = memoryHorizons(records);
  const decay = decayRates(records);
  const tasks = TASKS.filter((t) => memory.some((m) => m.task === t));
  const cells = sortCells(memory.map((m) => m.cell));
  const mem = (task: string, cell: string) =>
    memory.find((m) => m.task === task && m.cell === cell);
  const seeds = Math.max(0, ...memory.map((m) => m.seeds));
  const memoryTable: FindingsTable = {
    caption: `Memory horizon: the longest T each cell solved, median over ${seeds} seed(s) ` +
      `[min–max over seeds]; — when never solved. Solved: the test metric passes the suite's ` +
      `threshold and still passes at the next evaluation.`,
    columns: [
      "cell",
      ...tasks.map((t) =>
        `${TASK_LABEL[t]} (T tested: ${
          [...new Set(memory.filter((m) => m.task === t).flatMap((m) => m.lengths))]
            .sort((a, b) => a - b).join(", ")
        })`
      ),
    ],
    rows: cells.map((c) => [
      c,
      ...tasks.map((t) => {
        const m = mem(t, c);
        return m ? horizonText(m) : "not run";
      }),
    ]),
  };
  const copySources = new Set(decay.filter((d) => d.task === "copy").map((d) => d.source));
  const copyNote = copySources.size === 0
    ? ""
    : copySources.has("recall") && copySources.size === 1
    ? " On copy memory the norms are those of the recall loss alone (the last S positions)."
    : copySources.has("whole") && copySources.size === 1
    ? " On copy memory the norms are those of the whole loss (these records have no recall probe)."
    : " On copy memory the norms are the recall loss's where recorded, the whole loss's elsewhere.";
  const decayOrder = sortCells(decay.map((d) => d.cell));
  const decaySorted = [...decay].sort((a, b) =>
    decayOrder.indexOf(a.cell) - decayOrder.indexOf(b.cell) || a.task.localeCompare(b.task)
  );
  const decayTable: FindingsTable = {
    caption: "Decay rate: the per-step factor of ‖dL/dh_t‖ (10^slope of the fitted line of " +
      "log10 of the norm ratio against distance, median over runs) and the gradient horizon: " +
      "the distance at which the fitted ratio falls below 10^-6." + copyNote,
    columns: [
      "cell",
      "task",
      "factor per step at init",
      "after training",
      "gradient horizon at init (steps)",
      "after training (steps)",
      "memory horizon (T)",
    ],
    rows: decaySorted.map((d) => {
      const m = mem(d.task, d.cell);
      return [
        d.cell,
        TASK_LABEL[d.task] ?? d.task,
        factorText(d.init),
        factorText(d.trained),
        horizonSteps(d.init),
        horizonSteps(d.trained),
        m ? horizonText(m) : "not run",
      ];
    }),
  };
  return {
    sentences: thesis(records, memory, decay),
    memory: memoryTable,
    decay: decayTable,
  };
}

function thesis(
  records: ResultRecord[],
  memory: MemoryHorizon[],
  decay: ReturnType<typeof decayRates>,
): string[] {
  if (memory.length === 0) return ["No finished runs in these results yet."];
  const out: string[] = [];
  const holds: { task: string; cell: string }[] = [];
  const longer: string[] = [];
  const shorter: string[] = [];
  const symbols = records.find((r) => r.config.task === "copy")?.config.symbols ?? 10;
  const steps = (h: number) => (Number.isFinite(h) ? `~${Math.round(h)}` : "∞");
  const T = (x: number) => (x > 0 ? `T = ${x}` : "none");
  const order = sortCells(decay.map((d) => d.cell));
  const sorted = [...decay].sort((a, b) =>
    a.task.localeCompare(b.task) || order.indexOf(a.cell) - order.indexOf(b.cell)
  );
  // After training: does the trained gradient reach every length the cell solved? (A cell can
  // only learn a dependency its gradient carries; Bengio, Simard & Frasconi 1994.)
  let reached = 0;
  const unreached: string[] = [];
  for (const d of sorted) {
    const m = memory.find((x) => x.task === d.task && x.cell === d.cell);
    if (!m || !d.init) continue;
    const predicted = predictedHorizon(d.task, m.lengths, d.init.horizon, symbols);
    // One compact item per pair: what it solved, how far its gradient reached at
    // initialisation (and the longest tested length that reach covers).
    const item = `${d.cell} (${d.task}: solved ${T(m.median)}, ` +
      `gradient horizon ${steps(d.init.horizon)} steps covers ${T(predicted)}`;
    if (d.trained && m.median > 0) {
      const covered = predictedHorizon(d.task, m.lengths, d.trained.horizon, symbols);
      if (covered >= m.median) reached++;
      else {
        unreached.push(
          `${d.cell} (${d.task}: solved ${T(m.median)}, trained gradient horizon ` +
            `${steps(d.trained.horizon)} steps covers ${T(covered)})`,
        );
      }
    }
    if (predicted === m.median) holds.push({ task: d.task, cell: d.cell });
    else if (m.median > predicted) {
      const after = d.trained && d.trained.horizon > d.init.horizon
        ? `, ${steps(d.trained.horizon)} after training`
        : "";
      longer.push(`${item}${after})`);
    } else {
      shorter.push(`${item})`);
    }
  }
  const judged = holds.length + longer.length + shorter.length;
  if (judged === 0) {
    return ["No runs with a gradient probe at initialisation: the gradient horizon is unknown."];
  }
  if (holds.length) {
    const byTask = [...groupBy(holds, (h) => h.task)].map(([t, hs]) =>
      `${listWords(sortCells(hs.map((h) => h.cell)))} (${TASK_LABEL[t]})`
    );
    out.push(
      `The gradient horizon at initialisation predicts the memory horizon for ${holds.length} ` +
        `of ${judged} cell–task pairs: ${listWords(byTask)}.`,
    );
  } else {
    out.push(
      `The gradient horizon at initialisation predicts none of the ${judged} memory horizons.`,
    );
  }
  if (longer.length) {
    out.push(
      `It underestimates ${longer.length} — training lengthened the gradient's reach and the ` +
        `cell learned farther than it reached at initialisation: ${longer.join("; ")}.`,
    );
  }
  if (shorter.length) {
    out.push(
      `It overestimates ${shorter.length} — the gradient arrives but training did not use it ` +
        `within the step budget (a gradient that does not vanish is needed, not enough): ` +
        `${shorter.join("; ")}.`,
    );
  }
  const solvedJudged = reached + unreached.length;
  if (solvedJudged) {
    out.push(
      `After training, the gradient reaches every length the cell solved in ${reached} of ` +
        `${solvedJudged} cell–task pairs that solved one` +
        (unreached.length ? `; not in ${unreached.join("; ")}.` : "."),
    );
  }
  return out;
}
