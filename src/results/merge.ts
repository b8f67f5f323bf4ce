/**
 * Merging the result files of a sharded sweep (`deno task train --shard I/N` on N machines) into
 * one suite run.
 *
 * The rules:
 * - Every line is validated ({@link parseResults}); torn or invalid lines are reported in
 *   `problems` and skipped. Within one file the store's rule holds: the last line of a config
 *   wins (`--force` re-runs append).
 * - All records must belong to one suite run: the same `suite` and `grid_hash`, and the schema
 *   version this code knows. Anything else is refused with a {@link MergeError} naming both
 *   sides (file and value).
 * - All records must be computed on one stack: the same `env.backend` and TensorFlow version
 *   (`env.tensorflow`). A shard that fell back to wasm, or ran on another libtensorflow, computes
 *   other numbers; mixing them is refused with a {@link MergeError} naming the files of each
 *   side, unless `allowMixedBackends` is given.
 * - Across files, records are deduplicated by `config_hash`. Two records are **identical** when
 *   the canonical JSON of their `config`, `status`, `status_detail`, `metrics`, `curve` and
 *   `probes` is equal; `run_id`, `env` (date, machine) and `timing` may differ, since re-running a
 *   deterministic config elsewhere changes only those. Identical duplicates are counted and
 *   dropped. Different results for one config are **conflicts**: each is reported, and the
 *   earliest record (by `env.date`, then `run_id`) is the one kept — the CLI refuses to write
 *   unless `--allow-conflicts` is given.
 * - The output is `<outDir>/<suite>-<grid hash 12>.jsonl` (the store's naming), one record per
 *   config, sorted by `config_hash`, written atomically. An output file that already exists is
 *   merged in as one more input, so nothing in it is lost; merging again (or merging the output
 *   with its inputs) writes the same bytes.
 *
 * @example
 * ```ts
 * import { mergeResults } from "./merge.ts";
 * const m = await mergeResults(["shards/shard-1", "shards/shard-2"], "reports/results");
 * console.log(`${m.records.length} runs → ${m.file}`);
 * ```
 *
 * @module
 */
import { join, relative, resolve } from "node:path";
import { writeFileAtomic } from "../fs/atomic.ts";
import { canonicalJson, RESULT_SCHEMA, type ResultRecord } from "./schema.ts";
import { parseResults, type ReadProblem, suiteRunFile } from "./store.ts";

/** Inputs that cannot be merged into one suite run (mixed suites, unknown schema, none). */
export class MergeError extends Error {
  override name = "MergeError";
}

/** Where a record came from. */
export interface RecordSource {
  file: string;
  run_id: string;
  date: string;
}

/** Different results for one config hash. */
export interface MergeConflict {
  config_hash: string;
  /** `task cell T=… seed=…`, for the message. */
  label: string;
  /** The record kept (the earliest). */
  kept: RecordSource;
  /** The other, different records. */
  others: RecordSource[];
  /** The top-level fields that differ between the kept record and the first other one. */
  fields: string[];
}

/** What {@link mergeResults} found and did. */
export interface MergeResult {
  /** The output file (written, or that would have been written). */
  file: string;
  suite: string;
  grid_hash: string;
  /** The merged records, one per config hash, sorted by config hash. */
  records: ResultRecord[];
  /** The `.jsonl` files read, in order. */
  inputs: string[];
  /** Identical duplicate records dropped. */
  duplicates: number;
  conflicts: MergeConflict[];
  /** Torn, invalid or duplicate lines, skipped. */
  problems: ReadProblem[];
  /** Whether the output file was written. */
  written: boolean;
  /** Whether the written bytes differ from what the file held before. */
  changed: boolean;
  /** The compute stacks of the records ({@link stackOf}), one when not mixed. */
  stacks: string[];
}

/** Options of {@link mergeResults}. */
export interface MergeOptions {
  /** Write even when there are conflicts (the earliest record of each is kept). Default false. */
  allowConflicts?: boolean;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
  /** Merge records computed on different backends or TensorFlow versions. Default false. */
  allowMixedBackends?: boolean;
}

/** The fields that make two records of one config "the same result". */
const RESULT_FIELDS = ["config", "status", "status_detail", "metrics", "curve", "probes"] as const;

/** The canonical JSON of what a record's result is (not where or when it ran). */
export function resultIdentity(r: ResultRecord): string {
  return canonicalJson(Object.fromEntries(RESULT_FIELDS.map((f) => [f, r[f]])));
}

