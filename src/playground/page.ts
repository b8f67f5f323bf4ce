/**
 * The playground page's script (bundled and inlined into `playground.html`): reads the setting
 * from the URL, starts the training worker from the page's inlined source (a Blob URL, so it
 * works from `file://`), wires the controls, and draws what the worker reports.
 *
 * Test contract: `#step` shows the step count while training; a run with `steps=N` ends with
 * `document.body.dataset.state = "done"` and the final training loss in `#final-loss`; a bad
 * URL parameter puts one line in `#error` and nothing trains. `document.body.dataset.firstChart`
 * holds the milliseconds from navigation to the first drawn gradient-decay curve.
 *
 * @module
 */
/// <reference lib="dom" />
import { findingText } from "./finding.ts";
import { ChartPanel } from "./page_charts.ts";
import {
  PARAM_NAMES,
  ParamError,
  parseSettings,
  type Settings,
  settingsQuery,
  trainCommand,
} from "./params.ts";
import type { FromWorker, Progress, ToWorker } from "./protocol.ts";
import type { ProbeSnapshot } from "./session.ts";

/** What the build writes into `#playground-config`. */
interface PageConfig {
  cells: string[];
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function setState(state: string): void {
  document.body.dataset.state = state;
  $("state").textContent = state;
}

function showError(message: string): void {
  $("error").textContent = message;
  $("error").hidden = false;
}

function clearError(): void {
  $("error").textContent = "";
  $("error").hidden = true;
}

function decodeBase64(b64: string): ArrayBuffer {
  const bin = atob(b64.trim());
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

/** The form's values as a query string (what {@link parseSettings} validates). */
function formQuery(): string {
  const q: string[] = [];
  for (const name of PARAM_NAMES) {
    const el = document.getElementById(`in-${name}`) as HTMLInputElement | null;
    if (!el || el.disabled) continue;
    const v = el.value.trim();
    if (v !== "") q.push(`${name}=${encodeURIComponent(v)}`);
  }
  return q.join("&");
}

function fillForm(s: Settings): void {
  for (const name of PARAM_NAMES) {
    const el = document.getElementById(`in-${name}`) as HTMLInputElement | null;
    if (!el) continue;
    const v = s[name];
    el.value = v === null ? (name === "clip" ? "off" : "") : String(v);
  }
  syncSymbols();
}

/** `symbols` only means something for the copy task. */
function syncSymbols(): void {
  ($("in-symbols") as HTMLInputElement).disabled = ($("in-task") as HTMLSelectElement).value !==
    "copy";
}

class Playground {
  #cells: string[];
  #settings: Settings;
  #worker: Worker | null = null;
  #panel: ChartPanel | null = null;
  #initNorms: number[] = [];
  #lastLoss: number | null = null;
  #baseline = NaN;
  #configuring = false;
  #firstChart = false;
  #trainWhenReady = false;
  #backend: string | null = null;

  constructor(cells: string[], settings: Settings) {
    this.#cells = cells;
    this.#settings = settings;
  }

  /** Starts the worker on the backend asked for and builds the first session. */
  start(): void {
    const source = JSON.parse($("worker-src").textContent!) as string;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    this.#worker = new Worker(url);
    this.#worker.onmessage = (e: MessageEvent<FromWorker>) => this.#onMessage(e.data);
    this.#worker.onerror = (e) => {
      showError(`the training worker failed: ${e.message}`);
      setState("error");
    };
    const b64 = $("wasm-b64").textContent ?? "";
    const wasm = b64.trim() ? decodeBase64(b64) : null;
    this.#send({ type: "init", backend: this.#settings.backend, wasm }, wasm ? [wasm] : []);
    this.#configure();
    this.#trainWhenReady = this.#settings.autorun;
  }

  #send(m: ToWorker, transfer: Transferable[] = []): void {
    this.#worker!.postMessage(m, transfer);
  }

