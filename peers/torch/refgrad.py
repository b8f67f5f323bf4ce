#!/usr/bin/env python3
"""Reference gradients for `deno task gradcheck`, computed by PyTorch autograd in float64.

For every cell (rnn_tanh, rnn_relu, rnn_leaky, irnn, indrnn, lstm, gru, mingru, exprnn — the
engine's registry, src/engine/cells/mod.ts, which a test keeps equal to CELL_DEFS below — each
with and without the attention readout), both tasks (adding, copy) and 1 or 2 stacked layers, this draws small
random weights and a batch, runs the recurrence written out step by step as in docs/cells.md (the
math contract), and writes one JSON
file in that contract's format with the loss,
the norms ||dL/dh_t|| over the batch and dL/dparam for every parameter.

  python3 peers/torch/refgrad.py --out fixtures/grads                # the committed fixtures
  python3 peers/torch/refgrad.py --out /tmp/g --cells lstm,gru+attn --layers 2 --T 20

Same arguments, same bytes: the data and weights come from Python's own `random` (Mersenne
Twister seeded by a string, stable across Python and PyTorch versions), PyTorch runs on one
thread, and json.dumps writes each float64 as its shortest round-trip repr. Each file is written
to NAME.tmp and then renamed, so a reader never sees half a file.

`peers/torch/refgrad_selfcheck.py` checks this file's recurrences against torch.nn.RNN/LSTM/GRU,
against finite differences, and against the independent files in ../shared/reference.

Needs PyTorch (CPU build): pip install torch
"""

import argparse
import json
import math
import os
import random
import sys

TASKS = ("adding", "copy")
ALPHA = 0.01      # LeakyReLU slope of rnn_leaky, written into every file
COPY_SYMBOLS = 10  # copy task: 0 = blank, 1..8 = data symbols, 9 = delimiter (I = O = 10)
COPY_LEN = 3       # how many symbols the copy task has to remember

torch = None  # imported in main() and by load_torch(), so that --help works without PyTorch


def load_torch():
    global torch
    if torch is None:
        import torch as t
        t.set_num_threads(1)  # one summation order in every matmul: byte-identical reruns
        torch = t
    return torch


# ---------------------------------------------------------------- cell steps (docs/cells.md)
# Each step takes the layer's parameters p, the input x_t [B, I] and the state, and returns the
# new state. The state is (h,) for every cell but the LSTM, which carries (h, c).

def step_tanh(p, x, state, alpha):
    # h_t = tanh(x_t W_x + h_{t-1} W_h + b)
    (h,) = state
    return (torch.tanh(x @ p["W_x"] + h @ p["W_h"] + p["b"]),)


def step_relu(p, x, state, alpha):
    # h_t = relu(x_t W_x + h_{t-1} W_h + b)
    (h,) = state
    return (torch.relu(x @ p["W_x"] + h @ p["W_h"] + p["b"]),)


def step_leaky(p, x, state, alpha):
    # h_t = leaky(x_t W_x + h_{t-1} W_h + b), leaky(a) = a if a > 0 else alpha * a
    (h,) = state
    a = x @ p["W_x"] + h @ p["W_h"] + p["b"]
    return (torch.where(a > 0, a, alpha * a),)


def step_indrnn(p, x, state, alpha):
    # Li et al. 2018, "Independently Recurrent Neural Network": h_t = relu(x_t W_x + u * h_{t-1} + b)
    (h,) = state
    return (torch.relu(x @ p["W_x"] + p["u"] * h + p["b"]),)


