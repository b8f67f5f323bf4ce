/**
 * How a bench file tells the bench runner what `deno bench --json` leaves out: the time of each
 * iteration (so medians and bootstrap intervals are possible) and the environment it ran in.
 * Lines on stderr, `@@rnn-gradbench <kind> <json>`, written only when `BENCH_PROTOCOL=1` so a
 * bench run by hand stays clean.
 *
 * @module
 */

const PREFIX = "@@rnn-gradbench ";

/** What a bench process reports besides `deno bench --json`. */
export interface ProtocolReport {
  /** Per bench name: the time of every call of its function (ms), warm-up calls included. */
  samples: Record<string, number[]>;
  /** The environment object of the process (see `src/results/env.ts`), if it sent one. */
  env: unknown | null;
}

const samples = new Map<string, number[]>();
let installed = false;

function enabled(): boolean {
  try {
    return Deno.env.get("BENCH_PROTOCOL") === "1";
  } catch {
    return false;
  }
}

/** Records one iteration of bench `name` (ms); sent on exit. */
export function recordSample(name: string, ms: number): void {
  if (!enabled()) return;
  if (!installed) {
    installed = true;
    globalThis.addEventListener("unload", () => {
      for (const [n, ms] of samples) {
        console.error(PREFIX + "samples " + JSON.stringify({ name: n, ms }));
      }
    });
  }
  const list = samples.get(name) ?? [];
  list.push(ms);
  samples.set(name, list);
}

/** Sends the environment object of this process. */
export function reportEnvironment(env: unknown): void {
  if (enabled()) console.error(PREFIX + "env " + JSON.stringify(env));
}

/** Collects the protocol lines from a bench process's stderr; other lines are ignored. */
export function parseProtocol(stderr: string): ProtocolReport {
  const out: ProtocolReport = { samples: {}, env: null };
  for (const line of stderr.split("\n")) {
    if (!line.startsWith(PREFIX)) continue;
    const rest = line.slice(PREFIX.length);
    const space = rest.indexOf(" ");
    const kind = rest.slice(0, space);
    let value: unknown;
    try {
      value = JSON.parse(rest.slice(space + 1));
    } catch {
      continue;
    }
    if (kind === "samples") {
      const v = value as { name?: unknown; ms?: unknown };
      if (typeof v.name === "string" && Array.isArray(v.ms)) {
        out.samples[v.name] = (out.samples[v.name] ?? []).concat(
          v.ms.filter((x): x is number => typeof x === "number"),
        );
      }
    } else if (kind === "env") out.env = value;
  }
  return out;
}

/** The stderr lines that are not protocol lines (to show when a bench process fails). */
export function nonProtocolLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith(PREFIX));
}
