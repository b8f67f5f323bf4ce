/**
 * Reading the history of scheduled runs: a folder with one subfolder per run
 * (`history/2026-11-27T0300Z-<commit7>/<suite>-<grid hash>.jsonl`, as the benchmark workflow
 * writes it) and/or plain results files directly inside it.
 *
 * @module
 */
import { join } from "node:path";
import type { ResultRecord } from "../results/schema.ts";
import { type ReadProblem, readResultsDir } from "../results/store.ts";

/** One suite run of the history. */
export interface HistoryRun {
  /** `<folder>/<file stem>` for runs in a subfolder, else the file stem. */
  id: string;
  file: string;
  suite: string;
  grid_hash: string;
  /** When the run happened (ISO): from the folder name, else its earliest record. */
  date: string;
  /** The harness commit: from the folder name, else the commit most of its records name. */
  commit: string | null;
  records: ResultRecord[];
}

/** `2026-11-27T0300Z-abc1234` → date and commit. */
const RUN_FOLDER = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})?Z-([0-9a-fA-F]{7,40})$/;

/** The date and commit a history subfolder's name encodes, or null when it encodes none. */
export function parseRunFolder(name: string): { date: string; commit: string } | null {
  const m = name.match(RUN_FOLDER);
  if (!m) return null;
  const date = `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? "00"}.000Z`;
  if (Number.isNaN(Date.parse(date))) return null;
  return { date, commit: m[5].toLowerCase() };
}

/** The name the workflow gives a run's history folder (inverse of {@link parseRunFolder}). */
export function runFolderName(date: Date, commit: string): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z-${commit.slice(0, 7)}`;
}

function commonCommit(records: ResultRecord[]): string | null {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.env.commit) counts.set(r.env.commit, (counts.get(r.env.commit) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [c, n] of counts) if (best === null || n > counts.get(best)!) best = c;
  return best;
}

/**
 * Reads every suite run under `dir` (its `*.jsonl` files and those of its direct subfolders),
 * oldest first by date, then id. A missing folder reads as no runs.
 */
export async function loadHistory(
  dir: string,
): Promise<{ runs: HistoryRun[]; problems: ReadProblem[] }> {
  const runs: HistoryRun[] = [];
  const problems: ReadProblem[] = [];
  const folders: { path: string; name: string | null }[] = [{ path: dir, name: null }];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory && !e.name.startsWith(".")) {
        folders.push({ path: join(dir, e.name), name: e.name });
      }
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { runs, problems };
    throw e;
  }
  for (const f of folders) {
    const read = await readResultsDir(f.path);
    problems.push(...read.problems);
    const parsed = f.name ? parseRunFolder(f.name) : null;
    for (const r of read.runs) {
      runs.push({
        id: f.name ? `${f.name}/${r.id}` : r.id,
        file: r.file,
        suite: r.suite,
        grid_hash: r.grid_hash,
        date: parsed?.date ?? r.started,
        commit: parsed?.commit ?? commonCommit(r.records),
        records: r.records,
      });
    }
  }
  runs.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  return { runs, problems };
}

/** A short label of a run for tables and tooltips: `2026-11-27 03:00 · abc1234`. */
export function runLabel(run: Pick<HistoryRun, "date" | "commit">): string {
  return `${run.date.slice(0, 10)} ${run.date.slice(11, 16)} · ${
    run.commit ? run.commit.slice(0, 7) : "no commit"
  }`;
}
