/**
 * Deno's `node:util` has no `isNullOrUndefined` (removed from Node's docs long ago, still
 * called by `@tensorflow/tfjs-node` 4.x in every kernel it executes). This module adds it
 * before tfjs-node is loaded. Import it for its side effect, first.
 *
 * Drop it when tfjs-node stops calling `util.isNullOrUndefined` or Deno ships it again.
 *
 * @module
 */
import util from "node:util";

type LegacyUtil = { isNullOrUndefined?: (v: unknown) => boolean };
const legacy = util as unknown as LegacyUtil;
if (typeof legacy.isNullOrUndefined !== "function") {
  legacy.isNullOrUndefined = (v: unknown) => v === null || v === undefined;
}

/** True once the shim is in place (for tests). */
export const nodeUtilShimmed: boolean = typeof legacy.isNullOrUndefined === "function";
