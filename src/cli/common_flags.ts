/**
 * Flags shared by the tasks that compute (train, gradcheck, run), so they read the same in every
 * `--help`.
 *
 * @module
 */
import { BACKEND_CHOICES } from "../backend.ts";
import type { FlagSpec } from "./args.ts";

/** `--backend auto|tensorflow|wasm|cpu`. */
export const BACKEND_FLAG: FlagSpec = {
  type: "string",
  arg: BACKEND_CHOICES.join("|"),
  default: "auto",
  description: "tensor backend (auto: tensorflow when it loads, else wasm with a warning)",
};

/** `--tf-log`: TensorFlow's C++ start-up logging, hidden by default. */
export const TF_LOG_FLAG: FlagSpec = {
  type: "boolean",
  description: "show TensorFlow's C++ start-up logging",
};
