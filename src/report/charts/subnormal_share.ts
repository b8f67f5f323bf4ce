/**
 * Chart 4, subnormal share: the fraction of dL/dh_t's components that are float32 subnormals
 * (and, in the tooltip, exact zeros) against distance, one line per cell (mean over seeds), at
 * the longest T of each task, by checkpoint. Subnormals are where gradients are about to
 * underflow and where CPUs slow down (see the `torch-denormal` bench contender).
 *
 * @module
 */
import type { ResultRecord } from "../../results/schema.ts";
import {
  cellColor,
  type Chart,
  groupBy,
  listWords,
  mean,
  sampleDistances,
  seriesOf,
  sig,
  sortCells,
  TASK_LABEL,
  type VlSpec,
} from "./_common.ts";
import { taskChart } from "./_skeleton.ts";

/** One point: shares at a distance, averaged over seeds. */
export interface SubnormalRow {
  task: string;
  T: number;
  cell: string;
  checkpoint: "initialisation" | "trained";
  distance: number;
  subnormal: number;
  zero: number;
  seeds: number;
}

/** Shares per distance at the longest T of each task. */
export function subnormalRows(records: ResultRecord[]): SubnormalRow[] {
  const maxT = new Map<string, number>();
  for (const r of records) {
    if (r.probes.length) {
      maxT.set(r.config.task, Math.max(maxT.get(r.config.task) ?? 0, r.config.T));
    }
  }
  const acc = new Map<
    string,
    {
      row: Omit<SubnormalRow, "subnormal" | "zero" | "seeds" | "distance">;
      by: Map<number, { s: number[]; z: number[] }>;
    }
  >();
  for (const r of records) {
    if (r.config.T !== maxT.get(r.config.task)) continue;
    const picks: { checkpoint: SubnormalRow["checkpoint"]; p: ResultRecord["probes"][number] }[] =
      [];
    const init = r.probes.find((p) => p.step === 0);
    if (init) picks.push({ checkpoint: "initialisation", p: init });
    const last = r.probes.at(-1);
    if (r.status === "ok" && last && last.step > 0) picks.push({ checkpoint: "trained", p: last });
    for (const { checkpoint, p } of picks) {
      const len = p.subnormal_fraction.length;
      const key = `${r.config.task}|${seriesOf(r.config)}|${checkpoint}`;
      let a = acc.get(key);
      if (!a) {
        a = {
          row: { task: r.config.task, T: r.config.T, cell: seriesOf(r.config), checkpoint },
          by: new Map(),
        };
        acc.set(key, a);
      }
      for (const d of sampleDistances(len)) {
        const s = p.subnormal_fraction[len - 1 - d];
        const z = p.zero_fraction[len - 1 - d];
        if (typeof s !== "number" || !Number.isFinite(s)) continue;
        const e = a.by.get(d) ?? { s: [], z: [] };
        e.s.push(s);
        e.z.push(typeof z === "number" && Number.isFinite(z) ? z : 0);
        a.by.set(d, e);
      }
    }
  }
  const rows: SubnormalRow[] = [];
  for (const { row, by } of acc.values()) {
    for (const [distance, e] of [...by].sort((x, y) => x[0] - y[0])) {
      rows.push({
        ...row,
        distance,
        subnormal: sig(mean(e.s)),
        zero: sig(mean(e.z)),
        seeds: e.s.length,
      });
    }
  }
  return rows;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** The finding in words: the worst subnormal share, and how many cells pass 1% anywhere. */
export function subnormalCaption(rows: SubnormalRow[]): string {
  if (rows.length === 0) return "No gradient probes in these results.";
  const worst = rows.reduce((a, b) => (b.subnormal > a.subnormal ? b : a));
  if (worst.subnormal === 0) {
    return "No probe found subnormal gradient components: at these lengths the gradients " +
      "stay above float32's smallest normal number (1.2·10^-38) or vanish to exact zeros.";
  }
  const touched = sortCells(
    [...groupBy(rows.filter((r) => r.subnormal > 0.01), (r) => r.cell).keys()],
  );
  const cells = new Set(rows.map((r) => r.cell)).size;
  return `The largest subnormal share is ${pct(worst.subnormal)} of dL/dh_t's components, ` +
    `for ${worst.cell} at distance ${worst.distance} (${TASK_LABEL[worst.task] ?? worst.task}, ` +
    `T = ${worst.T}, ${worst.checkpoint}). ${touched.length} of ${cells} cells pass 1% somewhere` +
    (touched.length
      ? ` (${listWords(touched.slice(0, 3))}${touched.length > 3 ? ", …" : ""}).`
      : ".");
}

function taskSpec(rows: SubnormalRow[], task: string, cells: string[]): VlSpec {
  const T = rows[0]?.T;
  return {
    title: { text: `${TASK_LABEL[task] ?? task}, T = ${T}`, anchor: "start", fontSize: 13 },
    data: { values: rows },
    facet: {
      column: {
        field: "checkpoint",
        type: "nominal",
        title: "checkpoint",
        sort: ["initialisation", "trained"],
      },
    },
    spec: {
      width: 300,
      height: 150,
      mark: { type: "line", strokeWidth: 1.5, interpolate: "step-after" },
      encoding: {
        x: { field: "distance", type: "quantitative", title: "distance T−1−t (time steps)" },
        y: {
          field: "subnormal",
          type: "quantitative",
          title: "subnormal share of components (%)",
          axis: { format: "%" },
          scale: { domain: [0, 1] },
        },
        color: cellColor(cells),
        tooltip: [
          { field: "cell", type: "nominal" },
          { field: "checkpoint", type: "nominal" },
          { field: "distance", type: "quantitative", title: "distance (steps)" },
          { field: "subnormal", type: "quantitative", title: "subnormal share", format: ".1%" },
          { field: "zero", type: "quantitative", title: "zero share", format: ".1%" },
          { field: "seeds", type: "quantitative" },
        ],
      },
    },
  };
}

/** Chart: subnormal share of the gradient against distance, per cell, one block per task. */
export function subnormalShareChart(records: ResultRecord[]): Chart {
  const rows = subnormalRows(records);
  const cells = sortCells(rows.map((r) => r.cell));
  return taskChart({
    name: "subnormal_share",
    title: "Subnormal share of the gradient",
    subtitle: "share of dL/dh_t components below float32's smallest normal (1.2·10^-38), " +
      "mean over seeds, at each task's longest T",
    caption: subnormalCaption(rows),
    notes: [],
    rows,
    empty: "No gradient probes in these results yet.",
    layout: "vconcat",
    panel: (task, rs) => taskSpec(rs, task, cells),
  });
}
