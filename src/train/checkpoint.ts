/**
 * Checkpoint files: a run in flight ({@link RunSnapshot}) saved under `<out>/checkpoints/`, so
 * that a killed, preempted or timed-out process loses at most the steps since the last one and
 * the same command continues the run to the record an uninterrupted run writes.
 *
 * Layout (one file per run, written atomically: temp file, fsync, rename):
 * `RGBCKPT1` (8 bytes) · SHA-256 of everything after it (32 bytes) · JSON length (u32 LE) ·
 * JSON (the header {@link CheckpointMeta}, the host state, the stream position and a table of the
 * tensors) · zero padding to a multiple of 4 · the tensors' float32 values (little-endian, as
 * TensorFlow and every platform we run on hold them), so weights and moments come back bit for
 * bit. The digest catches a torn or corrupted file.
 *
 * A checkpoint is used only by the run it was written for on the same code and engine: the
 * config hash, the {@link codeVersion} and the engine (backend, executor, TensorFlow version,
 * threads: the graph splits the batch per inter-op thread) must match, else it is refused and the
 * run starts from step 0. Never from garbage.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../fs/atomic.ts";
import type { HostTensor, TrainerState } from "../engine/mod.ts";
import type { RunSnapshot } from "./train_run.ts";

/** Steps between checkpoints unless `--checkpoint-every` says otherwise (see the README). */
export const DEFAULT_CHECKPOINT_EVERY = 1000;

const MAGIC = "RGBCKPT1";
const FORMAT = 1;

/** What a checkpoint says about itself. */
export interface CheckpointMeta {
  format: number;
  config_hash: string;
  /** {@link codeVersion} of the code that wrote it. */
  code_version: string;
  /** {@link engineKey} of the process that wrote it. */
  engine: string;
  /** Training steps done. */
  step: number;
  /** The run's step budget. */
  steps: number;
  /** ISO date it was written. */
  written: string;
}

/** What a run must match for a checkpoint to be used. */
export type CheckpointIdentity = Pick<CheckpointMeta, "config_hash" | "code_version" | "engine">;

/** The result of reading a checkpoint for a run. */
export type CheckpointRead =
  | { ok: true; meta: CheckpointMeta; snapshot: RunSnapshot }
  | { ok: false; reason: string };

/** The checkpoint file of run `configHash` of the suite run stored as `<stem>.jsonl` in `outDir`. */
export function checkpointPath(outDir: string, stem: string, configHash: string): string {
  return join(checkpointDir(outDir), `${stem}.${configHash.slice(0, 16)}.ckpt`);
}

/** Where a results folder keeps its checkpoints. */
export function checkpointDir(outDir: string): string {
  return join(outDir, "checkpoints");
}

/**
 * The engine a run computes on, as checkpoints compare it: backend, executor, TensorFlow version
 * and threads (a resume elsewhere would not continue the same numbers).
 */
export function engineKey(
  b: { name: string; tensorflowVersion: string | null; threads: number; interOpThreads?: number },
  executor: string,
): string {
  return `${b.name}/${executor}/tf ${b.tensorflowVersion ?? "-"}/threads ${b.threads}x${
    b.interOpThreads ?? "-"
  }`;
}

/** The folders (under `src/`) whose code decides what a run computes. */
const CODE_DIRS = ["engine", "data"];
/**
 * Single files (under `src/`) that decide it too: the training loop and what it measures and
 * saves. The rest of `train/` (dry-run plans, progress lines, claims, the grid and search drivers)
 * only chooses which run comes next, so editing it keeps checkpoints valid.
 */
const CODE_FILES = [
  "backend.ts",
  "results/solved.ts",
  "results/schema.ts",
  "train/train_run.ts",
  "train/curve.ts",
  "train/measure.ts",
  "train/batch_tensors.ts",
  "train/checkpoint.ts",
];

let codeVersionOnce: Promise<string> | null = null;

/**
 * The version of the code that computes a run: SHA-256 (first 16 hex) over the sources of
 * `src/engine/`, `src/data/`, the training loop's files in `src/train/`, `src/backend.ts`,
 * `src/results/solved.ts` and `schema.ts` (tests excluded), path and content of each. Any change
 * to the math, the loop, the data or the saved state's meaning changes it, so a checkpoint is
 * never continued by code that would compute other numbers; edits elsewhere (report, docs, CLIs) keep checkpoints valid. A git
 * commit would refuse them after every README edit and is unknown where the code runs without
 * `.git` (a container image, a copied tree).
 */
export function codeVersion(): Promise<string> {
  return codeVersionOnce ??= (async () => {
    const src = fileURLToPath(new URL("../", import.meta.url));
    const enc = new TextEncoder();
    const parts = codeVersionFiles().flatMap((f) => [
      enc.encode(`${f}\0`),
      Deno.readFileSync(join(src, f)),
    ]);
    const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) all.set(p, (o += p.length) - p.length);
    return (await sha256(all)).slice(0, 16);
  })();
}

/** The files {@link codeVersion} hashes, relative to `src/`, sorted. */
export function codeVersionFiles(): string[] {
  const src = fileURLToPath(new URL("../", import.meta.url));
  const files: string[] = [...CODE_FILES];
  const walk = (rel: string) => {
    for (const e of Deno.readDirSync(join(src, rel))) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) files.push(p);
    }
  };
  for (const d of CODE_DIRS) walk(d);
  return files.sort();
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

type Group = "params" | "m" | "v";
const GROUPS: Group[] = ["params", "m", "v"];

