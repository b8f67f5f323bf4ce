/**
 * Builds `playground.html`: bundles the page script and the training worker for the browser
 * with Deno's bundler, in process (tfjs-core, its cpu and wasm backends, the eager engine and
 * the data generators become one script each), reads the wasm backend's SIMD binary,
 * and renders the self-contained page. Everything is read and rendered before anything is
 * written; the write is atomic.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic.ts";
import type { Libraries } from "../report/html.ts";
import { CELL_NAMES } from "../engine/eager.ts";
import { renderPlaygroundHtml } from "./html.ts";

/** The project's root (where deno.json is), from this file's place in it. */
const ROOT = new URL("../../", import.meta.url);

/** The entries that become the page's two scripts. */
export const ENTRIES = {
  page: new URL("./page.ts", import.meta.url),
  worker: new URL("./worker.ts", import.meta.url),
} as const;

/** The wasm binary the page carries: SIMD without threads (a `file://` page has no threads). */
export const WASM_FILE = "tfjs-backend-wasm-simd.wasm";

/** The size budget of the page, scripts included (bytes). */
export const PAGE_BUDGET = 4 * 1024 * 1024;

const bundles = new Map<string, Promise<string>>();

/**
 * One entry bundled for the browser with Deno's bundler (`Deno.bundle`, esbuild inside; enabled
 * by `"unstable": ["bundle"]` in deno.json): a minified classic script (an IIFE, so the worker
 * can be a classic worker, the kind every browser starts from a Blob URL). Memoised per process,
 * since the sources do not change while it runs. Throws with the bundler's messages on failure.
 */
export function bundle(entry: URL): Promise<string> {
  const key = entry.href;
  let p = bundles.get(key);
  if (!p) {
    p = runBundle(entry);
    bundles.set(key, p);
    p.catch(() => bundles.delete(key));
  }
  return p;
}

async function runBundle(entry: URL): Promise<string> {
  if (typeof Deno.bundle !== "function") {
    throw new Error('Deno.bundle is unavailable: deno.json needs "unstable": ["bundle"]');
  }
  const r = await Deno.bundle({
    entrypoints: [entry.href],
    platform: "browser",
    format: "iife",
    minify: true,
    write: false,
  });
  const out = r.outputFiles?.[0];
  if (!r.success || !out) {
    const why = r.errors.map((e) => e.text).slice(0, 3).join("; ") || "no output";
    throw new Error(`bundling ${entry.pathname} failed: ${why}`);
  }
  return out.text();
}

/** Reads the wasm backend's binary from the installed package, base64-encoded. */
export async function readWasmBase64(): Promise<string> {
  const candidates: URL[] = [];
  try {
    const main = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
    if (main.startsWith("file:")) candidates.push(new URL(`./${WASM_FILE}`, main));
  } catch { /* not resolvable: try node_modules */ }
  candidates.push(new URL(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${WASM_FILE}`, ROOT));
  for (const url of candidates) {
    try {
      return base64(await Deno.readFile(url));
    } catch { /* try the next */ }
  }
  throw new Error(`cannot find ${WASM_FILE} to inline (run \`deno install\`)`);
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * The page's HTML, with everything inlined. `libs` are the report's vega, vega-lite and
 * vega-embed sources (`readLibraries()` of `src/report/build_report.ts`).
 */
export async function renderPlayground(libs: Libraries): Promise<string> {
  const [pageJs, workerJs, wasmBase64] = await Promise.all([
    bundle(ENTRIES.page),
    bundle(ENTRIES.worker),
    readWasmBase64(),
  ]);
  const html = renderPlaygroundHtml({ libs, pageJs, workerJs, wasmBase64, cells: CELL_NAMES });
  const bytes = new TextEncoder().encode(html).length;
  if (bytes > PAGE_BUDGET) {
    throw new Error(`playground.html is ${bytes} bytes, over its budget of ${PAGE_BUDGET}`);
  }
  return html;
}

/**
 * {@link renderPlayground} for the report: the page, or why there is none (one line), so a
 * machine that cannot bundle still gets its report, which then lists the playground as missing.
 */
export async function tryRenderPlayground(
  libs: Libraries,
): Promise<{ html: string; problem: null } | { html: null; problem: string }> {
  try {
    return { html: await renderPlayground(libs), problem: null };
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    return { html: null, problem: `no playground.html: ${why}` };
  }
}

/** What {@link buildPlayground} wrote. */
export interface PlaygroundBuild {
  path: string;
  bytes: number;
}

/** Writes `playground.html` into `outDir` (atomically); returns its path and size. */
export async function buildPlayground(
  outDir: string,
  libs: Libraries,
): Promise<PlaygroundBuild> {
  const html = await renderPlayground(libs);
  const path = join(outDir, "playground.html");
  await writeFileAtomic(path, html);
  return { path, bytes: new TextEncoder().encode(html).length };
}
