"""Reductions over axes: sum, mean, max, min. The backward spreads the output's gradient
back over the reduced axes."""

from __future__ import annotations

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
