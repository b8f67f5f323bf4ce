#!/usr/bin/env python3
"""Checks refgrad.py's hand-written recurrences from the outside, in float64.

1. Against PyTorch's own layers, on the weights of every committed case: torch.nn.RNN (tanh,
   relu; IndRNN as relu with W_hh = diag(u)), torch.nn.LSTM and torch.nn.GRU with num_layers = 1
   and 2, driven one step at a time so that their h_n is every h_t; attention through
   F.scaled_dot_product_attention, losses through F.mse_loss / F.cross_entropy. rnn_leaky runs
   as F.linear + F.leaky_relu, minGRU as the unrolled closed form h_t = sum_s u_s c_s
   prod_{j>s} (1 - u_j) of Feng et al. 2024. States, loss, ||dL/dh_t|| and dL/dparam must agree
   to 1e-12 (relative to each array's largest magnitude).
2. Central finite differences (eps 1e-6) of the loss for two parameter entries per case and one
   direction of dL/dh_t per case: must agree to 1e-6 relative.
3. The committed files in --fixtures are exactly what refgrad.py writes now (byte for byte).
4. (Printed, not required) refgrad.py's math on the params/x/y of the independent files in
   ../shared/reference/grads and grads-stacked (from the repository root), against their loss,
   norms and gradients.

  python3 peers/torch/refgrad_selfcheck.py [--fixtures fixtures/grads] [--shared DIR ...]

Exits 0 when checks 1-3 pass, 1 otherwise.
"""

import argparse
import glob
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refgrad as rg  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
torch = rg.load_torch()
F = torch.nn.functional
f64 = torch.float64


def rel_err(a, b):
    """max |a - b| / max(|b|, tiny): the error relative to the array's largest magnitude."""
    a = torch.as_tensor(a, dtype=f64).detach()
    b = torch.as_tensor(b, dtype=f64).detach()
    return float((a - b).abs().max() / max(float(b.abs().max()), 1e-300))


def tensors(doc):
    P = {k: torch.tensor(v, dtype=f64, requires_grad=True) for k, v in doc["params"].items()}
    X = torch.tensor(doc["x"], dtype=f64)
    Y = torch.tensor(doc["y"], dtype=f64 if doc["task"] == "adding" else torch.long)
    return P, X, Y


# ---------------------------------------------------------------- 1. the outside path

def torch_module(base, P, I, H, layers):
    """A torch.nn.RNN/LSTM/GRU whose weights are *views* of our parameters (so grads flow back to
    P): PyTorch stores weight_ih [G*H, I] = W_x^T and weight_hh [G*H, H] = W_h^T, LSTM gates in
    the order i, f, g, o and GRU gates r, z, n, as docs/cells.md. RNN/LSTM have one bias in docs/cells.md:
    b_ih = b, b_hh = 0; GRU: b_ih = b, b_hh = b_h."""
    kind = {"rnn_tanh": "RNN", "rnn_relu": "RNN", "irnn": "RNN", "indrnn": "RNN", "lstm": "LSTM",
            "gru": "GRU"}[base]
    kw = {"nonlinearity": "tanh" if base == "rnn_tanh" else "relu"} if kind == "RNN" else {}
    mod = getattr(torch.nn, kind)(I, H, num_layers=layers, batch_first=True, dtype=f64, **kw)
    weights = {}
    for k in range(layers):
        p = rg.layer_params(P, k, layers)
        W_h = torch.diag(p["u"]) if base == "indrnn" else p["W_h"]  # IndRNN: diagonal recurrence
        weights[f"weight_ih_l{k}"] = p["W_x"].t()
        weights[f"weight_hh_l{k}"] = W_h.t()
        weights[f"bias_ih_l{k}"] = p["b"]
        weights[f"bias_hh_l{k}"] = p["b_h"] if base == "gru" else torch.zeros_like(p["b"])
    return mod, weights


