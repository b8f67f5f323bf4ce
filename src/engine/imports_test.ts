import { assertEquals } from "../testing/assert.ts";
import { codeReach, moduleGraph } from "../testing/module_graph.ts";

Deno.test("the eager engine imports tfjs-core only: no Deno-only module, no graph executor", async () => {
  const graph = await moduleGraph(new URL("./eager.ts", import.meta.url).href);
  const all = [...graph.values()].flat();
  const local = [...graph.keys()].map((s) => s.replace(/^.*\/src\//, "src/"));
  for (const bad of ["src/backend.ts", "src/engine/tf_graph/", "src/node_util_shim.ts"]) {
    assertEquals(local.filter((s) => s.startsWith(bad)), [], `eager.ts reaches ${bad}`);
  }
  assertEquals(all.filter((s) => s.startsWith("node:") || s.includes("tfjs-node")), []);
});

Deno.test("the library has no import cycles", async () => {
  const graph = await moduleGraph(new URL("../../mod.ts", import.meta.url).href);
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (m: string, path: string[]) => {
    if (state.get(m) === "done") return;
    if (state.get(m) === "open") {
      cycles.push(
        [...path.slice(path.indexOf(m)), m].map((s) => s.replace(/^.*\/work\/[^/]+\//, "")).join(
          " → ",
        ),
      );
      return;
    }
    state.set(m, "open");
    for (const d of graph.get(m) ?? []) if (graph.has(d)) visit(d, [...path, m]);
    state.set(m, "done");
  };
  for (const m of graph.keys()) visit(m, []);
  assertEquals(cycles, []);
});

Deno.test("the graph executor knows no cell: it reaches neither the registry nor the model", async () => {
  for (const f of ["runtime.ts", "train_graph.ts", "trainer.ts", "profile.ts"]) {
    const reach = await codeReach(new URL(`./tf_graph/${f}`, import.meta.url).href);
    for (const bad of ["src/engine/cells/mod.ts", "src/engine/model.ts", "src/engine/eager.ts"]) {
      assertEquals(reach.has(bad), false, `tf_graph/${f} reaches ${bad}`);
    }
  }
});

Deno.test("the BPTT driver is handed its cell: it reaches no registry", async () => {
  const reach = await codeReach(new URL("./bptt.ts", import.meta.url).href);
  assertEquals(reach.has("src/engine/cells/mod.ts"), false);
});
