"""Padding, as ``torch.nn.functional.pad``: the function ``pad`` and the layers
``ZeroPad2d``, ``ConstantPad2d``, ``ReflectionPad2d``, ``ReplicationPad2d`` and
``CircularPad2d``.

The widths come as PyTorch's flat tuple, the last dim first:
``(left, right)`` pads the last dim, ``(left, right, top, bottom)`` the last two.
Constant padding is autograd's ``pad``. The other modes only repeat elements of the
input, so each padded dim is one pick of input positions (``index_select``): the
reflection of 0 1 2 3 by two is 2 1 0 1 2 3 2 1. The pick's gradient adds up at every
position picked, so a border element that is also copied into the padding gets the
gradients of all its copies.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor

from .inputs import as_tensor
from .module import Module

# np.pad's names for PyTorch's modes
_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _widths(pad, ndim: int) -> list[tuple[int, int, int]]:
    """``(dim, before, after)`` for each padded dim, from PyTorch's flat tuple."""
    pad = tuple(pad)
    if len(pad) % 2 or len(pad) // 2 > ndim:
        raise ValueError(f"pad: the padding must have an even length of at most 2·{ndim} "
                         f"(two numbers per dim, the last dim first), got {pad}")
    return [(ndim - 1 - i, int(pad[2 * i]), int(pad[2 * i + 1])) for i in range(len(pad) // 2)]


def pad(input, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """``input`` with ``pad`` = (left, right, top, bottom, ...) added to its last dims,
    as ``torch.nn.functional.pad``; ``mode`` is ``"constant"`` (``value``, 0 by default;
    negative widths crop), ``"reflect"``, ``"replicate"`` or ``"circular"``.

        >>> x = Tensor([[1.0, 2.0, 3.0]])
        >>> pad(x, (2, 1))
        tensor([[0., 0., 1., 2., 3., 0.]])
        >>> pad(x, (2, 1), mode="reflect")
        tensor([[3., 2., 1., 2., 3., 2.]])
        >>> pad(x, (2, 1), mode="replicate"), pad(x, (2, 1), mode="circular")
        (tensor([[1., 1., 1., 2., 3., 3.]]), tensor([[2., 3., 1., 2., 3., 1.]]))
    """
    x = as_tensor(input, "pad")
    widths = _widths(pad, x.ndim)
    if mode == "constant":
        per_dim = _per_dim(widths, x.ndim)
        if any(before < 0 or after < 0 for _, before, after in per_dim):
            x = x[tuple(slice(max(-before, 0), x.shape[dim] - max(-after, 0))
                        for dim, before, after in per_dim)]
        return x.pad([(max(before, 0), max(after, 0)) for _, before, after in per_dim],
                     constant_values=0.0 if value is None else value)
    if mode not in _NUMPY_MODES:
        raise ValueError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', "
                         f"got {mode!r}")
    if value:
        raise ValueError(f"pad: padding mode {mode!r} doesn't take in value argument")
    for dim, before, after in widths:
        size = x.shape[dim]
        if min(before, after) < 0:
            raise ValueError(f"pad: negative padding crops in 'constant' mode only, got {pad}")
        too_wide = max(before, after) >= size if mode == "reflect" else \
            max(before, after) > size if mode == "circular" else size == 0
        if too_wide:
            raise ValueError(f"pad: padding {(before, after)} is too wide for dim {dim} of size "
                             f"{size} in {mode!r} mode")
        positions = np.pad(np.arange(size), (before, after), mode=_NUMPY_MODES[mode])
        x = x.index_select(dim, Tensor(positions, dtype=np.int64))
    return x


def _per_dim(widths, ndim: int) -> list[tuple[int, int, int]]:
    """``(dim, before, after)`` for every dim, 0s for those not padded."""
    given = {dim: (before, after) for dim, before, after in widths}
    return [(dim, *given.get(dim, (0, 0))) for dim in range(ndim)]


def _quadruple(padding) -> tuple[int, int, int, int]:
    return (padding,) * 4 if isinstance(padding, int) else tuple(padding)


class _Pad2d(Module):
    """Padding of the last two dims as a layer: ``padding`` is one int for all four
    sides, or (left, right, top, bottom)."""

    mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = _quadruple(padding)

    def forward(self, x) -> Tensor:
        return pad(x, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(_Pad2d):
    """Zeros around images (N, C, H, W).

        >>> ZeroPad2d(1)(Tensor.ones(1, 1, 2, 2)).shape
        Size([1, 1, 4, 4])
    """


class ConstantPad2d(_Pad2d):
    """``value`` around images.

        >>> ConstantPad2d((1, 0, 0, 0), 9.0)(Tensor.ones(1, 1, 1, 1))
        tensor([[[[9., 1.]]]])
    """

    def __init__(self, padding, value: float):
        super().__init__(padding)
        self.value = value

    def forward(self, x) -> Tensor:
        return pad(x, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ReflectionPad2d(_Pad2d):
    """The image mirrored at its borders (the border itself not repeated).

        >>> ReflectionPad2d((2, 0, 0, 0))(Tensor([[[[1.0, 2.0, 3.0]]]]))
        tensor([[[[3., 2., 1., 2., 3.]]]])
    """

    mode = "reflect"


class ReplicationPad2d(_Pad2d):
    """The border pixels repeated outwards.

        >>> ReplicationPad2d((2, 0, 0, 0))(Tensor([[[[1.0, 2.0, 3.0]]]]))
        tensor([[[[1., 1., 1., 2., 3.]]]])
    """

    mode = "replicate"


class CircularPad2d(_Pad2d):
    """The image wrapped around, as on a torus.

        >>> CircularPad2d((2, 0, 0, 0))(Tensor([[[[1.0, 2.0, 3.0]]]]))
        tensor([[[[2., 3., 1., 2., 3.]]]])
    """

    mode = "circular"
