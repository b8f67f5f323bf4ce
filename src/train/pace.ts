/**
 * Prices runs for dry runs. The cost model (`runCost` × {@link SECONDS_PER_COST_UNIT}) is one
 * constant for every cell and machine, so it misprices cells whose steps are dearer or cheaper
 * than their cost factor says (expRNN's matrix exponential, LSTM's fused step). What a results
 * folder's own runs took is better evidence, and a run is priced by the most specific there is:
 *
 * 1. its own checkpoint, when it is in flight: the seconds per step its steps so far took;
 * 2. the folder's finished records of the same settings (`settingsKey`: the same experiment, task
 *    and cell, at any length, budget or seed): their seconds per cost unit, so a search's longer
 *    rungs are priced from its shorter ones and a grid's second seed from its first;
 * 3. the cost model.
 *
 * A pace is what the records measured wherever they ran; a folder merged from a faster or busier
 * machine prices at that machine's pace.
 *
 * @module
 */
import type { ResultRecord } from "../results/schema.ts";
import { settingsKey } from "../results/settings_key.ts";
import { readSuiteRun } from "../results/store.ts";
import { type GridRun, runCost } from "../suite/suite.ts";
import type { InFlight } from "./in_flight.ts";

/**
 * Seconds per cost unit (T × steps × cell cost at B=64, H=128), measured on a 2-core machine on
 * the graph path (62–107 µs per unit across the cells at T=1000; evaluations and probes on top).
 */
export const SECONDS_PER_COST_UNIT = 1.0e-4;

/** Estimated seconds of a run by the cost model (the tensorflow backend, 2 cores). */
export function runSeconds(r: GridRun): number {
  return runCost(r.config) * SECONDS_PER_COST_UNIT;
}

/** A run's estimated seconds, whole (not what is left of it), and whether a measurement gave it. */
export interface Price {
  seconds: number;
  measured: boolean;
}

/** Prices whole runs; `flight`: the run's own checkpoint, when it is in flight. */
export interface Pricing {
  price(r: GridRun, flight?: InFlight): Price;
}

/** The cost model alone. */
export const MODEL_PRICING: Pricing = {
  price: (r) => ({ seconds: runSeconds(r), measured: false }),
};

/** Prices from `records` (a folder's finished runs) and checkpoints, else the cost model. */
export function measuredPricing(records: ResultRecord[]): Pricing {
  const paces = new Map<string, { seconds: number; units: number }>();
  for (const r of records) {
    const { total_s, steps_done } = r.timing ?? {};
    if (!(total_s > 0) || !(steps_done > 0)) continue;
    const key = settingsKey(r.config);
    const p = paces.get(key) ?? { seconds: 0, units: 0 };
    p.seconds += total_s;
    p.units += runCost({ ...r.config, steps: steps_done });
    paces.set(key, p);
  }
  return {
    price(r, flight) {
      if (flight && flight.step > 0 && flight.elapsedS && flight.elapsedS > 0) {
        return { seconds: (flight.elapsedS / flight.step) * r.config.steps, measured: true };
      }
      const p = paces.get(settingsKey(r.config));
      if (p && p.units > 0) {
        return { seconds: runCost(r.config) * p.seconds / p.units, measured: true };
      }
      return MODEL_PRICING.price(r);
    },
  };
}

/** {@link measuredPricing} from the records of a suite run's results file (missing: none). */
export async function readPricing(file: string): Promise<Pricing> {
  try {
    return measuredPricing((await readSuiteRun(file)).run?.records ?? []);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return MODEL_PRICING;
    throw e;
  }
}
