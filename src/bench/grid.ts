/**
 * The bench grid: which cells, lengths and backends are timed, how many steps each, and the
 * bench names (`<cell> T=<T>`) that tie this project's timings to the peers'.
 *
 * @module
 */
import { CELL_NAMES, isCellName } from "../engine/mod.ts";

/** Batch size and hidden size of every timed step (the peers use the same). */
export const BENCH_B = 64;
export const BENCH_H = 128;

/**
 * A bench cell: a cell name, with `×L` for a stack of L layers (`lstm×2`), so that stacked
 * models are timed against PyTorch's `num_layers=L` and Keras's stacked layers.
 */
export function benchCell(cell: string, layers = 1): string {
  return layers > 1 ? `${cell}×${layers}` : cell;
}

/** Reads a {@link benchCell} back: the cell name and the layer count. */
export function parseBenchCell(name: string): { cell: string; layers: number } {
  const m = /^(.*)×(\d+)$/.exec(name);
  return m ? { cell: m[1], layers: Number(m[2]) } : { cell: name, layers: 1 };
}

/** Every cell the engine has, then each with the attention readout, then 2-layer LSTM and GRU. */
export const ALL_BENCH_CELLS: readonly string[] = [
  ...CELL_NAMES,
  ...CELL_NAMES.map((c) => `${c}+attn`),
  benchCell("lstm", 2),
  benchCell("gru", 2),
];
/** The lengths of the full grid. */
export const FULL_LENGTHS: readonly number[] = [50, 200, 1000];
/** The `--quick` grid: finishes in ≤ 2 minutes with both peers on 2 cores. */
export const QUICK_CELLS: readonly string[] = ["rnn_tanh", "lstm", "gru"];
export const QUICK_LENGTHS: readonly number[] = [50, 200];
/** The shorter grid of the slower backends (wasm, cpu). */
export const SHORT_CELLS: readonly string[] = ["rnn_tanh", "lstm", "gru"];
export const SHORT_LENGTHS: readonly number[] = [50];

/**
 * The configurations of the speed target: LSTM, GRU, the tanh RNN, two stacked LSTM layers and
 * LSTM with the attention readout, minGRU and expRNN (Lezcano-Casado & Martínez-Rubio 2019),
 * each against PyTorch; those whose cell the engine's registry lacks are left out.
 */
const SPEED_WANTED: readonly string[] = [
  "lstm",
  "gru",
  "rnn_tanh",
  benchCell("lstm", 2),
  "lstm+attn",
  "mingru",
  "exprnn",
];

/** The bench cells of {@link SPEED_WANTED} the registry has, in that order. */
export function speedCells(): string[] {
  return SPEED_WANTED.filter((c) => isCellName(parseBenchCell(c).cell));
}

/** A named bench setting (`deno task bench --preset NAME`); flags given beside it win. */
export interface BenchPreset {
  /** One line for `--help`. */
  description: string;
  cells: string[];
  lengths: number[];
  peers: string[];
  /** Time the gradient probe too. */
  probe: boolean;
  /** Time dataset generation and report building too. */
  extras: boolean;
}

/** The presets, by name. */
export const PRESETS: Readonly<Record<string, BenchPreset>> = {
  speed: {
    description: "the speed target's configurations (lstm, gru, rnn_tanh, lstm×2, lstm+attn, " +
      "mingru, exprnn where the engine has it) × T ∈ {50, 200, 1000} against PyTorch and Keras, " +
      "with the GEMM peak and the verdict; no probe or extras",
    get cells() {
      return speedCells();
    },
    lengths: [...FULL_LENGTHS],
    peers: ["torch", "keras"],
    probe: false,
    extras: false,
  },
};

/** Timed steps and warm-up steps per configuration, by length (fewer for long sequences). */
export function stepsFor(T: number, quick = false): { n: number; warmup: number } {
  if (T <= 50) return quick ? { n: 10, warmup: 2 } : { n: 20, warmup: 3 };
  if (T <= 200) return quick ? { n: 5, warmup: 1 } : { n: 10, warmup: 2 };
  return quick ? { n: 3, warmup: 1 } : { n: 5, warmup: 1 };
}

/** The bench name of one training step: `<cell> T=<T>`. */
export function stepName(cell: string, T: number): string {
  return `${cell} T=${T}`;
}

/** The bench name of one gradient probe: `probe <cell> T=<T>`. */
export function probeName(cell: string, T: number): string {
  return `probe ${cell} T=${T}`;
}

/** Reads `[probe ]<cell> T=<T>` back; null for other names. */
export function parseStepName(
  name: string,
): { what: "train_step" | "probe"; cell: string; T: number } | null {
  const m = /^(probe )?([a-z_]+(?:\+attn)?(?:×\d+)?) T=(\d+)$/.exec(name.trim());
  if (!m) return null;
  return { what: m[1] ? "probe" : "train_step", cell: m[2], T: Number(m[3]) };
}

/**
 * Whether a bench name passes `--filter`, with `deno bench`'s rule: `/re/` is a regular
 * expression, anything else a substring.
 */
export function matchesFilter(name: string, filter: string | undefined): boolean {
  if (!filter) return true;
  if (filter.length > 2 && filter.startsWith("/") && filter.endsWith("/")) {
    return new RegExp(filter.slice(1, -1)).test(name);
  }
  return name.includes(filter);
}
