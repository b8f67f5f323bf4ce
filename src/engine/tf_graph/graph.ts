/**
 * A TensorFlow graph built op by op through the C API, and a session that runs it
 * ({@link Session.runner} prepares the endpoints of a call once, for calls in a loop).
 *
 * @module
 */
import { DT, type TfC } from "./tf_c.ts";

/** An operation in a graph. */
export type Operation = NonNullable<Deno.PointerValue>;

/** One output of an operation (TF_Output). */
export interface Out {
  op: Operation;
  index: number;
}

/** An attribute value; exactly one field is set. */
export type Attr =
  | { type: number }
  | { bool: boolean }
  | { int: number }
  | { float: number }
  | { string: string }
  | { shape: readonly number[] }
  | { tensor: Deno.PointerValue };

const enc = new TextEncoder();
const cstr = (s: string) => enc.encode(s + "\0");
const F = { type: DT.float };

/** Writes TF_Output structs ({pointer, int} padded to 16 bytes) into a buffer. */
function outputs(outs: readonly Out[]): Uint8Array<ArrayBuffer> {
  const b = new BigUint64Array(Math.max(1, 2 * outs.length));
  outs.forEach((o, k) => {
    b[2 * k] = BigInt(Deno.UnsafePointer.value(o.op));
    b[2 * k + 1] = BigInt(o.index);
  });
  return new Uint8Array(b.buffer);
}

function pointers(ps: readonly Deno.PointerValue[]): Uint8Array<ArrayBuffer> {
  const b = new BigUint64Array(Math.max(1, ps.length));
  ps.forEach((p, k) => b[k] = BigInt(Deno.UnsafePointer.value(p)));
  return new Uint8Array(b.buffer);
}

/** A graph under construction, with the float32 ops the training graphs use. */
export class Graph {
  readonly ptr: NonNullable<Deno.PointerValue>;
  private count = 0;

  constructor(readonly c: TfC) {
    this.ptr = c.sym.TF_NewGraph()!;
  }

  /** Adds an op; inputs in order (an array is a list input); throws TensorFlow's message. */
  op(
    type: string,
    inputs: readonly (Out | readonly Out[])[],
    attrs: Record<string, Attr> = {},
    control: readonly Operation[] = [],
  ): Operation {
    const s = this.c.sym;
    const d = s.TF_NewOperation(this.ptr, cstr(type), cstr(`${type}_${this.count++}`));
    for (const i of inputs) {
      if (Array.isArray(i)) s.TF_AddInputList(d, outputs(i as Out[]), i.length);
      else s.TF_AddInput(d, outputs([i as Out]));
    }
    for (const op of control) s.TF_AddControlInput(d, op);
    for (const [name, v] of Object.entries(attrs)) {
      const n = cstr(name);
      if ("type" in v) s.TF_SetAttrType(d, n, v.type);
      else if ("bool" in v) s.TF_SetAttrBool(d, n, v.bool ? 1 : 0);
      else if ("int" in v) s.TF_SetAttrInt(d, n, BigInt(v.int));
      else if ("float" in v) s.TF_SetAttrFloat(d, n, v.float);
      else if ("string" in v) {
        const b = enc.encode(v.string);
        s.TF_SetAttrString(d, n, b, BigInt(b.length));
      } else if ("shape" in v) {
        s.TF_SetAttrShape(d, n, BigInt64Array.from(v.shape, BigInt), v.shape.length);
      } else {
        s.TF_SetAttrTensor(d, n, v.tensor, this.c.status);
        this.c.check();
      }
    }
    const op = s.TF_FinishOperation(d, this.c.status);
    this.c.check();
    return op!;
  }

  /** The single (or `index`-th) output of a new op. */
  out(
    type: string,
    inputs: readonly (Out | readonly Out[])[],
    attrs: Record<string, Attr> = {},
    index = 0,
  ): Out {
    return { op: this.op(type, inputs, attrs), index };
  }

  /** Outputs 0 … n−1 of a new op. */
  outs(
    type: string,
    inputs: readonly (Out | readonly Out[])[],
    attrs: Record<string, Attr>,
    n: number,
  ): Out[] {
    const op = this.op(type, inputs, attrs);
    return Array.from({ length: n }, (_, index) => ({ op, index }));
  }

  placeholder(shape: readonly number[], dtype: number = DT.float): Out {
    return this.out("Placeholder", [], { dtype: { type: dtype }, shape: { shape } });
  }

  /** A float32 constant (scalar when `shape` is []). */
  constant(values: number | readonly number[], shape: readonly number[] = []): Out {
    return this.constOf(
      DT.float,
      Float32Array.from(typeof values === "number" ? [values] : values),
      shape,
    );
  }

