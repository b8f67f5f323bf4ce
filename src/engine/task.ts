/**
 * The two tasks' names, shared by the heads, the model and the data layer's callers.
 *
 * @module
 */

/** The two heads of docs/cells.md. */
export type Task = "adding" | "copy";
/** The accepted tasks. */
export const TASKS: readonly Task[] = ["adding", "copy"];
