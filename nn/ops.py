r"""nn's graph ops: the few layers that are one node each, with their forward rule and
vector-Jacobian products side by side.

Everything else in nn is composed from autograd's ops (``dropout`` is ``x * mask``,
``mse_loss`` a difference, a square and a mean), so its derivatives are autograd's rules.
The ops here are single nodes because they run on every training step, where a chain of
smaller nodes would cost much more, or because no chain of ops gives PyTorch's numbers.
Where a fused op contains an autograd op, it calls that op's forward and backward rather
than writing them again:

* :data:`linear` (``x @ Wᵀ + b``), whose gradients are autograd's matmul rule read twice;
* :data:`conv2d`, :data:`conv_transpose2d`, :data:`max_pool2d`, :data:`avg_pool2d`, on
  im2col matrices and window views;
* :data:`batch_norm`, whose input gradient includes the batch statistics' dependence on x;
* :data:`cross_entropy`, autograd's log_softmax with the pick of the true class and the mean;
* :data:`binary_cross_entropy`, with PyTorch's clamps at probabilities of exactly 0 or 1.

Each op writes its ``expression`` and, for each input, its VJP in ``formulas`` (``{g}`` is
the incoming gradient ∂L/∂out), so that ``autograd.derive`` and the graph pictures show the
rule that ``backward`` computes. The user-facing functions, which check and convert their
arguments, are in :mod:`nn.functional`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from autograd.kernels import kernels_for
from autograd.op import Op, unbroadcast
from autograd.ops.matmul import matmul
from autograd.ops.softmax import log_softmax
from autograd.threads import batch_chunks, in_order_sum, map_chunks

# === calling autograd's rules ============================================================


class _StandIn(NamedTuple):
    """The parts of a node that an autograd op's backward reads (its output ``data``, its
    ``parents``, its ``ctx``): a fused op hands one to that op's rule, so that the rule
    is computed, not written again, on arrays the fused op holds."""
    data: object = None
    parents: tuple = ()
    ctx: object = None


class _Operand(NamedTuple):
    """An input as a rule reads it: its array, and whether it needs a gradient."""
    data: np.ndarray
    requires_grad: bool


def _t(a: np.ndarray) -> np.ndarray:
    """aᵀ over the last two axes, as matmul transposes; a vector is its own transpose."""
    return a if a.ndim < 2 else a.swapaxes(-1, -2)


# === linear ===============================================================================


class LinearOp(Op):
    """``x @ weightᵀ + bias`` as one graph node, weight of shape (out, in).

    Both gradients are autograd's matmul rule (∂L/∂a = g @ bᵀ), each applied to the
    product written so that its gradient comes out in its input's own layout, with no
    transposed copy: W's to yᵀ = W @ xᵀ, which gives ∂L/∂W = gᵀ @ x, (out, in) like W;
    x's to y = x @ Wᵀ, which gives ∂L/∂x = g @ W, row-major like x (the elementwise rules
    that x's gradient goes on to run about twice as slowly on a transposed array). The
    bias gradient is the adjoint of broadcasting: g summed over the samples.
    """

    name = "linear"

    def __init__(self, bias: bool):
        self.expression = "{0} @ {1}ᵀ + {2}" if bias else "{0} @ {1}ᵀ"
        self.formulas = ("{g} @ {1}", "{g}ᵀ @ {0}", "Σ {g} over the samples")

    def forward(self, x, weight, *bias):
        out, _ = matmul.forward(x, weight.T)
        if bias:
            out += bias[0]
        return out, None

    def backward(self, node, g):
        x, weight, *bias = node.parents
        grad_x = grad_weight = None
        if weight.requires_grad:  # yᵀ = W @ xᵀ, with the gradient gᵀ
            grad_weight, _ = matmul.backward(
                _StandIn(parents=(weight, _Operand(_t(x.data), False))), _t(g))
        if x.requires_grad:  # y = x @ Wᵀ
            grad_x, _ = matmul.backward(_StandIn(parents=(x, _Operand(_t(weight.data), False))), g)
        grad_bias = [unbroadcast(g, b.shape) if b.requires_grad else None for b in bias]
        return (grad_x, grad_weight, *grad_bias)


linear, linear_without_bias = LinearOp(bias=True), LinearOp(bias=False)


# === convolution and pooling ==============================================================
#
# Every tensor a user sees is NCHW, as in PyTorch. Inside, each op looks at its input
# channels-last, as an (N, H, W, C) view of the same numbers. There, one row of an image
# patch (kw pixels × C channels) is one run of contiguous memory, so copying every patch
# into a matrix (im2col) is one fast copy, and the convolution becomes a single matrix
# product that BLAS computes:
#
#     out[(n, i, j), o] = Σ_(a, b, c) patches[(n, i, j), (a, b, c)] · W[(a, b, c), o]
#
# With groups, the channels split into g groups that never meet: g such products, one per
# group, computed as one stacked product. Dilation d spreads a kernel's taps d pixels apart.
#
# The result is handed back as an NCHW-shaped view of channels-last memory. NumPy keeps
# that layout through elementwise ops such as relu, so the next convolution finds its input
# channels-last already and its patches need no reordering.
#
# The input gradient of a convolution is itself a convolution, the transposed one:
# _spread places the output gradient on the input's grid, and a stride-1 pass of the
# flipped kernel over it is another single matrix product. ConvTranspose2d's forward is
# that same computation, and its gradients are the convolution's forward and weight
# gradient, so the two ops share these three functions. The pooling ops have no matrix
# product to hand to BLAS; they loop over the kh·kw positions of the window (4 for 2×2),
# each step one NumPy operation over the whole batch. Nothing loops over images, pixels
# or channels in Python.
#
# On the CPU each op splits its batch among the threads (autograd.threads): images never
# meet in these ops, so each chunk of images is computed apart, written into its own rows
# of the output; only the weight and bias gradients add up over the images.


def _channels_last(x, padding, fill=0.0):
    """The (N, C, H, W) batch as (N, H, W, C), padded on H and W with ``fill``.

    The padded copy is written border and middle by hand: ``np.pad`` costs about 0.1 ms
    of Python for each call, and a training step pads hundreds of blocks of images.
    """
    x = x.transpose(0, 2, 3, 1)
    if padding == ((0, 0), (0, 0)):
        return x
    (top, bottom), (left, right) = padding
    n, h, w, c = x.shape
    out = kernels_for(x).xp.empty((n, top + h + bottom, left + w + right, c), x.dtype)
    out[:, :top] = fill
    out[:, top + h:] = fill
    out[:, top:top + h, :left] = fill
    out[:, top:top + h, left + w:] = fill
    out[:, top:top + h, left:left + w] = x
    return out


def _extent(kernel: tuple, dilation: tuple) -> tuple:
    """How many pixels a kernel spans with its taps ``dilation`` apart."""
    return tuple((k - 1) * d + 1 for k, d in zip(kernel, dilation))


def _output_size(size: tuple, kernel: tuple, stride: tuple, dilation: tuple) -> tuple:
    """(OH, OW): how many windows fit on a (padded) image of ``size`` (H, W)."""
    extent = _extent(kernel, dilation)
    if size[0] < extent[0] or size[1] < extent[1]:
        raise ValueError(f"the {extent[0]}×{extent[1]} window is larger than the (padded) "
                         f"input {size[0]}×{size[1]}")
    return tuple((n - e) // s + 1 for n, e, s in zip(size, extent, stride))


def _padded(size: tuple, padding: tuple) -> tuple:
    """The image size (H, W) with ``padding`` ((top, bottom), (left, right)) added."""
    return tuple(n + before + after for n, (before, after) in zip(size, padding))


def _windows(x, kernel: tuple, stride: tuple, dilation: tuple = (1, 1)):
    """Every kh×kw window of the channels-last batch x (N, H, W, C), one every ``stride``
    pixels, its taps ``dilation`` apart, as a view (N, OH, OW, kh, kw, C) of x's memory:
    nothing is copied.

    Writing to the view writes to x; the pooling backward passes add into
    ``view[:, :, :, a, b]``, one window position at a time, which is safe even where
    windows overlap (no two windows share a pixel at the same position).
    """
    size = _output_size(x.shape[1:3], kernel, stride, dilation)  # the window must fit
    n, row, column, channel = x.strides
    return kernels_for(x).xp.lib.stride_tricks.as_strided(
        x, (len(x), *size, *kernel, x.shape[3]),
        (n, row * stride[0], column * stride[1], row * dilation[0], column * dilation[1],
         channel))


def _spread(grad, size: tuple, extent: tuple, stride: tuple, before: tuple):
    """The output gradient (N, OH, OW, C) laid out on a zero grid (N, H+eh-1, W+ew-1, C)
    so that the input gradient is a stride-1 window pass over it.

    Output pixel (i, j) saw input rows i·s − top + a·d for the kernel rows a; it goes to
    row eh − 1 − top + i·s of the grid, so the dilated window of the grid at input pixel
    (y, x) holds exactly the outputs that saw (y, x), in flipped kernel order. Between
    outputs stay s − 1 zeros. Outputs that land off the grid saw nothing but padding.
    """
    n, _, _, c = grad.shape
    grid = kernels_for(grad).xp.zeros(
        (n, size[0] + extent[0] - 1, size[1] + extent[1] - 1, c), grad.dtype)
    src, dst = [], []
    for axis in (0, 1):
        start, step, length = extent[axis] - 1 - before[axis], stride[axis], grid.shape[1 + axis]
        first = max(0, -(start // step))                         # first output on the grid
        stop = min(grad.shape[1 + axis], -((start - length) // step))  # one past the last
        src.append(slice(first, stop))
        dst.append(slice(start + first * step, start + stop * step, step))
    grid[:, dst[0], dst[1]] = grad[:, src[0], src[1]]
    return grid


def _unpad(x, padding: tuple):
    """The channels-last batch without the ``padding`` ((top, bottom), (left, right))."""
    (top, bottom), (left, right) = padding
    return x[:, top:x.shape[1] - bottom, left:x.shape[2] - right]


def _check_input(x) -> None:
    if x.ndim != 4:
        raise ValueError(f"expected a batch of images (N, C, H, W), got {x.ndim} dimensions")


def _patches(windows, groups: int):
    """The windows (N, OH, OW, kh, kw, C) as one patch matrix per group,
    (g, N·OH·OW, kh·kw·C/g): the one copy of im2col."""
    n, oh, ow, kh, kw, c = windows.shape
    if groups == 1:
        return windows.reshape(1, n * oh * ow, kh * kw * c)
    grouped = windows.reshape(n, oh, ow, kh, kw, groups, c // groups)
    return grouped.transpose(5, 0, 1, 2, 3, 4, 6).reshape(groups, n * oh * ow, -1)


def _kernels(weight, groups: int, flipped: bool = False):
    """The weight (O, C/g, kh, kw) as one matrix per group: (g, kh·kw·C/g, O/g), rows in
    the patches' order; ``flipped`` for the transposed convolution, (g, kh·kw·O/g, C/g),
    the kernel turned by 180° and its in and out channels swapped."""
    out_c, in_c, kh, kw = weight.shape
    w = weight.reshape(groups, out_c // groups, in_c, kh, kw)
    if flipped:
        return w[:, :, :, ::-1, ::-1].transpose(0, 3, 4, 1, 2).reshape(groups, -1, in_c)
    return w.transpose(0, 3, 4, 2, 1).reshape(groups, -1, out_c // groups)


def _product(patches, kernels, into) -> None:
    """patches @ kernels for each group, written into the channels-last batch ``into``
    (N, OH, OW, channels), a C-contiguous array."""
    xp = kernels_for(patches).xp
    if len(patches) == 1:  # one plain product, straight into place: no copy
        xp.matmul(patches[0], kernels[0], out=into.reshape(-1, into.shape[-1]))
    else:  # (g, N·OH·OW, channels/g), each output pixel's groups side by side
        into[...] = xp.matmul(patches, kernels).transpose(1, 0, 2).reshape(into.shape)


def correlate(x, weight, stride: tuple, dilation: tuple, groups: int, into):
    """The convolution of the padded channels-last batch x with ``weight``, written into
    ``into`` (N, OH, OW, O); returns the patch matrices, which the weight gradient needs."""
    patches = _patches(_windows(x, weight.shape[2:], stride, dilation), groups)
    _product(patches, _kernels(weight, groups), into)
    return patches


def correlate_transposed(grad, weight, stride: tuple, before: tuple, dilation: tuple,
                         groups: int, into) -> None:
    """The transposed convolution of the channels-last ``grad`` (N, OH, OW, O) with
    ``weight`` (O, C/g, kh, kw), written into ``into`` (N, H, W, C), an image whose padding
    began ``before`` = (top, left): the input gradient of :func:`correlate`."""
    kernel = weight.shape[2:]
    grid = _spread(grad, into.shape[1:3], _extent(kernel, dilation), stride, before)
    windows = _windows(grid, kernel, (1, 1), dilation)
    _product(_patches(windows, groups), _kernels(weight, groups, flipped=True), into)


def weight_gradient(patches, grad, shape: tuple):
    """∂L/∂W = patchesᵀ @ G for each group, with G the channels-last output gradient,
    as the weight's ``shape`` (O, C/g, kh, kw)."""
    groups = len(patches)
    out_c, in_c, kh, kw = shape
    rows = grad.reshape(-1, groups, out_c // groups).transpose(1, 0, 2)  # (g, N·OH·OW, O/g)
    if groups == 1:  # one plain product (a stacked one would cost a few percent more)
        product = (patches[0].T @ rows[0])[None]
    else:
        product = kernels_for(patches).xp.matmul(patches.transpose(0, 2, 1), rows)
    # (g, kh·kw·C/g, O/g) → (O, C/g, kh, kw)
    return product.reshape(groups, kh, kw, in_c, -1).transpose(0, 4, 3, 1, 2).reshape(shape)


def _bias_gradient(grad):
    """Σ of the channels-last gradient over (N, H, W), one number per channel."""
    rows = grad.reshape(-1, grad.shape[-1])
    # Σ over rows as a product with ones: BLAS does it several times faster than NumPy's
    # reduction along axis 0 of a tall, narrow array.
    return kernels_for(rows).xp.ones(len(rows), rows.dtype) @ rows


def _summed(parts: list) -> list:
    """The blocks' gradients [(∂L/∂W, ∂L/∂b), ...] as [Σ ∂L/∂W, Σ ∂L/∂b], each summed
    over the blocks in order (None where it was not wanted)."""
    return [None if column[0] is None else in_order_sum(column) for column in zip(*parts)]


# On the CPU a convolution works through its batch one block of images at a time, each
# block's patch matrix small enough (about 4 MiB) to stay in the CPU's cache from its copy
# to its matrix product. One product over the whole batch sent its patch matrix (150 MB for
# the second layer of the HW05 challenge net) to memory and back, and took about 1.7× as
# long. So the backward pass copies each block's patches again rather than keeping them.
# Each thread takes a consecutive share of the batch and works through it block by block;
# the weight gradient adds the blocks' parts in order.
_BLOCK_BYTES = 1 << 22


def _each_block(compute, x, image_bytes: int, block_bytes: int = _BLOCK_BYTES) -> list:
    """[compute(rows) for each block of rows of the batch x], a block holding as many
    images as make about ``block_bytes`` (``image_bytes`` each); on a GPU, which computes
    one large product best, the whole batch as one block."""
    size = max(1, block_bytes // max(1, image_bytes)) if kernels_for(x).xp is np else len(x)

    def work(share: slice) -> list:
        return [compute(slice(start, min(start + size, share.stop)))
                for start in range(share.start, share.stop, size)]

    return [done for share in map_chunks(work, batch_chunks(x)) for done in share]


def _patch_bytes(size: tuple, kernel: tuple, channels: int, dtype) -> int:
    """The bytes of one image's patch matrix: a row of kh·kw·channels per output pixel."""
    return size[0] * size[1] * kernel[0] * kernel[1] * channels * np.dtype(dtype).itemsize


class Conv2dOp(Op):
    r"""2-D cross-correlation, as ``torch.nn.functional.conv2d``: one GEMM forward (per
    group), two back.

    Backward, with ``P`` the patch matrix and ``G`` the output gradient as (N·OH·OW, O):
    :math:`\partial L/\partial W = P^\top G`, :math:`\partial L/\partial b = \sum G`, and
    :math:`\partial L/\partial x` is the convolution of the spread ``G`` with the flipped
    kernel, its in and out channels swapped: PyTorch's ``conv_transpose2d(G, W)``.
    """

    name = "conv2d"

    def __init__(self, bias: bool):
        self.expression = "conv2d({0}, {1}) + {2}" if bias else "conv2d({0}, {1})"
        self.formulas = ("conv_transpose2d({g}, {1})", "patches({0})ᵀ @ {g}",
                         "Σ {g} over (N, H, W)")

    def forward(self, x, weight, *bias, stride=(1, 1), padding=((0, 0), (0, 0)),
                dilation=(1, 1), groups=1):
        _check_input(x)
        if weight.ndim != 4:
            raise ValueError(f"weight must be (out_channels, in_channels, kh, kw), got "
                             f"{weight.ndim} dimensions")
        if weight.shape[1] * groups != x.shape[1]:
            per_group = f" ({weight.shape[1]} in each of {groups} groups)" if groups > 1 else ""
            raise ValueError(f"the weight expects {weight.shape[1] * groups} input channels"
                             f"{per_group}, the input has {x.shape[1]}")
        xp = kernels_for(x).xp
        kernel = weight.shape[2:]
        size = _output_size(_padded(x.shape[2:], padding), kernel, stride, dilation)
        out = xp.empty((len(x), *size, len(weight)), xp.result_type(x, weight))

        def compute(rows):
            correlate(_channels_last(x[rows], padding), weight, stride, dilation, groups,
                      out[rows])
            if bias:
                out[rows] += bias[0]

        _each_block(compute, x, _patch_bytes(size, kernel, x.shape[1], out.dtype))
        return out.transpose(0, 3, 1, 2), (stride, padding, dilation, groups)

    def backward(self, node, grad):
        x, weight, *bias = node.parents
        stride, padding, dilation, groups = node.ctx
        grad = grad.transpose(0, 2, 3, 1)  # channels-last, like the forward's output
        n, c, h, w = x.shape
        kernel = weight.shape[2:]
        grad_x = kernels_for(grad).xp.empty((n, h, w, c), grad.dtype) if x.requires_grad \
            else None  # not for the images fed to the first layer

        def compute(rows):
            if x.requires_grad:
                correlate_transposed(grad[rows], weight.data, stride,
                                     (padding[0][0], padding[1][0]), dilation, groups,
                                     grad_x[rows])
            grad_w = grad_b = None
            if weight.requires_grad:  # the block's patches, copied again
                windows = _windows(_channels_last(x.data[rows], padding), kernel, stride,
                                   dilation)
                grad_w = weight_gradient(_patches(windows, groups), grad[rows], weight.shape)
            if bias and bias[0].requires_grad:
                grad_b = _bias_gradient(grad[rows])
            return grad_w, grad_b

        image = max(_patch_bytes(grad.shape[1:3], kernel, c, grad.dtype),
                    _patch_bytes((h, w), kernel, grad.shape[3], grad.dtype))
        grad_w, grad_b = _summed(_each_block(compute, grad, image))
        grad_x = None if grad_x is None else grad_x.transpose(0, 3, 1, 2)
        return (grad_x, grad_w, grad_b)[:len(node.parents)]


class ConvTranspose2dOp(Op):
    r"""The transposed convolution, as ``torch.nn.functional.conv_transpose2d``: the
    input gradient of a convolution with the same ``weight`` (in, out/g, kh, kw), used as
    a layer that enlarges images.

    Backward: :math:`\partial L/\partial x` is the convolution of ``G`` with ``W``
    (PyTorch's ``conv2d(G, W)``), :math:`\partial L/\partial W = P_G^\top X`, with
    ``P_G`` the patches of ``G``, and :math:`\partial L/\partial b = \sum G`.
    """

    name = "conv_transpose2d"

    def __init__(self, bias: bool):
        self.expression = "conv_transpose2d({0}, {1}) + {2}" if bias \
            else "conv_transpose2d({0}, {1})"
        self.formulas = ("conv2d({g}, {1})", "patches({g})ᵀ @ {0}", "Σ {g} over (N, H, W)")

    def forward(self, x, weight, *bias, size, stride=(1, 1), padding=((0, 0), (0, 0)),
                dilation=(1, 1), groups=1):
        _check_input(x)
        if weight.ndim != 4 or weight.shape[0] != x.shape[1]:
            raise ValueError(f"the weight (in_channels, out_channels/groups, kh, kw) has shape "
                             f"{weight.shape}, for {weight.shape[0]} input channels; the input "
                             f"has {x.shape[1]}")
        xp = kernels_for(x).xp
        out = xp.empty((len(x), *size, weight.shape[1] * groups), xp.result_type(x, weight))
        x_last = x.transpose(0, 2, 3, 1)

        def compute(rows):
            correlate_transposed(x_last[rows], weight, stride, (padding[0][0], padding[1][0]),
                                 dilation, groups, out[rows])
            if bias:
                out[rows] += bias[0]

        image = _patch_bytes(size, weight.shape[2:], x.shape[1], out.dtype)
        _each_block(compute, x, image)
        return out.transpose(0, 3, 1, 2), (stride, padding, dilation, groups)

    def backward(self, node, grad):
        x, weight, *bias = node.parents
        stride, padding, dilation, groups = node.ctx
        grad = grad.transpose(0, 2, 3, 1)
        n, c, h, w = x.shape
        xp = kernels_for(grad).xp
        # the convolution that this op transposes, applied to the gradient: its output
        # has exactly the input's size (output_padding's extra rows fall between strides)
        grad_x = xp.empty((n, h, w, c), grad.dtype)

        def compute(rows):
            grad_w = grad_b = None
            if x.requires_grad or weight.requires_grad:
                patches = correlate(xp.pad(grad[rows], ((0, 0), *padding, (0, 0))),
                                    weight.data, stride, dilation, groups, grad_x[rows])
                if weight.requires_grad:
                    grad_w = weight_gradient(patches, x.data[rows].transpose(0, 2, 3, 1),
                                             weight.shape)
            if bias and bias[0].requires_grad:
                grad_b = _bias_gradient(grad[rows])
            return grad_w, grad_b

        image = _patch_bytes((h, w), weight.shape[2:], grad.shape[3], grad.dtype)
        grad_w, grad_b = _summed(_each_block(compute, grad, image))
        grad_x = grad_x.transpose(0, 3, 1, 2) if x.requires_grad else None
        return (grad_x, grad_w, grad_b)[:len(node.parents)]


class MaxPool2dOp(Op):
    """The largest value of each window; its gradient goes to the (first) arg-max."""

    name = "max_pool2d"
    expression = "max_pool2d({0})"
    formulas = ("{g} to each window's max",)

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=((0, 0), (0, 0)),
                dilation=(1, 1)):
        _check_input(x)
        xp = kernels_for(x).xp
        n, c, h, w = x.shape
        padded = (n, *_padded((h, w), padding), c)
        shape = (n, *_output_size(padded[1:3], kernel, stride, dilation), c)
        out = xp.empty(shape, x.dtype)
        winner = xp.empty(shape, np.min_scalar_type(kernel[0] * kernel[1] - 1))

        def compute(rows):
            windows = _windows(_channels_last(x[rows], padding, fill=-np.inf), kernel, stride,
                               dilation)
            best, won = out[rows], winner[rows]
            best[...] = windows[:, :, :, 0, 0]
            won[...] = 0
            for k, (a, b) in enumerate(np.ndindex(kernel)):
                candidate = windows[:, :, :, a, b]
                # k only grows, so "k where strictly better, else the old winner" is a max.
                # Strictly: on a tie the first position keeps the win, as in PyTorch.
                xp.maximum(won, (candidate > best) * won.dtype.type(k), out=won)
                xp.maximum(best, candidate, out=best)

        map_chunks(compute, batch_chunks(x))
        return out.transpose(0, 3, 1, 2), (winner, padded, kernel, stride, padding, dilation)

    def backward(self, node, grad):
        winner, padded_shape, kernel, stride, padding, dilation = node.ctx
        xp = kernels_for(grad).xp
        grad = xp.ascontiguousarray(grad.transpose(0, 2, 3, 1))  # the layout of winner
        grad_x = xp.zeros(padded_shape, grad.dtype)

        def compute(rows):
            spots = _windows(grad_x[rows], kernel, stride, dilation)
            for k, (a, b) in enumerate(np.ndindex(kernel)):
                spots[:, :, :, a, b] += grad[rows] * (winner[rows] == k)

        map_chunks(compute, batch_chunks(grad_x))
        return (_unpad(grad_x, padding).transpose(0, 3, 1, 2),)


def max_pool2d_indices(ctx: tuple, shape: tuple):
    """Where each output of :data:`max_pool2d` (its ``ctx``, on an input of ``shape``)
    came from, as PyTorch's ``return_indices`` gives it: the position in its input
    channel's flattened H×W."""
    winner, _, kernel, stride, ((top, _), (left, _)), dilation = ctx
    xp = kernels_for(winner).xp
    width = shape[3]
    position = winner.astype(np.int64)
    a, b = position // kernel[1], position % kernel[1]
    rows = (xp.arange(winner.shape[1]) * stride[0] - top)[:, None, None] + a * dilation[0]
    cols = (xp.arange(winner.shape[2]) * stride[1] - left)[:, None] + b * dilation[1]
    return (rows * width + cols).transpose(0, 3, 1, 2)


class AvgPool2dOp(Op):
    """The mean of each window: its sum divided by ``divisor`` (kh·kw, or one number per
    output pixel); each input pixel gets its share of the gradient of every window it is
    in."""

    name = "avg_pool2d"
    expression = "avg_pool2d({0})"

    def __init__(self, divisor: str):
        self.formulas = (f"{{g}} / {divisor} to every pixel of each window",)

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=((0, 0), (0, 0)), divisor=None):
        _check_input(x)
        xp = kernels_for(x).xp
        n, c, h, w = x.shape
        padded = (n, *_padded((h, w), padding), c)
        total = xp.zeros((n, *_output_size(padded[1:3], kernel, stride, (1, 1)), c), x.dtype)

        def compute(rows):
            windows = _windows(_channels_last(x[rows], padding), kernel, stride)
            for a, b in np.ndindex(kernel):
                total[rows] += windows[:, :, :, a, b]

        map_chunks(compute, batch_chunks(x))
        divisor = kernel[0] * kernel[1] if divisor is None else divisor
        return (total / divisor).transpose(0, 3, 1, 2), (padded, kernel, stride, padding,
                                                         divisor)

    def backward(self, node, grad):
        padded_shape, kernel, stride, padding, divisor = node.ctx
        share = grad.transpose(0, 2, 3, 1) / divisor
        grad_x = kernels_for(grad).xp.zeros(padded_shape, grad.dtype)

        def compute(rows):
            spots = _windows(grad_x[rows], kernel, stride)
            for a, b in np.ndindex(kernel):
                spots[:, :, :, a, b] += share[rows]

        map_chunks(compute, batch_chunks(grad_x))
        return (_unpad(grad_x, padding).transpose(0, 3, 1, 2),)


