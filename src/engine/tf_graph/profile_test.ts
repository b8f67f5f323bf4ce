import { initBackend, tf } from "../../backend.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { createModel, disposeModel } from "../model.ts";
import { createAdam } from "../optim.ts";
import { mulberry32 } from "../_test_rng.ts";
import { nodeStats, summarize } from "./profile.ts";
import { graphTrainer } from "../trainer.ts";

// Minimal protobuf encoding for the fields profile.ts reads.
function varint(n: number): number[] {
  const b: number[] = [];
  do {
    b.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return b;
}
const field = (no: number, v: number) => [...varint(no << 3), ...varint(v)];
const bytes = (no: number, b: number[]) => [...varint((no << 3) | 2), ...varint(b.length), ...b];
const str = (no: number, s: string) => bytes(no, [...new TextEncoder().encode(s)]);

function node(name: string, startNs: number, opStartNs: number, opEndNs: number, thread: number) {
  // A double (wire type 1) and an unknown fixed32 (wire type 5) must be skipped.
  const skipped = [
    ...varint((30 << 3) | 1),
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    ...varint((31 << 3) | 5),
    1,
    2,
    3,
    4,
  ];
  return [
    ...str(1, name),
    ...field(2, Math.floor(startNs / 1000)),
    ...field(10, thread),
    ...skipped,
    ...field(13, startNs),
    ...field(14, opStartNs),
    ...field(15, opEndNs),
  ];
}

Deno.test("nodeStats and summarize read RunMetadata's step stats", () => {
  const dev = [
    ...str(1, "/job:localhost/replica:0/task:0/device:CPU:0"),
    ...bytes(2, node("MatMul_12", 5_000_000, 1_000, 81_000, 7)),
    ...bytes(2, node("MatMul_40", 5_050_000, 0, 70_000, 8)),
    ...bytes(2, node("Tanh_3", 5_200_000, 500, 3_500, 7)),
  ];
  const meta = new Uint8Array(bytes(1, bytes(1, dev)));
  const stats = nodeStats(meta);
  assertEquals(stats.map((s) => s.op), ["MatMul", "MatMul", "Tanh"]);
  assertEquals(stats.map((s) => s.start), [0, 50, 200]);
  assertEquals(stats.map((s) => s.micros), [80, 70, 3]);
  const p = summarize(stats);
  assertEquals(p.ops, 3);
  assertEquals(p.threads, 2);
  assertEquals(p.kernelMicros, 153);
  assertEquals(p.spanMicros, 203);
  assertEquals(p.byOp, [{ op: "MatMul", count: 2, micros: 150 }, {
    op: "Tanh",
    count: 1,
    micros: 3,
  }]);
});

Deno.test("a traced graph step hands over kernels for every unrolled step", async () => {
  await initBackend("tensorflow");
  const T = 9, u = mulberry32(5);
  const model = createModel("rnn_tanh", {
    task: "adding",
    inputSize: 2,
    outputSize: 1,
    hidden: 8,
    uniform: u,
  });
  const trainer = graphTrainer(model, createAdam(model.params, { lr: 1e-3 }));
  const x = tf.tensor3d(Float32Array.from({ length: 16 * T * 2 }, u), [16, T, 2]);
  const y = tf.tensor1d(Float32Array.from({ length: 16 }, u));
  let meta: Uint8Array | null = null;
  const out = trainer.run(x, y, (m) => meta = m);
  const p = summarize(nodeStats(meta!));
  const count = (op: string) => p.byOp.find((o) => o.op === op)?.count ?? 0;
  assertEquals(count("Tanh"), T);
  assertEquals(count("TanhGrad"), T);
  assert(count("MatMul") >= 2 * T, `MatMul ×${count("MatMul")}`);
  assertEquals(count("ResourceApplyAdam"), Object.keys(model.params).length);
  assert(p.kernelMicros > 0 && p.spanMicros > 0);
  tf.dispose([out.loss, out.gradNorm, x, y]);
  trainer.dispose();
  disposeModel(model);
});
