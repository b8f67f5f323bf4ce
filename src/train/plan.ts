/**
 * What a grid (or a shard of it) still has to run, given the results already stored: the runs
 * done and remaining, the estimated remaining time, and what that time would be spread over 1, 2,
 * 4 or 8 shards. `deno task train --dry-run` prints it; `trainGrid` uses the same record of what
 * is done to skip finished runs.
 *
 * @module
 */
import { type ReadProblem, readSuiteRun } from "../results/store.ts";
import { partition } from "../suite/shard.ts";
import { type Grid, type GridRun, runLabel } from "../suite/suite.ts";
import type { InFlight } from "./in_flight.ts";
import { MODEL_PRICING, type Pricing } from "./pace.ts";

export { runSeconds, SECONDS_PER_COST_UNIT } from "./pace.ts";

/** The shard counts a dry run estimates the remaining time for. */
export const SHARD_COUNTS = [1, 2, 4, 8, 16, 32, 64];

/** Config hashes already stored in a suite run's file (a missing file: none). */
export async function readDoneHashes(
  file: string,
): Promise<{ done: Set<string>; problems: ReadProblem[] }> {
  const done = new Set<string>();
  try {
    const { run, problems } = await readSuiteRun(file);
    for (const r of run?.records ?? []) done.add(r.config_hash);
    return { done, problems };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { done, problems: [] };
    throw e;
  }
}

/** What remains of a grid or shard. */
export interface Plan {
  /** The runs of this process (the grid, or its shard), in grid order. */
  runs: GridRun[];
  done: GridRun[];
  remaining: GridRun[];
  /** Estimated seconds of the remaining runs of this process, one after another. */
  remainingSeconds: number;
  /**
   * Per shard count: the estimated remaining wall time of the whole grid split that way (the
   * shard with the most work left decides).
   */
  perShard: { count: number; seconds: number }[];
  /** Some runs may stop early when solved: the times are upper bounds. */
  upperBound: boolean;
  /** Runs in flight (checkpointed or claimed), by hash; their estimates count what is left. */
  inFlight: Map<string, InFlight>;
  /** Estimated seconds left of each remaining run, and whether a measured pace priced it. */
  left: Map<string, { seconds: number; measured: boolean }>;
}

/** Splits `runs` (of `grid`) into done and remaining; `force` counts every run as remaining. */
export function planRemaining(
  grid: Grid,
  runs: GridRun[],
  done: Set<string>,
  opts: {
    force?: boolean;
    shardCounts?: number[];
    inFlight?: Map<string, InFlight>;
    /** How runs are priced (default: the cost model; see `pace.ts`). */
    pricing?: Pricing;
  } = {},
): Plan {
  const inFlight = opts.inFlight ?? new Map<string, InFlight>();
  const pricing = opts.pricing ?? MODEL_PRICING;
  const isDone = (r: GridRun) => !opts.force && done.has(r.hash);
  const left = (rs: GridRun[]) => rs.filter((r) => !isDone(r));
  const priced = new Map<string, { seconds: number; measured: boolean }>();
  const leftOf = (r: GridRun) => {
    let p = priced.get(r.hash);
    if (!p) {
      const f = inFlight.get(r.hash);
      const whole = pricing.price(r, f);
      p = {
        seconds: whole.seconds * (1 - (f?.step ?? 0) / r.config.steps),
        measured: whole.measured,
      };
      priced.set(r.hash, p);
    }
    return p.seconds;
  };
  const seconds = (rs: GridRun[]) => rs.reduce((a, r) => a + leftOf(r), 0);
  const remaining = left(runs);
  return {
    runs,
    done: runs.filter(isDone),
    remaining,
    remainingSeconds: seconds(remaining),
    perShard: (opts.shardCounts ?? SHARD_COUNTS).map((count) => ({
      count,
      seconds: Math.max(0, ...partition(grid.runs, count).map((s) => seconds(left(s)))),
    })),
    upperBound: remaining.some((r) => r.config.stopWhenSolved !== undefined),
    inFlight,
    left: new Map(remaining.map((r) => [r.hash, priced.get(r.hash)!])),
  };
}

/**
 * Where the estimates come from, after the time: `, 2 of 5 runs at the pace this folder measured
 * for their settings, the rest by the cost model (tensorflow backend, 2 cores)`.
 */
export function paceText(measured: number, of: number, what: string): string {
  const model = "the cost model (tensorflow backend, 2 cores)";
  if (measured === 0) return ` by ${model}`;
  const pace = "the pace this folder measured for their settings (its records and checkpoints)";
  return measured === of
    ? `, every ${what.replace(/s$/, "")} at ${pace}`
    : `, ${measured} of ${of} ${what} at ${pace}, the rest by ${model}`;
}

/** `42 s`, `17 min`, `3.2 h`. */
export function formatSeconds(s: number): string {
  if (s < 90) return `${s.toFixed(0)} s`;
  if (s < 5400) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** A run in flight, as the dry runs say it: its checkpoint step and who trains it now. */
export function inFlightText(f: InFlight, steps: number): string {
  return `in flight: ${
    f.step ? `checkpoint at step ${f.step}, ${steps - f.step} steps left` : "no checkpoint yet"
  }${f.holder ? ` (pid ${f.holder.pid} on ${f.holder.host})` : ""}`;
}

/** The dry run's lines: a summary, each remaining run, the estimates. */
export function formatPlan(
  plan: Plan,
  o: { grid: Grid; shardText: string; file: string },
): string[] {
  const at = plan.upperBound ? "at most " : "";
  const lines = [
    `suite ${o.grid.suite} (grid ${
      o.grid.gridHash.slice(0, 12)
    }):${o.shardText} ${plan.runs.length} of ${o.grid.runs.length} runs; ${plan.done.length} done, ${plan.remaining.length} remaining${
      plan.inFlight.size ? ` (${plan.inFlight.size} in flight)` : ""
    } (results: ${o.file})`,
  ];
  for (const r of plan.remaining) {
    const c = r.config;
    const f = plan.inFlight.get(r.hash);
    const left = plan.left.get(r.hash)!;
    const flight = f ? `  ${inFlightText(f, c.steps)}` : "";
    lines.push(
      `  ${r.hash.slice(0, 12)}  ${
        runLabel(c).padEnd(40)
      } H=${c.hidden} B=${c.batch} steps=${c.steps}  ~${formatSeconds(left.seconds)}${
        left.measured ? " (measured pace)" : ""
      }${flight}`,
    );
  }
  lines.push(
    `estimated remaining time: ${at}${formatSeconds(plan.remainingSeconds)}${
      paceText([...plan.left.values()].filter((p) => p.measured).length, plan.left.size, "runs")
    }`,
  );
  lines.push(
    `whole grid over N shards (the shard with most left decides): ${
      plan.perShard.map((p) => `${p.count} → ${formatSeconds(p.seconds)}`).join(", ")
    }`,
  );
  if (plan.upperBound) {
    lines.push("(runs with stopWhenSolved end early when solved: the times are upper bounds)");
  }
  return lines;
}