def nn_sequence(base, P, X, layers, H):
    """One call of a num_layers=L PyTorch layer over the whole sequence: the top layer's h_t for
    every t, and every layer's last state h_n[k]."""
    mod, weights = torch_module(base, P, X.shape[2], H, layers)
    out, hn = torch.func.functional_call(mod, weights, (X,))
    if base == "lstm":
        hn = hn[0]
    return list(out.unbind(1)), list(hn.unbind(0))


def nn_steps(base, P, X, layers, H):
    """hs[k][t] from single-layer PyTorch layers driven one step at a time; each hs[k][t] is the
    very tensor that step t+1 of layer k, step t of layer k+1 and the head read, so its .grad after
    backward() is the total derivative dL/dh_t."""
    B, T, _ = X.shape
    hs, inp = [], list(X.unbind(1))
    for k in range(layers):
        mod, weights = torch_module(base, rg.layer_params(P, k, layers), inp[0].shape[1], H, 1)
        h = torch.zeros(1, B, H, dtype=f64)
        c = torch.zeros(1, B, H, dtype=f64)
        out = []
        for t in range(T):
            x1 = inp[t].unsqueeze(1)
            if base == "lstm":
                _, (h, c) = torch.func.functional_call(mod, weights, (x1, (h, c)))
            else:
                _, h = torch.func.functional_call(mod, weights, (x1, h))
            ht = h[0]
            ht.retain_grad()
            out.append(ht)
            h = ht.unsqueeze(0)
        hs.append(out)
        inp = out
    return hs


def formula_states(base, P, X, layers, alpha, H):
    """hs[k][t] for the cells PyTorch has no layer for, written differently from refgrad.step:
    rnn_leaky as F.linear + F.leaky_relu; minGRU as its unrolled closed form (every h_t a sum over
    s <= t, none reading h_{t-1}, so there .grad would be the head's share only); expRNN with
    W_h = expm(X) from the eigendecomposition of the Hermitian matrix -iX = U diag(mu) U^H
    (X = A - A^T skew-symmetric, so expm(X) = U diag(e^{i mu}) U^H) instead of matrix_exp, and
    modReLU as relu(|a| + b) * a / |a|."""
    B, T, _ = X.shape
    hs, inp = [], X
    for k in range(layers):
        p = rg.layer_params(P, k, layers)
        out = []
        if base == "exprnn":
            X_ = p["A"] - p["A"].t()
            mu, U = torch.linalg.eigh(-1j * X_.to(torch.complex128))
            W_h = ((U * torch.exp(1j * mu)) @ U.conj().t()).real
            h = torch.zeros(B, H, dtype=f64)
            for t in range(T):
                a = inp[:, t] @ p["W_x"] + h @ W_h
                h = F.relu(a.abs() + p["b"]) * torch.where(a == 0, 0.0, a / a.abs())
                h.retain_grad()
                out.append(h)
        elif base == "rnn_leaky":
            h = torch.zeros(B, H, dtype=f64)
            for t in range(T):
                h = F.leaky_relu(F.linear(inp[:, t], p["W_x"].t(), p["b"]) + F.linear(h, p["W_h"].t()),
                                 negative_slope=alpha)
                h.retain_grad()
                out.append(h)
        else:
            az, ac = (inp @ p["W_x"] + p["b"]).chunk(2, dim=2)   # [B, T, H]
            u = torch.sigmoid(az)
            for t in range(T):
                out.append(sum(u[:, s] * ac[:, s] * torch.prod(1 - u[:, s + 1:t + 1], dim=1)
                               for s in range(t + 1)))
        hs.append(out)
        inp = torch.stack(out, dim=1)
    return hs


