"""Trains PyTorch's own recurrent layers on the adding problem, as a PyTorch user would: an outside
check of the engine's training outcomes (which cells solve which lengths, and at which step), and of
one setting in which the long run differs from the literature, the initialisation.

The model is PyTorch's nn.RNN (tanh) / nn.LSTM / nn.GRU with a linear head on h_{T−1}; the loss the
mean squared error; Adam with the gradient's global norm clipped (1.0 by default, as the suites);
a fixed test set evaluated every --eval-every steps. `--init pytorch` keeps PyTorch's default (every
weight and bias from U(−1/√H, 1/√H)); `--init ours` sets docs/cells.md's (W_x Glorot-uniform, W_h
orthogonal, biases 0 except the LSTM's forget block = 1). Solved, as in the suites
(src/results/solved.ts): the test MSE is at most --solved-mse at an evaluation and still at the
next (or at the last, which has no next); steps to solve is the first of the two.

Prints one JSON line per evaluation ({"step", "test_mse"}) and a last line with the outcome
({"cell", "init", "T", "steps_done", "test_mse", "steps_to_solve"}); exit 2 on bad input.

    python3 peers/torch/train_adding.py --cell lstm --init pytorch --length 600 --hidden 128 \\
        --batch 32 --steps 30000 --lr 2e-3 --flush-denormals
"""
import argparse
import json
import sys

import numpy as np
import torch


def adding_batch(rng, B, T, variant):
    """x[:, t] = (value ~ U[0,1), marker), two markers; y = the sum of the two marked values.
    `tcn`: the markers at two distinct positions anywhere (the locuslab/TCN generator);
    `arjovsky`: one in each half (Arjovsky, Shah & Bengio 2016)."""
    x = np.zeros((B, T, 2), dtype=np.float32)
    x[:, :, 0] = rng.random((B, T), dtype=np.float32)
    for b in range(B):
        if variant == "tcn":
            x[b, rng.choice(T, 2, replace=False), 1] = 1
        else:
            x[b, rng.integers(0, T // 2), 1] = 1
            x[b, rng.integers(T // 2, T), 1] = 1
    y = (x[:, :, 0] * x[:, :, 1]).sum(axis=1, dtype=np.float32)
    return torch.from_numpy(x), torch.from_numpy(y)


def init_ours(w_ih, w_hh, b_ih, b_hh, cell, H):
    """docs/cells.md's initialisation in PyTorch's layout (w_ih = W_xᵀ, w_hh = W_hᵀ): W_x
    Glorot-uniform, W_h orthogonal, biases 0 except the LSTM's forget block = 1."""
    G = {"rnn_tanh": 1, "lstm": 4, "gru": 3}[cell]
    with torch.no_grad():
        torch.nn.init.xavier_uniform_(w_ih)  # fan_in I, fan_out G·H, as Glorot on W_x
        w_h = torch.empty(H, G * H)
        torch.nn.init.orthogonal_(w_h)  # orthonormal rows: every H-wide gate block orthogonal
        w_hh.copy_(w_h.T)
        b_ih.zero_()
        b_hh.zero_()
        if cell == "lstm":
            b_ih[H:2 * H] = 1.0  # gate order i, f, g, o: the forget block


class Model(torch.nn.Module):
    def __init__(self, cell, H):
        super().__init__()
        layer = {"rnn_tanh": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
        self.rnn = layer(2, H, batch_first=True)
        self.head = torch.nn.Linear(H, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1]).squeeze(1)


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cell", choices=["rnn_tanh", "lstm", "gru"], default="lstm")
    p.add_argument("--init", choices=["pytorch", "ours"], default="pytorch")
    p.add_argument("--variant", choices=["tcn", "arjovsky"], default="tcn")
    p.add_argument("--length", type=int, default=600, help="sequence length T (default 600)")
    p.add_argument("--hidden", type=int, default=128, help="hidden size H (default 128)")
    p.add_argument("--batch", type=int, default=32, help="batch size B (default 32)")
    p.add_argument("--steps", type=int, default=30000, help="training steps (default 30000)")
    p.add_argument("--lr", type=float, default=2e-3, help="Adam's learning rate (default 2e-3)")
    p.add_argument("--clip", type=float, default=1.0, help="global gradient-norm clip (default 1.0)")
    p.add_argument("--eval-every", type=int, default=250, help="steps between evaluations (default 250)")
    p.add_argument("--test-size", type=int, default=1000, help="test sequences (default 1000)")
    p.add_argument("--solved-mse", type=float, default=0.01, help="solved at a test MSE ≤ this (default 0.01)")
    p.add_argument("--stop-when-solved", action="store_true", help="stop once solved")
    p.add_argument("--seed", type=int, default=1, help="seed of the weights and the data (default 1)")
    p.add_argument("--threads", type=int, default=0, help="torch threads (default: PyTorch's)")
    p.add_argument("--flush-denormals", action="store_true",
                   help="flush subnormal floats to zero, as TensorFlow does (at adding T = 600 from PyTorch's "
                        "LSTM initialisation the gradients go subnormal and a step on x86 takes 8x as long)")
    a = p.parse_args()
    bad = [f"--{k.replace('_', '-')}" for k in ("length", "hidden", "batch", "steps", "eval_every", "test_size")
           if getattr(a, k) < (2 if k == "length" else 1)]
    if bad or not a.lr > 0 or not a.clip > 0:
        print(f"train_adding.py: {', '.join(bad) or '--lr and --clip'} must be positive"
              f"{' (--length at least 2)' if '--length' in bad else ''}", file=sys.stderr)
        sys.exit(2)
    return a


def main():
    a = parse()
    if a.threads:
        torch.set_num_threads(a.threads)
    if a.flush_denormals and not torch.set_flush_denormal(True):
        print("train_adding.py: --flush-denormals: this CPU cannot flush subnormals", file=sys.stderr)
        sys.exit(2)
    torch.manual_seed(a.seed)
    model = Model(a.cell, a.hidden)
    if a.init == "ours":
        r = model.rnn
        init_ours(r.weight_ih_l0, r.weight_hh_l0, r.bias_ih_l0, r.bias_hh_l0, a.cell, a.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    train_rng = np.random.default_rng(a.seed)
    x_test, y_test = adding_batch(np.random.default_rng(10_000 + a.seed), a.test_size, a.length, a.variant)
    candidate, solved_at, mse, step = None, None, float("nan"), 0
    while step < a.steps:
        x, y = adding_batch(train_rng, a.batch, a.length, a.variant)
        loss = ((model(x) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        step += 1
        if step % a.eval_every == 0 or step == a.steps:
            with torch.no_grad():
                mse = float(((model(x_test) - y_test) ** 2).mean())
            print(json.dumps({"step": step, "test_mse": mse}), flush=True)
            ok = mse <= a.solved_mse
            if solved_at is None:
                if ok and candidate is not None:
                    solved_at = candidate
                elif ok and step == a.steps:  # the last evaluation needs no next one
                    solved_at = step
                else:
                    candidate = step if ok else None
            if solved_at is not None and a.stop_when_solved:
                break
    print(json.dumps({"cell": a.cell, "init": a.init, "T": a.length, "steps_done": step,
                      "test_mse": mse, "steps_to_solve": solved_at}), flush=True)


if __name__ == "__main__":
    main()
