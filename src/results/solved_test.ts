import { assertEquals } from "../testing/assert.ts";
import { passes, solveTracker, stepsToSolveOfCurve } from "./solved.ts";
import type { CurvePoint } from "./schema.ts";

const solved = { mse: 0.01, accuracy: 0.99 };

/** Feeds accuracies at steps 10, 20, … and returns each evaluation's state. */
function run(accuracies: number[], patience?: number) {
  const t = solveTracker({
    task: "copy",
    solved,
    ...(patience ? { stopWhenSolved: { patience } } : {}),
  });
  return accuracies.map((a, i) =>
    t.observe(
      { step: 10 * (i + 1), test_mse: null, test_accuracy: a },
      i === accuracies.length - 1,
    )
  );
}

Deno.test("thresholds: adding by MSE (≤), copy by accuracy (≥)", () => {
  assertEquals(passes("adding", solved, { test_mse: 0.01, test_accuracy: 0 }), true);
  assertEquals(passes("adding", solved, { test_mse: 0.011, test_accuracy: 1 }), false);
  assertEquals(passes("adding", solved, { test_mse: null, test_accuracy: 1 }), false);
  assertEquals(passes("copy", solved, { test_mse: null, test_accuracy: 0.99 }), true);
  assertEquals(passes("copy", solved, { test_mse: 0, test_accuracy: 0.98 }), false);
});

Deno.test("steps-to-solve is the first pass that the next evaluation confirms", () => {
  // a lone pass at 20 does not count; 40 passes and 50 confirms it
  const states = run([0.5, 1, 0.5, 1, 1, 0.2]);
  assertEquals(states.map((s) => s.stepsToSolve), [null, null, null, null, 40, 40]);
  assertEquals(states.every((s) => !s.stop), true, "no stopping without stopWhenSolved");
  assertEquals(run([0.5, 0.5, 0.5]).at(-1)!.stepsToSolve, null);
});

Deno.test("the final evaluation counts on its own; an unconfirmed pass elsewhere does not", () => {
  assertEquals(run([0.5, 0.5, 1]).at(-1)!.stepsToSolve, 30);
  // A run cut short (diverged) after a lone pass: its curve has no final evaluation.
  const curve: CurvePoint[] = [
    { step: 10, train_loss: 1, test_loss: 1, test_accuracy: 0.5 },
    { step: 20, train_loss: 1, test_loss: 1, test_accuracy: 1 },
  ];
  assertEquals(stepsToSolveOfCurve({ task: "copy", solved, steps: 100 }, curve), null);
  assertEquals(stepsToSolveOfCurve({ task: "copy", solved, steps: 20 }, curve), 20);
});

Deno.test("stopWhenSolved stops patience evaluations after the solving one", () => {
  // solved at 20, confirmed at 30, ends at 40 (the first evaluation that says stop)
  assertEquals(run([0.5, 1, 1, 1, 1, 1], 2).findIndex((s) => s.stop), 3);
  assertEquals(run([1, 1, 1], 1).findIndex((s) => s.stop), 1);
  // at the final evaluation the run ends anyway: that is not an early stop
  assertEquals(run([0.5, 1, 1], 1).map((s) => s.stop), [false, false, false]);
});

Deno.test("the curve rule skips training-only points and agrees with the tracker", () => {
  const curve: CurvePoint[] = [
    { step: 5, train_loss: 1 },
    { step: 10, train_loss: 1, test_loss: 1, test_mse: 0.005 },
    { step: 15, train_loss: 1 },
    { step: 20, train_loss: 1, test_loss: 1, test_mse: 0.002 },
  ];
  assertEquals(stepsToSolveOfCurve({ task: "adding", solved, steps: 40 }, curve), 10);
});

Deno.test("a tracker continued from another's state answers as the other would", () => {
  const accs = [0.5, 1, 0.5, 1, 1, 1, 1];
  const whole = run(accs, 2);
  for (let cut = 0; cut <= accs.length; cut++) {
    const c = { task: "copy" as const, solved, stopWhenSolved: { patience: 2 } };
    const a = solveTracker(c);
    const feed = (t: typeof a, i: number) =>
      t.observe(
        { step: 10 * (i + 1), test_mse: null, test_accuracy: accs[i] },
        i === accs.length - 1,
      );
    for (let i = 0; i < cut; i++) feed(a, i);
    const b = solveTracker(c, JSON.parse(JSON.stringify(a.state())));
    for (let i = cut; i < accs.length; i++) assertEquals(feed(b, i), whole[i], `cut ${cut}, ${i}`);
  }
});
