"""Convolution and pooling over images, NCHW as in PyTorch: the functions ``conv2d``,
``max_pool2d``, ``avg_pool2d`` and the layers ``Conv2d``, ``MaxPool2d``, ``AvgPool2d``.

This module reads and checks the arguments (kernel sizes, strides, padding as an int, a
pair, ``"valid"`` or ``"same"``) and holds the layers' weights; the ops themselves, each
one graph node computed on im2col matrices and window views, are in :mod:`nn.ops`.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, get_default_dtype

from . import init, ops
from .inputs import as_tensor
from .module import Module, Parameter

# === shapes and padding ===================================================================

def _pair(value, name: str, minimum: int = 0) -> tuple[int, int]:
    """``3`` → ``(3, 3)``; ``(3, 5)`` stays; anything else is a clear error."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) and v >= minimum
                                 for v in pair):
        kind = "a non-negative int" if minimum == 0 else f"an int of at least {minimum}"
        raise ValueError(f"{name} must be {kind} or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def _padding(padding, kernel: tuple, stride: tuple) -> tuple:
    """The zeros added to ((top, bottom), (left, right)) for an int, a pair, "valid" or "same".

    "same" keeps H and W at stride 1; an even kernel then gets the extra row at the bottom
    and the extra column at the right, as in PyTorch.
    """
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"padding='same' needs stride 1 (the output would not keep the "
                             f"input's size), got stride {stride}")
        return tuple(((k - 1) // 2, k - 1 - (k - 1) // 2) for k in kernel)
    rows, cols = _pair(padding, "padding")
    return (rows, rows), (cols, cols)


def _conv_args(kernel: tuple, stride, padding) -> tuple:
    """The stride as a pair and the padding as ((top, bottom), (left, right)), checked."""
    stride = _pair(stride, "stride")
    if min(stride) < 1:
        raise ValueError(f"conv2d: stride must be positive, got {stride}")
    return stride, _padding(padding, kernel, stride)


def _pool_args(kernel_size, stride, padding) -> tuple:
    """Kernel, stride (by default the kernel: windows side by side) and padding as pairs,
    checked as PyTorch checks them."""
    kernel = _pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else _pair(stride, "stride")
    padding = _pair(padding, "padding")
    if min(kernel) < 1 or min(stride) < 1:
        raise ValueError(f"kernel_size and stride must be positive, got {kernel} and {stride}")
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        raise ValueError(f"padding {padding} must be at most half the kernel size {kernel}"
                         " (a window must not see only padding)")
    return kernel, stride, padding


# === functional forms =====================================================================

def conv2d(x, weight, bias=None, stride=1, padding=0) -> Tensor:
    r"""2-D convolution (cross-correlation) of a batch (N, C, H, W) with ``weight``
    (O, C, kh, kw), plus ``bias`` (O,), as ``torch.nn.functional.conv2d``.

    .. math:: \mathrm{out}[n, o, i, j] = b_o + \sum_{c, a, b}
              x_{\mathrm{pad}}[n, c, i s + a, j s + b]\; W[o, c, a, b]

        >>> x, w = Tensor.randn(8, 3, 32, 32), Tensor.randn(16, 3, 5, 5)
        >>> conv2d(x, w, padding=2).shape
        Size([8, 16, 32, 32])

    ``stride`` and ``padding`` are an int or a pair (rows, columns); ``padding`` may also
    be ``"valid"`` (none) or ``"same"`` (output as large as the input, stride 1).
    """
    stride, padding = _conv_args(np.shape(weight)[2:], stride, padding)
    x = as_tensor(x, "conv2d")
    if bias is None:
        return ops.conv2d_without_bias(x, weight, stride=stride, padding=padding)
    return ops.conv2d(x, weight, bias, stride=stride, padding=padding)


def max_pool2d(x, kernel_size, stride=None, padding=0) -> Tensor:
    """The maximum of each ``kernel_size`` window, one every ``stride`` pixels (default:
    ``kernel_size``, windows side by side), as ``torch.nn.functional.max_pool2d``.

        >>> x = Tensor.randn(8, 16, 32, 32)
        >>> max_pool2d(x, 2).shape
        Size([8, 16, 16, 16])

    Padding is with −∞, so a padded position never wins. The gradient of each output goes
    to the position that won its window (the first one, on ties).
    """
    kernel, stride, padding = _pool_args(kernel_size, stride, padding)
    return ops.max_pool2d(as_tensor(x, "max_pool2d"), kernel=kernel, stride=stride,
                          padding=padding)


def avg_pool2d(x, kernel_size, stride=None, padding=0) -> Tensor:
    """The mean of each ``kernel_size`` window, as ``torch.nn.functional.avg_pool2d``.

        >>> x = Tensor.randn(8, 16, 32, 32)
        >>> avg_pool2d(x, 2).shape
        Size([8, 16, 16, 16])

    Padding is with zeros, and they count in the mean (PyTorch's ``count_include_pad``).
    """
    kernel, stride, padding = _pool_args(kernel_size, stride, padding)
    return ops.avg_pool2d(as_tensor(x, "avg_pool2d"), kernel=kernel, stride=stride,
                          padding=padding)


# === modules ==============================================================================

class Conv2d(Module):
    r"""A convolution layer: ``weight`` (out, in, kh, kw) and ``bias`` (out,), initialised
    as PyTorch does, from U(−k, k) with :math:`k = 1/\sqrt{\text{in} \cdot kh \cdot kw}`.

        >>> conv = Conv2d(3, 16, kernel_size=5, padding="same")
        >>> conv(Tensor.randn(8, 3, 32, 32)).shape
        Size([8, 16, 32, 32])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 padding=0, bias: bool = True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _pair(kernel_size, "kernel_size", minimum=1)
        self.stride = _pair(stride, "stride")
        self.padding = padding if isinstance(padding, str) else _pair(padding, "padding")
        _conv_args(self.kernel_size, stride, padding)  # a bad value fails here, early
        dtype = get_default_dtype()
        self.weight = Parameter(np.empty((out_channels, in_channels, *self.kernel_size), dtype))
        self.bias = Parameter(np.empty(out_channels, dtype)) if bias else None
        # PyTorch's choice: He-uniform with a = √5, which amounts to U(−k, k) as above,
        # drawn weight first.
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if bias:
            bound = 1 / math.sqrt(in_channels * self.kernel_size[0] * self.kernel_size[1])
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x) -> Tensor:
        x = as_tensor(x, "Conv2d")
        if x.ndim == 4 and x.shape[1] != self.in_channels:  # name the layer, not its weight
            raise ValueError(f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size="
                             f"{self.kernel_size}) expects {self.in_channels} input channels, "
                             f"got {x.shape[1]} (input shape {tuple(x.shape)})")
        return conv2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        return text + ("" if self.bias is not None else ", bias=False")


class _Pool2d(Module):
    """What max and average pooling layers share: their arguments, their repr, and a
    forward that hands the arguments to the layer's ``function``."""

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding
        _pool_args(kernel_size, stride, padding)  # a bad value fails here, early

    def forward(self, x) -> Tensor:
        return self.function(x, self.kernel_size, self.stride, self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """Max pooling as a layer; see :func:`max_pool2d`.

        >>> pool = MaxPool2d(2)
        >>> pool(Tensor.randn(8, 16, 32, 32)).shape
        Size([8, 16, 16, 16])
    """

    function = staticmethod(max_pool2d)


class AvgPool2d(_Pool2d):
    """Average pooling as a layer; see :func:`avg_pool2d`.

        >>> pool = AvgPool2d(2)
        >>> pool(Tensor.randn(8, 16, 32, 32)).shape
        Size([8, 16, 16, 16])
    """

    function = staticmethod(avg_pool2d)
