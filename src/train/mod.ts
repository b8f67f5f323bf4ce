/**
 * Training: one run of a suite (curve, evaluations, gradient probes, timings, divergence), a
 * whole grid or a memory-horizon search's chains into the results store (resumable), the dry-run
 * plans, and the progress display.
 *
 * @example
 * ```ts
 * import { initBackend } from "../backend.ts";
 * import { expandGrid, loadSuite } from "../suite/mod.ts";
 * import { trainRun } from "./mod.ts";
 * await initBackend("auto");
 * const grid = await expandGrid(await loadSuite("quick"), { cells: ["lstm"], lengths: [20] });
 * const outcome = await trainRun(grid.runs[0].config);
 * console.log(outcome.status, outcome.metrics.test_loss, outcome.probes[0].norms);
 * ```
 *
 * @module
 */
export * from "./train_run.ts";
export * from "./train_suite.ts";
export * from "./progress.ts";
export * from "./plan.ts";
export * from "./train_search.ts";
export * from "./plan_search.ts";
export * from "./checkpoint.ts";
export * from "./claims.ts";
export * from "./in_flight.ts";
export * from "./curve.ts";
export * from "./measure.ts";
