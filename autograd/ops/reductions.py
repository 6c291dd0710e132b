"""Reductions over axes: sum, mean, max, min. The backward spreads the output's gradient
back over the reduced axes."""

from __future__ import annotations

import math

from ..function import Function
from ..kernels import kernels_for


def _keep_axes(grad, shape: tuple, axis, keepdims: bool):
    """Put back the axes a reduction removed, so that ``grad`` broadcasts over the input."""
    if axis is None:
        return grad.reshape((1,) * len(shape))
    return grad if keepdims else kernels_for(grad).xp.expand_dims(grad, axis)


class Sum(Function):
    """Σ over axes: every summed element gets the output's gradient."""
    name = "sum"
    formulas = ("broadcast({g})",)
    def forward(self, a, axis=None, keepdims=False):
        return a.sum(axis=axis, keepdims=keepdims), (axis, keepdims)
    def backward(self, node, g):
        (a,), (axis, keepdims) = node.parents, node.ctx
        xp = kernels_for(g).xp
        return (xp.broadcast_to(_keep_axes(g, a.data.shape, axis, keepdims), a.data.shape),)


class Mean(Function):
    """Mean over axes: every element gets the output's gradient divided by the count."""
    name = "mean"
    formulas = ("broadcast({g}) / n",)
    def forward(self, a, axis=None, keepdims=False):
        # sum / count is np.mean's own arithmetic without its Python wrapper, which costs
        # 10 µs: as much as a loss's whole mean node over a small batch.
        total = a.sum(axis=axis, keepdims=keepdims)
        count = a.size // max(total.size, 1)
        return total / count, (axis, keepdims, count)
    def backward(self, node, g):
        (a,), (axis, keepdims, count) = node.parents, node.ctx
        shape = a.data.shape
        xp = kernels_for(g).xp
        return (xp.broadcast_to(_keep_axes(g / count, shape, axis, keepdims), shape),)


class Extremum(Function):
    """max or min along axes.

    Tied elements share the gradient equally (a row [3, 3] sends ½ to each), which
    keeps the rule symmetric; PyTorch's ``amax``/``amin`` do the same.
    """

    formulas = ("broadcast({g}) ⊙ [{0} = {out}] / ties",)

    def __init__(self, name: str):
        self.name = name

    def forward(self, a, axis=None, keepdims=False):
        reduce = a.max if self.name == "max" else a.min
        return reduce(axis=axis, keepdims=keepdims), (axis, keepdims)

    def backward(self, node, g):
        (a,), (axis, keepdims) = node.parents, node.ctx
        shape = a.data.shape
        winners = a.data == _keep_axes(node.data, shape, axis, keepdims)
        # The count in g's dtype: an integer count would turn a float32 gradient float64.
        count = winners.sum(axis=axis, keepdims=True, dtype=g.dtype)
        return (winners * (_keep_axes(g, shape, axis, keepdims) / count),)


total, mean = Sum(), Mean()
maximum, minimum = Extremum("max"), Extremum("min")


class ReductionMethods:
    """The Tensor methods of reductions (``Tensor`` inherits them)."""

    __slots__ = ()

    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (None: all; an int or a tuple), as ``np.sum``."""
        return total(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis``, as ``np.mean``."""
        return mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        """Largest element over ``axis``; tied maxima share the gradient equally."""
        return maximum(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        """Smallest element over ``axis``; tied minima share the gradient equally."""
        return minimum(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        """Variance as NumPy computes it (``ddof=0``: divide by n), built from mean.

            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0, 3.0, 4.0]).var().item()
            1.25
        """
        centred = self - self.mean(axis=axis, keepdims=True)
        axes = range(self.ndim) if axis is None else (axis,) if isinstance(axis, int) else axis
        count = math.prod(self.shape[a] for a in axes)  # negative axes index from the end
        # count ≤ ddof: NumPy divides by zero (inf, or nan for 0/0); 1/0 would raise here
        scale = 1.0 / (count - ddof) if count > ddof else math.inf
        return (centred * centred).sum(axis=axis, keepdims=keepdims) * scale
