/**
 * Command-line parsing for the `tasks/*.ts` CLIs, on top of `node:util`'s `parseArgs`.
 *
 * JSR (and so `jsr:@std/cli`) is unreachable on our build machines; this is the one module
 * to change when switching to `@std/cli/parse-args`.
 *
 * Every task: `--help` prints its help and exits 0; bad input throws {@link UsageError},
 * which {@link runCli} turns into one line on stderr and exit code 2, before anything is written.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** Bad command-line input or a bad input file: one readable line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** One flag of a task. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** Shown in `--help`. */
  description: string;
  short?: string;
  default?: string | boolean;
  multiple?: boolean;
  /** Placeholder shown in `--help`, e.g. `N` or `DIR`. */
  arg?: string;
}

/** The flags of a task, by long name. */
export type FlagSpecs = Record<string, FlagSpec>;

/** Parsed flags: strings, booleans, string lists, plus positional arguments. */
export interface ParsedFlags {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `specs`. Unknown flags and missing flag values throw {@link UsageError}.
 *
 * @example
 * ```ts
 * const { values } = parseFlags(["--steps", "10"], {
 *   steps: { type: "string", description: "training steps" },
 * });
 * // values.steps === "10"
 * ```
 */
export function parseFlags(
  argv: string[],
  specs: FlagSpecs,
  opts: { positionals?: boolean } = {},
): ParsedFlags {
  const options: Record<
    string,
    {
      type: "string" | "boolean";
      short?: string;
      multiple?: boolean;
      default?: string | boolean;
    }
  > = {};
  for (const [name, s] of Object.entries(specs)) {
    options[name] = { type: s.type };
    if (s.short) options[name].short = s.short;
    if (s.multiple) options[name].multiple = true;
    if (s.default !== undefined) options[name].default = s.default;
  }
  // `--steps -3` is "ambiguous" to node's parser; join negative numbers to their string flag so
  // the value reaches the range check and gets a clear message.
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith("--") ? argv[i].slice(2) : null;
    if (name && specs[name]?.type === "string" && /^-\d/.test(argv[i + 1] ?? "")) {
      joined.push(`--${name}=${argv[++i]}`);
    } else joined.push(argv[i]);
  }
  try {
    const parsed = parseArgs({
      args: joined,
      options,
      strict: true,
      allowPositionals: opts.positionals ?? false,
    });
    return {
      values: parsed.values as ParsedFlags["values"],
      positionals: parsed.positionals,
    };
  } catch (e) {
    throw new UsageError(cleanParseError(e));
  }
}

function cleanParseError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // node's messages carry advice on a second line ("To specify a positional argument…").
  return msg.split("\n")[0].replace(/\.$/, "");
}

/** Renders the help text of a task from its usage line, summary and flags. */
export function helpText(
  usage: string,
  summary: string,
  specs: FlagSpecs,
): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `  ${s.short ? `-${s.short}, ` : ""}--${name}${
      s.type === "string" ? ` ${s.arg ?? "VALUE"}` : ""
    }`;
    const def = s.default !== undefined && s.default !== false ? ` (default: ${s.default})` : "";
    return [left, s.description + def] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length), 10) + 2;
  const lines = rows.map(([l, r]) => l.padEnd(width) + r);
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${lines.join("\n")}\n`;
}

/**
 * Runs a task's main function: prints `--help`, turns {@link UsageError} into one line on
 * stderr and exit 2, any other error into one line and exit 1, and exits with `main`'s code.
 */
export async function runCli(
  name: string,
  help: string,
  main: (argv: string[]) => Promise<number | void> | number | void,
  argv: string[] = Deno.args,
): Promise<never> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(help.trimEnd());
    Deno.exit(0);
  }
  try {
    const code = await main(argv);
    Deno.exit(code ?? 0);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${name}: ${e.message} (see --help)`);
      Deno.exit(2);
    }
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`${name}: ${msg.split("\n")[0]}`);
    if (Deno.env.get("RNN_GRADBENCH_DEBUG") && e instanceof Error) {
      console.error(e.stack);
    }
    Deno.exit(1);
  }
}

/** A whole number ≥ `min` (default 1), or a UsageError naming the flag. */
export function parseInteger(flag: string, value: string, min = 1): number {
  if (!/^-?\d+$/.test(value.trim())) {
    throw new UsageError(`--${flag} must be a whole number, got '${value}'`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(
      `--${flag} must be a whole number ≥ ${min}, got '${value}'`,
    );
  }
  return n;
}

/** A finite number (optionally > 0), or a UsageError naming the flag. */
export function parseNumber(
  flag: string,
  value: string,
  opts: { positive?: boolean } = {},
): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (opts.positive && n <= 0)) {
    throw new UsageError(
      `--${flag} must be a ${opts.positive ? "positive" : "finite"} number, got '${value}'`,
    );
  }
  return n;
}

/** A comma-separated list of whole numbers ≥ `min`, e.g. `--lengths 50,100,200`. */
export function parseIntegerList(
  flag: string,
  value: string,
  min = 1,
): number[] {
  const parts = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) {
    throw new UsageError(`--${flag} needs at least one value`);
  }
  return parts.map((p) => parseInteger(flag, p, min));
}

/** A comma-separated list of names, e.g. `--cells lstm,gru`. */
export function parseNameList(flag: string, value: string): string[] {
  const parts = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) {
    throw new UsageError(`--${flag} needs at least one value`);
  }
  return parts;
}

/** One of `choices`, or a UsageError listing them. */
export function parseChoice<T extends string>(
  flag: string,
  value: string,
  choices: readonly T[],
): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `--${flag} must be one of ${choices.join(", ")}; got '${value}'`,
    );
  }
  return value as T;
}
