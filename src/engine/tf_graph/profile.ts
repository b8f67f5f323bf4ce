/**
 * Where a graph run's time goes: TensorFlow's step stats (the `RunMetadata` of a traced run,
 * decoded from protobuf wire format by hand — only the fields read here) summed per op type.
 *
 * @module
 */

/** One kernel execution. */
export interface NodeStat {
  /** Op type (node names are `<type>_<n>`, see `graph.ts`). */
  op: string;
  /** Start, µs since the first kernel of the run. */
  start: number;
  /** Kernel time, µs. */
  micros: number;
  thread: number;
}

/** A run's kernels, summed. */
export interface Profile {
  /** From the first kernel's start to the last one's end, µs. */
  spanMicros: number;
  /** Σ kernel time over every op, µs (> span when kernels overlap on several threads). */
  kernelMicros: number;
  ops: number;
  threads: number;
  /** Per op type: count and Σ µs, largest first. */
  byOp: { op: string; count: number; micros: number }[];
}

type Field = { no: number; wire: number; value: bigint | Uint8Array };

function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): bigint => {
    let r = 0n, shift = 0n;
    for (;;) {
      const b = buf[i++];
      r |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return r;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint()), no = key >>> 3, wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const n = Number(varint());
      yield { no, wire, value: buf.subarray(i, i + n) };
      i += n;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
}

const dec = new TextDecoder();

/** The kernels of a serialized `RunMetadata` (step_stats → dev_stats → node_stats). */
export function nodeStats(runMetadata: Uint8Array): NodeStat[] {
  const out: NodeStat[] = [];
  for (const ss of fields(runMetadata)) {
    if (ss.no !== 1 || ss.wire !== 2) continue; // RunMetadata.step_stats
    for (const dev of fields(ss.value as Uint8Array)) {
      if (dev.no !== 1 || dev.wire !== 2) continue; // StepStats.dev_stats
      for (const ns of fields(dev.value as Uint8Array)) {
        if (ns.no !== 2 || ns.wire !== 2) continue; // DeviceStepStats.node_stats
        let name = "", startUs = 0, opStart = 0, opEnd = 0, thread = 0;
        let startNs = -1, opStartNs = -1, opEndNs = -1;
        for (const f of fields(ns.value as Uint8Array)) {
          const n = typeof f.value === "bigint" ? Number(f.value) : 0;
          if (f.no === 1 && f.wire === 2) name = dec.decode(f.value as Uint8Array);
          else if (f.no === 2) startUs = n;
          else if (f.no === 3) opStart = n;
          else if (f.no === 4) opEnd = n;
          else if (f.no === 10) thread = n;
          else if (f.no === 13) startNs = n;
          else if (f.no === 14) opStartNs = n;
          else if (f.no === 15) opEndNs = n;
        }
        const start = startNs >= 0 ? startNs / 1000 : startUs;
        const micros = opEndNs >= 0 && opStartNs >= 0
          ? (opEndNs - opStartNs) / 1000
          : opEnd - opStart;
        out.push({ op: name.replace(/_\d+$/, ""), start, micros, thread });
      }
    }
  }
  if (out.length) {
    const t0 = Math.min(...out.map((s) => s.start));
    for (const s of out) s.start -= t0;
  }
  return out;
}

/** Sums {@link nodeStats} per op type. */
export function summarize(stats: readonly NodeStat[]): Profile {
  const by = new Map<string, { op: string; count: number; micros: number }>();
  let kernel = 0, span = 0;
  for (const s of stats) {
    const e = by.get(s.op) ?? { op: s.op, count: 0, micros: 0 };
    e.count++;
    e.micros += s.micros;
    by.set(s.op, e);
    kernel += s.micros;
    span = Math.max(span, s.start + s.micros);
  }
  return {
    spanMicros: span,
    kernelMicros: kernel,
    ops: stats.length,
    threads: new Set(stats.map((s) => s.thread)).size,
    byOp: [...by.values()].sort((a, b) => b.micros - a.micros),
  };
}
