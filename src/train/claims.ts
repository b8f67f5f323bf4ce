/**
 * One owner per run in a results folder: before training a run, a process claims it with a file
 * `<out>/claims/<stem>.<hash>.claim` (created exclusively, holding pid, host and start time) and
 * releases it once the record has landed; other processes skip a claimed run, so two `train`
 * processes on one folder split the work instead of training every run twice.
 *
 * Claims are taken and released, and records appended, under the folder's lock
 * (`<out>/claims/.lock`, flock(2): the kernel releases it when its holder dies, so it never goes
 * stale), so "is it done, is it claimed, claim it" is one step. A claim whose process is gone —
 * same host, and no live process with that pid and start time (Linux `/proc`) — is stale: it is
 * removed, said so in one line, and the run claimed anew. A claim from another host is honoured
 * (its pid cannot be checked from here): delete the file by hand if that host is gone.
 *
 * @module
 */
import { join } from "node:path";

/** Who holds a claim. */
export interface ClaimHolder {
  pid: number;
  host: string;
  /** ISO date the claim was taken. */
  started: string;
  /** The process's start time in clock ticks since boot (Linux), telling a reused pid apart. */
  proc_start: string | null;
}

/** Where a results folder keeps its claims and its lock. */
export function claimDir(outDir: string): string {
  return join(outDir, "claims");
}

/** The claim file of run `configHash` of the suite run stored as `<stem>.jsonl`. */
export function claimPath(outDir: string, stem: string, configHash: string): string {
  return join(claimDir(outDir), `${stem}.${configHash.slice(0, 16)}.claim`);
}

/** The start time of process `pid` (clock ticks since boot) or null where `/proc` cannot tell. */
function procStart(pid: number): string | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Field 22, counted after the command name (which may hold spaces) closes.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** This process as a claim holder. */
export function thisProcess(): ClaimHolder {
  return {
    pid: Deno.pid,
    host: Deno.hostname(),
    started: new Date().toISOString(),
    proc_start: procStart(Deno.pid),
  };
}

/**
 * True when `h`'s process is known to be gone: on this host, with `/proc`, no process `h.pid`
 * started when `h` says.
 */
export function holderGone(h: ClaimHolder): boolean {
  if (h.host !== Deno.hostname()) return false;
  let procs = true;
  try {
    Deno.statSync("/proc/self");
  } catch {
    procs = false;
  }
  if (!procs) return false;
  const now = procStart(h.pid);
  return now === null || (h.proc_start !== null && now !== h.proc_start);
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

/** What {@link claimRun} found. */
export type ClaimResult =
  | { claimed: true; stale: ClaimHolder | null }
  | { claimed: false; holder: ClaimHolder };

/**
 * Claims the run at `path` for `me` (call under {@link withFolderLock}). A live claim of another
 * process wins; a stale one (see {@link holderGone}, or unreadable: its writer died writing it)
 * is replaced and returned as `stale`.
 */
export async function claimRun(path: string, me: ClaimHolder): Promise<ClaimResult> {
  let stale: ClaimHolder | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const f = await Deno.open(path, { write: true, createNew: true });
      try {
        await f.write(new TextEncoder().encode(JSON.stringify(me) + "\n"));
      } finally {
        f.close();
      }
      return { claimed: true, stale };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    let holder: ClaimHolder;
    try {
      holder = JSON.parse(await Deno.readTextFile(path));
    } catch {
      holder = { pid: 0, host: Deno.hostname(), started: "?", proc_start: null };
    }
    if (holder.pid === me.pid && holder.host === me.host) return { claimed: true, stale: null };
    if (holder.pid !== 0 && !holderGone(holder)) return { claimed: false, holder };
    stale = holder;
    await Deno.remove(path).catch(() => {});
  }
  throw new Error(`could not claim ${path}`);
}

/** Releases a claim of `me` (missing is fine; another's is left alone). */
export async function releaseClaim(path: string, me: ClaimHolder): Promise<void> {
  try {
    const h = JSON.parse(await Deno.readTextFile(path)) as ClaimHolder;
    if (h.pid === me.pid && h.host === me.host) await Deno.remove(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound) && !(e instanceof SyntaxError)) throw e;
  }
}

/** Removes the claim at `path` when its holder is gone (a run finished by a killed process). */
export async function clearStaleClaim(path: string): Promise<void> {
  try {
    const h = JSON.parse(await Deno.readTextFile(path)) as ClaimHolder;
    if (holderGone(h)) await Deno.remove(path);
  } catch {
    // no claim, or one being written: nothing to clear
  }
}
