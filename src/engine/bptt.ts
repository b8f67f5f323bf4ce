/**
 * The BPTT driver: forward over T steps through a stack of layers and backpropagation through
 * time by hand (micrograd style: each cell's backward step sits beside its forward step in
 * `cells/`), written once against {@link Ops} and so run by every executor.
 *
 * What it owns, for every cell:
 * - the input projection xp = X W_x + b, one matmul per chunk of steps (not per step);
 * - the batch split into `parts` independent row blocks (each an independent chain through time
 *   and through the layers, so that the graph executor runs them side by side on TensorFlow's
 *   inter-op threads: a 64×128×512 matmul does not split across cores by itself);
 * - the stacking: layer k ≥ 1 runs over layer k−1's states (docs/cells.md, "Stacked layers"), and
 *   its input gradient Σ dxp_t W_xᵀ is the direct gradient of the layer below;
 * - the readout on the top layer (`heads.ts`), whose backward gives the *direct* dL/dh_t, to
 *   which the backward recurrence adds the gradient through step t+1 — that sum is the total
 *   dL/dh_t the gradient probe reports, for every layer;
 * - the weight gradients, one matmul each per chunk of stacked steps (the executor's `chunk`:
 *   short chunks let the graph executor overlap them with the backward recurrence).
 *
 * No host reads anywhere here.
 *
 * @module
 */
import { matrixParamGrads } from "./cells/_common.ts";
import type { Cell, CellConfig, Stacked, State } from "./cells/types.ts";
import { headLoss, type HeadSpec, prepareTargets, readout } from "./heads.ts";
import type { Ops, TensorMap } from "./ops.ts";
import { layerParamName } from "./param_names.ts";

/**
 * The one description of a network on a batch shape, shared by both executors: the cell's math
 * (handed over by the caller, so no executor looks a cell up by name), its constants, the stack,
 * the readout and every parameter's shape (static shapes).
 */
export interface NetSpec {
  cell: Cell;
  cfg: CellConfig;
  layers: number;
  inputSize: number;
  /** Task, attention, batch B, steps T, hidden H and output width O of the readout. */
  head: HeadSpec;
  /** Independent row blocks of the batch (B must be a multiple); 1 on the eager executor. */
  parts: number;
  /** Every parameter's shape by its model name: the cell's layer by layer, then the readout's. */
  shapes: Record<string, number[]>;
}

/** A network's description for a batch shape [B, T, …] in `parts` row blocks. */
export type NetOf = (batchShape: readonly number[], parts: number) => NetSpec;

/** What a pass computes besides the loss. */
export interface PassOptions {
  /** Per-step weights of the copy loss (the recall loss of the probe); default: the mean. */
  stepWeights?: readonly number[];
}

/** A training pass: the loss, every parameter's gradient, and every layer's total dL/dh_t. */
export interface Pass<T> {
  loss: T;
  /** dL/dparam by the model's parameter names. */
  grads: TensorMap<T>;
  /**
   * Per layer (bottom first), dL/dh_t stacked time-major [T, B, H]. Built on demand (a graph
   * executor computes it only when fetched; the eager executor keeps the per-step gradients
   * only for layers asked for).
   */
  dh: (layer: number) => T;
}

/** Layer `k`'s cell parameters under their docs/cells.md names. */
function layerParams<T>(p: TensorMap<T>, layers: number, k: number, cell: Cell): TensorMap<T> {
  if (layers === 1) return p;
  const out: TensorMap<T> = {};
  for (const name of cell.paramNames) out[name] = p[layerParamName(layers, k, name)];
  return out;
}

/** Layer `k`'s weights as its steps use them, and how their gradients map back (if they do). */
interface LayerWeights<T> {
  weights: TensorMap<T>;
  backward?(g: TensorMap<T>): TensorMap<T>;
}

/** Every layer's weights, formed once per pass (the cell's `weights` hook, where it has one). */
function layerWeightsOf<T>(o: Ops<T>, s: NetSpec, p: TensorMap<T>): LayerWeights<T>[] {
  const cell = s.cell;
  return Array.from({ length: s.layers }, (_, k) => {
    const lp = layerParams(p, s.layers, k, cell);
    return cell.weights ? cell.weights(o, lp, s.cfg) : { weights: lp };
  });
}

function chunksOf(T: number, chunk: number): [number, number][] {
  const size = Math.min(T, chunk);
  const out: [number, number][] = [];
  for (let a = 0; a < T; a += size) out.push([a, Math.min(T, a + size)]);
  return out;
}

/** Caches a function of a small integer key. */
function memo<R>(f: (i: number) => R): (i: number) => R {
  const m = new Map<number, R>();
  return (i) => {
    if (!m.has(i)) m.set(i, f(i));
    return m.get(i)!;
  };
}

/** One layer's input: the stacked rows of a chunk [n·Bp, In]. */
interface LayerInput<T> {
  rows(c: number): T;
}

/** One layer of one batch part after its forward pass. */
interface LayerRun<T> {
  input: LayerInput<T>;
  /** states[0] is the zero state, states[t+1] the state after step t. */
  states: State<T>[];
  saved: T[][];
}

