"""Convolution and pooling over images, NCHW as in PyTorch: the functions ``conv2d``,
``conv_transpose2d``, ``max_pool2d``, ``avg_pool2d``, ``adaptive_avg_pool2d``,
``adaptive_max_pool2d`` and their layers ``Conv2d``, ``ConvTranspose2d``, ``MaxPool2d``,
``AvgPool2d``, ``AdaptiveAvgPool2d``, ``AdaptiveMaxPool2d``.

This module reads and checks the arguments (kernel sizes, strides, dilations, padding as
an int, a pair, ``"valid"`` or ``"same"``) and holds the layers' weights; the ops
themselves, each one graph node computed on im2col matrices and window views, are in
:mod:`nn.ops`. Each function also takes a single image (C, H, W), as PyTorch's do.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from autograd import Tensor, get_default_dtype, stack
from autograd.kernels import kernels_for

from . import init, ops
from .inputs import as_tensor
from .module import Module, Parameter
from .padding import pad

# === shapes and padding ===================================================================


def _pair(value, name: str, minimum: int = 0) -> tuple[int, int]:
    """``3`` → ``(3, 3)``; ``(3, 5)`` stays; anything else is a clear error."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) and v >= minimum
                                 for v in pair):
        kind = "a non-negative int" if minimum == 0 else f"an int of at least {minimum}"
        raise ValueError(f"{name} must be {kind} or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def _padding(padding, kernel: tuple, stride: tuple, dilation: tuple = (1, 1)) -> tuple:
    """The zeros added to ((top, bottom), (left, right)) for an int, a pair, "valid" or "same".

    "same" keeps H and W at stride 1; when the kernel spans an even number of pixels, the
    extra row goes to the bottom and the extra column to the right, as in PyTorch.
    """
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"padding='same' needs stride 1 (the output would not keep the "
                             f"input's size), got stride {stride}")
        return tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2)
                     for k, d in zip(kernel, dilation))
    rows, cols = _pair(padding, "padding")
    return (rows, rows), (cols, cols)


def _conv_args(kernel: tuple, stride, padding, dilation=1) -> tuple:
    """The stride and dilation as pairs and the padding as ((top, bottom), (left, right)),
    checked."""
    stride, dilation = _pair(stride, "stride"), _pair(dilation, "dilation")
    if min(stride) < 1:
        raise ValueError(f"conv2d: stride must be positive, got {stride}")
    if min(dilation) < 1:
        raise ValueError(f"conv2d: dilation must be positive, got {dilation}")
    return stride, _padding(padding, kernel, stride, dilation), dilation


def _unbatched(function):
    """Let ``function`` of a batch (N, C, H, W) take one image (C, H, W) too, as PyTorch's
    functions do: the image goes in as a batch of one and comes out as an image."""
    @functools.wraps(function)
    def on_images(input, *args, **kwargs):
        x = as_tensor(input, function.__name__)
        if x.ndim != 3:
            return function(x, *args, **kwargs)
        out = function(x.unsqueeze(0), *args, **kwargs)
        return tuple(o.squeeze(0) for o in out) if isinstance(out, tuple) else out.squeeze(0)
    return on_images


# === convolutions =========================================================================


@_unbatched
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    r"""2-D convolution (cross-correlation) of a batch (N, C, H, W) with ``weight``
    (O, C/groups, kh, kw), plus ``bias`` (O,), as ``torch.nn.functional.conv2d``.

    .. math:: \mathrm{out}[n, o, i, j] = b_o + \sum_{c, a, b}
              x_{\mathrm{pad}}[n, c, i s + a d, j s + b d]\; W[o, c, a, b]

        >>> x, w = Tensor.randn(8, 3, 32, 32), Tensor.randn(16, 3, 5, 5)
        >>> conv2d(x, w, padding=2).shape
        Size([8, 16, 32, 32])

    ``stride``, ``padding`` and ``dilation`` (the spacing of the kernel's taps) are an int
    or a pair (rows, columns); ``padding`` may also be ``"valid"`` (none) or ``"same"``
    (output as large as the input, stride 1). With ``groups`` = g the channels split into
    g groups, each convolved with its own O/g kernels (g = C: one kernel per channel).
    """
    stride, padding, dilation = _conv_args(np.shape(weight)[2:], stride, padding, dilation)
    if not isinstance(groups, int) or groups < 1 or np.shape(weight)[0] % groups:
        raise ValueError(f"conv2d: groups must be a positive int that divides the "
                         f"{np.shape(weight)[0]} output channels, got {groups!r}")
    options = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    if bias is None:
        return ops.conv2d_without_bias(input, weight, **options)
    return ops.conv2d(input, weight, bias, **options)


