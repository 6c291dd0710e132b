"""Ops that pick elements: ``x[index]``, ``gather``, ``index_select``, ``scatter``,
``scatter_add``, ``masked_fill``, ``one_hot``; and how a ``dim`` argument is read.

Picking is one idea with one gradient: the forward reads ``a[where]`` for a NumPy index
``where``, and the backward adds the incoming gradient back at ``where`` (twice into an
element that was picked twice). ``gather`` and ``index_select`` only build ``where`` from
an index tensor. Index tensors and masks are parameters of an op, never its inputs: an
index has no gradient.
"""

from __future__ import annotations

import functools
import operator

import numpy as np

from ..dtypes import on_gpu
from ..kernels import kernels_for
from ..op import Op, unbroadcast

__all__ = ["gather", "index_select", "masked_fill", "masked_select", "one_hot", "scatter",
           "scatter_add", "scatter_reduce"]


# --- reading dims -------------------------------------------------------------------------

def wrap_dim(x, dim, op: str, ndim: int | None = None) -> int:
    """``dim`` as an axis number of ``x``: negative dims count from the end, as in PyTorch.

    ``ndim`` is how many axes ``dim`` may name (``x.ndim``; one more for ``unsqueeze``).
    A 0-d tensor takes the dims 0 and -1, as if it had one axis, as PyTorch lets it.

        >>> wrap_dim(np.zeros((2, 3)), -1, "sum")
        1
    """
    ndim = max(x.ndim if ndim is None else ndim, 1)
    dim = operator.index(dim)  # 1.0 is no dim: a TypeError, as in PyTorch
    if not -ndim <= dim < ndim:
        raise IndexError(f"{op}: Dimension out of range (expected to be in range of "
                         f"[{-ndim}, {ndim - 1}], but got {dim}) for a tensor of shape "
                         f"{tuple(x.shape)}")
    return dim % ndim


def wrap_dims(x, dims, op: str) -> tuple:
    """Several dims (an int, or a sequence of them), each named once."""
    dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    axes = tuple(wrap_dim(x, d, op) for d in dims)
    for axis in axes:
        if axes.count(axis) > 1:
            raise RuntimeError(f"{op}: dim {axis} appears multiple times in the list of dims")
    return axes


def accepts_axis(method):
    """Let ``axis=`` stand for ``dim=``: NumPy's spelling, which PyTorch accepts too."""
    @functools.wraps(method)
    def with_axis(*args, axis=None, **kwargs):
        if axis is not None:
            kwargs["dim"] = axis
        return method(*args, **kwargs)
    return with_axis


# --- x[index] -----------------------------------------------------------------------------

def _tensor_index(t):
    """The array of a Tensor used as an index: integers, or a bool mask, as PyTorch takes
    them (uint8 is read as a mask, as PyTorch reads it)."""
    dtype = t.data.dtype
    if dtype in (np.bool_, np.int64, np.int32):
        return t.data
    if dtype == np.uint8:
        return t.data.astype(bool)
    floats = (" (a Tensor holds floats and cannot be used as an index: make the index with "
              "dtype=np.int64, or convert it with .long())") if dtype.kind == "f" else ""
    raise IndexError(f"index: tensors used as indices must be long, int, byte or bool "
                     f"tensors, got {dtype}{floats}")


def plain_index(index, like):
    """Check an index of the array ``like`` once, so that the backward can replay it exactly.

    Lists become arrays (NumPy treats a list index as an array index; the copy also
    protects the recorded graph if the list changes later), and Tensors their arrays, in
    ``like``'s array module.
    """
    if isinstance(index, (int, slice)):  # the common cases, returned at once
        return index
    parts = index if isinstance(index, tuple) else (index,)
    plain = []
    for part in parts:
        if isinstance(part, Op.node_type):
            part = _array_like(like, _tensor_index(part))
        elif isinstance(part, list):
            part = _array_like(like, part if part else np.zeros(0, dtype=np.intp))
        elif isinstance(part, np.ndarray):
            part = _array_like(like, part)
        plain.append(part)
    return tuple(plain) if isinstance(index, tuple) else plain[0]


