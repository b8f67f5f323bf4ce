"""How far the gradient reaches back at initialisation under two initialisations of the same gated
cell: ours (docs/cells.md: W_x Glorot-uniform, W_h orthogonal, b = 0 except LSTM's forget block
= 1, after Jozefowicz et al. 2015) and PyTorch's default for nn.LSTM / nn.GRU (every weight and bias
from U(−1/√H, 1/√H)), which papers that train PyTorch's layers (Bai, Kolter & Koltun 2018 among
them) start from unless they say otherwise.

An outside measurement, in PyTorch alone, of one setting in which the long run differs from the
literature: per initialisation seed, one batch of the adding problem (markers anywhere, as the
locuslab/TCN generator places them), the loss the mean squared error of a linear head on h_{T−1},
and ‖dL/dh_t‖ over the batch for every t (the total derivative, through the recurrence: the cell is
unrolled step by step). As in the report (src/report/horizons.ts), the per-step factor is
10^slope of the least-squares line of log10(‖dL/dh_t‖ / ‖dL/dh_{T−1}‖) against the distance T−1−t,
and the gradient horizon the distance at which that line falls below 10⁻⁶. Prints one line per
initialisation: the median factor and horizon over the seeds, with their range.

    python3 peers/torch/init_decay.py --cell lstm --length 600 --hidden 128 --batch 32 --seeds 5
"""
import argparse
import math
import statistics
import sys

import numpy as np
import torch

from train_adding import adding_batch, init_ours

HORIZON_RATIO = 1e-6


def grad_norms(cell, head, x, y, kind):
    """‖dL/dh_t‖ (Frobenius over the batch) for t = 0 … T−1."""
    B, T, _ = x.shape
    H = cell.hidden_size
    h = torch.zeros(B, H)
    c = torch.zeros(B, H)
    hs = []
    for t in range(T):
        if kind == "lstm":
            h, c = cell(x[:, t], (h, c))
        else:
            h = cell(x[:, t], h)
        h.retain_grad()
        hs.append(h)
    loss = ((head(h).squeeze(1) - y) ** 2).mean()
    loss.backward()
    return [float(v.grad.norm()) for v in hs]


def decay_slope(norms):
    """Least-squares slope of log10(norm / last norm) against the distance (zeros left out)."""
    last = norms[-1]
    pts = [(d, math.log10(norms[-1 - d] / last)) for d in range(len(norms)) if norms[-1 - d] > 0]
    n = len(pts)
    sx = sum(d for d, _ in pts)
    sy = sum(v for _, v in pts)
    sxx = sum(d * d for d, _ in pts)
    sxy = sum(d * v for d, v in pts)
    return (n * sxy - sx * sy) / (n * sxx - sx * sx)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    p.add_argument("--length", type=int, default=600, help="sequence length T (default 600)")
    p.add_argument("--hidden", type=int, default=128, help="hidden size H (default 128)")
    p.add_argument("--batch", type=int, default=32, help="batch size B (default 32)")
    p.add_argument("--seeds", type=int, default=5, help="initialisation seeds 1 … N (default 5)")
    a = p.parse_args()
    if a.length < 2 or a.hidden < 1 or a.batch < 1 or a.seeds < 1:
        print("init_decay.py: --length must be ≥ 2 and --hidden, --batch, --seeds ≥ 1", file=sys.stderr)
        sys.exit(2)
    torch.set_num_threads(1)
    layer = torch.nn.LSTMCell if a.cell == "lstm" else torch.nn.GRUCell
    for name in ("ours", "pytorch"):
        factors, horizons = [], []
        for seed in range(1, a.seeds + 1):
            torch.manual_seed(seed)
            cell = layer(2, a.hidden)
            head = torch.nn.Linear(a.hidden, 1)
            if name == "ours":
                init_ours(cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh, a.cell, a.hidden)
            x, y = adding_batch(np.random.default_rng(seed), a.batch, a.length, "tcn")
            slope = decay_slope(grad_norms(cell, head, x, y, a.cell))
            factors.append(10 ** slope)
            horizons.append(math.log10(HORIZON_RATIO) / slope if slope < 0 else math.inf)
        print(f"{a.cell} {name:8} T={a.length} H={a.hidden} B={a.batch}: factor per step "
              f"{statistics.median(factors):.3f} [{min(factors):.3f}–{max(factors):.3f}], "
              f"gradient horizon {statistics.median(horizons):.0f} steps "
              f"[{min(horizons):.0f}–{max(horizons):.0f}] over {a.seeds} seeds")


if __name__ == "__main__":
    main()
