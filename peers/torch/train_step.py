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

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from peer_common import adding_batch, emit, parser, plan, split_cell, time_steps  # noqa: E402


def main():
    p = parser(__doc__, "intra-op threads (default: PyTorch's choice)",
               "untimed steps first: one number, or one per length (default 2)")
    p.add_argument("--keep-denormals", action="store_true",
                   help="keep subnormal floats (PyTorch's default); by default they are flushed to zero")
    a = p.parse_args()
    steps = plan(a)

    import numpy as np
    import torch

    if a.threads > 0:
        torch.set_num_threads(a.threads)
    flush = bool(torch.set_flush_denormal(not a.keep_denormals)) and not a.keep_denormals
    # "×L" cells are PyTorch's own stacks (num_layers=L).
    layers = {
        "rnn_tanh": lambda n: torch.nn.RNN(2, a.hidden, n, nonlinearity="tanh", batch_first=True),
        "rnn_relu": lambda n: torch.nn.RNN(2, a.hidden, n, nonlinearity="relu", batch_first=True),
        "lstm": lambda n: torch.nn.LSTM(2, a.hidden, n, batch_first=True),
        "gru": lambda n: torch.nn.GRU(2, a.hidden, n, batch_first=True),
    }
    rng = np.random.default_rng(a.seed)
    for T, n, warmup in steps:
        xb, yb = adding_batch(rng, a.batch, T)
        x, y = torch.from_numpy(xb), torch.from_numpy(yb)
        for cell in a.cells:
            torch.manual_seed(a.seed)
            base, depth = split_cell(cell)
            rnn, head = layers[base](depth), torch.nn.Linear(a.hidden, 1)
            opt = torch.optim.Adam([*rnn.parameters(), *head.parameters()], lr=1e-3)

            def step():
                opt.zero_grad()
                out, _ = rnn(x)
                loss = ((head(out[:, -1]).squeeze(1) - y) ** 2).mean()
                loss.backward()
                opt.step()
                return loss.item()

            times = time_steps(step, warmup, n)
            emit("torch-denormal" if a.keep_denormals else "torch", cell, T, a, times,
                 version=torch.__version__, threads=torch.get_num_threads(),
                 interop_threads=torch.get_num_interop_threads(), flush_denormal=flush)


if __name__ == "__main__":
    main()