conv2d, conv2d_without_bias = Conv2dOp(bias=True), Conv2dOp(bias=False)
conv_transpose2d = ConvTranspose2dOp(bias=True)
conv_transpose2d_without_bias = ConvTranspose2dOp(bias=False)
max_pool2d = MaxPool2dOp()
#: Average pooling dividing by the window's size, kh·kw (PyTorch's default), and by a
#: count per output pixel (count_include_pad=False, ceil_mode's cut windows, a divisor).
avg_pool2d, avg_pool2d_counted = AvgPool2dOp("(kh·kw)"), AvgPool2dOp("count")


# === batch normalisation ==================================================================
#
# Batch norm makes several passes over its input (subtract the mean, scale, shift), each
# too simple to keep the CPU busy while its numbers come from memory. So it works through
# the batch a block of images at a time (split among the threads, as a convolution does),
# a block small enough to stay in the cache through all the passes: the HW05 challenge
# net's largest batch norm (64 × 64 × 32 × 32) took 22 ms forward and backward instead
# of 28. A channel's sums add up the blocks' sums in order.


def channel_shape(x) -> tuple:
    """(1, C, 1, ...): the shape that broadcasts a per-channel array against x."""
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def other_axes(x) -> tuple:
    """Every axis but the channel axis 1: the axes a channel's statistics run over."""
    return (0, *range(2, x.ndim))