  /** An int32 constant (a vector unless `shape` says otherwise). */
  ints(values: readonly number[], shape: readonly number[] = [values.length]): Out {
    return this.constOf(DT.int32, Int32Array.from(values), shape);
  }

  private constOf(dtype: number, data: Float32Array | Int32Array, shape: readonly number[]): Out {
    const t = this.c.tensor(dtype, shape, data);
    try {
      return this.out("Const", [], { dtype: { type: dtype }, value: { tensor: t } });
    } finally {
      this.c.deleteTensor(t);
    }
  }

  /** A float32 resource variable: its handle and a read of it. */
  variable(shape: readonly number[]): { handle: Out; read: Out } {
    const handle = this.out("VarHandleOp", [], {
      dtype: F,
      shape: { shape },
      shared_name: { string: `var_${this.count}` },
    });
    return { handle, read: this.out("ReadVariableOp", [handle], { dtype: F }) };
  }

  matMul(a: Out, b: Out, transposeA = false, transposeB = false): Out {
    return this.out("MatMul", [a, b], {
      T: F,
      transpose_a: { bool: transposeA },
      transpose_b: { bool: transposeB },
    });
  }
  add(a: Out, b: Out): Out {
    return this.out("AddV2", [a, b], { T: F });
  }
  sub(a: Out, b: Out): Out {
    return this.out("Sub", [a, b], { T: F });
  }
  mul(a: Out, b: Out): Out {
    return this.out("Mul", [a, b], { T: F });
  }
  div(a: Out, b: Out): Out {
    return this.out("RealDiv", [a, b], { T: F });
  }
  maximum(a: Out, b: Out): Out {
    return this.out("Maximum", [a, b], { T: F });
  }
  minimum(a: Out, b: Out): Out {
    return this.out("Minimum", [a, b], { T: F });
  }
  addN(ts: readonly Out[]): Out {
    return ts.length === 1 ? ts[0] : this.out("AddN", [ts], { N: { int: ts.length }, T: F });
  }
  unary(
    name: "Tanh" | "Sigmoid" | "Relu" | "Square" | "Sqrt" | "Neg" | "Abs" | "Sign",
    a: Out,
  ): Out {
    return this.out(name, [a], { T: F });
  }
  leakyRelu(a: Out, alpha: number): Out {
    return this.out("LeakyRelu", [a], { T: F, alpha: { float: alpha } });
  }
  /** `TanhGrad`/`SigmoidGrad`(y, dy): dy ⊙ (1 − y²), dy ⊙ y ⊙ (1 − y). */
  outputGrad(name: "TanhGrad" | "SigmoidGrad", y: Out, dy: Out): Out {
    return this.out(name, [y, dy], { T: F });
  }
  /** dy where y > 0, else alpha·dy. */
  reluGrad(dy: Out, y: Out, alpha: number): Out {
    return alpha === 0
      ? this.out("ReluGrad", [dy, y], { T: F })
      : this.out("LeakyReluGrad", [dy, y], { T: F, alpha: { float: alpha } });
  }
  /** Σ x² / 2, a scalar. */
  l2Loss(a: Out): Out {
    return this.out("L2Loss", [a], { T: F });
  }
  /** Sum over `axes` (all of them listed). */
  sum(a: Out, axes: readonly number[], keepDims = false): Out {
    return this.out("Sum", [a, this.ints(axes)], {
      T: F,
      Tidx: { type: DT.int32 },
      keep_dims: { bool: keepDims },
    });
  }
  reshape(a: Out, shape: readonly number[], dtype: number = DT.float): Out {
    return this.out("Reshape", [a, this.ints(shape)], {
      T: { type: dtype },
      Tshape: { type: DT.int32 },
    });
  }
  transpose(a: Out, perm: readonly number[], dtype: number = DT.float): Out {
    return this.out("Transpose", [a, this.ints(perm)], {
      T: { type: dtype },
      Tperm: { type: DT.int32 },
    });
  }
  pack(ts: readonly Out[], axis = 0): Out {
    return this.out("Pack", [ts], { N: { int: ts.length }, T: F, axis: { int: axis } });
  }
  unpack(a: Out, n: number, axis = 0): Out[] {
    return this.outs("Unpack", [a], { num: { int: n }, T: F, axis: { int: axis } }, n);
  }
  concat(ts: readonly Out[], axis: number): Out {
    return this.out("ConcatV2", [ts, this.ints([axis], [])], {
      N: { int: ts.length },
      T: F,
      Tidx: { type: DT.int32 },
    });
  }
  /** Splits `a` along `axis` into pieces of the given sizes. */
  split(a: Out, sizes: readonly number[], axis: number): Out[] {
    return this.outs("SplitV", [a, this.ints(sizes), this.ints([axis], [])], {
      num_split: { int: sizes.length },
      T: F,
      Tlen: { type: DT.int32 },
    }, sizes.length);
  }
}

