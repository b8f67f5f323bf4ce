/**
 * The runs in flight in a results folder, for dry runs: those with a checkpoint (the step it
 * holds) and those claimed by a process (who trains them now).
 *
 * @module
 */
import { basename } from "node:path";
import type { GridRun } from "../suite/suite.ts";
import { checkpointPath, readCheckpointMeta } from "./checkpoint.ts";
import { type ClaimHolder, claimPath, holderGone } from "./claims.ts";

/** A run in flight. */
export interface InFlight {
  /** Steps its checkpoint holds (0: none yet). */
  step: number;
  /** The process training it now, when a live one claims it. */
  holder: ClaimHolder | null;
}

/** The runs of `runs` in flight in `outDir`, whose suite run is stored in `file`, by hash. */
export async function readInFlight(
  outDir: string,
  file: string,
  runs: GridRun[],
): Promise<Map<string, InFlight>> {
  const stem = basename(file).replace(/\.jsonl$/, "");
  const out = new Map<string, InFlight>();
  for (const r of runs) {
    const meta = await readCheckpointMeta(checkpointPath(outDir, stem, r.hash));
    let holder: ClaimHolder | null = null;
    try {
      holder = JSON.parse(await Deno.readTextFile(claimPath(outDir, stem, r.hash)));
      if (holderGone(holder!)) holder = null;
    } catch {
      holder = null;
    }
    const step = meta?.config_hash === r.hash ? meta.step : 0;
    if (step > 0 || holder) out.set(r.hash, { step, holder });
  }
  return out;
}