def _selects_once(index) -> bool:
    """True if no element can be picked twice: ints, slices, None, ``...``, masks."""
    parts = index if isinstance(index, tuple) else (index,)
    for part in parts:
        if hasattr(part, "dtype") and part.ndim and part.dtype != bool:
            return False  # an integer array may repeat an index
    return True


def _index_text(index) -> str:
    """An index as it is written in brackets: ``0``, ``1:3``, ``:, 2``, ``[0, 0, 2]``."""
    def part(p) -> str:
        if isinstance(p, slice):
            text = ":".join("" if x is None else str(x) for x in (p.start, p.stop, p.step))
            return text.rstrip(":") or ":"
        if p is Ellipsis:
            return "..."
        if p is None:
            return "None"
        if isinstance(p, np.ndarray):
            return str(p.tolist()) if p.size <= 6 else f"<{p.dtype} array of shape {p.shape}>"
        return str(p)
    return ", ".join(map(part, index if isinstance(index, tuple) else (index,)))


def _put_back(a, where, g):
    """The gradient of ``a[where]``: ``g`` at the picked places of zeros shaped as ``a``."""
    m = kernels_for(g)
    grad = m.xp.zeros_like(a)
    if _selects_once(where):
        grad[where] = g
    else:  # an element picked twice must receive both gradients: add.at accumulates
        m.add_at(grad, where, g)
    return grad


class GetItem(Op):
    """``a[index]``: the gradient goes back to the elements that were picked."""
    name = "index"
    expression = "{0}[{index}]"
    formulas = ("scatter({g})",)

    def describe(self, node) -> dict:
        return {"index": _index_text(node.ctx)}
    def forward(self, a, index): return a[index], index
    def backward(self, node, g): return (_put_back(node.parents[0].data, node.ctx, g),)


class Take(Op):
    """``a[where]`` for a ``where`` built from an index tensor along ``dim`` (gather,
    index_select): GetItem's forward and backward, written as the call that made it."""
    formulas = ("scatter_add({g})",)

    def __init__(self, name: str):
        self.name = name
        self.expression = name + "({0}, {dim}, index)"

    def describe(self, node) -> dict:
        return {"dim": node.ctx[1]}
    def forward(self, a, where, dim): return a[where], (where, dim)
    def backward(self, node, g): return (_put_back(node.parents[0].data, node.ctx[0], g),)


getitem, _gather, _index_select = GetItem(), Take("gather"), Take("index_select")


# --- index tensors ------------------------------------------------------------------------

def _array_like(like, x):
    """``x`` (a Tensor, an array, a list) as an array of ``like``'s array module: an index
    or mask made on the CPU serves a GPU tensor too, as in PyTorch."""
    array = x.data if isinstance(x, Op.node_type) else x
    xp = kernels_for(like).xp
    return array if xp is not np and on_gpu(array) else xp.asarray(array)


def _index_array(index, op: str, like):
    """The integer array of an index tensor; PyTorch's index ops take int64 (or int32)."""
    data = _array_like(like, index)
    if data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index, got {data.dtype} "
                           "(make the index with dtype=np.int64, or convert it with .long())")
    return data


def _check_bounds(op: str, index, dim: int, size: int) -> None:
    outside = (index < 0) | (index >= size)
    if outside.any():
        raise RuntimeError(f"{op}: index {int(index[outside][0])} is out of bounds for "
                           f"dimension {dim} with size {size}")


def _at_least_1d(x):
    """A 0-d tensor or array as shape (1,): PyTorch's index ops read a 0-d tensor so."""
    return x if x.ndim else x.reshape(1)


def _along(index, dim: int) -> tuple:
    """The NumPy index that pairs each element of ``index`` with its own position on the
    other axes: with it, ``a[where][i][j] = a[index[i][j]][j]`` for dim 0."""
    xp = kernels_for(index).xp
    last = index.ndim - 1
    where = [xp.arange(n).reshape((n,) + (1,) * (last - axis))
             for axis, n in enumerate(index.shape)]
    where[dim] = index
    return tuple(where)


