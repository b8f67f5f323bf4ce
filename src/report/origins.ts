/**
 * Where each record of a suite run comes from: which experiment of the suite file, whether it is
 * a rung of a memory-horizon search or a run of a grid, and the experiment's `source` text (pure).
 *
 * Records do not carry these; the expanded grid of the suite they were trained from does
 * (`expandGrid`, which the report's CLI hands in — the report itself imports no engine module).
 * A record is matched by its settings: its config without the length, the step budget, the seed
 * and the backend asked for. A grid run matches at one of its lengths and its step budget; a
 * search rung at any length (bisection rungs are not in the grid), since a search's steps follow
 * its budget rule. Records that match nothing (another suite file, CLI overrides) have no origin:
 * the report treats them as a grid's runs.
 *
 * @module
 */
import type { ResultRecord } from "../results/schema.ts";
import { settingsKey } from "../results/settings_key.ts";
import type { Grid } from "../suite/suite.ts";

/** Where one record comes from. */
export interface RunOrigin {
  /** A rung of a memory-horizon search (true) or a run of a grid. */
  search: boolean;
  /** The experiment's `source` text (null: the suite states none). */
  source: string | null;
  /** A search's budget rule in words (null: a grid run). */
  budget: string | null;
}

/** The origin of a record (null: no experiment of the suite matches it). */
export type OriginOf = (r: ResultRecord) => RunOrigin | null;

/** Looks records up in the expanded grid of the suite they were trained from. */
export function originIndex(grid: Grid): OriginOf {
  const searched = new Map<string, RunOrigin>();
  const searchHashes = new Set<string>();
  for (const c of grid.chains ?? []) {
    if (c.budget === null) continue;
    for (const r of c.ladder) {
      searchHashes.add(r.hash);
      searched.set(settingsKey(r.config), {
        search: true,
        source: r.source ?? null,
        budget: c.budget,
      });
    }
  }
  const plain = new Map<string, RunOrigin>();
  for (const r of grid.runs) {
    if (searchHashes.has(r.hash)) continue;
    plain.set(`${settingsKey(r.config)}|${r.config.T}|${r.config.steps}`, {
      search: false,
      source: r.source ?? null,
      budget: null,
    });
  }
  return (r) => {
    const key = settingsKey(r.config);
    return plain.get(`${key}|${r.config.T}|${r.config.steps}`) ?? searched.get(key) ?? null;
  };
}

/** Whether a record is a search rung (false where its origin is unknown). */
export function isSearchRung(originOf: OriginOf | undefined, r: ResultRecord): boolean {
  return originOf?.(r)?.search ?? false;
}