  #configure(): void {
    const s = this.#settings;
    this.#configuring = true;
    this.#lastLoss = null;
    $("final-loss").textContent = "";
    $("step").textContent = "0";
    setState("loading");
    this.#send({
      type: "configure",
      settings: {
        task: s.task,
        cell: s.cell,
        layers: s.layers,
        T: s.T,
        H: s.H,
        batch: s.batch,
        lr: s.lr,
        clip: s.clip,
        seed: s.seed,
        symbols: s.symbols,
      },
      every: s.every,
    });
    const link = $("link") as HTMLAnchorElement;
    link.href = `?${settingsQuery({ ...s, autorun: true })}`;
    link.textContent = `playground.html${link.getAttribute("href")}`;
    this.#showCommand();
  }

  /** The `deno task train` line that trains the same run (once the backend is known). */
  #showCommand(): void {
    const cmd = this.#backend ? trainCommand(this.#settings, this.#backend) : null;
    $("train-command").textContent = cmd ??
      "(this setting's clipping or copy symbols differ from the quick suite's: no flag for them)";
  }

  /** Applies the form: a new setting starts over at step 0 (a new backend reloads the page). */
  apply(): void {
    let next: Settings;
    try {
      next = parseSettings(formQuery(), this.#cells);
    } catch (e) {
      if (!(e instanceof ParamError)) throw e;
      showError(e.message);
      return;
    }
    clearError();
    if (this.#worker && next.backend !== this.#settings.backend) {
      location.search = settingsQuery(next);
      return;
    }
    this.#settings = { ...next, autorun: false };
    if (!this.#worker) this.start();
    else this.#configure();
  }

  train(): void {
    if (!this.#worker) {
      this.apply();
      if (this.#worker) this.#trainWhenReady = true;
      return;
    }
    if (this.#configuring) {
      this.#trainWhenReady = true;
      return;
    }
    const step = Number($("step").textContent);
    const until = this.#settings.steps !== null && step < this.#settings.steps
      ? this.#settings.steps
      : null;
    setState("training");
    this.#send({ type: "run", until });
  }

  pause(): void {
    this.#worker && this.#send({ type: "pause" });
  }

  stepOnce(): void {
    if (this.#worker && !this.#configuring) this.#send({ type: "step" });
  }

  reset(): void {
    if (this.#worker) this.#configure();
  }

  #onMessage(m: FromWorker): void {
    switch (m.type) {
      case "ready":
        $("backend").textContent = m.backend + (m.note ? ` (${m.note})` : "");
        this.#backend = m.backend;
        this.#showCommand();
        return;
      case "configured":
        this.#configuring = false;
        this.#baseline = m.baseline;
        this.#initNorms = m.probe.norms;
        void this.#panel?.dispose();
        this.#panel = new ChartPanel({
          cell: this.#settings.cell,
          task: this.#settings.task,
          seqLength: m.seqLength,
          baseline: m.baseline,
          layers: this.#settings.layers,
        });
        this.#panel.setInitial(m.probe.norms, m.probe.layerNorms);
        this.#show(m);
        setState("ready");
        if (this.#trainWhenReady) {
          this.#trainWhenReady = false;
          this.train();
        }
        return;
      case "progress":
        if (!this.#configuring) this.#show(m);
        return;
      case "paused":
        if (!this.#configuring) setState("paused");
        return;
      case "done":
        if (this.#configuring) return;
        $("final-loss").textContent = String(m.finalLoss);
        setState("done");
        return;
      case "diverged":
        if (this.#configuring) return;
        showError(`diverged at step ${m.step}: ${m.reason}`);
        setState("diverged");
        return;
      case "error":
        showError(m.message);
        setState("error");
        return;
    }
  }

  #show(p: Progress): void {
    const panel = this.#panel!;
    const last = p.steps.at(-1);
    if (last) this.#lastLoss = last.loss;
    $("step").textContent = String(p.probe.step);
    if (p.stepsPerSecond !== null) $("speed").textContent = p.stepsPerSecond.toFixed(1);
    panel.addLosses(p.steps.map((r) => ({ step: r.step, loss: r.loss })));
    const metric = this.#settings.task === "adding" ? p.eval.mse ?? p.eval.loss : p.eval.accuracy;
    panel.addMetric({ step: p.eval.step, value: metric });
    panel.setNow(p.probe.norms, p.probe.step, p.probe.layerNorms);
    this.#say(p.probe, p);
    void panel.render().then(() => {
      if (!this.#firstChart && panel.marks().decay > 0) {
        this.#firstChart = true;
        document.body.dataset.firstChart = String(Math.round(performance.now()));
      }
    });
  }

  #say(probe: ProbeSnapshot, p: Progress): void {
    const s = this.#settings;
    const dropped = this.#panel!.dropped;
    $("finding").textContent = findingText({
      cell: s.cell,
      task: s.task,
      step: probe.step,
      norms: probe.norms,
      initNorms: this.#initNorms,
      trainLoss: this.#lastLoss,
      baseline: this.#baseline,
      test: { mse: p.eval.mse, accuracy: p.eval.accuracy },
      clipping: s.clip !== null,
    }) + (dropped ? ` (${dropped} distances underflowed to 0 and are not drawn.)` : "");
  }
}

function main(): void {
  const config = JSON.parse($("playground-config").textContent!) as PageConfig;
  let settings: Settings;
  let bad: string | null = null;
  try {
    settings = parseSettings(location.search, config.cells);
  } catch (e) {
    if (!(e instanceof ParamError)) throw e;
    bad = e.message;
    settings = parseSettings("", config.cells);
  }
  fillForm(settings);
  const pg = new Playground(config.cells, settings);
  for (const name of PARAM_NAMES) {
    document.getElementById(`in-${name}`)?.addEventListener("change", () => {
      syncSymbols();
      pg.apply();
    });
  }
  $("btn-train").addEventListener("click", () => pg.train());
  $("btn-pause").addEventListener("click", () => pg.pause());
  $("btn-step").addEventListener("click", () => pg.stepOnce());
  $("btn-reset").addEventListener("click", () => pg.reset());
  if (bad !== null) {
    showError(bad);
    setState("error");
    return;
  }
  pg.start();
}

main();