def _checked_along(op: str, input, dim, index, src=None) -> tuple:
    """``dim`` and ``where`` for gather and scatter, after PyTorch's checks: as many dims
    in ``index`` as in ``input`` (and ``src``), no larger than ``input`` except along
    ``dim``, no larger than ``src``, and every index inside ``input``."""
    dim = wrap_dim(input, dim, op)
    shapes = {"input": input.shape} if src is None else {"input": input.shape, "src": src.shape}
    for name, shape in shapes.items():
        if len(shape) != index.ndim:
            raise RuntimeError(f"{op}: Index tensor must have the same number of dimensions "
                               f"as {name} tensor (index {index.shape}, {name} {shape})")
        larger = [d for d, (i, s) in enumerate(zip(index.shape, shape))
                  if i > s and (d != dim or name == "src")]
        if larger:
            raise RuntimeError(f"{op}: Size does not match at dimension {larger[0]}: index of "
                               f"shape {index.shape} must be no larger than {name} {shape}"
                               + (f" apart from dimension {dim}" if name == "input" else ""))
    _check_bounds(op, index, dim, input.shape[dim])
    return dim, _along(index, dim)


def _read_from_src(where, dim) -> tuple:
    """The part of ``src`` that scatter reads: its leading block of the index's shape
    (``src`` may be larger than the index)."""
    return tuple(slice(n) for n in where[dim].shape)


class Scatter(Op):
    """``a`` with ``src``'s elements written (scatter) or added (scatter_add) at the
    places ``index`` names along ``dim``.

    ``src``'s gradient is ``g`` read at those places (a gather); ``a``'s is ``g``, with
    zeros where scatter overwrote ``a``'s values.
    """

    def __init__(self, name: str, add: bool):
        self.name, self.add = name, add
        self.expression = name + "({0}, {dim}, index, {1})"
        self.formulas = ("{g}" if add else "{g} with zeros at index", "gather({g}, {dim}, index)")

    def describe(self, node) -> dict:
        return {"dim": node.ctx[1]}

    def forward(self, a, src, where, dim):
        values = src[_read_from_src(where, dim)] if src.ndim else src  # 0-d: a number
        out = a.copy()
        if self.add:
            kernels_for(out).add_at(out, where, values)
        else:
            out[where] = values
        return out, (where, dim)

    def backward(self, node, g):
        (a, src), (where, dim) = node.parents, node.ctx
        grad_a = grad_src = None
        if a.requires_grad:
            grad_a = g
            if not self.add:  # the overwritten elements of a reached no output
                grad_a = g.copy()
                grad_a[where] = 0
        if src.requires_grad:
            grad_src = kernels_for(g).xp.zeros_like(src.data)
            grad_src[_read_from_src(where, dim)] = g[where]
        return grad_a, grad_src


_scatter, _scatter_add = Scatter("scatter", add=False), Scatter("scatter_add", add=True)


