"""The PyTorch models of the bench's torch peer, as a PyTorch user would write them, for every bench
cell NAME[+attn][×L] (see peers/peer_common.py):

- rnn_tanh, rnn_relu, lstm, gru: PyTorch's own layers (nn.RNN, nn.LSTM, nn.GRU; num_layers=L);
- mingru: a plain module after CELLS.md's minGRU section (Feng et al. 2024, the sequential form):
  one input projection a = x W_x + b over the whole sequence, then a loop over its steps (unbound
  once, as a careful user writes it: indexing x[:, t] per step costs O(T²) in the backward),
  h_t = (1 − σ(a_z)) ⊙ h_{t−1} + σ(a_z) ⊙ a_c;
- exprnn: a plain module after CELLS.md's expRNN section (Lezcano-Casado & Martínez-Rubio 2019):
  W_h = torch.linalg.matrix_exp(A − Aᵀ) once per training step, a = x_t W_x + h_{t−1} W_h,
  h_t = modReLU(a) = sign(a) ⊙ relu(|a| + b);
- +attn: CELLS.md's attention readout, q = h_{T−1} W_q, w = softmax_t(h_t · q / √H),
  ctx = Σ_t w_t h_t, the head reading [h_{T−1}; ctx];
- ×L: L layers, layer k ≥ 1 over layer k−1's states.

The head is linear on h_{T−1} (or [h_{T−1}; ctx]), the loss the adding problem's mean squared
error. `reference_params` maps the models' weights to the names of the reference-gradient files
(fixtures/grads/, CELLS.md), so `train_step.py --check` can prove each model computes the
contract's loss and gradients.
"""
import math

import torch

from peer_common import NATIVE, parse_cell

# The cells with a plain-module implementation here, besides PyTorch's own layers.
MODULES = ("mingru", "exprnn")
BASES = NATIVE + MODULES


class MinGRU(torch.nn.Module):
    """One minGRU layer: [B, T, I] -> [B, T, H]."""

    def __init__(self, I, H):
        super().__init__()
        self.H = H
        self.proj = torch.nn.Linear(I, 2 * H)  # W_x, b: a = [a_z | a_c]

    def forward(self, x):
        az, ac = self.proj(x).split(self.H, dim=-1)
        h = x.new_zeros(x.shape[0], self.H)
        hs = []
        # unbind, not u[:, t]: indexing one step at a time makes autograd scatter every step's
        # gradient into a zero tensor of the whole sequence, O(T²) work.
        for u, c in zip(torch.sigmoid(az).unbind(1), ac.unbind(1)):
            h = (1 - u) * h + u * c
            hs.append(h)
        return torch.stack(hs, 1)


