/**
 * The tensor library the engine's eager code uses: tfjs-core alone, so that the eager engine
 * (cells, heads, Adam, the BPTT driver on the eager executor) runs wherever tfjs-core does — in
 * Deno on any backend, and in a browser page. Choosing and initialising a backend is
 * `../backend.ts`'s job; nothing under `src/engine/` except the graph executor needs it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

export { tf };
