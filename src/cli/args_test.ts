import { assertEquals, assertMatch, assertThrows } from "../testing/assert.ts";
import {
  helpText,
  parseChoice,
  parseFlags,
  parseInteger,
  parseIntegerList,
  parseNumber,
  UsageError,
} from "./args.ts";

const SPECS = {
  steps: { type: "string", description: "steps" },
  force: { type: "boolean", description: "force" },
} as const;

Deno.test("flags parse to strings and booleans", () => {
  const { values } = parseFlags(["--steps", "10", "--force"], SPECS);
  assertEquals(values.steps, "10");
  assertEquals(values.force, true);
});

Deno.test("an unknown flag is a UsageError naming it", () => {
  const e = assertThrows(() => parseFlags(["--bogus"], SPECS), UsageError);
  assertMatch(e.message, /bogus/);
  assertEquals(e.message.includes("\n"), false);
});

Deno.test("a negative number after a string flag reaches the range check", () => {
  const { values } = parseFlags(["--steps", "-3"], SPECS);
  assertEquals(values.steps, "-3");
  assertThrows(() => parseInteger("steps", values.steps as string), UsageError, "≥ 1");
});

Deno.test("numbers, lists and choices are validated with the flag's name", () => {
  assertEquals(parseInteger("n", "7"), 7);
  assertThrows(() => parseInteger("n", "7.5"), UsageError, "--n must be a whole number");
  assertThrows(() => parseInteger("n", "0"), UsageError, "≥ 1");
  assertEquals(parseIntegerList("lengths", "50, 100,200"), [50, 100, 200]);
  assertThrows(() => parseIntegerList("lengths", "50,x"), UsageError, "--lengths");
  assertEquals(parseNumber("lr", "1e-3", { positive: true }), 1e-3);
  assertThrows(() => parseNumber("lr", "0", { positive: true }), UsageError, "positive");
  assertEquals(parseChoice("backend", "cpu", ["cpu", "wasm"] as const), "cpu");
  assertThrows(
    () => parseChoice("backend", "gpu", ["cpu", "wasm"] as const),
    UsageError,
    "one of cpu, wasm",
  );
});

Deno.test("help lists every flag with its description and default", () => {
  const h = helpText("x [--steps N]", "Does x.", {
    steps: { type: "string", arg: "N", description: "training steps", default: "5" },
  });
  assertMatch(h, /--steps N\s+training steps \(default: 5\)/);
});
