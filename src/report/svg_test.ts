import { assert, assertMatch, assertThrows } from "../testing/assert.ts";
import { compileSpec, countSvgMarks, renderSvg } from "./svg.ts";

Deno.test("renderSvg draws a Vega-Lite spec server-side, without canvas or network", async () => {
  const svg = await renderSvg({
    title: "decay",
    data: { values: [{ d: 0, r: 1 }, { d: 1, r: 0.1 }, { d: 2, r: 0.001 }] },
    mark: "line",
    encoding: {
      x: { field: "d", type: "quantitative", title: "distance (steps)" },
      y: { field: "r", type: "quantitative", scale: { type: "log" } },
    },
  });
  assertMatch(svg, /^<svg /);
  assertMatch(svg, /distance \(steps\)/);
  assert(countSvgMarks(svg) > 0);
});

Deno.test("compileSpec rejects a spec vega-lite cannot compile", () => {
  assertThrows(() => compileSpec({ mark: "line", encoding: { x: { field: "a", type: "nope" } } }));
});
