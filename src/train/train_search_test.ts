import { initBackend } from "../backend.ts";
import { mergeResults } from "../results/merge.ts";
import { readSuiteRun } from "../results/store.ts";
import type { ResultRecord } from "../results/schema.ts";
import { memoryHorizons } from "../report/horizons.ts";
import { shardChains } from "../suite/shard.ts";
import { expandGrid, validateSuite } from "../suite/suite.ts";
import { assert, assertEquals, assertGreater } from "../testing/assert.ts";
import { formatSearchPlan, planChains } from "./plan_search.ts";
import type { Progress } from "./progress.ts";
import { readOutcomes, trainChains } from "./train_search.ts";

const backend = Deno.env.get("CI") === "true" ? "tensorflow" : "auto";

const quiet: Progress = {
  runStart() {},
  runSkipped() {},
  step() {},
  evaluation() {},
  runEnd() {},
  line() {},
  done() {},
};

// Two chains on the adding problem, T = 10, 20, 40, tiny budgets (2·T steps, 20 to 60): tanh
// with a threshold every evaluation passes (it climbs the whole ladder), LSTM with one none
// passes (its chain ends at its first rung). One bisection rung, which neither reaches.
const SUITE = {
  name: "tiny-search",
  hidden: 8,
  batch: 8,
  evalEvery: 10,
  testSize: 16,
  search: { from: 10, factor: 2, to: 40, steps: { perT: 2, min: 20, max: 60 }, bisect: 1 },
  experiments: [
    { cells: ["rnn_tanh"], solved: { mse: 100 }, stopWhenSolved: { patience: 1 } },
    { cells: ["lstm"], solved: { mse: 1e-9 } },
  ],
};

const outcome = (r: ResultRecord) => ({
  hash: r.config_hash,
  T: r.config.T,
  cell: r.config.cell,
  metrics: r.metrics,
  curve: r.curve,
  probes: r.probes,
  end_step: r.end_step,
});
const sorted = (rs: ResultRecord[]) =>
  rs.map(outcome).sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));

Deno.test("a tiny search end to end: climbs, stops at the first failure, resumes, shards by chain, merges", async () => {
  const info = await initBackend(backend, { warn: () => {} });
  const grid = await expandGrid(validateSuite(SUITE, "tiny.json"));
  const dir = await Deno.makeTempDir();
  try {
    const base = { grid, backend: info, progress: quiet };
    const one = `${dir}/one`;
    // The dry run before anything: a range, with its assumptions.
    const before = await planChains(grid, grid.chains!, () => undefined);
    assertGreater(before.mostSeconds, before.leastSeconds);
    const text = formatSearchPlan(before, { grid, shardText: "", file: "f" }).join("\n");
    assert(text.includes("worst case: every chain climbs to its top rung"), text);

    const s = await trainChains({ ...base, outDir: one });
    assertEquals([s.ran, s.skipped, s.interrupted], [4, 0, false]);
    assertEquals(
      s.chains.map((c) => [c.label, c.horizon, c.capped]),
      [["adding rnn_tanh seed=1", 40, true], ["adding lstm seed=1", 0, false]],
    );
    const { run } = await readSuiteRun(s.file);
    const records = run!.records;
    assertEquals(
      records.map((r) => [r.config.cell, r.config.T, r.config.steps]),
      [["rnn_tanh", 10, 20], ["rnn_tanh", 20, 40], ["rnn_tanh", 40, 60], ["lstm", 10, 20]],
    );
    // The report reads the searched horizon and its budget from the records alone.
    const tanh = memoryHorizons(records).find((h) => h.cell === "rnn_tanh")!;
    assertEquals([tanh.median, tanh.capped, tanh.budget], [40, true, "2·T steps, at most 60"]);

    // Re-running trains nothing; the dry run says every chain is finished.
    const again = await trainChains({ ...base, outDir: one });
    assertEquals([again.ran, again.skipped], [0, 4]);
    const outcomes = await readOutcomes(s.file);
    const after = await planChains(grid, grid.chains!, (h) => outcomes.get(h));
    assertEquals([after.mostSeconds, after.chains.every((c) => c.state.next === null)], [0, true]);

    // A search cut short (its last two records lost) continues its chains from the records.
    const lines = (await Deno.readTextFile(s.file)).trimEnd().split("\n");
    const cut = `${dir}/cut`;
    await Deno.mkdir(cut);
    await Deno.writeTextFile(
      `${cut}/${s.file.split("/").pop()}`,
      lines.slice(0, 2).join("\n") + "\n",
    );
    const resumed = await trainChains({ ...base, outDir: cut });
    assertEquals([resumed.ran, resumed.skipped], [2, 2]);
    const cutRun = await readSuiteRun(resumed.file);
    assertEquals(sorted(cutRun.run!.records), sorted(records), "same records as uninterrupted");

    // Two shards own one chain each; merged, they equal the one-process search.
    const parts = [1, 2].map((index) => shardChains(grid.chains!, { index, count: 2 }));
    assertEquals(parts.map((p) => p.length), [1, 1]);
    for (const [i, chains] of parts.entries()) {
      await trainChains({ ...base, chains, outDir: `${dir}/shard-${i + 1}` });
    }
    const merged = await mergeResults([`${dir}/shard-1`, `${dir}/shard-2`], `${dir}/merged`);
    assertEquals(merged.conflicts.length, 0);
    assertEquals(sorted(merged.records), sorted(records));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
