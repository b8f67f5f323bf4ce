import { assert, assertEquals, assertGreater, assertLess } from "../testing/assert.ts";
import { sampleRecord } from "../results/_sample.ts";
import type { RunConfig } from "../results/schema.ts";
import { estimateRunMemory, formatBytes, MAX_RUN_BYTES, memoryProblem } from "./memory.ts";

const config = (over: Partial<RunConfig>): RunConfig => ({ ...sampleRecord().config, ...over });

Deno.test("the estimate counts parameters ×4 (Adam) and activations B·len·(G+1)·H twice", () => {
  const c = config({ cell: "lstm", hidden: 100, batch: 10, T: 50, testSize: 8, layers: 1 });
  const m = estimateRunMemory(c);
  // LSTM: 4 gates · H · (2 inputs + H + 1) weights, plus the readout H·1 + 1
  assertEquals(m.params, 4 * 4 * (4 * 100 * (2 + 100 + 1) + 100 + 1));
  assertEquals(m.activations, 2 * 10 * 50 * 5 * 100 * 4);
  assertEquals(m.total, m.params + m.activations + m.evaluation + m.data);
  const two = estimateRunMemory({ ...c, layers: 2 });
  assertGreater(two.params, 2 * m.params - 4 * 4 * 200, "a second layer has H inputs");
  assertEquals(two.activations, 2 * m.activations);
});

Deno.test("realistic runs fit; a hidden size of 10^8 does not, and the line says why", () => {
  assertLess(
    estimateRunMemory(config({ task: "copy", symbols: 10, T: 1000, hidden: 128, batch: 64 }))
      .total,
    2 ** 30,
  );
  assertEquals(memoryProblem(config({ hidden: 128 })), null);
  const p = memoryProblem(config({ hidden: 100_000_000 }));
  assert(p !== null && /hidden 100000000.*about .*·10\^.*bytes.*16\.0 GiB/.test(p), p ?? "");
  assertEquals(p!.includes("\n"), false);
  assert(memoryProblem(config({ hidden: 64 }), 1000) !== null, "the cap is a parameter");
  assertEquals(MAX_RUN_BYTES, 16 * 2 ** 30);
});

Deno.test("bytes read as KiB, MiB, GiB or a power of ten", () => {
  assertEquals(formatBytes(2048), "2 KiB");
  assertEquals(formatBytes(5 * 2 ** 20), "5 MiB");
  assertEquals(formatBytes(1.5 * 2 ** 30), "1.5 GiB");
  assertEquals(formatBytes(1.6e17), "1.6·10^17 bytes");
});
