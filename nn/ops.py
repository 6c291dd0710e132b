r"""nn's graph ops: the few layers that are one node each, with their forward rule and
vector-Jacobian products side by side.

Everything else in nn is composed from autograd's ops (``dropout`` is ``x * mask``,
``mse_loss`` a difference, a square and a mean), so its derivatives are autograd's rules.
The ops here are single nodes because they run on every training step, where a chain of
smaller nodes would cost much more, or because no chain of ops gives PyTorch's numbers.
Where a fused op contains an autograd op, it calls that op's forward and backward rather
than writing them again:

* :data:`linear` (``x @ Wᵀ + b``), whose gradients are autograd's matmul rule read twice;
* :data:`conv2d`, :data:`max_pool2d`, :data:`avg_pool2d`, on im2col matrices and window views;
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
from numpy.lib.stride_tricks import sliding_window_view

from autograd.op import Op, unbroadcast
from autograd.ops.matmul import matmul
from autograd.ops.softmax import log_softmax

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

    Both gradients are autograd's matmul rule (∂L/∂a = g @ bᵀ, ∂L/∂b = aᵀ @ g), applied
    to the product written as yᵀ = W @ xᵀ with the incoming gradient gᵀ: ∂L/∂W = gᵀ @ x
    and ∂L/∂xᵀ = Wᵀ @ gᵀ, that is ∂L/∂x = g @ W. Read as y = x @ Wᵀ instead, the rule
    would hand W the gradient (xᵀ @ g)ᵀ, whose transposed copy into W's (out, in) layout
    costs as much as the product itself. The bias gradient is the adjoint of
    broadcasting: g summed over the samples.
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
        product = _StandIn(parents=(weight, _Operand(_t(x.data), x.requires_grad)))
        grad_weight, grad_xt = matmul.backward(product, _t(g))
        # x's gradient in x's own row-major layout: the elementwise rules it goes on to
        # run about twice as slowly on a transposed array.
        grad_x = None if grad_xt is None else np.ascontiguousarray(_t(grad_xt))
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
# The result is handed back as an NCHW-shaped view of channels-last memory. NumPy keeps
# that layout through elementwise ops such as relu, so the next convolution finds its input
# channels-last already and its patches need no reordering.
#
# The input gradient of a convolution is itself a convolution: _spread places the output
# gradient on the input's grid, and a stride-1 pass of the flipped kernel over it is another
# single matrix product. The pooling ops have no matrix product to hand to BLAS; they loop
# over the kh·kw positions of the window (4 for 2×2), each step one NumPy operation over the
# whole batch. Nothing loops over images, pixels or channels in Python.


def _channels_last(x: np.ndarray, padding, fill=0.0) -> np.ndarray:
    """The (N, C, H, W) batch as (N, H, W, C), padded on H and W with ``fill``."""
    x = x.transpose(0, 2, 3, 1)
    if padding == ((0, 0), (0, 0)):
        return x
    return np.pad(x, ((0, 0), *padding, (0, 0)), constant_values=fill)


def _windows(x: np.ndarray, kernel: tuple, stride: tuple, writeable=False) -> np.ndarray:
    """Every kh×kw window of the channels-last batch x (N, H, W, C), one every ``stride``
    pixels, as a view (N, OH, OW, kh, kw, C) of x's memory: nothing is copied.

    With ``writeable``, writing to the view writes to x; the pooling backward passes
    add into ``view[:, :, :, a, b]``, one window position at a time, which is safe even
    where windows overlap (no two windows share a pixel at the same position).
    """
    if x.shape[1] < kernel[0] or x.shape[2] < kernel[1]:
        raise ValueError(f"the {kernel[0]}×{kernel[1]} window is larger than the (padded) "
                         f"input {x.shape[1]}×{x.shape[2]}")
    # (N, H-kh+1, W-kw+1, C, kh, kw)
    view = sliding_window_view(x, kernel, axis=(1, 2), writeable=writeable)
    return view[:, ::stride[0], ::stride[1]].transpose(0, 1, 2, 4, 5, 3)


def _spread(grad: np.ndarray, size: tuple, kernel: tuple, stride: tuple,
            before: tuple) -> np.ndarray:
    """The output gradient (N, OH, OW, C) laid out on a zero grid (N, H+kh-1, W+kw-1, C)
    so that the input gradient is a stride-1 window pass over it.

    Output pixel (i, j) saw input rows i·s − top … i·s − top + kh − 1; it goes to row
    kh − 1 − top + i·s of the grid, so the kh×kw window of the grid at input pixel (y, x)
    holds exactly the outputs that saw (y, x), in flipped kernel order. Between outputs
    stay s − 1 zeros. Outputs that land off the grid saw nothing but padding.
    """
    n, _, _, c = grad.shape
    grid = np.zeros((n, size[0] + kernel[0] - 1, size[1] + kernel[1] - 1, c), grad.dtype)
    src, dst = [], []
    for axis in (0, 1):
        start, step, length = kernel[axis] - 1 - before[axis], stride[axis], grid.shape[1 + axis]
        first = max(0, -(start // step))                         # first output on the grid
        stop = min(grad.shape[1 + axis], -((start - length) // step))  # one past the last
        src.append(slice(first, stop))
        dst.append(slice(start + first * step, start + stop * step, step))
    grid[:, dst[0], dst[1]] = grad[:, src[0], src[1]]
    return grid


def _unpad(x: np.ndarray, padding: tuple) -> np.ndarray:
    """The channels-last batch without the ``padding`` (rows, columns) around it."""
    return x[:, padding[0]:x.shape[1] - padding[0], padding[1]:x.shape[2] - padding[1]]


def _check_input(x: np.ndarray) -> None:
    if x.ndim != 4:
        raise ValueError(f"expected a batch of images (N, C, H, W), got {x.ndim} dimensions")


class Conv2dOp(Op):
    r"""2-D cross-correlation, as ``torch.nn.functional.conv2d``: one GEMM forward, two back.

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

    def forward(self, x, weight, *bias, stride=(1, 1), padding=((0, 0), (0, 0))):
        _check_input(x)
        if weight.ndim != 4:
            raise ValueError(f"weight must be (out_channels, in_channels, kh, kw), got "
                             f"{weight.ndim} dimensions")
        if weight.shape[1] != x.shape[1]:
            raise ValueError(f"the weight expects {weight.shape[1]} input channels, the input "
                             f"has {x.shape[1]}")
        out_c, in_c, kh, kw = weight.shape
        patches = _windows(_channels_last(x, padding), (kh, kw), stride)
        n, oh, ow = patches.shape[:3]
        patches = patches.reshape(n * oh * ow, kh * kw * in_c)  # the one copy: im2col
        out = patches @ weight.transpose(2, 3, 1, 0).reshape(kh * kw * in_c, out_c)
        if bias:
            out += bias[0]
        return out.reshape(n, oh, ow, out_c).transpose(0, 3, 1, 2), (patches, stride, padding)

    def backward(self, node, grad):
        x, weight, *bias = node.parents
        patches, stride, padding = node.ctx
        out_c, in_c, kh, kw = weight.shape
        grad = grad.transpose(0, 2, 3, 1)  # channels-last, like the forward's output
        rows = grad.reshape(-1, out_c)     # (N·OH·OW, O): a view unless grad came as NCHW
        grad_x = grad_w = grad_b = None
        if weight.requires_grad:
            grad_w = (patches.T @ rows).reshape(kh, kw, in_c, out_c).transpose(3, 2, 0, 1)
        if bias and bias[0].requires_grad:
            # Σ over rows as a product with ones: BLAS does it several times faster than
            # NumPy's reduction along axis 0 of a tall, narrow array.
            grad_b = np.ones(len(rows), rows.dtype) @ rows
        if x.requires_grad:  # not for the images fed to the first layer
            n, _, h, w = x.shape
            grid = _spread(grad, (h, w), (kh, kw), stride, (padding[0][0], padding[1][0]))
            patches = _windows(grid, (kh, kw), (1, 1)).reshape(n * h * w, kh * kw * out_c)
            flipped = weight.data[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(-1, in_c)
            grad_x = (patches @ flipped).reshape(n, h, w, in_c).transpose(0, 3, 1, 2)
        return (grad_x, grad_w, grad_b)[:len(node.parents)]


class MaxPool2dOp(Op):
    """The largest value of each window; its gradient goes to the (first) arg-max."""

    name = "max_pool2d"
    expression = "max_pool2d({0})"
    formulas = ("{g} to each window's max",)

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)):
        _check_input(x)
        xp = _channels_last(x, tuple((p, p) for p in padding), fill=-np.inf)
        windows = _windows(xp, kernel, stride)
        out = windows[:, :, :, 0, 0].copy()
        winner = np.zeros(out.shape, np.min_scalar_type(kernel[0] * kernel[1] - 1))
        for k, (a, b) in enumerate(np.ndindex(kernel)):
            candidate = windows[:, :, :, a, b]
            # k only grows, so "k where strictly better, else the old winner" is a max.
            # Strictly: on a tie the first position keeps the win, as in PyTorch.
            np.maximum(winner, (candidate > out) * winner.dtype.type(k), out=winner)
            np.maximum(out, candidate, out=out)
        return out.transpose(0, 3, 1, 2), (winner, xp.shape, kernel, stride, padding)

    def backward(self, node, grad):
        winner, padded_shape, kernel, stride, padding = node.ctx
        grad = np.ascontiguousarray(grad.transpose(0, 2, 3, 1))  # the layout of winner
        grad_x = np.zeros(padded_shape, grad.dtype)
        spots = _windows(grad_x, kernel, stride, writeable=True)
        for k, (a, b) in enumerate(np.ndindex(kernel)):
            spots[:, :, :, a, b] += grad * (winner == k)
        return (_unpad(grad_x, padding).transpose(0, 3, 1, 2),)


