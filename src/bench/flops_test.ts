import { CELL_NAMES } from "../engine/mod.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { gflops, stepFlops } from "./flops.ts";

const SIZE = { B: 64, H: 128, T: 200, I: 2 };

Deno.test("an LSTM step counts T · 2·B·4H·(3H + 2I): forward, backward and weight products", () => {
  const f = stepFlops("lstm", SIZE)!;
  const { B, H, T, I } = SIZE;
  assertEquals(f.total, T * 2 * B * 4 * H * (3 * H + 2 * I));
  assertEquals(f.forward, T * 2 * B * 4 * H * (H + I)); // h·W_h and x·W_x
  assertEquals(f.backward, T * 2 * B * 4 * H * H); // dz·W_hᵀ; the data needs no gradient
  assertEquals(f.weights, T * 2 * B * 4 * H * (H + I)); // dW_h and dW_x
  assertEquals(f.attention, 0);
  assertEquals(Math.round(f.total / 1e7) / 100, 5.09);
});

Deno.test("gate blocks scale the count: GRU 3, the tanh RNN 1", () => {
  const per = (G: number) => SIZE.T * 2 * SIZE.B * G * SIZE.H * (3 * SIZE.H + 2 * SIZE.I);
  assertEquals(stepFlops("gru", SIZE)!.total, per(3));
  assertEquals(stepFlops("rnn_tanh", SIZE)!.total, per(1));
});

Deno.test("cells without a recurrent matrix count only their input products", () => {
  const { B, H, T, I } = SIZE;
  assertEquals(stepFlops("mingru", SIZE)!.total, T * 2 * (2 * B * I * 2 * H));
  assertEquals(stepFlops("indrnn", SIZE)!.total, T * 2 * (2 * B * I * H));
});

Deno.test("a second layer adds its input products and the gradient it hands down", () => {
  const { B, H, T } = SIZE;
  const one = stepFlops("lstm", SIZE)!;
  const two = stepFlops("lstm×2", SIZE)!;
  // layer 1: input width H, so x·W_x, dW_x and dz·W_xᵀ are H-wide, plus its recurrence
  const layer1 = T * 2 * B * 4 * H * (3 * H + 3 * H);
  assertEquals(two.total - one.total, layer1);
  assertEquals(two.backward - one.backward, T * 2 * B * 4 * H * (H + H));
});

Deno.test("the attention readout adds 6·B·H² + 12·B·T·H", () => {
  const { B, H, T } = SIZE;
  const plain = stepFlops("lstm", SIZE)!, attn = stepFlops("lstm+attn", SIZE)!;
  assertEquals(attn.attention, 6 * B * H * H + 12 * B * T * H);
  assertEquals(attn.total - plain.total, attn.attention);
});

Deno.test("every registry cell has a count; unknown names have none", () => {
  for (const c of CELL_NAMES) assert(stepFlops(c, SIZE)!.total > 0, c);
  assertEquals(stepFlops("transformer", SIZE), null);
  assertEquals(stepFlops("transformer×2", SIZE), null);
});

Deno.test("GFLOP/s is FLOPs over milliseconds · 10⁶", () => {
  assertEquals(gflops(2e9, 20), 100);
});
