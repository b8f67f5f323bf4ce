/**
 * Runs one of the project's scripts (a task CLI) in a child Deno process for end-to-end tests,
 * with explicit permissions, as `deno task` would.
 *
 * @module
 */

/** What a child process did. */
export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runScript}. */
export interface RunScriptOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * `deno run PERMISSIONS SCRIPT ARGS` with stdin closed and NO_COLOR set; resolves when it exits.
 *
 * @example
 * ```ts
 * const r = await runScript("tasks/train.ts", ["--allow-read"], ["--help"]);
 * console.log(r.code, r.stdout);
 * ```
 */
export async function runScript(
  script: string,
  permissions: string[],
  args: string[],
  opts: RunScriptOptions = {},
): Promise<ScriptResult> {
  const out = await scriptCommand(script, permissions, args, opts).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The command {@link runScript} runs, for tests that spawn it and signal it themselves. */
export function scriptCommand(
  script: string,
  permissions: string[],
  args: string[],
  opts: RunScriptOptions = {},
): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, script, ...args],
    cwd: opts.cwd,
    env: { NO_COLOR: "1", ...opts.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}
