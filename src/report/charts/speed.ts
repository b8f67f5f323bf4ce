/**
 * Chart 5, speed: milliseconds per training step against T, one panel per cell, one line per
 * contender and backend (this project and the PyTorch peers side by side), error bars min–max;
 * plus the table of ratios (this project's time / the peer's, with bootstrap CI).
 *
 * Without a bench file the chart falls back to the median step times the training runs recorded
 * and says so; with neither it says there is nothing to show.
 *
 * @module
 */
import type { BenchFile, ResultRecord } from "../../results/schema.ts";
import {
  type Chart,
  fmt,
  groupBy,
  listWords,
  median,
  placeholderSpec,
  seriesOf,
  sig,
  sortCells,
} from "./_common.ts";
import { wrapSpec } from "./_skeleton.ts";

/** One timing point. */
export interface SpeedRow {
  cell: string;
  T: number;
  /** Contender and backend, e.g. `rnn-gradbench (tensorflow)`, `torch (cpu)`. */
  series: string;
  ms: number;
  ms_min: number;
  ms_max: number;
}

/** Train-step timings of a bench file. */
export function benchSpeedRows(bench: BenchFile): SpeedRow[] {
  return bench.entries
    .filter((e) =>
      e.what === "train_step" && e.cell !== null && e.T !== null && e.ms > 0 &&
      Number.isFinite(e.ms)
    )
    .map((e) => ({
      cell: e.cell!,
      T: e.T!,
      series: e.backend ? `${e.contender} (${e.backend})` : e.contender,
      ms: sig(e.ms),
      ms_min: sig(Number.isFinite(e.ms_min) && e.ms_min > 0 ? e.ms_min : e.ms),
      ms_max: sig(Number.isFinite(e.ms_max) && e.ms_max > 0 ? e.ms_max : e.ms),
    }));
}

/** Median step times the training runs recorded, per cell and T (over seeds). */
export function runSpeedRows(records: ResultRecord[]): SpeedRow[] {
  const rows: SpeedRow[] = [];
  const timed = records.filter((r) =>
    typeof r.timing.median_step_ms === "number" && r.timing.median_step_ms > 0
  );
  for (
    const rs of groupBy(timed, (r) => `${seriesOf(r.config)}|${r.config.T}|${r.env.backend}`)
      .values()
  ) {
    const ms = rs.map((r) => r.timing.median_step_ms!);
    rows.push({
      cell: seriesOf(rs[0].config),
      T: rs[0].config.T,
      series: `training runs (${rs[0].env.backend})`,
      ms: sig(median(ms)),
      ms_min: sig(Math.min(...ms)),
      ms_max: sig(Math.max(...ms)),
    });
  }
  return rows;
}

/** The ratio table: one row per cell and peer, one column per T; "ratio (CI low–high)". */
export function ratioTable(bench: BenchFile | null): Chart["table"] {
  if (!bench || bench.ratios.length === 0) return undefined;
  const Ts = [...new Set(bench.ratios.map((r) => r.T))].sort((a, b) => a - b);
  const rows: string[][] = [];
  const cells = sortCells(bench.ratios.map((r) => r.cell));
  const peers = [...new Set(bench.ratios.map((r) => r.peer))].sort();
  for (const cell of cells) {
    for (const peer of peers) {
      const here = bench.ratios.filter((r) => r.cell === cell && r.peer === peer);
      if (!here.length) continue;
      rows.push([
        cell,
        peer,
        ...Ts.map((T) => {
          const r = here.find((x) => x.T === T);
          return r ? `${fmt(r.ratio)}× (${fmt(r.ci_low)}–${fmt(r.ci_high)})` : "";
        }),
      ]);
    }
  }
  return {
    columns: ["cell", "peer", ...Ts.map((T) => `T = ${T}`)],
    rows,
    caption: "time of rnn-gradbench / time of the peer per training step (95% bootstrap CI)",
  };
}

