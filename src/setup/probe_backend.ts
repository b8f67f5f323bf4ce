/**
 * Child-process check used by setup: loads the tensorflow backend, runs one kernel, prints
 * `tensorflow <version>` and exits 0; on failure prints the reason and exits 1.
 *
 * @module
 */
import { initBackend } from "../backend.ts";

try {
  const info = await initBackend("tensorflow");
  console.log(`tensorflow ${info.tensorflowVersion ?? "unknown"}`);
} catch (e) {
  console.log(e instanceof Error ? e.message : String(e));
  Deno.exit(1);
}