/** The forward pass of every part and layer; `keep` false frees the backward data as it goes. */
function forward<T>(
  o: Ops<T>,
  s: NetSpec,
  p: TensorMap<T>,
  x: T,
  keep: boolean,
): { runs: LayerRun<T>[][]; chunks: [number, number][]; Bp: number; lw: LayerWeights<T>[] } {
  const cell = s.cell, L = s.layers, P = s.parts;
  const lw = layerWeightsOf(o, s, p);
  const { B, T, H } = s.head;
  if (!(P >= 1 && B % P === 0)) throw new Error(`batch ${B} does not split into ${P} parts`);
  const Bp = B / P, I = s.inputSize;
  const chunks = chunksOf(T, o.chunk);
  const xT = o.transpose(x, [1, 0, 2]); // [T, B, I]
  const xParts = P > 1 ? o.split(xT, new Array(P).fill(Bp), 1) : [xT];
  const sizes = chunks.map(([a, b]) => b - a);
  const runs: LayerRun<T>[][] = xParts.map((xq) => {
    const byChunks = memo(() => chunks.length > 1 ? o.split(xq, sizes, 0) : [xq]);
    const bottom: LayerInput<T> = {
      rows: memo((c) => o.reshape(byChunks(0)[c], [sizes[c] * Bp, I])),
    };
    const layers: LayerRun<T>[] = [];
    for (let k = 0; k < L; k++) {
      const below = layers[k - 1];
      const input: LayerInput<T> = k === 0 ? bottom : {
        rows: memo((c) => {
          const [a, b] = chunks[c];
          return o.reshape(o.stack(below.states.slice(a + 1, b + 1).map((st) => st.h)), [
            (b - a) * Bp,
            H,
          ]);
        }),
      };
      layers.push(runLayer(o, cell, s.cfg, lw[k].weights, input, chunks, Bp, keep));
    }
    return layers;
  });
  return { runs, chunks, Bp, lw };
}

function runLayer<T>(
  o: Ops<T>,
  cell: Cell,
  cfg: CellConfig,
  p: TensorMap<T>,
  input: LayerInput<T>,
  chunks: [number, number][],
  Bp: number,
  keep: boolean,
): LayerRun<T> {
  const H = cfg.hidden;
  const zero = o.zeros([Bp, H]);
  const states: State<T>[] = [cell.hasCellState ? { h: zero, c: zero } : { h: zero }];
  const saved: T[][] = [];
  chunks.forEach(([a, b], c) => {
    const n = b - a;
    // The projection's bias is the cell's `b` where its steps use one (modReLU's is not).
    const proj = o.matMul(input.rows(c), p.W_x);
    const xp = o.reshape(p.b ? o.add(proj, p.b) : proj, [n, Bp, -1]);
    const pieces = cell.stepInputs
      ? cell.stepInputs(o, xp, n, cfg)
      : o.unstack(xp, n).map((t) => [t]);
    o.dispose([xp]);
    for (let t = a; t < b; t++) {
      const xs = pieces[t - a];
      const step = o.scope(() =>
        cell.forward(
          o,
          { xp: xs },
          states[t],
          p,
          cfg,
        )
      );
      o.dispose(xs);
      states.push(step.state);
      if (keep) saved.push(step.saved);
      else {
        o.dispose(step.saved);
        if (t > 0) o.dispose([states[t].c]); // c_{t-1} is not needed without a backward pass
      }
    }
  });
  return { input, states, saved };
}

/** The top layer's state h_t over the whole batch. */
function topStates<T>(o: Ops<T>, runs: LayerRun<T>[][]): (t: number) => T {
  const top = runs.map((layers) => layers[layers.length - 1]);
  return top.length === 1
    ? (t) => top[0].states[t + 1].h
    : memo((t) => o.concat(top.map((r) => r.states[t + 1].h), 0));
}

/** The head's output on `x` (adding ŷ [B, 1]; copy logits rows [T·B, O]); inference only. */
export function predictOut<T>(o: Ops<T>, s: NetSpec, p: TensorMap<T>, x: T): T {
  const { runs } = forward(o, s, p, x, false);
  return readout(o, s.head, topStates(o, runs), p).out;
}

/**
 * The loss of the network on a batch and its gradients by BPTT. `x` [B, T, I]; `y`: adding [B]
 * or [B, 1] float32, copy [B, T] int32 class indices. With `probe`, every layer's total dL/dh_t
 * is kept for {@link Pass.dh} (eager; the graph executor always can).
 */
