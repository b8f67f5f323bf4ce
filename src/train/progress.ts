/**
 * Progress output for `deno task train` and `deno task run`, written to stderr (stdout stays
 * clean):
 *
 * - on a terminal, one live line per run — `[i/n] label ███░░ step/steps · steps/s · loss · ETA`
 *   — redrawn in place and collapsed into the run's one-line result when it ends;
 * - elsewhere (CI, a pipe, a log file), one line when a run starts and one when it ends, so logs
 *   stay short;
 * - with `verbose`, also one line per evaluation (step, train and test loss, steps/s).
 *
 * @module
 */

/** What the trainer tells its progress display. */
export interface Progress {
  runStart(index: number, total: number, label: string, steps: number): void;
  /** A run left out because its result is already there: one line, nothing live. */
  runSkipped(index: number, total: number, label: string, why: string): void;
  step(step: number): void;
  evaluation(
    info: { step: number; train_loss: number; test_loss: number; steps_per_s: number },
  ): void;
  runEnd(label: string, status: string, seconds: number, summary: string): void;
  line(text: string): void;
  done(): void;
}

/** How {@link createProgress} writes. */
export interface ProgressOptions {
  /** Redraw a live line (default: whether stderr is a terminal). */
  tty?: boolean;
  /** One line per evaluation as well (the `--verbose` flag). */
  verbose?: boolean;
  /** Seconds, monotonic (default `performance.now()`). */
  now?: () => number;
  /** Where text goes (default stderr). */
  write?: (text: string) => void;
  /** Terminal width the live line is cut to (default: the console's, else 100). */
  columns?: number;
}

const enc = new TextEncoder();
const stderr = (s: string) => void Deno.stderr.writeSync(enc.encode(s));

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

/** `42s`, `7m`, `1.5h`; `?` when unknown. */
export function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

function consoleColumns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 100;
  }
}

/** Picks the display for where stderr goes. `costs` weight the ETA (by estimated run cost). */
export function createProgress(costs: number[], opts: ProgressOptions = {}): Progress {
  const tty = opts.tty ?? Deno.stderr.isTerminal();
  const verbose = opts.verbose === true;
  const now = opts.now ?? (() => performance.now() / 1000);
  const write = opts.write ?? stderr;
  const columns = Math.max(40, opts.columns ?? (tty ? consoleColumns() : 100));
  const t0 = now();
  let doneCost = 0, index = 0, total = costs.length, label = "", steps = 1, lastStep = 0;
  let lastLoss = NaN, runT0 = t0, lastDraw = -Infinity, live = false;
  const totalCost = costs.reduce((a, b) => a + b, 0) || 1;
  const tag = () => `[${index + 1}/${total}]`;
  const eta = () => {
    const elapsed = now() - t0;
    const frac = (doneCost + (costs[index] ?? 0) * (lastStep / steps)) / totalCost;
    return frac > 0.01 ? elapsed * (1 - frac) / frac : NaN;
  };
  const draw = (force = false) => {
    if (!tty) return;
    const t = now();
    if (!force && t - lastDraw < 0.1) return;
    lastDraw = t;
    const width = 20;
    const filled = Math.round(width * lastStep / steps);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const sps = lastStep > 0 && t > runT0 ? lastStep / (t - runT0) : NaN;
    const text = `${tag()} ${label} ${bar} ${lastStep}/${steps} · ${
      Number.isFinite(sps) ? sps.toFixed(1) : "–"
    } steps/s · loss ${Number.isNaN(lastLoss) ? "–" : fmt(lastLoss)} · ETA ${duration(eta())}`;
    write(`\r\x1b[2K${[...text].slice(0, columns - 1).join("")}`);
    live = true;
  };
  const clear = () => {
    if (tty && live) write("\r\x1b[2K");
    live = false;
  };
  const mark = (status: string) => status === "ok" ? "✓" : status === "skipped" ? "·" : "✗";
  return {
    runStart(i, n, l, s) {
      index = i;
      total = n;
      label = l;
      steps = Math.max(1, s);
      lastStep = 0;
      lastLoss = NaN;
      runT0 = now();
      if (tty) draw(true);
      else write(`${tag()} ${l}: ${s} steps\n`);
    },
    runSkipped(i, n, l, why) {
      index = i;
      total = n;
      clear();
      write(`${mark("skipped")} ${tag()} ${l}: ${why}\n`);
      doneCost += costs[i] ?? 0;
      index++;
    },
    step(s) {
      lastStep = s;
      draw();
    },
    evaluation(e) {
      lastLoss = e.train_loss;
      if (verbose) {
        clear();
        write(
          `  ${label} step ${e.step}/${steps}  train loss ${fmt(e.train_loss)}  test loss ${
            fmt(e.test_loss)
          }  ${e.steps_per_s.toFixed(1)} steps/s\n`,
        );
      }
      draw(true);
    },
    runEnd(l, status, seconds, summary) {
      doneCost += costs[index] ?? 0;
      clear();
      write(`${mark(status)} ${tag()} ${l}: ${status} in ${seconds.toFixed(1)}s ${summary}\n`);
      index++;
    },
    line(text) {
      clear();
      write(text + "\n");
    },
    done() {
      clear();
      write(`finished ${total} runs in ${duration(now() - t0)}\n`);
    },
  };
}
