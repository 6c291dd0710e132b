"""How fast does chainrule train multilayer perceptrons, next to hand-written NumPy and PyTorch?

Run it from the repository root::

    python benchmarks/mlp.py            # --epochs N to time more epochs

Two workloads, each trained in one process on the same data and the same batches by
chainrule, by a hand-written NumPy forward / backward / update of the same network (the
floor for any NumPy-based library), and by PyTorch on the CPU when it is installed:

* (a) Lab 03: scikit-learn's digits (1,437 training images of 64 pixels, standardised),
  64-80-70-10 with sigmoid hidden units, softmax cross-entropy, Adam (lr 0.01), batches
  of 64. Tiny matrices: the per-op overhead of each library decides.
* (b) A 784-1024-10 ReLU network, softmax cross-entropy, plain SGD (lr 0.01), batches of
  100, on 60,000 random images of MNIST's shape. Large matrices: BLAS decides.

Everything is float32. The libraries take turns epoch by epoch, so that a noisy machine
slows them alike, and each reports its median seconds per epoch. The seconds are the
process's CPU time, and each library computes on one thread (``--threads`` to change it:
chainrule's ``set_num_threads``, PyTorch's, and BLAS's for the hand NumPy): on a shared
laptop or CI machine, wall-clock time mostly measures the neighbours, and a BLAS thread
waiting for a busy core can make a small matrix product 100 times slower.

Goals: (a) chainrule at most 1.5× hand NumPy and at most 0.5× PyTorch; (b) at most 1.1×
hand NumPy.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
from common import threadpool_limits, torch  # before autograd and nn: see common.py

import nn
import nn.functional as F
from autograd.threads import set_num_threads

# --- the data -------------------------------------------------------------------------------

def digits() -> tuple[np.ndarray, np.ndarray]:
    """Lab 03's training set: the 80% split with random_state=101, standardised."""
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = nn.datasets.load_digits()
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=101)
    return StandardScaler().fit_transform(X_train).astype(np.float32), y_train


def random_mnist(n: int = 60_000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)


def batches(n: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """One epoch's shuffled index batches, shared by every library."""
    order = np.random.default_rng(seed).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# --- chainrule ------------------------------------------------------------------------------

class Chainrule:
    """The loop a learner writes: forward, loss, zero_grad, backward, step."""

    def __init__(self, sizes, activation, optimizer):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(activation())
        self.model = nn.Sequential(*layers)
        self.opt = optimizer(self.model.parameters())

    def epoch(self, X, y, index_batches) -> float:
        for rows in index_batches:
            loss = F.cross_entropy(self.model(X[rows]), y[rows])
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
        return loss.item()


# --- hand-written NumPy ---------------------------------------------------------------------

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))  # as the lab writes it


