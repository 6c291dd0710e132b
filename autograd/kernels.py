"""The few primitive functions that the rules of :mod:`autograd.rules` are written with.

A rule says ``m.exp(x)`` or ``m.where(x > 0, 1.0, alpha)``; ``m`` is :data:`FLOATS` when the
node is a ``Value`` (Python floats) and :func:`kernels_for` ``(array)`` when it is a ``Tensor``
(NumPy, or CuPy for an array on a GPU: the array module comes from the data). So each
derivative is written once and works on both kinds of number.

Both kinds follow IEEE-754 and PyTorch where Python's ``math`` would raise: exp(1000) is inf,
log(0) is −inf, log(−1) and sqrt(−1) are nan, 1/0 is inf, and no warning is printed.
"""

from __future__ import annotations

import math

import numpy as np


class FloatKernels:
    """The primitives on Python floats (for ``Value``)."""

    @staticmethod
    def div(a: float, b: float) -> float:
        try:
            return a / b
        except ZeroDivisionError:
            if a == 0 or a != a:
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)

    @staticmethod
    def exp(x: float) -> float:
        try:
            return math.exp(x)
        except OverflowError:
            return math.inf

    @staticmethod
    def expm1(x: float) -> float:
        try:
            return math.expm1(x)
        except OverflowError:
            return math.inf

    @staticmethod
    def log(x: float) -> float:
        if x > 0:
            return math.log(x)
        return -math.inf if x == 0 else math.nan

    @staticmethod
    def sqrt(x: float) -> float:
        return math.sqrt(x) if x >= 0 else math.nan

    @staticmethod
    def pow(a: float, b: float) -> float:
        try:
            result = a ** b
        except (ZeroDivisionError, OverflowError):  # 0 ** negative, or too big for a float
            if a < 0 and not float(b).is_integer():
                return math.nan
            odd = float(b).is_integer() and b % 2 == 1
            return math.copysign(math.inf, a) if odd else math.inf  # (−0) ** −1 = −inf
        return math.nan if isinstance(result, complex) else result  # (−8) ** 0.5

    @staticmethod
    def sigmoid(x: float) -> float:
        # Two branches so that exp never sees a large positive argument.
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def softplus(x: float) -> float:
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    @staticmethod
    def sin(x: float) -> float:
        return math.sin(x) if math.isfinite(x) else math.nan

    @staticmethod
    def cos(x: float) -> float:
        return math.cos(x) if math.isfinite(x) else math.nan

    @staticmethod
    def relu(x: float) -> float:
        return 0.0 if x <= 0 else x  # relu(nan) = nan

    @staticmethod
    def clip(x: float, low, high) -> float:
        if low is not None and x < low:
            return float(low)
        if high is not None and x > high:
            return float(high)
        return x

    @staticmethod
    def step(x: float) -> float:
        """1 where x > 0, else 0 (also at nan): the derivative of relu."""
        return 1.0 if x > 0 else 0.0

    @staticmethod
    def where(condition: bool, a: float, b: float) -> float:
        return a if condition else b

    @staticmethod
    def minimum(a: float, b: float) -> float:
        return a if a < b or a != a else b  # nan wins, as in NumPy

    tanh = staticmethod(math.tanh)
    abs = staticmethod(abs)


class ArrayKernels:
    """The primitives on arrays of one array module (``numpy``, or ``cupy`` on a GPU).

    The results keep the input's float dtype where NumPy would promote a Python float.
    """

    def __init__(self, xp):
        self.xp = xp
        for name in ("exp", "expm1", "tanh", "sin", "cos", "abs", "where", "minimum", "clip"):
            setattr(self, name, getattr(xp, name))

    def div(self, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):  # 1/0 = inf silently, as PyTorch
            return a / b

    def log(self, x):
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.xp.log(x)

    def sqrt(self, x):
        with np.errstate(invalid="ignore"):
            return self.xp.sqrt(x)

    def pow(self, a, b):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return a ** b

    def sigmoid(self, x):
        # 1 / (1 + e^−x) is accurate to 2 ulp for every x: each step has a small relative
        # error, so σ(−20) keeps all its digits (the usual (1 + tanh(x/2)) / 2 rounds it to
        # 0 in float32). Below −88 (float32) e^−x overflows to inf and σ to 0, which is
        # right to within float32's smallest normal number, so that warning is silenced.
        with np.errstate(over="ignore"):
            return 1 / (1 + self.xp.exp(-x))

    def softplus(self, x):
        return self.xp.logaddexp(0, x)  # log(1 + eˣ), stable on both sides

    def relu(self, x):
        return self.xp.maximum(x, 0)

    def step(self, x):
        return (x > 0).astype(x.dtype)

    def add_at(self, target, index, values) -> None:
        """target[index] += values, adding once per repeat of an index (an element picked
        twice gets both gradients)."""
        if self.xp is np:
            np.add.at(target, index, values)
        else:  # CuPy keeps the same operation in cupyx
            import cupyx
            cupyx.scatter_add(target, index, values)


#: The primitives for Value's Python floats.
FLOATS = FloatKernels()
NUMPY = ArrayKernels(np)


def kernels_for(array) -> ArrayKernels:
    """The primitives for ``array``'s module: NumPy's, or CuPy's for a GPU array."""
    if isinstance(array, np.ndarray):
        return NUMPY
    return _kernels_of_module(type(array).__module__.split(".")[0])


_by_module: dict[str, ArrayKernels] = {"numpy": NUMPY}


def _kernels_of_module(name: str) -> ArrayKernels:
    if name not in _by_module:
        import importlib
        _by_module[name] = ArrayKernels(importlib.import_module(name))
    return _by_module[name]
