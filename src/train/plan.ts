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
import { type Grid, type GridRun, runCost, runLabel } from "../suite/suite.ts";
import type { InFlight } from "./in_flight.ts";

/**
 * Seconds per cost unit (T × steps × cell cost at B=64, H=128), measured on a 2-core machine on
 * the graph path (62–107 µs per unit across the cells at T=1000; evaluations and probes on top).
 */
export const SECONDS_PER_COST_UNIT = 1.0e-4;

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
}

/** Estimated seconds of a run on the tensorflow backend, 2 cores. */
export function runSeconds(r: GridRun): number {
  return runCost(r.config) * SECONDS_PER_COST_UNIT;
}

/** Splits `runs` (of `grid`) into done and remaining; `force` counts every run as remaining. */
export function planRemaining(
  grid: Grid,
  runs: GridRun[],
  done: Set<string>,
  opts: { force?: boolean; shardCounts?: number[]; inFlight?: Map<string, InFlight> } = {},
): Plan {
  const inFlight = opts.inFlight ?? new Map<string, InFlight>();
  const isDone = (r: GridRun) => !opts.force && done.has(r.hash);
  const left = (rs: GridRun[]) => rs.filter((r) => !isDone(r));
  const leftOf = (r: GridRun) => 1 - (inFlight.get(r.hash)?.step ?? 0) / r.config.steps;
  const seconds = (rs: GridRun[]) => rs.reduce((a, r) => a + runSeconds(r) * leftOf(r), 0);
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
  };
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
    const left = runSeconds(r) * (1 - (f?.step ?? 0) / c.steps);
    const flight = f ? `  ${inFlightText(f, c.steps)}` : "";
    lines.push(
      `  ${r.hash.slice(0, 12)}  ${
        runLabel(c).padEnd(40)
      } H=${c.hidden} B=${c.batch} steps=${c.steps}  ~${formatSeconds(left)}${flight}`,
    );
  }
  lines.push(
    `estimated remaining time: ${at}${
      formatSeconds(plan.remainingSeconds)
    } on the tensorflow backend, 2 cores`,
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
