/**
 * What a memory-horizon search (or a shard of it) still has to train, given the records stored:
 * per chain, where it stands and what may remain. A search's cost depends on outcomes not yet
 * known, so the estimate is a range with its assumptions stated:
 *
 * - at most: every chain climbs to the top of its ladder, each rung trained to its full budget,
 *   and bisects below the top (every bisection rung priced at the top rung's budget);
 * - at least: every unfinished chain trains its next rung to the full budget and stops there
 *   (fails it).
 *
 * Runs that stop when solved (`stopWhenSolved`) end sooner than their budget, so a solved rung
 * costs less than priced.
 *
 * @module
 */
import { type ChainState, chainState } from "../suite/chain.ts";
import { partitionChains } from "../suite/shard.ts";
import type { Chain, Grid, GridRun } from "../suite/suite.ts";
import { formatSeconds, inFlightText, paceText, SHARD_COUNTS } from "./plan.ts";
import type { InFlight } from "./in_flight.ts";
import { MODEL_PRICING, type Pricing } from "./pace.ts";

/** One chain's standing. */
export interface ChainPlan {
  chain: Chain;
  state: ChainState;
  /** Estimated seconds left if it climbs to the top and bisects there (0: finished). */
  mostSeconds: number;
  /** Estimated seconds left if it fails its next rung (0: finished). */
  leastSeconds: number;
  /** Its next rung, when a checkpoint or a live process holds it. */
  inFlight?: InFlight;
  /** Whether a measured pace priced its next rung (see `pace.ts`). */
  measured: boolean;
}

/** What remains of a search or its shard. */
export interface SearchPlan {
  chains: ChainPlan[];
  mostSeconds: number;
  leastSeconds: number;
  /** Per shard count: the remaining worst case of the whole search split by chain that way. */
  perShard: { count: number; seconds: number }[];
}

/** The most a chain in `state` may still train, in estimated seconds of whole rungs. */
function mostLeft(chain: Chain, state: ChainState, seconds: (r: GridRun) => number): number {
  const next = state.next;
  if (!next) return 0;
  const top = seconds(chain.ladder.at(-1)!);
  const k = chain.ladder.findIndex((r) => r.hash === next.hash);
  if (k >= 0) {
    return chain.ladder.slice(k).reduce((a, r) => a + seconds(r), 0) + chain.bisect * top;
  }
  // Bisecting: the rungs left lie below the first failed ladder rung.
  const failed = chain.ladder.find((r) => state.trained.some((t) => t.run === r && !t.solved));
  const bisected = state.trained.filter((t) => !chain.ladder.includes(t.run)).length;
  return (chain.bisect - bisected) * seconds(failed ?? next);
}

