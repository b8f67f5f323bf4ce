#!/usr/bin/env python3
"""PyTorch peer of `deno task bench`: times one training step (forward, backward through time,
Adam update) of PyTorch's own recurrent layers (nn.RNN tanh|relu, nn.LSTM, nn.GRU) with a linear
head on the last hidden state, on the adding problem, B=64, H=128 by default -- the configuration
of bench/step_bench.ts.

Prints one JSON object per line and configuration:
  contender ("torch", or "torch-denormal" with --keep-denormals), what ("train_step"), cell, T, B,
  H, backend ("cpu"), ms (median), ms_min, ms_max, ms_all (every timed step), version, threads,
  interop_threads, flush_denormal.

Subnormal floats are flushed to zero by default (torch.set_flush_denormal(True): the fair peer,
as TensorFlow flushes them too); --keep-denormals keeps PyTorch's default, which on x86 is up to
10x slower on long sequences once gradients vanish.

Needs PyTorch (CPU build): pip install torch
"""
import argparse
import json
import statistics
import sys
import time

CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru")


def int_list(text):
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}")
    if not values or min(values) < 0:
        raise argparse.ArgumentTypeError(f"expected whole numbers >= 0, got {text!r}")
    return values


def cell_list(text):
    cells = [c.strip() for c in text.split(",") if c.strip()]
    bad = [c for c in cells if c not in CELLS]
    if not cells or bad:
        raise argparse.ArgumentTypeError(f"cells must be among {','.join(CELLS)}; got {text!r}")
    return cells


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


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cells", type=cell_list, default=list(CELLS), help="comma-separated, among " + ",".join(CELLS))
    p.add_argument("--lengths", type=int_list, default=[50, 200, 1000], help="sequence lengths T (default 50,200,1000)")
    p.add_argument("--batch", type=int, default=64, help="batch size B (default 64)")
    p.add_argument("--hidden", type=int, default=128, help="hidden size H (default 128)")
    p.add_argument("--repeats", type=int_list, default=[10], help="timed steps: one number, or one per length (default 10)")
    p.add_argument("--warmup", type=int_list, default=[2], help="untimed steps first: one number, or one per length (default 2)")
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (default: PyTorch's choice)")
    p.add_argument("--seed", type=int, default=1, help="seed of the data and the weights (default 1)")
    p.add_argument("--keep-denormals", action="store_true",
                   help="keep subnormal floats (PyTorch's default); by default they are flushed to zero")
    a = p.parse_args()
    repeats = per_length(a.repeats, a.lengths, "repeats")
    warmups = per_length(a.warmup, a.lengths, "warmup")
    if min(repeats) < 1:
        sys.exit("train_step.py: --repeats must be >= 1")

    import numpy as np
    import torch

    if a.threads > 0:
        torch.set_num_threads(a.threads)
    flush = bool(torch.set_flush_denormal(not a.keep_denormals)) and not a.keep_denormals
    layers = {
        "rnn_tanh": lambda: torch.nn.RNN(2, a.hidden, nonlinearity="tanh", batch_first=True),
        "rnn_relu": lambda: torch.nn.RNN(2, a.hidden, nonlinearity="relu", batch_first=True),
        "lstm": lambda: torch.nn.LSTM(2, a.hidden, batch_first=True),
        "gru": lambda: torch.nn.GRU(2, a.hidden, batch_first=True),
    }
    rng = np.random.default_rng(a.seed)
    for T, n, warmup in zip(a.lengths, repeats, warmups):
        xb, yb = adding_batch(rng, a.batch, T)
        x, y = torch.from_numpy(xb), torch.from_numpy(yb)
        for cell in a.cells:
            torch.manual_seed(a.seed)
            rnn, head = layers[cell](), torch.nn.Linear(a.hidden, 1)
            opt = torch.optim.Adam([*rnn.parameters(), *head.parameters()], lr=1e-3)

            def step():
                opt.zero_grad()
                out, _ = rnn(x)
                loss = ((head(out[:, -1]).squeeze(1) - y) ** 2).mean()
                loss.backward()
                opt.step()
                return loss.item()

            for _ in range(warmup):
                step()
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                step()
                times.append(round((time.perf_counter() - t0) * 1000, 3))
            print(json.dumps({
                "contender": "torch-denormal" if a.keep_denormals else "torch",
                "what": "train_step", "cell": cell, "T": T, "B": a.batch, "H": a.hidden,
                "backend": "cpu", "ms": round(statistics.median(times), 3),
                "ms_min": min(times), "ms_max": max(times), "ms_all": times,
                "version": torch.__version__, "threads": torch.get_num_threads(),
                "interop_threads": torch.get_num_interop_threads(), "flush_denormal": flush,
            }), flush=True)


if __name__ == "__main__":
    main()
