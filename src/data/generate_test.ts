import { assertEquals, assertNotEquals, assertThrows } from "../testing/assert.ts";
import { batchXShape, batchYShape } from "./batch.ts";
import { batchStream, generateBatch, testSet, trainSet } from "./generate.ts";
import { encodeNpy } from "./npy.ts";
import { rngFromSeed, STREAM_TRAIN } from "./rng.ts";
import { sha256Hex } from "./sha256.ts";
import type { TaskSpec } from "./task_spec.ts";

/**
 * Golden digests: SHA-256 of the `.npy` encoding of 64 samples from seed 2024. If one changes,
 * generation drifted: bump GENERATOR_VERSION in dataset.ts and update these on purpose.
 */
const GOLDEN: [TaskSpec, "train" | "test", string, string][] = [
  [
    { task: "adding", T: 100 },
    "train",
    "93cf43266a2209be9743970678f9692b9f01228e504cc862e6e3897e3d844370",
    "935d259c4b1b0f5ec14e51118f04de289731d4ccef521dc25c4b5c0b94c19606",
  ],
  [
    { task: "adding", T: 100 },
    "test",
    "6fe134f36b443d48d07565fb292ddf61abcbd6378d1cfc8a8e46a1002f5c3200",
    "8de58b1d4722a222018a8c6c324d361cd9d5dd67661d7d332544b23e26375d06",
  ],
  [
    { task: "adding", T: 100, variant: "tcn" },
    "train",
    "617a48d3bd4bdd7fc57b3b911c3f2e35724cb9ffb6f85d4cdd0319d7f850f1bb",
    "2087b8fb08906e685df82ad47a05e2cf3475b53305cc7f154e436ef61305d844",
  ],
  [
    { task: "copy", T: 50 },
    "train",
    "3c88782b3357c7c1757669c87d6ad9130a16d751b89b8d3b867a77cc57847f9d",
    "f31e15e7ff8de99753accce00b89ba50983c4ad4a4ee8a985bbfb23278786d75",
  ],
  [
    { task: "copy", T: 50 },
    "test",
    "706928039f411bea8b5ff5ee27ecb2c5f44e684a0912706e0a3a1886ba04490c",
    "ef3ea726563d9af78e907ce3641ad53582442e9bbda04541a581cafdee1f52ed",
  ],
  [
    { task: "copy", T: 7, symbols: 3 },
    "train",
    "091b52cdac2a44d5d5f35876c575c9a24c0b81e3071e2f62f453b62cb4910700",
    "8b07ad00a00f6492e40fc8b154b111a3f00a1c68f460c4a3f50e40081ca30868",
  ],
];

for (const [spec, split, xDigest, yDigest] of GOLDEN) {
  Deno.test(`golden: ${JSON.stringify(spec)} ${split} seed 2024 has pinned SHA-256`, async () => {
    const b = (split === "train" ? trainSet : testSet)(spec, 2024, 64);
    assertEquals(await sha256Hex(encodeNpy(b.x, batchXShape(b))), xDigest);
    assertEquals(await sha256Hex(encodeNpy(b.y, batchYShape(b))), yDigest);
  });
}

Deno.test("batches concatenate to the train set, whatever the batch size", () => {
  const spec: TaskSpec = { task: "copy", T: 9, symbols: 4 };
  const whole = trainSet(spec, 5, 12);
  for (const B of [1, 3, 4, 12]) {
    const s = batchStream(spec, 5, B);
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < 12 / B; i++) {
      const b = s.next();
      xs.push(...b.x);
      ys.push(...b.y);
    }
    assertEquals(s.samplesDrawn, 12);
    assertEquals(new Float32Array(xs), whole.x);
    assertEquals(new Int32Array(ys), whole.y);
  }
});

Deno.test("the same (spec, seed) gives the same batches; the test set differs", () => {
  const spec: TaskSpec = { task: "adding", T: 30 };
  const a = batchStream(spec, 7, 16), b = batchStream(spec, 7, 16);
  for (let i = 0; i < 3; i++) assertEquals(a.next(), b.next());
  assertNotEquals(testSet(spec, 7, 16).x, trainSet(spec, 7, 16).x);
  assertNotEquals(trainSet(spec, 8, 16).x, trainSet(spec, 7, 16).x);
});

Deno.test("a stream restarted from its position gives the batches it would have given next", () => {
  for (
    const spec of [{ task: "adding", T: 30 }, { task: "copy", T: 6, symbols: 3 }] as TaskSpec[]
  ) {
    const a = batchStream(spec, 11, 8);
    for (let i = 0; i < 5; i++) a.next();
    const at = JSON.parse(JSON.stringify(a.position()));
    const b = batchStream(spec, 11, 8, at);
    assertEquals(b.samplesDrawn, 40);
    for (let i = 0; i < 3; i++) assertEquals(b.next(), a.next());
    assertEquals(b.position(), a.position());
  }
});

Deno.test("generateBatch draws from the generator it is given", () => {
  const spec: TaskSpec = { task: "adding", T: 4 };
  assertEquals(generateBatch(spec, rngFromSeed(3, STREAM_TRAIN), 5), trainSet(spec, 3, 5));
  assertEquals(generateBatch(spec, rngFromSeed(3, STREAM_TRAIN), 0).x.length, 0);
});

Deno.test("bad batch sizes and specs are refused", () => {
  assertThrows(() => batchStream({ task: "adding", T: 5 }, 1, 0), RangeError);
  assertThrows(() => trainSet({ task: "adding", T: 5 }, 1, -1), RangeError);
  assertThrows(() => testSet({ task: "adding", T: 1 }, 1, 4), RangeError, "T ≥ 2");
  assertThrows(() => batchStream({ task: "copy", T: 5 }, -2, 4), RangeError, "seed");
});
