/**
 * The readable table of a bench file: one row per cell × T, one column per contender (median
 * ms/step and min–max), and this project's time over the fastest peer's with its bootstrap
 * interval; then the other measurements (probe, data, report).
 *
 * @module
 */
import type { BenchEntry, BenchFile } from "../results/schema.ts";
import { OURS } from "./summarize.ts";

/** `12.3`, `1234`, `0.456`: three significant digits, at least whole milliseconds. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

function column(e: BenchEntry): string {
  return e.contender === OURS && e.backend ? `${OURS} (${e.backend})` : e.contender;
}

function cellText(e: BenchEntry | undefined): string {
  return e ? `${formatMs(e.ms)} (${formatMs(e.ms_min)}–${formatMs(e.ms_max)})` : "–";
}

function render(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    "| " + r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ") +
    " |";
  const rule = "|" + widths.map((w, i) => (right[i] ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2)))
    .join("|") +
    "|";
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** The header lines: machine, software, threads, repeats. */
export function tableHeader(bench: BenchFile): string {
  const env = bench.env;
  const versions = new Map<string, string>();
  for (const e of bench.entries) {
    if (e.contender !== OURS && e.version) versions.set(e.contender.split("-")[0], e.version);
  }
  const threads = bench.threads ?? null;
  const perContender = new Map<string, number>();
  for (const e of bench.entries) {
    if (e.what === "train_step" && e.threads !== undefined) perContender.set(column(e), e.threads);
  }
  const threadText = threads !== null
    ? `threads: ${threads} for every contender (TensorFlow intra-op, torch, Keras)`
    : `threads: each contender at its default (${
      [...perContender].map(([c, n]) =>
        `${c} ${n}${
          c.includes("tensorflow") && env.interOpThreads
            ? ` intra-op × ${env.interOpThreads} inter-op`
            : ""
        }`
      ).join(", ") || "not recorded"
    })`;
  const sw = [
    `tfjs ${env.tfjs}`,
    ...(env.tensorflow ? [`TensorFlow ${env.tensorflow}`] : []),
    `Deno ${env.deno}`,
    ...[...versions].map(([k, v]) => `${k} ${v}`),
  ];
  const lines = [
    `rnn-gradbench bench, ${env.date.slice(0, 16).replace("T", " ")} UTC, commit ${
      (env.commit ?? "unknown").slice(0, 10)
    }`,
    `${env.cpu}, ${env.cores} cores, ${env.os}; ${sw.join(", ")}`,
    `${threadText}; ` +
    `repeats: ${bench.repeats}, interleaved; ms per training step, median (min–max), B=64, H=128, adding`,
  ];
  for (const s of bench.peers_skipped ?? []) lines.push(`not run: ${s.peer} (${s.reason})`);
  return lines.join("\n");
}

/** The whole table as text. */
export function formatTable(bench: BenchFile): string {
  const steps = bench.entries.filter((e) => e.what === "train_step" && e.cell && e.T !== null);
  const columns = [...new Set(steps.map(column))].sort((a, b) =>
    Number(b.startsWith(OURS)) - Number(a.startsWith(OURS))
  );
  const configs = [...new Map(steps.map((e) => [`${e.cell} T=${e.T}`, e])).values()]
    .sort((a, b) => a.T! - b.T! || a.cell!.localeCompare(b.cell!));
  const hasRatios = bench.ratios.length > 0;
  const header = ["cell", "T", ...columns, ...(hasRatios ? ["ours / fastest peer [95% CI]"] : [])];
  const rows = configs.map((c) => {
    const here = steps.filter((e) => e.cell === c.cell && e.T === c.T);
    const r = bench.ratios.find((r) => r.cell === c.cell && r.T === c.T && r.fastest) ??
      bench.ratios.filter((r) => r.cell === c.cell && r.T === c.T)
        .sort((a, b) => b.ratio - a.ratio)[0];
    return [
      c.cell!,
      String(c.T),
      ...columns.map((col) => cellText(here.find((e) => column(e) === col))),
      ...(hasRatios
        ? [
          r
            ? `${r.ratio.toFixed(2)}× ${r.peer} [${r.ci_low.toFixed(2)}–${r.ci_high.toFixed(2)}]`
            : "–",
        ]
        : []),
    ];
  });
  const out = [tableHeader(bench), ""];
  out.push(
    steps.length
      ? render(header, rows, header.map((_, i) => i >= 1))
      : "(no training-step timings)",
  );
  const others = bench.entries.filter((e) => e.what !== "train_step");
  if (others.length) {
    out.push("", "other measurements (ms per call, median (min–max)):");
    out.push(render(
      ["what", "name", "contender", "ms"],
      others.map((e) => [e.what, e.name ?? "", column(e), cellText(e)]),
      [false, false, false, true],
    ));
  }
  return out.join("\n") + "\n";
}