class ExpRNN(torch.nn.Module):
    """One expRNN layer: [B, T, I] -> [B, T, H]; W_h = expm(A − Aᵀ) is orthogonal."""

    def __init__(self, I, H):
        super().__init__()
        self.W_x = torch.nn.Linear(I, H, bias=False)
        # A − Aᵀ block-diagonal with 2×2 blocks [[0, θ], [−θ, 0]], θ ~ U(−π, π) (Henaff, Szlam &
        # LeCun 2016, the paper's initialisation); the modReLU bias as the authors' code, U(±0.01).
        A = torch.zeros(H, H)
        theta = (torch.rand(H // 2) * 2 - 1) * math.pi
        A[torch.arange(0, H - 1, 2), torch.arange(1, H, 2)] = theta
        self.A = torch.nn.Parameter(A)
        self.b = torch.nn.Parameter((torch.rand(H) * 2 - 1) * 0.01)

    def forward(self, x):
        W_h = torch.linalg.matrix_exp(self.A - self.A.T)
        h = x.new_zeros(x.shape[0], self.A.shape[0])
        hs = []
        for xp in self.W_x(x).unbind(1):  # unbind: see MinGRU
            a = xp + h @ W_h
            h = torch.sign(a) * torch.relu(a.abs() + self.b)
            hs.append(h)
        return torch.stack(hs, 1)


class Stack(torch.nn.Module):
    """Layers run one over the other, returning the top layer's states (as nn.RNN does, with
    a second value for the same call shape)."""

    def __init__(self, layers):
        super().__init__()
        self.layers = torch.nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x, None


class Readout(torch.nn.Module):
    """The linear head on h_{T−1}, or on [h_{T−1}; ctx] with CELLS.md's attention readout."""

    def __init__(self, H, attention):
        super().__init__()
        self.H = H
        self.W_q = torch.nn.Linear(H, H, bias=False) if attention else None
        self.out = torch.nn.Linear(2 * H if attention else H, 1)

    def forward(self, hs):
        last = hs[:, -1]
        if self.W_q is None:
            return self.out(last).squeeze(1)
        q = self.W_q(last)
        w = torch.softmax(torch.bmm(hs, q.unsqueeze(2)).squeeze(2) / math.sqrt(self.H), dim=1)
        ctx = torch.bmm(w.unsqueeze(1), hs).squeeze(1)
        return self.out(torch.cat([last, ctx], 1)).squeeze(1)


def build(cell, I, H):
    """(recurrent module, readout) of a bench cell; the module maps [B, T, I] to ([B, T, H], _)."""
    base, attention, layers = parse_cell(cell)
    if base == "rnn_tanh" or base == "rnn_relu":
        rnn = torch.nn.RNN(I, H, layers, nonlinearity=base[4:], batch_first=True)
    elif base == "lstm":
        rnn = torch.nn.LSTM(I, H, layers, batch_first=True)
    elif base == "gru":
        rnn = torch.nn.GRU(I, H, layers, batch_first=True)
    elif base in MODULES:
        layer = MinGRU if base == "mingru" else ExpRNN
        rnn = Stack([layer(I if k == 0 else H, H) for k in range(layers)])
    else:
        raise ValueError(f"no torch model for {cell!r}")
    return rnn, Readout(H, attention)


def loss_of(rnn, head, x, y):
    """The adding problem's loss: mean over the batch of (ŷ − y)²."""
    out, _ = rnn(x)
    return ((head(out) - y) ** 2).mean()


def reference_params(cell, rnn, head):
    """[(file name, tensor, transposed)]: where each parameter of a reference file (CELLS.md names,
    `l{k}.` prefixed with several layers) lives in the models. PyTorch's layers keep W_xᵀ and W_hᵀ
    (weight_ih, weight_hh; the same gate orders, LSTM i,f,g,o and GRU r,z,n), b in bias_ih and b_h
    in bias_hh (GRU); the file has no b_h for RNN and LSTM, whose bias_hh stays zero."""
    base, attention, layers = parse_cell(cell)
    out = []
    for k in range(layers):
        pre = f"l{k}." if layers > 1 else ""
        if base in NATIVE:
            out += [(pre + "W_x", getattr(rnn, f"weight_ih_l{k}"), True),
                    (pre + "W_h", getattr(rnn, f"weight_hh_l{k}"), True),
                    (pre + "b", getattr(rnn, f"bias_ih_l{k}"), False)]
            bias_hh = getattr(rnn, f"bias_hh_l{k}")
            if base == "gru":
                out.append((pre + "b_h", bias_hh, False))
            else:
                with torch.no_grad():
                    bias_hh.zero_()
        elif base == "mingru":
            layer = rnn.layers[k]
            out += [(pre + "W_x", layer.proj.weight, True), (pre + "b", layer.proj.bias, False)]
        else:
            layer = rnn.layers[k]
            out += [(pre + "W_x", layer.W_x.weight, True), (pre + "A", layer.A, False),
                    (pre + "b", layer.b, False)]
    out += [("W_o", head.out.weight, True), ("b_o", head.out.bias, False)]
    if attention:
        out.append(("W_q", head.W_q.weight, True))
    return out


def check_reference(ref):
    """Replays one adding-problem reference file (parsed JSON) through the model of its cell in
    float64: the largest relative errors of the loss and of the parameter gradients (each array's
    error over its largest magnitude)."""
    layers = ref.get("layers", 1)
    cell = ref["cell"] + (f"×{layers}" if layers > 1 else "")
    torch.manual_seed(0)
    rnn, head = build(cell, ref["I"], ref["H"])
    rnn, head = rnn.double(), head.double()
    named = reference_params(cell, rnn, head)
    with torch.no_grad():
        for name, p, transposed in named:
            v = torch.tensor(ref["params"][name], dtype=torch.float64)
            p.copy_(v.T if transposed else v)
    x = torch.tensor(ref["x"], dtype=torch.float64)
    y = torch.tensor(ref["y"], dtype=torch.float64).reshape(-1)
    loss = loss_of(rnn, head, x, y)
    loss.backward()
    loss_err = abs(loss.item() - ref["loss"]) / max(abs(ref["loss"]), 1e-300)
    grad_err = 0.0
    for name, p, transposed in named:
        want = torch.tensor(ref["param_grads"][name], dtype=torch.float64)
        got = p.grad.T if transposed else p.grad
        grad_err = max(grad_err, ((got - want).abs().max() / want.abs().max().clamp_min(1e-300)).item())
    return {"cell": cell, "loss": loss.item(), "loss_rel_err": loss_err, "grad_rel_err": grad_err}