def outside_loss(task, h_top, P, Y, attn, H):
    ctx = None
    if attn:
        S = torch.stack(h_top, dim=1)
        q = (h_top[-1] @ P["W_q"]).unsqueeze(1)                          # [B, 1, H]
        ctx = F.scaled_dot_product_attention(q, S, S).squeeze(1)         # scale 1/sqrt(H)
    feat = (lambda h: torch.cat([h, ctx], 1)) if attn else (lambda h: h)
    if task == "adding":
        return F.mse_loss(F.linear(feat(h_top[-1]), P["W_o"].t(), P["b_o"]), Y)
    logits = torch.stack([F.linear(feat(h), P["W_o"].t(), P["b_o"]) for h in h_top], 1)
    return F.cross_entropy(logits.reshape(-1, logits.shape[2]), Y.reshape(-1))


def check_outside(doc):
    """Max relative differences (states, loss, grad norms, param grads) of refgrad vs outside."""
    base, attn = rg.split_cell(doc["cell"])
    layers, H, alpha, task = doc.get("layers", 1), doc["H"], doc["alpha"], doc["task"]
    P, X, Y = tensors(doc)
    hs = rg.run_layers(base, P, X, layers, alpha, H)
    loss = rg.head_loss(task, hs[-1], P, Y, attn, H)
    loss.backward()
    ours = {k: v.grad.clone() for k, v in P.items()}
    our_norms = [[float(h.grad.norm()) for h in layer] for layer in hs]
    r = {}
    Q, _, _ = tensors(doc)
    if base in ("rnn_leaky", "mingru", "exprnn"):
        hs2 = formula_states(base, Q, X, layers, alpha, H)
        r["states"] = max(rel_err(torch.stack(a), torch.stack(b)) for a, b in zip(hs, hs2))
        loss2 = outside_loss(task, hs2[-1], Q, Y, attn, H)
        loss2.backward()
        if base in ("rnn_leaky", "exprnn"):
            r["norms"] = max(rel_err(a, [float(h.grad.norm()) for h in b]) for a, b in zip(our_norms, hs2))
    else:
        # num_layers = L over the whole sequence: top states, last states, loss and param grads
        top, last = nn_sequence(base, Q, X, layers, H)
        r["states"] = max(rel_err(torch.stack(top), torch.stack(hs[-1])),
                          max(rel_err(a, b[-1]) for a, b in zip(last, hs)))
        loss2 = outside_loss(task, top, Q, Y, attn, H)
        loss2.backward()
        # single-layer modules step by step: every state, and the total dL/dh_t
        R, _, _ = tensors(doc)
        hs3 = nn_steps(base, R, X, layers, H)
        outside_loss(task, hs3[-1], R, Y, attn, H).backward()
        r["states"] = max(r["states"], max(rel_err(torch.stack(a), torch.stack(b)) for a, b in zip(hs, hs3)))
        r["norms"] = max(rel_err(a, [float(h.grad.norm()) for h in b]) for a, b in zip(our_norms, hs3))
        r["grads"] = max(rel_err(ours[k], R[k].grad) for k in ours)
    r["loss"] = rel_err(float(loss.detach()), float(loss2.detach()))
    r["grads"] = max(r.get("grads", 0.0), max(rel_err(ours[k], Q[k].grad) for k in ours))
    return r


# ---------------------------------------------------------------- 2. finite differences

def loss_of(doc, P, nudge=None):
    base, attn = rg.split_cell(doc["cell"])
    _, X, Y = tensors(doc)
    with torch.no_grad():
        hs = rg.run_layers(base, P, X, doc.get("layers", 1), doc["alpha"], doc["H"], nudge)
        return float(rg.head_loss(doc["task"], hs[-1], P, Y, attn, doc["H"]))