class HandNumpy:
    """The same network with its backward pass written out: the floor for NumPy code."""

    def __init__(self, sizes, activation: str, adam: bool, lr: float):
        rng = np.random.default_rng(0)
        self.W = [(rng.uniform(-1, 1, (m, n)) / np.sqrt(m)).astype(np.float32)
                  for m, n in zip(sizes, sizes[1:])]
        self.b = [np.zeros(n, np.float32) for n in sizes[1:]]
        self.activation, self.adam, self.lr = activation, adam, lr
        self.m = [np.zeros_like(p) for p in self.W + self.b]
        self.v = [np.zeros_like(p) for p in self.W + self.b]
        self.t = 0

    def epoch(self, X, y, index_batches) -> float:
        with np.errstate(over="ignore"):  # e^−z overflows to inf for z < −88: σ = 0, right
            for rows in index_batches:
                loss, grads = self.loss_and_grads(X[rows], y[rows])
                self.update(grads)
        return loss

    def loss_and_grads(self, x, y):
        outs = [x]
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            z = outs[-1] @ W + b
            if i < len(self.W) - 1:
                z = _sigmoid(z) if self.activation == "sigmoid" else np.maximum(z, 0)
            outs.append(z)
        logits = outs[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        n = len(y)
        loss = -log_p[np.arange(n), y].mean()
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
        delta /= n
        grads_W, grads_b = [], []
        for i in reversed(range(len(self.W))):
            grads_W.append(outs[i].T @ delta)
            grads_b.append(delta.sum(axis=0))
            if i:
                a = outs[i]
                local = a * (1 - a) if self.activation == "sigmoid" else (a > 0)
                delta = (delta @ self.W[i].T) * local
        return loss, grads_W[::-1] + grads_b[::-1]

    def update(self, grads):
        params = self.W + self.b
        if not self.adam:
            for p, g in zip(params, grads):
                p -= self.lr * g
            return
        self.t += 1
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            denom = np.sqrt(v) / math.sqrt(1 - beta2**self.t) + eps
            p -= self.lr / (1 - beta1**self.t) * m / denom


# --- PyTorch --------------------------------------------------------------------------------

class Torch:
    def __init__(self, sizes, activation, optimizer):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(activation())
        self.model = torch.nn.Sequential(*layers)
        self.opt = optimizer(self.model.parameters())

    def epoch(self, X, y, index_batches) -> float:
        X, y = torch.from_numpy(X), torch.from_numpy(y)
        for rows in index_batches:
            rows = torch.from_numpy(rows)
            loss = torch.nn.functional.cross_entropy(self.model(X[rows]), y[rows])
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
        return loss.item()


# --- timing ---------------------------------------------------------------------------------

def race(title: str, runners: dict, X, y, batch_size: int, epochs: int) -> dict[str, float]:
    """Median seconds per epoch of each runner, taking turns epoch by epoch."""
    times = {name: [] for name in runners}
    for epoch in range(epochs + 1):  # epoch 0 warms caches and allocators up, untimed
        index_batches = batches(len(X), batch_size, seed=epoch)
        for name, runner in runners.items():
            start = time.process_time()
            runner.epoch(X, y, index_batches)
            if epoch:
                times[name].append(time.process_time() - start)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"\n{title}")
    for name, seconds in medians.items():
        ratio = "" if name == "chainrule" else \
            f"   chainrule / {name} = {medians['chainrule'] / seconds:.2f}"
        print(f"  {name:<10} {1000 * seconds:9.1f} ms/epoch{ratio}")
    return medians


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs per workload")
    parser.add_argument("--threads", type=int, default=1, help="threads (default: 1)")
    args = parser.parse_args(argv)
    set_num_threads(args.threads)
    threadpool_limits(args.threads)  # BLAS's, for the hand NumPy (chainrule's pool sets 1)
    if torch:
        torch.set_num_threads(args.threads)
    print(f"NumPy {np.__version__}" + (f", PyTorch {torch.__version__}" if torch else "") +
          f"; {args.threads} BLAS thread(s); CPU seconds of this process per epoch")

    X, y = digits()
    sizes = [64, 80, 70, 10]
    runners = {
        "chainrule": Chainrule(sizes, nn.Sigmoid, lambda p: nn.optim.Adam(p, lr=0.01)),
        "numpy": HandNumpy(sizes, "sigmoid", adam=True, lr=0.01),
    }
    if torch:
        runners["pytorch"] = Torch(sizes, torch.nn.Sigmoid,
                                   lambda p: torch.optim.Adam(p, lr=0.01))
    race("(a) Lab 03 digits, 64-80-70-10 sigmoid, Adam, batch 64", runners, X, y, 64,
         args.epochs)

    X, y = random_mnist()
    sizes = [784, 1024, 10]
    runners = {
        "chainrule": Chainrule(sizes, nn.ReLU, lambda p: nn.optim.SGD(p, lr=0.01)),
        "numpy": HandNumpy(sizes, "relu", adam=False, lr=0.01),
    }
    if torch:
        runners["pytorch"] = Torch(sizes, torch.nn.ReLU, lambda p: torch.optim.SGD(p, lr=0.01))
    race("(b) 784-1024-10 ReLU, SGD, batch 100, 60,000 random MNIST-shaped images", runners,
         X, y, 100, max(args.epochs // 2, 2))


if __name__ == "__main__":
    main()
