"""PyTorch's names for dtypes and devices.

A dtype is NumPy's scalar type under PyTorch's name, so ``x.dtype == float32`` holds and
``dtype=float32`` works everywhere NumPy takes a dtype. A :class:`device` names where a
tensor's array lives: ``"cpu"`` (NumPy) or ``"cuda"`` (CuPy, on a GPU).

    >>> from autograd import Tensor
    >>> Tensor([1.0]).dtype == float32, long == int64
    (True, True)
"""

from __future__ import annotations

import builtins

import numpy as np

float16 = half = np.float16
float32 = float = np.float32  # noqa: A001 - PyTorch's name, as torch.float
float64 = double = np.float64
int8, uint8 = np.int8, np.uint8
int16 = short = np.int16
int32 = int = np.int32  # noqa: A001 - as torch.int
int64 = long = np.int64
bool = np.bool_  # noqa: A001 - as torch.bool


def as_dtype(dtype) -> np.dtype | None:
    """``None``, a NumPy dtype, one of the names above or a string, as a NumPy dtype."""
    return None if dtype is None else np.dtype(dtype)


class device:  # noqa: N801 - PyTorch's spelling
    """Where a tensor lives: ``device("cpu")``, ``device("cuda")``, ``device("cuda", 0)``.

    Compares equal to its string, as in PyTorch: ``x.device == "cpu"``.

        >>> device("cuda:0").type, device("cuda:0").index
        ('cuda', 0)
    """

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: builtins.int | None = None):  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index
        name, _, number = str(type).partition(":")
        if name not in ("cpu", "cuda"):
            raise RuntimeError(f"Expected one of cpu, cuda device type at start of device "
                               f"string: {type}")
        self.type = name
        self.index = builtins.int(number) if number else index

    def __eq__(self, other) -> builtins.bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> builtins.int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"


def device_of(array) -> device:
    """The device of an array: CuPy arrays live on a GPU."""
    if isinstance(array, (np.ndarray, np.generic)):
        return device("cpu")
    return device("cuda", getattr(getattr(array, "device", None), "id", 0))


NO_GPU = ("CUDA is not available: a tensor on the GPU needs CuPy and an NVIDIA GPU; install "
          "CuPy for your CUDA version with pip install 'chainrule[gpu]' (CUDA 12) or "
          "'chainrule[gpu-cuda13]' (CUDA 13)")

#: The array module of "cuda" tensors when it is not CuPy (see :func:`use_gpu_module`).
_gpu = None
_gpu_name = "cupy"


def gpu_module():
    """The array module that holds "cuda" tensors: CuPy, imported when first needed.

    Raises RuntimeError saying what to install when CuPy is missing.
    """
    if _gpu is not None:
        return _gpu
    try:
        import cupy
    except ImportError:
        raise RuntimeError(NO_GPU) from None
    return cupy


def use_gpu_module(module):
    """Make ``module``, a CuPy-compatible array module, hold the "cuda" tensors; returns
    the one before (``None``: CuPy). The tests run every op on a
    stand-in for CuPy that refuses NumPy's functions, so no op can depend on NumPy."""
    global _gpu, _gpu_name
    before, _gpu = _gpu, module
    _gpu_name = "cupy" if module is None else module.__name__
    return before


def on_gpu(array) -> builtins.bool:
    """Whether ``array`` is a GPU array (CuPy's)."""
    return type(array).__module__.partition(".")[0] == _gpu_name


def to_host(array) -> np.ndarray:
    """A NumPy array of ``array``'s values: itself on the CPU, a copy from a GPU (to print,
    derive or draw them)."""
    return array.get() if on_gpu(array) else np.asarray(array)