def step_lstm(p, x, state, alpha):
    # Hochreiter & Schmidhuber 1997 with a forget gate; blocks in the order i, f, g, o.
    h, c = state
    i, f, g, o = (x @ p["W_x"] + h @ p["W_h"] + p["b"]).chunk(4, dim=1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return (torch.sigmoid(o) * torch.tanh(c), c)


def step_gru(p, x, state, alpha):
    # Cho et al. 2014, reset-after form (PyTorch, Keras reset_after=True): r multiplies h W_h + b_h.
    (h,) = state
    xr, xz, xn = (x @ p["W_x"] + p["b"]).chunk(3, dim=1)
    hr, hz, hn = (h @ p["W_h"] + p["b_h"]).chunk(3, dim=1)
    r = torch.sigmoid(xr + hr)
    u = torch.sigmoid(xz + hz)
    n = torch.tanh(xn + r * hn)
    return ((1 - u) * n + u * h,)


def step_mingru(p, x, state, alpha):
    # Feng et al. 2024, "Were RNNs All We Needed?", sequential form without g:
    # gate and candidate see only x_t, so dh_t/dh_{t-1} = diag(1 - u_t).
    (h,) = state
    az, ac = (x @ p["W_x"] + p["b"]).chunk(2, dim=1)
    u = torch.sigmoid(az)
    return ((1 - u) * h + u * ac,)


def exprnn_weights(p):
    # Lezcano-Casado & Martinez-Rubio 2019: W_h = expm(A - A^T), once per pass. PyTorch's
    # matrix_exp and autograd through it are an independent check of the engine's adjoint.
    return {**p, "W_h": torch.linalg.matrix_exp(p["A"] - p["A"].T)}


def step_exprnn(p, x, state, alpha):
    # a = x_t W_x + h_{t-1} W_h; h_t = sign(a) * relu(|a| + b) (modReLU, Arjovsky et al. 2016)
    (h,) = state
    a = x @ p["W_x"] + h @ p["W_h"]
    return (torch.sign(a) * torch.relu(a.abs() + p["b"]),)


def simple_shapes(G, extra=()):
    return lambda I, H: [("W_x", [I, G * H]), ("W_h", [H, G * H]), ("b", [G * H])] + [
        (n, [G * H]) for n in extra]


# Every cell: its step, its parameters' names and shapes for input width I and hidden width H
# (in the order the files list them), and the weights its steps use formed from them.
CELL_DEFS = {
    "rnn_tanh": (step_tanh, simple_shapes(1)),
    "rnn_relu": (step_relu, simple_shapes(1)),
    "rnn_leaky": (step_leaky, simple_shapes(1)),
    "irnn": (step_relu, simple_shapes(1)),  # rnn_relu's math; only its initialisation differs
    "indrnn": (step_indrnn, lambda I, H: [("W_x", [I, H]), ("u", [H]), ("b", [H])]),
    "lstm": (step_lstm, simple_shapes(4)),
    "gru": (step_gru, simple_shapes(3, ("b_h",))),
    "mingru": (step_mingru, lambda I, H: [("W_x", [I, 2 * H]), ("b", [2 * H])]),
    "exprnn": (step_exprnn, lambda I, H: [("W_x", [I, H]), ("A", [H, H]), ("b", [H])],
               exprnn_weights),
}
CELLS = tuple(CELL_DEFS)


def cell_def(cell):
    """The definition of a base cell; raises on a name this generator does not know."""
    if cell not in CELL_DEFS:
        raise ValueError(f"unknown cell {cell!r}; known: {', '.join(CELL_DEFS)}")
    return CELL_DEFS[cell]


def step(cell, p, x, state, alpha):
    return cell_def(cell)[0](p, x, state, alpha)


def weights(cell, p):
    """The weights the steps of `cell` use, formed from its parameters p."""
    d = cell_def(cell)
    return d[2](p) if len(d) > 2 else p


def cell_param_shapes(cell, I, H):
    """Names and shapes of one layer's parameters, in the order the files list them."""
    return cell_def(cell)[1](I, H)


def split_cell(cell):
    base, _, extra = cell.partition("+")
    return base, extra == "attn"


# ---------------------------------------------------------------- forward pass and loss

def layer_params(params, k, layers):
    """Layer k's cell parameters without their `l{k}.` prefix (docs/cells.md: only files with more
    than one layer carry it)."""
    if layers == 1:
        return params
    prefix = f"l{k}."
    return {name[len(prefix):]: v for name, v in params.items() if name.startswith(prefix)}


def run_layers(base, params, x, layers, alpha, H, nudge=None):
    """Runs the stacked recurrence over x [B, T, I]; returns hs[k][t] ([B, H], layer k, step t),
    each with retain_grad() so that backward() leaves the total derivative dL/dh_t in .grad.
    nudge: optional {(k, t): [B, H]} added to h_t of layer k before it is used (finite-difference
    checks of dL/dh_t in refgrad_selfcheck.py)."""
    load_torch()
    B, T = x.shape[0], x.shape[1]
    hs = []
    inputs = [x[:, t] for t in range(T)]
    for k in range(layers):
        p = weights(base, layer_params(params, k, layers))
        zero = torch.zeros(B, H, dtype=x.dtype)
        state = (zero, zero) if base == "lstm" else (zero,)
        out = []
        for t in range(T):
            state = step(base, p, inputs[t], state, alpha)
            if nudge and (k, t) in nudge:
                state = (state[0] + nudge[(k, t)],) + state[1:]
            if state[0].requires_grad:
                state[0].retain_grad()
            out.append(state[0])
        hs.append(out)
        inputs = out  # layer k+1 reads layer k's states (docs/cells.md, stacked layers)
    return hs


def attention(h_top, W_q, H):
    # q = h_{T-1} W_q; w = softmax_t(h_t . q / sqrt(H)); ctx = sum_t w_t h_t
    S = torch.stack(h_top, dim=1)                       # [B, T, H]
    q = h_top[-1] @ W_q                                 # [B, H]
    w = torch.softmax((S @ q.unsqueeze(2)).squeeze(2) / math.sqrt(H), dim=1)  # [B, T]
    return (w.unsqueeze(2) * S).sum(dim=1)              # [B, H]


def head_loss(task, h_top, params, y, attn, H):
    ctx = attention(h_top, params["W_q"], H) if attn else None

    def feat(h):
        return torch.cat([h, ctx], dim=1) if attn else h

    if task == "adding":
        # regression on the last step: mean over the batch of (y_hat - y)^2
        yhat = feat(h_top[-1]) @ params["W_o"] + params["b_o"]
        return ((yhat - y) ** 2).mean()
    # copy: softmax cross-entropy at every step, mean over all B*T positions
    logits = torch.stack([feat(h) @ params["W_o"] + params["b_o"] for h in h_top], dim=1)  # [B,T,O]
    logp = torch.log_softmax(logits, dim=2)
    return -logp.gather(2, y.unsqueeze(2)).mean()


def compute(cell, task, params, x, y, layers=1, alpha=ALPHA):
    """Loss, ||dL/dh_t|| per layer and step, and dL/dparam of one case given as plain lists
    (params: name -> nested lists, as in the files). Returns a float and nested lists."""
    load_torch()
    base, attn = split_cell(cell)
    P = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    X = torch.tensor(x, dtype=torch.float64)
    Y = torch.tensor(y, dtype=torch.float64 if task == "adding" else torch.long)
    H = len(params["W_q"]) if attn else len(params["W_o"])  # W_q is [H, H]; W_o is [H, O] without attn
    hs = run_layers(base, P, X, layers, alpha, H)
    loss = head_loss(task, hs[-1], P, Y, attn, H)
    loss.backward()
    norms = [[float(h.grad.norm()) for h in layer] for layer in hs]  # every h_t reaches the loss
    grads = {k: v.grad.tolist() for k, v in P.items()}
    return float(loss.detach()), norms, grads


# ---------------------------------------------------------------- data and weights

def make_batch(rng, task, B, T):
    """adding (Hochreiter & Schmidhuber 1997): x[:, t] = (value ~ U[0,1), marker); two markers,
    one in each half; y = sum of the two marked values.
    copy: COPY_LEN data symbols, blanks, the delimiter at T - COPY_LEN - 1, blanks; the target is
    blank everywhere except the last COPY_LEN steps, which repeat the symbols. One-hot inputs."""
    if task == "adding":
        x, y = [], []
        for _ in range(B):
            vals = [rng.random() for _ in range(T)]
            m1, m2 = rng.randrange(0, T // 2), rng.randrange(T // 2, T)
            x.append([[vals[t], 1.0 if t in (m1, m2) else 0.0] for t in range(T)])
            y.append([vals[m1] + vals[m2]])
        return x, y
    S = COPY_LEN
    x, y = [], []
    for _ in range(B):
        syms = [rng.randrange(1, COPY_SYMBOLS - 1) for _ in range(S)]
        seq = syms + [0] * (T - S)
        seq[T - S - 1] = COPY_SYMBOLS - 1
        x.append([[1.0 if s == j else 0.0 for j in range(COPY_SYMBOLS)] for s in seq])
        y.append([0] * (T - S) + syms)
    return x, y


def normal(rng, shape, std):
    if len(shape) == 1:
        return [rng.gauss(0.0, std) for _ in range(shape[0])]
    return [[rng.gauss(0.0, std) for _ in range(shape[1])] for _ in range(shape[0])]


def make_params(rng, cell, I, H, O, layers):
    """Weights ~ N(0, 1/fan_in) and biases ~ N(0, 0.5^2): large enough that gates sit away from
    0.5, some relu units are off and some on, and leaky units use their alpha slope; IndRNN's u
    ~ U(0.5, 1.0): below 1, as Li et al.'s bound 2^{1/T} keeps it, so that two stacked layers'
    states stay O(1) and float32 consumers stay well-conditioned."""
    base, attn = split_cell(cell)
    params = {}
    for k in range(layers):
        prefix = f"l{k}." if layers > 1 else ""
        for name, shape in cell_param_shapes(base, I if k == 0 else H, H):
            if name == "u":
                v = [rng.uniform(0.5, 1.0) for _ in range(H)]
            elif name.startswith("b"):
                v = normal(rng, shape, 0.5)
            else:
                v = normal(rng, shape, 1.0 / math.sqrt(shape[0]))
            params[prefix + name] = v
    F = 2 * H if attn else H
    params["W_o"] = normal(rng, [F, O], 1.0 / math.sqrt(F))
    params["b_o"] = normal(rng, [O], 0.5)
    if attn:
        # Small enough that the attention softmax is not saturated by O(1–10) states: a
        # saturated softmax makes dW_q a float32 cancellation, not a test of the math.
        params["W_q"] = normal(rng, [H, H], 0.2 / math.sqrt(H))
    return params


def file_name(cell, task, seed, T, layers):
    return f"{cell.replace('+', '_')}-{task}-s{seed}-T{T}" + (f"-L{layers}" if layers > 1 else "") + ".json"


def build(cell, task, seed, B, T, H, layers):
    """One reference case as an ordered dict (the key order of docs/cells.md's file format)."""
    I = O = COPY_SYMBOLS
    if task == "adding":
        I, O = 2, 1
    # The batch depends on (seed, task, B, T) only, so every cell sees the same data; the weights
    # have their own stream per cell and depth.
    x, y = make_batch(random.Random(f"refgrad:{seed}:{task}:{B}:{T}"), task, B, T)
    params = make_params(random.Random(f"refgrad:{seed}:{cell}:{task}:{H}:{layers}"), cell, I, H, O,
                         layers)
    loss, norms, grads = compute(cell, task, params, x, y, layers, ALPHA)
    doc = {"cell": cell, "task": task, "seed": seed, "B": B, "T": T, "I": I, "H": H, "O": O,
           "alpha": ALPHA}
    if layers > 1:
        doc["layers"] = layers
        doc["grad_h_norms_by_layer"] = norms
    doc.update({"params": params, "x": x, "y": y, "loss": loss, "grad_h_norms": norms[-1],
                "param_grads": grads})
    return doc


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ---------------------------------------------------------------- command line

class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        sys.stderr.write(f"refgrad.py: {message}\n")
        sys.exit(2)


def positive(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return v


def cell_list(text):
    allowed = [c + s for c in CELLS for s in ("", "+attn")]
    cells = [c.strip() for c in text.split(",") if c.strip()]
    bad = [c for c in cells if c not in allowed]
    if not cells or bad:
        raise argparse.ArgumentTypeError(f"cells must be among {','.join(allowed)}; got {text!r}")
    return cells


def task_list(text):
    tasks = [t.strip() for t in text.split(",") if t.strip()]
    if not tasks or any(t not in TASKS for t in tasks):
        raise argparse.ArgumentTypeError(f"tasks must be among {','.join(TASKS)}; got {text!r}")
    return tasks


def layer_list(text):
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected layer counts >= 1 separated by commas, got {text!r}")
    return values


def main(argv=None):
    p = Parser(prog="refgrad.py", description=__doc__,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder to write the JSON files into (created if missing)")
    p.add_argument("--seed", type=int, default=3, help="seed of data and weights (default 3)")
    p.add_argument("--B", type=positive, default=3, help="batch size (default 3)")
    p.add_argument("--T", type=positive, default=9, help=f"steps, at least {2 * COPY_LEN + 1} for copy (default 9)")
    p.add_argument("--H", type=positive, default=5, help="hidden width (default 5)")
    p.add_argument("--cells", type=cell_list, default=[c + s for c in CELLS for s in ("", "+attn")],
                   help=f"comma-separated cells, each optionally with +attn (default: all {2 * len(CELLS)})")
    p.add_argument("--tasks", type=task_list, default=list(TASKS), help="adding,copy (default both)")
    p.add_argument("--layers", type=layer_list, default=[1, 2], help="layer counts (default 1,2)")
    a = p.parse_args(argv)
    if a.T < 2:
        p.error(f"--T must be at least 2 (the adding task puts a marker in each half), got {a.T}")
    if "copy" in a.tasks and a.T < 2 * COPY_LEN + 1:
        p.error(f"--T must be at least {2 * COPY_LEN + 1} (the copy task needs {COPY_LEN} symbols, "
                f"a delimiter and {COPY_LEN} answer steps), got {a.T}")
    try:
        load_torch()
    except ImportError:
        p.error("PyTorch is not installed (pip install torch)")
    os.makedirs(a.out, exist_ok=True)
    for layers in a.layers:
        for cell in a.cells:
            for task in a.tasks:
                doc = build(cell, task, a.seed, a.B, a.T, a.H, layers)
                name = file_name(cell, task, a.seed, a.T, layers)
                write_atomic(os.path.join(a.out, name),
                             json.dumps(doc, separators=(",", ":"), allow_nan=False))
                print(f"{name}  loss={doc['loss']:.6g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
