#!/usr/bin/python3
"""torch_nets.py - PyTorch's side of `make perf-nets`: seconds per epoch of the same
network training as `optbench train` (Fashion-MNIST, 54000 training samples after 6000
held out for validation, batch 128, Adam lr 1e-3, the last batch partial), median over
the epochs.  Timed: shuffle, batch indexing, forward, loss, zero_grad, backward, step;
not timed: loading, evaluation.

usage: torch_nets.py --net softmax|netA|netB --precision float32|float64
                     [--epochs 5] [--threads 1] [--seed 1]
Set OPENBLAS_NUM_THREADS in the environment for OpenBLAS's threads (Debian's torch
does its GEMMs through OpenBLAS).  Prints one line: net precision threads median_s acc.
Exits 0 with a note on stderr when torch is not installed (the project never needs it).
"""
import argparse
import gzip
import os
import statistics
import sys
import time

try:
    import numpy as np
    import torch
except ImportError:
    print("torch_nets.py: python3-torch is not installed; skipping", file=sys.stderr)
    sys.exit(0)

DIR = "/usr/share/datasets/fashion-mnist"
HIDDEN = {"softmax": [], "netA": [300], "netB": [300, 100]}


def idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(name):
    for suffix in ("", ".gz"):
        if os.path.exists(os.path.join(DIR, name + suffix)):
            return os.path.join(DIR, name + suffix)
    raise SystemExit("torch_nets.py: %s not found in %s" % (name, DIR))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--net", default="netA", choices=sorted(HIDDEN))
    ap.add_argument("--precision", default="float32", choices=["float32", "float64"])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dt = torch.float32 if a.precision == "float32" else torch.float64
    x = torch.tensor(idx(find("train-images-idx3-ubyte")).reshape(60000, -1), dtype=dt) / 255
    y = torch.tensor(idx(find("train-labels-idx1-ubyte")), dtype=torch.long)
    xt = torch.tensor(idx(find("t10k-images-idx3-ubyte")).reshape(10000, -1), dtype=dt) / 255
    yt = torch.tensor(idx(find("t10k-labels-idx1-ubyte")), dtype=torch.long)
    perm = torch.randperm(60000)
    x, y = x[perm[6000:]].contiguous(), y[perm[6000:]].contiguous()
    sizes = [784] + HIDDEN[a.net] + [10]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).to(dt)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()
    n, B = x.shape[0], 128
    times = []
    for _ in range(a.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n)
        for lo in range(0, n, B):
            i = order[lo:lo + B]
            xb, yb = x[i], y[i]
            loss = lossf(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        acc = (model(xt).argmax(1) == yt).double().mean().item()
    print("%s %s threads=%d openblas=%s %.4f %.4f" % (
        a.net, a.precision, a.threads, os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        statistics.median(times), acc))


if __name__ == "__main__":
    main()
