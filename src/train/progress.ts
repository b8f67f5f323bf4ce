/**
 * Progress output for `deno task train`. On a terminal: a redrawn bar for the run in flight
 * (step, loss, steps/s) under an overall line (runs done/total, ETA). Elsewhere (CI, logs): one
 * plain line per evaluation and per finished run. Everything goes to stderr; stdout stays clean.
 *
 * @module
 */

/** What the trainer tells its progress display. */
export interface Progress {
  runStart(index: number, total: number, label: string, steps: number): void;
  step(step: number): void;
  evaluation(
    info: { step: number; train_loss: number; test_loss: number; steps_per_s: number },
  ): void;
  runEnd(label: string, status: string, seconds: number, summary: string): void;
  line(text: string): void;
  done(): void;
}

const enc = new TextEncoder();
const write = (s: string) => Deno.stderr.writeSync(enc.encode(s));

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

/** Picks the display for where stderr goes. `costs` weight the ETA (by estimated run cost). */
export function createProgress(
  costs: number[],
  opts: { tty?: boolean; now?: () => number } = {},
): Progress {
  const tty = opts.tty ?? Deno.stderr.isTerminal();
  const now = opts.now ?? (() => performance.now() / 1000);
  const t0 = now();
  let doneCost = 0, index = 0, total = costs.length, label = "", steps = 1, lastStep = 0;
  let lastLoss = NaN, sps = 0, lastDraw = 0;
  const totalCost = costs.reduce((a, b) => a + b, 0) || 1;
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
    const width = 24;
    const filled = Math.round(width * lastStep / steps);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const overall = `runs ${index}/${total} · ETA ${duration(eta())}`;
    write(
      `\r\x1b[2K${label}  ${bar} ${lastStep}/${steps}  loss ${fmt(lastLoss)}  ${
        sps.toFixed(1)
      } steps/s\n\x1b[2K${overall}\x1b[1A\r`,
    );
  };
  return {
    runStart(i, n, l, s) {
      index = i;
      total = n;
      label = l;
      steps = Math.max(1, s);
      lastStep = 0;
      lastLoss = NaN;
      sps = 0;
      if (!tty) write(`[${i + 1}/${n}] ${l}: ${s} steps\n`);
      draw(true);
    },
    step(s) {
      lastStep = s;
      draw();
    },
    evaluation(e) {
      lastLoss = e.train_loss;
      sps = e.steps_per_s;
      if (tty) draw(true);
      else {
        write(
          `  ${label} step ${e.step}/${steps}  train loss ${fmt(e.train_loss)}  test loss ${
            fmt(e.test_loss)
          }  ${e.steps_per_s.toFixed(1)} steps/s\n`,
        );
      }
    },
    runEnd(l, status, seconds, summary) {
      doneCost += costs[index] ?? 0;
      if (tty) write("\r\x1b[2K\n\x1b[2K\x1b[1A\r");
      write(
        `${status === "ok" ? "✓" : status === "skipped" ? "·" : "✗"} ${l}: ${status} in ${
          seconds.toFixed(1)
        }s ${summary}\n`,
      );
      index++;
    },
    line(text) {
      if (tty) write("\r\x1b[2K");
      write(text + "\n");
    },
    done() {
      if (tty) write("\r\x1b[2K");
      write(`finished ${total} runs in ${duration(now() - t0)}\n`);
    },
  };
}
