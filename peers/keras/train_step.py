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

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from peer_common import (NATIVE, adding_batch, cell_lister, emit, parser, plan, split_cell,  # noqa: E402
                         time_steps)


def main():
    p = parser(__doc__, "TensorFlow intra-op threads (default: TensorFlow's choice)",
               "untimed steps first (the first compiles the step): one number, or one per length (default 2)",
               cells=cell_lister(NATIVE))
    a = p.parse_args()
    steps = plan(a, min_warmup=1)

    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    if a.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    import keras

    layers = {
        "rnn_tanh": lambda seq: keras.layers.SimpleRNN(a.hidden, activation="tanh", return_sequences=seq),
        "rnn_relu": lambda seq: keras.layers.SimpleRNN(a.hidden, activation="relu", return_sequences=seq),
        "lstm": lambda seq: keras.layers.LSTM(a.hidden, return_sequences=seq),
        "gru": lambda seq: keras.layers.GRU(a.hidden, return_sequences=seq),
    }

    def stack(cell):
        """The cell's layers, stacked: every layer but the top returns its whole sequence."""
        base, n = split_cell(cell)
        return [layers[base](k < n - 1) for k in range(n)]
    rng = np.random.default_rng(a.seed)
    for T, n, warmup in steps:
        x, y = adding_batch(rng, a.batch, T)
        for cell in a.cells:
            keras.utils.set_random_seed(a.seed)
            model = keras.Sequential([keras.Input((T, 2)), *stack(cell), keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
            # train_on_batch returns the loss as a Python float: the step is done when it returns
            times = time_steps(lambda: model.train_on_batch(x, y), warmup, n)
            emit("keras", cell, T, a, times, version=keras.__version__, tensorflow=tf.__version__,
                 threads=tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count(),
                 interop_threads=tf.config.threading.get_inter_op_parallelism_threads() or os.cpu_count(),
                 flush_denormal=True, jit_compile=bool(model.jit_compile))
            keras.backend.clear_session()


if __name__ == "__main__":
    main()
