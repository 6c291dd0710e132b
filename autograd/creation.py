"""Making tensors, with PyTorch's names, defaults and dtypes.

``tensor([1, 2])`` is int64 and ``tensor([1.0, 2.0])`` the default float dtype (float32),
as ``torch.tensor``; ``from_numpy`` shares the array's memory and keeps its dtype;
``tensor(array)`` copies. Each factory takes ``dtype=``, ``device=`` and
``requires_grad=``; the random ones take ``generator=`` and otherwise draw from the
default generator that ``manual_seed`` seeds.

    >>> _ = manual_seed(0)
    >>> x = randn(2, 3, requires_grad=True)
    >>> x.shape, x.dtype == np.float32, tensor([1, 2]).dtype == np.int64
    (Size([2, 3]), True, True)
"""

from __future__ import annotations

import builtins

import numpy as np

from . import dtypes
from .dtypes import as_dtype, int64
from .generator import manual_seed, rng
from .op import shape_args
from .ops.conversion import move
from .tensor import Tensor, get_default_dtype

__all__ = [
    "arange", "as_tensor", "empty", "empty_like", "eye", "from_numpy", "full", "full_like",
    "linspace", "logspace", "manual_seed", "normal", "ones", "ones_like", "rand", "rand_like",
    "randint", "randint_like", "randn", "randn_like", "randperm", "tensor", "zeros",
    "zeros_like", "set_default_device", "get_default_device",
]