export function lossAndGradsOf<T>(
  o: Ops<T>,
  s: NetSpec,
  p: TensorMap<T>,
  x: T,
  y: T,
  opts: PassOptions & { probe?: boolean } = {},
): Pass<T> {
  const cell = s.cell, L = s.layers, P = s.parts;
  const { T, H } = s.head;
  const { runs, chunks, Bp, lw } = forward(o, s, p, x, true);

  // Readout and loss; its backward gives the direct dL/dh_t of the top layer and the readout's
  // gradients.
  const head = readout(o, s.head, topStates(o, runs), p);
  const { loss, dout } = headLoss(
    o,
    s.head,
    head.out,
    prepareTargets(o, s.head, y),
    opts.stepWeights,
  );
  const hb = head.backward(dout);
  const directOf = memo((t) => {
    const d = hb.direct(t);
    return d && P > 1 ? o.split(d, new Array(P).fill(Bp), 0) : d ? [d] : null;
  });

  const gradLists: Record<string, T[]> = {};
  const addGrad = (name: string, g: T) => (gradLists[name] ??= []).push(g);
  const dhs: T[][][] = runs.map(() => []); // [part][layer][t]
  runs.forEach((layers, q) => {
    let direct: (t: number) => T | null = (t) => directOf(t)?.[q] ?? null;
    for (let k = L - 1; k >= 0; k--) {
      const run = layers[k], lp = lw[k].weights;
      const back = backwardLayer(o, cell, s.cfg, lp, run, direct, T, opts.probe ?? false);
      dhs[q][k] = back.dh;
      const below: T[] = new Array(T);
      chunks.forEach(([a, b], c) => {
        const n = b - a;
        const rows = (ts: T[]) => o.reshape(o.stack(ts), [n * Bp, -1]);
        let dx: T | undefined, drec: T | undefined, hPrev: T | undefined;
        const stacked: Stacked<T> = {
          get x() {
            return run.input.rows(c);
          },
          get dx() {
            return dx ??= rows(back.dx.slice(a, b));
          },
          get drec() {
            return drec ??= back.drec[a] ? rows(back.drec.slice(a, b)) : this.dx;
          },
          get hPrev() {
            return hPrev ??= rows(run.states.slice(a, b).map((st) => st.h));
          },
        };
        const g = (cell.paramGrads ?? matrixParamGrads)(o, stacked, lp);
        for (const [name, t] of Object.entries(g)) addGrad(layerParamName(L, k, name), t);
        if (k > 0) {
          // dL/dh_t of the layer below through this layer's input projection: dxp_t W_xᵀ.
          const dIn = o.reshape(o.matMul(stacked.dx, lp.W_x, false, true), [n, Bp, H]);
          o.unstack(dIn, n).forEach((d, i) => below[a + i] = d);
          o.dispose([dIn]);
        }
        o.dispose([dx, drec, hPrev, ...back.dx.slice(a, b), ...back.drec.slice(a, b)]);
      });
      o.dispose(run.saved.flat());
      direct = (t) => below[t] ?? null;
    }
  });
  for (const [name, g] of Object.entries(hb.grads)) addGrad(name, g);
  const grads: TensorMap<T> = {};
  for (const [name, list] of Object.entries(gradLists)) {
    grads[name] = list.length === 1 ? list[0] : o.addN(list);
    if (list.length > 1) o.dispose(list);
  }
  // Weights formed from parameters: their summed gradients chained back to the parameters'.
  lw.forEach(({ weights, backward }, k) => {
    if (!backward) return;
    const full = (name: string) => layerParamName(L, k, name);
    const g: TensorMap<T> = {};
    for (const name of Object.keys(weights)) {
      g[name] = grads[full(name)];
      delete grads[full(name)];
    }
    for (const [name, t] of Object.entries(backward(g))) grads[full(name)] = t;
  });
  const dh = memo((k) => {
    const at = (t: number) => P > 1 ? o.concat(dhs.map((layers) => layers[k][t]), 0) : dhs[0][k][t];
    return o.stack(Array.from({ length: T }, (_, t) => at(t)));
  });
  return { loss, grads, dh };
}

/** The backward recurrence of one layer of one part, from step T−1 down to 0. */
function backwardLayer<T>(
  o: Ops<T>,
  cell: Cell,
  cfg: CellConfig,
  p: TensorMap<T>,
  run: LayerRun<T>,
  direct: (t: number) => T | null,
  T: number,
  keepDh: boolean,
): { dh: T[]; dx: T[]; drec: T[] } {
  const dh: T[] = new Array(T), dx: T[] = new Array(T), drec: T[] = new Array(T);
  let next: T | null = null;
  let dcNext: T | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const d = direct(t);
    const r = o.scope(() => {
      // dh_t = direct_t + dL/dh_t through step t+1.
      const total = d && next ? o.add(d, next) : (d ?? next)!;
      const out = cell.backward(
        o,
        total,
        dcNext,
        run.states[t],
        run.states[t + 1],
        run.saved[t],
        p,
        cfg,
        t === 0,
      );
      return { total, ...out };
    });
    // Free what step t no longer needs, so memory stays at the stacked essentials.
    o.dispose(run.saved[t]);
    const spent = [dcNext, next !== r.total ? next : null, d !== r.total ? d : null];
    o.dispose(spent);
    if (keepDh) dh[t] = r.total;
    else o.dispose([r.total]);
    dx[t] = r.dx;
    if (r.drec) drec[t] = r.drec;
    next = r.dhPrev;
    dcNext = r.dcPrev;
  }
  return { dh, dx, drec };
}
