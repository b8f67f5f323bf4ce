/**
 * TensorFlow's C API (`tensorflow/c/c_api.h`) through Deno FFI: graphs, sessions and tensors,
 * from the same libtensorflow that tfjs-node's binding links against (`deno task setup` provisions
 * it; the graph path needs `--allow-ffi`, as the tensorflow backend does).
 *
 * tfjs-node only reaches TensorFlow's *eager* API, one op per call (~8 µs of dispatch each even on
 * raw handles). A session runs a whole graph — a training step of T unrolled steps — in one call,
 * with its executor's ~1 µs per op and independent ops (the weight-gradient matmuls) on a second
 * core. Only what the graph path uses is bound here.
 *
 * @module
 */
import { join } from "node:path";
import { setupPaths } from "../../setup/provision.ts";

const OUTPUT = { struct: ["pointer", "i32"] } as const;

const SYMBOLS = {
  TF_NewStatus: { parameters: [], result: "pointer" },
  TF_DeleteStatus: { parameters: ["pointer"], result: "void" },
  TF_GetCode: { parameters: ["pointer"], result: "i32" },
  TF_Message: { parameters: ["pointer"], result: "pointer" },
  TF_NewGraph: { parameters: [], result: "pointer" },
  TF_DeleteGraph: { parameters: ["pointer"], result: "void" },
  TF_NewOperation: { parameters: ["pointer", "buffer", "buffer"], result: "pointer" },
  TF_AddInput: { parameters: ["pointer", OUTPUT], result: "void" },
  TF_AddInputList: { parameters: ["pointer", "buffer", "i32"], result: "void" },
  TF_AddControlInput: { parameters: ["pointer", "pointer"], result: "void" },
  TF_SetAttrType: { parameters: ["pointer", "buffer", "i32"], result: "void" },
  TF_SetAttrBool: { parameters: ["pointer", "buffer", "u8"], result: "void" },
  TF_SetAttrInt: { parameters: ["pointer", "buffer", "i64"], result: "void" },
  TF_SetAttrFloat: { parameters: ["pointer", "buffer", "f32"], result: "void" },
  TF_SetAttrString: { parameters: ["pointer", "buffer", "buffer", "usize"], result: "void" },
  TF_SetAttrShape: { parameters: ["pointer", "buffer", "buffer", "i32"], result: "void" },
  TF_SetAttrTensor: { parameters: ["pointer", "buffer", "pointer", "pointer"], result: "void" },
  TF_FinishOperation: { parameters: ["pointer", "pointer"], result: "pointer" },
  TF_NewSessionOptions: { parameters: [], result: "pointer" },
  TF_DeleteSessionOptions: { parameters: ["pointer"], result: "void" },
  TF_SetConfig: { parameters: ["pointer", "buffer", "usize", "pointer"], result: "void" },
  TF_NewSession: { parameters: ["pointer", "pointer", "pointer"], result: "pointer" },
  TF_CloseSession: { parameters: ["pointer", "pointer"], result: "void" },
  TF_DeleteSession: { parameters: ["pointer", "pointer"], result: "void" },
  TF_SessionRun: {
    parameters: [
      "pointer", // session
      "pointer", // run options
      "buffer", // input endpoints
      "buffer", // input tensors
      "i32",
      "buffer", // output endpoints
      "buffer", // output tensors (out)
      "i32",
      "buffer", // target operations
      "i32",
      "pointer", // run metadata
      "pointer", // status
    ],
    result: "void",
  },
  TF_NewBuffer: { parameters: [], result: "pointer" },
  TF_NewBufferFromString: { parameters: ["buffer", "usize"], result: "pointer" },
  TF_DeleteBuffer: { parameters: ["pointer"], result: "void" },
  TF_AllocateTensor: { parameters: ["i32", "buffer", "i32", "usize"], result: "pointer" },
  TF_TensorData: { parameters: ["pointer"], result: "pointer" },
  TF_TensorByteSize: { parameters: ["pointer"], result: "usize" },
  TF_TensorType: { parameters: ["pointer"], result: "i32" },
  TF_DeleteTensor: { parameters: ["pointer"], result: "void" },
} as const;

