import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import type { ResultRecord } from "../results/schema.ts";
import { syntheticRecords } from "./_synthetic.ts";
import { findings, horizonText } from "./findings.ts";
import { CELL_NAMES } from "../engine/model.ts";
import { setCellOrder } from "../viz/cell_style.ts";

// The order the tasks set (the report itself knows no engine).
setCellOrder(CELL_NAMES);

const geometric = (len: number, f: number) =>
  Array.from({ length: len }, (_, t) => f ** (len - 1 - t));

/**
 * rnn_tanh decays 0.9/step (horizon ≈ 131) and lstm 0.99 (≈ 1375); at T ∈ {50, 100, 200}
 * the prediction is rnn_tanh → 100, lstm → 200.
 */
function records(solvedUpTo: Record<string, number>): ResultRecord[] {
  const recs = syntheticRecords({
    cells: ["rnn_tanh", "lstm"],
    lengths: [50, 100, 200],
    seeds: [1, 2, 3],
    tasks: ["adding"],
    faults: false,
  });
  for (const r of recs) {
    const f = r.config.cell === "rnn_tanh" ? 0.9 : 0.99;
    for (const p of r.probes) p.norms = geometric(p.norms.length, f);
    r.metrics.steps_to_solve = r.config.T <= solvedUpTo[r.config.cell] ? 500 : null;
  }
  return recs;
}

Deno.test("horizons read as median [min–max], — when nothing was solved", () => {
  assertEquals(horizonText({ median: 200, min: 100, max: 500 }), "200 [100–500]");
  assertEquals(horizonText({ median: 0, min: 0, max: 50 }), "— [—–50]");
  assertEquals(horizonText({ median: 0, min: 0, max: 0 }), "—");
});

Deno.test("the tables: memory horizon per cell and task, decay factors and horizons side by side", () => {
  const f = findings(records({ rnn_tanh: 100, lstm: 200 }));
  assertEquals(f.memory.rows, [["rnn_tanh", "100 [100–100]"], ["lstm", "200 [200–200]"]]);
  assertMatch(f.memory.columns[1], /adding problem \(T tested: 50, 100, 200\)/);
  const tanh = f.decay.rows.find((r) => r[0] === "rnn_tanh")!;
  assertEquals(tanh.slice(2, 5), ["0.9", "0.9", "131"]);
  assertEquals(tanh[6], "100 [100–100]");
  assertMatch(f.decay.caption, /below 10\^-6/);
});

Deno.test("the thesis holds where the gradient horizon's length is the longest solved", () => {
  const f = findings(records({ rnn_tanh: 100, lstm: 200 }));
  assertMatch(
    f.sentences[0],
    /predicts the memory horizon for 2 of 2 cell–task pairs: rnn_tanh and lstm \(adding problem\)/,
  );
  assertEquals(f.sentences.length, 2);
  assertMatch(
    f.sentences[1],
    /^After training, the gradient reaches every length the cell solved in \d of 2 /,
  );
});

Deno.test("and says where it does not, in which direction", () => {
  const f = findings(records({ rnn_tanh: 200, lstm: 50 }));
  const text = f.sentences.join(" ");
  assertMatch(text, /predicts none of the 2 memory horizons/);
  assertMatch(
    text,
    /underestimates 1 — .*: rnn_tanh \(adding: solved T = 200, gradient horizon ~131 steps covers T = 100\)/,
  );
  assertMatch(
    text,
    /overestimates 1 — .*: lstm \(adding: solved T = 50, gradient horizon ~\d+ steps covers T = 200\)/,
  );
});

Deno.test("no records, no probes: the findings say so", () => {
  assertMatch(findings([]).sentences[0], /No finished runs/);
  const recs = records({ rnn_tanh: 0, lstm: 0 });
  for (const r of recs) r.probes = [];
  assertMatch(findings(recs).sentences[0], /gradient horizon is unknown/);
  assert(findings(recs).memory.rows.every((r) => r[1] === "—"));
});
