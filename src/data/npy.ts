/**
 * NumPy `.npy` files, format version 1.0, for the two dtypes the datasets use: little-endian
 * float32 (`<f4`) and int32 (`<i4`), C order. Readable by `numpy.load` and so by a Python peer.
 *
 * Layout (numpy `lib/format.py`, NEP 1): the magic `\x93NUMPY`, version bytes 1 0, a uint16 LE
 * header length, then an ASCII dict literal padded with spaces and ending in `\n` so that the data
 * starts at a multiple of 64 bytes, then the raw array.
 *
 * @module
 */

/** A decoded array: its data and its shape (row-major). */
export interface NpyArray {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** The dtype names we write, and numpy's `descr` for each. */
export type NpyDtype = "float32" | "int32";
const DESCR: Record<NpyDtype, string> = { float32: "<f4", int32: "<i4" };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const PREAMBLE = 10; // magic (6) + version (2) + header length (2)
const ALIGN = 64;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The dtype of a typed array we can store. */
export function npyDtypeOf(data: Float32Array | Int32Array): NpyDtype {
  return data instanceof Float32Array ? "float32" : "int32";
}

function shapeSize(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function shapeLiteral(shape: number[]): string {
  // Python tuple syntax: a 1-tuple needs its trailing comma.
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Encodes `data` with `shape` as a `.npy` v1.0 file. */
export function encodeNpy(
  data: Float32Array | Int32Array,
  shape: number[],
): Uint8Array<ArrayBuffer> {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RangeError(`encodeNpy: bad shape [${shape.join(", ")}]`);
  }
  if (shapeSize(shape) !== data.length) {
    throw new RangeError(
      `encodeNpy: shape [${shape.join(", ")}] holds ${
        shapeSize(shape)
      } values, data has ${data.length}`,
    );
  }
  const dict = `{'descr': '${DESCR[npyDtypeOf(data)]}', 'fortran_order': False, 'shape': ${
    shapeLiteral(shape)
  }, }`;
  const unpadded = PREAMBLE + dict.length + 1;
  const headerLen = Math.ceil(unpadded / ALIGN) * ALIGN - PREAMBLE;
  if (headerLen > 0xffff) throw new RangeError("encodeNpy: header too long for format 1.0");
  const header = dict.padEnd(headerLen - 1, " ") + "\n";
  const out = new Uint8Array(PREAMBLE + headerLen + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLen & 0xff;
  out[9] = headerLen >>> 8;
  for (let i = 0; i < header.length; i++) out[PREAMBLE + i] = header.charCodeAt(i);
  const body = PREAMBLE + headerLen;
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), body);
  } else {
    const view = new DataView(out.buffer, body);
    for (let i = 0; i < data.length; i++) {
      if (data instanceof Float32Array) view.setFloat32(4 * i, data[i], true);
      else view.setInt32(4 * i, data[i], true);
    }
  }
  return out;
}

/**
 * Decodes a `.npy` v1.0 (or 2.0) file of `<f4` or `<i4` in C order. Throws a RangeError naming
 * `name` on anything else, including a file shorter or longer than its header says.
 */
export function decodeNpy(bytes: Uint8Array, name = "array"): NpyArray {
  const fail = (why: string): never => {
    throw new RangeError(`${name}: not a valid .npy file (${why})`);
  };
  if (bytes.length < PREAMBLE || !MAGIC.every((b, i) => bytes[i] === b)) fail("bad magic");
  const major = bytes[6];
  let headerLen: number, headerStart: number;
  if (major === 1) {
    headerLen = bytes[8] | (bytes[9] << 8);
    headerStart = PREAMBLE;
  } else if (major === 2) {
    if (bytes.length < 12) fail("truncated header");
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24)) >>> 0;
    headerStart = 12;
  } else {
    return fail(`unsupported version ${major}.${bytes[7]}`);
  }
  const body = headerStart + headerLen;
  if (bytes.length < body) fail("truncated header");
  const header = new TextDecoder("latin1").decode(bytes.subarray(headerStart, body));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    fail("unreadable header");
  }
  if (fortran !== "False") fail("Fortran order is not supported");
  const dtype = descr === "<f4" ? "float32" : descr === "<i4" ? "int32" : undefined;
  if (dtype === undefined) return fail(`dtype '${descr}' is not <f4 or <i4`);
  const shape = shapeText!.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail("bad shape");
  const n = shapeSize(shape);
  if (bytes.length !== body + 4 * n) {
    fail(`expected ${body + 4 * n} bytes for shape (${shape.join(", ")}), got ${bytes.length}`);
  }
  const raw = bytes.slice(body); // a copy: aligned, and detached from the caller's buffer
  let data: Float32Array | Int32Array;
  if (LITTLE_ENDIAN) {
    data = dtype === "float32" ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer);
  } else {
    const view = new DataView(raw.buffer);
    data = dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) {
      data[i] = dtype === "float32" ? view.getFloat32(4 * i, true) : view.getInt32(4 * i, true);
    }
  }
  return { data, shape };
}