def check_fd(doc, rng, eps=1e-6):
    """Relative errors of two central-difference param entries and one dL/dh_t direction."""
    layers = doc.get("layers", 1)
    P = {k: torch.tensor(v, dtype=f64) for k, v in doc["params"].items()}
    g = {k: torch.tensor(v, dtype=f64) for k, v in doc["param_grads"].items()}
    prefix = "l0." if layers > 1 else ""
    rec = {"indrnn": "u", "mingru": "b", "exprnn": "A"}.get(rg.split_cell(doc["cell"])[0], "W_h")
    names = [prefix + "W_x", (f"l{layers - 1}." if layers > 1 else "") + rec]
    errs = []
    for name in names:
        flat = P[name].view(-1)
        i = rng.randrange(flat.numel())
        old = float(flat[i])
        flat[i] = old + eps
        up = loss_of(doc, P)
        flat[i] = old - eps
        down = loss_of(doc, P)
        flat[i] = old
        fd, an = (up - down) / (2 * eps), float(g[name].view(-1)[i])
        errs.append(abs(fd - an) / max(float(g[name].abs().max()), 1e-12))
    # dL/dh_t of layer k along a random direction v, against the retained total derivative
    base, attn = rg.split_cell(doc["cell"])
    Pg, X, Y = tensors(doc)
    hs = rg.run_layers(base, Pg, X, layers, doc["alpha"], doc["H"])
    rg.head_loss(doc["task"], hs[-1], Pg, Y, attn, doc["H"]).backward()
    k, t = rng.randrange(layers), rng.randrange(doc["T"] - 1)  # t < T-1: goes through later steps
    v = torch.tensor(rg.normal(rng, [doc["B"], doc["H"]], 1.0), dtype=f64)
    fd = (loss_of(doc, P, {(k, t): eps * v}) - loss_of(doc, P, {(k, t): -eps * v})) / (2 * eps)
    an = float((hs[k][t].grad * v).sum())
    errs.append(abs(fd - an) / max(float(hs[k][t].grad.norm() * v.norm()), 1e-12))
    # the file's norm is this gradient's norm
    errs.append(rel_err(doc["grad_h_norms_by_layer"][k][t] if layers > 1 else doc["grad_h_norms"][t],
                        float(hs[k][t].grad.norm())))
    return max(errs)


def activity(doc):
    """For relu-type cells: the share of units off (relu, h = 0) or on the alpha slope (leaky,
    h < 0) over all layers, steps and rows, and the smallest |pre-activation|. A float32 engine
    reproduces the kinks only if no pre-activation sits within rounding of 0, so that margin
    must be at least KINK_MARGIN. Returns (text, margin)."""
    base, _ = rg.split_cell(doc["cell"])
    if base not in ("rnn_relu", "irnn", "indrnn", "rnn_leaky", "exprnn"):
        return "", math.inf
    layers = doc.get("layers", 1)
    P, X, _ = tensors(doc)
    with torch.no_grad():
        hs = rg.run_layers(base, P, X, layers, doc["alpha"], doc["H"])
        margin, inp = math.inf, list(X.unbind(1))
        for k in range(layers):
            p = rg.layer_params(P, k, layers)
            for t in range(doc["T"]):
                prev = hs[k][t - 1] if t else torch.zeros_like(hs[k][0])
                if base == "exprnn":  # the kinks of modReLU: a = 0 and |a| + b = 0
                    a = inp[t] @ p["W_x"] + prev @ torch.linalg.matrix_exp(p["A"] - p["A"].t())
                    margin = min(margin, float(a.abs().min()), float((a.abs() + p["b"]).abs().min()))
                    continue
                rec = p["u"] * prev if base == "indrnn" else prev @ p["W_h"]
                margin = min(margin, float((inp[t] @ p["W_x"] + rec + p["b"]).abs().min()))
            inp = hs[k]
        h = torch.stack([torch.stack(layer) for layer in hs])
    share = float((h < 0).double().mean()) if base == "rnn_leaky" else float((h == 0).double().mean())
    return f" {'negative' if base == 'rnn_leaky' else 'off'}={share:.2f} kink={margin:.1e}", margin


KINK_MARGIN = 1e-5


# ---------------------------------------------------------------- 4. the independent files

