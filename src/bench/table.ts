/**
 * The readable table of a bench file: one row per cell × T, one column per contender (median
 * ms/step and min–max), the step's matrix-product GFLOP, this project's GFLOP/s and its share of
 * the machine's GEMM peak, its time over the fastest peer's with its bootstrap interval, and the
 * verdict against the speed target (`efficiency.ts`); then the other measurements (the peak's
 * products, probe, data, report).
 *
 * @module
 */
import type { BenchEntry } from "../results/schema.ts";
import {
  benchPeak,
  PEAK_TARGET,
  PEER_TARGET,
  type SpeedBenchFile,
  speedRows,
} from "./efficiency.ts";
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

/** GFLOP/s with three significant digits. */
export function formatGflops(g: number): string {
  return g >= 100 ? g.toFixed(0) : g >= 10 ? g.toFixed(1) : g >= 1 ? g.toFixed(2) : g.toFixed(3);
}

/** The header lines: machine, software, threads, repeats, the peak. */
export function tableHeader(bench: SpeedBenchFile): string {
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
    ? `threads: ${threads} for every contender (TensorFlow intra-op${
      env.interOpThreads ? `, this project × ${env.interOpThreads} inter-op` : ""
    }, torch, Keras)`
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
  const peak = benchPeak(bench);
  if (peak) {
    lines.push(
      `fp32 GEMM peak: ${formatGflops(peak.gflops)} GFLOP/s (${peak.method}` +
        (peak.gflops_1thread !== undefined
          ? `; 1 thread: ${formatGflops(peak.gflops_1thread)} GFLOP/s)`
          : ")"),
    );
  }
  lines.push(
    "GFLOP: the step's matrix products (src/bench/flops.ts); verdict: meets = at most " +
      `${PEER_TARGET}× the fastest peer or at least ${100 * PEAK_TARGET}% of the peak`,
  );
  for (const s of bench.peers_skipped ?? []) lines.push(`not run: ${s.peer} (${s.reason})`);
  return lines.join("\n");
}

/** The whole table as text. */
export function formatTable(bench: SpeedBenchFile): string {
  const steps = bench.entries.filter((e) => e.what === "train_step" && e.cell && e.T !== null);
  const columns = [...new Set(steps.map(column))].sort((a, b) =>
    Number(b.startsWith(OURS)) - Number(a.startsWith(OURS))
  );
  const configs = [...new Map(steps.map((e) => [`${e.cell} T=${e.T}`, e])).values()]
    .sort((a, b) => a.T! - b.T! || a.cell!.localeCompare(b.cell!));
  const hasRatios = bench.ratios.length > 0;
  const peak = benchPeak(bench);
  const speed = speedRows(bench.entries, bench.ratios, peak, bench.env.backend);
  const hasSpeed = speed.length > 0;
  const header = [
    "cell",
    "T",
    ...(hasSpeed ? ["GFLOP"] : []),
    ...columns,
    ...(hasSpeed ? ["GFLOP/s", "of peak"] : []),
    ...(hasRatios ? ["ours / fastest peer [95% CI]"] : []),
    ...(hasSpeed ? ["verdict"] : []),
  ];
  const rows = configs.map((c) => {
    const here = steps.filter((e) => e.cell === c.cell && e.T === c.T);
    const r = bench.ratios.find((r) => r.cell === c.cell && r.T === c.T && r.fastest) ??
      bench.ratios.filter((r) => r.cell === c.cell && r.T === c.T)
        .sort((a, b) => b.ratio - a.ratio)[0];
    const sp = speed.find((s) => s.cell === c.cell && s.T === c.T);
    return [
      c.cell!,
      String(c.T),
      ...(hasSpeed ? [sp ? sp.gflop.toFixed(3) : "–"] : []),
      ...columns.map((col) => cellText(here.find((e) => column(e) === col))),
      ...(hasSpeed
        ? [
          sp ? formatGflops(sp.gflops) : "–",
          sp?.peak_share != null ? `${(100 * sp.peak_share).toFixed(0)}%` : "–",
        ]
        : []),
      ...(hasRatios
        ? [
          r
            ? `${r.ratio.toFixed(2)}× ${r.peer} [${r.ci_low.toFixed(2)}–${r.ci_high.toFixed(2)}]`
            : "–",
        ]
        : []),
      ...(hasSpeed ? [sp?.verdict ?? "–"] : []),
    ];
  });
  const out = [tableHeader(bench), ""];
  out.push(
    steps.length
      ? render(header, rows, header.map((h, i) => i >= 1 && h !== "verdict"))
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
