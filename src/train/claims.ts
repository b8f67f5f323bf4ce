/**
 * One owner per run in a results folder: before training a run, a process claims it with a file
 * `<out>/claims/<stem>.<hash>.claim` (created exclusively, holding pid, host and start time, for
 * people) and releases it once the record has landed; other processes skip a claimed run, so two
 * `train` processes on one folder split the work instead of training every run twice.
 *
 * A claim is alive while its process holds an flock(2) on the file; the kernel drops the lock when
 * the process dies however it dies (kill -9 included), so a claim left behind is known stale at
 * once — no pid check (which a reused pid would fool, and which Deno cannot make without
 * `/proc` or run permission) and no timeout. Over NFS, Linux maps flock to POSIX locks, which
 * the server holds across hosts. Claims are taken and released, and records appended, under the
 * folder's lock (`<out>/claims/.lock`, also flock), so "is it done, is it claimed, claim it" is
 * one step. A stale claim is taken over and said so. Where libc cannot be loaded, a claim counts
 * as alive (delete the file by hand if its process is gone).
 *
 * @module
 */
import { join } from "node:path";

/** Who holds a claim (for messages). */
export interface ClaimHolder {
  pid: number;
  host: string;
  /** ISO date the claim was taken. */
  started: string;
}

/** Where a results folder keeps its claims and its lock. */
export function claimDir(outDir: string): string {
  return join(outDir, "claims");
}

/** The claim file of run `configHash` of the suite run stored as `<stem>.jsonl`. */
export function claimPath(outDir: string, stem: string, configHash: string): string {
  return join(claimDir(outDir), `${stem}.${configHash.slice(0, 16)}.claim`);
}

/** This process as a claim holder. */
export function thisProcess(): ClaimHolder {
  return { pid: Deno.pid, host: Deno.hostname(), started: new Date().toISOString() };
}

const O_RDWR = 2, LOCK_EX = 2, LOCK_NB = 4;

type Libc = {
  open(path: Uint8Array<ArrayBuffer>, flags: number): number;
  flock(fd: number, op: number): number;
  close(fd: number): number;
};
let libcOnce: Libc | null | undefined;

/** libc's open, flock and close (Deno's own file lock has no non-blocking form). */
function libc(): Libc | null {
  if (libcOnce !== undefined) return libcOnce;
  try {
    libcOnce = Deno.dlopen(Deno.build.os === "darwin" ? "libSystem.B.dylib" : "libc.so.6", {
      open: { parameters: ["buffer", "i32"], result: "i32" },
      flock: { parameters: ["i32", "i32"], result: "i32" },
      close: { parameters: ["i32"], result: "i32" },
    }).symbols as unknown as Libc;
  } catch {
    libcOnce = null;
  }
  return libcOnce;
}

const cPath = (p: string) => new TextEncoder().encode(`${p}\0`);

/** The descriptors holding this process's claims' locks, by path. */
const held = new Map<string, number>();

/**
 * Locks `path` without waiting: the descriptor holding the lock, or null when another process
 * holds it (or the file is gone); `undefined` where libc is not available.
 */
function tryLock(path: string): number | null | undefined {
  const c = libc();
  if (!c) return undefined;
  const fd = c.open(cPath(path), O_RDWR);
  if (fd < 0) return null;
  if (c.flock(fd, LOCK_EX | LOCK_NB) === 0) return fd;
  c.close(fd);
  return null;
}

/**
 * Whether the claim at `path` is held by a live process: its holder (as the file says; null if
 * unreadable) and `alive`; null when there is no claim.
 */
export async function readClaim(
  path: string,
): Promise<{ holder: ClaimHolder | null; alive: boolean } | null> {
  let holder: ClaimHolder | null = null;
  try {
    holder = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
  }
  if (held.has(path)) return { holder, alive: true };
  const fd = tryLock(path);
  if (fd === undefined) return { holder, alive: true };
  if (fd !== null) libc()!.close(fd); // we got the lock: nobody holds it
  return { holder, alive: fd === null };
}

/** Runs `fn` holding the folder's lock (waits for it). */
export async function withFolderLock<T>(outDir: string, fn: () => Promise<T>): Promise<T> {
  await Deno.mkdir(claimDir(outDir), { recursive: true });
  const f = await Deno.open(join(claimDir(outDir), ".lock"), { write: true, create: true });
  try {
    await f.lock(true);
    return await fn();
  } finally {
    f.close(); // closing releases the lock
  }
}

/**
 * Runs `fn` holding the folder's lock shared, as a reader: it waits while a writer (a claim or an
 * appended record, under {@link withFolderLock}) holds it. The lock file is opened read-only, so
 * a dry run needs no write access to the folder; a folder without one has no claim being taken,
 * and `fn` runs at once.
 */
export async function withFolderReadLock<T>(outDir: string, fn: () => Promise<T>): Promise<T> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(join(claimDir(outDir), ".lock"), { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return await fn();
    throw e;
  }
  try {
    await f.lock(false);
    return await fn();
  } finally {
    f.close();
  }
}

/** What {@link claimRun} found. */
export type ClaimResult =
  | { claimed: true; stale: ClaimHolder | null }
  | { claimed: false; holder: ClaimHolder | null };

/**
 * Claims the run at `path` for `me` (call under {@link withFolderLock}): creates the file and
 * locks it. A live claim of another process wins; a stale one is replaced and returned.
 */
export async function claimRun(path: string, me: ClaimHolder): Promise<ClaimResult> {
  if (held.has(path)) return { claimed: true, stale: null };
  let stale: ClaimHolder | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(path, JSON.stringify(me) + "\n", { createNew: true });
      held.set(path, tryLock(path) ?? -1); // -1: no libc, the file alone marks the claim
      return { claimed: true, stale };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const c = await readClaim(path);
    if (c?.alive) return { claimed: false, holder: c.holder };
    stale = c?.holder ?? { pid: 0, host: "?", started: "?" };
    await Deno.remove(path).catch(() => {});
  }
  throw new Error(`could not claim ${path}`);
}

/** Releases this process's claim at `path` (call under {@link withFolderLock}). */
export async function releaseClaim(path: string): Promise<void> {
  const fd = held.get(path);
  if (fd === undefined) return;
  held.delete(path);
  await Deno.remove(path).catch(() => {});
  if (fd >= 0) libc()!.close(fd);
}

/**
 * Removes the claim at `path` when its holder is gone (a run finished by a killed process); call
 * under {@link withFolderLock}.
 */
export async function clearStaleClaim(path: string): Promise<void> {
  const c = await readClaim(path);
  if (c && !c.alive) await Deno.remove(path).catch(() => {});
}
