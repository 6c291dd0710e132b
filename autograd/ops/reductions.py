"""Reductions, with PyTorch's arguments and defaults: sum, mean, prod, amax/amin, max/min,
var/std, logsumexp, norm, cumsum; and the ops that order elements: max/min along a dim,
argmax/argmin, sort, topk.

``dim`` is an int or a tuple of ints (negative counts from the end); ``None`` or ``()``
reduces every dim, as in PyTorch. NumPy's spellings ``axis=`` and ``keepdims=`` are accepted
for ``dim=`` and ``keepdim=``. Each backward spreads the output's gradient back over the
reduced axes. Integer results (indices) are int64 Tensors outside the graph.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections import namedtuple

from ..kernels import kernels_for
from ..op import Op
from .indexing import accepts_axis, wrap_dim, wrap_dims

__all__ = ["amax", "amin", "argmax", "argmin", "argsort", "cummax", "cummin", "cumprod",
           "cumsum", "logcumsumexp", "logsumexp", "max", "mean", "min", "norm", "prod", "sort",
           "std", "std_mean", "sum", "topk", "var", "var_mean"]


# --- dims ---------------------------------------------------------------------------------

def numpy_spellings(method):
    """Let ``axis=`` stand for ``dim=`` and ``keepdims=`` for ``keepdim=``: NumPy's
    spellings, which PyTorch accepts too. ``out=None`` is accepted as well, because NumPy's
    functions pass it (``np.any(t)`` calls ``t.any(axis=None, out=None)``)."""
    @functools.wraps(method)
    def with_keepdims(*args, keepdims=None, out=None, **kwargs):
        if out is not None:
            raise TypeError(f"{method.__name__}: out= is not supported; use the result")
        if keepdims is not None:
            kwargs["keepdim"] = keepdims
        return method(*args, **kwargs)
    return accepts_axis(with_keepdims)


def reduced_axes(x, dim, op: str) -> tuple:
    """The axes that a reduction over ``dim`` removes: every axis for None or () (as in
    PyTorch, where NumPy's ``axis=()`` removes none); a 0-d tensor has none to remove."""
    if dim is None or isinstance(dim, (tuple, list)) and not dim:
        return tuple(range(x.ndim))
    axes = wrap_dims(x, dim, op)
    return axes if x.ndim else ()


def _keep_axes(grad, axes: tuple, keepdim: bool):
    """Put back the axes a reduction removed, so that ``grad`` broadcasts over the input."""
    return grad if keepdim else kernels_for(grad).xp.expand_dims(grad, axes)


def _spread(g, shape: tuple, axes: tuple, keepdim: bool):
    """The output's gradient ``g`` copied to every element that was reduced into it."""
    return kernels_for(g).xp.broadcast_to(_keep_axes(g, axes, keepdim), shape)


def _count(shape: tuple, axes: tuple) -> int:
    """How many elements each output element reduces."""
    return math.prod(shape[a] for a in axes)


# --- reductions ---------------------------------------------------------------------------
# Each forward takes the reduced axes as its method found them (see reduced_axes).

class Sum(Op):
    """Σ over axes: every summed element gets the output's gradient."""
    name = "sum"
    expression = "sum({0})"
    formulas = ("broadcast({g})",)
    def forward(self, a, axes, keepdim=False):
        return a.sum(axis=axes, keepdims=keepdim), (axes, keepdim)
    def backward(self, node, g):
        axes, keepdim = node.ctx
        return (_spread(g, node.parents[0].data.shape, axes, keepdim),)


class Mean(Op):
    """Mean over axes: every element gets the output's gradient divided by the count."""
    name = "mean"
    expression = "mean({0})"
    formulas = ("broadcast({g}) / n",)
    def forward(self, a, axes, keepdim=False):
        # sum / count is np.mean's own arithmetic without its Python wrapper, which costs
        # 10 µs: as much as a loss's whole mean node over a small batch.
        count = _count(a.shape, axes)
        total = a.sum(axis=axes, keepdims=keepdim)
        return (total / count if count else total * math.nan), (axes, keepdim, count)
    def backward(self, node, g):
        axes, keepdim, count = node.ctx
        # count 0: the input is empty, and so is its gradient
        return (_spread(g / (count or 1), node.parents[0].data.shape, axes, keepdim),)


class Prod(Op):
    """Π along one axis (None: of every element). Each element's gradient is the output's
    times the product of the other elements, found without dividing by the element, so
    that a zero in the input gives PyTorch's gradient rather than 0/0."""
    name = "prod"
    expression = "prod({0})"
    formulas = ("broadcast({g}) ⊙ Π of the others",)

    def forward(self, a, axis, keepdim=False):
        return a.prod(axis=axis, keepdims=keepdim and axis is not None), (axis, keepdim)

    def backward(self, node, g):
        a, (axis, keepdim) = node.parents[0].data, node.ctx
        if axis is None:
            return (g * _product_of_others(a.reshape(-1), 0).reshape(a.shape),)
        return (_keep_axes(g, (axis,), keepdim) * _product_of_others(a, axis),)


def _product_of_others(a, axis: int):
    """For each element, the product of the other elements along ``axis``: the product of
    those before it times the product of those after it (running products, no division)."""
    xp = kernels_for(a).xp
    a = xp.moveaxis(a, axis, 0)
    before = xp.concatenate([xp.ones_like(a[:1]), xp.cumprod(a, axis=0)[:-1]])
    after = xp.concatenate([xp.ones_like(a[:1]), xp.cumprod(a[::-1], axis=0)[:-1]])[::-1]
    return xp.moveaxis(before * after, 0, axis)


class Extremum(Op):
    """amax or amin over axes, and max() or min() of all the elements.

    Tied elements share the gradient equally (a row [3, 3] sends ½ to each), as in
    PyTorch. Where the result is nan, PyTorch's two ops differ, and so do these: max() and
    min() share the gradient among the nan elements; amax and amin give nan everywhere.
    """

    formulas = ("broadcast({g}) ⊙ [{0} = {out}] / ties",)

    def __init__(self, name: str):
        self.name = name
        self.expression = name + "({0})"
        self.reduce = "max" if name.endswith("max") else "min"

    def forward(self, a, axes, keepdim=False):
        return getattr(a, self.reduce)(axis=axes, keepdims=keepdim), (axes, keepdim)

    def backward(self, node, g):
        a, (axes, keepdim) = node.parents[0].data, node.ctx
        m, extreme = kernels_for(g), _keep_axes(node.data, axes, keepdim)
        winners = a == extreme
        if self.name in ("max", "min"):
            winners |= m.xp.isnan(a) & m.xp.isnan(extreme)
        # The count in g's dtype: an integer count would turn a float32 gradient float64.
        count = winners.sum(axis=axes, keepdims=True, dtype=g.dtype)
        return (winners * m.div(_keep_axes(g, axes, keepdim), count),)


class Variance(Op):
    """var: Σ(x − x̄)² / (n − correction) over axes; std = √var.

    VJP of var: g · 2(x − x̄)/(n − correction); std's is var's with g/(2·std), and 0 where
    std = 0 (a constant row), as in PyTorch, rather than 0/0.
    """

    def __init__(self, name: str):
        self.name = name
        self.expression = name + "({0})"
        self.formulas = ("{g} ⊙ 2({0} − mean)/(n − correction)" if name == "var" else
                         "{g} ⊙ ({0} − mean)/((n − correction)·{out})",)

    def forward(self, a, axes, keepdim=False, correction=1):
        m = kernels_for(a)
        centred = a - a.mean(axis=axes, keepdims=True)
        # no more elements than the correction: PyTorch divides by 0 (inf, or nan for 0/0)
        dof = _count(a.shape, axes) - correction
        dof = dof if dof > 0 else 0
        out = m.div((centred * centred).sum(axis=axes, keepdims=keepdim), dof)
        return (m.sqrt(out) if self.name == "std" else out), (axes, keepdim, dof)

    def backward(self, node, g):
        a, (axes, keepdim, dof) = node.parents[0].data, node.ctx
        m = kernels_for(g)
        if self.name == "std":
            g = m.where(node.data == 0, 0, m.div(g, 2 * node.data))
        centred = a - a.mean(axis=axes, keepdims=True)
        return (m.div(2 * centred * _keep_axes(g, axes, keepdim), dof).astype(g.dtype),)


class LogSumExp(Op):
    """log Σ eˣ over axes, without overflow; VJP: g · e^(x − out) (the softmax)."""
    name = "logsumexp"
    expression = "logsumexp({0})"
    formulas = ("{g} ⊙ exp({0} − {out})",)

    def forward(self, a, axes, keepdim=False):
        m = kernels_for(a)
        # Shift by the largest element, so that no eˣ overflows; an infinite one cannot be
        # subtracted (inf − inf), so those rows are not shifted. An empty sum is 0: −inf.
        peak = a.max(axis=axes, keepdims=True) if a.size else m.xp.zeros((), a.dtype)
        peak = m.where(m.xp.isfinite(peak), peak, 0)
        out = m.log(m.exp(a - peak).sum(axis=axes, keepdims=True)) + peak
        return (out if keepdim else out.squeeze(axis=axes)), (axes, keepdim)

    def backward(self, node, g):
        a, (axes, keepdim) = node.parents[0].data, node.ctx
        out = _keep_axes(node.data, axes, keepdim)
        return (_keep_axes(g, axes, keepdim) * kernels_for(g).exp(a - out),)


class Norm(Op):
    """The vector p-norm over axes: (Σ|x|ᵖ)^(1/p); p = inf is max |x|, −inf min |x|, 0 the
    count of non-zeros.

    VJP: g · sign(x)·(|x|/out)^(p−1), which is x/out for p = 2 and sign(x) for p = 1; 0
    where x = 0 (PyTorch's subgradient). For ±inf the elements of largest (smallest) |x|
    share g, with their sign. p = 0 has gradient 0.
    """
    name = "norm"
    expression = "norm({0}, {p})"
    formulas = ("{g} ⊙ sign({0})·(|{0}|/{out})^(p−1)",)

    def forward(self, a, p, axes, keepdim=False):
        m = kernels_for(a)
        size = m.abs(a)
        if p in (math.inf, -math.inf):
            out = (size.max if p > 0 else size.min)(axis=axes, keepdims=keepdim)
        elif p == 0:
            out = (a != 0).sum(axis=axes, keepdims=keepdim, dtype=a.dtype)
        else:
            out = m.pow(m.pow(size, p).sum(axis=axes, keepdims=keepdim), 1.0 / p)
        return out, (p, axes, keepdim)

    def backward(self, node, g):
        a, (p, axes, keepdim) = node.parents[0].data, node.ctx
        m = kernels_for(g)
        g, out = _keep_axes(g, axes, keepdim), _keep_axes(node.data, axes, keepdim)
        sign = m.step(a) - m.step(-a)
        if p == 0:
            return (m.xp.zeros_like(a, dtype=g.dtype),)
        if p in (math.inf, -math.inf):
            winners = m.abs(a) == out
            count = winners.sum(axis=axes, keepdims=True, dtype=g.dtype)
            return (sign * winners * m.div(g, count),)
        # Where x = 0 (and so wherever out = 0) sign(x) is 0: 1 in place of |x| and of out
        # there gives that 0 without computing 0·∞.
        size, out = m.where(a == 0, 1, m.abs(a)), m.where(out == 0, 1, out)
        return (g * (sign * m.pow(m.div(size, out), p - 1)).astype(g.dtype),)

    def describe(self, node) -> dict:
        return {"p": node.ctx[0]}


class CumSum(Op):
    """Running sums along one axis; VJP: the running sums of g taken from the other end."""
    name = "cumsum"
    expression = "cumsum({0}, {dim})"
    formulas = ("flip(cumsum(flip({g})))",)

    def forward(self, a, axis):
        return kernels_for(a).xp.cumsum(a, axis=axis).reshape(a.shape), axis

    def backward(self, node, g):
        if g.ndim == 0:  # a 0-d tensor's running sum is itself
            return (g,)
        xp, axis = kernels_for(g).xp, node.ctx
        return (xp.flip(xp.cumsum(xp.flip(g, axis), axis=axis), axis),)

    def describe(self, node) -> dict:
        return {"dim": node.ctx}


reductions = {"sum": Sum(), "mean": Mean(), "prod": Prod(), "var": Variance("var"),
              "std": Variance("std"), "logsumexp": LogSumExp(), "norm": Norm(),
              "cumsum": CumSum(), **{name: Extremum(name) for name in ("amax", "amin")}}
#: max() and min() of all the elements.
whole = {name: Extremum(name) for name in ("max", "min")}


# --- ordering: indices, then the values they pick ---------------------------------------------

def _order(a, axis: int, descending: bool):
    """The positions that sort ``a`` along ``axis``, stable (equal elements keep their
    order), nan last ascending and first descending: PyTorch's order."""
    xp = kernels_for(a).xp
    a = a.reshape(a.shape or 1)  # a 0-d tensor is one element
    if not descending:
        return xp.argsort(a, axis=axis, kind="stable")
    # Sorting the reversed row ascending, then reading the result backwards, puts the
    # largest (and nan) first and keeps equal elements in their first order.
    backwards = xp.argsort(xp.flip(a, axis), axis=axis, kind="stable")
    return a.shape[axis] - 1 - xp.flip(backwards, axis)


def _argextreme(x, name: str, dim, keepdim: bool):
    """The position of the first largest (argmax) or smallest element, nan counting as
    the largest and smallest (as in PyTorch); with ``dim=None``, in the flattened tensor."""
    a = x.data
    find = kernels_for(a).xp.argmax if name.endswith("max") else kernels_for(a).xp.argmin
    if dim is None:
        if a.size == 0:
            raise IndexError(f"{name}(): the tensor of shape {a.shape} is empty; give a dim "
                             "to reduce")
        return find(a).reshape((1,) * a.ndim if keepdim else ())
    axis = wrap_dim(x, dim, name)
    if a.ndim and a.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size")
    return find(a, axis=axis, keepdims=keepdim)


def _indices(array):
    """Positions as an int64 Tensor outside the graph, as PyTorch's indices."""
    return Op.node_type(array, dtype="int64")


#: (values, indices) pairs, as ``torch.return_types``: ``x.max(dim=1).values``.
RETURN_TYPES = {name: namedtuple(name, ("values", "indices"))
                for name in ("max", "min", "sort", "topk", "cummax", "cummin")}


def _scan(x, dim, op: str, fill: float, reduce: str):
    """A running reduction along ``dim`` as the reduction of each prefix: row i of an
    n × n table holds x₀ … xᵢ and ``fill`` after them (1 for a product, −inf for a
    log-sum-exp), and ``reduce`` over each row gives the i-th running value. Its gradient
    is the reduction's own, prefix by prefix (n² work, for a clear rule)."""
    axis = wrap_dim(x, dim, op) if x.ndim else 0
    flat = x.reshape(1) if x.ndim == 0 else x
    last = flat.transpose(axis, -1)
    n = last.shape[-1]
    table = last.unsqueeze(-2).expand(*last.shape[:-1], n, n)
    after = kernels_for(x.data).xp.triu(kernels_for(x.data).xp.ones((n, n), bool), 1)
    out = getattr(table.masked_fill(after, fill), reduce)(-1).transpose(axis, -1)
    return out.reshape(()) if x.ndim == 0 else out


def _running_extreme(x, dim, name: str):
    """(values, indices) of cummax or cummin: the index of the latest element equal to the
    running extreme (ties go to the later one, as in PyTorch), values gathered from it."""
    axis = wrap_dim(x, dim, name) if x.ndim else 0
    a = x.data.reshape(x.shape or 1)
    xp = kernels_for(a).xp
    extreme = (xp.maximum if name == "cummax" else xp.minimum).accumulate(a, axis=axis)
    shape = [1] * a.ndim
    shape[axis] = a.shape[axis]
    positions = xp.arange(a.shape[axis]).reshape(shape)
    indices = xp.maximum.accumulate(xp.where(a == extreme, positions, 0), axis=axis)
    indices = _indices(indices.reshape(x.shape))
    return RETURN_TYPES[name](x.gather(axis, indices) if x.ndim else x * 1, indices)


class ReductionMethods:
    """The Tensor methods of reductions (``Tensor`` inherits them)."""

    __slots__ = ()

    @numpy_spellings
    def sum(self, dim=None, keepdim=False):
        """Sum over ``dim`` (None or (): all; an int or a tuple).

            >>> from autograd import Tensor; Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0)
            tensor([4., 6.])
        """
        return reductions["sum"](self, axes=reduced_axes(self, dim, "sum"), keepdim=keepdim)

    @numpy_spellings
    def mean(self, dim=None, keepdim=False):
        """Mean over ``dim`` (nan for no elements, as in PyTorch).

            >>> from autograd import Tensor; Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(1)
            tensor([1.5, 3.5])
        """
        return reductions["mean"](self, axes=reduced_axes(self, dim, "mean"), keepdim=keepdim)

    @numpy_spellings
    def prod(self, dim=None, keepdim=False):
        """Product along one ``dim`` (an int, as in PyTorch; None: of all elements).

            >>> from autograd import Tensor; Tensor([[1.0, 2.0], [3.0, 4.0]]).prod(1)
            tensor([ 2., 12.])
        """
        axis = None if dim is None or self.ndim == 0 else wrap_dim(self, dim, "prod")
        return reductions["prod"](self, axis=axis, keepdim=keepdim)

    @numpy_spellings
    def amax(self, dim=None, keepdim=False):
        """Largest element over ``dim`` (None or (): all; an int or a tuple); tied maxima
        share the gradient equally.

            >>> from autograd import Tensor; Tensor([[1.0, 5.0], [3.0, 4.0]]).amax(dim=0)
            tensor([3., 5.])
        """
        return _extremum(self, "amax", dim, keepdim)

    @numpy_spellings
    def amin(self, dim=None, keepdim=False):
        """Smallest element over ``dim``; tied minima share the gradient equally.

            >>> from autograd import Tensor; Tensor([[1.0, 5.0], [3.0, 4.0]]).amin(dim=1)
            tensor([1., 3.])
        """
        return _extremum(self, "amin", dim, keepdim)

    @numpy_spellings
    def max(self, dim=None, keepdim=False):
        """PyTorch's three max: ``x.max()`` the largest element (ties share the gradient);
        ``x.max(dim)`` the pair ``(values, indices)`` along that dim, whose values send their
        gradient to the first largest element only; ``x.max(other)`` is ``maximum``.

            >>> from autograd import Tensor; x = Tensor([[1.0, 5.0], [4.0, 3.0]])
            >>> x.max()
            tensor(5.)
            >>> x.max(dim=1)
            max(values=tensor([5., 4.]), indices=tensor([1, 0]))
        """
        return _extreme(self, "max", dim, keepdim)

    @numpy_spellings
    def min(self, dim=None, keepdim=False):
        """PyTorch's three min, as :meth:`max`.

            >>> from autograd import Tensor; Tensor([[1.0, 5.0], [3.0, 4.0]]).min(0).values
            tensor([1., 4.])
        """
        return _extreme(self, "min", dim, keepdim)

    @numpy_spellings
    def argmax(self, dim=None, keepdim=False):
        """The position of the largest element along ``dim`` (None: in the flattened
        tensor), an int64 Tensor; the first one at a tie.

            >>> from autograd import Tensor; Tensor([[1.0, 5.0], [4.0, 3.0]]).argmax(dim=1)
            tensor([1, 0])
        """
        return _indices(_argextreme(self, "argmax", dim, keepdim))

    @numpy_spellings
    def argmin(self, dim=None, keepdim=False):
        """The position of the smallest element, as :meth:`argmax`.

            >>> from autograd import Tensor; Tensor([[1.0, 5.0], [3.0, 4.0]]).argmin()
            tensor(0)
        """
        return _indices(_argextreme(self, "argmin", dim, keepdim))

    @numpy_spellings
    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, ddof=None):
        """Variance over ``dim``: Σ(x − x̄)² / (n − correction), PyTorch's default
        ``correction=1`` (unbiased; NumPy's ``np.var`` divides by n: ``correction=0``, or
        ``unbiased=False``, or NumPy's ``ddof=0``).

            >>> from autograd import Tensor; x = Tensor([1.0, 2.0, 3.0, 4.0])
            >>> x.var().item(), x.var(correction=0).item()
            (1.666..., 1.25)
        """
        return _variance(self, "var", dim, unbiased, keepdim, correction, ddof)

    @numpy_spellings
    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, ddof=None):
        """Standard deviation, √var, with :meth:`var`'s arguments (unbiased by default).

            >>> from autograd import Tensor; Tensor([1.0, 3.0]).std().item()
            1.414...
        """
        return _variance(self, "std", dim, unbiased, keepdim, correction, ddof)

    @numpy_spellings
    def logsumexp(self, dim, keepdim=False):
        """log Σ eˣ over ``dim`` (required, as in PyTorch), without overflow.

            >>> from autograd import Tensor; Tensor([1000.0, 1000.0]).logsumexp(0).item()
            1000.693...
        """
        axes = reduced_axes(self, dim, "logsumexp")
        return reductions["logsumexp"](self, axes=axes, keepdim=keepdim)

    @numpy_spellings
    def norm(self, p="fro", dim=None, keepdim=False):
        """The vector p-norm over ``dim`` (None: all elements): ``p`` = 2 (or "fro", the
        default), 1, any number, ``inf`` (max |x|), ``-inf`` or 0 (count of non-zeros).

            >>> from autograd import Tensor; Tensor([3.0, -4.0]).norm()
            tensor(5.)
            >>> Tensor([3.0, -4.0]).norm(p=1)
            tensor(7.)
        """
        if p == "fro":
            p = 2
        if not isinstance(p, numbers.Real):
            raise NotImplementedError(f"norm: p={p!r} is not supported; p is 'fro' or a number")
        axes = reduced_axes(self, dim, "norm")
        return reductions["norm"](self, p=float(p), axes=axes, keepdim=keepdim)

    @accepts_axis
    def cumsum(self, dim):
        """Running sums along ``dim`` (required, as in PyTorch).

            >>> from autograd import Tensor; Tensor([1.0, 2.0, 3.0]).cumsum(0)
            tensor([1., 3., 6.])
        """
        return reductions["cumsum"](self, axis=wrap_dim(self, dim, "cumsum") if self.ndim else 0)

    @accepts_axis
    def cumprod(self, dim):
        """Running products along ``dim``; the gradient is exact where elements are 0.

            >>> from autograd import Tensor; Tensor([1.0, 2.0, 3.0]).cumprod(0)
            tensor([1., 2., 6.])
        """
        return _scan(self, dim, "cumprod", 1.0, "prod")

    @accepts_axis
    def logcumsumexp(self, dim):
        """Running log Σ eˣ along ``dim``, without overflow.

            >>> from autograd import Tensor; Tensor([0.0, 1000.0]).logcumsumexp(0)
            tensor([   0., 1000.])
        """
        return _scan(self, dim, "logcumsumexp", -math.inf, "logsumexp")

    @accepts_axis
    def cummax(self, dim):
        """``(values, indices)``: the running maximum along ``dim`` and where it was found
        (the later element at a tie, as in PyTorch).

            >>> from autograd import Tensor; Tensor([1.0, 3.0, 2.0]).cummax(0)
            cummax(values=tensor([1., 3., 3.]), indices=tensor([0, 1, 1]))
        """
        return _running_extreme(self, dim, "cummax")

    @accepts_axis
    def cummin(self, dim):
        """``(values, indices)``: the running minimum along ``dim``, as :meth:`cummax`.

            >>> from autograd import Tensor; Tensor([2.0, 1.0, 3.0]).cummin(0)
            cummin(values=tensor([2., 1., 1.]), indices=tensor([0, 1, 1]))
        """
        return _running_extreme(self, dim, "cummin")

    @accepts_axis
    def argsort(self, dim=-1, descending=False, *, stable=False):
        """The indices that sort along ``dim``: :meth:`sort`'s indices.

            >>> from autograd import Tensor; Tensor([3.0, 1.0, 2.0]).argsort()
            tensor([1, 2, 0])
        """
        return self.sort(dim, descending, stable=stable).indices

    @accepts_axis
    def sort(self, dim=-1, descending=False, *, stable=False):
        """``(values, indices)`` sorted along ``dim``; equal elements keep their order and
        nan sorts as the largest, as in PyTorch. The values are ``gather``ed, so their
        gradient goes back to where each element came from.

            >>> from autograd import Tensor; Tensor([3.0, 1.0, 2.0]).sort(descending=True)
            sort(values=tensor([3., 2., 1.]), indices=tensor([0, 2, 1]))
        """
        axis = wrap_dim(self, dim, "sort")
        indices = _indices(_order(self.data, axis, descending).reshape(self.shape))
        return RETURN_TYPES["sort"](self.gather(axis, indices), indices)

    @accepts_axis
    def topk(self, k, dim=-1, largest=True, sorted=True):
        """``(values, indices)`` of the ``k`` largest elements along ``dim`` (smallest with
        ``largest=False``), largest first. At ties PyTorch may pick either element; this
        picks the first.

            >>> from autograd import Tensor; Tensor([1.0, 4.0, 2.0, 3.0]).topk(2)
            topk(values=tensor([4., 3.]), indices=tensor([1, 3]))
        """
        axis = wrap_dim(self, dim, "topk")
        length = self.shape[axis] if self.ndim else 1
        if not 0 <= k <= length:
            raise RuntimeError(f"topk: k = {k} is out of range for a dim of length {length}")
        order = _order(self.data, axis, descending=largest)[(slice(None),) * axis + (slice(k),)]
        if self.ndim == 0 and k == 1:  # a 0-d tensor is one element: its top 1 is itself
            order = order.reshape(())
        indices = _indices(order)
        return RETURN_TYPES["topk"](self.gather(axis, indices), indices)


