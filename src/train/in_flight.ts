/**
 * The runs in flight in a results folder, for dry runs: those with a checkpoint (the step it
 * holds) and those claimed by a process (who trains them now).
 *
 * @module
 */
import { basename } from "node:path";
import type { GridRun } from "../suite/suite.ts";
import { checkpointPath, readCheckpointSummary } from "./checkpoint.ts";
import { claimDir, type ClaimHolder, claimPath, readClaim, withFolderReadLock } from "./claims.ts";

/** A run in flight. */
export interface InFlight {
  /** Steps its checkpoint holds (0: none yet). */
  step: number;
  /** Seconds those steps took, over every process that trained them (absent: unknown). */
  elapsedS?: number;
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
  // Claims are read under the folder's lock, shared (taking a claim is not atomic without it): a
  // dry run writes nothing and needs no write access.
  const claims = await Deno.stat(claimDir(outDir)).then(() => true, () => false);
  const read = async () => {
    for (const r of runs) {
      const ckpt = await readCheckpointSummary(checkpointPath(outDir, stem, r.hash));
      const claim = claims ? await readClaim(claimPath(outDir, stem, r.hash)) : null;
      const holder = claim?.alive ? claim.holder : null;
      const ours = ckpt?.meta.config_hash === r.hash ? ckpt : null;
      const step = ours?.meta.step ?? 0;
      const elapsed = step > 0 && ours?.elapsedS ? { elapsedS: ours.elapsedS } : {};
      if (step > 0 || holder) out.set(r.hash, { step, holder, ...elapsed });
    }
  };
  await withFolderReadLock(outDir, read);
  return out;
}
