import * as vl from "vega-lite";
import { assert, assertEquals, assertNotEquals } from "../testing/assert.ts";
import { codeReach } from "../testing/module_graph.ts";
import { CELL_NAMES } from "../engine/model.ts";
import {
  allCellNames,
  cellColor,
  cellColour,
  HIGHLIGHT_PARAM,
  parseSeries,
  seriesOf,
  setCellOrder,
  sortCells,
  withCellHighlight,
} from "./cell_style.ts";

setCellOrder(CELL_NAMES);

Deno.test("cells sort in the registry's order, +attn after its base, stacks after their cell", () => {
  assertEquals(
    sortCells(["gru", "zeta", "lstm+attn", "indrnn ×2", "rnn_tanh", "lstm", "indrnn", "alpha"]),
    ["rnn_tanh", "indrnn", "indrnn ×2", "lstm", "lstm+attn", "gru", "alpha", "zeta"],
  );
  assertEquals(allCellNames().slice(0, 2), [CELL_NAMES[0], `${CELL_NAMES[0]}+attn`]);
  assertEquals(allCellNames().length, 2 * CELL_NAMES.length);
});

Deno.test("series labels: ×k for stacked layers; a missing layers field is one layer", () => {
  assertEquals(seriesOf({ cell: "indrnn", layers: 2 }), "indrnn ×2");
  assertEquals(seriesOf({ cell: "indrnn", layers: 1 }), "indrnn");
  assertEquals(seriesOf({ cell: "lstm+attn" }), "lstm+attn");
  assertEquals(parseSeries("lstm+attn ×3"), { cell: "lstm+attn", layers: 3 });
});

Deno.test("a cell's colour never depends on which other cells are present", () => {
  const all = allCellNames();
  const colours = all.map(cellColour);
  assertEquals(new Set(colours).size, all.length, "every registry name has its own colour");
  const some = cellColor(["gru", "rnn_tanh"]) as { scale: { domain: string[]; range: string[] } };
  const more = cellColor(["lstm", "gru", "rnn_tanh", "irnn"]) as typeof some;
  const colourIn = (enc: typeof some, c: string) => enc.scale.range[enc.scale.domain.indexOf(c)];
  assertEquals(colourIn(some, "gru"), colourIn(more, "gru"));
  assertEquals(colourIn(some, "gru"), cellColour("gru"));
  assertEquals(some.scale.domain, ["rnn_tanh", "gru"]);
  assertNotEquals(cellColour("indrnn ×2"), cellColour("indrnn"));
  assertEquals(cellColour("indrnn ×2"), cellColour("indrnn ×2"));
  assert(/^#[0-9a-f]{6}$/.test(cellColour("some_future_cell")));
});

Deno.test("the legend highlight: one legend-bound selection, dimming in every cell-coloured view", () => {
  const unit = (mark: string) => ({
    mark,
    encoding: {
      x: { field: "x", type: "quantitative" },
      y: { field: "y", type: "quantitative" },
      color: cellColor(["lstm", "gru"]),
    },
  });
  const spec = withCellHighlight({
    data: { values: [{ x: 1, y: 2, cell: "lstm" }, { x: 2, y: 3, cell: "gru" }] },
    vconcat: [{ layer: [unit("line"), unit("point")] }, unit("line")],
  });
  const text = JSON.stringify(spec);
  assertEquals(text.split(`"bind":"legend"`).length - 1, 1);
  assertEquals(text.split(`"param":"${HIGHLIGHT_PARAM}"`).length - 1, 5, "3 opacities, 2 widths");
  // deno-lint-ignore no-explicit-any
  vl.compile(spec as any);
  const plain = { mark: "point", encoding: { x: { field: "a", type: "quantitative" } } };
  assertEquals(JSON.stringify(withCellHighlight(structuredClone(plain))), JSON.stringify(plain));
});

Deno.test("the report and the history pages know no engine: they reach no engine module", async () => {
  for (const entry of ["../report/mod.ts", "../history/mod.ts", "./cell_style.ts"]) {
    const reach = await codeReach(new URL(entry, import.meta.url).href);
    const engine = [...reach].filter((m) => m.startsWith("src/engine/"));
    assertEquals(engine, [], `${entry} reaches ${engine.join(", ")}`);
  }
});
