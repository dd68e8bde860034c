#!/usr/bin/python3
"""torch_compare.py - the PyTorch side of `make perf` (perf/perf.sh).

    torch_compare.py check
    torch_compare.py step OPT [--amsgrad] [--n N] [--reps R] [--warmup W] [--threads T]
    torch_compare.py quad OPT [--n N] [--steps S] [--kappa K] [--threads T]
    torch_compare.py rosen [--steps S] [--threads T]

step:  one torch.optim step on a flat float64 vector of N parameters with a fixed
       gradient (the same pattern as perf/perf_step.c), gradient evaluation excluded;
       median of R timed steps after W warm-up steps.
quad:  the loop `x.grad = lam * x; opt.step()` for S steps on the N-dimensional diagonal
       quadratic of `optbench run --problem quadratic` (lam_i = kappa^((i-1)/(n-1)),
       x0 = 1), the same loop optbench times (gradient + update per step).
rosen: an Adam step on the 2-D Rosenbrock function from (-1.2, 1) with autograd
       (zero_grad, f, backward, step), as a torch user would write it.

torch.optim defaults throughout (lr as optbench's defaults, which are torch's); float64;
torch's default intra-op thread count unless --threads is given (it is reported).
Prints one machine-readable line per figure, `torch fig=... key=value ...`; with no
torch it prints "torch not available, skipped" and exits 0.
"""
import resource
import sys
import time


def maxrss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def median(v):
    s = sorted(v)
    k = len(s)
    return s[k // 2] if k % 2 else 0.5 * (s[k // 2 - 1] + s[k // 2])


def parse(argv, **defaults):
    opts = dict(defaults)
    i = 0
    pos = []
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            key = a[2:].replace("-", "_")
            if key not in opts:
                raise SystemExit("torch_compare.py: unknown option " + a)
            if isinstance(opts[key], bool):
                opts[key] = True
            else:
                i += 1
                opts[key] = type(opts[key])(argv[i])
        else:
            pos.append(a)
        i += 1
    return pos, opts


def make_opt(torch, name, params, amsgrad=False):
    o = torch.optim
    if name in ("gd", "sgd"):
        return o.SGD(params, lr=1e-2)
    if name == "momentum":
        return o.SGD(params, lr=1e-2, momentum=0.9)
    if name == "nag":
        return o.SGD(params, lr=1e-2, momentum=0.9, nesterov=True)
    if name == "rprop":
        return o.Rprop(params, lr=1e-2)
    if name == "adagrad":
        return o.Adagrad(params, lr=1e-2)
    if name == "rmsprop":
        return o.RMSprop(params, lr=1e-2)
    if name == "adam":
        return o.Adam(params, lr=1e-3, amsgrad=amsgrad)
    raise SystemExit("torch_compare.py: no torch optimizer for " + name)


def cmd_step(torch, argv):
    pos, a = parse(argv, amsgrad=False, n=10_000_000, reps=21, warmup=3, threads=0)
    name = pos[0]
    n = a["n"]
    g = torch.empty(n, dtype=torch.float64)
    for lo in range(0, n, 1 << 20):  # in chunks: no parameter-sized temporaries
        i = torch.arange(lo, min(n, lo + (1 << 20)), dtype=torch.int64)
        g[lo:lo + len(i)] = (((i * 2654435761) % 2001).to(torch.float64) - 1000.5) / 1000.5
    x = torch.ones(n, dtype=torch.float64, requires_grad=True)
    x.grad = g
    opt = make_opt(torch, name, [x], a["amsgrad"])
    ts = []
    with torch.no_grad():
        for r in range(a["warmup"] + a["reps"]):
            t0 = time.perf_counter()
            opt.step()
            t1 = time.perf_counter()
            if r >= a["warmup"]:
                ts.append(t1 - t0)
    print("torch fig=step opt=%s%s n=%d threads=%d reps=%d ms=%.3f min_ms=%.3f rss_kb=%d "
          "version=%s chk=%.6g" % (name, "-amsgrad" if a["amsgrad"] else "", n,
                                   torch.get_num_threads(), a["reps"], 1e3 * median(ts),
                                   1e3 * min(ts), maxrss_kb(), torch.__version__,
                                   float(x.detach()[::4099].sum())))


def cmd_quad(torch, argv):
    pos, a = parse(argv, n=10_000_000, steps=50, kappa=100.0, threads=0)
    name = pos[0]
    n, steps = a["n"], a["steps"]
    t_setup = time.perf_counter()
    lam = a["kappa"] ** (torch.arange(n, dtype=torch.float64) / (n - 1))
    x = torch.ones(n, dtype=torch.float64, requires_grad=True)
    opt = make_opt(torch, name, [x])
    t0 = time.perf_counter()
    ts = []
    with torch.no_grad():
        for _ in range(steps):
            s0 = time.perf_counter()
            x.grad = lam * x
            opt.step()
            ts.append(time.perf_counter() - s0)
    t1 = time.perf_counter()
    f = float(0.5 * (lam * x.detach() * x.detach()).sum())
    print("torch fig=quad opt=%s n=%d steps=%d threads=%d s_per_step=%.6g median_step=%.6g "
          "loop_s=%.4f setup_s=%.4f rss_kb=%d final_loss=%.17g"
          % (name, n, steps, torch.get_num_threads(), (t1 - t0) / steps, median(ts), t1 - t0,
             t0 - t_setup, maxrss_kb(), f))


def cmd_rosen(torch, argv):
    _, a = parse(argv, steps=10000, threads=0)
    steps = a["steps"]
    x = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([x], lr=1e-3)
    for _ in range(100):  # warm-up on a copy's trajectory would differ; a few steps do
        opt.zero_grad()
        f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        f.backward()
        opt.step()
    t0 = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad()
        f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        f.backward()
        opt.step()
    t1 = time.perf_counter()
    print("torch fig=rosen opt=adam steps=%d threads=%d s_per_step=%.6g rss_kb=%d"
          % (steps, torch.get_num_threads(), (t1 - t0) / steps, maxrss_kb()))


def main(argv):
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install
        print("torch not available, skipped (%s: %s)" % (type(e).__name__, e))
        return 0
    if len(argv) < 1:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    for k, v in enumerate(rest):  # --threads T: set before any work
        if v == "--threads" and k + 1 < len(rest) and int(rest[k + 1]) > 0:
            torch.set_num_threads(int(rest[k + 1]))
    if cmd == "check":
        print("torch ok version=%s threads=%d rss_kb=%d"
              % (torch.__version__, torch.get_num_threads(), maxrss_kb()))
    elif cmd == "step":
        cmd_step(torch, rest)
    elif cmd == "quad":
        cmd_quad(torch, rest)
    elif cmd == "rosen":
        cmd_rosen(torch, rest)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
