/**
 * The result record (one JSONL line per finished run) and the bench file: the contracts between
 * training, bench, merge and report. Versioned; readers reject unknown versions with a clear
 * message.
 *
 * @module
 */
import type { Environment } from "./env.ts";

/** The version of {@link ResultRecord} this code writes and reads. */
export const RESULT_SCHEMA = 1;
/** The version of {@link BenchFile} this code writes and reads. */
export const BENCH_SCHEMA = 1;

/** Adam's settings. */
export interface OptimizerConfig {
  name: "adam" | "rmsprop";
  lr: number;
  /** Adam's moment decays (recorded for every optimiser; RMSprop ignores them). */
  beta1: number;
  beta2: number;
  epsilon: number;
  /** RMSprop's smoothing constant (rmsprop only). */
  rho?: number;
  /** Parameters (by name without the layer prefix) with a learning rate of their own. */
  groups?: { params: string[]; lr: number }[];
}

/** Success thresholds: adding is solved at test MSE ≤ `mse`; copy at recall accuracy ≥ `accuracy`. */
export interface SolvedThreshold {
  mse: number;
  accuracy: number;
}

/** Early stopping of a solved run: end `patience` evaluations after the solving one. */
export interface StopWhenSolved {
  /**
   * Evaluations after the first passing one at which the run ends (≥ 1: the first of them is the
   * one that confirms the solve), e.g. 2: solved at evaluation k, confirmed at k+1, ends at k+2.
   */
  patience: number;
}

/** One run's fully resolved configuration; its canonical JSON hash is the run's identity. */
export interface RunConfig {
  task: "adding" | "copy";
  /** Adding-problem marker placement (`arjovsky`: one marker per half; `tcn`: anywhere). */
  variant?: "arjovsky" | "tcn";
  /** Copy task: symbols to copy. */
  symbols?: number;
  cell: string;
  /** Sequence length parameter T of the task (copy inputs are T + 2·symbols long). */
  T: number;
  seed: number;
  hidden: number;
  batch: number;
  steps: number;
  optimizer: OptimizerConfig;
  /** Global-norm gradient clipping (null: off). */
  clipNorm: number | null;
  /** LeakyReLU slope for rnn_leaky. */
  alpha: number;
  evalEvery: number;
  testSize: number;
  /** Training steps after which the gradient probe runs (0 = at initialisation). */
  probeAt: number[];
  /** When the run counts as solved (see `solved.ts` for steps-to-solve). */
  solved: SolvedThreshold;
  /** End the run `patience` evaluations after it is solved; absent: train the whole budget. */
  stopWhenSolved?: StopWhenSolved;
  /** Stacked recurrent layers; absent means 1 (so one-layer configs keep their old hashes). */
  layers?: number;
  /** The backend asked for. */
  backend: string;
}

/** Test metrics at one evaluation. */
export interface EvalMetrics {
  step: number;
  test_loss: number;
  test_mse: number | null;
  test_accuracy: number;
}

/**
 * One point of the training curve. A run of up to 500 steps has a point per step; a longer one
 * about 500, each the mean training loss over the steps since the previous point, plus a point
 * at every evaluation (which carries the test metrics). Records written before this rule have a
 * point per step; both read the same.
 */
export interface CurvePoint {
  step: number;
  /** Mean training loss of the steps since the previous point (null: non-finite at this step). */
  train_loss: number;
  test_loss?: number;
  test_mse?: number | null;
  test_accuracy?: number;
}

/** The gradient probe at one checkpoint: per step t (0 … len−1) of dL/dh_t. */
export interface ProbeRecord {
  step: number;
  /** ‖dL/dh_t‖ of the whole loss, of the top layer's states. */
  norms: number[];
  zero_fraction: number[];
  subnormal_fraction: number[];
  /**
   * Copy task: ‖dL_recall/dh_t‖ of the recall loss alone (the last `symbols` positions), which
   * shows how much gradient the remembered symbols send back; absent in older records.
   */
  recall_norms?: number[];
  /** Stacked cells: ‖dL/dh_t‖ per layer (index 0 the bottom layer), each of length len. */
  layer_norms?: number[][];
}

/** How a run ended. */
export type RunStatus = "ok" | "diverged" | "failed";

