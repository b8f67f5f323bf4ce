"""What the peers of `deno task bench` share: the command line, the bench-cell names, the
adding-problem batch and the timing of one training step. Each peer (peers/torch, peers/keras)
adds only its framework's model.

A bench cell is NAME[+attn][×L]: a base cell, optionally with the attention readout of CELLS.md,
optionally a stack of L layers (the engine's `layers`), e.g. "lstm", "lstm+attn", "lstm×2".
"""
import argparse
import json
import statistics
import sys
import time

# The recurrent layers both frameworks have natively.
NATIVE = ("rnn_tanh", "rnn_relu", "lstm", "gru")
# The bench cells of the Keras peer (and the default list of every peer).
CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru", "lstm×2", "gru×2")
MAX_LAYERS = 8


def parse_cell(cell):
    """"lstm+attn×2" -> ("lstm", True, 2); "gru" -> ("gru", False, 1); None when malformed."""
    name, _, n = cell.partition("×")
    if n and not (n.isdigit() and 1 <= int(n) <= MAX_LAYERS):
        return None
    attention = name.endswith("+attn")
    base = name[:-len("+attn")] if attention else name
    return base, attention, int(n) if n else 1


def split_cell(cell):
    """"lstm×2" -> ("lstm", 2); "gru" -> ("gru", 1)."""
    base, _, n = cell.partition("×")
    return base, int(n) if n else 1


def int_list(text):
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}")
    if not values or min(values) < 0:
        raise argparse.ArgumentTypeError(f"expected whole numbers >= 0, got {text!r}")
    return values


def cell_lister(bases=None, attention=False, known=CELLS):
    """The --cells parser: names in `known`, or, with `bases`, any NAME[+attn][×L] over them."""
    def ok(c):
        if bases is None:
            return c in known
        p = parse_cell(c)
        return p is not None and p[0] in bases and (attention or not p[1])

    def cell_list(text):
        cells = [c.strip() for c in text.split(",") if c.strip()]
        bad = [c for c in cells if not ok(c)]
        if not cells or bad:
            what = ",".join(known) if bases is None else \
                f"NAME{'[+attn]' if attention else ''}[×L] with NAME among {','.join(bases)}"
            raise argparse.ArgumentTypeError(f"cells must be {what}; got {text!r}")
        return cells
    return cell_list


cell_list = cell_lister()


def per_length(values, lengths, flag):
    """One value for every length, or one per length."""
    if len(values) == 1:
        return values * len(lengths)
    if len(values) != len(lengths):
        sys.exit(f"train_step.py: --{flag} needs one value or one per length ({len(lengths)})")
    return values


def adding_batch(rng, B, T):
    """The adding problem: x[:, :, 0] ~ U[0,1), two markers in x[:, :, 1] (one in each half of
    the sequence), y = the sum of the two marked values."""
    import numpy as np
    x = np.zeros((B, T, 2), dtype=np.float32)
    x[:, :, 0] = rng.random((B, T), dtype=np.float32)
    half = max(T // 2, 1)
    first = rng.integers(0, half, B)
    second = rng.integers(half, T, B) if T > 1 else first
    rows = np.arange(B)
    x[rows, first, 1] = 1
    x[rows, second, 1] = 1
    y = (x[:, :, 0] * x[:, :, 1]).sum(axis=1, dtype=np.float32)
    return x, y


def parser(doc, threads_help, warmup_help, cells=cell_list, default_cells=CELLS):
    """The command line every peer accepts."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cells", type=cells, default=list(default_cells),
                   help="comma-separated bench cells (default " + ",".join(default_cells) + ")")
    p.add_argument("--lengths", type=int_list, default=[50, 200, 1000], help="sequence lengths T (default 50,200,1000)")
    p.add_argument("--batch", type=int, default=64, help="batch size B (default 64)")
    p.add_argument("--hidden", type=int, default=128, help="hidden size H (default 128)")
    p.add_argument("--repeats", type=int_list, default=[10], help="timed steps: one number, or one per length (default 10)")
    p.add_argument("--warmup", type=int_list, default=[2], help=warmup_help)
    p.add_argument("--threads", type=int, default=0, help=threads_help)
    p.add_argument("--seed", type=int, default=1, help="seed of the data and the weights (default 1)")
    return p


def plan(a, min_warmup=0):
    """(T, timed steps, warm-up steps) per length, validated."""
    repeats = per_length(a.repeats, a.lengths, "repeats")
    warmups = [max(w, min_warmup) for w in per_length(a.warmup, a.lengths, "warmup")]
    if min(repeats) < 1:
        sys.exit("train_step.py: --repeats must be >= 1")
    return list(zip(a.lengths, repeats, warmups))


def time_steps(step, warmup, n):
    """Runs `step` warmup times untimed, then n times timed; the step must return when done."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        step()
        times.append(round((time.perf_counter() - t0) * 1000, 3))
    return times


def emit(contender, cell, T, a, times, **extra):
    """Prints one record (a JSON line) in the shape src/bench/peers.ts parses."""
    print(json.dumps({
        "contender": contender, "what": "train_step", "cell": cell, "T": T, "B": a.batch,
        "H": a.hidden, "backend": "cpu", "ms": round(statistics.median(times), 3),
        "ms_min": min(times), "ms_max": max(times), "ms_all": times, **extra,
    }), flush=True)
