"""How fast does chainrule train the HW05 convnets on every core, next to PyTorch?

Run it from the repository root::

    python benchmarks/challenge.py                  # a few minutes
    python benchmarks/challenge.py --quick          # fewer runs, rougher figures
    python benchmarks/challenge.py --epoch 0.1      # time 10% of an epoch, extrapolated

Two networks of the HW05 report, built by the same code from each library's ``nn``
(``import chainrule as torch`` semantics), with the same weights and data, batch 64 of
3×32×32 float32 images:

* the **open challenge** net: six 3×3 convolutions (padding "same") each with
  BatchNorm2d and ReLU, 2×2 max-pooling after the third and the sixth, Linear(16·8·8, 10)
  and BatchNorm1d(10), trained by Adam (lr 3e-3, weight decay 1e-5);
* the **three-layer** net: conv 5×5 (32) → ReLU → conv 3×3 (16) → ReLU → Linear(16·32·32,
  10), trained by Adam too.

It times one training step (forward, cross-entropy, backward, Adam's step) with 1 thread
and with every core (``set_num_threads`` in both libraries: chainrule splits each batch
over its threads, PyTorch over its own), and on the GPU when both libraries see one
(chainrule's tensors on CuPy against PyTorch's CUDA, each step ended by a synchronisation).
The steps of the two libraries take turns, so that a noisy machine slows both alike; the
script prints the median wall-clock time of a step and its ratio to PyTorch's, and the
median CPU time (all threads together, so on a busy machine it shows the work done
rather than the waiting). ``--epoch F`` also times a fraction F of a synthetic
CIFAR-sized epoch (782 steps of 64 images, cycling through a few batches) and prints
the whole epoch's time extrapolated from it.

Last, the 1024×1024 float32 matrix product, forward and backward, against the three NumPy
products it needs (a @ b, g @ bᵀ, aᵀ @ g).

Goals, on every core: the challenge net at most 3× PyTorch; with 1 thread, at most 1.3×
(the challenge net) and 1.5× (the three-layer net); the matrix product at most 1.1× NumPy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from common import threadpool_limits, torch  # before autograd and nn: see common.py

import chainrule

BATCH, CLASSES, EPOCH_STEPS = 64, 10, 782  # CIFAR-10's 50,000 images in batches of 64


# --- the networks, written once for either library ------------------------------------------

def challenge_net(nn):
    def block(channels_in, channels_out):
        return [nn.Conv2d(channels_in, channels_out, (3, 3), padding="same"),
                nn.BatchNorm2d(channels_out), nn.ReLU()]
    return nn.Sequential(*block(3, 64), *block(64, 32), *block(32, 32), nn.MaxPool2d(2),
                         *block(32, 32), *block(32, 16), *block(16, 16), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(16 * 8 * 8, CLASSES), nn.BatchNorm1d(CLASSES))


def three_layer_net(nn):
    return nn.Sequential(nn.Conv2d(3, 32, 5, padding=2), nn.ReLU(),
                         nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
                         nn.Flatten(), nn.Linear(16 * 32 * 32, CLASSES))


NETS = {"challenge": challenge_net, "three-layer": three_layer_net}


def batches(count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``count`` batches of synthetic CIFAR-shaped images and labels."""
    rng = np.random.default_rng(0)
    return [(rng.standard_normal((BATCH, 3, 32, 32), dtype=np.float32),
             rng.integers(0, CLASSES, BATCH)) for _ in range(count)]


def trainer(library, build, state: dict, data: list, device: str):
    """One training step of ``library`` (chainrule or torch) on the next batch of ``data``,
    as a function; the model starts from the weights ``state``."""
    model = build(library.nn)
    model.load_state_dict({name: library.tensor(value) for name, value in state.items()})
    model.to(device)
    optimizer = library.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-5)
    on_device = [(library.tensor(x, device=device), library.tensor(y, device=device))
                 for x, y in data]
    turn = iter(range(10**9))

    def step():
        x, y = on_device[next(turn) % len(on_device)]
        loss = library.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return step


def synchronizer(library, device: str):
    """What waits for the GPU's queued work (nothing on the CPU)."""
    if device == "cpu" or not hasattr(library.cuda, "synchronize"):
        return lambda: None
    return library.cuda.synchronize


# --- measuring ------------------------------------------------------------------------------

