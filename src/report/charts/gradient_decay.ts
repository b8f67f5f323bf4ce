/**
 * Chart 1, gradient decay: ‖dL/dh_t‖ / ‖dL/dh_{len−1}‖ against the distance d = len−1−t, log
 * y, one line per cell (median over seeds, min–max band), faceted by T and by checkpoint
 * (initialisation = the probe at step 0; trained = the last probe of a run that finished ok).
 *
 * Ratios that are 0, null or not finite cannot sit on a log scale: they are dropped and counted
 * in the chart's notes (a 0 means the gradient underflowed float32).
 *
 * On copy memory the curves use a probe's `recall_norms` (the recall loss alone) when recorded,
 * else the whole loss's norms; the caption says which. Stacked cells with per-layer norms
 * (`layer_norms`) get a layer selector (counted from the top layer, which is shown first).
 *
 * @module
 */
import type { ResultRecord } from "../../results/schema.ts";
import { type NormSource, probeNorms } from "../horizons.ts";
import {
  cellColor,
  type Chart,
  median,
  pow10,
  sampleDistances,
  seriesOf,
  sig,
  sortCells,
  TASK_LABEL,
  type VlSpec,
} from "./_common.ts";
import { taskChart } from "./_skeleton.ts";

/** One point of a decay curve, aggregated over seeds. */
export interface DecayRow {
  task: string;
  T: number;
  cell: string;
  checkpoint: "initialisation" | "trained";
  /** The layer, counted from the top: `top`, `top − 1`, … */
  layer: string;
  /** The training step the probe ran at (for `trained`, the largest over seeds). */
  step: number;
  distance: number;
  median: number;
  min: number;
  max: number;
  seeds: number;
}

/** Decay rows plus what had to be dropped. */
export interface DecayData {
  rows: DecayRow[];
  /** Ratios dropped because they were 0 (underflow), null or not finite. */
  dropped: number;
  /** Probes dropped whole because their last step's norm was 0 or missing. */
  droppedProbes: number;
  /** Which gradient the copy curves show: the recall loss's, the whole loss's, or both. */
  copySource: NormSource | "mixed" | null;
}

/** The layer label of the layer `fromTop` below the top one. */
export function layerLabel(fromTop: number): string {
  return fromTop === 0 ? "top" : `top − ${fromTop}`;
}

/** The probes of a run that the chart uses, by checkpoint and layer. */
function checkpoints(r: ResultRecord) {
  const out: {
    checkpoint: DecayRow["checkpoint"];
    step: number;
    fromTop: number;
    norms: (number | null)[];
    source: NormSource;
  }[] = [];
  const add = (checkpoint: DecayRow["checkpoint"], p: ResultRecord["probes"][number]) => {
    const layers = Math.max(1, p.layer_norms?.length ?? 1);
    for (let k = 0; k < layers; k++) {
      const n = probeNorms(r, p, k);
      if (n) out.push({ checkpoint, step: p.step, fromTop: k, ...n });
    }
  };
  const init = r.probes.find((p) => p.step === 0);
  if (init) add("initialisation", init);
  const last = r.probes.at(-1);
  if (r.status === "ok" && last && last.step > 0) add("trained", last);
  return out;
}

