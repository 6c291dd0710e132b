"""``torch.cuda``'s questions, answered by CuPy: is there a GPU, how many, wait for it.

A tensor on ``"cuda"`` holds a CuPy array (``pip install "chainrule[gpu]"``). Without
CuPy, or without a GPU it can see, ``is_available()`` is False and a program takes its CPU
branch, as with PyTorch::

    device = "cuda" if torch.cuda.is_available() else "cpu"

    >>> import chainrule as torch
    >>> torch.cuda.is_available() == (torch.cuda.device_count() > 0)
    True
"""

from __future__ import annotations

from autograd import dtypes
from autograd.generator import manual_seed as _seed_default_generator

__all__ = ["device_count", "is_available", "manual_seed", "manual_seed_all", "synchronize"]


def device_count() -> int:
    """How many GPUs CuPy sees (0 without CuPy, a driver or a GPU)."""
    try:
        return int(dtypes.gpu_module().cuda.runtime.getDeviceCount())
    except Exception:  # no CuPy, or CuPy's error for a missing driver or device
        return 0


def is_available() -> bool:
    """True when CuPy sees a GPU and chainrule can compute with tensors there.

    The second condition is tried (a small tensor is made on the GPU and multiplied): a
    program that asks ``is_available()`` and then moves its model to "cuda" must not fail,
    so without a working GPU path the answer is False and the program runs on the CPU, as
    it does on a machine without a GPU.
    """
    if device_count() == 0:
        return False
    from autograd import ones
    try:
        return bool(((ones(2, device="cuda") * 2).sum() == 4).item())
    except Exception:  # CuPy's errors: a driver too old for this CuPy, say
        return False


def synchronize(device=None) -> None:
    """Wait until the GPU has finished its queued work (for timing, as in PyTorch)."""
    if device_count() == 0:  # not is_available(): that computes on the GPU, each time
        raise RuntimeError("chainrule.cuda.synchronize(): no GPU is available (it needs CuPy "
                           "and a GPU that CuPy sees); check torch.cuda.is_available() first")
    gpu = dtypes.gpu_module()
    index = getattr(device, "index", device)
    with gpu.cuda.Device(index or 0) as chosen:
        chosen.synchronize()


def manual_seed(seed: int) -> None:
    """Seed the generator that GPU tensors draw from: chainrule's default generator, which
    draws on the host for every device (so a seed gives the same numbers on either
    device), so this is ``chainrule.manual_seed``."""
    _seed_default_generator(seed)


def manual_seed_all(seed: int) -> None:
    """Seed every GPU's generator: the one default generator, as :func:`manual_seed`."""
    _seed_default_generator(seed)
