import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { suiteRunFile } from "../results/store.ts";
import type { ResultRecord } from "../results/schema.ts";
import { jsonl, syntheticRecord } from "./_synthetic.ts";
import { loadHistory, runFolderName } from "./load.ts";
import { DEFAULT_RULE, describeRule, detectRegressions } from "./regressions.ts";
import type { TrendSeries } from "./trends.ts";
import { historyView } from "./view.ts";

const CELLS = ["rnn_tanh", "lstm", "gru"];
const LENGTHS = [20, 50];
const BASE_MS: Record<string, number> = { rnn_tanh: 2, lstm: 6, gru: 5 };

/** A deterministic ±`amp` relative jitter, different per (run, cell, T, seed). */
function jitter(run: number, cell: string, T: number, seed: number, amp: number): number {
  let h = 17;
  for (const ch of `${run}|${cell}|${T}|${seed}`) h = (h * 31 + ch.charCodeAt(0)) % 100003;
  return 1 + amp * (2 * (h / 100003) - 1);
}

/** One scheduled run's records: every cell × T × 2 seeds, step times ∝ T with ±3% jitter. */
function runRecords(
  run: number,
  slow: { cell: string; T: number; factor: number } | null = null,
): ResultRecord[] {
  const date = new Date(Date.UTC(2026, 0, 1 + 7 * run, 3)).toISOString();
  return CELLS.flatMap((cell) =>
    LENGTHS.flatMap((T) =>
      [1, 2].map((seed) => {
        const factor = slow && slow.cell === cell && slow.T === T ? slow.factor : 1;
        return syntheticRecord({
          cell,
          T,
          seed,
          date,
          commit: `${run}abcdef0123456789`,
          stepMs: BASE_MS[cell] * T / 20 * jitter(run, cell, T, seed, 0.03) * factor,
          accuracy: 0.5 + 0.01 * run,
          mse: 0.05,
        });
      })
    )
  );
}

async function writeHistory(dir: string, runs: ResultRecord[][]): Promise<void> {
  for (const recs of runs) {
    const folder = join(dir, runFolderName(new Date(recs[0].env.date), recs[0].env.commit!));
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeTextFile(suiteRunFile(folder, "quick", recs[0].grid_hash), jsonl(recs));
  }
}

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rnn-gradbench-history-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("three runs with a slowdown injected for one (cell, T) flag exactly that one", async () => {
  await withTmp(async (dir) => {
    await writeHistory(dir, [
      runRecords(0),
      runRecords(1),
      runRecords(2, { cell: "lstm", T: 50, factor: 1.5 }),
    ]);
    const { runs, problems } = await loadHistory(dir);
    assertEquals(problems, []);
    assertEquals(runs.length, 3);
    assertEquals(runs.map((r) => r.commit), ["0abcdef", "1abcdef", "2abcdef"]);
    const view = historyView(runs);
    assertEquals(view.series.length, CELLS.length * LENGTHS.length);
    assert(view.series.every((s) => s.points.length === 3));
    assertEquals(view.regressions.length, 1);
    const r = view.regressions[0];
    assertEquals([r.cell, r.T, r.task, r.latest], ["lstm", 50, "adding", true]);
    assertEquals(r.run, runs[2].id);
    assertEquals(r.commit, "2abcdef");
    assert(r.change > 0.4 && r.change < 0.6, `change ${r.change}`);
  });
});

Deno.test("three runs without a slowdown flag nothing", async () => {
  await withTmp(async (dir) => {
    await writeHistory(dir, [runRecords(0), runRecords(1), runRecords(2)]);
    const view = historyView((await loadHistory(dir)).runs);
    assertEquals(view.regressions, []);
  });
});

function series(values: (number | null)[]): TrendSeries {
  return {
    key: "quick|adding|lstm|50|32|32|tensorflow",
    suite: "quick",
    task: "adding",
    cell: "lstm",
    T: 50,
    hidden: 32,
    batch: 32,
    backend: "tensorflow",
    points: values.map((v, i) => ({
      run: `run-${i}`,
      date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      commit: null,
      accuracy: null,
      mse: null,
      median_step_ms: v,
      seeds: 1,
    })),
  };
}

Deno.test("a noisy but flat series (±15%) flags nothing; the same noise with a +60% step flags the step", () => {
  const noisy = [10, 11.4, 8.9, 10.6, 9.3, 11.2, 9.0, 10.9, 9.6, 11.3, 8.8, 10.2];
  assertEquals(detectRegressions([series(noisy)]), []);
  const stepped = [...noisy, 16.5];
  const flagged = detectRegressions([series(stepped)]);
  assertEquals(flagged.map((r) => r.run), [`run-${noisy.length}`]);
  assert(flagged[0].spread > 0.5, "the spread reflects the noise");
});

Deno.test("the rule: above median + max(3 × 1.4826 × MAD, 10%) of the previous runs", () => {
  // Identical earlier times: MAD = 0, so the 10% floor decides.
  assertEquals(detectRegressions([series([10, 10, 10.99])]), []);
  assertEquals(detectRegressions([series([10, 10, 11.01])]).length, 1);
  // Earlier [8, 10, 12]: median 10, MAD 2, spread 2.9652, threshold 10 + 8.8956.
  assertEquals(detectRegressions([series([8, 10, 12, 18.8])]), []);
  const r = detectRegressions([series([8, 10, 12, 19])]);
  assertEquals(r.length, 1);
  assertEquals(r[0].baseline, 10);
  assertEquals(Math.round(r[0].threshold * 1e4) / 1e4, 18.8956);
  // Only the last `window` runs count: an old slow era does not hide a new slowdown.
  assertEquals(
    detectRegressions([series([30, 30, 30, 10, 10, 10, 10, 10, 13])]).map((x) => x.run),
    ["run-8"],
  );
  // Fewer than minHistory earlier timed runs: not judged; untimed points are skipped.
  assertEquals(detectRegressions([series([10, 50])]), []);
  assertEquals(detectRegressions([series([10, null, 10, null, 20])]).length, 1);
  // Speed-ups are not regressions.
  assertEquals(detectRegressions([series([10, 10, 5])]), []);
});

Deno.test("the rule is stated in words with its parameters", () => {
  const text = describeRule(DEFAULT_RULE);
  assertMatch(text, /median of the previous 5 runs/);
  assertMatch(text, /3 × their spread/);
  assertMatch(text, /10% of that median/);
});
