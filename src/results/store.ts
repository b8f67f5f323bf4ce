/**
 * The results store: one append-only JSONL file per suite run, one validated
 * {@link ResultRecord} per line.
 *
 * Writers append whole lines (src/fs/atomic.ts `appendLine`: one write, fsync), so a killed
 * process loses at most the run in flight and can leave at worst a torn last line. Readers
 * validate every line and report — never pass on — torn, duplicate or invalid lines.
 *
 * File naming: `<suite>-<grid hash, 12 hex>.jsonl` in the results folder, so re-running the same
 * command finds its file again and resumes.
 *
 * @module
 */
import { basename, join } from "node:path";
import { appendLine } from "../fs/atomic.ts";
import { type ResultRecord, SchemaError, validateResult } from "./schema.ts";

/** One suite run as read back from its file. */
export interface SuiteRun {
  /** The file's stem, e.g. `quick-1a2b3c4d5e6f`. */
  id: string;
  file: string;
  suite: string;
  grid_hash: string;
  /** Valid records, one per config hash (the last line wins: `--force` re-runs append). */
  records: ResultRecord[];
  /** Earliest and latest record dates (ISO). */
  started: string;
  finished: string;
}

/** What a read found wrong, per file and line (1-based). */
export interface ReadProblem {
  file: string;
  line: number;
  problem: string;
}

/** The file a suite run with this grid is stored in. */
export function suiteRunFile(dir: string, suite: string, gridHash: string): string {
  const safe = suite.replace(/[^A-Za-z0-9._-]+/g, "_");
  return join(dir, `${safe}-${gridHash.slice(0, 12)}.jsonl`);
}

/** Appends one record (validated first) to a suite run file. */
export async function appendResult(file: string, record: ResultRecord): Promise<void> {
  validateResult(JSON.parse(JSON.stringify(record)));
  await appendLine(file, JSON.stringify(record));
}

/** Parses a results file's text: valid records (deduplicated by config hash) and problems. */
export function parseResults(
  text: string,
  file = "(text)",
): { records: ResultRecord[]; problems: ReadProblem[] } {
  const byHash = new Map<string, ResultRecord>();
  const seenRunIds = new Set<string>();
  const problems: ReadProblem[] = [];
  const lines = text.split("\n");
  // A file that does not end in a newline has a torn last line (a write cut short).
  const complete = text.endsWith("\n") ? lines.length - 1 : lines.length;
  for (let i = 0; i < complete; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    if (i === lines.length - 1 && !text.endsWith("\n")) {
      problems.push({ file, line: i + 1, problem: "torn last line (the writer was killed)" });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push({ file, line: i + 1, problem: "not valid JSON (torn or corrupt line)" });
      continue;
    }
    try {
      const rec = validateResult(parsed);
      if (seenRunIds.has(rec.run_id)) {
        problems.push({ file, line: i + 1, problem: `duplicate line for run ${rec.run_id}` });
        continue;
      }
      seenRunIds.add(rec.run_id);
      byHash.delete(rec.config_hash); // keep insertion order = latest position
      byHash.set(rec.config_hash, rec);
    } catch (e) {
      const msg = e instanceof SchemaError ? e.message : String(e);
      problems.push({ file, line: i + 1, problem: msg });
    }
  }
  return { records: [...byHash.values()], problems };
}

/**
 * The records appended to `file` from byte `offset` on, complete lines only, and the offset after
 * them (where the next call starts): how a writer follows a file other processes append to. A
 * missing file reads as empty.
 */
export async function readAppended(
  file: string,
  offset: number,
): Promise<{ records: ResultRecord[]; problems: ReadProblem[]; offset: number }> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { records: [], problems: [], offset };
    throw e;
  }
  try {
    const size = (await f.stat()).size;
    if (size <= offset) return { records: [], problems: [], offset };
    const buf = new Uint8Array(size - offset);
    await f.seek(offset, Deno.SeekMode.Start);
    for (let got = 0; got < buf.length;) {
      const n = await f.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    const end = buf.lastIndexOf(0x0a) + 1;
    const { records, problems } = parseResults(
      new TextDecoder().decode(buf.subarray(0, end)),
      file,
    );
    return { records, problems, offset: offset + end };
  } finally {
    f.close();
  }
}

/** Reads one suite run file. Returns null when it holds no valid record. */
export async function readSuiteRun(
  file: string,
): Promise<{ run: SuiteRun | null; problems: ReadProblem[] }> {
  const text = await Deno.readTextFile(file);
  const { records, problems } = parseResults(text, file);
  if (records.length === 0) return { run: null, problems };
  const dates = records.map((r) => r.env.date).sort();
  const first = records[0];
  for (const r of records) {
    if (r.suite !== first.suite || r.grid_hash !== first.grid_hash) {
      problems.push({
        file,
        line: 0,
        problem: `mixed suite runs in one file (${first.suite}/${
          first.grid_hash.slice(0, 12)
        } and ${r.suite}/${r.grid_hash.slice(0, 12)})`,
      });
      break;
    }
  }
  return {
    run: {
      id: basename(file).replace(/\.jsonl$/, ""),
      file,
      suite: first.suite,
      grid_hash: first.grid_hash,
      records,
      started: dates[0],
      finished: dates[dates.length - 1],
    },
    problems,
  };
}

/**
 * Reads every `*.jsonl` in `dir` (not recursive). Runs come sorted oldest first by their latest
 * record, so `runs.at(-1)` is the newest. A missing folder reads as empty.
 */
export async function readResultsDir(
  dir: string,
): Promise<{ runs: SuiteRun[]; problems: ReadProblem[] }> {
  const runs: SuiteRun[] = [];
  const problems: ReadProblem[] = [];
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { runs, problems };
    throw e;
  }
  for (
    const e of entries.filter((e) => e.isFile && e.name.endsWith(".jsonl")).sort((a, b) =>
      a.name.localeCompare(b.name)
    )
  ) {
    const r = await readSuiteRun(join(dir, e.name));
    problems.push(...r.problems);
    if (r.run) runs.push(r.run);
  }
  runs.sort((a, b) => a.finished.localeCompare(b.finished) || a.id.localeCompare(b.id));
  return { runs, problems };
}
