/**
 * The peers: the same training step in PyTorch (`peers/torch/train_step.py`, run twice —
 * subnormals flushed, the fair peer, and PyTorch's default that keeps them) and in Keras 3 on
 * TensorFlow (`peers/keras/train_step.py`). Each prints one JSON record per line; this module
 * checks that a peer's package imports, runs it, and parses its records into
 * {@link Measurement}s.
 *
 * PyTorch runs its own layers (`nn.RNN`, `nn.LSTM`, `nn.GRU`) and, for minGRU and expRNN, plain
 * modules as a user would write them (`peers/torch/models.py`), each with or without the
 * attention readout and stacked; `train_step.py --check` proves on the reference-gradient files
 * that every one of them computes the loss and gradients of `CELLS.md`. Keras runs its own
 * layers, stacked.
 *
 * @module
 */
import { parseBenchCell } from "./grid.ts";
import type { Measurement } from "./measurement.ts";

/** A peer framework: the script and the package it needs. */
export interface PeerSpec {
  /** What `--peer` names: `torch`, `keras`. */
  name: string;
  /** Python module that must import. */
  module: string;
  /** How to install it. */
  install: string;
  script: string;
  /** Base cells the peer has a model of (any layer count). */
  bases: readonly string[];
  /** Whether it runs them with the attention readout (`NAME+attn`) too. */
  attention: boolean;
  /** One contender per variant: extra script arguments. */
  variants: readonly { contender: string; args: readonly string[] }[];
}

/** The known peers. */
export const PEERS: Readonly<Record<string, PeerSpec>> = {
  torch: {
    name: "torch",
    module: "torch",
    install: "pip install torch",
    script: "peers/torch/train_step.py",
    bases: ["rnn_tanh", "rnn_relu", "lstm", "gru", "mingru", "exprnn"],
    attention: true,
    variants: [
      { contender: "torch", args: [] },
      { contender: "torch-denormal", args: ["--keep-denormals"] },
    ],
  },
  keras: {
    name: "keras",
    module: "keras",
    install: "pip install tensorflow-cpu",
    script: "peers/keras/train_step.py",
    bases: ["rnn_tanh", "rnn_relu", "lstm", "gru"],
    attention: false,
    variants: [{ contender: "keras", args: [] }],
  },
};

/** Whether `peer` has a model of bench cell `name` (`lstm`, `lstm+attn`, `mingru×2`, …). */
export function peerSupports(peer: PeerSpec, name: string): boolean {
  const { cell } = parseBenchCell(name);
  const attention = cell.endsWith("+attn");
  const base = attention ? cell.slice(0, -5) : cell;
  return peer.bases.includes(base) && (peer.attention || !attention);
}

/** A peer record that does not parse. */
export class PeerRecordError extends Error {
  override name = "PeerRecordError";
}

/** One line a peer script prints. */
export interface PeerRecord {
  contender: string;
  what: string;
  cell: string;
  T: number;
  B: number;
  H: number;
  backend: string;
  ms: number;
  ms_all: number[];
  version: string;
  threads: number;
  flush_denormal: boolean;
  [extra: string]: unknown;
}

