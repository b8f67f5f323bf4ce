import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { createProgress } from "./progress.ts";

/** Drives two runs (one evaluated twice, one skipped) through a progress display. */
function drive(opts: { tty: boolean; verbose?: boolean }): string {
  let out = "";
  let t = 0;
  const p = createProgress([1, 1, 1], {
    ...opts,
    now: () => t,
    write: (s) => void (out += s),
    columns: 120,
  });
  p.runStart(0, 3, "adding lstm T=50 seed=1", 100);
  for (let s = 1; s <= 100; s++) {
    t += 0.01;
    p.step(s);
    if (s % 50 === 0) {
      p.evaluation({ step: s, train_loss: 0.1 / s, test_loss: 0.2 / s, steps_per_s: 100 });
    }
  }
  p.runEnd("adding lstm T=50 seed=1", "ok", 1, "test loss 0.002");
  p.runSkipped(1, 3, "adding gru T=50 seed=1", "already in results");
  p.runStart(2, 3, "adding gru T=100 seed=1", 100);
  p.runEnd("adding gru T=100 seed=1", "diverged", 0.5, "at step 3: NaN");
  p.done();
  return out;
}

Deno.test("to a pipe: one line when a run starts, one when it ends, no control codes", () => {
  const lines = drive({ tty: false }).trimEnd().split("\n");
  assertEquals(lines, [
    "[1/3] adding lstm T=50 seed=1: 100 steps",
    "✓ [1/3] adding lstm T=50 seed=1: ok in 1.0s test loss 0.002",
    "· [2/3] adding gru T=50 seed=1: already in results",
    "[3/3] adding gru T=100 seed=1: 100 steps",
    "✗ [3/3] adding gru T=100 seed=1: diverged in 0.5s at step 3: NaN",
    "finished 3 runs in 1s",
  ]);
});

Deno.test("--verbose adds one line per evaluation", () => {
  const lines = drive({ tty: false, verbose: true }).trimEnd().split("\n");
  assertEquals(lines.filter((l) => / step \d+\/100 /.test(l)).length, 2);
  assertEquals(lines.length, 8);
});

Deno.test("on a terminal: one live line per run that collapses into its result", () => {
  const out = drive({ tty: true });
  // Every redraw returns to the start of the one line; only results end lines.
  const finished = out.split("\n").slice(0, -1).map((l) => l.split("\r\x1b[2K").at(-1));
  assertEquals(finished, [
    "✓ [1/3] adding lstm T=50 seed=1: ok in 1.0s test loss 0.002",
    "· [2/3] adding gru T=50 seed=1: already in results",
    "✗ [3/3] adding gru T=100 seed=1: diverged in 0.5s at step 3: NaN",
    "finished 3 runs in 1s",
  ]);
  const live = out.split("\r\x1b[2K").find((s) => s.includes("50/100"));
  assert(live, "a live line at step 50");
  assertMatch(live, /^\[1\/3\] adding lstm T=50 seed=1 █+░+ 50\/100 · [\d.]+ steps\/s · loss /);
  assertMatch(live, / · ETA \d+s$/);
});