@_unbatched
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1) -> Tensor:
    """The transposed convolution of a batch (N, C, H, W) with ``weight`` (C, O/groups, kh,
    kw), as ``torch.nn.functional.conv_transpose2d``: the input gradient of ``conv2d``,
    used as a layer that enlarges images (a "deconvolution").

        >>> x, w = Tensor.randn(8, 16, 7, 7), Tensor.randn(16, 3, 4, 4)
        >>> conv_transpose2d(x, w, stride=2, padding=1).shape
        Size([8, 3, 14, 14])

    The output has (H − 1)·stride − 2·padding + dilation·(kh − 1) + output_padding + 1
    rows (and columns alike): the size of the images that ``conv2d`` with the same
    arguments shrinks to H; ``output_padding`` (less than the stride or the dilation)
    picks one where several do.
    """
    x = as_tensor(input, "conv_transpose2d")
    kernel = np.shape(weight)[2:]
    if isinstance(padding, str):
        raise ValueError("conv_transpose2d: padding must be an int or a pair")
    stride, padding, dilation = _conv_args(kernel, stride, padding, dilation)
    extra = _pair(output_padding, "output_padding")
    if any(e >= max(s, d) for e, s, d in zip(extra, stride, dilation)):
        raise ValueError(f"conv_transpose2d: output_padding {extra} must be smaller than the "
                         f"stride {stride} or the dilation {dilation}")
    if x.ndim != 4:
        raise ValueError(f"conv_transpose2d: expected a batch of images (N, C, H, W), got "
                         f"shape {tuple(x.shape)}")
    size = tuple((n - 1) * s - sum(p) + d * (k - 1) + e + 1 for n, s, p, d, k, e in
                 zip(x.shape[2:], stride, padding, dilation, kernel, extra))
    options = dict(size=size, stride=stride, padding=padding, dilation=dilation, groups=groups)
    if bias is None:
        return ops.conv_transpose2d_without_bias(x, weight, **options)
    return ops.conv_transpose2d(x, weight, bias, **options)


class _ConvNd(Module):
    """What Conv2d and ConvTranspose2d share: their arguments, weights drawn as PyTorch
    draws them, and their repr."""

    output_padding = (0, 0)

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride, padding,
                 dilation, groups: int, bias: bool, padding_mode: str, weight_shape: tuple,
                 device, dtype):
        super().__init__()
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"{type(self).__name__}: groups={groups} must divide both "
                             f"in_channels={in_channels} and out_channels={out_channels}")
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"{type(self).__name__}: padding_mode must be 'zeros', 'reflect',"
                             f" 'replicate' or 'circular', got {padding_mode!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _pair(kernel_size, "kernel_size", minimum=1)
        self.stride, self.dilation = _pair(stride, "stride"), _pair(dilation, "dilation")
        self.padding = padding if isinstance(padding, str) else _pair(padding, "padding")
        self.groups, self.padding_mode = groups, padding_mode
        _conv_args(self.kernel_size, stride, padding, dilation)  # a bad value fails here, early
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.empty(weight_shape + self.kernel_size, dtype))
        self.bias = Parameter(np.empty(out_channels, dtype)) if bias else None
        self.reset_parameters()
        if device is not None:
            self.to(device)

    def reset_parameters(self) -> None:
        """Draw fresh weights as PyTorch does: He-uniform with a = √5, which amounts to
        U(−k, k) with k = 1/√fan_in, and the bias from the same range, weight first."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * self.kernel_size[0] * self.kernel_size[1]
            bound = 1 / math.sqrt(fan_in) if fan_in else 0.0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.output_padding != (0, 0):
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv2d(_ConvNd):
    r"""A convolution layer: ``weight`` (out, in/groups, kh, kw) and ``bias`` (out,),
    initialised as PyTorch does, from U(−k, k) with
    :math:`k = 1/\sqrt{\text{in}/\text{groups} \cdot kh \cdot kw}`.

        >>> conv = Conv2d(3, 16, kernel_size=5, padding="same")
        >>> conv(Tensor.randn(8, 3, 32, 32)).shape
        Size([8, 16, 32, 32])

    ``padding_mode`` fills the border with zeros (``"zeros"``), the image mirrored
    (``"reflect"``), its edge pixels (``"replicate"``) or the opposite side
    (``"circular"``); see :func:`nn.functional.pad`.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 padding=0, dilation=1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, (out_channels, in_channels // groups),
                         device, dtype)

    def forward(self, x) -> Tensor:
        x = as_tensor(x, "Conv2d")
        if x.ndim in (3, 4) and x.shape[-3] != self.in_channels:  # name the layer
            raise ValueError(f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size="
                             f"{self.kernel_size}) expects {self.in_channels} input channels, "
                             f"got {x.shape[-3]} (input shape {tuple(x.shape)})")
        if self.padding_mode == "zeros":
            return conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                          self.groups)
        (top, bottom), (left, right) = _padding(self.padding, self.kernel_size, self.stride,
                                                self.dilation)
        return conv2d(pad(x, (left, right, top, bottom), self.padding_mode), self.weight,
                      self.bias, self.stride, 0, self.dilation, self.groups)


