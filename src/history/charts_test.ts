import * as vega from "vega";
import * as vl from "vega-lite";
import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { syntheticRecord } from "./_synthetic.ts";
import type { HistoryRun } from "./load.ts";
import { historyView } from "./view.ts";
import type { VlSpec } from "./charts.ts";

function run(i: number, lstmMs = 6): HistoryRun {
  const date = new Date(Date.UTC(2026, 0, 1 + 7 * i, 3)).toISOString();
  const records = [
    syntheticRecord({ cell: "rnn_tanh", date, stepMs: 2 }),
    syntheticRecord({ cell: "lstm", date, stepMs: lstmMs }),
    syntheticRecord({ task: "copy", cell: "lstm", T: 5, date, stepMs: 3, accuracy: 0.9 }),
  ];
  return {
    id: `run-${i}`,
    file: `run-${i}.jsonl`,
    suite: "quick",
    grid_hash: records[0].grid_hash,
    date,
    commit: `${i}`.repeat(7),
    records,
  };
}

function compile(spec: VlSpec) {
  // deno-lint-ignore no-explicit-any
  return vl.compile(spec as any).spec;
}

async function marks(spec: VlSpec): Promise<number> {
  const view = new vega.View(vega.parse(compile(spec)), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return (svg.match(/<(path|line|rect|circle|text)\b[^>]*>/g) ?? []).length;
  } finally {
    view.finalize();
  }
}

/** Every title, axis title and tooltip title in a spec. */
function titles(spec: unknown, out: string[] = []): string[] {
  if (Array.isArray(spec)) spec.forEach((x) => titles(x, out));
  else if (spec && typeof spec === "object") {
    for (const [k, v] of Object.entries(spec)) {
      if (k === "title" && typeof v === "string") out.push(v);
      titles(v, out);
    }
  }
  return out;
}

Deno.test("the trend charts compile, render, and carry a title, axis titles with units and a tooltip", async () => {
  const view = historyView([run(0), run(1), run(2, 12)]);
  assertEquals(view.charts.map((c) => c.name), [
    "history_step_time",
    "history_accuracy",
    "history_mse",
  ]);
  assertEquals(view.regressions.length, 1);
  for (const c of view.charts) {
    const spec = c.spec as { title: { text: string }; spec: { layer: VlSpec[] } };
    assertEquals(spec.title.text, c.title);
    const t = titles(c.spec);
    assert(t.includes("run date (UTC)"), `${c.name}: x axis title`);
    assert(
      t.some((x) => /\((ms|fraction, 0–1|squared output units, log scale)\)/.test(x)),
      `${c.name}: y units`,
    );
    assert(JSON.stringify(spec.spec.layer[0]).includes('"tooltip"'), `${c.name}: tooltip`);
    assert(t.includes("commit"), `${c.name}: the tooltip names the commit`);
    assert(await marks(c.spec) > 5, `${c.name} renders marks`);
  }
  const step = view.charts[0].spec as {
    spec: { layer: VlSpec[] };
    data: { values: { regression?: boolean }[] };
  };
  assertEquals(step.spec.layer.length, 2, "regressions are layered on the step-time lines");
  assertEquals(step.data.values.filter((v) => v.regression).length, 1);
  assertMatch(view.charts[0].caption, /1 step-time regression flagged/);
});

Deno.test("with no history the charts are placeholders that still compile", async () => {
  const view = historyView([]);
  for (const c of view.charts) {
    assertMatch(c.caption, /^No /);
    assert(await marks(c.spec) >= 1);
  }
});