/** The `.jsonl` files of the inputs: files as given, folders searched recursively (sorted). */
export async function collectResultFiles(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(input);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new MergeError(`no such file or folder: ${input}`);
      }
      throw e;
    }
    if (info.isFile) files.push(input);
    else if (info.isDirectory) files.push(...await walkJsonl(input));
  }
  // The same file named twice (a folder and a file in it) is read once.
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function walkJsonl(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue; // temp files of atomic writes, hidden folders
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...await walkJsonl(p));
    else if (e.isFile && e.name.endsWith(".jsonl")) out.push(p);
  }
  return out;
}

/** Schema versions other than ours, found before validation (validation only says "unknown"). */
function foreignSchema(text: string): unknown | undefined {
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const v = JSON.parse(line);
      if (v && typeof v === "object" && "schema" in v && v.schema !== RESULT_SCHEMA) {
        return v.schema;
      }
    } catch {
      // torn lines are reported by parseResults
    }
  }
  return undefined;
}

/**
 * What a record was computed on: the backend and, for tensorflow, TensorFlow's version and its
 * thread counts (the graph path splits each batch into one part per inter-op thread, so another
 * count computes other bits).
 */
export function stackOf(r: ResultRecord): string {
  if (!r.env.tensorflow) return r.env.backend;
  const threads = r.env.interOpThreads !== undefined
    ? `, threads ${r.env.threads}×${r.env.interOpThreads}`
    : "";
  return `${r.env.backend} (TensorFlow ${r.env.tensorflow}${threads})`;
}

/** The stacks of the loaded files, each with the files that hold records computed on it. */
function stacksOf(loaded: { file: string; records: ResultRecord[] }[]): Map<string, string[]> {
  const stacks = new Map<string, string[]>();
  for (const { file, records } of loaded) {
    for (const r of records) {
      const s = stackOf(r);
      const files = stacks.get(s) ?? [];
      if (!files.includes(file)) files.push(file);
      stacks.set(s, files);
    }
  }
  return stacks;
}

/** `a, b, c and 4 more`, paths relative to the working folder. */
function fileList(files: string[]): string {
  const rel = files.map((f) => relative(Deno.cwd(), f) || f);
  return rel.length <= 3
    ? rel.join(", ")
    : `${rel.slice(0, 3).join(", ")} and ${rel.length - 3} more`;
}

function label(r: ResultRecord): string {
  return `${r.config.task} ${r.config.cell} T=${r.config.T} seed=${r.config.seed}`;
}

function source(r: ResultRecord, file: string): RecordSource {
  return { file, run_id: r.run_id, date: r.env.date };
}

/** Earlier first: by `env.date`, then `run_id` (a total, machine-independent order). */
function earlier(a: ResultRecord, b: ResultRecord): number {
  return a.env.date < b.env.date
    ? -1
    : a.env.date > b.env.date
    ? 1
    : a.run_id < b.run_id
    ? -1
    : a.run_id > b.run_id
    ? 1
    : 0;
}

function differingFields(a: ResultRecord, b: ResultRecord): string[] {
  return RESULT_FIELDS.filter((f) => canonicalJson(a[f]) !== canonicalJson(b[f]));
}

/** The bytes of a merged suite run file: one JSON line per record. */
export function formatRecords(records: ResultRecord[]): string {
  return records.map((r) => JSON.stringify(r) + "\n").join("");
}

/**
 * Merges the result files under `inputs` (files or folders) into one suite run file in `outDir`.
 * Throws {@link MergeError} for inputs that are not one suite run; see the module doc for the
 * rules on duplicates and conflicts.
 */
