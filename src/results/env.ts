/**
 * The environment object: what machine and software produced a number. Written into every
 * result record and every bench file (see DESIGN.md, "Contracts that cross issues").
 *
 * @module
 */
import { cpus, release } from "node:os";
import { join, resolve } from "node:path";
import type { BackendInfo } from "../backend.ts";

/** Where and with what a result was produced. */
export interface Environment {
  /** The backend actually used (after any `auto` fallback). */
  backend: string;
  /** Why `auto` fell back from tensorflow, if it did. */
  backendFallback?: string;
  tfjs: string;
  /** TensorFlow C library version (tensorflow backend), else null. */
  tensorflow: string | null;
  /**
   * How setup provisioned that library: `wheel` (the TensorFlow CPU wheel from PyPI, the measured
   * route), `official` (tfjs-node's download) or `dir` (a given folder). Tensorflow backend only;
   * absent in older records and where setup left no stamp.
   */
  tensorflowRoute?: string;
  deno: string;
  v8: string;
  cpu: string;
  /** Logical cores of the machine. */
  cores: number;
  /** Threads the backend computes with (TensorFlow: intra-op threads per kernel). */
  threads: number;
  /** TensorFlow inter-op threads of the graph path (tensorflow backend only). */
  interOpThreads?: number;
  os: string;
  arch: string;
  /** Git commit of the harness (null outside a checkout). */
  commit: string | null;
  /** ISO 8601 timestamp. */
  date: string;
}

/** Collects the environment for `backend`. Needs --allow-read (.git, /proc) and --allow-sys. */
export function collectEnvironment(backend: BackendInfo, root = Deno.cwd()): Environment {
  return {
    backend: backend.name,
    ...(backend.fallbackReason ? { backendFallback: backend.fallbackReason } : {}),
    tfjs: backend.tfjsVersion,
    tensorflow: backend.tensorflowVersion,
    ...(backend.tensorflowRoute ? { tensorflowRoute: backend.tensorflowRoute } : {}),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    cpu: cpuModel(),
    cores: navigator.hardwareConcurrency ?? 1,
    threads: backend.threads,
    ...(backend.interOpThreads !== undefined ? { interOpThreads: backend.interOpThreads } : {}),
    os: `${Deno.build.os} ${safe(() => release(), "")}`.trim(),
    arch: Deno.build.arch,
    commit: gitCommit(root),
    date: new Date().toISOString(),
  };
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

function cpuModel(): string {
  const fromOs = safe(() => cpus()[0]?.model?.trim(), undefined);
  if (fromOs) return fromOs;
  const info = safe(() => Deno.readTextFileSync("/proc/cpuinfo"), "");
  return info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown";
}

/**
 * The commit of the checkout at `root`, read from `.git` directly (no `git` subprocess, so no
 * --allow-run): `$GITHUB_SHA` / `$RNN_GRADBENCH_COMMIT` win when set. In a linked worktree `.git`
 * is a file naming the worktree's own git folder (`gitdir: …`), which holds HEAD, while branch refs
 * live in the main repository's folder (its `commondir`).
 */
export function gitCommit(root: string): string | null {
  const fromEnv = Deno.env.get("RNN_GRADBENCH_COMMIT") ?? Deno.env.get("GITHUB_SHA");
  if (fromEnv) return fromEnv;
  return safe(() => {
    let gitDir = join(root, ".git");
    if (Deno.statSync(gitDir).isFile) {
      const link = Deno.readTextFileSync(gitDir).match(/^gitdir:\s*(.+)$/m)?.[1]?.trim();
      if (!link) return null;
      gitDir = resolve(root, link);
    }
    const head = Deno.readTextFileSync(join(gitDir, "HEAD")).trim();
    if (!head.startsWith("ref: ")) return head;
    const ref = head.slice(5);
    const common = safe(
      () => resolve(gitDir, Deno.readTextFileSync(join(gitDir, "commondir")).trim()),
      gitDir,
    );
    for (const dir of new Set([gitDir, common])) {
      const loose = safe(() => Deno.readTextFileSync(join(dir, ref)).trim(), "");
      if (loose) return loose;
    }
    const packed = Deno.readTextFileSync(join(common, "packed-refs"));
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    return line ? line.split(" ")[0] : null;
  }, null);
}
