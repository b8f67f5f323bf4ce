// @ts-check
/// <reference lib="dom" />
/**
 * Shares the legend-bound cell selection across every chart of the page: each view holding the
 * selection's store dataset (`<param>_store`, which Vega-Lite keeps the picked tuples in; its
 * name is the `data-highlight-store` of `#chart-specs`) gets a data listener, and a change there
 * is written into the store of every other such view, so a pick (or its clearing) in one chart
 * dims (or restores) the same cells everywhere. A listener ignores a store whose content is
 * already the page's current selection: that is what the write into the other views makes them
 * report back, and so no change bounces between views. A click that clears the pick in one
 * chart clears it in all. Views without the store (charts not coloured by cell) are left alone.
 *
 * Defines `window.__linkCellHighlight(view)`, which the embed script calls per chart.
 */
(function () {
  /** @type {any} */
  const g = globalThis;
  const specs = document.getElementById("chart-specs");
  const STORE = specs?.dataset.highlightStore ?? "cell_pick_store";
  /** @type {any[]} */
  const linked = [];
  /** @type {{ key: string, tuples: any[] }} */
  let current = { key: "[]", tuples: [] };

  /** @param {any} view */
  function hasStore(view) {
    try {
      view.data(STORE);
      return true;
    } catch (_) {
      return false;
    }
  }

  /**
   * What a tuple picks, independent of the view (unit) that picked it.
   * @param {any} t
   */
  function entryKey(t) {
    return JSON.stringify([(t.fields || []).map((/** @type {any} */ f) => f.field), t.values]);
  }

  /**
   * One fresh copy of each distinct picked tuple: Vega marks the objects it ingests with ids of
   * one view, and a faceted chart stores the same pick once per panel.
   * @param {any[] | undefined} tuples
   */
  function distinct(tuples) {
    /** @type {Record<string, boolean>} */
    const seen = {};
    return (tuples || []).map((t) => JSON.parse(JSON.stringify(t))).filter((t) => {
      const k = entryKey(t);
      return seen[k] ? false : (seen[k] = true);
    });
  }

  /** @param {any[]} tuples */
  function keyOf(tuples) {
    return JSON.stringify(tuples.map(entryKey).sort());
  }

  /**
   * @param {any} view
   * @param {any[]} tuples
   */
  function write(view, tuples) {
    const rows = g.vega.changeset().remove(() => true).insert(distinct(tuples));
    view.change(STORE, rows).runAsync().catch((/** @type {any} */ e) => {
      console.error("cell highlight: " + (e && e.message || e));
    });
  }

  /** @param {any} view */
  g.__linkCellHighlight = function (view) {
    if (!hasStore(view)) return;
    linked.push(view);
    // What the last click in this view hit. Vega may run the selection's signals (and so this
    // view's data listener) before the click listener below, so a store change is judged only
    // once the click's listeners have all run.
    let clicked = "none";
    if (current.tuples.length) write(view, current.tuples);
    view.addDataListener(STORE, (/** @type {string} */ _name, /** @type {any[]} */ tuples) => {
      const picked = distinct(tuples);
      if (keyOf(picked) === current.key) return;
      setTimeout(() => {
        const key = keyOf(picked);
        if (key === current.key) return;
        if (clicked === "mark") {
          // A click on anything but the legend makes Vega-Lite store again the entry last
          // clicked in this view's own legend, which is stale once another chart picked: put
          // the page's pick back.
          write(view, current.tuples);
          return;
        }
        current = { key, tuples: picked };
        linked.forEach((other) => {
          if (other !== view) write(other, current.tuples);
        });
      }, 0);
    });
    view.addEventListener("click", (/** @type {any} */ _event, /** @type {any} */ item) => {
      const role = item && item.mark && item.mark.role;
      clicked = !item || !item.datum
        ? "empty"
        : /^legend-(symbol|label|entry)$/.test(role)
        ? "legend"
        : "mark";
      // Vega-Lite clears the pick on a click that hits no item or one without data, but only in
      // the view whose own legend made it: a view whose store was written from another chart
      // has no pick of its own to clear. So such a click clears the pick of the page.
      if (clicked !== "empty" || current.tuples.length === 0) return;
      current = { key: "[]", tuples: [] };
      linked.forEach((other) => write(other, []));
    });
  };
})();