/** The bound C API. */
export type TfCSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** TF_DataType codes the graph path uses. */
export const DT = { float: 1, int32: 3, resource: 20 } as const;

/** An error reported by TensorFlow through a TF_Status. */
export class TfError extends Error {
  constructor(readonly code: number, message: string) {
    super(`TensorFlow: ${message}`);
    this.name = "TfError";
  }
}

/** The C API and one reusable status object. */
export class TfC {
  readonly status: NonNullable<Deno.PointerValue>;
  constructor(readonly sym: TfCSymbols, readonly path: string) {
    this.status = sym.TF_NewStatus()!;
  }

  /** Throws a {@link TfError} if the last call reported one. */
  check(): void {
    const code = this.sym.TF_GetCode(this.status);
    if (code !== 0) {
      const msg = this.sym.TF_Message(this.status);
      throw new TfError(code, msg ? Deno.UnsafePointerView.getCString(msg) : `code ${code}`);
    }
  }

  /** A new TF_Tensor holding a copy of `data` (caller owns it: {@link deleteTensor}). */
  tensor(
    dtype: number,
    shape: readonly number[],
    data: Float32Array | Int32Array,
  ): Deno.PointerValue {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new Error(
        `tensor of shape [${shape.join(", ")}] needs ${size} values, got ${data.length}`,
      );
    }
    const t = this.sym.TF_AllocateTensor(
      dtype,
      BigInt64Array.from(shape, BigInt),
      shape.length,
      BigInt(data.byteLength),
    );
    if (!t) throw new Error("TF_AllocateTensor failed");
    if (data.byteLength > 0) {
      const view = Deno.UnsafePointerView.getArrayBuffer(
        this.sym.TF_TensorData(t)!,
        data.byteLength,
      );
      new Uint8Array(view).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    return t;
  }

  /** A copy of a float32 TF_Tensor's values. */
  readFloats(t: Deno.PointerValue): Float32Array {
    const n = Number(this.sym.TF_TensorByteSize(t));
    if (n === 0) return new Float32Array(0);
    return new Float32Array(
      Deno.UnsafePointerView.getArrayBuffer(this.sym.TF_TensorData(t)!, n).slice(0),
    );
  }

  /** A copy of a TF_Buffer's bytes ({data, length, deallocator}). */
  readBuffer(b: NonNullable<Deno.PointerValue>): Uint8Array {
    const view = new Deno.UnsafePointerView(b);
    const data = view.getPointer(0), length = Number(view.getBigUint64(8));
    if (!data || length === 0) return new Uint8Array(0);
    return new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(data, length).slice(0));
  }

  deleteTensor(t: Deno.PointerValue): void {
    if (t) this.sym.TF_DeleteTensor(t);
  }
}

let loaded: TfC | null | undefined;
let loadError = "";

/** The library tfjs-node's binding links against (a symlink `deno task setup` made). */
export function libraryPath(): string {
  return join(setupPaths().depsLib, "libtensorflow.so.2");
}

/**
 * The C API, loaded once; null (and {@link tfCError} says why) when the library or FFI permission
 * is missing. Loading the library tfjs-node already loaded maps the same copy: one TensorFlow.
 */
export function loadTfC(): TfC | null {
  if (loaded !== undefined) return loaded;
  try {
    const path = libraryPath();
    loaded = new TfC(Deno.dlopen(path, SYMBOLS).symbols, path);
  } catch (e) {
    loaded = null;
    loadError = e instanceof Error ? e.message : String(e);
  }
  return loaded;
}

/** Why {@link loadTfC} returned null ("" when it did not). */
export function tfCError(): string {
  return loadError;
}