class ConvTranspose2d(_ConvNd):
    """A transposed convolution layer, which enlarges images: ``weight`` (in,
    out/groups, kh, kw) and ``bias`` (out,), initialised as PyTorch's; see
    :func:`conv_transpose2d`.

        >>> up = ConvTranspose2d(16, 3, kernel_size=4, stride=2, padding=1)
        >>> up(Tensor.randn(8, 16, 7, 7)).shape
        Size([8, 3, 14, 14])

    ``forward(x, output_size)`` picks the output_padding that gives ``output_size``.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 padding=0, output_padding=0, groups: int = 1, bias: bool = True,
                 dilation=1, padding_mode: str = "zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError('Only "zeros" padding mode is supported for ConvTranspose2d')
        self.output_padding = _pair(output_padding, "output_padding")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, (in_channels, out_channels // groups),
                         device, dtype)

    def forward(self, x, output_size=None) -> Tensor:
        extra = self.output_padding
        if output_size is not None:
            x = as_tensor(x, "ConvTranspose2d")
            smallest = [(n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in zip(
                x.shape[-2:], self.stride, self.padding, self.dilation, self.kernel_size)]
            extra = tuple(int(want) - least
                          for want, least in zip(tuple(output_size)[-2:], smallest))
        return conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, extra,
                                self.groups, self.dilation)


# === pooling ==============================================================================


def _pool_size(size: int, kernel: int, stride: int, padding: int, dilation: int,
               ceil_mode: bool) -> tuple[int, int]:
    """PyTorch's number of windows along one dim, and the extra padding at the end that
    ``ceil_mode`` needs for a last, partial window (which must start inside the image or
    its left padding)."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    count = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (count - 1) * stride >= size + padding:
        count -= 1
    return count, max(0, (count - 1) * stride + dilation * (kernel - 1) + 1 - size - 2 * padding)


def _pool_args(kernel_size, stride, padding, dilation=1) -> tuple:
    """Kernel, stride (by default the kernel: windows side by side), padding and dilation
    as pairs, checked as PyTorch checks them."""
    kernel = _pair(kernel_size, "kernel_size")
    stride = kernel if stride is None or stride == [] else _pair(stride, "stride")
    padding, dilation = _pair(padding, "padding"), _pair(dilation, "dilation")
    if min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1:
        raise ValueError(f"kernel_size, stride and dilation must be positive, got {kernel}, "
                         f"{stride} and {dilation}")
    extent = ops._extent(kernel, dilation)
    if padding[0] > extent[0] // 2 or padding[1] > extent[1] // 2:
        raise ValueError(f"padding {padding} must be at most half the kernel size {kernel}"
                         " (a window must not see only padding)")
    return kernel, stride, padding, dilation