/** Normalised, sampled, seed-aggregated decay curves of `records`. */
export function gradientDecayData(records: ResultRecord[]): DecayData {
  let dropped = 0;
  let droppedProbes = 0;
  const copySources = new Set<NormSource>();
  // key → distance → ratios over seeds
  const acc = new Map<
    string,
    {
      base: Omit<DecayRow, "distance" | "median" | "min" | "max" | "seeds">;
      by: Map<number, number[]>;
    }
  >();
  for (const r of records) {
    for (const cp of checkpoints(r)) {
      const len = cp.norms.length;
      const last = cp.norms[len - 1];
      if (len === 0 || typeof last !== "number" || !(last > 0) || !Number.isFinite(last)) {
        droppedProbes++;
        continue;
      }
      if (r.config.task === "copy" && cp.fromTop === 0) copySources.add(cp.source);
      const layer = layerLabel(cp.fromTop);
      const key = `${r.config.task}|${r.config.T}|${seriesOf(r.config)}|${cp.checkpoint}|${layer}`;
      let a = acc.get(key);
      if (!a) {
        a = {
          base: {
            task: r.config.task,
            T: r.config.T,
            cell: seriesOf(r.config),
            checkpoint: cp.checkpoint,
            layer,
            step: cp.step,
          },
          by: new Map(),
        };
        acc.set(key, a);
      }
      a.base.step = Math.max(a.base.step, cp.step);
      for (const d of sampleDistances(len)) {
        const v = cp.norms[len - 1 - d];
        const ratio = typeof v === "number" ? v / last : NaN;
        if (!(ratio > 0) || !Number.isFinite(ratio)) {
          dropped++;
          continue;
        }
        const list = a.by.get(d);
        if (list) list.push(ratio);
        else a.by.set(d, [ratio]);
      }
    }
  }
  const rows: DecayRow[] = [];
  for (const { base, by } of acc.values()) {
    for (const [d, ratios] of [...by].sort((x, y) => x[0] - y[0])) {
      rows.push({
        ...base,
        distance: d,
        median: sig(median(ratios)),
        min: sig(Math.min(...ratios)),
        max: sig(Math.max(...ratios)),
        seeds: ratios.length,
      });
    }
  }
  const copySource = copySources.size === 0
    ? null
    : copySources.size > 1
    ? "mixed"
    : [...copySources][0];
  return { rows, dropped, droppedProbes, copySource };
}

/** The distance the caption speaks about: 100, or the longest one every task length reaches. */
function captionDistance(rows: DecayRow[]): number {
  const longest = Math.max(...rows.map((r) => r.distance));
  return longest >= 100 ? 100 : longest;
}

/**
 * The finding in words, at most two sentences: at distance D (100, or the longest the records
 * reach) on the adding problem's length where the most cells reach it, the fastest and slowest
 * decaying cell at initialisation and the range after training; which copy gradient is shown.
 */
export function gradientDecayCaption(data: DecayData): string {
  const rows = data.rows.filter((r) => r.layer === "top");
  if (rows.length === 0) return "No gradient probes in these results.";
  const D = captionDistance(rows);
  const tasks = [...new Set(rows.map((r) => r.task))];
  const task = tasks.includes("adding") ? "adding" : tasks[0];
  const at = (checkpoint: "initialisation" | "trained") => {
    const here = rows.filter((r) => r.task === task && r.checkpoint === checkpoint);
    // The length with the most cells among those reaching D (the shortest of those): a search's
    // bisection rung, run by one cell, is no place to compare cells. A cell without a row at D
    // there has underflowed to 0 before it (zeros leave the log scale).
    const reach = new Set(here.filter((r) => r.distance >= D).map((r) => r.T));
    const cellsAt = new Map<number, Set<string>>();
    for (const r of here.filter((r) => reach.has(r.T))) {
      cellsAt.set(r.T, (cellsAt.get(r.T) ?? new Set()).add(r.cell));
    }
    if (cellsAt.size === 0) return null;
    const [T] = [...cellsAt].sort((a, b) => b[1].size - a[1].size || a[0] - b[0])[0];
    const parts = sortCells([...cellsAt.get(T)!]).map((cell) => {
      const row = here.find((r) => r.T === T && r.cell === cell && r.distance === D);
      return { cell, v: row ? row.median : 0 };
    }).sort((a, b) => a.v - b.v);
    return { T, lo: parts[0], hi: parts.at(-1)! };
  };
  const v = (x: number) => (x === 0 ? "0" : pow10(x));
  const init = at("initialisation"), trained = at("trained");
  const clauses: string[] = [];
  if (init) {
    const on = task === "adding" ? "the adding problem" : "copy memory";
    clauses.push(
      `At initialisation, ${D} steps back on ${on} (T = ${init.T}), the gradient is ` +
        `${v(init.lo.v)} of the last step's for ${init.lo.cell}` +
        (init.lo.cell === init.hi.cell
          ? ""
          : ` (fastest decay) and ${v(init.hi.v)} for ${init.hi.cell} (slowest)`),
    );
  }
  if (trained) {
    const lo = `${v(trained.lo.v)} for ${trained.lo.cell}${
      trained.lo.v === 0 ? " (underflow)" : ""
    }`;
    clauses.push(
      trained.lo.cell === trained.hi.cell
        ? `after training ${lo}`
        : `after training it ranges from ${lo} to ${v(trained.hi.v)} for ${trained.hi.cell}`,
    );
  }
  const first = clauses.length
    ? `${clauses.join("; ")} (medians over seeds).`
    : `No probe reaches ${D} steps back.`;
  const copy = data.copySource
    ? " " + {
      recall: "On copy memory the curves are the recall loss's gradient (the last S positions).",
      whole: "On copy memory the curves are the whole loss's gradient (no recall probe).",
      mixed: "On copy memory the curves are the recall loss's gradient where recorded.",
    }[data.copySource]
    : "";
  return first + copy;
}