def _extremum(x, name: str, dim, keepdim: bool):
    """amax, amin, max() or min(), after PyTorch's checks that there is something to reduce."""
    axes = reduced_axes(x, dim, name)
    if x.data.size == 0 and len(axes) == x.ndim:
        raise RuntimeError(f"{name}(): the tensor of shape {tuple(x.shape)} is empty; give a "
                           "dim to reduce")
    for axis in axes:
        if x.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size")
    op = whole[name] if name in whole else reductions[name]
    return op(x, axes=axes, keepdim=keepdim)


def _extreme(x, name: str, dim, keepdim: bool):
    """max or min: of every element, along one dim with its indices, or against a tensor."""
    if isinstance(dim, (Op.node_type, kernels_for(x.data).xp.ndarray)):
        return getattr(x, name + "imum")(dim)  # torch.max(a, b) is torch.maximum(a, b)
    if dim is None:
        if keepdim:
            raise TypeError(f"{name}(): keepdim needs a dim; a{name}(keepdim=True) keeps "
                            "every dim")
        return _extremum(x, name, None, False)
    axis = wrap_dim(x, dim, name)
    indices = _indices(_argextreme(x, "arg" + name, dim, keepdim=True))
    values = x.gather(axis, indices)
    if keepdim:
        return RETURN_TYPES[name](values, indices)
    values = values.squeeze(axis)
    return RETURN_TYPES[name](values, _indices(indices.data.reshape(values.shape)))