def _pool_geometry(x: Tensor, kernel, stride, padding, dilation, ceil_mode) -> tuple:
    """((top, bottom), (left, right)) padding, with ceil_mode's extra at the bottom and
    right, and the output's (rows, columns)."""
    if x.ndim != 4:
        raise ValueError(f"expected a batch of images (N, C, H, W), got {x.ndim} dimensions")
    extent = ops._extent(kernel, dilation)
    padded = [size + 2 * p for size, p in zip(x.shape[2:], padding)]
    if extent[0] > padded[0] or extent[1] > padded[1]:
        raise ValueError(f"the {extent[0]}×{extent[1]} window is larger than the (padded) "
                         f"input {padded[0]}×{padded[1]}")
    counts, widths = [], []
    for size, k, s, p, d in zip(x.shape[2:], kernel, stride, padding, dilation):
        count, extra = _pool_size(size, k, s, p, d, ceil_mode)
        counts.append(count)
        widths.append((p, p + extra))
    return tuple(widths), tuple(counts)


@_unbatched
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each ``kernel_size`` window, one every ``stride`` pixels (default:
    ``kernel_size``, windows side by side), as ``torch.nn.functional.max_pool2d``.

        >>> x = Tensor.randn(8, 16, 32, 32)
        >>> max_pool2d(x, 2).shape
        Size([8, 16, 16, 16])

    Padding is with −∞, so a padded position never wins. The gradient of each output goes
    to the position that won its window (the first one, on ties). ``ceil_mode`` keeps a
    last, partial window; ``return_indices`` returns also where each maximum was, as a
    position in its channel's flattened H×W (for ``max_unpool2d`` in PyTorch).
    """
    x = as_tensor(input, "max_pool2d")
    kernel, stride, padding, dilation = _pool_args(kernel_size, stride, padding, dilation)
    widths, _ = _pool_geometry(x, kernel, stride, padding, dilation, ceil_mode)
    options = dict(kernel=kernel, stride=stride, padding=widths, dilation=dilation)
    out = ops.max_pool2d(x, **options)
    if not return_indices:
        return out
    # the winners are in the node's ctx, which no_grad() does not keep: then found again
    ctx = out.ctx or ops.max_pool2d.forward(x.data, **options)[1]
    return out, Tensor(ops.max_pool2d_indices(ctx, x.shape), dtype=np.int64)


@_unbatched
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None) -> Tensor:
    """The mean of each ``kernel_size`` window, as ``torch.nn.functional.avg_pool2d``.

        >>> x = Tensor.randn(8, 16, 32, 32)
        >>> avg_pool2d(x, 2).shape
        Size([8, 16, 16, 16])

    Padding is with zeros, and they count in the mean unless ``count_include_pad`` is
    False; ``divisor_override`` divides every window's sum by that number instead.
    """
    x = as_tensor(input, "avg_pool2d")
    kernel, stride, padding, _ = _pool_args(kernel_size, stride, padding)
    widths, counts = _pool_geometry(x, kernel, stride, padding, (1, 1), ceil_mode)
    options = dict(kernel=kernel, stride=stride, padding=widths)
    if divisor_override is not None:
        return ops.avg_pool2d_counted(x, **options, divisor=divisor_override)
    if count_include_pad and widths == tuple((p, p) for p in padding):
        return ops.avg_pool2d(x, **options)
    # PyTorch's count for each window: the pixels of the image and, with
    # count_include_pad, of its padding, but never of ceil_mode's extra
    per_dim = []
    for size, count, k, s, p in zip(x.shape[2:], counts, kernel, stride, padding):
        start = np.arange(count) * s - p
        stop = np.minimum(start + k, size + p)
        per_dim.append(stop - start if count_include_pad else
                       np.minimum(stop, size) - np.maximum(start, 0))
    divisor = np.multiply.outer(*per_dim)[None, :, :, None].astype(x.dtype)  # on the host
    return ops.avg_pool2d_counted(x, **options, divisor=kernels_for(x.data).xp.asarray(divisor))


def _output_size(output_size, x: Tensor) -> tuple[int, int]:
    """An adaptive pool's (rows, columns): an int for both, or a pair with None for the
    input's own size."""
    sizes = (output_size, output_size) if not isinstance(output_size, (tuple, list)) \
        else tuple(output_size)
    return tuple(x.shape[2 + i] if size is None else int(size) for i, size in enumerate(sizes))


