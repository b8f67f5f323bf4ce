/**
 * How much memory a run needs, estimated from its config before any tensor exists, so sizes that
 * cannot fit (`--hidden 100000000`) are refused with one line instead of failing deep inside
 * TensorFlow after the data is generated.
 *
 * The estimate counts the largest tensors, in float32 (4 bytes):
 * - parameters with their gradients and Adam's two moments (4 copies): per layer
 *   G·H·(I + H + 1), plus the attention query H² and the readout;
 * - a training step's activations, kept by the forward pass for BPTT and mirrored by the
 *   backward pass: B · len · (G + 1) · H per layer, twice;
 * - an evaluation chunk's forward activations (at most 256 test sequences at once);
 * - the test set and one training batch on the host.
 *
 * G is the cell's gate count (`gates` in its registry entry: LSTM 4, GRU 3, minGRU 2, the plain
 * cells 1). It is an estimate of
 * the order of magnitude, not an accounting: the cap leaves room for what it leaves out.
 *
 * @module
 */
import { CELLS } from "../engine/cells/mod.ts";
import type { RunConfig } from "../results/schema.ts";

/** The most memory one run may be estimated to need: 16 GiB. */
export const MAX_RUN_BYTES = 16 * 2 ** 30;

/** The evaluation chunk of the trainer (test sequences evaluated at once). */
const EVAL_CHUNK = 256;

/** Gate blocks of a cell's recurrence (`+attn` is the base cell's), from the cell registry. */
export function cellGates(cell: string): number {
  const base = cell.replace(/\+attn$/, "");
  return Object.hasOwn(CELLS, base) ? CELLS[base as keyof typeof CELLS].gates : 1;
}

/** The estimate, in bytes, by part. */
export interface RunMemory {
  params: number;
  activations: number;
  evaluation: number;
  data: number;
  total: number;
}

/** Estimated bytes one run needs (see the module comment for what is counted). */
export function estimateRunMemory(c: RunConfig): RunMemory {
  const F = 4;
  const len = c.task === "copy" ? c.T + 2 * (c.symbols ?? 10) : c.T;
  const input = c.task === "copy" ? 10 : 2;
  const output = c.task === "copy" ? 10 : 1;
  const layers = c.layers ?? 1;
  const G = cellGates(c.cell);
  const H = c.hidden;
  const attention = c.cell.endsWith("+attn");
  let weights = 0;
  for (let l = 0; l < layers; l++) weights += G * H * ((l === 0 ? input : H) + H + 1);
  if (attention) weights += H * H;
  weights += (attention ? 2 * H : H) * output + output;
  const params = 4 * weights * F;
  const perSequence = len * (G + 1) * H * layers * F;
  const activations = 2 * c.batch * perSequence;
  const evaluation = Math.min(c.testSize, EVAL_CHUNK) * perSequence;
  const data = (c.testSize + c.batch) * len * (input + 1) * F;
  return {
    params,
    activations,
    evaluation,
    data,
    total: params + activations + evaluation + data,
  };
}

/** Bytes for people: `512 MiB`, `3.2 GiB`, `1.6·10^17 bytes`. */
export function formatBytes(n: number): string {
  if (n < 2 ** 20) return `${Math.ceil(n / 1024)} KiB`;
  if (n < 2 ** 30) return `${(n / 2 ** 20).toFixed(0)} MiB`;
  if (n < 2 ** 40) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  return `${n.toExponential(1).replace("e+", "·10^")} bytes`;
}

/**
 * Why a run cannot fit (one line naming its sizes and the largest part), or null when it fits
 * under `cap` (default {@link MAX_RUN_BYTES}).
 */
export function memoryProblem(c: RunConfig, cap = MAX_RUN_BYTES): string | null {
  const m = estimateRunMemory(c);
  if (m.total <= cap) return null;
  const largest = (["params", "activations", "evaluation", "data"] as const)
    .map((k) => [k, m[k]] as const).sort((a, b) => b[1] - a[1])[0];
  const what = {
    params: "parameters with gradients and Adam state",
    activations: "a training step's activations",
    evaluation: "an evaluation chunk's activations",
    data: "the test set",
  }[largest[0]];
  return `${c.cell} with hidden ${c.hidden}, batch ${c.batch}, T ${c.T}${
    (c.layers ?? 1) > 1 ? `, ${c.layers} layers` : ""
  }, test size ${c.testSize} would need about ${formatBytes(m.total)} (${what}: ${
    formatBytes(largest[1])
  }), more than the ${formatBytes(cap)} a run may use; lower the sizes`;
}
