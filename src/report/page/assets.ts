/**
 * The page's own scripts and styles, kept as real files beside this module (`status.js`,
 * `link.js`, `embed.js`, `style.css`, which `deno check` and `deno lint` see) and read at build
 * time to be inlined: the built page stays one self-contained file that works offline.
 *
 * @module
 */

/** The sources the page inlines. */
export interface PageAssets {
  /** Runs first: records console errors for `#render-status`. */
  status: string;
  /** Shares the legend-bound cell highlight across the page's charts. */
  link: string;
  /** Embeds the charts and writes `#render-status`. */
  embed: string;
  /** The page's CSS. */
  style: string;
}

const read = (name: string) => Deno.readTextFile(new URL(`./${name}`, import.meta.url));

/** Reads the page's scripts and styles from beside this module. */
export async function readPageAssets(): Promise<PageAssets> {
  const [status, link, embed, style] = await Promise.all(
    ["status.js", "link.js", "embed.js", "style.css"].map(read),
  );
  return { status, link, embed, style };
}
