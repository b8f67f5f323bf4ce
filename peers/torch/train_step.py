#!/usr/bin/env python3
"""PyTorch peer of `deno task bench`: times one training step (forward, backward through time,
Adam update) on the adding problem, B=64, H=128 by default -- the configuration of
bench/step_bench.ts -- of the models in models.py: PyTorch's own recurrent layers (nn.RNN
tanh|relu, nn.LSTM, nn.GRU), plain modules for minGRU and expRNN, each optionally with the
attention readout (NAME+attn) and stacked (NAME×L), with a linear head on the last state.

Prints one JSON object per line and configuration:
  contender ("torch", or "torch-denormal" with --keep-denormals), what ("train_step"), cell, T, B,
  H, backend ("cpu"), ms (median), ms_min, ms_max, ms_all (every timed step), version, threads,
  interop_threads, flush_denormal.

Subnormal floats are flushed to zero by default (torch.set_flush_denormal(True): the fair peer,
as TensorFlow flushes them too); --keep-denormals keeps PyTorch's default, which on x86 is up to
10x slower on long sequences once gradients vanish.

--check FILE... instead replays adding-problem reference-gradient files (fixtures/grads/*.json,
the contract of CELLS.md) through the same models in float64 and prints, per file, the relative
error of the loss and of the parameter gradients (files of other tasks or cells: "skipped");
exit 1 when any exceeds 1e-9.

Needs PyTorch (CPU build): pip install torch
"""

import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
sys.path.insert(0, here)
from peer_common import NATIVE, adding_batch, cell_lister, emit, parser, plan, time_steps  # noqa: E402

BASES = NATIVE + ("mingru", "exprnn")  # models.BASES, without importing torch for --help
DEFAULT_CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru", "lstm×2", "gru×2", "lstm+attn", "mingru",
                 "exprnn")
CHECK_TOLERANCE = 1e-9


def check(files):
    """--check: every file's loss and gradients against the models; the exit code."""
    import torch
    from models import check_reference
    torch.set_num_threads(1)
    worst = 0.0
    for path in files:
        with open(path) as f:
            ref = json.load(f)
        if ref.get("task") != "adding" or ref.get("cell", "").split("+")[0] not in BASES:
            print(json.dumps({"check": path, "skipped": f"no torch peer model for {ref.get('task')} "
                              f"{ref.get('cell')}"}), flush=True)
            continue
        r = check_reference(ref)
        worst = max(worst, r["loss_rel_err"], r["grad_rel_err"])
        print(json.dumps({"check": path, **r, "ok": max(r["loss_rel_err"], r["grad_rel_err"]) <= CHECK_TOLERANCE}),
              flush=True)
    return 0 if worst <= CHECK_TOLERANCE else 1


def main():
    if "--check" in sys.argv[1:2]:
        files = sys.argv[2:]
        if not files:
            sys.exit("train_step.py: --check needs reference files")
        return check(files)
    p = parser(__doc__, "intra-op threads (default: PyTorch's choice)",
               "untimed steps first: one number, or one per length (default 2)",
               cells=cell_lister(BASES, attention=True), default_cells=DEFAULT_CELLS)
    p.add_argument("--keep-denormals", action="store_true",
                   help="keep subnormal floats (PyTorch's default); by default they are flushed to zero")
    a = p.parse_args()
    steps = plan(a)

    import numpy as np
    import torch
    from models import build, loss_of

    if a.threads > 0:
        torch.set_num_threads(a.threads)
    flush = bool(torch.set_flush_denormal(not a.keep_denormals)) and not a.keep_denormals
    rng = np.random.default_rng(a.seed)
    for T, n, warmup in steps:
        xb, yb = adding_batch(rng, a.batch, T)
        x, y = torch.from_numpy(xb), torch.from_numpy(yb)
        for cell in a.cells:
            torch.manual_seed(a.seed)
            rnn, head = build(cell, 2, a.hidden)
            opt = torch.optim.Adam([*rnn.parameters(), *head.parameters()], lr=1e-3)

            def step():
                opt.zero_grad()
                loss = loss_of(rnn, head, x, y)
                loss.backward()
                opt.step()
                return loss.item()

            times = time_steps(step, warmup, n)
            emit("torch-denormal" if a.keep_denormals else "torch", cell, T, a, times,
                 version=torch.__version__, threads=torch.get_num_threads(),
                 interop_threads=torch.get_num_interop_threads(), flush_denormal=flush)
    return 0


if __name__ == "__main__":
    sys.exit(main())