/** The name of the layer selector's parameter. */
const LAYER_PARAM = "layer_pick";

function taskSpec(rows: DecayRow[], task: string, cells: string[], layered: boolean): VlSpec {
  return {
    title: { text: TASK_LABEL[task] ?? task, anchor: "start", fontSize: 13 },
    data: { values: rows },
    ...(layered ? { transform: [{ filter: `datum.layer === ${LAYER_PARAM}` }] } : {}),
    facet: {
      row: {
        field: "checkpoint",
        type: "nominal",
        title: "checkpoint",
        sort: ["initialisation", "trained"],
      },
      column: { field: "T", type: "ordinal", title: "sequence length T (steps)" },
    },
    spec: {
      width: 170,
      height: 140,
      layer: [
        {
          mark: { type: "line", strokeWidth: 1.6, point: false },
          encoding: {
            x: {
              field: "distance",
              type: "quantitative",
              title: "distance T−1−t (time steps)",
            },
            y: {
              field: "median",
              type: "quantitative",
              scale: { type: "log" },
              title: "norm ratio to last step (log)",
              axis: { format: "~e" },
            },
            color: {
              ...cellColor(cells),
              legend: { symbolType: "stroke", symbolStrokeWidth: 2.5, symbolOpacity: 1 },
            },
            tooltip: [
              { field: "cell", type: "nominal" },
              { field: "T", type: "quantitative", title: "T (steps)" },
              { field: "checkpoint", type: "nominal" },
              { field: "layer", type: "nominal", title: "layer (from the top)" },
              { field: "step", type: "quantitative", title: "probe at step" },
              { field: "distance", type: "quantitative", title: "distance (steps)" },
              { field: "median", type: "quantitative", title: "ratio (median)", format: ".3e" },
              { field: "min", type: "quantitative", title: "ratio (min)", format: ".3e" },
              { field: "max", type: "quantitative", title: "ratio (max)", format: ".3e" },
              { field: "seeds", type: "quantitative" },
            ],
          },
        },
        {
          mark: { type: "area", fillOpacity: 0.18 },
          encoding: {
            x: { field: "distance", type: "quantitative" },
            y: { field: "min", type: "quantitative", scale: { type: "log" } },
            y2: { field: "max" },
            color: cellColor(cells),
          },
        },
      ],
    },
    resolve: { scale: { x: "independent" } },
  };
}

/** Chart 1: gradient decay with distance, per cell, faceted by T and checkpoint. */
export function gradientDecayChart(records: ResultRecord[]): Chart {
  const title = "Gradient decay with distance";
  const data = gradientDecayData(records);
  const notes: string[] = [];
  if (data.dropped > 0) {
    notes.push(
      `${data.dropped} sampled ratio(s) were 0 (underflow), null or not finite and are left ` +
        `off the log scale.`,
    );
  }
  if (data.droppedProbes > 0) {
    notes.push(
      `${data.droppedProbes} probe(s) had a last-step norm of 0 or none and were left out.`,
    );
  }
  const cells = sortCells(data.rows.map((r) => r.cell));
  const layers = [...new Set(data.rows.map((r) => r.layer))].sort((a, b) =>
    (a === "top" ? 0 : Number(a.split("− ")[1])) - (b === "top" ? 0 : Number(b.split("− ")[1]))
  );
  const layered = layers.length > 1;
  const chart = taskChart({
    name: "gradient_decay",
    title,
    subtitle: "‖dL/dh_t‖ / ‖dL/dh_(T−1)‖ against distance; line: median over seeds, band: min–max",
    caption: gradientDecayCaption(data),
    notes,
    rows: data.rows,
    empty: "No gradient probes in these results yet.",
    layout: "vconcat",
    panel: (task, rs) => taskSpec(rs, task, cells, layered),
  });
  if (layered && data.rows.length) {
    chart.spec.params = [{
      name: LAYER_PARAM,
      value: "top",
      bind: { input: "select", options: layers, name: "layer (from the top) " },
    }];
  }
  return chart;
}
