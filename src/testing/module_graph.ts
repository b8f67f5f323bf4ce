/**
 * Test helpers over the project's module graph (`deno info --json`): which local modules a
 * module reaches through value imports.
 *
 * @module
 */

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string } }[];
}

/** The project's module graph from `deno info --json`: each local module and what it imports. */
export async function moduleGraph(entry: string): Promise<Map<string, string[]>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error(`deno info ${entry} failed`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: InfoModule[] };
  const graph = new Map<string, string[]>();
  for (const m of info.modules) {
    if (!m.specifier.startsWith("file://")) continue;
    graph.set(
      m.specifier,
      (m.dependencies ?? []).map((d) => d.code?.specifier ?? "").filter((s) => s !== ""),
    );
  }
  return graph;
}

/** The local modules `entry` reaches through value imports (type-only imports are erased), as `src/…` paths. */
export async function codeReach(entry: string): Promise<Set<string>> {
  const graph = await moduleGraph(entry);
  const seen = new Set<string>();
  const visit = (m: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    for (const d of graph.get(m) ?? []) if (graph.has(d)) visit(d);
  };
  visit(entry);
  return new Set([...seen].map((s) => s.replace(/^.*?\/(src|tasks)\//, "$1/")));
}
