"""Reference implementation of rnn-gradbench's dataset generators (src/data/*.ts) for Python peers.

Written from the module docs of rng.ts, adding.ts and copy.ts only, so that it checks that they
say enough: src/data/peer_test.ts runs it and requires byte-identical .npy files.

    python3 _peer_reference.py adding T SEED STREAM N VARIANT OUT_PREFIX
    python3 _peer_reference.py copy   T SEED STREAM N SYMBOLS OUT_PREFIX

writes OUT_PREFIX_x.npy and OUT_PREFIX_y.npy with numpy.save. STREAM is 1 (train) or 2 (test).
Plain Python integers, so slow: meant for small checks, not for generating large datasets.
"""

import sys

import numpy as np

M32 = (1 << 32) - 1
M64 = (1 << 64) - 1


def splitmix64(state):
    """Returns (output, next_state) of splitmix64 (Steele, Lea & Flood 2014)."""
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31), state


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Xoshiro128StarStar:
    """xoshiro128** 1.1 (Blackman & Vigna), seeded as in rng.ts."""

    def __init__(self, seed, stream):
        a, st = splitmix64(seed ^ (stream << 56))
        b, _ = splitmix64(st)
        self.s = [a & M32, a >> 32, b & M32, b >> 32]

    def next_uint32(self):
        s = self.s
        result = (rotl((s[1] * 5) & M32, 7) * 9) & M32
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def next_float(self):
        return (self.next_uint32() >> 8) * 2.0**-24

    def uniform_int(self, n):
        limit = 2**32 - (2**32 % n)
        u = self.next_uint32()
        while u >= limit:
            u = self.next_uint32()
        return u % n


def adding(rng, T, variant, B):
    x = np.zeros((B, T, 2), np.float32)
    y = np.zeros((B,), np.float32)
    for b in range(B):
        for t in range(T):
            x[b, t, 0] = rng.next_float()
        if variant == "arjovsky":
            half = T // 2
            p = rng.uniform_int(half)
            q = half + rng.uniform_int(T - half)
        else:
            p = rng.uniform_int(T)
            q = rng.uniform_int(T - 1)
            if q >= p:
                q += 1
        x[b, p, 1] = 1
        x[b, q, 1] = 1
        y[b] = np.float32(float(x[b, p, 0]) + float(x[b, q, 0]))
    return x, y


def copy(rng, T, S, B):
    L = T + 2 * S
    x = np.zeros((B, L, 10), np.float32)
    y = np.zeros((B, L), np.int32)
    for b in range(B):
        symbols = [1 + rng.uniform_int(8) for _ in range(S)]
        seq = symbols + [0] * (T - 1) + [9] + [0] * S
        x[b, np.arange(L), seq] = 1
        y[b, T + S :] = symbols
    return x, y


def main(argv):
    task, T, seed, stream, n, param, prefix = argv
    rng = Xoshiro128StarStar(int(seed), int(stream))
    if task == "adding":
        x, y = adding(rng, int(T), param, int(n))
    else:
        x, y = copy(rng, int(T), int(param), int(n))
    np.save(prefix + "_x.npy", x)
    np.save(prefix + "_y.npy", y)


if __name__ == "__main__":
    main(sys.argv[1:])
