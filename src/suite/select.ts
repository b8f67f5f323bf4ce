/**
 * Selecting part of a suite by label, without changing the suite: the runs (or a search's chains)
 * kept are the suite's own, with the suite's config hashes and results file, so a selection trains
 * into and resumes from the same records as the whole suite — unlike an override (`--cells`,
 * `--lengths`, …), which makes another grid.
 *
 * A pattern is words separated by spaces; it matches a label (`copy lstm T=1000 seed=1`, a
 * search's chain `adding gru seed=1`) when every one of its words is one of the label's words:
 * `copy exprnn` matches `copy exprnn T=1000 seed=1`, `lstm` matches `adding lstm seed=1` but not
 * `adding lstm+attn seed=1`.
 *
 * @module
 */

/** Whether `label` has every word of `pattern` among its words. */
export function labelMatches(label: string, pattern: string): boolean {
  const words = new Set(label.split(/\s+/).filter(Boolean));
  const wanted = pattern.split(/\s+/).filter(Boolean);
  return wanted.length > 0 && wanted.every((w) => words.has(w));
}

/** The items whose label matches any of `patterns`, in their order. */
export function selectByLabel<T>(
  items: readonly T[],
  patterns: readonly string[],
  labelOf: (item: T) => string,
): T[] {
  return items.filter((x) => patterns.some((p) => labelMatches(labelOf(x), p)));
}

/** The patterns of a comma-separated `--only` value; an error message when there are none. */
export function parseOnly(text: string): string[] | string {
  const patterns = text.split(",").map((p) => p.trim().replace(/\s+/g, " ")).filter(Boolean);
  return patterns.length ? patterns : `--only needs at least one label pattern, got '${text}'`;
}
