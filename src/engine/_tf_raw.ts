/**
 * TensorFlow ops by name on raw eager tensor handles, bypassing the tfjs engine (tensorflow
 * backend only). Each tfjs op costs the TensorFlow kernel plus ~10 µs of bookkeeping (tensor
 * registration, tidy tracking, and for `tf.matMul` a reshape to a batched matmul: a 64×128×512
 * matmul takes ~200 µs through `tf.matMul`, ~100 µs as a raw `MatMul`). In the per-step BPTT loop,
 * where there are thousands of small ops, that bookkeeping is the cost (issue 9).
 *
 * A {@link RawOps} owns every handle it creates until {@link RawOps.wrap} hands one to tfjs (then
 * the enclosing `tf.tidy` owns it) or {@link RawOps.free} deletes it; {@link RawOps.dispose}
 * deletes whatever is left, so an exception leaks nothing.
 *
 * @module
 */
import { tf } from "../backend.ts";

/** An eager TensorFlow tensor handle with its shape and TF dtype code. */
export interface RawTensor {
  id: number;
  shape: number[];
  dtype: number;
}

interface Attr {
  name: string;
  type: number;
  value: unknown;
}

interface Binding {
  TF_ATTR_TYPE: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_INT: number;
  TF_ATTR_FLOAT: number;
  TF_FLOAT: number;
  TF_INT32: number;
  executeOp(name: string, attrs: Attr[], inputs: number[], numOutputs: number): RawTensor[];
  createTensor(shape: number[], dtype: number, values: Int32Array | Float32Array): number;
  deleteTensor(id: number): void;
}

interface NodeBackend {
  binding: Binding;
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(meta: RawTensor): tf.Tensor;
}

function nodeBackend(): NodeBackend | null {
  if (tf.getBackend() !== "tensorflow") return null;
  const b = tf.backend() as unknown as Partial<NodeBackend>;
  return b.binding && typeof b.getInputTensorIds === "function" &&
      typeof b.createOutputTensor === "function"
    ? b as NodeBackend
    : null;
}

const opChecks = new Map<string, boolean>();

/**
 * True when the active backend is tensorflow and its library runs every op in `probes` (each a
 * tiny invocation; the answer is cached per op name). The fused paths call this at start-up and
 * fall back to the generic path otherwise.
 */
export function hasOps(probes: Record<string, (r: RawOps) => void>): boolean {
  const be = nodeBackend();
  if (!be) return false;
  for (const [name, probe] of Object.entries(probes)) {
    let ok = opChecks.get(name);
    if (ok === undefined) {
      const r = new RawOps(be);
      try {
        probe(r);
        ok = true;
      } catch {
        ok = false;
      } finally {
        r.dispose();
      }
      opChecks.set(name, ok);
    }
    if (!ok) return false;
  }
  return true;
}

/** A scope of raw handles and the ops the fused paths use. */
export class RawOps {
  readonly bd: Binding;
  private live = new Set<number>();
  private consts = new Map<string, RawTensor>();
  private readonly fT: Attr;

  constructor(private readonly be: NodeBackend = nodeBackend()!) {
    if (!be) throw new Error("RawOps needs the tensorflow backend");
    this.bd = be.binding;
    this.fT = { name: "T", type: this.bd.TF_ATTR_TYPE, value: this.bd.TF_FLOAT };
  }

  /** Runs op `name`; its outputs belong to this scope. */
  run(name: string, attrs: Attr[], inputs: RawTensor[], n = 1): RawTensor[] {
    const out = this.bd.executeOp(name, attrs, inputs.map((t) => t.id), n);
    for (const o of out) this.live.add(o.id);
    return out;
  }

  private one(name: string, attrs: Attr[], inputs: RawTensor[]): RawTensor {
    return this.run(name, attrs, inputs, 1)[0];
  }

  bool(name: string, value: boolean): Attr {
    return { name, type: this.bd.TF_ATTR_BOOL, value };
  }
  int(name: string, value: number): Attr {
    return { name, type: this.bd.TF_ATTR_INT, value };
  }
  float(name: string, value: number): Attr {
    return { name, type: this.bd.TF_ATTR_FLOAT, value };
  }
  get floatType(): Attr {
    return this.fT;
  }

  /** A view of a tfjs tensor (still owned by tfjs: never freed here). */
  of(t: tf.Tensor): RawTensor {
    return { id: this.be.getInputTensorIds([t])[0], shape: t.shape, dtype: this.bd.TF_FLOAT };
  }

  /** An int32 constant. */
  ints(values: number[], shape: number[] = [values.length]): RawTensor {
    const id = this.bd.createTensor(shape, this.bd.TF_INT32, Int32Array.from(values));
    this.live.add(id);
    return { id, shape, dtype: this.bd.TF_INT32 };
  }

