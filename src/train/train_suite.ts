/**
 * Runs a grid and stores one record per finished run. Resumable: runs whose config hash is
 * already in the suite run's file are skipped (unless `force`); a killed process loses at most
 * the run in flight; an interrupt (Ctrl-C) abandons the run in flight without writing it.
 *
 * @module
 */
import type { BackendInfo } from "../backend.ts";
import { collectEnvironment } from "../results/env.ts";
import { RESULT_SCHEMA, type ResultRecord } from "../results/schema.ts";
import { appendResult, suiteRunFile } from "../results/store.ts";
import { type Grid, runLabel } from "../suite/suite.ts";
import { readDoneHashes } from "./plan.ts";
import type { Progress } from "./progress.ts";
import { RunInterrupted, trainRun } from "./train_run.ts";

/** Options of {@link trainGrid}. */
export interface TrainGridOptions {
  grid: Grid;
  /** The runs of the grid this process runs (a shard), default all. */
  runs?: Grid["runs"];
  outDir: string;
  backend: BackendInfo;
  force?: boolean;
  progress: Progress;
  shouldStop?: () => boolean;
}

/** What {@link trainGrid} did. */
export interface TrainGridSummary {
  file: string;
  ran: number;
  skipped: number;
  diverged: number;
  failed: number;
  interrupted: boolean;
}

/** Trains every run of the grid (or shard) not already stored, appending a record for each. */
export async function trainGrid(o: TrainGridOptions): Promise<TrainGridSummary> {
  const runs = o.runs ?? o.grid.runs;
  const file = suiteRunFile(o.outDir, o.grid.suite, o.grid.gridHash);
  const { done, problems } = await readDoneHashes(file);
  for (const p of problems) o.progress.line(`note: ${p.file}:${p.line}: ${p.problem} (ignored)`);
  const summary: TrainGridSummary = {
    file,
    ran: 0,
    skipped: 0,
    diverged: 0,
    failed: 0,
    interrupted: false,
  };
  for (let i = 0; i < runs.length; i++) {
    const { config, hash } = runs[i];
    const label = runLabel(config);
    if (done.has(hash) && !o.force) {
      summary.skipped++;
      o.progress.runSkipped(i, runs.length, label, "already in results (--force re-runs)");
      continue;
    }
    o.progress.runStart(i, runs.length, label, config.steps);
    let outcome;
    try {
      outcome = await trainRun(config, {
        onStep: (s) => o.progress.step(s),
        onEval: (e) => o.progress.evaluation(e),
        shouldStop: o.shouldStop,
      });
    } catch (e) {
      if (e instanceof RunInterrupted) {
        summary.interrupted = true;
        break;
      }
      throw e;
    }
    const record: ResultRecord = {
      schema: RESULT_SCHEMA,
      kind: "result",
      run_id: `${hash.slice(0, 12)}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`,
      suite: o.grid.suite,
      grid_hash: o.grid.gridHash,
      config_hash: hash,
      config,
      env: collectEnvironment(o.backend),
      ...outcome,
    };
    await appendResult(file, record);
    summary.ran++;
    if (outcome.status === "diverged") summary.diverged++;
    if (outcome.status === "failed") summary.failed++;
    const m = outcome.metrics;
    const summaryText = outcome.status === "ok"
      ? `test loss ${m.test_loss?.toPrecision(3)}, accuracy ${m.test_accuracy?.toFixed(3)}${
        m.steps_to_solve != null ? ` (solved at step ${m.steps_to_solve})` : ""
      }${outcome.stopped_early ? `, stopped early at step ${outcome.end_step}` : ""}`
      : `at step ${outcome.status_detail?.step}: ${outcome.status_detail?.reason}`;
    o.progress.runEnd(label, outcome.status, outcome.timing.total_s, summaryText);
  }
  return summary;
}