/** The finding in words: the median ratio to each peer, in at most two sentences. */
export function speedCaption(bench: BenchFile | null, rows: SpeedRow[]): string {
  if (!bench) {
    return rows.length
      ? "No bench file found (run `deno task bench`): showing the median step times the " +
        "training runs recorded, without peers."
      : "No speed data: no bench file and no timed training runs.";
  }
  const out: string[] = [];
  for (const [peer, rs] of groupBy(bench.ratios, (r) => r.peer)) {
    const ratios = rs.map((r) => r.ratio).filter((x) => Number.isFinite(x) && x > 0);
    if (!ratios.length) continue;
    const range = `${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))}×`;
    out.push(
      out.length === 0
        ? `${fmt(median(ratios))}× ${peer}'s time (median over ${ratios.length} ` +
          `configuration(s), ${range})`
        : `${fmt(median(ratios))}× ${peer}'s (${range})`,
    );
  }
  const first = out.length
    ? `A training step of rnn-gradbench takes ${listWords(out)}.`
    : `The bench file has ${rows.length} train-step timing(s) and no peer ratios.`;
  const when = bench.env?.date
    ? ` Measured ${bench.env.date.slice(0, 10)} on ${bench.env.cpu}.`
    : "";
  return first + when;
}

/** Chart 5: ms per training step against T per cell and backend, peers alongside. */
export function speedChart(bench: BenchFile | null, records: ResultRecord[]): Chart {
  const title = "Speed: time per training step";
  const fromBench = bench ? benchSpeedRows(bench) : [];
  const rows = fromBench.length ? fromBench : runSpeedRows(records);
  const notes: string[] = [];
  if (!bench) {
    notes.push("No bench file in the bench folder: the speed comparison with peers is missing.");
  }
  const caption = speedCaption(bench, rows);
  if (rows.length === 0) {
    return {
      name: "speed",
      title,
      spec: placeholderSpec(title, "No speed data yet: run `deno task bench`."),
      caption,
      notes,
      table: ratioTable(bench),
    };
  }
  const cells = sortCells(rows.map((r) => r.cell));
  const series = [...new Set(rows.map((r) => r.series))].sort((a, b) =>
    (a.startsWith("rnn-gradbench") ? 0 : 1) - (b.startsWith("rnn-gradbench") ? 0 : 1) ||
    a.localeCompare(b)
  );
  const Ts = [...new Set(rows.map((r) => r.T))].sort((a, b) => a - b);
  const x = {
    field: "T",
    type: "quantitative",
    scale: { type: "log", nice: false, padding: 12 },
    axis: { values: Ts, format: "d", labelOverlap: false },
    title: "sequence length T (time steps)",
  };
  const color = {
    field: "series",
    type: "nominal",
    title: "contender (backend)",
    scale: { domain: series, scheme: "dark2" },
  };
  return {
    name: "speed",
    title,
    spec: wrapSpec(
      title,
      fromBench.length
        ? "median ms per step (forward + backward + update), bars min–max; log–log"
        : "no bench file: median step time recorded by the training runs; log–log",
      {
        data: { values: rows },
        facet: { field: "cell", type: "nominal", title: "cell", sort: cells },
        columns: 3,
        spec: {
          width: 220,
          height: 160,
          layer: [
            {
              mark: { type: "rule" },
              encoding: {
                x,
                y: { field: "ms_min", type: "quantitative", scale: { type: "log" } },
                y2: { field: "ms_max" },
                color,
              },
            },
            {
              mark: { type: "line", point: { filled: true, size: 35 } },
              encoding: {
                x,
                y: {
                  field: "ms",
                  type: "quantitative",
                  scale: { type: "log" },
                  title: "time per training step (ms, log)",
                },
                color,
                tooltip: [
                  { field: "series", type: "nominal", title: "contender" },
                  { field: "cell", type: "nominal" },
                  { field: "T", type: "quantitative", title: "T (steps)" },
                  { field: "ms", type: "quantitative", title: "ms/step (median)", format: ".3g" },
                  { field: "ms_min", type: "quantitative", title: "min ms", format: ".3g" },
                  { field: "ms_max", type: "quantitative", title: "max ms", format: ".3g" },
                ],
              },
            },
          ],
        },
      },
    ),
    caption,
    notes,
    table: ratioTable(bench),
  };
}
