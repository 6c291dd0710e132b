"""How fast is the scalar engine, and how much memory does a node cost?

Run it from the repository root::

    python benchmarks/scalar_engine.py

Two workloads, both timed forward + backward with the garbage collector on (what users
get), median of several runs:

* micrograd's demo: an MLP 2→16→16→1 with ReLU, written directly with ``Value``, on 100
  two-moons points, SVM max-margin (hinge) loss + L2 regularisation, one forward and one
  backward pass of the whole batch;
* a chain of 20,000 ops (micrograd's recursive topological sort cannot do this one).

It prints nodes per second (nodes in the finished graph / CPU time of forward + backward,
median run) and bytes per node (the tracemalloc peak while building the graph / nodes;
and the peak through backward, which adds the gradients and the walk's bookkeeping).
When the ``micrograd`` package is installed, the demo workload runs on
``micrograd.engine.Value`` in the same process too, with the same weights and data, and
the two must agree on the loss and the gradients.
Goal: at least 3× micrograd's nodes/s, at most 250 bytes per node for the graph.

Both libraries build the same number of nodes for this workload, so the ratio of nodes/s
is also the ratio of times. CPU time rather than wall time, because on a shared machine
the wall clock also counts the time spent waiting for a core (it is printed too).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc

import common  # noqa: F401  (before autograd: see common.py)
import numpy as np

from autograd import Value

try:
    from micrograd.engine import Value as MicrogradValue
except ImportError:
    MicrogradValue = None


# --- the workloads -----------------------------------------------------------------------

def two_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The demo's data: scikit-learn's ``make_moons`` if installed, else the same recipe."""
    try:
        from sklearn.datasets import make_moons
    except ImportError:
        rng = np.random.default_rng(seed)
        t = np.pi * np.linspace(0, 1, n // 2)
        outer = np.stack([np.cos(t), np.sin(t)], axis=1)
        inner = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
        X = np.concatenate([outer, inner]) + rng.normal(scale=noise, size=(n, 2))
        return X, np.repeat([0, 1], n // 2)
    return make_moons(n_samples=n, noise=noise, random_state=seed)


def mlp_weights(sizes=(2, 16, 16, 1), seed: int = 1337) -> list[list[list[float]]]:
    """Per layer, per neuron: ``[bias, w1, w2, ...]`` drawn like micrograd's ``nn.Neuron``."""
    rng = random.Random(seed)
    return [[[0.0] + [rng.uniform(-1, 1) for _ in range(n_in)] for _ in range(n_out)]
            for n_in, n_out in zip(sizes, sizes[1:])]


def demo_loss(V, weights, X, y):
    """micrograd's demo notebook, written against any ``Value`` class ``V``."""
    layers = [[[V(w) for w in neuron] for neuron in layer] for layer in weights]
    params = [p for layer in layers for neuron in layer for p in neuron]

    def forward(x):
        for i, layer in enumerate(layers):
            last = i == len(layers) - 1
            # A neuron is b + Σ wᵢxᵢ, the sum started at the bias as micrograd's Neuron does.
            x = [sum((w * xi for w, xi in zip(neuron[1:], x)), neuron[0]) for neuron in layer]
            x = x if last else [act.relu() for act in x]
        return x[0]

    scores = [forward([V(float(a)) for a in row]) for row in X]
    losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores)]  # hinge
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in params)  # L2
    return data_loss + reg_loss, params


def chain(V, n: int = 20_000):
    """x → x·1.5 → tanh → ·1.5 → tanh ...: a graph ``n`` ops deep."""
    x = V(0.5)
    y = x
    for i in range(n):
        y = y.tanh() if i % 2 else y * 1.5
    return y, [x]


# --- measuring ---------------------------------------------------------------------------