/** Parses one peer line; throws {@link PeerRecordError} naming the bad field. */
export function parsePeerRecord(line: string): PeerRecord {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new PeerRecordError(`peer line is not JSON: ${line.slice(0, 80)}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new PeerRecordError("peer record must be a JSON object");
  }
  const r = v as Record<string, unknown>;
  for (const f of ["contender", "cell", "version"]) {
    if (typeof r[f] !== "string") throw new PeerRecordError(`peer record: '${f}' must be a string`);
  }
  for (const f of ["T", "B", "H", "ms", "threads"]) {
    if (typeof r[f] !== "number" || !Number.isFinite(r[f])) {
      throw new PeerRecordError(`peer record: '${f}' must be a finite number`);
    }
  }
  if (!Array.isArray(r.ms_all) || r.ms_all.length === 0 || !r.ms_all.every(Number.isFinite)) {
    throw new PeerRecordError("peer record: 'ms_all' must be a non-empty array of numbers");
  }
  if (typeof r.flush_denormal !== "boolean") {
    throw new PeerRecordError("peer record: 'flush_denormal' must be a boolean");
  }
  return {
    ...r,
    what: typeof r.what === "string" ? r.what : "train_step",
    backend: typeof r.backend === "string" ? r.backend : "cpu",
  } as PeerRecord;
}

/** Parses every JSON line of a peer's stdout (other lines are ignored) into records. */
export function parsePeerOutput(stdout: string): PeerRecord[] {
  return stdout.split("\n").filter((l) => l.trim().startsWith("{")).map(parsePeerRecord);
}

/** A peer record as the measurement of one repeat. */
export function peerMeasurement(r: PeerRecord, repeat: number): Measurement {
  return {
    contender: r.contender,
    what: r.what,
    name: `${r.cell} T=${r.T}`,
    cell: r.cell,
    T: r.T,
    B: r.B,
    H: r.H,
    backend: r.backend,
    repeat,
    samples: r.ms_all,
    ms_min: Math.min(...r.ms_all),
    ms_max: Math.max(...r.ms_all),
    version: r.version,
    threads: r.threads,
    flush_denormal: r.flush_denormal,
  };
}

/** Whether `python3 -c "import <module>"` succeeds; false when python3 itself is missing. */
export async function peerAvailable(peer: PeerSpec, python = "python3"): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(python, {
      args: ["-c", `import ${peer.module}`],
      stdout: "null",
      stderr: "null",
      env: { KERAS_BACKEND: "tensorflow", TF_CPP_MIN_LOG_LEVEL: "3" },
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

/** The grid one peer run covers. */
export interface PeerGrid {
  cells: string[];
  lengths: number[];
  /** Timed steps per length (same order as `lengths`). */
  n: number[];
  /** Warm-up steps per length. */
  warmup: number[];
  B: number;
  H: number;
  /** Threads to force; undefined: the peer's own default (all cores). */
  threads?: number;
}

/** The command line of one peer variant over `grid` (without the interpreter). */
export function peerArgs(peer: PeerSpec, variant: number, grid: PeerGrid): string[] {
  return [
    peer.script,
    "--cells",
    grid.cells.join(","),
    "--lengths",
    grid.lengths.join(","),
    "--repeats",
    grid.n.join(","),
    "--warmup",
    grid.warmup.join(","),
    "--batch",
    String(grid.B),
    "--hidden",
    String(grid.H),
    ...(grid.threads !== undefined ? ["--threads", String(grid.threads)] : []),
    ...peer.variants[variant].args,
  ];
}

/** Runs one peer variant once over `grid`; throws with the peer's last stderr line on failure. */
export async function runPeer(
  peer: PeerSpec,
  variant: number,
  grid: PeerGrid,
  opts: { python?: string; cwd?: string } = {},
): Promise<PeerRecord[]> {
  const { code, stdout, stderr } = await new Deno.Command(opts.python ?? "python3", {
    args: peerArgs(peer, variant, grid),
    cwd: opts.cwd,
    stdout: "piped",
    stderr: "piped",
    env: {
      KERAS_BACKEND: "tensorflow",
      TF_CPP_MIN_LOG_LEVEL: "2",
      ...(grid.threads !== undefined ? { TF_NUM_INTRAOP_THREADS: String(grid.threads) } : {}),
    },
  }).output();
  const dec = new TextDecoder();
  if (code !== 0) {
    const last = dec.decode(stderr).trim().split("\n").at(-1) ?? "";
    throw new Error(`${peer.variants[variant].contender} exited with code ${code}: ${last}`);
  }
  return parsePeerOutput(dec.decode(stdout));
}
