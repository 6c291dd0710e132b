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
from functools import reduce

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
        return _logarithm(math.log, x)

    @staticmethod
    def log2(x: float) -> float:
        return _logarithm(math.log2, x)

    @staticmethod
    def log10(x: float) -> float:
        return _logarithm(math.log10, x)

    @staticmethod
    def log1p(x: float) -> float:
        return _logarithm(math.log1p, x, at=-1.0)

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
    def tan(x: float) -> float:
        return math.tan(x) if math.isfinite(x) else math.nan

    # floor, ceil and round keep inf and nan, which have no integer to round to.
    @staticmethod
    def floor(x: float) -> float:
        return float(math.floor(x)) if math.isfinite(x) else x

    @staticmethod
    def ceil(x: float) -> float:
        return float(math.ceil(x)) if math.isfinite(x) else x

    @staticmethod
    def round(x: float, decimals: int = 0) -> float:
        """Half to even at ``decimals`` places, scaled as NumPy and PyTorch do (so 2.675
        rounds to 2.68 here as there, where Python's exact ``round(2.675, 2)`` gives 2.67)."""
        if not math.isfinite(x):
            return x
        if decimals >= 0:
            return round(x * 10.0 ** decimals) / 10.0 ** decimals
        return round(x / 10.0 ** -decimals) * 10.0 ** -decimals

    erf = staticmethod(math.erf)

    @staticmethod
    def relu(x: float) -> float:
        return 0.0 if x <= 0 else x  # relu(nan) = nan

    @staticmethod
    def clip(x: float, low, high) -> float:
        # min(max(x, low), high): with low > high every x becomes high, as in PyTorch
        if low is not None and x < low:
            x = float(low)
        if high is not None and x > high:
            x = float(high)
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

    @staticmethod
    def maximum(a: float, b: float) -> float:
        return a if a > b or a != a else b  # nan wins, as in NumPy

    tanh = staticmethod(math.tanh)
    abs = staticmethod(abs)
    copysign = staticmethod(math.copysign)

    @staticmethod
    def trunc(x: float) -> float:
        return float(math.trunc(x)) if math.isfinite(x) else x

    @staticmethod
    def remainder(a: float, b: float) -> float:
        """a − b·floor(a/b): the sign of b, as Python's % and PyTorch's remainder."""
        return a % b if b != 0 and math.isfinite(a) else math.nan

    @staticmethod
    def floor_divide(a: float, b: float) -> float:
        """Python's a // b (−2 // inf is −1), with 1 // 0 = inf and 0 // 0 = nan."""
        return a // b if b != 0 else FloatKernels.div(a, b)

    @staticmethod
    def logaddexp(a: float, b: float) -> float:
        if a == b:  # ±inf too, where a − b would be nan
            return a + math.log(2.0)
        high, low = (a, b) if a > b else (b, a)
        return high + math.log1p(math.exp(low - high)) if high == high else high


def _defined(function):
    """``function`` that answers nan outside its domain and ±inf beyond the floats (where
    Python's ``math`` raises): only sinh and cosh overflow, sinh with the sign of x."""
    def safe(x: float) -> float:
        try:
            return function(x)
        except ValueError:
            return math.nan
        except OverflowError:
            return math.copysign(math.inf, x) if function is math.sinh else math.inf
    return safe


for _name in ("asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh"):
    setattr(FloatKernels, _name, staticmethod(_defined(getattr(math, _name))))
FloatKernels.atanh = staticmethod(  # ±inf at ±1, where math.atanh raises
    lambda x: math.copysign(math.inf, x) if abs(x) == 1 else _defined(math.atanh)(x))


class ArrayKernels:
    """The primitives on arrays of one array module (``numpy``, or ``cupy`` on a GPU).

    The results keep the input's float dtype where NumPy would promote a Python float.
    """

    def __init__(self, xp):
        self.xp = xp
        for name in ("exp", "expm1", "tanh", "sin", "cos", "abs", "where", "minimum", "maximum",
                     "clip", "floor", "ceil", "round", "trunc", "copysign", "atan", "asinh"):
            setattr(self, name, getattr(xp, name))
        # log(0) = −inf, log(−1) = nan, tan(inf) = nan: silently, as in PyTorch
        for name in ("log", "log2", "log10", "log1p", "sqrt", "tan", "asin", "acos", "sinh",
                     "cosh", "acosh", "atanh", "remainder", "floor_divide", "logaddexp"):
            setattr(self, name, _quietly(getattr(xp, name)))

    def div(self, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):  # 1/0 = inf silently, as PyTorch
            return a / b

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

    def erf(self, x):
        """erf(x) to about 1e-15 relative (float64), from W. J. Cody's rational
        approximations ("Rational Chebyshev approximations for the error function", Math.
        Comp. 1969), each of the three ranges evaluated on the whole array and then chosen."""
        xp = self.xp
        y = xp.abs(x)
        with np.errstate(all="ignore"):  # each range is also evaluated where it is not used
            small = x * _ratio(_ERF_SMALL, y * y)                       # |x| ≤ 0.46875: erf
            middle = xp.exp(-y * y) * _ratio(_ERFC_MIDDLE, y)          # |x| ≤ 4: erfc
            z = 1 / (y * y)
            large = xp.exp(-y * y) * (_ONE_OVER_SQRT_PI - z * _ratio(_ERFC_LARGE, z)) / y
            erfc = xp.where(y <= 4, middle, large)
            return xp.where(y <= 0.46875, small, xp.copysign(1 - erfc, x))

    def add_at(self, target, index, values) -> None:
        """target[index] += values, adding once per repeat of an index (an element picked
        twice gets both gradients)."""
        self.xp.add.at(target, index, values)


def _logarithm(log, x: float, at: float = 0.0) -> float:
    """``log(x)`` for a logarithm whose argument must exceed ``at``: −inf at ``at`` and
    nan below it (and at nan), where Python's ``math`` would raise."""
    if x > at:
        return log(x)
    return -math.inf if x == at else math.nan


def _quietly(function):
    """``function`` with NumPy's floating-point warnings off: its inf and nan are answers."""
    def quiet(*x):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return function(*x)
    return quiet


def _ratio(coefficients: tuple, z):
    """numerator(z) / denominator(z), each polynomial's coefficients highest power first
    (Horner's rule)."""
    numerator, denominator = coefficients
    return (reduce(lambda total, c: total * z + c, numerator[1:], numerator[0])
            / reduce(lambda total, c: total * z + c, denominator[1:], denominator[0]))


# Cody's coefficients (Math. Comp. 1969), highest power first: erf(x) = x·R(x²) for
# |x| ≤ 0.46875; erfc(y) = e^(−y²)·R(y) for y ≤ 4; erfc(y) = e^(−y²)/y·(1/√π − z·R(z)),
# z = 1/y², beyond.
_ERF_SMALL = (
    (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
     3.77485237685302021e02, 3.20937758913846947e03),
    (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
     2.84423683343917062e03))
_ERFC_MIDDLE = (
    (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
     6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
     1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03),
    (1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
     1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
     3.43936767414372164e03, 1.23033935480374942e03))
_ERFC_LARGE = (
    (1.63153871373020978e-2, 3.05326634961232344e-1, 3.60344899949804439e-1,
     1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4),
    (1.0, 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
     6.05183413124413191e-2, 2.33520497626869185e-3))
_ONE_OVER_SQRT_PI = 5.6418958354775628695e-1

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
