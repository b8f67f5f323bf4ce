/**
 * The playground's Web Worker entry (bundled into the page, started from a Blob URL so it works
 * from `file://`): trains off the main thread so the page stays responsive.
 *
 * Backends: tfjs's wasm backend (XNNPACK) from the binary the page carries inline, handed over
 * as bytes and loaded from a Blob URL, so nothing is fetched from the network; where it does not
 * load (no WebAssembly SIMD), tfjs's plain-JavaScript cpu backend. Threads stay off: a page from
 * `file://` is not cross-origin isolated, so SharedArrayBuffer is unavailable anyway.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { type BackendLoader, Trainer } from "./trainer.ts";

/** The wasm file names tfjs asks for; all point at the one SIMD binary the page carries. */
const WASM_FILES = [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
] as const;

/** Loads wasm when asked (or `auto`) and it works, else cpu; `wasm` alone fails loudly. */
export const loadBackend: BackendLoader = async (choice, wasm) => {
  let note: string | null = null;
  if (choice !== "cpu") {
    if (!wasm) note = "this page carries no wasm binary";
    else {
      try {
        tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
        const url = URL.createObjectURL(new Blob([wasm], { type: "application/wasm" }));
        setWasmPaths(Object.fromEntries(WASM_FILES.map((f) => [f, url])));
        if (await tf.setBackend("wasm")) {
          await tf.ready();
          return { backend: "wasm", note: null };
        }
        note = "the wasm backend did not initialise";
      } catch (e) {
        note = `the wasm backend did not load (${e instanceof Error ? e.message : String(e)})`;
      }
    }
    if (choice === "wasm") throw new Error(note);
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return { backend: "cpu", note };
};

/** The slice of a worker's global scope used here (Deno's default types have no worker scope). */
interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
const trainer = new Trainer((m: FromWorker) => scope.postMessage(m), loadBackend);
scope.onmessage = (e: MessageEvent<ToWorker>) => void trainer.handle(e.data);