export async function mergeResults(
  inputs: string[],
  outDir: string,
  opts: MergeOptions = {},
): Promise<MergeResult> {
  if (inputs.length === 0) throw new MergeError("nothing to merge: give result files or folders");
  const files = await collectResultFiles(inputs);
  if (files.length === 0) {
    throw new MergeError(`no .jsonl result files under ${inputs.join(", ")}`);
  }
  const problems: ReadProblem[] = [];
  const loaded: { file: string; records: ResultRecord[] }[] = [];
  let first: { suite: string; grid_hash: string; file: string } | null = null;
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    const schema = foreignSchema(text);
    if (schema !== undefined) {
      throw new MergeError(
        `refusing to merge: ${file} has result schema version ${
          JSON.stringify(schema)
        }, this merge writes version ${RESULT_SCHEMA}; re-run it or use a matching rnn-gradbench`,
      );
    }
    const parsed = parseResults(text, file);
    problems.push(...parsed.problems);
    for (const r of parsed.records) {
      if (!first) first = { suite: r.suite, grid_hash: r.grid_hash, file };
      else if (r.suite !== first.suite || r.grid_hash !== first.grid_hash) {
        throw new MergeError(
          `refusing to merge different suite runs: ${first.suite}/${
            first.grid_hash.slice(0, 12)
          } (in ${first.file}) and ${r.suite}/${
            r.grid_hash.slice(0, 12)
          } (in ${file}); merge each suite run separately`,
        );
      }
    }
    loaded.push({ file, records: parsed.records });
  }
  if (!first) {
    throw new MergeError(
      `no valid result records in ${files.length} file(s)${
        problems.length
          ? ` (first problem: ${problems[0].file}:${problems[0].line}: ${problems[0].problem})`
          : ""
      }`,
    );
  }

  const out = suiteRunFile(outDir, first.suite, first.grid_hash);
  let before: string | null = null;
  try {
    before = await Deno.readTextFile(out);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const outKey = resolve(out);
  if (before !== null && !files.some((f) => resolve(f) === outKey)) {
    // An existing output is one more input: merging into it never loses a record.
    const schema = foreignSchema(before);
    if (schema !== undefined) {
      throw new MergeError(
        `refusing to merge into ${out}: it has result schema version ${JSON.stringify(schema)}`,
      );
    }
    const parsed = parseResults(before, out);
    problems.push(...parsed.problems);
    for (const r of parsed.records) {
      if (r.suite !== first.suite || r.grid_hash !== first.grid_hash) {
        throw new MergeError(
          `refusing to merge into ${out}: it holds ${r.suite}/${r.grid_hash.slice(0, 12)}`,
        );
      }
    }
    loaded.push({ file: out, records: parsed.records });
    files.push(out);
  }

  const stacks = stacksOf(loaded);
  if (stacks.size > 1 && !opts.allowMixedBackends) {
    throw new MergeError(
      `refusing to merge records computed on different backends: ${
        [...stacks].map(([s, files]) => `${s} in ${fileList(files)}`).join("; ")
      }; re-run the odd shards on one backend and thread count (deno task setup --route wheel), or pass --allow-mixed-backends`,
    );
  }

  // Group by config hash; within a group, the earliest record is the one kept.
  const groups = new Map<string, { r: ResultRecord; file: string }[]>();
  for (const { file, records } of loaded) {
    for (const r of records) {
      const g = groups.get(r.config_hash);
      if (g) g.push({ r, file });
      else groups.set(r.config_hash, [{ r, file }]);
    }
  }
  const records: ResultRecord[] = [];
  const conflicts: MergeConflict[] = [];
  let duplicates = 0;
  for (const g of groups.values()) {
    g.sort((a, b) => earlier(a.r, b.r) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const kept = g[0];
    records.push(kept.r);
    const id = resultIdentity(kept.r);
    const others = g.slice(1).filter((x) => {
      if (resultIdentity(x.r) === id) {
        duplicates++;
        return false;
      }
      return true;
    });
    if (others.length > 0) {
      conflicts.push({
        config_hash: kept.r.config_hash,
        label: label(kept.r),
        kept: source(kept.r, kept.file),
        others: others.map((x) => source(x.r, x.file)),
        fields: differingFields(kept.r, others[0].r),
      });
    }
  }
  records.sort((
    a,
    b,
  ) => (a.config_hash < b.config_hash ? -1 : a.config_hash > b.config_hash ? 1 : 0));
  conflicts.sort((a, b) => (a.config_hash < b.config_hash ? -1 : 1));

  const text = formatRecords(records);
  const changed = text !== before;
  let written = false;
  if (!opts.dryRun && (conflicts.length === 0 || opts.allowConflicts)) {
    if (changed) await writeFileAtomic(out, text);
    written = true;
  }
  return {
    file: out,
    suite: first.suite,
    grid_hash: first.grid_hash,
    records,
    inputs: files,
    duplicates,
    conflicts,
    problems,
    written,
    changed,
    stacks: [...stacks.keys()],
  };
}

/** One line describing a conflict, paths relative to `cwd`. */
export function describeConflict(c: MergeConflict, cwd = Deno.cwd()): string {
  const rel = (p: string) => relative(cwd, p) || p;
  const others = c.others.map((o) => `${rel(o.file)} (run ${o.run_id}, ${o.date})`).join(", ");
  return `conflict for ${c.config_hash.slice(0, 12)} (${c.label}): ${
    c.fields.join(", ")
  } differ; kept ${rel(c.kept.file)} (run ${c.kept.run_id}, ${c.kept.date}), dropped ${others}`;
}
