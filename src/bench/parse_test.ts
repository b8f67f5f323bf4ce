import { assertEquals, assertThrows } from "../testing/assert.ts";
import { BenchParseError, parseDenoBench } from "./parse.ts";

const DOC = {
  version: 1,
  runtime: "Deno/2.9.6 x86_64-unknown-linux-gnu",
  cpu: "AMD EPYC",
  benches: [
    {
      origin: "file:///p/bench/step_bench.ts",
      group: "T=50",
      name: "lstm T=50",
      baseline: true,
      results: [{ ok: { n: 3, min: 9e6, max: 12e6, avg: 10.5e6 } }],
    },
    {
      origin: "file:///p/bench/step_bench.ts",
      group: "probe T=50",
      name: "probe lstm T=50",
      baseline: false,
      results: [{ ok: { n: 2, min: 20e6, max: 22e6, avg: 21e6 } }],
    },
    {
      origin: "file:///p/bench/data_bench.ts",
      group: "adding",
      name: "adding (arjovsky) T=100 B=256 (51,456 float32 values)",
      baseline: false,
      results: [{ ok: { n: 100, min: 1e5, max: 3e5, avg: 2e5 } }],
    },
    {
      origin: "file:///p/bench/step_bench.ts",
      group: "T=50",
      name: "gru T=50",
      baseline: false,
      results: [{ failed: "Error: boom" }],
    },
  ],
};

Deno.test("deno bench JSON parses into measurements; the timed samples are the last n", () => {
  const { measurements, failed } = parseDenoBench(JSON.stringify(DOC), {
    contender: "rnn-gradbench",
    backend: "tensorflow",
    repeat: 2,
    samples: { "lstm T=50": [50, 40, 9, 10.5, 12] },
  });
  assertEquals(failed, ["gru T=50"]);
  const [step, probe, data] = measurements;
  assertEquals(
    [step.what, step.cell, step.T, step.B, step.H, step.repeat],
    ["train_step", "lstm", 50, 64, 128, 2],
  );
  assertEquals(step.samples, [9, 10.5, 12]);
  assertEquals([step.ms_min, step.ms_max], [9, 12]);
  assertEquals([probe.what, probe.samples, probe.ms_min], ["probe", [21], 20]);
  assertEquals([data.what, data.cell, data.T, data.backend], ["data", null, 100, "tensorflow"]);
});

Deno.test("output that is not deno bench JSON is a BenchParseError", () => {
  const opts = { contender: "x", backend: null, repeat: 1 };
  assertThrows(() => parseDenoBench("nope", opts), BenchParseError);
  assertThrows(() => parseDenoBench({ version: 1 }, opts), BenchParseError);
});