/** Plans `chains` (of `grid`) given `solved(hash)` (see `chainState`); `force`: nothing known. */
export async function planChains(
  grid: Grid,
  chains: Chain[],
  solved: (hash: string) => boolean | undefined,
  opts: {
    force?: boolean;
    shardCounts?: number[];
    /** Which of the chains' next rungs are in flight (see `readInFlight`). */
    inFlight?: (next: GridRun[]) => Promise<Map<string, InFlight>>;
    /** How rungs are priced (default: the cost model; see `pace.ts`). */
    pricing?: Pricing;
  } = {},
): Promise<SearchPlan> {
  const known = opts.force ? () => undefined : solved;
  const pricing = opts.pricing ?? MODEL_PRICING;
  const plans = new Map<Chain, ChainPlan>();
  const all = grid.chains ?? chains;
  const states = await Promise.all(all.map((c) => chainState(c, known)));
  const flying = await opts.inFlight?.(states.flatMap((s) => (s.next ? [s.next] : [])));
  for (const [i, chain] of all.entries()) {
    const state = states[i];
    const next = state.next;
    const flight = next ? flying?.get(next.hash) : undefined;
    // The next rung priced by its own checkpoint's pace where it has one, the others by theirs.
    const nextPrice = next ? pricing.price(next, flight) : { seconds: 0, measured: false };
    const seconds = (r: GridRun) => r === next ? nextPrice.seconds : pricing.price(r).seconds;
    // The next rung's checkpointed steps are done: neither estimate counts them again.
    const doneSeconds = flight && next ? nextPrice.seconds * flight.step / next.config.steps : 0;
    plans.set(chain, {
      chain,
      state,
      mostSeconds: mostLeft(chain, state, seconds) - doneSeconds,
      leastSeconds: nextPrice.seconds - doneSeconds,
      inFlight: flight,
      measured: nextPrice.measured,
    });
  }
  const mine = chains.map((c) => plans.get(c)!);
  const sum = (ps: ChainPlan[], k: "mostSeconds" | "leastSeconds") =>
    ps.reduce((a, p) => a + p[k], 0);
  return {
    chains: mine,
    mostSeconds: sum(mine, "mostSeconds"),
    leastSeconds: sum(mine, "leastSeconds"),
    perShard: (opts.shardCounts ?? SHARD_COUNTS).map((count) => ({
      count,
      seconds: Math.max(
        0,
        ...partitionChains(grid.chains ?? chains, count).map((s) =>
          sum(s.map((c) => plans.get(c)!), "mostSeconds")
        ),
      ),
    })),
  };
}

/** The dry run's lines for a search: a summary, each unfinished chain, the estimates. */
export function formatSearchPlan(
  plan: SearchPlan,
  o: { grid: Grid; shardText: string; file: string },
): string[] {
  const total = o.grid.chains?.length ?? plan.chains.length;
  const finished = plan.chains.filter((p) => !p.state.next);
  const lines = [
    `suite ${o.grid.suite} (search ${
      o.grid.gridHash.slice(0, 12)
    }):${o.shardText} ${plan.chains.length} of ${total} chains; ${finished.length} finished, ${
      plan.chains.length - finished.length
    } to continue (results: ${o.file})`,
  ];
  for (const p of plan.chains) {
    const c = p.chain, s = p.state;
    const ladder = c.ladder.map((r) => r.config.T);
    const found = s.trained.length
      ? `horizon so far ${s.capped ? "≥ " : ""}${s.horizon || "none"} (${
        s.trained.map((t) => `${t.run.config.T}${t.solved ? "✓" : "✗"}`).join(" ")
      })`
      : "not started";
    if (!s.next) {
      lines.push(`  ${c.label.padEnd(34)} finished: ${found}`);
      continue;
    }
    const n = s.next.config;
    lines.push(
      `  ${c.label.padEnd(34)} T ${ladder.join(",")}${c.bisect ? ` +${c.bisect} bisection` : ""}; ${
        c.budget ?? `${n.steps} steps`
      }; next T=${n.T} (${n.steps} steps${
        p.inFlight ? `, ${inFlightText(p.inFlight, n.steps)}` : ""
      }); ${found}; ` +
        `~${formatSeconds(p.leastSeconds)}–${formatSeconds(p.mostSeconds)}${
          p.measured ? " (measured pace)" : ""
        }`,
    );
  }
  const open = plan.chains.filter((p) => p.state.next);
  lines.push(
    `estimated remaining time: at most ${
      formatSeconds(plan.mostSeconds)
    } — worst case: every chain climbs to its top rung, each rung trained to its full budget ` +
      `(plus bisection rungs priced at the top rung's budget)${
        paceText(open.filter((p) => p.measured).length, open.length, "chains")
      }`,
  );
  lines.push(
    `at least ${
      formatSeconds(plan.leastSeconds)
    } if every unfinished chain fails its next rung; rungs that stop when solved cost less ` +
      `than their budget`,
  );
  lines.push(
    `whole search over N shards, by chain, worst case (the shard with most left decides): ${
      plan.perShard.map((p) => `${p.count} → ${formatSeconds(p.seconds)}`).join(", ")
    }`,
  );
  return lines;
}