  /** A float32 scalar constant (owned by this scope). */
  scalar(value: number): RawTensor {
    const id = this.bd.createTensor([], this.bd.TF_FLOAT, Float32Array.of(value));
    this.live.add(id);
    return { id, shape: [], dtype: this.bd.TF_FLOAT };
  }

  /** An int32 constant kept for the life of this scope (axis and size arguments in loops). */
  private constInts(values: number[], shape: number[]): RawTensor {
    const key = `${shape.length}:${values.join(",")}`;
    let c = this.consts.get(key);
    if (!c) this.consts.set(key, c = this.ints(values, shape));
    return c;
  }

  /** Hands `t` to tfjs (the enclosing tidy owns it from now on; it may still be used here). */
  wrap<T extends tf.Tensor>(t: RawTensor): T {
    this.live.delete(t.id);
    return this.be.createOutputTensor(t) as T;
  }

  /** Deletes handles of this scope now (views and wrapped handles are skipped). */
  free(...ts: (RawTensor | null | undefined)[]): void {
    for (const t of ts) {
      if (t && this.live.delete(t.id)) this.bd.deleteTensor(t.id);
    }
  }

  /** Deletes every handle still owned by this scope. */
  dispose(): void {
    for (const id of this.live) this.bd.deleteTensor(id);
    this.live.clear();
    this.consts.clear();
  }

  matMul(a: RawTensor, b: RawTensor, transposeA = false, transposeB = false): RawTensor {
    return this.one("MatMul", [
      this.bool("transpose_a", transposeA),
      this.bool("transpose_b", transposeB),
      this.fT,
    ], [a, b]);
  }
  add(a: RawTensor, b: RawTensor): RawTensor {
    return this.one("AddV2", [this.fT], [a, b]);
  }
  sub(a: RawTensor, b: RawTensor): RawTensor {
    return this.one("Sub", [this.fT], [a, b]);
  }
  mul(a: RawTensor, b: RawTensor): RawTensor {
    return this.one("Mul", [this.fT], [a, b]);
  }
  div(a: RawTensor, b: RawTensor): RawTensor {
    return this.one("RealDiv", [this.fT], [a, b]);
  }
  /** Σ x² / 2 over all elements, a scalar. */
  l2Loss(a: RawTensor): RawTensor {
    return this.one("L2Loss", [this.fT], [a]);
  }
  /** Element-wise sum of equal-shape tensors. */
  addN(ts: RawTensor[]): RawTensor {
    return this.one("AddN", [this.int("N", ts.length), this.fT], ts);
  }
  unary(name: "Tanh" | "Sigmoid" | "Relu" | "Square" | "Sqrt", a: RawTensor): RawTensor {
    return this.one(name, [this.fT], [a]);
  }
  leakyRelu(a: RawTensor, alpha: number): RawTensor {
    return this.one("LeakyRelu", [this.float("alpha", alpha), this.fT], [a]);
  }
  /** `TanhGrad`/`SigmoidGrad`(y, dy): dy ⊙ (1 − y²), dy ⊙ y ⊙ (1 − y). */
  outputGrad(name: "TanhGrad" | "SigmoidGrad", y: RawTensor, dy: RawTensor): RawTensor {
    return this.one(name, [this.fT], [y, dy]);
  }
  /** dy where y > 0, else alpha·dy (alpha = 0: `ReluGrad`). */
  reluGrad(dy: RawTensor, y: RawTensor, alpha: number): RawTensor {
    return alpha === 0
      ? this.one("ReluGrad", [this.fT], [dy, y])
      : this.one("LeakyReluGrad", [this.float("alpha", alpha), this.fT], [dy, y]);
  }
  /** Stacks equal-shape tensors along a new leading axis. */
  pack(ts: RawTensor[]): RawTensor {
    return this.one("Pack", [this.int("N", ts.length), this.fT, this.int("axis", 0)], ts);
  }
  /** Splits the leading axis into its slices. */
  unpack(t: RawTensor): RawTensor[] {
    const n = t.shape[0];
    return this.run("Unpack", [this.int("num", n), this.fT, this.int("axis", 0)], [t], n);
  }
  /** Concatenates along `axis`. */
  concat(ts: RawTensor[], axis: number): RawTensor {
    return this.one("ConcatV2", [
      this.int("N", ts.length),
      this.fT,
      { name: "Tidx", type: this.bd.TF_ATTR_TYPE, value: this.bd.TF_INT32 },
    ], [...ts, this.constInts([axis], [])]);
  }
  /** Splits along `axis` into pieces of the given sizes. */
  splitV(t: RawTensor, sizes: number[], axis: number): RawTensor[] {
    return this.run(
      "SplitV",
      [
        this.int("num_split", sizes.length),
        this.fT,
        { name: "Tlen", type: this.bd.TF_ATTR_TYPE, value: this.bd.TF_INT32 },
      ],
      [t, this.constInts(sizes, [sizes.length]), this.constInts([axis], [])],
      sizes.length,
    );
  }
}