/** The file's bytes for `snap` (see the module docs for the layout). */
export async function encodeCheckpoint(
  id: CheckpointIdentity & { steps: number },
  snap: RunSnapshot,
): Promise<Uint8Array> {
  const table: { group: Group; name: string; shape: number[]; offset: number }[] = [];
  const arrays: Float32Array[] = [];
  let offset = 0;
  for (const group of GROUPS) {
    for (const [name, t] of Object.entries(snap.trainer[group])) {
      table.push({ group, name, shape: t.shape, offset });
      arrays.push(t.data);
      offset += t.data.length;
    }
  }
  const meta: CheckpointMeta = {
    format: FORMAT,
    ...id,
    step: snap.run.step,
    written: new Date().toISOString(),
  };
  // Step times are timing, not results: microseconds are enough.
  const run = { ...snap.run, stepMs: snap.run.stepMs.map((x) => Math.round(x * 1000) / 1000) };
  const json = new TextEncoder().encode(JSON.stringify({
    meta,
    run,
    stream: snap.stream,
    adam_step: snap.trainer.step,
    tensors: table,
  }));
  const head = 4 + json.length;
  const pad = (4 - ((MAGIC.length + 32 + head) % 4)) % 4;
  const body = new Uint8Array(head + pad + offset * 4);
  new DataView(body.buffer).setUint32(0, json.length, true);
  body.set(json, 4);
  let at = head + pad;
  for (const a of arrays) {
    body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const file = new Uint8Array(MAGIC.length + 32 + body.length);
  file.set(new TextEncoder().encode(MAGIC), 0);
  file.set(digest, MAGIC.length);
  file.set(body, MAGIC.length + 32);
  return file;
}

/** Writes a checkpoint atomically. */
export async function writeCheckpoint(
  path: string,
  id: CheckpointIdentity & { steps: number },
  snap: RunSnapshot,
): Promise<void> {
  await writeFileAtomic(path, await encodeCheckpoint(id, snap));
}

/** The JSON part of a checkpoint's bytes, after checking its magic and digest. */
async function openCheckpoint(bytes: Uint8Array): Promise<
  { ok: true; json: Record<string, unknown>; dataAt: number } | { ok: false; reason: string }
> {
  const start = MAGIC.length + 32;
  if (bytes.length < start + 4 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    return { ok: false, reason: "not a checkpoint file (torn or foreign)" };
  }
  const body = bytes.slice(start);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  if (!digest.every((b, i) => b === bytes[MAGIC.length + i])) {
    return { ok: false, reason: "its checksum does not match (torn or corrupted)" };
  }
  const n = new DataView(body.buffer).getUint32(0, true);
  try {
    const json = JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + n)));
    const pad = (4 - ((start + 4 + n) % 4)) % 4;
    return { ok: true, json, dataAt: start + 4 + n + pad };
  } catch {
    return { ok: false, reason: "its header is not valid JSON" };
  }
}

/**
 * Reads the checkpoint at `path` for the run `want` identifies. Null when there is none; a
 * refusal (with the reason in words) when it is torn, corrupt, or written for another config,
 * code version or engine.
 */
export async function readCheckpoint(
  path: string,
  want: CheckpointIdentity,
): Promise<CheckpointRead | null> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const o = await openCheckpoint(bytes);
  if (!o.ok) return o;
  const meta = o.json.meta as CheckpointMeta;
  if (meta?.format !== FORMAT) return { ok: false, reason: `unknown format ${meta?.format}` };
  if (meta.config_hash !== want.config_hash) {
    return { ok: false, reason: `written for another config (${meta.config_hash.slice(0, 12)})` };
  }
  if (meta.code_version !== want.code_version) {
    return {
      ok: false,
      reason: `written by other code (version ${meta.code_version}, this is ${want.code_version})`,
    };
  }
  if (meta.engine !== want.engine) {
    return {
      ok: false,
      reason: `written on another engine (${meta.engine}, this is ${want.engine})`,
    };
  }
  const table = o.json.tensors as { group: Group; name: string; shape: number[]; offset: number }[];
  const trainer: TrainerState = { step: o.json.adam_step as number, params: {}, m: {}, v: {} };
  for (const t of table) {
    const len = t.shape.reduce((a, b) => a * b, 1);
    const from = o.dataAt + 4 * t.offset;
    if (from + 4 * len > bytes.length) return { ok: false, reason: "its tensors are truncated" };
    const h: HostTensor = {
      shape: t.shape,
      data: new Float32Array(bytes.slice(from, from + 4 * len).buffer),
    };
    trainer[t.group][t.name] = h;
  }
  const snapshot = { run: o.json.run, stream: o.json.stream, trainer } as RunSnapshot;
  return { ok: true, meta, snapshot };
}

/** What a dry run reads of a checkpoint: its header, and the seconds its steps took. */
export interface CheckpointSummary {
  meta: CheckpointMeta;
  /** Training seconds its steps took, over every process that trained them (null: unknown). */
  elapsedS: number | null;
}

/** A checkpoint's header and pace (for dry runs), or null when there is none or it is unreadable. */
export async function readCheckpointSummary(path: string): Promise<CheckpointSummary | null> {
  try {
    const o = await openCheckpoint(await Deno.readFile(path));
    if (!o.ok) return null;
    const e = (o.json.run as { elapsedS?: unknown } | undefined)?.elapsedS;
    return {
      meta: o.json.meta as CheckpointMeta,
      elapsedS: typeof e === "number" && Number.isFinite(e) ? e : null,
    };
  } catch {
    return null;
  }
}

/** Removes a checkpoint (missing is fine). */
export async function removeCheckpoint(path: string): Promise<void> {
  await Deno.remove(path).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}
