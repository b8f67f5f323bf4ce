import { assert, assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import type { ResultRecord } from "../results/schema.ts";
import { syntheticRecords } from "./_synthetic.ts";
import {
  budgetText,
  decayRates,
  decaySlope,
  gradientHorizon,
  memoryHorizons,
  predictedHorizon,
  probeNorms,
  stepsToSolve,
} from "./horizons.ts";

const geometric = (len: number, f: number) =>
  Array.from({ length: len }, (_, t) => f ** (len - 1 - t));

function runs(cells: string[], lengths: number[], seeds: number[], task: "adding" | "copy") {
  return syntheticRecords({ cells, lengths, seeds, tasks: [task], faults: false });
}

/** Sets steps_to_solve: solved (at step 100) where `solves(cell, T, seed)`. */
function solveWhere(recs: ResultRecord[], solves: (c: string, T: number, s: number) => boolean) {
  for (const r of recs) {
    r.metrics.steps_to_solve = solves(r.config.cell, r.config.T, r.config.seed) ? 100 : null;
  }
  return recs;
}

Deno.test("the fitted slope recovers a geometric decay; the horizon is where it falls below 1e-6", () => {
  assertAlmostEquals(decaySlope(geometric(200, 0.9))!, Math.log10(0.9), 1e-9);
  assertAlmostEquals(gradientHorizon(Math.log10(0.9)), 6 / -Math.log10(0.9), 1e-9); // ≈ 131 steps
  assertEquals(gradientHorizon(0), Infinity);
  assertEquals(decaySlope([1]), null);
  assertEquals(decaySlope([1, 1, 0]), null, "a last norm of 0 has no ratios");
  // underflowed zeros are left out of the fit, not pulled to −∞
  const withZeros = geometric(50, 0.5).map((v, t) => (t < 10 ? 0 : v));
  assertAlmostEquals(decaySlope(withZeros)!, Math.log10(0.5), 1e-9);
});

Deno.test("memory horizon: per seed the longest T solved, then the median and spread over seeds", () => {
  const recs = solveWhere(
    runs(["lstm", "rnn_tanh"], [50, 100, 200], [1, 2, 3], "adding"),
    (c, T, s) => c === "lstm" && (T <= 100 || s === 3) || (c === "rnn_tanh" && s === 1 && T === 50),
  );
  const h = memoryHorizons(recs);
  const lstm = h.find((x) => x.cell === "lstm")!;
  assertEquals([lstm.median, lstm.min, lstm.max, lstm.seeds], [100, 100, 200, 3]);
  const tanh = h.find((x) => x.cell === "rnn_tanh")!;
  assertEquals([tanh.median, tanh.min, tanh.max], [0, 0, 50]);
  assertEquals(lstm.lengths, [50, 100, 200]);
});

Deno.test("stacked runs are their own series", () => {
  const one = runs(["indrnn"], [50], [1], "adding");
  const two = syntheticRecords({
    cells: ["indrnn"],
    lengths: [50],
    seeds: [1],
    tasks: ["adding"],
    layers: 2,
    faults: false,
  });
  const h = memoryHorizons([...one, ...two]);
  assertEquals(h.map((x) => x.cell).sort(), ["indrnn", "indrnn ×2"]);
  // per-layer norms: the layer below the top is picked from layer_norms
  const p = two[0].probes[0];
  assertEquals(probeNorms(two[0], p, 0)!.norms, p.norms);
  assertEquals(probeNorms(two[0], p, 1)!.norms, p.layer_norms![0]);
  assertEquals(probeNorms(two[0], p, 2), null);
});

Deno.test("steps-to-solve: the recorded field, else recomputed from the curve", () => {
  const [r] = runs(["lstm"], [50], [1], "adding");
  r.metrics.steps_to_solve = 42;
  assertEquals(stepsToSolve(r), 42);
  delete r.metrics.steps_to_solve;
  r.curve = [
    { step: 10, train_loss: 1, test_loss: 1, test_mse: 0.5 },
    { step: 20, train_loss: 1, test_loss: 1, test_mse: 0.001 },
    { step: 30, train_loss: 1, test_loss: 1, test_mse: 0.001 },
  ];
  assertEquals(stepsToSolve(r), 20);
});

Deno.test("decay rates use the recall-loss norms on copy when recorded, and say so", () => {
  const recs = syntheticRecords({
    cells: ["lstm"],
    lengths: [50],
    seeds: [1],
    tasks: ["copy"],
    faults: false,
    recall: true,
  });
  for (const r of recs) for (const p of r.probes) p.recall_norms = geometric(p.norms.length, 0.5);
  const [d] = decayRates(recs);
  assertEquals(d.source, "recall");
  assertAlmostEquals(d.init!.factor, 0.5, 1e-9);
  for (const r of recs) for (const p of r.probes) delete p.recall_norms;
  const [w] = decayRates(recs);
  assertEquals(w.source, "whole");
  assert(w.init!.factor > 0.9, "the synthetic whole-loss norms decay slowly for lstm");
});

Deno.test("the predicted memory horizon is the longest T whose needed distance is covered", () => {
  assertEquals(predictedHorizon("adding", [50, 100, 200], 131), 100);
  assertEquals(predictedHorizon("adding", [50, 100, 200], 20), 0);
  assertEquals(predictedHorizon("copy", [50, 100], 95, 10), 50, "copy needs T + S");
  assertEquals(predictedHorizon("copy", [50, 100], Infinity), 100);
});

Deno.test("memory horizon over an even number of seeds is the lower median, never a mean", () => {
  const recs = solveWhere(
    runs(["irnn"], [20, 50], [1, 2], "adding"),
    (_c, T, s) => s === 1 && T === 20,
  );
  const [irnn] = memoryHorizons(recs);
  assertEquals([irnn.median, irnn.min, irnn.max, irnn.seeds], [0, 0, 20, 2]);
});

Deno.test("memory horizon: a seed that solved its longest tested length is a lower bound (≥ T)", () => {
  // lstm: seeds 1 and 2 solve everything (≥ 200), seed 3 fails 200 (100 exactly).
  const recs = solveWhere(
    runs(["lstm", "gru", "rnn_tanh"], [50, 100, 200], [1, 2, 3], "adding"),
    (c, T, s) =>
      (c === "lstm" && (s !== 3 || T <= 100)) || (c === "gru" && (s === 1 || T <= 100)) ||
      (c === "rnn_tanh" && T === 50 && s === 1),
  );
  const h = (cell: string) => memoryHorizons(recs).find((x) => x.cell === cell)!;
  const flags = (cell: string) => {
    const x = h(cell);
    return [x.median, x.capped, x.min, x.minCapped, x.max, x.maxCapped];
  };
  assertEquals(flags("lstm"), [200, true, 100, false, 200, true]);
  // gru: 100, 100, ≥ 200 — two seeds known at 100, so the median is exactly 100.
  assertEquals(flags("gru"), [100, false, 100, false, 200, true]);
  assertEquals(flags("rnn_tanh"), [0, false, 0, false, 50, false]);
  // A search whose chain is unfinished (only its first rung stored, solved): ≥ that rung.
  const partial = solveWhere(runs(["gru"], [50], [1], "adding"), () => true);
  const p = memoryHorizons(partial)[0];
  assertEquals([p.median, p.capped], [50, true]);
});

Deno.test("the budget in words: one budget, a K·T rule with the floor and cap it hit, or by length", () => {
  const at = (pairs: [number, number][]) => budgetText(pairs.map(([T, steps]) => ({ T, steps })));
  assertEquals(at([[50, 4000], [100, 4000]]), "4000 steps");
  assertEquals(
    at([[50, 4000], [100, 4000], [200, 4000], [400, 8000], [800, 16000], [1600, 32000]]),
    "20·T steps, at least 4000",
  );
  assertEquals(at([[50, 1000], [100, 2000], [200, 3000]]), "20·T steps, at most 3000");
  assertEquals(
    at([[25, 4000], [50, 4000], [100, 4000], [200, 5000]]),
    "4000 steps at T = 25, 50, 100; 5000 at T = 200",
  );
  // The memory records of every series carry their budget.
  const recs = runs(["lstm"], [50, 100], [1], "adding");
  assertEquals(memoryHorizons(recs)[0].budget, `${recs[0].config.steps} steps`);
});