def count_nodes(root) -> int:
    """Nodes in the graph of ``root``, for either library (iterative: graphs are deep)."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for parent in getattr(node, "parents", None) or getattr(node, "_prev", ()):
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def time_runs(build, runs: int) -> list[tuple[float, float]]:
    """(CPU seconds, wall seconds) of forward + backward for each of ``runs`` steps.

    Steps run as in a training loop: each step's graph is dropped before the next, and the
    collector runs as usual, so a library whose graphs are reference cycles (micrograd's)
    pays for collecting them during the following steps, as it does when training. CPU
    time is what the code costs; wall time also counts waiting for a core on a busy machine.
    """
    # Start clean, so that no garbage from another workload is timed here, then take one
    # untimed step so that the collector is in its steady state.
    gc.collect()
    loss, params = build()
    loss.backward()
    del loss, params
    times = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        loss, params = build()
        loss.backward()
        times.append((time.process_time() - cpu, time.perf_counter() - wall))
        del loss, params
    return times


def bytes_per_node(build) -> tuple[float, float]:
    """Peak traced memory per node while building the graph, and through backward too."""
    tracemalloc.start()
    try:
        loss, _ = build()
        _, forward_peak = tracemalloc.get_traced_memory()
        loss.backward()
        _, backward_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    nodes = count_nodes(loss)
    return forward_peak / nodes, backward_peak / nodes


def report(name: str, build, times: list[tuple[float, float]]) -> float:
    """Print one workload's lines; return its nodes per CPU second (median run)."""
    loss, _ = build()
    nodes = count_nodes(loss)
    del loss
    forward_bytes, backward_bytes = bytes_per_node(build)
    cpu = statistics.median(t for t, _ in times)
    wall = statistics.median(w for _, w in times)
    rate = nodes / cpu
    spread = ", ".join(f"{t * 1e3:.0f}" for t, _ in times)
    print(f"  {name:<16} {nodes:>7,} nodes {cpu * 1e3:7.1f} ms CPU median (runs: {spread}; "
          f"wall median {wall * 1e3:.0f} ms)\n"
          f"  {'':<16} {rate:>10,.0f} nodes/s   {forward_bytes:4.0f} B/node for the graph, "
          f"{backward_bytes:4.0f} B/node peak through backward")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per workload")
    args = parser.parse_args()

    X, y = two_moons()
    y = y * 2 - 1  # labels ±1 for the hinge loss
    weights = mlp_weights()
    rows = [[float(a) for a in row] for row in X]
    labels = [float(t) for t in y]

    print("MLP 2→16→16→1 on 100 two-moons points, hinge + L2, forward + backward (gc on):")
    builds = {"chainrule Value": lambda: demo_loss(Value, weights, rows, labels)}
    if MicrogradValue is not None:
        builds["micrograd Value"] = lambda: demo_loss(MicrogradValue, weights, rows, labels)
    rates = {name: report(name, build, time_runs(build, args.runs))
             for name, build in builds.items()}
    if MicrogradValue is None:
        print("  micrograd is not installed: no comparison")
    else:
        ratio = rates["chainrule Value"] / rates["micrograd Value"]
        print(f"  chainrule / micrograd nodes/s: {ratio:.2f}× (goal: 3×)")
        check_same_numbers(weights, rows, labels)

    print("Chain of 20,000 ops, forward + backward (gc on):")
    build = lambda: chain(Value)
    report("chainrule Value", build, time_runs(build, args.runs))
    if MicrogradValue is not None:
        print("  micrograd Value  RecursionError: its topological sort is recursive")


def check_same_numbers(weights, rows, labels) -> None:
    """Both libraries computed the same loss and gradients, or the timing means nothing."""
    ours, our_params = demo_loss(Value, weights, rows, labels)
    theirs, their_params = demo_loss(MicrogradValue, weights, rows, labels)
    ours.backward()
    theirs.backward()
    worst = max(abs(a.grad - b.grad) for a, b in zip(our_params, their_params))
    assert abs(ours.data - theirs.data) < 1e-9 and worst < 1e-9, (ours.data, theirs.data, worst)
    print(f"  same loss ({ours.data:.6f}) and gradients (max diff {worst:.1e}) in both")


if __name__ == "__main__":
    main()
