/**
 * Atomic file writes: write to a temporary file beside the target, then rename over it, so a
 * reader never sees a half-written file and a killed process leaves either the old file or the
 * new one.
 *
 * @module
 */
import { dirname, join } from "node:path";

function tempPathFor(path: string): string {
  const base = path.split("/").pop() ?? "file";
  return join(
    dirname(path),
    `.${base}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
}

/** Writes `data` to `path` atomically (temp file + fsync + rename). Creates parent folders. */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    const f = await Deno.open(tmp, { write: true, createNew: true });
    try {
      let off = 0;
      while (off < bytes.length) off += await f.write(bytes.subarray(off));
      await f.sync();
    } finally {
      f.close();
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Writes `value` as pretty JSON (trailing newline) to `path` atomically. */
export async function writeJsonAtomic(
  path: string,
  value: unknown,
): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Appends one line to `path` (created if missing) with a single `write` in append mode, then
 * fsyncs. A kill can at worst leave a torn last line, which readers must detect and skip.
 */
export async function appendLine(path: string, line: string): Promise<void> {
  if (line.includes("\n")) {
    throw new Error("appendLine: the line contains a newline");
  }
  await Deno.mkdir(dirname(path), { recursive: true });
  const f = await Deno.open(path, { append: true, create: true });
  try {
    const bytes = new TextEncoder().encode(line + "\n");
    // One write call in O_APPEND mode: concurrent appenders never interleave inside a line.
    const n = await f.write(bytes);
    if (n !== bytes.length) {
      throw new Error(`appendLine: short write to ${path}`);
    }
    await f.sync();
  } finally {
    f.close();
  }
}
