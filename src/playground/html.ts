/**
 * `playground.html`: one self-contained page that works from `file://` with no network. It
 * inlines vega, vega-lite and vega-embed (as the report does), the page script, the training
 * worker's source (JSON in a `<script type="application/json">`, started from a Blob URL) and
 * the wasm backend's binary (base64, handed to the worker as bytes).
 *
 * @module
 */
import { escapeHtml, inlineScript, jsonForScript, type Libraries } from "../report/html.ts";
import { cellChoices, DEFAULTS, LIMITS } from "./params.ts";

/** Everything the page inlines. */
export interface PlaygroundAssets {
  libs: Libraries;
  /** The bundled page script (`page.ts`). */
  pageJs: string;
  /** The bundled worker (`worker.ts`). */
  workerJs: string;
  /** The wasm backend's SIMD binary, base64 (null: the page offers the cpu backend only). */
  wasmBase64: string | null;
  /** The registry's base cell names (each is offered as `NAME+attn` too). */
  cells: readonly string[];
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #222; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5em 2em 4em; }
h1 { font-size: 1.7em; margin: 0 0 .2em; }
.sub { color: #555; margin: 0 0 1em; }
nav a { margin-right: 1em; }
#controls { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .4em 1em;
  background: #f7f7f7; border: 1px solid #ddd; padding: .8em 1em; margin: 1em 0 .6em; }
label { display: flex; flex-direction: column; font-size: .85em; color: #444; }
input, select { font: inherit; font-size: 1.05em; padding: .15em .3em; }
input:disabled { color: #aaa; }
.buttons { display: flex; gap: .5em; align-items: center; flex-wrap: wrap; margin: .4em 0; }
button { font: inherit; padding: .25em 1em; cursor: pointer; }
.status { font-variant-numeric: tabular-nums; color: #333; margin: .3em 0; }
.status b { font-weight: 600; }
#error { color: #8a1f11; background: #fdecea; border-left: 4px solid #c0392b; padding: .5em .9em; }
.caption { background: #f4f7fb; border-left: 4px solid #4c78a8; padding: .6em .9em;
  margin: .6em 0; min-height: 1.5em; }
.charts { display: grid; grid-template-columns: auto auto; justify-content: start; gap: .5em 2em; }
#chart-decay { grid-row: span 2; }
@media (max-width: 1100px) { .charts { grid-template-columns: auto; } #chart-decay { grid-row: auto; } }
.chart { overflow-x: auto; min-height: 120px; }
.link { font-size: .85em; color: #555; word-break: break-all; }
.notes { color: #555; font-size: .9em; }
`;

function select(name: string, label: string, options: readonly string[], help: string): string {
  const opts = options.map((o) => `<option value="${escapeHtml(o)}">${escapeHtml(o)}</option>`)
    .join("");
  return `<label title="${escapeHtml(help)}">${escapeHtml(label)}<select id="in-${name}">${opts}` +
    `</select></label>`;
}

function text(name: string, label: string, help: string): string {
  return `<label title="${escapeHtml(help)}">${escapeHtml(label)}<input id="in-${name}" ` +
    `type="text" inputmode="decimal" autocomplete="off" spellcheck="false"></label>`;
}

const range = (k: keyof typeof LIMITS) => `${LIMITS[k][0]}…${LIMITS[k][1]}`;

/** The controls: one per URL parameter except `autorun`. */
function controls(cells: readonly string[]): string {
  return [
    select("task", "task", ["adding", "copy"], "adding problem or copy memory"),
    select(
      "cell",
      "cell",
      cellChoices(cells),
      "the recurrent cell; +attn adds the attention readout",
    ),
    text("layers", "layers", `stacked recurrent layers, ${range("layers")}`),
    text("T", "T (sequence length)", `the task's length T, ${range("T")}`),
    text("H", "H (hidden size)", `hidden units, ${range("H")}`),
    text("batch", "batch", `sequences per step, ${range("batch")}`),
    text("lr", "lr (Adam)", "Adam's learning rate, in (0, 1]"),
    text("clip", "clip (global norm)", "clip gradients to this global norm, or off"),
    text("seed", "seed", "the seed of the weights and the data"),
    text("symbols", "symbols (copy)", `symbols to recall, ${range("symbols")}`),
    select("backend", "backend", ["auto", "wasm", "cpu"], "auto: wasm, else cpu"),
    text("steps", "stop after (steps)", "empty: train until paused"),
    text("every", "report every (steps)", "probe and evaluate every this many steps"),
  ].join("\n");
}

/** Renders the page (pure: no I/O). */
export function renderPlaygroundHtml(a: PlaygroundAssets): string {
  const config = { cells: [...a.cells] };
  const tanh = "?cell=rnn_tanh&T=40&autorun=1&steps=500";
  const lstm = "?cell=lstm&T=40&autorun=1&steps=500";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rnn-gradbench playground: watch gradients vanish</title>
<style>${STYLE}</style>
</head>
<body data-state="loading">
<main>
<h1>Playground: watch gradients vanish</h1>
<p class="sub">Pick a cell and a length, press train, and watch how much of the loss's gradient
reaches the early steps, ‖dL/dh<sub>t</sub>‖ against the distance from the end, as the network
learns. It runs the project's own engine and seeded data in your browser (a Web Worker); same
setting and seed, same curve as <code>deno task train</code> on the same backend.</p>
<nav><a href="index.html">← Report</a> Try: <a href="${escapeHtml(tanh)}">tanh RNN, T = 40,
500 steps</a> against <a href="${escapeHtml(lstm)}">LSTM, T = 40, 500 steps</a></nav>
<form id="controls" onsubmit="return false">
${controls(a.cells)}
</form>
<div class="buttons">
<button id="btn-train" type="button">train</button>
<button id="btn-pause" type="button">pause</button>
<button id="btn-step" type="button">step</button>
<button id="btn-reset" type="button">reset</button>
<span class="status">step <b id="step">0</b> · <b id="speed">–</b> steps/s · backend
<b id="backend">loading…</b> · <span id="state">loading</span> · final loss
<b id="final-loss"></b></span>
</div>
<p id="error" role="alert" hidden></p>
<div class="charts">
<div class="chart" id="chart-decay"></div>
<div class="chart" id="chart-loss"></div>
<div class="chart" id="chart-metric"></div>
</div>
<p class="caption" id="finding">Building the network at initialisation…</p>
<p class="link">Link to this setting: <a id="link" href="?">playground.html</a><br>The same
run in Deno (same backend, same losses): <code id="train-command">…</code></p>
<p class="notes">Why it vanishes: the gradient reaching step t is a product of one Jacobian
∂h<sub>k+1</sub>/∂h<sub>k</sub> per later step, so it shrinks (or grows) geometrically with the
distance (Bengio, Simard &amp; Frasconi 1994; Pascanu, Mikolov &amp; Bengio 2013). Gated cells
(LSTM, GRU) and identity-like recurrences (IRNN, IndRNN) keep that product near 1 for longer; the
attention readout adds a path of length one from every step to the output. Clipping (Pascanu et
al. 2013) bounds exploding steps and does nothing for vanishing ones. Defaults: ${
    escapeHtml(`${DEFAULTS.cell}, T = ${DEFAULTS.T}, H = ${DEFAULTS.H}, batch ${DEFAULTS.batch}`)
  }, Adam lr ${DEFAULTS.lr}, clip ${DEFAULTS.clip}, seed ${DEFAULTS.seed}. Every control is also a
URL parameter; <code>autorun=1</code> starts training on load and <code>steps=N</code> stops after
N steps.</p>
</main>
<script type="application/json" id="playground-config">${jsonForScript(config)}</script>
<script type="application/json" id="worker-src">${jsonForScript(a.workerJs)}</script>
<script type="application/octet-stream" id="wasm-b64">${a.wasmBase64 ?? ""}</script>
<script>${inlineScript(a.libs.vega)}</script>
<script>${inlineScript(a.libs.vegaLite)}</script>
<script>${inlineScript(a.libs.vegaEmbed)}</script>
<script>${inlineScript(a.pageJs)}</script>
</body>
</html>
`;
}
