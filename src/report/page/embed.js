// @ts-check
/// <reference lib="dom" />
/**
 * Embeds every chart of `#chart-specs` into its `#chart-K` box with vega-embed (SVG renderer),
 * links each view's cell highlight, and once every embed settles writes
 * `{done, charts, rendered, marks, errors}` into `#render-status` and sets
 * `data-render="done"` on the body (what the browser tests wait for).
 */
(function () {
  /** @type {any} */
  const g = globalThis;
  const status = /** @type {HTMLElement} */ (document.getElementById("render-status"));
  /** @type {string[]} */
  const errors = g.__reportErrors ?? [];
  /** @type {{ name: string, spec: unknown }[]} */
  const specs = JSON.parse(document.getElementById("chart-specs")?.textContent ?? "[]");
  const done = specs.map((s, i) => {
    if (typeof g.vegaEmbed !== "function") return Promise.reject(new Error("vega-embed missing"));
    return g.vegaEmbed("#chart-" + i, s.spec, { actions: false, renderer: "svg" })
      .then((/** @type {any} */ r) => {
        g.__linkCellHighlight?.(r.view);
        return r;
      });
  });
  Promise.allSettled(done).then((results) => {
    /** @type {Record<string, number>} */
    const marks = {};
    let rendered = 0;
    results.forEach((r, i) => {
      const n = document.querySelectorAll("#chart-" + i + " svg .role-mark > *").length;
      marks[specs[i].name] = n;
      if (r.status === "fulfilled" && n > 0) rendered++;
      if (r.status === "rejected") {
        errors.push(specs[i].name + ": " + (r.reason && r.reason.message || r.reason));
      }
    });
    status.textContent = JSON.stringify({
      done: true,
      charts: specs.length,
      rendered,
      marks,
      errors,
    });
    document.body.setAttribute("data-render", "done");
  });
})();