def _variance(x, name, dim, unbiased, keepdim, correction, ddof):
    """var or std, with PyTorch's arguments sorted out: ``x.var(False)`` is
    ``unbiased=False``; ``correction``, ``unbiased`` and NumPy's ``ddof`` say one thing."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    given = [c for c in (correction, ddof, None if unbiased is None else int(unbiased))
             if c is not None]
    if len(given) > 1:
        raise TypeError(f"{name}(): give one of correction=, unbiased= and ddof=")
    return reductions[name](x, axes=reduced_axes(x, dim, name), keepdim=keepdim,
                            correction=given[0] if given else 1)


@numpy_spellings
def std_mean(input, dim=None, *, correction=1, keepdim=False):
    """``(std, mean)`` over ``dim``, as ``torch.std_mean``.

        >>> from autograd import Tensor; std_mean(Tensor([1.0, 3.0]))
        (tensor(1.4142135), tensor(2.))
    """
    return (input.std(dim, keepdim=keepdim, correction=correction),
            input.mean(dim, keepdim=keepdim))


@numpy_spellings
def var_mean(input, dim=None, *, correction=1, keepdim=False):
    """``(var, mean)`` over ``dim``, as ``torch.var_mean``.

        >>> from autograd import Tensor; var_mean(Tensor([1.0, 3.0]))
        (tensor(2.), tensor(2.))
    """
    return (input.var(dim, keepdim=keepdim, correction=correction),
            input.mean(dim, keepdim=keepdim))


# PyTorch's function forms are the methods themselves: sum(x, 1) is x.sum(1).
_M = ReductionMethods
amax, amin, argmax, argmin, cumsum = _M.amax, _M.amin, _M.argmax, _M.argmin, _M.cumsum
logsumexp, max, mean, min, norm, prod = _M.logsumexp, _M.max, _M.mean, _M.min, _M.norm, _M.prod
sort, std, sum, topk, var = _M.sort, _M.std, _M.sum, _M.topk, _M.var
argsort, cummax, cummin, cumprod = _M.argsort, _M.cummax, _M.cummin, _M.cumprod
logcumsumexp = _M.logcumsumexp