class ScatterReduce(Op):
    """``a`` with ``src``'s elements combined into the places ``index`` names along
    ``dim`` by ``reduce``: "sum", "prod", "mean", "amax" or "amin"; with
    ``include_self=False`` a named place starts from the reduction's identity rather than
    from ``a``'s value.

    Each element that took part gets its share of ``g``: all of it for sum, 1/count for
    mean, the product of the others (out/x, so exact where no element is 0) for prod, and
    for amax and amin an even share among the elements equal to the result.
    """

    name = "scatter_reduce"
    expression = "scatter_reduce({0}, {dim}, index, {1}, {reduce})"
    formulas = ("{g} ⊙ ∂out/∂{0}", "gather({g} ⊙ ∂out/∂{1}, {dim}, index)")
    _UFUNCS = {"sum": "add", "mean": "add", "prod": "multiply", "amax": "maximum",
               "amin": "minimum"}

    def describe(self, node) -> dict:
        return {"dim": node.ctx[1], "reduce": node.ctx[2]}

    def forward(self, a, src, where, dim, reduce, include_self):
        xp = kernels_for(a).xp
        values = src[_read_from_src(where, dim)]
        named = xp.zeros(a.shape, bool)
        named[where] = True
        out = a.copy()
        if not include_self:
            out[named] = _identity(reduce, a.dtype)
        getattr(xp, self._UFUNCS[reduce]).at(out, where, values)
        count = xp.full(a.shape, 1 if include_self else 0, a.dtype)
        kernels_for(count).add_at(count, where, 1)
        count = xp.maximum(count, 1)
        if reduce == "mean":
            out = out / count if out.dtype.kind == "f" else out // count
        return out, (where, dim, reduce, include_self, named, count)

    def backward(self, node, g):
        (a, src), out = node.parents, node.data
        where, dim, reduce, include_self, named, count = node.ctx
        xp = kernels_for(g).xp
        values = src.data[_read_from_src(where, dim)]
        # ∂out/∂x for x = a's element (at its own place) and for each src element (at the
        # place it went to)
        if reduce in ("sum", "mean"):
            share = 1 / count if reduce == "mean" else xp.ones_like(g)
            local_a, local_src = share, share[where]
        elif reduce == "prod":
            with np.errstate(divide="ignore", invalid="ignore"):
                local_a, local_src = out / a.data, out[where] / values
        else:  # amax, amin: the winners share
            winners = xp.zeros(g.shape, g.dtype) + (a.data == out) * include_self
            kernels_for(winners).add_at(winners, where, values == out[where])
            local_a = (a.data == out) / xp.maximum(winners, 1)
            local_src = (values == out[where]) / xp.maximum(winners, 1)[where]
        grad_a = grad_src = None
        if a.requires_grad:
            taken = g * local_a if include_self else 0
            grad_a = xp.where(named, taken, g)
        if src.requires_grad:
            grad_src = xp.zeros_like(src.data)
            grad_src[_read_from_src(where, dim)] = g[where] * local_src
        return grad_a, grad_src


