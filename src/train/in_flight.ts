/**
 * The runs in flight in a results folder, for dry runs: those with a checkpoint (the step it
 * holds) and those claimed by a process (who trains them now).
 *
 * @module
 */
import { basename } from "node:path";
import type { GridRun } from "../suite/suite.ts";
import { checkpointPath, readCheckpointMeta } from "./checkpoint.ts";
import { claimDir, type ClaimHolder, claimPath, readClaim, withFolderLock } from "./claims.ts";

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
  // Claims are read under the folder's lock (taking a claim is not atomic without it); a folder
  // without claims has no lock file, and a dry run creates none.
  const claims = await Deno.stat(claimDir(outDir)).then(() => true, () => false);
  const read = async () => {
    for (const r of runs) {
      const meta = await readCheckpointMeta(checkpointPath(outDir, stem, r.hash));
      const claim = claims ? await readClaim(claimPath(outDir, stem, r.hash)) : null;
      const holder = claim?.alive ? claim.holder : null;
      const step = meta?.config_hash === r.hash ? meta.step : 0;
      if (step > 0 || holder) out.set(r.hash, { step, holder });
    }
  };
  if (claims) await withFolderLock(outDir, read);
  else await read();
  return out;
}
