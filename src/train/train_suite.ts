/**
 * Runs a grid and stores one record per finished run. Resumable: runs whose config hash is
 * already in the suite run's file are skipped (unless `force`); a run in flight saves a
 * checkpoint every `checkpointEvery` steps (and when asked to suspend) and the next process
 * continues it from there; an interrupt (Ctrl-C) abandons the run in flight without writing it.
 *
 * Several processes may share one results folder: each claims a run before training it
 * (`claims.ts`), so they split the work, and records are appended under the folder's lock.
 *
 * @module
 */
import { basename } from "node:path";
import type { BackendInfo } from "../backend.ts";
import { resolvePath } from "../engine/mod.ts";
import { collectEnvironment } from "../results/env.ts";
import { RESULT_SCHEMA, type ResultRecord } from "../results/schema.ts";
import { appendResult, readAppended, suiteRunFile } from "../results/store.ts";
import { type Grid, runLabel } from "../suite/suite.ts";
import {
  checkpointPath,
  codeVersion,
  DEFAULT_CHECKPOINT_EVERY,
  engineKey,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";
import {
  claimPath,
  claimRun,
  clearStaleClaim,
  releaseClaim,
  thisProcess,
  withFolderLock,
} from "./claims.ts";
import type { Progress } from "./progress.ts";
import {
  RunInterrupted,
  type RunOutcome,
  type RunSnapshot,
  RunSuspended,
  trainRun,
} from "./train_run.ts";

/** Options of {@link trainGrid}. */
export interface TrainGridOptions {
  grid: Grid;
  /** The runs of the grid this process runs (a shard), default all. */
  runs?: Grid["runs"];
  outDir: string;
  backend: BackendInfo;
  force?: boolean;
  progress: Progress;
  /** Polled between steps: true abandons the run in flight (not recorded). */
  shouldStop?: () => boolean;
  /** Polled between steps and runs: true checkpoints the run in flight and ends. */
  shouldSuspend?: () => boolean;
  /** Steps between checkpoints (default {@link DEFAULT_CHECKPOINT_EVERY}; 0: none). */
  checkpointEvery?: number;
}

/** What {@link trainGrid} did. */
export interface TrainGridSummary {
  file: string;
  ran: number;
  skipped: number;
  /** Runs left to other processes training into the same folder. */
  elsewhere: number;
  diverged: number;
  failed: number;
  interrupted: boolean;
  /** Ended by {@link TrainGridOptions.shouldSuspend}, the run in flight checkpointed. */
  suspended: boolean;
}

/** A summary of nothing done yet, for results in `file`. */
export function emptySummary(file: string): TrainGridSummary {
  return {
    file,
    ran: 0,
    skipped: 0,
    elsewhere: 0,
    diverged: 0,
    failed: 0,
    interrupted: false,
    suspended: false,
  };
}

/** Follows the suite run's file: the config hashes stored, as other processes append them. */
function doneFollower(file: string) {
  let offset = 0;
  const done = new Set<string>();
  return {
    done,
    /** Reads what was appended since; returns its problems. */
    async refresh() {
      const r = await readAppended(file, offset);
      offset = r.offset;
      for (const rec of r.records) done.add(rec.config_hash);
      return r.problems;
    },
  };
}

/** The one-line summary of a finished run. */
function outcomeText(o: RunOutcome): string {
  const m = o.metrics;
  return o.status === "ok"
    ? `test loss ${m.test_loss?.toPrecision(3)}, accuracy ${m.test_accuracy?.toFixed(3)}${
      m.steps_to_solve != null ? ` (solved at step ${m.steps_to_solve})` : ""
    }${o.stopped_early ? `, stopped early at step ${o.end_step}` : ""}`
    : `at step ${o.status_detail?.step}: ${o.status_detail?.reason}`;
}

/** Trains every run of the grid (or shard) not already stored, appending a record for each. */
export async function trainGrid(o: TrainGridOptions): Promise<TrainGridSummary> {
  const runs = o.runs ?? o.grid.runs;
  const file = suiteRunFile(o.outDir, o.grid.suite, o.grid.gridHash);
  const stem = basename(file).replace(/\.jsonl$/, "");
  const follow = doneFollower(file);
  for (const p of await follow.refresh()) {
    o.progress.line(`note: ${p.file}:${p.line}: ${p.problem} (ignored)`);
  }
  // With --force, what was stored before this process started is re-run; what other processes
  // store meanwhile is not.
  const before = o.force ? new Set(follow.done) : new Set<string>();
  const isDone = (h: string) => follow.done.has(h) && !before.has(h);
  const me = thisProcess();
  const identity = {
    code_version: await codeVersion(),
    engine: engineKey(o.backend, resolvePath()),
  };
  const every = o.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  const summary = emptySummary(file);
  for (let i = 0; i < runs.length; i++) {
    if (o.shouldSuspend?.()) {
      summary.suspended = true;
      break;
    }
    const { config, hash } = runs[i];
    const label = runLabel(config);
    const ckFile = checkpointPath(o.outDir, stem, hash);
    const claimFile = claimPath(o.outDir, stem, hash);
    const got = isDone(hash) ? "done" : await withFolderLock(o.outDir, async () => {
      await follow.refresh();
      if (isDone(hash)) return "done" as const;
      return await claimRun(claimFile, me);
    });
    if (got === "done") {
      // A record landed: whatever its writer left behind (killed before cleaning up) goes.
      await removeCheckpoint(ckFile);
      await withFolderLock(o.outDir, () => clearStaleClaim(claimFile));
      summary.skipped++;
      o.progress.runSkipped(i, runs.length, label, "already in results (--force re-runs)");
      continue;
    }
    if (!got.claimed) {
      const h = got.holder;
      summary.elsewhere++;
      o.progress.runSkipped(
        i,
        runs.length,
        label,
        h
          ? `pid ${h.pid} on ${h.host} trains it (since ${h.started})`
          : "claimed by another process",
      );
      continue;
    }
    o.progress.runStart(i, runs.length, label, config.steps);
    if (got.stale) {
      const h = got.stale;
      o.progress.line(
        `note: ${label}: took over the claim of pid ${h.pid} on ${h.host} (${h.started}); that process is gone`,
      );
    }
    let outcome: RunOutcome;
    try {
      const id = { ...identity, config_hash: hash };
      const read = await readCheckpoint(ckFile, id);
      let resume: RunSnapshot | undefined;
      if (read?.ok) {
        resume = read.snapshot;
        o.progress.line(`${label}: resumed from step ${read.meta.step} (${ckFile})`);
      } else if (read) {
        o.progress.line(
          `${label}: checkpoint ${ckFile} refused: ${read.reason}; starting from step 0`,
        );
        await removeCheckpoint(ckFile);
      }
      outcome = await trainRun(config, {
        onStep: (s) => o.progress.step(s),
        onEval: (e) => o.progress.evaluation(e),
        shouldStop: o.shouldStop,
        shouldSuspend: o.shouldSuspend,
      }, {
        resume,
        every,
        save: async (snap) => {
          try {
            await writeCheckpoint(ckFile, { ...id, steps: config.steps }, snap);
          } catch (e) {
            o.progress.line(
              `note: ${label}: checkpoint not written (${(e as Error).message.split("\n")[0]})`,
            );
          }
        },
      });
      const record: ResultRecord = {
        schema: RESULT_SCHEMA,
        kind: "result",
        run_id: `${hash.slice(0, 12)}-${Date.now().toString(36)}-${
          crypto.randomUUID().slice(0, 8)
        }`,
        suite: o.grid.suite,
        grid_hash: o.grid.gridHash,
        config_hash: hash,
        config,
        env: collectEnvironment(o.backend),
        ...outcome,
      };
      await withFolderLock(o.outDir, () => appendResult(file, record));
      await removeCheckpoint(ckFile);
    } catch (e) {
      if (e instanceof RunInterrupted) summary.interrupted = true;
      else if (e instanceof RunSuspended) summary.suspended = true;
      else throw e;
      break;
    } finally {
      await withFolderLock(o.outDir, () => releaseClaim(claimFile));
    }
    summary.ran++;
    if (outcome.status === "diverged") summary.diverged++;
    if (outcome.status === "failed") summary.failed++;
    o.progress.runEnd(label, outcome.status, outcome.timing.total_s, outcomeText(outcome));
  }
  return summary;
}
