/**
 * Choosing and initialising the tensor backend. The only module that imports tfjs-node.
 *
 * - `tensorflow`: `@tensorflow/tfjs-node`, TensorFlow's C library through a native addon
 *   (provisioned by `deno task setup`). The fast one; what results are meant to be measured on.
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD), portable.
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, plain JavaScript; slow but always there.
 * - `auto`: tensorflow when it loads, else wasm with one warning line saying why and how to fix it.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * const info = await initBackend("auto");
 * console.log(info.name, info.tensorflowVersion);
 * ```
 *
 * @module
 */
import "./node_util_shim.ts";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { quietStderr } from "./quiet_stderr.ts";
import { readStamp, setupPaths } from "./setup/provision.ts";

/** A concrete backend. */
export type BackendName = "tensorflow" | "wasm" | "cpu";
/** What a user may ask for. */
export type BackendChoice = BackendName | "auto";
/** The accepted values of `--backend`. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", "tensorflow", "wasm", "cpu"];

/** What was actually initialised. */
export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
  /** TensorFlow's C library version (tensorflow backend only). */
  tensorflowVersion: string | null;
  /**
   * How `deno task setup` provisioned that library (`wheel`, `official` or `dir`, from its stamp
   * beside the binding); tensorflow backend only, absent where setup left no stamp.
   */
  tensorflowRoute?: string;
  /**
   * Intra-op threads TensorFlow computes with (tensorflow backend: the `threads` option, else env
   * `TF_NUM_INTRAOP_THREADS`, else {@link DEFAULT_TF_INTRAOP_THREADS}); cores for wasm, 1 for cpu.
   */
  threads: number;
  /**
   * Inter-op threads of the graph path's TensorFlow sessions (tensorflow backend only: env
   * `TF_NUM_INTEROP_THREADS`, else one per core); the graph path runs that many batch parts side
   * by side (`engine/tf_graph/`).
   */
  interOpThreads?: number;
  /** Why `auto` did not get tensorflow (undefined when it did or was not asked). */
  fallbackReason?: string;
}

/** The tensorflow backend was asked for explicitly and could not be loaded. */
export class BackendUnavailableError extends Error {
  override name = "BackendUnavailableError";
}

/**
 * TensorFlow's intra-op threads when neither the `threads` option nor `TF_NUM_INTRAOP_THREADS`
 * says otherwise. Measured (2 cores, B=64, H=128): the engine's per-step ops are small
 * (64×128 tiles), so a second thread costs more in hand-offs than it gains — one thread is ~10–20%
 * faster for LSTM and about even for GRU and the plain RNNs at T ∈ {50, 200, 1000}. Inter-op
 * threads (1 vs 2) made no measurable difference, so `TF_NUM_INTEROP_THREADS` is left to
 * TensorFlow.
 */
export const DEFAULT_TF_INTRAOP_THREADS = 1;

export interface InitOptions {
  /**
   * TensorFlow intra-op threads (default: env `TF_NUM_INTRAOP_THREADS`, else
   * {@link DEFAULT_TF_INTRAOP_THREADS}). Only effective before the first load.
   */
  threads?: number;
  /**
   * Show TensorFlow's C++ start-up logging (hidden by default; `RNN_GRADBENCH_TF_LOG=1` or a
   * task's `--tf-log` flag turn it on).
   */
  tfLog?: boolean;
  /** Where the fallback warning goes (default: console.error). */
  warn?: (line: string) => void;
}

let current: BackendInfo | null = null;
let tfjsNodeError: string | null = null;
let tfjsNodeLoaded = false;

/** The fix printed whenever the tensorflow backend is missing. */
export const SETUP_HINT = "run `deno task setup` to provision it";