def _channel_dot(a, b):
    """Σ a·b over every axis but the channels, without the product as an array of its
    own (einsum multiplies and adds in one pass: half the time of (a * b).sum())."""
    axes = "nchwxyz"[:a.ndim]
    return kernels_for(a).xp.einsum(f"{axes},{axes}->c", a, b)


def _each_cached_block(compute, x) -> list:
    """[compute(rows) for each block of images of x], each block about a MiB (whole
    images), so that the passes of an op over it find it in the cache."""
    return _each_block(compute, x, x[:1].nbytes, block_bytes=1 << 20)


def batch_statistics(x) -> tuple:
    """Each channel's mean and variance (dividing by n) over every other axis of x.

    Each block of images gives its channels' mean and sum of squared differences from it
    (more exact than Σx² − nμ²); the blocks' combine exactly, by Chan, Golub and LeVeque's
    rule: Σ (x − μ)² = Σ_blocks [M2_b + n_b (μ_b − μ)²].
    """
    shape, axes = channel_shape(x), other_axes(x)

    def moments(rows):
        block = x[rows]
        count = block.size // block.shape[1]
        mean = block.sum(axis=axes) / count
        centred = block - mean.reshape(shape)
        return count, mean, _channel_dot(centred, centred)

    blocks = _each_cached_block(moments, x)
    count = sum(n for n, _, _ in blocks)
    mean = in_order_sum([n * block_mean for n, block_mean, _ in blocks]) / count
    squares = in_order_sum([m2 + n * (block_mean - mean) ** 2 for n, block_mean, m2 in blocks])
    return mean, squares / count