class AvgPool2dOp(Op):
    """The mean of each window (padding zeros count, PyTorch's default); each input pixel
    gets 1/(kh·kw) of the gradient of every window it is in."""

    name = "avg_pool2d"
    expression = "avg_pool2d({0})"
    formulas = ("{g} / (kh·kw) to every pixel of each window",)

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)):
        _check_input(x)
        xp = _channels_last(x, tuple((p, p) for p in padding))
        windows = _windows(xp, kernel, stride)
        total = np.zeros(windows.shape[:3] + windows.shape[5:], x.dtype)
        for a, b in np.ndindex(kernel):
            total += windows[:, :, :, a, b]
        return (total / (kernel[0] * kernel[1])).transpose(0, 3, 1, 2), \
            (xp.shape, kernel, stride, padding)

    def backward(self, node, grad):
        padded_shape, kernel, stride, padding = node.ctx
        share = grad.transpose(0, 2, 3, 1) / (kernel[0] * kernel[1])
        grad_x = np.zeros(padded_shape, grad.dtype)
        spots = _windows(grad_x, kernel, stride, writeable=True)
        for a, b in np.ndindex(kernel):
            spots[:, :, :, a, b] += share
        return (_unpad(grad_x, padding).transpose(0, 3, 1, 2),)


conv2d, conv2d_without_bias = Conv2dOp(bias=True), Conv2dOp(bias=False)
max_pool2d, avg_pool2d = MaxPool2dOp(), AvgPool2dOp()


