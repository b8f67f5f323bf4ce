/**
 * Server-side rendering of a Vega-Lite spec to SVG with vega's headless `View` (renderer
 * `none`, `toSVG()`): no canvas, no browser, no network.
 *
 * @module
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { VlSpec } from "./charts/_common.ts";

/** Compiles a Vega-Lite spec to a Vega spec; throws on a spec vega-lite cannot compile. */
export function compileSpec(spec: VlSpec): vega.Spec {
  // deno-lint-ignore no-explicit-any
  return vl.compile(spec as any, { logger: quietLogger() }).spec as vega.Spec;
}

/** Vega-lite warnings (e.g. "dropping … from channel") are not errors of the report. */
function quietLogger() {
  const warnings: string[] = [];
  // deno-lint-ignore no-explicit-any
  const logger: any = {
    level: (_?: number) => logger,
    error: (...a: unknown[]) => {
      throw new Error(a.map(String).join(" "));
    },
    warn: (...a: unknown[]) => {
      warnings.push(a.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Renders a Vega-Lite spec to an SVG document string. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec)), {
    renderer: "none",
    logLevel: vega.Error,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** How many mark items (paths, symbols, rects, texts, …) an SVG from vega holds. */
export function countSvgMarks(svg: string): number {
  return (svg.match(/<(path|line|rect|circle|text)\b[^>]*>/g) ?? []).length;
}