async function loadTensorflow(opts: InitOptions): Promise<string | null> {
  if (tfjsNodeLoaded) return null;
  if (tfjsNodeError !== null) return tfjsNodeError;
  if (opts.threads) Deno.env.set("TF_NUM_INTRAOP_THREADS", String(opts.threads));
  else if (!Deno.env.get("TF_NUM_INTRAOP_THREADS")) {
    Deno.env.set("TF_NUM_INTRAOP_THREADS", String(DEFAULT_TF_INTRAOP_THREADS));
  }
  if (!opts.tfLog && Deno.env.get("TF_CPP_MIN_LOG_LEVEL") === undefined) {
    Deno.env.set("TF_CPP_MIN_LOG_LEVEL", "2");
  }
  try {
    // TensorFlow logs through absl at load and at its first kernel, whatever TF_CPP_MIN_LOG_LEVEL
    // says; hide stderr at the file-descriptor level for both unless asked to show it.
    await quietStderr(!opts.tfLog, async () => {
      await import("@tensorflow/tfjs-node");
      await tf.setBackend("tensorflow");
      tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
    });
    tfjsNodeLoaded = true;
    return null;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    tfjsNodeError = msg.split("\n")[0].slice(0, 300);
    return tfjsNodeError;
  }
}

async function loadWasm(): Promise<void> {
  if (!tf.findBackend("wasm")) await import("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend("wasm");
  await tf.ready();
}

/**
 * Initialises `choice` and makes it the active tfjs backend.
 * Throws {@link BackendUnavailableError} when `tensorflow` is asked for and cannot load.
 */
export async function initBackend(
  choice: BackendChoice = "auto",
  opts: InitOptions = {},
): Promise<BackendInfo> {
  const warn = opts.warn ?? ((l: string) => console.error(l));
  opts = { ...opts, tfLog: opts.tfLog ?? Deno.env.get("RNN_GRADBENCH_TF_LOG") === "1" };
  let name: BackendName;
  let fallbackReason: string | undefined;
  if (choice === "tensorflow" || choice === "auto") {
    const err = await loadTensorflow(opts);
    if (err === null) {
      name = "tensorflow";
      await tf.setBackend("tensorflow");
    } else if (choice === "tensorflow") {
      throw new BackendUnavailableError(
        `the tensorflow backend is not available (${err}); ${SETUP_HINT}`,
      );
    } else {
      fallbackReason = err;
      warn(`warning: tensorflow backend unavailable (${err}); using wasm. To fix: ${SETUP_HINT}.`);
      await loadWasm();
      name = "wasm";
    }
  } else if (choice === "wasm") {
    await loadWasm();
    name = "wasm";
  } else {
    await tf.setBackend("cpu");
    // The cpu backend greets Node users at its first write with a banner advising tfjs-node;
    // cpu was chosen on purpose, so make that first write with IS_NODE briefly off.
    const isNode = tf.env().getBool("IS_NODE");
    tf.env().set("IS_NODE", false);
    tf.scalar(0).dispose();
    tf.env().set("IS_NODE", isNode);
    name = "cpu";
  }
  await tf.ready();
  current = {
    name,
    tfjsVersion: tf.version_core,
    tensorflowVersion: name === "tensorflow" ? tensorflowVersion() : null,
    threads: threadCount(name),
    ...(name === "tensorflow" ? { interOpThreads: interOpThreads() } : {}),
    ...(fallbackReason ? { fallbackReason } : {}),
  };
  const route = name === "tensorflow" ? tensorflowRoute() : null;
  if (route) current.tensorflowRoute = route;
  return current;
}

/** The backend set by the last {@link initBackend}, or null. */
export function currentBackend(): BackendInfo | null {
  return current;
}

function tensorflowVersion(): string | null {
  // The tfjs-node backend keeps its native binding; TF_Version is the C library's own version.
  const backend = tf.engine().findBackend("tensorflow") as unknown as {
    binding?: { TF_Version?: string };
  };
  return backend?.binding?.TF_Version ?? null;
}

function tensorflowRoute(): string | null {
  try {
    return readStamp(setupPaths())?.route ?? null;
  } catch {
    return null;
  }
}

function threadCount(name: BackendName): number {
  if (name === "tensorflow") {
    const env = Number(Deno.env.get("TF_NUM_INTRAOP_THREADS"));
    if (Number.isInteger(env) && env > 0) return env;
  }
  if (name === "cpu") return 1;
  return navigator.hardwareConcurrency ?? 1;
}

/** TensorFlow inter-op threads for graph sessions: env `TF_NUM_INTEROP_THREADS`, else the cores. */
export function interOpThreads(): number {
  const env = Number(Deno.env.get("TF_NUM_INTEROP_THREADS"));
  return Number.isInteger(env) && env > 0 ? env : navigator.hardwareConcurrency ?? 1;
}

/** The tfjs namespace bound to whichever backend is active. */
export { tf };
