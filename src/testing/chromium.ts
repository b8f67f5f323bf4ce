/**
 * Where the browser tests find Chromium: `/usr/bin` first (Debian's `chromium`, what CI
 * installs), then `$PATH`. Browser tests are skipped only when none is found and CI is not
 * "true" (in CI they must run).
 *
 * @module
 */
import { delimiter, join } from "node:path";

/** The path of a `chromium` / `chromium-browser` executable, or null when none is installed. */
export function findChromium(): string | null {
  const dirs = ["/usr/bin", ...(Deno.env.get("PATH") ?? "").split(delimiter)];
  for (const dir of dirs) {
    for (const name of ["chromium", "chromium-browser"]) {
      try {
        if (dir && Deno.statSync(join(dir, name)).isFile) return join(dir, name);
      } catch { /* not here */ }
    }
  }
  return null;
}