/** One finished run: a line of a results JSONL file. */
export interface ResultRecord {
  schema: typeof RESULT_SCHEMA;
  kind: "result";
  /** Unique per record. */
  run_id: string;
  /** The suite's name (`quick`, `standard`, `paper`, or a file's name). */
  suite: string;
  /** Hash of the whole grid this run belongs to (shards of one grid share it). */
  grid_hash: string;
  /** SHA-256 of the canonical JSON of `config`. */
  config_hash: string;
  config: RunConfig;
  env: Environment;
  status: RunStatus;
  /** For diverged/failed runs: where and why. */
  status_detail: { step: number | null; reason: string } | null;
  metrics: {
    test_loss: number | null;
    test_mse: number | null;
    test_accuracy: number | null;
    final_train_loss: number | null;
    baseline_loss: number;
    /** The final evaluation passes the thresholds of `config.solved`. */
    solved: boolean;
    /**
     * The first evaluation step that passes and whose next evaluation passes too (the final
     * evaluation counts alone); null: never. Absent in records written before it existed.
     */
    steps_to_solve?: number | null;
  };
  /** True when `stopWhenSolved` ended the run before its step budget; absent in older records. */
  stopped_early?: boolean;
  /** The last training step run (the budget, the early stop, or where it diverged/failed). */
  end_step?: number;
  /**
   * The steps this run was resumed from, in order, when it was trained across processes from
   * checkpoints (its numbers equal an uninterrupted run's); absent: trained in one go.
   */
  resumed_from?: number[];
  curve: CurvePoint[];
  probes: ProbeRecord[];
  timing: { median_step_ms: number | null; total_s: number; steps_done: number };
}

/** One measured contender in one configuration. */
export interface BenchEntry {
  /** `rnn-gradbench`, `torch`, `torch-denormal`, `keras`, … */
  contender: string;
  /** What was measured: `train_step`, `probe`, `data`, `report`. */
  what: string;
  cell: string | null;
  T: number | null;
  B: number | null;
  H: number | null;
  backend: string | null;
  /** Median over all samples (ms). */
  ms: number;
  ms_min: number;
  ms_max: number;
  /** Per-repeat medians (one per interleaved repeat). */
  ms_repeats: number[];
  /** The bench name (`<cell> T=<T>` for training steps), where one exists. */
  name?: string;
  /** Timed samples pooled over the repeats. */
  n?: number;
  /** The contender's own version (e.g. torch 2.13.0), where known. */
  version?: string;
  /** Threads the contender computed with, where known. */
  threads?: number;
  /** Whether subnormal floats were flushed to zero, where known. */
  flush_denormal?: boolean;
}

/** The ratio of this project's time to the fastest peer's, per configuration. */
export interface BenchRatio {
  cell: string;
  T: number;
  peer: string;
  ratio: number;
  ci_low: number;
  ci_high: number;
  /** This peer was the fastest peer in this configuration. */
  fastest?: boolean;
}

/** A `reports/bench/*.json` file. */
export interface BenchFile {
  schema: typeof BENCH_SCHEMA;
  kind: "bench";
  env: Environment;
  /** The command line that produced it. */
  command: string;
  repeats: number;
  entries: BenchEntry[];
  ratios: BenchRatio[];
  /** Raw `deno bench --json` outputs, one per repeat. */
  raw?: unknown[];
  /** Threads every contender was given (TensorFlow intra-op, torch, Keras). */
  threads?: number;
  /** Peers asked for but not run (package missing or run failed), with the reason. */
  peers_skipped?: { peer: string; reason: string }[];
}

