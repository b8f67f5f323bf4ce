/**
 * Runs a function with the process's stderr (file descriptor 2) pointed at /dev/null, then
 * restores it. TensorFlow's C++ runtime writes its start-up chatter ("oneDNN custom operations
 * are on", absl's pre-init notice) straight to fd 2, ignoring TF_CPP_MIN_LOG_LEVEL, so only a
 * descriptor-level redirect hides it. Linux and macOS through libc's dup/dup2 over FFI; elsewhere,
 * or without `--allow-ffi`, it runs `fn` unchanged.
 *
 * @module
 */

interface Libc {
  dup(fd: number): number;
  dup2(from: number, to: number): number;
  close(fd: number): number;
  open(path: Uint8Array, flags: number): number;
}

let libc: Libc | null | undefined;

function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  const names = Deno.build.os === "darwin" ? ["libSystem.B.dylib"] : ["libc.so.6", "libc.so"];
  for (const name of names) {
    try {
      const lib = Deno.dlopen(name, {
        dup: { parameters: ["i32"], result: "i32" },
        dup2: { parameters: ["i32", "i32"], result: "i32" },
        close: { parameters: ["i32"], result: "i32" },
        open: { parameters: ["buffer", "i32"], result: "i32" },
      });
      const s = lib.symbols;
      libc = {
        dup: (fd) => s.dup(fd),
        dup2: (a, b) => s.dup2(a, b),
        close: (fd) => s.close(fd),
        open: (p, f) => s.open(p as Uint8Array<ArrayBuffer>, f),
      };
      break;
    } catch {
      // not this name, or no --allow-ffi: try the next, else run unredirected
    }
  }
  return libc;
}

/** Runs `fn` with fd 2 silenced when `quiet` is true (and libc is reachable). */
export async function quietStderr<T>(quiet: boolean, fn: () => Promise<T>): Promise<T> {
  const c = quiet && Deno.build.os !== "windows" ? loadLibc() : null;
  if (!c) return await fn();
  const saved = c.dup(2);
  const devNull = c.open(new TextEncoder().encode("/dev/null\0"), 1 /* O_WRONLY */);
  if (saved < 0 || devNull < 0) return await fn();
  c.dup2(devNull, 2);
  c.close(devNull);
  try {
    return await fn();
  } finally {
    c.dup2(saved, 2);
    c.close(saved);
  }
}
