"""Weight initialisation, in place, with PyTorch's names and formulas.

Every function draws from NumPy's global random state unless given a ``generator`` (an
``np.random.Generator``, a ``RandomState`` or an ``autograd.Generator``; see
:mod:`nn.rng`), so ``np.random.seed(0)`` makes a run reproducible. Each returns the tensor
it filled.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor
from autograd.kernels import kernels_for

from .rng import numpy_rng


def _fill(tensor: Tensor, values) -> Tensor:
    # in place: the Parameter object stays the one modules hold; drawn on the host, so
    # that a seed gives the same weights on any device
    tensor.data[...] = kernels_for(tensor.data).xp.asarray(values)
    return tensor


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor that keeps activations' variance steady through ``nonlinearity``.

        >>> calculate_gain("relu")
        1.4142135623730951
    """
    if nonlinearity in ("linear", "sigmoid", "conv1d", "conv2d", "identity"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}; expected one of "
                     "linear, sigmoid, tanh, relu, leaky_relu, selu")


def _fans(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out): inputs and outputs per unit; a conv kernel (out, in, kh, kw)
    counts each kernel position, as PyTorch does."""
    if tensor.ndim < 2:
        raise ValueError(f"init: fan in and fan out need at least 2 dimensions, got shape "
                         f"{tuple(tensor.shape)}")
    receptive = int(np.prod(tensor.shape[2:]))
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"init: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fill with samples from U(a, b).

        >>> w = Tensor.zeros(2, 3)
        >>> uniform_(w, -1, 1).shape
        Size([2, 3])
    """
    return _fill(tensor, numpy_rng(generator).uniform(a, b, size=tensor.shape))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fill with samples from N(mean, std²).

        >>> w = Tensor.zeros(2, 3)
        >>> normal_(w, std=0.01).shape
        Size([2, 3])
    """
    return _fill(tensor, numpy_rng(generator).normal(mean, std, size=tensor.shape))


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros.

        >>> b = Tensor.ones(3)
        >>> zeros_(b)
        tensor([0., 0., 0.])
    """
    return _fill(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones.

        >>> g = Tensor.zeros(3)
        >>> ones_(g)
        tensor([1., 1., 1.])
    """
    return _fill(tensor, 1.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)), for tanh/sigmoid nets.

        >>> w = Tensor.zeros(80, 64)
        >>> float(abs(xavier_uniform_(w).data).max()) <= (6 / 144) ** 0.5
        True
    """
    fan_in, fan_out = _fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).

        >>> w = Tensor.zeros(80, 64)
        >>> xavier_normal_(w).shape
        Size([80, 64])
    """
    fan_in, fan_out = _fans(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator=None) -> Tensor:
    """He: U(−b, b) with b = gain·√(3 / fan), for ReLU nets (``a`` is the leaky slope).

        >>> w = Tensor.zeros(1024, 784)
        >>> kaiming_uniform_(w, nonlinearity="relu").shape
        Size([1024, 784])
    """
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / _fan(tensor, mode))
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator=None) -> Tensor:
    """He: N(0, σ²) with σ = gain / √fan.

        >>> w = Tensor.zeros(1024, 784)
        >>> kaiming_normal_(w, nonlinearity="relu").shape
        Size([1024, 784])
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)