def _make(array, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A leaf Tensor around ``array`` (not copied), converted to ``dtype`` and moved to
    ``device`` (else the default device, see :func:`set_default_device`)."""
    dtype = as_dtype(dtype)
    if dtype is not None and array.dtype != dtype:
        array = array.astype(dtype)
    if requires_grad and array.dtype.kind != "f":
        raise RuntimeError(f"only Tensors of floating point dtype can require gradients, "
                           f"got {array.dtype}")
    device = device if device is not None else _default_device
    if device is not None:
        array = move(array, dtypes.device(device))
    return Tensor(array, dtype=array.dtype, requires_grad=requires_grad)


#: Where the creation functions put a tensor when no ``device=`` is given (None: the CPU).
_default_device = None


def set_default_device(device) -> None:
    """Make the creation functions (``tensor``, ``zeros``, ``randn``, ...) put their tensors
    on ``device`` when no ``device=`` is given, as ``torch.set_default_device``.

        >>> set_default_device("cpu"); zeros(2).device
        device(type='cpu')
        >>> set_default_device(None)  # back to the CPU
    """
    global _default_device
    _default_device = None if device is None else dtypes.device(device)


def get_default_device() -> dtypes.device:
    """The device that creation functions use when none is given."""
    return _default_device or dtypes.device("cpu")


def _inferred(data) -> np.ndarray:
    """PyTorch's dtype for Python data: floats → the default float, ints → int64, bools
    → bool; an array keeps its dtype."""
    if isinstance(data, Tensor):
        return data.data
    array = np.asarray(data)
    if not isinstance(data, (np.ndarray, np.generic)):
        if array.dtype.kind == "f":
            return array.astype(get_default_dtype())
        if array.dtype.kind in "iu":
            return array.astype(int64)
    return array


def tensor(data, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array).

        >>> tensor([[1, 2], [3, 4]]).dtype == int64
        True
    """
    return _make(np.array(_inferred(data), copy=True), dtype, device, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """``data`` as a tensor, sharing an array's memory when no conversion is needed."""
    if isinstance(data, Tensor) and dtype is None and device is None:
        return data
    return _make(_inferred(data), dtype, device)


def from_numpy(array: np.ndarray) -> Tensor:
    """The array as a tensor that shares its memory and keeps its dtype.

        >>> a = np.zeros(2); t = from_numpy(a); a[0] = 5; t.data[0]
        np.float64(5.0)
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor(array, dtype=array.dtype)


def _float(dtype):
    return as_dtype(dtype) or get_default_dtype()


def zeros(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Zeros of the default float dtype: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _make(np.zeros(shape_args(size), _float(dtype)), None, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Ones of the default float dtype."""
    return _make(np.ones(shape_args(size), _float(dtype)), None, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """An uninitialised tensor (here: zeros, so that nothing random leaks in)."""
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``size`` filled with ``fill_value``; the dtype follows the value, as PyTorch."""
    if dtype is None:
        dtype = _inferred(fill_value).dtype
    return _make(np.full(shape_args((size,)), fill_value, as_dtype(dtype)), None, device,
                 requires_grad)


def eye(n: int, m: int | None = None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The identity matrix, n × m."""
    return _make(np.eye(n, m, dtype=_float(dtype)), None, device, requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``start, start + step, …`` below ``end``: int64 for whole numbers, else the default
    float dtype, as PyTorch.

        >>> arange(3).tolist(), arange(0, 1, 0.5).tolist()
        ([0, 1, 2], [0.0, 0.5])
    """
    if end is None:
        start, end = 0, start
    whole = builtins.all(isinstance(v, (builtins.int, np.integer)) for v in (start, end, step))
    dtype = as_dtype(dtype) or (np.dtype(int64) if whole else get_default_dtype())
    return _make(np.arange(start, end, step, dtype=dtype), None, device, requires_grad)


def linspace(start, end, steps: int, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included; with an
    integer dtype, the float values rounded toward zero, as in PyTorch.

        >>> linspace(5, -5, 5, dtype="int32")
        tensor([ 5,  2,  0, -2, -5], dtype=int32)
    """
    dtype = _float(dtype)
    if dtype.kind == "f":
        return _make(np.linspace(start, end, steps, dtype=dtype), None, device, requires_grad)
    return _make(np.linspace(start, end, steps).astype(dtype), None, device, requires_grad)


def logspace(start, end, steps: int, base: float = 10.0, dtype=None, device=None,
             requires_grad=False) -> Tensor:
    """``base ** linspace(start, end, steps)``."""
    return _make(np.logspace(start, end, steps, base=base, dtype=_float(dtype)), None,
                 device, requires_grad)


def _like(make, other: Tensor, dtype, device, requires_grad, *args) -> Tensor:
    return make(*args, other.shape, dtype=dtype or other.dtype,
                device=device or other.device, requires_grad=requires_grad)


def zeros_like(other, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Zeros of ``other``'s shape, dtype and device."""
    return _like(zeros, other, dtype, device, requires_grad)


def ones_like(other, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Ones of ``other``'s shape, dtype and device."""
    return _like(ones, other, dtype, device, requires_grad)


def empty_like(other, dtype=None, device=None, requires_grad=False) -> Tensor:
    """An uninitialised tensor like ``other`` (here: zeros)."""
    return _like(zeros, other, dtype, device, requires_grad)


def full_like(other, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``fill_value`` in ``other``'s shape, dtype and device."""
    return full(other.shape, fill_value, dtype=dtype or other.dtype,
                device=device or other.device, requires_grad=requires_grad)


# --- random ---------------------------------------------------------------------------------
def rand(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Uniform samples in [0, 1)."""
    samples = rng(generator).random(shape_args(size))
    return _make(samples, _float(dtype), device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Standard normal samples."""
    samples = rng(generator).standard_normal(shape_args(size))
    return _make(samples, _float(dtype), device, requires_grad)


def randint(low, high=None, size=None, generator=None, dtype=None, device=None,
            requires_grad=False) -> Tensor:
    """Integers in [low, high) (``randint(10, (3,))`` or ``randint(2, 10, (3,))``), int64."""
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    if size is None:
        raise TypeError("randint() missing the argument 'size'")
    samples = rng(generator).integers(low, high, shape_args((size,)))
    return _make(samples, dtype or int64, device, requires_grad)


def randperm(n: int, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A random permutation of 0 … n − 1, int64."""
    return _make(rng(generator).permutation(n), dtype or int64, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, generator=None, dtype=None, device=None,
           requires_grad=False) -> Tensor:
    """Normal samples: ``normal(0, 1, (2, 3))``, or elementwise means/stds as tensors."""
    mean_a, std_a = np.asarray(mean, dtype=float), np.asarray(std, dtype=float)
    shape = shape_args((size,)) if size is not None else np.broadcast(mean_a, std_a).shape
    samples = rng(generator).normal(mean_a, std_a, shape)
    return _make(np.asarray(samples), _float(dtype), device, requires_grad)


def rand_like(other, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Uniform samples in [0, 1) of ``other``'s shape and dtype."""
    return rand(other.shape, generator=generator, dtype=dtype or other.dtype,
                device=device or other.device, requires_grad=requires_grad)


def randn_like(other, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Standard normal samples of ``other``'s shape and dtype."""
    return randn(other.shape, generator=generator, dtype=dtype or other.dtype,
                 device=device or other.device, requires_grad=requires_grad)


def randint_like(other, low, high=None, generator=None, dtype=None, device=None) -> Tensor:
    """Integers in [low, high) of ``other``'s shape."""
    return randint(low, high, other.shape, generator=generator, dtype=dtype or other.dtype,
                   device=device or other.device)