def check_shared(path):
    d = json.load(open(path))
    loss, norms, grads = rg.compute(d["cell"], d["task"], d["params"], d["x"], d["y"],
                                    d.get("layers", 1), d["alpha"])
    e = {"loss": rel_err(loss, d["loss"]), "norms": rel_err(norms[-1], d["grad_h_norms"]),
         "grads": max(rel_err(grads[k], d["param_grads"][k]) for k in d["param_grads"])}
    if "grad_h_norms_by_layer" in d:
        e["norms"] = max(e["norms"], rel_err(norms, d["grad_h_norms_by_layer"]))
    if set(grads) != set(d["param_grads"]):
        e["names"] = float("inf")
    return e


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "reference"))
    p.add_argument("--fixtures", default=os.path.join(ROOT, "fixtures", "grads"),
                   help="folder of refgrad.py's files to check (default fixtures/grads)")
    p.add_argument("--shared", nargs="*", metavar="DIR",
                   default=[os.path.join(shared, "grads"), os.path.join(shared, "grads-stacked")],
                   help="folders of independent reference files to compare against, informational "
                        "(default ../shared/reference/grads and grads-stacked; none: skip)")
    a = p.parse_args()
    files = sorted(glob.glob(os.path.join(a.fixtures, "*.json")))
    if not files:
        print(f"no fixtures in {a.fixtures}", file=sys.stderr)
        return 1
    ok = True
    rng = random.Random("refgrad-selfcheck")
    worst = {"states": 0.0, "loss": 0.0, "norms": 0.0, "grads": 0.0, "fd": 0.0}
    stale, kink = 0, math.inf
    print("1+2. outside path (torch.nn layers, SDPA, F losses) and finite differences, per fixture")
    for path in files:
        doc = json.load(open(path))
        r = check_outside(doc)
        r["fd"] = check_fd(doc, rng)
        # 3. the fixture is what the generator writes now
        layers = doc.get("layers", 1)
        fresh = json.dumps(rg.build(doc["cell"], doc["task"], doc["seed"], doc["B"], doc["T"], doc["H"],
                                    layers), separators=(",", ":"), allow_nan=False)
        same = fresh == open(path).read()
        text, margin = activity(doc)
        bad = [k for k, v in r.items() if v > (1e-6 if k == "fd" else 1e-12)]
        bad += ([] if same else ["stale (rerun refgrad.py)"]) + ([] if margin >= KINK_MARGIN else ["kink"])
        ok = ok and not bad
        stale += 0 if same else 1
        kink = min(kink, margin)
        for k, v in r.items():
            worst[k] = max(worst[k], v)
        print(f"  {os.path.basename(path):36s} " + " ".join(f"{k}={v:.1e}" for k, v in sorted(r.items()))
              + text + ("  FAIL " + ",".join(bad) if bad else ""))
    print(f"  worst over {len(files)} files: " + " ".join(f"{k}={v:.1e}" for k, v in worst.items())
          + f" (limits 1e-12, fd 1e-6); smallest relu/leaky |pre-activation| {kink:.1e}"
          + f" (limit {KINK_MARGIN:.0e})")
    print(f"3. fixtures identical to a fresh run of refgrad.py: {len(files) - stale}/{len(files)}")

    print("4. refgrad.py on the independent shared files (informational)")
    sw = {"loss": 0.0, "norms": 0.0, "grads": 0.0}
    n = 0
    for folder in a.shared:
        for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
            e = check_shared(path)
            n += 1
            for k in sw:
                sw[k] = max(sw[k], e[k])
            print(f"  {os.path.basename(path):36s} " + " ".join(f"{k}={v:.1e}" for k, v in e.items()))
    if not n:
        print("  (no files found; skipped)")
    else:
        print(f"  worst over {n} files: " + " ".join(f"{k}={v:.1e}" for k, v in sw.items()))
    print("selfcheck " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
