import { assertEquals } from "../testing/assert.ts";
import { nonProtocolLines, parseProtocol } from "./protocol.ts";

Deno.test("protocol lines are collected and other stderr lines ignored", () => {
  const stderr = [
    "Check file:///bench/step_bench.ts",
    '@@rnn-gradbench env {"backend":"tensorflow"}',
    '@@rnn-gradbench samples {"name":"lstm T=50","ms":[3,2,1]}',
    '@@rnn-gradbench samples {"name":"lstm T=50","ms":[4]}',
    "@@rnn-gradbench samples {broken",
    "some warning",
  ].join("\n");
  const p = parseProtocol(stderr);
  assertEquals(p.env, { backend: "tensorflow" });
  assertEquals(p.samples, { "lstm T=50": [3, 2, 1, 4] });
  assertEquals(nonProtocolLines(stderr), ["Check file:///bench/step_bench.ts", "some warning"]);
});
