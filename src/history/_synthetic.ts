/**
 * Small synthetic result records for the merge and history tests: one record per (task, cell,
 * T, seed), with the metrics and step time given, so a test states exactly what it injects.
 *
 * @module
 */
import { RESULT_SCHEMA, type ResultRecord, type RunConfig } from "../results/schema.ts";

/** What one synthetic record is. */
export interface SyntheticRecordOptions {
  suite?: string;
  gridHash?: string;
  task?: "adding" | "copy";
  cell?: string;
  T?: number;
  seed?: number;
  /** ISO date of the record (env.date). */
  date?: string;
  commit?: string | null;
  backend?: string;
  stepMs?: number | null;
  accuracy?: number | null;
  mse?: number | null;
  /** Distinguishes otherwise equal records (run_id). */
  runTag?: string;
}

/** A stable 64-hex pseudo hash of a string (FNV-1a, repeated), standing in for SHA-256. */
export function fakeHash(s: string): string {
  let out = "";
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${round}:${s}`) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 64);
}

/** One synthetic, valid {@link ResultRecord}. */
export function syntheticRecord(o: SyntheticRecordOptions = {}): ResultRecord {
  const suite = o.suite ?? "quick";
  const task = o.task ?? "adding";
  const cell = o.cell ?? "rnn_tanh";
  const T = o.T ?? 20;
  const seed = o.seed ?? 1;
  const date = o.date ?? "2026-01-01T03:00:00.000Z";
  const config: RunConfig = {
    task,
    ...(task === "adding" ? { variant: "arjovsky" as const } : { symbols: 5 }),
    cell,
    T,
    seed,
    hidden: 32,
    batch: 32,
    steps: 60,
    optimizer: { name: "adam", lr: 0.005, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    clipNorm: 1,
    alpha: 0.01,
    evalEvery: 20,
    testSize: 256,
    probeAt: [0, 60],
    solved: { mse: 0.01, accuracy: 0.99 },
    backend: "auto",
  };
  const mse = o.mse === undefined ? (task === "adding" ? 0.05 : null) : o.mse;
  const accuracy = o.accuracy === undefined ? (task === "copy" ? 0.5 : 0.2) : o.accuracy;
  return {
    schema: RESULT_SCHEMA,
    kind: "result",
    run_id: `${fakeHash(`${date}|${task}|${cell}|${T}|${seed}|${o.runTag ?? ""}`).slice(0, 16)}`,
    suite,
    grid_hash: o.gridHash ?? fakeHash(`grid:${suite}`),
    config_hash: fakeHash(`${suite}|${task}|${cell}|${T}|${seed}`),
    config,
    env: {
      backend: o.backend ?? "tensorflow",
      tfjs: "4.22.0",
      tensorflow: "2.21.0",
      deno: "2.9.6",
      v8: "14.0",
      cpu: "Synthetic CPU",
      cores: 2,
      threads: 2,
      os: "linux",
      arch: "x86_64",
      commit: o.commit === undefined ? "0123456789abcdef0123456789abcdef01234567" : o.commit,
      date,
    },
    status: "ok",
    status_detail: null,
    metrics: {
      test_loss: 0.1,
      test_mse: mse,
      test_accuracy: accuracy,
      final_train_loss: 0.11,
      baseline_loss: 0.167,
      solved: false,
    },
    curve: [{ step: 0, train_loss: 0.2 }, { step: 60, train_loss: 0.11, test_loss: 0.1 }],
    probes: [{ step: 0, norms: [1, 0.5], zero_fraction: [0, 0], subnormal_fraction: [0, 0] }],
    timing: { median_step_ms: o.stepMs === undefined ? 5 : o.stepMs, total_s: 0.3, steps_done: 60 },
  };
}

/** Records as the text of a JSONL results file. */
export function jsonl(records: ResultRecord[]): string {
  return records.map((r) => JSON.stringify(r) + "\n").join("");
}