def timed(steps: dict, repeats: int) -> dict:
    """(wall, CPU) seconds of each of ``repeats`` calls of each step, the steps taking
    turns; each call includes waiting for the GPU."""
    for step, wait in steps.values():
        step(), step(), wait()  # warm up: first-touch page faults, BLAS buffers, GPU kernels
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, (step, wait) in steps.items():
            wall, cpu = time.perf_counter(), time.process_time()
            step()
            wait()
            times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def report(title: str, times: dict, unit: str = "ms / step", scale: float = 1e3) -> None:
    """Print the median wall and CPU time of each contender, in seconds times ``scale``,
    and the ratio of the wall times to PyTorch's."""
    print(f"\n{title}")
    medians = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    for name, runs in times.items():
        cpu = statistics.median(c for _, c in runs)
        ratio = f"  {medians[name] / medians['PyTorch']:5.2f}× PyTorch" if name != "PyTorch" else ""
        print(f"  {name:10s} {medians[name] * scale:8.1f} {unit}  (CPU {cpu * scale:8.1f})"
              f"{ratio}")


def compare(net: str, device: str, repeats: int, epoch: float) -> None:
    """Time ``net``'s training step (and a fraction of an epoch) on ``device``."""
    reference = NETS[net](torch.nn)
    state = {name: value.numpy() for name, value in reference.state_dict().items()}
    data = batches(4)
    steps = {name: (trainer(library, NETS[net], state, data, device),
                    synchronizer(library, device))
             for name, library in (("chainrule", chainrule), ("PyTorch", torch))}
    losses = {name: step().item() for name, (step, _) in steps.items()}
    assert np.isclose(losses["chainrule"], losses["PyTorch"], rtol=1e-3), losses
    where = device if device != "cpu" else \
        f"{chainrule.get_num_threads()} thread{'s' * (chainrule.get_num_threads() > 1)}"
    report(f"{net} net, one training step, {where}, {repeats} runs", timed(steps, repeats))
    if epoch:
        count = max(1, round(EPOCH_STEPS * epoch))
        epochs = {name: ((lambda step=step: [step() for _ in range(count)]), wait)
                  for name, (step, wait) in steps.items()}
        report(f"{net} net, one epoch of {EPOCH_STEPS} steps, extrapolated from {count}",
               timed(epochs, 1), unit="s / epoch", scale=EPOCH_STEPS / count)


def matmul(repeats: int) -> None:
    """a @ b forward and backward in chainrule against the three NumPy products, BLAS
    computing those on as many threads as chainrule has (chainrule holds BLAS at one
    thread and splits the products among its own)."""
    rng = np.random.default_rng(0)
    a, b, g = (rng.standard_normal((1024, 1024), dtype=np.float32) for _ in range(3))
    ta, tb = chainrule.tensor(a, requires_grad=True), chainrule.tensor(b, requires_grad=True)

    def ours():
        ta.grad = tb.grad = None
        (ta @ tb).backward(chainrule.tensor(g))

    def by_hand():
        with threadpool_limits(chainrule.get_num_threads(), user_api="blas"):
            return a @ b, g @ b.T, a.T @ g

    # One after the other, not taking turns: after a product BLAS's threads keep spinning
    # for a while, holding a core that chainrule's threads would wait for.
    times = {**timed({"chainrule": (ours, lambda: None)}, repeats),
             **timed({"NumPy": (by_hand, lambda: None)}, repeats)}
    medians = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    print(f"\n1024×1024 float32 matmul, forward and backward, "
          f"{chainrule.get_num_threads()} thread(s), {repeats} runs")
    for name, median in medians.items():
        print(f"  {name:10s} {median * 1e3:9.1f} ms  {median / medians['NumPy']:5.2f}× NumPy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, rougher figures")
    parser.add_argument("--epoch", type=float, default=0.0, metavar="F",
                        help="also time this fraction of an epoch and extrapolate (e.g. 0.05)")
    parser.add_argument("--threads", type=int, nargs="*",
                        default=sorted({1, len(os.sched_getaffinity(0))}),
                        help="the thread counts to time on the CPU (default: 1 and every core)")
    parser.add_argument("--nets", nargs="*", default=list(NETS), choices=list(NETS))
    args = parser.parse_args()
    if torch is None:
        raise SystemExit("this benchmark compares with PyTorch: pip install torch")
    repeats = 5 if args.quick else 20
    for threads in args.threads:
        chainrule.set_num_threads(threads)
        torch.set_num_threads(threads)
        for net in args.nets:
            compare(net, "cpu", repeats, args.epoch)
        matmul(repeats)
    if torch.cuda.is_available() and chainrule.cuda.is_available():
        for net in args.nets:
            compare(net, "cuda", repeats, args.epoch)
    else:
        print("\nno GPU that both PyTorch and chainrule see: the GPU comparison is skipped")


if __name__ == "__main__":
    main()
