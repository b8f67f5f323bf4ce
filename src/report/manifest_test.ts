import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { MIXED_SUITE, syntheticGridRecords, syntheticRecords } from "./_synthetic.ts";
import { expandGrid, validateSuite } from "../suite/mod.ts";
import { originIndex } from "./origins.ts";
import { failureLines, missingGrid, runManifest } from "./manifest.ts";

Deno.test("missingGrid names absent cells, lengths and seeds per task (lengths seen in that task)", () => {
  const recs = syntheticRecords({ cells: ["rnn_tanh", "lstm"], lengths: [50, 100], seeds: [1, 2] })
    .filter((r) =>
      !(r.config.cell === "lstm" && r.config.T === 100) &&
      !(r.config.task === "copy" && r.config.cell === "rnn_tanh") &&
      !(r.config.task === "adding" && r.config.cell === "rnn_tanh" && r.config.T === 50 &&
        r.config.seed === 2)
    );
  const missing = missingGrid(recs);
  assertEquals(missing.sort(), [
    "adding lstm: no runs at T=100",
    "adding rnn_tanh T=50: 1 of 2 seeds",
    "copy: no runs of rnn_tanh",
  ]);
  assertEquals(missingGrid([]), []);
});

Deno.test("failureLines say where and why each run diverged or failed", () => {
  const lines = failureLines(syntheticRecords({ cells: ["rnn_relu", "gru"], lengths: [200] }));
  assertMatch(
    lines.join("\n"),
    /^diverged: adding rnn_relu T=200 seed 1 \(step \d+: loss is NaN\)/m,
  );
  assertMatch(lines.join("\n"), /^failed: copy gru T=200 seed 2 \(step \d+: out of memory\)/m);
});

Deno.test("the manifest lists environment, versions, config hashes and history", () => {
  const records = syntheticRecords({ cells: ["lstm"], lengths: [50] });
  const run = {
    id: "quick-abc",
    file: "x.jsonl",
    suite: "quick",
    grid_hash: records[0].grid_hash,
    records,
    started: records[0].env.date,
    finished: records.at(-1)!.env.date,
  };
  const m = runManifest({ run, runs: [run], bench: null, references: [], notes: [] });
  const facts = Object.fromEntries(m.facts);
  assertEquals(facts.suite, "quick");
  assertEquals(facts.tfjs, "4.22.0");
  assertEquals(facts["bench file"], "none");
  assertEquals(m.runs.rows.length, records.length);
  assert(m.runs.rows.every((r) => /^[0-9a-f]{12}$/.test(r[7])));
  assertEquals(m.history.rows[0][0], "quick-abc (shown)");
});

Deno.test("missingGrid with origins: each experiment's grid alone, a search's rungs never gaps", async () => {
  const grid = await expandGrid(validateSuite(MIXED_SUITE, "mixed.json"));
  const originOf = originIndex(grid);
  const recs = syntheticGridRecords(grid);
  // Read as one grid, the search's chains (ended at their first failure) look like gaps.
  assert(
    missingGrid(recs).some((m) => /no runs at T=|of \d seeds/.test(m)),
    missingGrid(recs).join(),
  );
  assertEquals(missingGrid(recs, originOf), []);
  // A grid run missing is still said.
  const partial = recs.filter((r) =>
    !(r.config.cell === "lstm" && r.config.seed === 2 && !originOf(r)?.search)
  );
  assertEquals(missingGrid(partial, originOf), ["adding lstm T=100: 1 of 2 seeds"]);
});