class BatchNormOp(Op):
    r"""Normalise each channel, then scale by γ and shift by β: one graph node.

    With :math:`g = \partial L/\partial y` and sums over a channel's n elements,
    :math:`\partial L/\partial \beta = \sum g` and
    :math:`\partial L/\partial \gamma = \sum g \hat x`. With batch statistics μ and σ²
    depend on x as well, which adds two terms to the input gradient:

    .. math:: \frac{\partial L}{\partial x} = \frac{\gamma}{\sqrt{\sigma^2 + \epsilon}}
              \Bigl(g - \tfrac{1}{n}\textstyle\sum g
              - \hat x\, \tfrac{1}{n}\textstyle\sum g \hat x\Bigr)

    With running statistics (evaluation) only the first term is left. The cases are
    separate ops (see :data:`batch_norm`), so that each writes exactly its own rule.
    """

    name = "batch_norm"

    def __init__(self, batch_stats: bool, affine: bool):
        self.batch_stats = batch_stats
        x_hat = "({0} − μ) / √(σ² + ε)"
        self.expression = f"{{1}} ⊙ {x_hat} + {{2}}" if affine else x_hat
        scale = "{1} / √(σ² + ε)" if affine else "1 / √(σ² + ε)"
        self.formulas = (
            f"{scale} ⊙ ({{g}} − mean({{g}}) − x̂ ⊙ mean({{g}} ⊙ x̂))" if batch_stats
            else f"{scale} ⊙ {{g}}",
            "Σ {g} ⊙ x̂ per channel", "Σ {g} per channel")

    def forward(self, x, *affine, mean, var, eps):
        xp = kernels_for(x).xp
        shape = channel_shape(x)
        inv_std = (1.0 / xp.sqrt(var + eps)).astype(x.dtype).reshape(shape)
        mean = mean.reshape(shape)
        x_hat = xp.empty_like(x)  # x's layout: channels-last after a convolution
        out = xp.empty_like(x) if affine else x_hat

        def compute(rows):  # in place, block by block: no temporary arrays
            xp.subtract(x[rows], mean, out=x_hat[rows])
            x_hat[rows] *= inv_std
            if affine:
                xp.multiply(x_hat[rows], affine[0].reshape(shape), out=out[rows])
                out[rows] += affine[1].reshape(shape)

        _each_cached_block(compute, x)
        return out, (x_hat, inv_std)

    def backward(self, node, grad):
        x, *affine = node.parents
        x_hat, inv_std = node.ctx
        shape = channel_shape(grad)
        axes = other_axes(grad)
        sums = _each_cached_block(
            lambda rows: (grad[rows].sum(axis=axes), _channel_dot(grad[rows], x_hat[rows])),
            grad)
        grad_beta, grad_gamma = (in_order_sum(list(column)) for column in zip(*sums))
        grad_x = None
        if x.requires_grad:
            xp = kernels_for(grad).xp
            scale = inv_std * affine[0].data.reshape(shape) if affine else inv_std
            n = grad.size // grad.shape[1]
            mean_g, mean_g_x_hat = (grad_beta / n).reshape(shape), (grad_gamma / n).reshape(shape)
            grad_x = xp.empty_like(grad)

            def compute(rows):
                out = grad_x[rows]
                if self.batch_stats:  # scale · (g − mean(g) − x̂ · mean(g x̂)), in place
                    xp.multiply(x_hat[rows], mean_g_x_hat, out=out)
                    xp.subtract(grad[rows], out, out=out)
                    out -= mean_g
                    out *= scale
                else:
                    xp.multiply(grad[rows], scale, out=out)

            _each_cached_block(compute, grad)
        return (grad_x, grad_gamma, grad_beta) if affine else (grad_x,)


