/**
 * `FINDINGS.md`: the report's findings as Markdown, for readers of a repository or a published
 * site who will not open the HTML page — the headline first, links to other reports, then the
 * thesis-check, memory-horizon and literature tables, every chart's caption (the same words as
 * the page) and the commands that reproduce the run and rebuild the report (with the flags it
 * was built with). Pure: the caller writes the text.
 *
 * @module
 */
import type { Findings, FindingsTable } from "./findings_text.ts";

/** What {@link findingsMarkdown} lays out. */
export interface FindingsMarkdownInput {
  /** Page title (the first heading). */
  title: string;
  /** One line under it: suite, run id, record count, finish time. */
  subtitle: string;
  /** The suite the records come from (for the reproduce command); absent: no results. */
  suite?: string;
  /** That suite's file, where known (the train commands name it instead of the suite). */
  suitePath?: string;
  /** The suite file the published reference points came from (absent: the default). */
  referencesPath?: string;
  /** Links to other reports, as given to the report (`--link LABEL=HREF`). */
  links?: { label: string; href: string }[];
  /** The results folder the report was built from, as the user typed it. */
  resultsDir: string;
  /** The bench folder the report was built from, as the user typed it. */
  benchDir: string;
  /** The command line the shown bench file records (its `command`), if any. */
  benchCommand?: string;
  /**
   * Whether two shards side by side on one 2-core machine beat one process for these runs: true
   * for small models only (H ≤ 32, the tour: 26 min 49 s against 52 min), which leave cores idle;
   * at H = 128 one process fills both cores and two did 0.70× its work (docs/suites.md).
   */
  shardsSideBySide?: boolean;
  /** The report's output folder, as the user typed it. */
  outDir: string;
  findings: Findings;
  /** Each chart's name and caption, in page order. */
  charts: { name: string; caption: string }[];
  /** What the results lack (grid gaps, failed runs). */
  missing: string[];
}

/** A Markdown table cell: pipes escaped, line breaks flattened. */
function cell(s: string): string {
  return s.replaceAll("|", "\\|").replace(/\s*\n\s*/g, " ");
}

function table(t: FindingsTable): string {
  if (t.rows.length === 0) return `${t.caption}\n\n(no rows)\n`;
  const head = `| ${t.columns.map(cell).join(" | ")} |`;
  const rule = `| ${t.columns.map(() => "---").join(" | ")} |`;
  const rows = t.rows.map((r) => `| ${r.map(cell).join(" | ")} |`);
  return `${t.caption}\n\n${[head, rule, ...rows].join("\n")}\n`;
}

/**
 * Commands that reproduce a suite run, and that rebuild this report from the records and bench
 * file it was built from (`resultsDir`, `benchDir`) into `outDir`.
 */
export function reproduceCommands(
  suite: string,
  dirs: {
    resultsDir: string;
    benchDir: string;
    benchCommand?: string;
    shardsSideBySide?: boolean;
    outDir: string;
    suitePath?: string;
    referencesPath?: string;
    links?: { label: string; href: string }[];
  },
): string[] {
  const s = dirs.suitePath ?? suite;
  const refs = dirs.referencesPath && dirs.referencesPath !== DEFAULT_REFERENCES
    ? ` --references ${shellWord(dirs.referencesPath)}`
    : "";
  const links = (dirs.links ?? []).map((l) => ` --link ${shellWord(`${l.label}=${l.href}`)}`)
    .join("");
  const sideBySide = dirs.shardsSideBySide
    ? [
      "# or, on 2 cores in about half the time (these small models leave a core idle): a shard",
      "# per core, then merge",
      `deno task train --suite ${s} --shard 1/2 --out reports/${suite}-1 &`,
      `deno task train --suite ${s} --shard 2/2 --out reports/${suite}-2; wait`,
      `deno task merge --out reports/${suite} reports/${suite}-1 reports/${suite}-2`,
    ]
    : [];
  return [
    "deno task setup",
    `deno task train --suite ${s} --out reports/${suite}`,
    ...sideBySide,
    `${benchCommandOf(dirs.benchCommand)}   # the speed chart's numbers, into reports/bench`,
    `deno task report --results reports/${suite} --out reports/${suite}-site${refs}`,
    `# rebuild this report from the records it was built from:`,
    `deno task report --results ${dirs.resultsDir} --bench ${dirs.benchDir} --out ${dirs.outDir}` +
    refs + links,
  ];
}

/**
 * The bench command to rerun: the shown file's own command line (its `--out` pointed at
 * reports/bench, the default), else the quick grid against PyTorch.
 */
export function benchCommandOf(recorded: string | undefined): string {
  if (!recorded?.startsWith("deno task bench")) return "deno task bench --quick --peer torch";
  return recorded.replace(/\s+--out(?:=|\s+)\S+/, "").trim();
}

/** The report's default suite file of published reference points. */
const DEFAULT_REFERENCES = "suites/paper.json";

/** A word as a POSIX shell reads it back: quoted where it holds anything but safe characters. */
export function shellWord(s: string): string {
  return /^[\w./=:@%+,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * A link as `FINDINGS.md` gives it: a link to a report's `index.html` points to the `FINDINGS.md`
 * beside it (every report writes both), so a reader of the Markdown stays in Markdown.
 */
export function markdownLink(l: { label: string; href: string }): string {
  const href = /(^|\/)index\.html$/.test(l.href)
    ? l.href.replace(/index\.html$/, "FINDINGS.md")
    : l.href;
  return `[${l.label.replace(/[[\]]/g, "\\$&")}](${href.replaceAll(" ", "%20")})`;
}

/**
 * The headline as a Markdown list, one sentence a line: what `FINDINGS.md` opens with and the
 * workflow's job summary shows.
 */
export function headlineMarkdown(f: Findings): string {
  return f.headline.map((s) => `- ${s}`).join("\n");
}

/** The Markdown text of `FINDINGS.md`. */
export function findingsMarkdown(i: FindingsMarkdownInput): string {
  const parts: string[] = [`# ${i.title}`, i.subtitle];
  parts.push("## Headline", headlineMarkdown(i.findings));
  parts.push(
    "Generated by `deno task report` from the result records; every number here is computed " +
      "from them. The HTML report (`index.html`, beside this file) has the charts, the run " +
      "manifest and a playground that trains a cell live in the browser.",
  );
  if (i.links?.length) parts.push(`See also: ${i.links.map(markdownLink).join(" · ")}.`);
  parts.push("## Does the gradient horizon predict the memory horizon?", table(i.findings.thesis));
  parts.push("## Memory horizon", table(i.findings.memory));
  if (i.findings.literature.rows.length) {
    parts.push("## Against the literature", table(i.findings.literature));
  }
  parts.push(
    "## Chart captions",
    i.charts.map((c) => `- **${c.name}**: ${c.caption.replace(/\s*\n\s*/g, " ")}`).join("\n"),
  );
  if (i.missing.length) {
    parts.push("## Missing", i.missing.map((m) => `- ${m}`).join("\n"));
  }
  if (i.suite) {
    parts.push(
      "## Reproduce",
      "Same seed, same machine, same backend: the same records, bit for bit.\n\n```sh\n" +
        reproduceCommands(i.suite, i).join("\n") + "\n```",
    );
  }
  return parts.join("\n\n") + "\n";
}
