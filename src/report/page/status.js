// @ts-check
/// <reference lib="dom" />
/**
 * Runs first on the page: records `console.error`, `window.onerror` and unhandled rejections in
 * `window.__reportErrors`, which the embed script reports in `#render-status` for a headless
 * browser to read.
 */
(function () {
  /** @type {string[]} */
  const errors = [];
  /** @type {any} */ (globalThis).__reportErrors = errors;
  const origError = console.error;
  console.error = function (...args) {
    try {
      errors.push(args.map(String).join(" "));
    } catch (_) { /* a value that cannot become a string */ }
    return origError.apply(console, args);
  };
  globalThis.addEventListener("error", (e) => void errors.push("error: " + (e.message || e)));
  globalThis.addEventListener("unhandledrejection", (e) => {
    errors.push("unhandled rejection: " + (e.reason && e.reason.message || e.reason));
  });
})();