/**
 * Serialises the ConfigProto a session needs (protobuf wire format, by hand): thread counts, and
 * Grappler off.
 */
export function sessionConfig(
  opts: { intraOpThreads: number; interOpThreads: number },
): Uint8Array {
  const varint = (n: number) => {
    const b: number[] = [];
    do {
      b.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return b;
  };
  // ConfigProto.intra_op_parallelism_threads = 2, inter_op_parallelism_threads = 5 (varints).
  return new Uint8Array([
    0x10,
    ...varint(opts.intraOpThreads),
    0x28,
    ...varint(opts.interOpThreads),
    // graph_options (10) { rewrite_options (10) { disable_meta_optimizer (19) = true } }: Grappler
    // folds our pre-transposed W_hᵀ back into transposed matmuls and adds nothing these graphs
    // need; without it LSTM and the plain RNNs stepped 5–25% faster, and sessions
    // start sooner.
    0x52,
    0x05,
    0x52,
    0x03,
    0x98,
    0x01,
    0x01,
  ]);
}

/** A session on a finished graph. */
export class Session {
  readonly ptr: NonNullable<Deno.PointerValue>;
  private closed = false;

  constructor(readonly graph: Graph, config: Uint8Array) {
    const c = graph.c, s = c.sym;
    const opts = s.TF_NewSessionOptions()!;
    try {
      s.TF_SetConfig(opts, config as Uint8Array<ArrayBuffer>, BigInt(config.length), c.status);
      c.check();
      const sess = s.TF_NewSession(graph.ptr, opts, c.status);
      c.check();
      this.ptr = sess!;
    } finally {
      s.TF_DeleteSessionOptions(opts);
    }
  }

  /**
   * A prepared call: feeds in `feeds` order, fetches in `fetches` order, `targets` run for their
   * effects. Each call's fetched TF_Tensors belong to the caller.
   */
  runner(feeds: readonly Out[], fetches: readonly Out[], targets: readonly Operation[] = []) {
    const run = this.prepare(feeds, fetches, targets, false);
    return (values: readonly Deno.PointerValue[]) => run(values).outputs;
  }

  /**
   * As {@link runner}, with TensorFlow's full trace of each call: the serialized `RunMetadata`
   * (step stats: every kernel's start and end; see `profile.ts`).
   */
  tracedRunner(feeds: readonly Out[], fetches: readonly Out[], targets: readonly Operation[] = []) {
    return this.prepare(feeds, fetches, targets, true);
  }

  private prepare(
    feeds: readonly Out[],
    fetches: readonly Out[],
    targets: readonly Operation[],
    trace: boolean,
  ) {
    const c = this.graph.c;
    const feedBuf = outputs(feeds), fetchBuf = outputs(fetches), targetBuf = pointers(targets);
    const valueBuf = new BigUint64Array(Math.max(1, feeds.length));
    const resultBuf = new BigUint64Array(Math.max(1, fetches.length));
    const valueBytes = new Uint8Array(valueBuf.buffer),
      resultBytes = new Uint8Array(resultBuf.buffer);
    // RunOptions { trace_level (1) = FULL_TRACE (3) }.
    const traceOpts = Uint8Array.of(0x08, 0x03);
    return (values: readonly Deno.PointerValue[]) => {
      if (this.closed) throw new Error("session is closed");
      if (values.length !== feeds.length) {
        throw new Error(`expected ${feeds.length} feeds, got ${values.length}`);
      }
      values.forEach((v, k) => valueBuf[k] = BigInt(Deno.UnsafePointer.value(v)));
      const opts = trace ? c.sym.TF_NewBufferFromString(traceOpts, 2n) : null;
      const meta = trace ? c.sym.TF_NewBuffer() : null;
      try {
        c.sym.TF_SessionRun(
          this.ptr,
          opts,
          feedBuf,
          valueBytes,
          feeds.length,
          fetchBuf,
          resultBytes,
          fetches.length,
          targetBuf,
          targets.length,
          meta,
          c.status,
        );
        c.check();
        return {
          outputs: Array.from(
            resultBuf.subarray(0, fetches.length),
            (p) => Deno.UnsafePointer.create(p),
          ),
          metadata: meta ? c.readBuffer(meta) : null,
        };
      } finally {
        if (opts) c.sym.TF_DeleteBuffer(opts);
        if (meta) c.sym.TF_DeleteBuffer(meta);
      }
    };
  }

  /** Closes the session and frees it and its graph. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const c = this.graph.c;
    c.sym.TF_CloseSession(this.ptr, c.status);
    c.sym.TF_DeleteSession(this.ptr, c.status);
    c.sym.TF_DeleteGraph(this.graph.ptr);
  }
}
