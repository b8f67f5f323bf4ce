/**
 * Loads what the report shows: the suite runs of a results folder (the newest, or one by id),
 * the newest bench file, and the published reference points of the `paper` suite. Nothing here
 * fails on absent inputs: a missing folder or file reads as "none" and is said in `notes`.
 *
 * @module
 */
import { join } from "node:path";
import { type BenchFile, SchemaError, validateBench } from "../results/schema.ts";
import { readResultsDir, type SuiteRun } from "../results/store.ts";

export type { Reference } from "../suite/suite.ts";
import type { Reference } from "../suite/suite.ts";

/** Bad input to the report (an unknown `--run`): the CLI turns it into exit code 2. */
export class ReportInputError extends Error {
  override name = "ReportInputError";
}

/** Everything the report is built from. */
export interface ReportData {
  /** The suite run shown (null: no results). */
  run: SuiteRun | null;
  /** All suite runs found, oldest first (the history). */
  runs: SuiteRun[];
  bench: { file: string; data: BenchFile } | null;
  references: Reference[];
  /** Problems met while reading (torn lines, invalid files), one line each. */
  notes: string[];
}

const METRICS = ["test_mse", "test_accuracy", "test_loss"] as const;

/**
 * Reads the `references` of a suite file (default `suites/paper.json`). A missing file or field
 * means no reference points; invalid entries are skipped and reported in `problems`.
 */
export async function readReferences(
  path = "suites/paper.json",
): Promise<{ references: Reference[]; problems: string[] }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { references: [], problems: [] };
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { references: [], problems: [`${path}: not valid JSON; no reference points shown`] };
  }
  const refs = (parsed as { references?: unknown })?.references;
  if (refs === undefined) return { references: [], problems: [] };
  if (!Array.isArray(refs)) {
    return { references: [], problems: [`${path}: 'references' is not an array`] };
  }
  const references: Reference[] = [];
  const problems: string[] = [];
  refs.forEach((r, i) => {
    const o = r as Record<string, unknown>;
    const ok = typeof o === "object" && o !== null &&
      (o.task === "adding" || o.task === "copy") &&
      typeof o.T === "number" && Number.isFinite(o.T) &&
      typeof o.cell === "string" &&
      (METRICS as readonly unknown[]).includes(o.metric) &&
      typeof o.value === "number" && Number.isFinite(o.value);
    if (!ok) {
      problems.push(`${path}: references[${i}] is not {task, T, cell, metric, value, source}`);
      return;
    }
    references.push({
      task: o.task as Reference["task"],
      T: o.T as number,
      cell: o.cell as string,
      metric: o.metric as Reference["metric"],
      value: o.value as number,
      source: typeof o.source === "string" ? o.source : "",
    });
  });
  return { references, problems };
}

/**
 * The newest valid bench file (`*.json`) in `dir`, by its environment date (then file name).
 * A missing folder or no valid file gives null.
 */
export async function readNewestBench(
  dir: string,
): Promise<{ bench: { file: string; data: BenchFile } | null; problems: string[] }> {
  const problems: string[] = [];
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".json"))
      .map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { bench: null, problems };
    throw e;
  }
  const found: { file: string; data: BenchFile }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      found.push({ file, data: validateBench(JSON.parse(await Deno.readTextFile(file))) });
    } catch (e) {
      const why = e instanceof SchemaError
        ? e.message
        : e instanceof SyntaxError
        ? "not valid JSON"
        : String(e);
      problems.push(`${file}: ${why}; skipped`);
    }
  }
  found.sort((a, b) =>
    String(a.data.env?.date ?? "").localeCompare(String(b.data.env?.date ?? "")) ||
    a.file.localeCompare(b.file)
  );
  return { bench: found.at(-1) ?? null, problems };
}

/** Options of {@link loadReportData}. */
export interface LoadOptions {
  resultsDir: string;
  benchDir: string;
  referencesPath?: string;
  /** `newest` (default) or a suite run id (the results file's stem). */
  run?: "newest" | string;
}

/**
 * Reads results, bench and references. Throws {@link ReportInputError} for a `run` id that is
 * not in the results folder.
 */
export async function loadReportData(opts: LoadOptions): Promise<ReportData> {
  const { runs, problems } = await readResultsDir(opts.resultsDir);
  const notes = problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.problem}`);
  let run: SuiteRun | null = runs.at(-1) ?? null;
  if (opts.run && opts.run !== "newest") {
    run = runs.find((r) => r.id === opts.run) ?? null;
    if (!run) {
      const known = runs.map((r) => r.id);
      throw new ReportInputError(
        `no suite run '${opts.run}' in ${opts.resultsDir} (${
          known.length ? `have: ${known.join(", ")}` : "it holds no results"
        })`,
      );
    }
  }
  const b = await readNewestBench(opts.benchDir);
  notes.push(...b.problems);
  const refs = await readReferences(opts.referencesPath ?? "suites/paper.json");
  notes.push(...refs.problems);
  return { run, runs, bench: b.bench, references: refs.references, notes };
}