#: By (batch statistics, affine): training normalises with the batch's own mean and
#: variance, which depend on x; evaluation with the running ones, constants.
batch_norm = {(stats, affine): BatchNormOp(stats, affine)
              for stats in (True, False) for affine in (True, False)}


# === cross-entropy ========================================================================


class CrossEntropyOp(Op):
    """Cross-entropy of logits z (n, C), reduced, as one graph node: against integer
    ``labels`` (a parameter) or against target rows t (a constant second input).

    Per sample ``loss = −Σ_c t_c · log_softmax(z)_c`` (for labels, t is one-hot: the pick
    of the true class), then the mean over the samples, their sum, or each one. Both
    halves are autograd's: ``log_softmax``'s forward, and its backward applied to the
    pick's gradient −t · g / n (n the number of samples for the mean, else 1), which
    makes ``(softmax(z) · Σ_c t_c − t) · g / n``: ``(softmax − onehot) · g / n`` for
    labels. As three nodes (log_softmax, the pick, the mean) it would cost a small network
    a sixth of its training time.
    """

    name = "cross_entropy"

    def __init__(self, labels: bool):
        if labels:
            self.expression = "cross_entropy({0}, labels)"
            self.formulas = ("(softmax({0}) − onehot(labels)) ⊙ {g} / n",)
        else:
            self.expression = "cross_entropy({0}, {1})"
            self.formulas = ("(softmax({0}) ⊙ Σ {1} − {1}) ⊙ {g} / n",)

    def forward(self, logits, *target, labels=None, reduction="mean"):
        log_p, axis = log_softmax.forward(logits, axis=1)
        if labels is not None:
            losses = -log_p[kernels_for(log_p).xp.arange(len(labels)), labels]
        else:
            losses = -(target[0] * log_p).sum(axis=1)
        count = max(len(losses), 1) if reduction == "mean" else 1
        out = losses if reduction == "none" else losses.sum() / count
        return out, (log_p, axis, labels, count)

    def backward(self, node, g):
        log_p, axis, labels, count = node.ctx
        share = g[:, None] if g.ndim else g / count  # one gradient per sample, or shared
        if labels is not None:  # the pick's gradient: −share at each true class, 0 elsewhere
            xp = kernels_for(log_p).xp
            grad_log_p = xp.zeros_like(log_p)
            grad_log_p[xp.arange(len(labels)), labels] = -share.ravel() if g.ndim else -share
        else:
            grad_log_p = -node.parents[1].data * share
        grad_logits, = log_softmax.backward(_StandIn(data=log_p, ctx=axis), grad_log_p)
        return (grad_logits, None)


