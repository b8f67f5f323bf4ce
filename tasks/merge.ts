/**
 * `deno task merge DIR...`: combines the result files of a sharded sweep (one folder or file per
 * shard) into one suite run `<out>/<suite>-<grid hash>.jsonl`. Validates every record,
 * deduplicates by config hash, refuses mixed suites and schema versions, and is idempotent.
 * The rules are in `src/results/merge.ts`.
 *
 * Exit codes: 0 merged; 1 conflicting results for one config (nothing written, unless
 * `--allow-conflicts`); 2 bad input (no inputs, a missing path, mixed suites, unknown schema,
 * records of different backends or TensorFlow versions without `--allow-mixed-backends`).
 *
 * @module
 */
import { relative } from "node:path";
import { helpText, parseFlags, runCli, UsageError } from "../src/cli/args.ts";
import { describeConflict, MergeError, mergeResults } from "../src/results/merge.ts";

const FLAGS = {
  out: {
    type: "string",
    arg: "DIR",
    default: "reports/results",
    description: "where the merged suite run file goes (an existing one is merged in)",
  },
  "allow-conflicts": {
    type: "boolean",
    description: "write even when one config has different results (keeps the earliest)",
  },
  "allow-mixed-backends": {
    type: "boolean",
    description: "merge records computed on different backends or TensorFlow versions",
  },
  "dry-run": { type: "boolean", description: "check and report; write nothing" },
} as const;

const HELP = helpText(
  "deno task merge [--out DIR] [--allow-conflicts] [--allow-mixed-backends] [--dry-run] DIR|FILE...",
  "Merge the result files of several shards (folders are searched for *.jsonl) into one suite run.\n" +
    "Identical duplicates are dropped; different results for one config are conflicts (exit 1);\n" +
    "records of different backends or TensorFlow versions are refused (exit 2).",
  FLAGS,
);

async function main(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, FLAGS, { positionals: true });
  if (positionals.length === 0) {
    throw new UsageError("give at least one results folder or file to merge");
  }
  const rel = (p: string) => relative(Deno.cwd(), p) || p;
  let m;
  try {
    m = await mergeResults(positionals, v.out as string, {
      allowConflicts: v["allow-conflicts"] === true,
      dryRun: v["dry-run"] === true,
      allowMixedBackends: v["allow-mixed-backends"] === true,
    });
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(e.message);
    throw e;
  }
  for (const p of m.problems) {
    console.error(`warning: ${rel(p.file)}:${p.line}: ${p.problem} (skipped)`);
  }
  for (const c of m.conflicts) console.error(describeConflict(c));
  if (m.stacks.length > 1) {
    console.error(
      `warning: merging records of ${m.stacks.length} backends: ${m.stacks.join("; ")}`,
    );
  }
  const summary = `${m.records.length} runs of ${m.suite}/${
    m.grid_hash.slice(0, 12)
  } from ${m.inputs.length} file(s): ${m.duplicates} identical duplicate(s) dropped, ${m.conflicts.length} conflict(s)`;
  if (m.conflicts.length > 0 && !m.written && !v["dry-run"]) {
    console.error(
      `merge: ${summary}; nothing written. Re-run the conflicting configs or pass --allow-conflicts to keep the earliest of each.`,
    );
    return 1;
  }
  const what = v["dry-run"] ? "dry run, would write" : m.changed ? "wrote" : "unchanged";
  console.log(`${summary} → ${rel(m.file)} (${what})`);
  return 0;
}

if (import.meta.main) await runCli("merge", HELP, main);