def _identity(reduce: str, dtype):
    """The value a reduction starts from: 0, 1, or the lowest (highest) value for amax
    (amin)."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    low, high = ((-np.inf, np.inf) if np.dtype(dtype).kind == "f"
                 else (np.iinfo(dtype).min, np.iinfo(dtype).max))
    return low if reduce == "amax" else high


_scatter_reduce = ScatterReduce()


class MaskedFill(Op):
    """``value`` where ``mask`` is True, ``a`` elsewhere; the mask splits the gradient."""
    name = "masked_fill"
    expression = "masked_fill({0}, mask, {1})"
    formulas = ("{g} ⊙ ¬mask", "Σ {g}[mask]")

    def forward(self, a, value, mask):
        # the result keeps a's dtype, as in PyTorch (a float64 value fills a float32 tensor)
        return kernels_for(a).xp.where(mask, value.astype(a.dtype), a), mask

    def backward(self, node, g):
        (a, value), mask = node.parents, node.ctx
        xp = kernels_for(g).xp
        grad_a = grad_value = None
        if a.requires_grad:
            grad_a = unbroadcast(xp.where(mask, 0, g), a.data.shape)
        if value.requires_grad:
            grad_value = unbroadcast(xp.where(mask, g, 0), value.data.shape)
        return grad_a, grad_value


_masked_fill = MaskedFill()


class IndexMethods:
    """The Tensor methods that pick elements (``Tensor`` inherits them through
    ``ShapeMethods``); ``torch.gather(x, ...)`` and the like are these same functions."""

    __slots__ = ()

    def __getitem__(self, index):
        """PyTorch's and NumPy's indexing: ints, slices, ``None``, ``...``, boolean masks,
        integer arrays, and int64 or bool Tensors.

            >>> from autograd import Tensor
            >>> x = Tensor([1.0, -2.0, 3.0], requires_grad=True)
            >>> x[x > 0]
            tensor([1., 3.], grad_fn=<IndexBackward>)
            >>> x[[0, 0, 2]].sum().backward(); x.grad     # picked twice: gradient 2
            tensor([2., 0., 1.])
        """
        return getitem(self, index=plain_index(index, self.data))

    @accepts_axis
    def gather(self, dim, index):
        """``out[i][j] = self[index[i][j]][j]`` for ``dim=0`` (``self[i][index[i][j]]`` for
        1): one element per element of ``index``, an int64 tensor with as many dims.

            >>> from autograd import Tensor
            >>> scores = Tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
            >>> labels = Tensor(np.array([[1], [0]]), dtype=np.int64)
            >>> scores.gather(1, labels)                 # each row's score of its label
            tensor([[0.7],
                    [0.5]])
        """
        x, index = _at_least_1d(self), _index_array(index, "gather", self.data)
        dim, where = _checked_along("gather", x, dim, _at_least_1d(index))
        out = _gather(x, where=where, dim=dim)
        return out if index.ndim else out.reshape(())

    @accepts_axis
    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        """A copy of ``self`` with ``src``'s elements (or the number ``value``) written at
        the places ``index`` names along ``dim``: ``out[index[i][j]][j] = src[i][j]`` for
        ``dim=0``. The inverse of :meth:`gather`. ``reduce="add"`` or ``"multiply"``
        combines them with ``self``'s values instead (see :meth:`scatter_reduce`).

            >>> from autograd import Tensor
            >>> index = Tensor(np.array([[2, 0]]), dtype=np.int64)
            >>> Tensor.zeros(2, 3).scatter(1, index, Tensor([[5.0, 6.0]]))
            tensor([[6., 0., 5.],
                    [0., 0., 0.]])
        """
        src = value if src is None else src
        if reduce is not None:
            if reduce not in ("add", "multiply"):
                raise RuntimeError(f"scatter(): reduce argument must be either add or "
                                   f"multiply, got {reduce}")
            if not isinstance(src, Op.node_type):
                shape = _index_array(index, "scatter", self.data).shape
                src = Op.node_type(kernels_for(self.data).xp.full(shape, src, self.dtype))
            return self.scatter_reduce(dim, index, src, "sum" if reduce == "add" else "prod")
        return self._scatter(_scatter, dim, index, src)

    @accepts_axis
    def scatter_add(self, dim, index, src):
        """As :meth:`scatter`, but adding: ``out[index[i][j]][j] += src[i][j]`` for
        ``dim=0``; a place named twice gets both elements.

            >>> from autograd import Tensor
            >>> index = Tensor(np.array([0, 1, 0]), dtype=np.int64)
            >>> Tensor.zeros(2).scatter_add(0, index, Tensor([1.0, 2.0, 3.0]))
            tensor([4., 2.])
        """
        if not isinstance(src, Op.node_type):
            raise TypeError(f"scatter_add(): argument 'src' must be Tensor, not "
                            f"{type(src).__name__}")
        return self._scatter(_scatter_add, dim, index, src)

    def _scatter(self, op: Scatter, dim, index, src):
        """scatter or scatter_add after PyTorch's checks; a number ``src`` fills every
        place named (the op makes it a constant of ``self``'s dtype)."""
        x, index = _at_least_1d(self), _at_least_1d(_index_array(index, op.name, self.data))
        if isinstance(src, Op.node_type):
            if src.dtype != self.dtype:
                raise RuntimeError(f"{op.name}(): Expected self.dtype to be equal to "
                                   f"src.dtype ({self.dtype} and {src.dtype})")
            src = _at_least_1d(src)
            dim, where = _checked_along(op.name, x, dim, index, src)
        else:
            dim, where = _checked_along(op.name, x, dim, index)
        out = op(x, src, where=where, dim=dim)
        return out if self.ndim else out.reshape(())

    @accepts_axis
    def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
        """A copy of ``self`` with ``src``'s elements combined into the places ``index``
        names along ``dim`` by ``reduce`` ("sum", "prod", "mean", "amax", "amin"), starting
        from ``self``'s value (``include_self=True``) or from the reduction's identity.

            >>> from autograd import Tensor
            >>> index = Tensor(np.array([0, 1, 0]), dtype=np.int64)
            >>> Tensor.ones(2).scatter_reduce(0, index, Tensor([2.0, 3.0, 4.0]), "amax")
            tensor([4., 3.])
        """
        if reduce not in ScatterReduce._UFUNCS:
            raise RuntimeError(f"scatter_reduce(): reduce argument must be one of sum, prod, "
                               f"mean, amax, amin, got {reduce}")
        index = _at_least_1d(_index_array(index, "scatter_reduce", self.data))
        x = _at_least_1d(self)
        src = _at_least_1d(src)
        dim, where = _checked_along("scatter_reduce", x, dim, index, src)
        out = _scatter_reduce(x, src, where=where, dim=dim, reduce=reduce,
                              include_self=include_self)
        return out if self.ndim else out.reshape(())

    def masked_select(self, mask):
        """The elements where ``mask`` (broadcast with self) is true, as a 1-D tensor.

            >>> from autograd import Tensor; x = Tensor([1.0, -2.0, 3.0])
            >>> x.masked_select(x > 0)
            tensor([1., 3.])
        """
        mask = _array_like(self.data, mask)
        shape = np.broadcast_shapes(self.shape, mask.shape)
        return self.expand(shape)[kernels_for(mask).xp.broadcast_to(mask, shape)]

    @accepts_axis
    def index_select(self, dim, index):
        """The slices of ``self`` along ``dim`` at the positions in ``index`` (a 1-D int64
        tensor; repeats allowed).

            >>> from autograd import Tensor
            >>> x = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            >>> x.index_select(1, Tensor(np.array([2, 0]), dtype=np.int64))
            tensor([[3., 1.],
                    [6., 4.]])
        """
        index = _index_array(index, "index_select", self.data)
        if index.ndim > 1:
            raise IndexError(f"index_select(): Index is supposed to be a vector, got shape "
                             f"{index.shape}")
        x, index = _at_least_1d(self), _at_least_1d(index)
        dim = wrap_dim(x, dim, "index_select")
        _check_bounds("index_select", index, dim, x.shape[dim])
        out = _index_select(x, where=(slice(None),) * dim + (index,), dim=dim)
        return out if self.ndim else out.reshape(())

    def masked_fill(self, mask, value):
        """A copy of ``self`` with ``value`` where the bool ``mask`` (broadcast) is True.
        ``value`` is a number or a 0-d Tensor, which then gets its gradient.

            >>> from autograd import Tensor
            >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.masked_fill(x > 2, 0.0)
            tensor([[1., 2.],
                    [0., 0.]])
        """
        mask = _array_like(self.data, mask)
        if mask.dtype != bool:
            raise RuntimeError(f"masked_fill only supports boolean masks, but got mask with "
                               f"dtype {mask.dtype}")
        if getattr(value, "ndim", 0):
            raise RuntimeError(f"masked_fill only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.ndim} dimension(s).")
        return _masked_fill(self, value, mask=mask)


gather, scatter, scatter_add = IndexMethods.gather, IndexMethods.scatter, IndexMethods.scatter_add
index_select, masked_fill = IndexMethods.index_select, IndexMethods.masked_fill
scatter_reduce, masked_select = IndexMethods.scatter_reduce, IndexMethods.masked_select


def one_hot(tensor, num_classes: int = -1):
    """Class labels (an int64 tensor) as rows of 0s with a 1 at the label: an int64
    tensor of shape ``(*tensor.shape, num_classes)``. ``num_classes=-1`` takes the
    largest label + 1. No gradient, as in PyTorch.

        >>> from autograd import Tensor
        >>> one_hot(Tensor(np.array([0, 2]), dtype=np.int64))
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    labels = tensor.data if isinstance(tensor, Op.node_type) else np.asarray(tensor)
    if labels.dtype != np.int64:
        raise RuntimeError(f"one_hot is only applicable to index tensor of type LongTensor "
                           f"(int64), got {labels.dtype}")
    if num_classes == -1:
        if labels.size == 0:
            raise RuntimeError("one_hot: Can not infer total number of classes from empty "
                               "tensor; pass num_classes")
        num_classes = int(labels.max()) + 1
    if labels.size and labels.min() < 0:
        raise RuntimeError("one_hot: Class values must be non-negative.")
    if labels.size and labels.max() >= num_classes:
        raise RuntimeError(f"one_hot: Class values must be smaller than num_classes "
                           f"({num_classes}), got {int(labels.max())}")
    hits = labels[..., None] == kernels_for(labels).xp.arange(num_classes)
    return Op.node_type(hits, dtype=np.int64)
