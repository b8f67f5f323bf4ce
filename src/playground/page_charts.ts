/**
 * The page's live charts: embeds the three Vega-Lite specs once per setting with vega-embed
 * (inlined in the page) and replaces their named data sets as training reports come in.
 *
 * @module
 */
/// <reference lib="dom" />
import {
  type DecayRow,
  layerDecayRows,
  type LossRow,
  type MetricRow,
  playgroundCharts,
} from "./charts.ts";

/** The part of a vega View used here. */
interface VegaView {
  data(name: string, values: unknown[]): VegaView;
  runAsync(): Promise<VegaView>;
  finalize(): void;
}

declare const vegaEmbed: (
  el: HTMLElement,
  spec: unknown,
  opts: Record<string, unknown>,
) => Promise<{ view: VegaView }>;

/** vega's log level that reports errors and hides warnings. */
const VEGA_LOG_ERROR = 1;

/** Most loss points kept: beyond it every other point is dropped (the chart stays fast). */
const MAX_LOSS_POINTS = 3000;

/** What a chart panel is set up for. */
export interface PanelSetting {
  cell: string;
  task: "adding" | "copy";
  seqLength: number;
  baseline: number;
  /** Stacked recurrent layers (the decay chart draws one line per layer). */
  layers?: number;
}

/** The three charts of one setting and the data they show. */
export class ChartPanel {
  #views: Promise<Map<string, VegaView>>;
  #init: DecayRow[] = [];
  #now: DecayRow[] = [];
  #loss: LossRow[] = [];
  #metric: MetricRow[] = [];
  #logMetric: boolean;
  #lossStride = 1;
  #sinceKept = 0;
  /** Points left out of the decay chart (0 or non-finite ratios: underflow). */
  dropped = 0;

  /** Embeds the charts into `#chart-decay`, `#chart-loss`, `#chart-metric`. */
  constructor(s: PanelSetting) {
    this.#logMetric = s.task === "adding";
    this.#views = Promise.all(
      playgroundCharts(s).map(async (c) => {
        const el = document.getElementById(`chart-${c.name}`)!;
        el.textContent = "";
        const { view } = await vegaEmbed(el, c.spec, {
          actions: false,
          renderer: "svg",
          // Warnings only: "infinite extent" while a data set is still empty.
          logLevel: VEGA_LOG_ERROR,
        });
        return [c.name, view] as const;
      }),
    ).then((pairs) => new Map(pairs));
  }

  /** Sets the initialisation probe (step 0); `layerNorms`: every layer's, bottom first. */
  setInitial(norms: number[], layerNorms?: number[][]): void {
    const r = layerDecayRows(norms, layerNorms, "initialisation", 0);
    this.#init = r.rows;
    this.dropped = r.dropped;
  }

  /** Sets the latest probe (shown as `now` once training has started). */
  setNow(norms: number[], step: number, layerNorms?: number[][]): void {
    if (step === 0) return;
    const r = layerDecayRows(norms, layerNorms, "now", step);
    this.#now = r.rows;
    this.dropped = r.dropped;
  }

  /** Appends training losses (non-finite ones cannot be drawn on a log axis). */
  addLosses(rows: LossRow[]): void {
    for (const r of rows) {
      if (!(r.loss > 0) || !Number.isFinite(r.loss)) continue;
      if (++this.#sinceKept < this.#lossStride) continue;
      this.#sinceKept = 0;
      this.#loss.push(r);
    }
    if (this.#loss.length > MAX_LOSS_POINTS) {
      this.#loss = this.#loss.filter((_, i) => i % 2 === 0);
      this.#lossStride *= 2;
    }
  }

  /** Appends a test-metric point (adding's MSE sits on a log axis: 0 cannot be drawn). */
  addMetric(row: MetricRow): void {
    if (Number.isFinite(row.value) && (row.value > 0 || !this.#logMetric)) this.#metric.push(row);
  }

  /** Pushes the current data into the charts and re-renders them. */
  async render(): Promise<void> {
    const views = await this.#views;
    await Promise.all([
      views.get("decay")!.data("decay", [...this.#init, ...this.#now]).runAsync(),
      views.get("loss")!.data("loss", this.#loss).runAsync(),
      views.get("metric")!.data("metric", this.#metric).runAsync(),
    ]);
  }

  /** Drawn marks per chart (what a browser test checks). */
  marks(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of ["decay", "loss", "metric"]) {
      out[name] = document.querySelectorAll(`#chart-${name} svg .role-mark > *`).length;
    }
    return out;
  }

  /** Frees the views. */
  async dispose(): Promise<void> {
    for (const v of (await this.#views).values()) v.finalize();
  }
}
