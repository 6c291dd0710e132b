"""How fast does chainrule train a small convnet, next to PyTorch and to hand-written NumPy?

Run it from the repository root::

    python benchmarks/convnet.py              # about a minute
    python benchmarks/convnet.py --quick      # a few seconds, rougher figures

The workload is the three-layer convnet of the HW05 report, one training step (forward
and backward, no optimizer) on a batch of 64 float32 images 3×32×32::

    conv 5×5, 32 channels, padding 2 → ReLU → conv 3×3, 16 channels, padding 1 → ReLU
    → flatten → linear 10 → cross-entropy

and the same net with a 2×2 max-pooling after each ReLU. Three contenders run in the same
process, with the same weights and data:

* **chainrule**: the functional ops as a learner writes them (``conv2d`` and
  ``max_pool2d`` of ``nn.conv``, ``relu`` and ``cross_entropy`` of ``nn.functional``)
  and ``loss.backward()``;
* **PyTorch** CPU, if installed, the same functional code;
* **NumPy im2col**: the straightforward hand-written version of a course assignment
  (NCHW patch matrix from a strided view, one matmul, the patch gradients added back one
  kernel position at a time), forward and backward written out by hand.

Each runs with 1 and with 2 threads: ``set_num_threads`` in chainrule (which splits the
batch over its threads and runs BLAS on one thread in each, as the hand-written NumPy
then does too) and in PyTorch. It prints the time per step of many interleaved runs, as
the median wall-clock time and the best CPU time (on a shared machine the wall clock also
counts the time other processes held the core; with 1 thread the best CPU time is what an
idle machine gives, with 2 it is the sum over both threads), the ratios of both to
PyTorch's, and the peak memory NumPy allocates during one step (tracemalloc sees NumPy's
arrays, not PyTorch's).
Goal: chainrule at most 1.5× PyTorch.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np
from common import torch  # before autograd and nn: see common.py
from numpy.lib.stride_tricks import sliding_window_view

from autograd import Tensor
from autograd.threads import set_num_threads
from nn import functional as F
from nn.conv import conv2d, max_pool2d

BATCH, CLASSES = 64, 10


def make_weights(pool: bool, seed: int = 0) -> dict:
    """The net's parameters (PyTorch's shapes, He-scaled normal) and a batch of data."""
    rng = np.random.default_rng(seed)
    features = 16 * (8 * 8 if pool else 32 * 32)
    shapes = {"w1": (32, 3, 5, 5), "b1": (32,), "w2": (16, 32, 3, 3), "b2": (16,),
              "fc_w": (features, CLASSES), "fc_b": (CLASSES,)}
    weights = {}
    for name, shape in shapes.items():
        fan_in = np.prod(shape[1:]) if len(shape) == 4 else shape[0]
        weights[name] = (rng.standard_normal(shape) * np.sqrt(2 / fan_in)).astype(np.float32)
    weights["x"] = rng.standard_normal((BATCH, 3, 32, 32)).astype(np.float32)
    weights["y"] = rng.integers(0, CLASSES, BATCH)
    return weights


# --- chainrule ------------------------------------------------------------------------

def chainrule_step(data: dict, pool: bool):
    params = {k: Tensor(v, requires_grad=True) for k, v in data.items() if k not in "xy"}
    x, y = data["x"], data["y"]

    def step():
        h = F.relu(conv2d(x, params["w1"], params["b1"], padding=2))
        if pool:
            h = max_pool2d(h, 2)
        h = F.relu(conv2d(h, params["w2"], params["b2"], padding=1))
        if pool:
            h = max_pool2d(h, 2)
        loss = F.cross_entropy(h.flatten(1) @ params["fc_w"] + params["fc_b"], y)
        for p in params.values():
            p.grad = None
        loss.backward()
        return loss.item(), params["w1"].grad

    return step


# --- PyTorch ----------------------------------------------------------------------------

def torch_step(data: dict, pool: bool):
    tf = torch.nn.functional
    params = {k: torch.tensor(v, requires_grad=True) for k, v in data.items() if k not in "xy"}
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"])

    def step():
        h = tf.relu(tf.conv2d(x, params["w1"], params["b1"], padding=2))
        if pool:
            h = tf.max_pool2d(h, 2)
        h = tf.relu(tf.conv2d(h, params["w2"], params["b2"], padding=1))
        if pool:
            h = tf.max_pool2d(h, 2)
        loss = tf.cross_entropy(h.flatten(1) @ params["fc_w"] + params["fc_b"], y)
        for p in params.values():
            p.grad = None
        loss.backward()
        return loss.item(), params["w1"].grad.numpy()

    return step


# --- hand-written NumPy im2col ------------------------------------------------------------

def _conv_forward(x, w, b, pad):
    """im2col as a course assignment writes it: the (C·k·k, N·OH·OW) patch matrix, NCHW."""
    out_c, c, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(xp, (k, k), axis=(2, 3))   # (N, C, OH, OW, k, k)
    n, _, oh, ow = windows.shape[:4]
    cols = windows.transpose(1, 4, 5, 0, 2, 3).reshape(c * k * k, n * oh * ow)
    out = w.reshape(out_c, -1) @ cols + b[:, None]           # (O, N·OH·OW)
    return out.reshape(out_c, n, oh, ow).transpose(1, 0, 2, 3), (cols, xp.shape, pad)


def _conv_backward(g, w, cache, need_dx=True):
    """col2im: the patch gradients added back into the image, one kernel position at a time."""
    cols, padded_shape, pad = cache
    out_c, c, k, _ = w.shape
    n, _, oh, ow = g.shape
    g2 = g.transpose(1, 0, 2, 3).reshape(out_c, -1)
    dw, db = (g2 @ cols.T).reshape(w.shape), g2.sum(axis=1)
    if not need_dx:
        return None, dw, db
    dcols = (w.reshape(out_c, -1).T @ g2).reshape(c, k, k, n, oh, ow)
    dxp = np.zeros(padded_shape, g.dtype)
    for a in range(k):
        for b in range(k):
            dxp[:, :, a:a + oh, b:b + ow] += dcols[:, a, b].transpose(1, 0, 2, 3)
    return dxp[:, :, pad:-pad, pad:-pad], dw, db


def _pool_forward(x):
    n, c, h, w = x.shape
    blocks = x.reshape(n, c, h // 2, 2, w // 2, 2)
    out = blocks.max(axis=(3, 5))
    return out, (blocks == out[:, :, :, None, :, None])


def _pool_backward(g, mask):
    # Ties share nothing here: each tied position gets the whole gradient, a known
    # shortcut of hand-written code (exact for continuous inputs, ties are rare).
    return (mask * g[:, :, :, None, :, None]).reshape(mask.shape[0], mask.shape[1],
                                                      2 * g.shape[2], 2 * g.shape[3])


def numpy_step(data: dict, pool: bool):
    p = {k: v for k, v in data.items() if k not in "xy"}
    x, y = data["x"], data["y"]

    def step():
        z1, c1 = _conv_forward(x, p["w1"], p["b1"], 2)
        a1 = np.maximum(z1, 0)
        if pool:
            a1, m1 = _pool_forward(a1)
        z2, c2 = _conv_forward(a1, p["w2"], p["b2"], 1)
        a2 = np.maximum(z2, 0)
        if pool:
            a2, m2 = _pool_forward(a2)
        flat = a2.reshape(BATCH, -1)
        logits = flat @ p["fc_w"] + p["fc_b"]
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(BATCH), y].mean()
        dlogits = np.exp(log_p)
        dlogits[np.arange(BATCH), y] -= 1
        dlogits /= BATCH
        grads = {"fc_w": flat.T @ dlogits, "fc_b": dlogits.sum(axis=0)}
        da2 = (dlogits @ p["fc_w"].T).reshape(a2.shape)
        if pool:
            da2 = _pool_backward(da2, m2)
        da1, grads["w2"], grads["b2"] = _conv_backward(da2 * (z2 > 0), p["w2"], c2)
        if pool:
            da1 = _pool_backward(da1, m1)
        _, grads["w1"], grads["b1"] = _conv_backward(da1 * (z1 > 0), p["w1"], c1, False)
        return float(loss), grads["w1"]

    return step


# --- measuring ------------------------------------------------------------------------------

def time_steps(steps: dict, repeats: int) -> dict:
    """(wall, CPU) seconds of each call of each step, interleaved so that load hits all
    alike. The CPU time leaves out the time the process waited for a core."""
    for step in steps.values():
        step(), step()  # warm up: first-touch page faults, BLAS buffers
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            wall, cpu = time.perf_counter(), time.process_time()
            step()
            times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def peak_memory(step) -> int:
    """Bytes that NumPy holds at the peak of one step, beyond what it held before."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def run(threads: int, repeats: int) -> None:
    set_num_threads(threads)
    if torch is not None:
        torch.set_num_threads(threads)
    for pool in (False, True):
        data = make_weights(pool)
        steps = {"chainrule": chainrule_step(data, pool), "NumPy im2col": numpy_step(data, pool)}
        if torch is not None:
            steps["PyTorch"] = torch_step(data, pool)
        # The three compute the same thing: check before timing.
        results = {name: step() for name, step in steps.items()}
        by_hand = results["NumPy im2col"]
        for name, (loss, grad_w1) in results.items():
            assert np.isclose(loss, by_hand[0], rtol=1e-4), (name, loss, by_hand[0])
            assert np.allclose(grad_w1, by_hand[1], rtol=1e-2, atol=1e-4), name
        times = time_steps(steps, repeats)
        title = "with 2×2 max-pooling" if pool else "HW05 net, no pooling"
        print(f"\n{title}, {threads} thread{'s' * (threads > 1)}, batch {BATCH}, "
              f"forward + backward, {repeats} runs")
        summary = {name: (statistics.median(wall for wall, _ in runs),
                          min(cpu for _, cpu in runs)) for name, runs in times.items()}
        for name, (median, cpu) in summary.items():
            ratio = ""
            if "PyTorch" in summary:
                torch_median, torch_cpu = summary["PyTorch"]
                ratio = f"  {median / torch_median:4.2f}× / {cpu / torch_cpu:4.2f}× PyTorch"
            memory = ("" if name == "PyTorch"
                      else f"  peak {peak_memory(steps[name]) / 2**20:4.0f} MiB")
            print(f"  {name:13s} median {median * 1e3:6.1f} ms  best CPU {cpu * 1e3:6.1f} ms"
                  f"{ratio}{memory}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, rougher figures")
    parser.add_argument("--threads", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    repeats = 5 if args.quick else 30
    for threads in args.threads:
        run(threads, repeats)


if __name__ == "__main__":
    main()