cross_entropy, cross_entropy_of_rows = CrossEntropyOp(labels=True), CrossEntropyOp(labels=False)


# === binary cross-entropy =================================================================

# PyTorch's rules for probabilities of exactly 0 or 1, which a float32 sigmoid returns for
# scores above about 17 (1) or below about −104 (0): each log is clamped at −100, so a
# sure mistake costs 100 instead of inf, and the gradient divides by max(p(1 − p), ε), so
# a sure right answer gets 0 instead of 0/0. PyTorch's ε is the float32 number nearest
# 1e-12, in every dtype.
_LOG_MIN = -100.0
_BCE_EPS = float(np.float32(1e-12))


class BinaryCrossEntropyOp(Op):
    """Binary cross-entropy of probabilities p against targets t, one loss per element,
    as one graph node with PyTorch's clamps:

    ``loss = −[t · max(log p, −100) + (1 − t) · max(log(1 − p), −100)]``, whose gradients
    are PyTorch's ``∂loss/∂p = (p − t) / max(p(1 − p), ε)`` and
    ``∂loss/∂t = log(1 − p) − log p`` (unclamped there, as in PyTorch).

    Composed from ``log`` and ``clip`` nodes instead, a p of exactly 1 would send
    0 · (1/0) = nan back through the graph.
    """

    name = "binary_cross_entropy"
    expression = "−[{1} · log {0} + (1 − {1}) · log(1 − {0})]"
    formulas = ("{g} ⊙ ({0} − {1}) / max({0}(1 − {0}), ε)",
                "{g} ⊙ (log(1 − {0}) − log {0})")

    def forward(self, p, t):
        xp = kernels_for(p).xp
        with np.errstate(divide="ignore"):  # log 0 = −inf, clamped below
            logs = xp.log(p), xp.log1p(-p)
        log_p, log_not_p = (xp.maximum(log, _LOG_MIN) for log in logs)
        return -(t * log_p + (1 - t) * log_not_p), logs

    def backward(self, node, g):
        (p, t), (log_p, log_not_p) = node.parents, node.ctx
        grad_p = grad_t = None
        if p.requires_grad:
            grad_p = g * (p.data - t.data) / kernels_for(g).xp.maximum(p.data * (1 - p.data),
                                                                        _BCE_EPS)
        if t.requires_grad:
            grad_t = g * (log_not_p - log_p)
        return (grad_p, grad_t)


binary_cross_entropy = BinaryCrossEntropyOp()
