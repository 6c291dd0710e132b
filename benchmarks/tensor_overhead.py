"""What does recording a Tensor op cost on top of the NumPy work it does?

Run it from the repository root::

    python benchmarks/tensor_overhead.py            # about two minutes
    python benchmarks/tensor_overhead.py --quick    # a few seconds, rougher figures

Three workloads, each timed as forward and backward, many runs, medians (the garbage
collector stays on, as users have it):

* **per-op overhead**: a chain ``y = y * c`` of 300 ops on 64×64 float32 arrays,
  ``c`` a constant. The baseline is the same computation as a learner would write it by
  hand in NumPy: the forward keeps every intermediate array (a hand-written backprop
  needs them), the backward runs ``g = g * c`` down the chain. The overhead per op is
  (chainrule − NumPy) / 300. Goal: at most 5 µs forward + backward together.
  The hand-written backward frees each forward array once it has used it, and each
  gradient once it has the next; chainrule's graph keeps all of them (every node keeps
  its data and its ``.grad``, for learners to inspect), so it needs fresh memory, whose
  first touch costs page faults (dear in a virtual machine). A second baseline keeps
  every array too: the difference to it is the Python overhead alone.
* **mixed chain**: ``y = tanh(y * c + d)``, three ops per step, with its hand-written
  backprop (``g · (1 − y²)``, ``g · c``) as the baseline: a closer look at a layer.
* **large matmul**: ``C = A @ B`` with 1024×1024 float32 operands, backward
  ``∂A = G @ Bᵀ``, ``∂B = Aᵀ @ G``; the ratio of chainrule's time to the same three NumPy
  calls. Goal: at most 1.05.

If PyTorch is installed, the same workloads run on ``torch`` CPU tensors in the same
process, with the same hand-written baseline in torch (under ``torch.no_grad()``), so
PyTorch's own per-op overhead is measured the same way.

Two things chainrule does that PyTorch does not, and that the figures include: every
intermediate node keeps its ``.grad`` (learners inspect them, as with ``Value``), and a
leaf's gradient is copied once so that the user owns it.

Timings on a shared machine are noisy: when another process wants the core, a run
loses a whole scheduler tick (several ms). Hence many short runs (a few ms each, so
most are not interrupted), interleaved (a burst of load hits every contender alike),
and medians; an overhead is the median of the differences within each round. The best
run is printed too ("best": differences of the best runs), as an idle machine gives.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import time

import numpy as np
from common import torch  # before autograd and nn: see common.py

from autograd import Tensor

# --- the workloads: each returns (forward seconds, backward seconds) ---------------------

def chain(x, c, seed, steps):
    """``y = y * c`` ``steps`` times, then backward: the same code for chainrule and torch."""
    start = time.perf_counter()
    y = x
    for _ in range(steps):
        y = y * c
    middle = time.perf_counter()
    y.backward(seed)
    end = time.perf_counter()
    return middle - start, end - middle


def chain_chainrule(x0, c, steps):
    return chain(Tensor(x0, requires_grad=True), Tensor(c), np.ones_like(x0), steps)


def chain_numpy(x0, c, steps, keep_all=False):
    start = time.perf_counter()
    y, kept = x0, []
    for _ in range(steps):
        kept.append(y)  # a hand-written backprop keeps what its backward may need
        y = y * c
    middle = time.perf_counter()
    g = np.ones_like(x0)
    grads = []
    for _ in range(steps):
        if keep_all:  # as chainrule's graph: every array, and every gradient, to the end
            grads.append(g)
        else:  # a forward array is freed once used, and the gradient too
            kept.pop()
        g = g * c
    end = time.perf_counter()
    return middle - start, end - middle


def chain_numpy_keeping_all(x0, c, steps):
    return chain_numpy(x0, c, steps, keep_all=True)


def mixed(x, c, d, seed, steps):
    """``y = tanh(y * c + d)`` ``steps`` times, then backward: for chainrule and torch."""
    start = time.perf_counter()
    y = x
    for _ in range(steps):
        y = (y * c + d).tanh()
    middle = time.perf_counter()
    y.backward(seed)
    end = time.perf_counter()
    return middle - start, end - middle


def mixed_chainrule(x0, c, d, steps):
    return mixed(Tensor(x0, requires_grad=True), Tensor(c), Tensor(d), np.ones_like(x0), steps)


def mixed_numpy(x0, c, d, steps, keep_all=False):
    start = time.perf_counter()
    y, kept = x0, []
    for _ in range(steps):
        z = y * c
        s = z + d
        y = np.tanh(s)
        kept.append((z, s, y))
    middle = time.perf_counter()
    g = np.ones_like(x0)
    grads = []
    for i in reversed(range(steps)):
        out = kept[i][2] if keep_all else kept.pop()[2]
        g_s = g * (1.0 - out * out)  # tanh
        # + d passes g_s on unchanged, to z
        g_y = g_s * c  # · c
        if keep_all:
            grads.append((g, g_s))  # the grads of y and s; z's is g_s itself, as in chainrule
        g = g_y
    end = time.perf_counter()
    return middle - start, end - middle


def mixed_numpy_keeping_all(x0, c, d, steps):
    return mixed_numpy(x0, c, d, steps, keep_all=True)


def matmul(A, B, G):
    """``C = A @ B``, then backward from ``G``: for chainrule and torch."""
    start = time.perf_counter()
    C = A @ B
    middle = time.perf_counter()
    C.backward(G)
    end = time.perf_counter()
    return middle - start, end - middle


def matmul_chainrule(a, b, g):
    return matmul(Tensor(a, requires_grad=True), Tensor(b, requires_grad=True), g)


def matmul_numpy(a, b, g):
    start = time.perf_counter()
    c = a @ b
    middle = time.perf_counter()
    grad_a, grad_b = g @ b.T, a.T @ g
    end = time.perf_counter()
    del c, grad_a, grad_b
    return middle - start, end - middle


# The same in PyTorch: autograd, and the hand-written version with autograd off.

def chain_torch(x0, c, steps):
    x = torch.from_numpy(x0).requires_grad_()
    return chain(x, torch.from_numpy(c), torch.ones_like(x), steps)


def chain_torch_by_hand(x0, c, steps):
    x, c = torch.from_numpy(x0), torch.from_numpy(c)
    with torch.no_grad():
        start = time.perf_counter()
        y, kept = x, []
        for _ in range(steps):
            kept.append(y)
            y = y * c
        middle = time.perf_counter()
        g = torch.ones_like(x)
        for _ in range(steps):
            kept.pop()
            g = g * c
        end = time.perf_counter()
    return middle - start, end - middle


def mixed_torch(x0, c, d, steps):
    x = torch.from_numpy(x0).requires_grad_()
    return mixed(x, torch.from_numpy(c), torch.from_numpy(d), torch.ones_like(x), steps)


def mixed_torch_by_hand(x0, c, d, steps):
    x, c, d = torch.from_numpy(x0), torch.from_numpy(c), torch.from_numpy(d)
    with torch.no_grad():
        start = time.perf_counter()
        y, kept = x, []
        for _ in range(steps):
            z = y * c
            s = z + d
            y = torch.tanh(s)
            kept.append((z, s, y))
        middle = time.perf_counter()
        g = torch.ones_like(x)
        for _ in range(steps):
            _, _, out = kept.pop()
            g = g * (1.0 - out * out)
            g = g * c
        end = time.perf_counter()
    return middle - start, end - middle


def matmul_torch(a, b, g):
    return matmul(torch.from_numpy(a).requires_grad_(), torch.from_numpy(b).requires_grad_(),
                  torch.from_numpy(g))


def matmul_torch_by_hand(a, b, g):
    A, B, G = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(g)
    with torch.no_grad():
        start = time.perf_counter()
        C = A @ B
        middle = time.perf_counter()
        grad_a, grad_b = G @ B.T, A.T @ G
        end = time.perf_counter()
    del C, grad_a, grad_b
    return middle - start, end - middle


# --- measuring ---------------------------------------------------------------------------

def measure(contenders: dict, args: tuple, runs: int, warmup: int = 2) -> dict:
    """Run every contender ``runs`` times, interleaved, and collect (forward, backward).

    Each round starts with the next contender in turn, so that none always runs right
    after the same other one (whose idle threads may still be spinning, for instance).
    """
    for fn in contenders.values():
        for _ in range(warmup):
            fn(*args)
    names = list(contenders)
    times = {name: [] for name in names}
    for round_ in range(runs):
        start = round_ % len(names)
        for name in names[start:] + names[:start]:
            times[name].append(contenders[name](*args))
            gc.collect(0)  # the graph just dropped is freed here, not inside the next timing
    return times


def medians(runs: list) -> tuple[float, float, float]:
    """Median forward, median backward, and the median of their sums."""
    return (statistics.median(f for f, _ in runs), statistics.median(b for _, b in runs),
            statistics.median(f + b for f, b in runs))


def report_overhead(title: str, times: dict, ops: int, pairs: list) -> None:
    """Per-op times, and per-op overhead of each framework over its hand-written baseline."""
    print(f"\n{title}")
    print(f"  {'µs per op':48} {'forward':>8} {'backward':>8} {'total':>8} {'best':>8}")
    for name, runs in times.items():
        fwd, bwd, total = (t / ops * 1e6 for t in medians(runs))
        best = min(f + b for f, b in runs) / ops * 1e6
        print(f"  {name:48} {fwd:8.2f} {bwd:8.2f} {total:8.2f} {best:8.2f}")
    for framework, baseline in pairs:
        # Differences within each round (the two ran back to back), then their median:
        # a slow stretch of the machine shifts both sides of a pair alike.
        paired = [(f1 - f2, b1 - b2) for (f1, b1), (f2, b2)
                  in zip(times[framework], times[baseline])]
        fwd, bwd, total = (t / ops * 1e6 for t in medians(paired))
        best = (min(f + b for f, b in times[framework])
                - min(f + b for f, b in times[baseline])) / ops * 1e6
        name = f"overhead: {framework} − {baseline}"
        print(f"  {name:48} {fwd:8.2f} {bwd:8.2f} {total:8.2f} {best:8.2f}")


def report_ratio(title: str, times: dict, pairs: list) -> None:
    print(f"\n{title}")
    print(f"  {'ms, medians':48} {'forward':>8} {'backward':>8} {'total':>8}")
    for name, runs in times.items():
        fwd, bwd, total = (t * 1e3 for t in medians(runs))
        print(f"  {name:48} {fwd:8.2f} {bwd:8.2f} {total:8.2f}")
    for framework, baseline in pairs:
        ratio = medians(times[framework])[2] / medians(times[baseline])[2]
        print(f"  ratio {framework} / {baseline}: {ratio:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter runs")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    args = parser.parse_args()
    use_torch = torch is not None and not args.no_torch

    steps, runs, matmul_runs = 300, *((21, 5) if args.quick else (101, 21))
    print(f"Python {platform.python_version()}, NumPy {np.__version__}"
          + (f", PyTorch {torch.__version__} ({torch.get_num_threads()} threads)"
             if use_torch else ", PyTorch not installed (or --no-torch)")
          + f", {os.cpu_count()} CPUs; medians of {runs} runs (matmul: {matmul_runs})")

    if use_torch:
        # 64×64 ops run on one thread in PyTorch anyway; a single thread also keeps its
        # idle OpenMP workers from spinning against the other contenders. The matmul
        # below gets PyTorch's default again, as NumPy's BLAS uses every core too.
        threads = torch.get_num_threads()
        torch.set_num_threads(1)

    rng = np.random.default_rng(0)
    x0 = rng.standard_normal((64, 64)).astype(np.float32)
    c = np.full((64, 64), 1.0001, dtype=np.float32)
    d = np.full((64, 64), 0.01, dtype=np.float32)

    contenders = {"chainrule": chain_chainrule, "NumPy by hand": chain_numpy,
                  "NumPy by hand, all kept": chain_numpy_keeping_all}
    pairs = [("chainrule", "NumPy by hand"),
             ("chainrule", "NumPy by hand, all kept")]
    if use_torch:
        contenders |= {"PyTorch autograd": chain_torch, "PyTorch by hand": chain_torch_by_hand}
        pairs.append(("PyTorch autograd", "PyTorch by hand"))
    times = measure(contenders, (x0, c, steps), runs)
    report_overhead(f"Chain y = y * c, {steps:,} ops on 64×64 float32 (goal: chainrule "
                    "overhead ≤ 5 µs per op, forward + backward):", times, steps, pairs)

    contenders = {"chainrule": mixed_chainrule, "NumPy by hand": mixed_numpy,
                  "NumPy by hand, all kept": mixed_numpy_keeping_all}
    if use_torch:
        contenders |= {"PyTorch autograd": mixed_torch, "PyTorch by hand": mixed_torch_by_hand}
    times = measure(contenders, (x0, c, d, steps // 3), runs)
    report_overhead(f"Chain y = tanh(y * c + d), {steps // 3 * 3:,} ops on 64×64 float32:",
                    times, steps // 3 * 3, pairs)

    if use_torch:
        torch.set_num_threads(threads)
    a = rng.standard_normal((1024, 1024)).astype(np.float32)
    b = rng.standard_normal((1024, 1024)).astype(np.float32)
    g = rng.standard_normal((1024, 1024)).astype(np.float32)
    # NumPy's BLAS and PyTorch's each keep a pool of threads that spin for a while after a
    # call; interleaved, the two pools would fight over the cores. One library at a time.
    times = measure({"chainrule": matmul_chainrule, "NumPy by hand": matmul_numpy},
                    (a, b, g), matmul_runs, warmup=1)
    if use_torch:
        times |= measure({"PyTorch autograd": matmul_torch,
                          "PyTorch by hand": matmul_torch_by_hand},
                         (a, b, g), matmul_runs, warmup=1)
    pairs = [("chainrule", "NumPy by hand")]
    if use_torch:
        pairs += [("PyTorch autograd", "PyTorch by hand"), ("PyTorch autograd", "NumPy by hand")]
    report_ratio("Matmul 1024×1024 float32, forward + backward (goal: ratio ≤ 1.05):",
                 times, pairs)


if __name__ == "__main__":
    main()
