import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import {
  baselineLoss,
  checkTaskSpec,
  taskInputSize,
  taskOutputSize,
  taskSteps,
} from "./task_spec.ts";

Deno.test("adding has T steps of 2 inputs and 1 output", () => {
  const s = { task: "adding", T: 50 } as const;
  assertEquals([taskSteps(s), taskInputSize(s), taskOutputSize(s)], [50, 2, 1]);
});

Deno.test("copy has T + 2S steps of 10 classes", () => {
  assertEquals(taskSteps({ task: "copy", T: 100 }), 120);
  assertEquals(taskSteps({ task: "copy", T: 100, symbols: 3 }), 106);
  assertEquals(taskInputSize({ task: "copy", T: 1 }), 10);
  assertEquals(taskOutputSize({ task: "copy", T: 1 }), 10);
});

Deno.test("baselines: adding 1/6, copy S·ln8/(T+2S) (0.0204 at T=1000)", () => {
  assertEquals(baselineLoss({ task: "adding", T: 200, variant: "tcn" }), 1 / 6);
  assertAlmostEquals(baselineLoss({ task: "copy", T: 1000 }), 0.0204, 5e-5);
  assertAlmostEquals(
    baselineLoss({ task: "copy", T: 10, symbols: 2 }),
    (2 * Math.log(8)) / 14,
    1e-15,
  );
});

Deno.test("specs that cannot be generated are refused with a reason", () => {
  assertThrows(() => checkTaskSpec({ task: "adding", T: 1 }), RangeError, "T ≥ 2");
  assertThrows(() => checkTaskSpec({ task: "copy", T: 0 }), RangeError, "T ≥ 1");
  assertThrows(() => checkTaskSpec({ task: "copy", T: 5, symbols: 0 }), RangeError, "symbols");
  assertThrows(() => checkTaskSpec({ task: "copy", T: 2.5 }), RangeError, "whole number");
  // deno-lint-ignore no-explicit-any
  assertThrows(() => checkTaskSpec({ task: "mult", T: 5 } as any), RangeError, "unknown task");
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => checkTaskSpec({ task: "adding", T: 5, variant: "x" } as any),
    RangeError,
    "variant",
  );
  checkTaskSpec({ task: "adding", T: 2 });
  checkTaskSpec({ task: "copy", T: 1 });
});
