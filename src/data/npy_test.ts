import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { decodeNpy, encodeNpy } from "./npy.ts";

const text = (b: Uint8Array) => new TextDecoder("latin1").decode(b);

Deno.test("encodeNpy writes a v1.0 header numpy accepts, data 64-byte aligned", () => {
  const bytes = encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  assertEquals([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const headerLen = bytes[8] | (bytes[9] << 8);
  assertEquals((10 + headerLen) % 64, 0);
  assertEquals(
    text(bytes.subarray(10, 10 + headerLen)).trimEnd(),
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
  );
  assertEquals(bytes[10 + headerLen - 1], 0x0a);
  assertEquals(bytes.length, 10 + headerLen + 24);
});

Deno.test("a 1-d shape is written as a Python 1-tuple", () => {
  const bytes = encodeNpy(new Int32Array([7, -8]), [2]);
  assert(text(bytes).includes("'descr': '<i4'") && text(bytes).includes("'shape': (2,)"));
});

Deno.test("decodeNpy inverts encodeNpy for float32 and int32", () => {
  const f = new Float32Array([0.5, -1.25, 3e-39, 1e30, 0, -0]);
  const r = decodeNpy(encodeNpy(f, [3, 2, 1]));
  assertEquals(r.shape, [3, 2, 1]);
  assertEquals(r.data, f);
  const i = new Int32Array([2 ** 31 - 1, -(2 ** 31), 0]);
  assertEquals(decodeNpy(encodeNpy(i, [3])), { data: i, shape: [3] });
  assertEquals(decodeNpy(encodeNpy(new Float32Array(0), [0, 5])).shape, [0, 5]);
});

Deno.test("decodeNpy refuses truncated, padded and foreign files, naming them", () => {
  const good = encodeNpy(new Float32Array([1, 2, 3]), [3]);
  assertThrows(() => decodeNpy(good.subarray(0, good.length - 1), "a.npy"), RangeError, "a.npy");
  const longer = new Uint8Array(good.length + 4);
  longer.set(good);
  assertThrows(() => decodeNpy(longer, "b.npy"), RangeError, "b.npy");
  assertThrows(() => decodeNpy(good.subarray(0, 30), "c.npy"), RangeError, "truncated header");
  assertThrows(() => decodeNpy(new TextEncoder().encode("hello"), "d.npy"), RangeError, "magic");
  const f8 = good.slice();
  f8.set(new TextEncoder().encode("<f8"), text(good).indexOf("<f4"));
  assertThrows(() => decodeNpy(f8, "e.npy"), RangeError, "<f8");
});

Deno.test("encodeNpy refuses a shape that does not match the data", () => {
  assertThrows(() => encodeNpy(new Float32Array(5), [2, 3]), RangeError, "holds 6 values");
  assertThrows(() => encodeNpy(new Float32Array(0), [-1]), RangeError, "bad shape");
});