/** A record that fails validation; the message names the field. */
export class SchemaError extends Error {
  override name = "SchemaError";
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function need(cond: boolean, field: string, what: string): void {
  if (!cond) throw new SchemaError(`field '${field}' ${what}`);
}

function num(o: Obj, f: string, prefix: string, nullable = false): void {
  const v = o[f];
  need(
    (nullable && v === null) || (typeof v === "number" && (Number.isFinite(v) || nullable)),
    prefix + f,
    nullable ? "must be a number or null" : "must be a finite number",
  );
}

function numArray(v: unknown, field: string): void {
  need(
    Array.isArray(v) && v.every((x) => typeof x === "number" || x === null),
    field,
    "must be an array of numbers",
  );
}

/**
 * Validates a parsed JSON value as a {@link ResultRecord}. Throws {@link SchemaError} naming the
 * first bad field; an unknown schema version gets its own message.
 */
export function validateResult(v: unknown): ResultRecord {
  need(isObj(v), "(record)", "must be a JSON object");
  const r = v as Obj;
  if (r.schema !== RESULT_SCHEMA) {
    throw new SchemaError(
      `unknown result schema version ${
        JSON.stringify(r.schema)
      } (this reader knows ${RESULT_SCHEMA}); upgrade rnn-gradbench or re-run`,
    );
  }
  need(r.kind === "result", "kind", "must be 'result'");
  for (const f of ["run_id", "suite", "grid_hash", "config_hash"]) {
    need(typeof r[f] === "string" && (r[f] as string).length > 0, f, "must be a non-empty string");
  }
  need(isObj(r.config), "config", "must be an object");
  const c = r.config as Obj;
  need(c.task === "adding" || c.task === "copy", "config.task", "must be 'adding' or 'copy'");
  need(typeof c.cell === "string", "config.cell", "must be a string");
  for (const f of ["T", "seed", "hidden", "batch", "steps", "evalEvery", "testSize"]) {
    num(c, f, "config.");
  }
  need(Array.isArray(c.probeAt), "config.probeAt", "must be an array");
  need(isObj(r.env), "env", "must be an object");
  need(typeof (r.env as Obj).backend === "string", "env.backend", "must be a string");
  need(
    r.status === "ok" || r.status === "diverged" || r.status === "failed",
    "status",
    "must be ok, diverged or failed",
  );
  need(
    r.status_detail === null || isObj(r.status_detail),
    "status_detail",
    "must be an object or null",
  );
  need(isObj(r.metrics), "metrics", "must be an object");
  const m = r.metrics as Obj;
  for (const f of ["test_loss", "test_mse", "test_accuracy", "final_train_loss"]) {
    num(m, f, "metrics.", true);
  }
  num(m, "baseline_loss", "metrics.");
  need(typeof m.solved === "boolean", "metrics.solved", "must be a boolean");
  if (m.steps_to_solve !== undefined) num(m, "steps_to_solve", "metrics.", true);
  need(
    r.stopped_early === undefined || typeof r.stopped_early === "boolean",
    "stopped_early",
    "must be a boolean",
  );
  if (r.end_step !== undefined) num(r, "end_step", "");
  need(
    r.resumed_from === undefined ||
      (Array.isArray(r.resumed_from) &&
        r.resumed_from.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)),
    "resumed_from",
    "must be an array of whole numbers ≥ 0",
  );
  need(
    c.layers === undefined || (Number.isSafeInteger(c.layers) && (c.layers as number) >= 1),
    "config.layers",
    "must be a whole number ≥ 1",
  );
  need(Array.isArray(r.curve), "curve", "must be an array");
  (r.curve as unknown[]).forEach((p, i) => {
    need(isObj(p), `curve[${i}]`, "must be an object");
    num(p as Obj, "step", `curve[${i}].`);
  });
  need(Array.isArray(r.probes), "probes", "must be an array");
  (r.probes as unknown[]).forEach((p, i) => {
    need(isObj(p), `probes[${i}]`, "must be an object");
    const po = p as Obj;
    num(po, "step", `probes[${i}].`);
    numArray(po.norms, `probes[${i}].norms`);
    numArray(po.zero_fraction, `probes[${i}].zero_fraction`);
    numArray(po.subnormal_fraction, `probes[${i}].subnormal_fraction`);
    if (po.recall_norms !== undefined) numArray(po.recall_norms, `probes[${i}].recall_norms`);
    if (po.layer_norms !== undefined) {
      need(Array.isArray(po.layer_norms), `probes[${i}].layer_norms`, "must be an array");
      (po.layer_norms as unknown[]).forEach((l, k) =>
        numArray(l, `probes[${i}].layer_norms[${k}]`)
      );
    }
  });
  need(isObj(r.timing), "timing", "must be an object");
  num(r.timing as Obj, "median_step_ms", "timing.", true);
  num(r.timing as Obj, "total_s", "timing.");
  return v as unknown as ResultRecord;
}

/** Validates a parsed JSON value as a {@link BenchFile}. */
export function validateBench(v: unknown): BenchFile {
  need(isObj(v), "(file)", "must be a JSON object");
  const b = v as Obj;
  if (b.schema !== BENCH_SCHEMA) {
    throw new SchemaError(
      `unknown bench schema version ${
        JSON.stringify(b.schema)
      } (this reader knows ${BENCH_SCHEMA})`,
    );
  }
  need(b.kind === "bench", "kind", "must be 'bench'");
  need(isObj(b.env), "env", "must be an object");
  need(Array.isArray(b.entries), "entries", "must be an array");
  (b.entries as unknown[]).forEach((e, i) => {
    need(isObj(e), `entries[${i}]`, "must be an object");
    const eo = e as Obj;
    need(typeof eo.contender === "string", `entries[${i}].contender`, "must be a string");
    num(eo, "ms", `entries[${i}].`);
  });
  need(Array.isArray(b.ratios), "ratios", "must be an array");
  return v as unknown as BenchFile;
}

/** JSON with object keys sorted at every depth: the input of {@link configHash}. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** SHA-256 (hex) of the canonical JSON of `value`. */
export async function contentHash(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(value));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The identity of a run: the hash of its resolved config. */
export function configHash(config: RunConfig): Promise<string> {
  return contentHash(config);
}