# === batch normalisation ==================================================================


def channel_shape(x: np.ndarray) -> tuple:
    """(1, C, 1, ...): the shape that broadcasts a per-channel array against x."""
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def other_axes(x: np.ndarray) -> tuple:
    """Every axis but the channel axis 1: the axes a channel's statistics run over."""
    return (0, *range(2, x.ndim))


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
        shape = channel_shape(x)
        inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype).reshape(shape)
        x_hat = (x - mean.reshape(shape)) * inv_std
        out = x_hat * affine[0].reshape(shape) + affine[1].reshape(shape) if affine else x_hat
        return out, (x_hat, inv_std)

    def backward(self, node, grad):
        x, *affine = node.parents
        x_hat, inv_std = node.ctx
        axes, shape = other_axes(grad), channel_shape(grad)
        grad_beta = grad.sum(axis=axes)
        grad_gamma = (grad * x_hat).sum(axis=axes)
        grad_x = None
        if x.requires_grad:
            scale = inv_std * affine[0].data.reshape(shape) if affine else inv_std
            if self.batch_stats:
                n = grad.size // grad.shape[1]
                grad = (grad - (grad_beta / n).reshape(shape)
                        - x_hat * (grad_gamma / n).reshape(shape))
            grad_x = scale * grad
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
            losses = -log_p[np.arange(len(labels)), labels]
        else:
            losses = -(target[0] * log_p).sum(axis=1)
        count = max(len(losses), 1) if reduction == "mean" else 1
        out = losses if reduction == "none" else losses.sum() / count
        return out, (log_p, axis, labels, count)

    def backward(self, node, g):
        log_p, axis, labels, count = node.ctx
        share = g[:, None] if g.ndim else g / count  # one gradient per sample, or shared
        if labels is not None:  # the pick's gradient: −share at each true class, 0 elsewhere
            grad_log_p = np.zeros_like(log_p)
            grad_log_p[np.arange(len(labels)), labels] = -share.ravel() if g.ndim else -share
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
        with np.errstate(divide="ignore"):  # log 0 = −inf, clamped below
            logs = np.log(p), np.log1p(-p)
        log_p, log_not_p = (np.maximum(log, _LOG_MIN) for log in logs)
        return -(t * log_p + (1 - t) * log_not_p), logs

    def backward(self, node, g):
        (p, t), (log_p, log_not_p) = node.parents, node.ctx
        grad_p = grad_t = None
        if p.requires_grad:
            grad_p = g * (p.data - t.data) / np.maximum(p.data * (1 - p.data), _BCE_EPS)
        if t.requires_grad:
            grad_t = g * (log_not_p - log_p)
        return (grad_p, grad_t)


binary_cross_entropy = BinaryCrossEntropyOp()