def _bins(size: int, count: int) -> list[tuple[int, int]]:
    """PyTorch's adaptive windows: bin i covers ⌊i·size/count⌋ to ⌈(i+1)·size/count⌉."""
    return [(i * size // count, -(-(i + 1) * size // count)) for i in range(count)]


@_unbatched
def adaptive_avg_pool2d(input, output_size) -> Tensor:
    """Average pooling to a fixed output size, whatever the input's, as
    ``torch.nn.functional.adaptive_avg_pool2d``: ``output_size`` 1 averages each channel.

        >>> adaptive_avg_pool2d(Tensor.randn(8, 16, 7, 5), 1).shape
        Size([8, 16, 1, 1])

    When the size divides evenly it is ``avg_pool2d`` with windows side by side; else
    each row of windows, then each column, is a mean over its bin of rows (columns).
    """
    x = as_tensor(input, "adaptive_avg_pool2d")
    if x.ndim != 4:
        raise ValueError(f"adaptive_avg_pool2d: expected a batch of images (N, C, H, W), got "
                         f"shape {tuple(x.shape)}")
    out = _output_size(output_size, x)
    if all(size % count == 0 for size, count in zip(x.shape[2:], out)):
        kernel = tuple(size // count for size, count in zip(x.shape[2:], out))
        return ops.avg_pool2d(x, kernel=kernel, stride=kernel, padding=((0, 0), (0, 0)))
    for dim, count in ((2, out[0]), (3, out[1])):
        x = stack([x.narrow(dim, start, stop - start).mean(dim)
                   for start, stop in _bins(x.shape[dim], count)], dim)
    return x


@_unbatched
def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed output size, as ``torch.nn.functional.adaptive_max_pool2d``.

        >>> adaptive_max_pool2d(Tensor.randn(8, 16, 7, 5), (2, 2)).shape
        Size([8, 16, 2, 2])

    Each window's arg-max (its first, on ties) is found first; the output is the pick of
    those positions (``gather``), whose gradient goes to them alone.
    """
    x = as_tensor(input, "adaptive_max_pool2d")
    if x.ndim != 4:
        raise ValueError(f"adaptive_max_pool2d: expected a batch of images (N, C, H, W), got "
                         f"shape {tuple(x.shape)}")
    n, c, height, width = x.shape
    rows, cols = (_bins(size, count) for size, count in zip((height, width),
                                                             _output_size(output_size, x)))
    where = kernels_for(x.data).xp.empty((n, c, len(rows), len(cols)), np.int64)
    for i, (top, bottom) in enumerate(rows):
        for j, (left, right) in enumerate(cols):
            window = x.data[:, :, top:bottom, left:right].reshape(n, c, -1)
            best = window.argmax(axis=2)
            a, b = best // (right - left), best % (right - left)
            where[:, :, i, j] = (top + a) * width + left + b
    out = x.flatten(2).gather(2, Tensor(where.reshape(n, c, -1), dtype=np.int64))
    out = out.reshape(where.shape)
    return (out, Tensor(where, dtype=np.int64)) if return_indices else out


# === pooling layers =======================================================================


class MaxPool2d(Module):
    """Max pooling as a layer; see :func:`max_pool2d`.

        >>> pool = MaxPool2d(2)
        >>> pool(Tensor.randn(8, 16, 32, 32)).shape
        Size([8, 16, 16, 16])
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1,
                 return_indices: bool = False, ceil_mode: bool = False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode
        _pool_args(kernel_size, stride, padding, dilation)  # a bad value fails here, early

    def forward(self, x):
        return max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation,
                          self.ceil_mode, self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
                f", dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(Module):
    """Average pooling as a layer; see :func:`avg_pool2d`.

        >>> pool = AvgPool2d(2)
        >>> pool(Tensor.randn(8, 16, 32, 32)).shape
        Size([8, 16, 16, 16])
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override
        _pool_args(kernel_size, stride, padding)  # a bad value fails here, early

    def forward(self, x) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed size as a layer; see :func:`adaptive_avg_pool2d`.

        >>> AdaptiveAvgPool2d((1, 1))(Tensor.randn(8, 16, 7, 7)).shape
        Size([8, 16, 1, 1])
    """

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, x) -> Tensor:
        return adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(AdaptiveAvgPool2d):
    """Max pooling to a fixed size as a layer; see :func:`adaptive_max_pool2d`.

        >>> AdaptiveMaxPool2d(2)(Tensor.randn(8, 16, 7, 7)).shape
        Size([8, 16, 2, 2])
    """

    def __init__(self, output_size, return_indices: bool = False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, x):
        return adaptive_max_pool2d(x, self.output_size, self.return_indices)
