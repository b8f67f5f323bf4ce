/**
 * The playground: `playground.html`, a self-contained page (works from `file://`, no network)
 * where a reader picks a cell, a length and the training settings, presses train, and watches
 * ‖dL/dh_t‖ against distance change as the network learns. The project's own eager engine and
 * seeded generators run in a Web Worker on tfjs's wasm or cpu backend; same setting and seed on
 * the same backend give the same losses as `deno task train`.
 *
 * @example
 * ```ts
 * import { buildPlayground } from "./mod.ts";
 * import { readLibraries } from "../report/mod.ts";
 *
 * const { path, bytes } = await buildPlayground("reports/site", await readLibraries());
 * console.log(path, bytes); // open it, e.g. playground.html?cell=rnn_tanh&T=40&autorun=1
 * ```
 *
 * @module
 */
export {
  buildPlayground,
  PAGE_BUDGET,
  type PlaygroundBuild,
  renderPlayground,
  tryRenderPlayground,
} from "./build.ts";
export {
  DEFAULTS,
  LIMITS,
  PARAM_NAMES,
  ParamError,
  parseSettings,
  type Settings,
  settingsQuery,
} from "./params.ts";
export { findingText } from "./finding.ts";
export { type SessionSettings, TrainingSession } from "./session.ts";
