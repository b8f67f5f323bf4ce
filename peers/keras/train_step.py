#!/usr/bin/env python3
"""Keras peer of `deno task bench`: times one training step (forward, backward through time, Adam
update) of Keras 3 on TensorFlow -- keras.layers.SimpleRNN (tanh|relu), LSTM, GRU with a Dense
head on the last hidden state, compiled (model.compile) and stepped with train_on_batch -- on the
adding problem, B=64, H=128 by default: the configuration of bench/step_bench.ts. The framework
of the original write-up this project grew from.

Prints one JSON object per line and configuration:
  contender ("keras"), what ("train_step"), cell, T, B, H, backend ("cpu"), ms (median), ms_min,
  ms_max, ms_all (every timed step), version (keras), tensorflow, threads (intra-op),
  interop_threads, flush_denormal (TensorFlow flushes subnormals to zero in its CPU kernels),
  jit_compile.

Needs Keras 3 on TensorFlow: pip install tensorflow-cpu
"""
import argparse
import json
import os
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
    p.add_argument("--warmup", type=int_list, default=[2], help="untimed steps first (the first compiles the step): one number, or one per length (default 2)")
    p.add_argument("--threads", type=int, default=0, help="TensorFlow intra-op threads (default: TensorFlow's choice)")
    p.add_argument("--seed", type=int, default=1, help="seed of the data and the weights (default 1)")
    a = p.parse_args()
    repeats = per_length(a.repeats, a.lengths, "repeats")
    warmups = [max(w, 1) for w in per_length(a.warmup, a.lengths, "warmup")]
    if min(repeats) < 1:
        sys.exit("train_step.py: --repeats must be >= 1")

    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    if a.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    import keras

    layers = {
        "rnn_tanh": lambda: keras.layers.SimpleRNN(a.hidden, activation="tanh"),
        "rnn_relu": lambda: keras.layers.SimpleRNN(a.hidden, activation="relu"),
        "lstm": lambda: keras.layers.LSTM(a.hidden),
        "gru": lambda: keras.layers.GRU(a.hidden),
    }
    rng = np.random.default_rng(a.seed)
    for T, n, warmup in zip(a.lengths, repeats, warmups):
        x, y = adding_batch(rng, a.batch, T)
        for cell in a.cells:
            keras.utils.set_random_seed(a.seed)
            model = keras.Sequential([keras.Input((T, 2)), layers[cell](), keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
            for _ in range(warmup):
                model.train_on_batch(x, y)
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                model.train_on_batch(x, y)  # returns the loss as a Python float: the step is done
                times.append(round((time.perf_counter() - t0) * 1000, 3))
            print(json.dumps({
                "contender": "keras", "what": "train_step", "cell": cell, "T": T, "B": a.batch,
                "H": a.hidden, "backend": "cpu", "ms": round(statistics.median(times), 3),
                "ms_min": min(times), "ms_max": max(times), "ms_all": times,
                "version": keras.__version__, "tensorflow": tf.__version__,
                "threads": tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count(),
                "interop_threads": tf.config.threading.get_inter_op_parallelism_threads() or os.cpu_count(),
                "flush_denormal": True, "jit_compile": bool(model.jit_compile),
            }), flush=True)
            keras.backend.clear_session()


if __name__ == "__main__":
    main()
