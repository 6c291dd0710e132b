"""Shape ops: the same elements in another shape or order (reshape, view, squeeze,
transpose, expand, repeat, roll, flip), parts of a tensor (narrow, split, chunk, tril,
triu, pad) and joins (cat, stack). Each moves elements without changing them, so each
backward moves the gradient back. The ops that pick elements by index (``x[i]``, gather,
scatter, masked_fill) are in :mod:`.indexing`.

PyTorch's function forms (``torch.squeeze(x, 0)``) are the methods themselves: called
on the class, a method takes the tensor as its first argument, so ``squeeze`` below is
``ShapeMethods.squeeze``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import accumulate

import numpy as np

from ..kernels import kernels_for
from ..op import Op, shape_args, unbroadcast
from .indexing import IndexMethods, accepts_axis, getitem, wrap_dim, wrap_dims

__all__ = [
    "Size", "cat", "chunk", "concat", "concatenate", "diag", "diagonal", "flatten", "flip",
    "meshgrid", "narrow", "permute", "repeat_interleave", "reshape", "roll", "split", "squeeze",
    "stack", "transpose", "tril", "triu", "unsqueeze",
]


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as PyTorch's ``torch.Size``.

        >>> s = Size([2, 3, 4])
        >>> s, s[1:], s.numel(), s == (2, 3, 4)
        (Size([2, 3, 4]), Size([3, 4]), 24, True)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Size({list(self)})"

    def numel(self) -> int:
        """The number of elements of a tensor of this shape."""
        return math.prod(self)

    def __getitem__(self, index):
        part = super().__getitem__(index)
        return Size(part) if isinstance(index, slice) else part

    def __add__(self, other):  # Size + tuple is a Size, as in PyTorch
        joined = super().__add__(other)
        return joined if joined is NotImplemented else Size(joined)


class Reshape(Op):
    """The same elements in a new shape (reshape, view, flatten, squeeze, ...); the
    backward gives the gradient the input's shape back."""
    formulas = ("reshape({g}, shape of {0})",)

    def __init__(self, name: str):
        self.name = name

    def forward(self, a, shape): return a.reshape(shape), None
    def backward(self, node, g):
        a = node.parents[0].data
        if a.flags.c_contiguous:
            return (g.reshape(a.shape),)
        # Hand the gradient back in a's memory order (conv2d's output is channels-last
        # underneath): the backward rules above mix it with a, and NumPy runs elementwise
        # ops on arrays of one layout several times faster than on a mix.
        grad = kernels_for(a).xp.empty_like(a)
        grad[...] = g.reshape(a.shape)
        return (grad,)


class Transpose(Op):
    """Permute axes; the backward applies the inverse permutation."""
    name = "transpose"
    formulas = ("permute({g}, inverse)",)
    def forward(self, a, axes=None):
        out = a.transpose(axes)  # NumPy checks the axes (each once)
        inverse = None if axes is None else tuple(np.argsort(axes))
        return out, inverse
    def backward(self, node, g): return (g.transpose(node.ctx),)


class Expand(Op):
    """Size-1 axes repeated without copying (a broadcast view); a copied element's
    gradient is the sum over its copies, as for any broadcast operand."""
    name = "expand"
    formulas = ("unbroadcast({g})",)
    def forward(self, a, shape): return kernels_for(a).xp.broadcast_to(a, shape), None
    def backward(self, node, g): return (unbroadcast(g, node.parents[0].data.shape),)


class Repeat(Op):
    """Whole copies of the tensor side by side (``np.tile``); an element's gradient is
    the sum over its copies."""
    name = "repeat"
    formulas = ("Σ over the copies of {g}",)

    def forward(self, a, repeats): return kernels_for(a).xp.tile(a, repeats), repeats

    def backward(self, node, g):
        repeats, shape = node.ctx, node.parents[0].data.shape
        sizes = (1,) * (len(repeats) - len(shape)) + shape  # tile puts new axes in front
        # Axis k of g is repeats[k] copies of sizes[k] elements: split it in two, and
        # sum over the copies.
        copies = g.reshape([n for pair in zip(repeats, sizes) for n in pair])
        return (copies.sum(axis=tuple(range(0, 2 * len(sizes), 2))).reshape(shape),)


class Roll(Op):
    """Elements shifted cyclically along dims; the gradient is shifted back."""
    name = "roll"
    formulas = ("roll({g}, −shifts)",)
    def forward(self, a, shifts, dims):
        return kernels_for(a).xp.roll(a, shifts, axis=dims), (shifts, dims)
    def backward(self, node, g):
        shifts, dims = node.ctx
        back = -shifts if dims is None else tuple(-shift for shift in shifts)
        return (kernels_for(g).xp.roll(g, back, axis=dims),)


class Flip(Op):
    """Elements in reverse order along dims; the gradient is reversed back."""
    name = "flip"
    formulas = ("flip({g})",)
    # PyTorch's flip copies, so a later in-place change of the result leaves the input
    # alone; with no dims (a 0-d tensor), np.flip would give a NumPy scalar.
    def forward(self, a, dims):
        return (kernels_for(a).xp.flip(a, dims) if dims else a).copy(), dims
    def backward(self, node, g):
        return (kernels_for(g).xp.flip(g, node.ctx) if node.ctx else g,)


class Triangle(Op):
    """The lower (tril) or upper (triu) triangle of the last two axes, zeros elsewhere;
    the gradient keeps the same triangle."""

    def __init__(self, name: str):
        self.name = name
        self.expression = name + "({0}, {diagonal})"
        self.formulas = (name + "({g}, {diagonal})",)

    def describe(self, node) -> dict:
        return {"diagonal": node.ctx}

    def forward(self, a, diagonal):
        if a.ndim < 2:
            raise RuntimeError(f"{self.name}: input tensor must have at least 2 dimensions, "
                               f"got shape {a.shape}")
        return getattr(kernels_for(a).xp, self.name)(a, k=diagonal), diagonal

    def backward(self, node, g):
        return (getattr(kernels_for(g).xp, self.name)(g, k=node.ctx),)


class Pad(Op):
    """Constant padding; the backward cuts the padding off the gradient."""
    name = "pad"
    formulas = ("unpad({g})",)
    def forward(self, a, pad_width, constant_values=0.0):
        # NumPy's shorthands (an int, one pair) spelled out to one (before, after) per axis
        widths = np.broadcast_to(np.asarray(pad_width, dtype=np.intp), (a.ndim, 2))
        out = kernels_for(a).xp.pad(a, widths.tolist(), constant_values=constant_values)
        return out, widths.tolist()
    def backward(self, node, g):
        inside = tuple(slice(before, size - after)
                       for (before, after), size in zip(node.ctx, g.shape))
        return (g[inside],)


class Concatenate(Op):
    """Join along an existing axis; the backward splits the gradient at the seams."""
    formulas = ("slice({g})",)

    def __init__(self, name: str):
        self.name = name

    def forward(self, *arrays, dim):
        return kernels_for(arrays[0]).xp.concatenate(arrays, axis=dim), dim

    def backward(self, node, g):
        dim = node.ctx
        ends = np.cumsum([p.data.shape[dim] for p in node.parents])[:-1]
        return tuple(kernels_for(g).xp.split(g, ends.tolist(), axis=dim))


class Stack(Op):
    """Join along a new axis; each input's gradient is its slice of that axis."""
    name = "stack"
    formulas = ("slice({g})",)
    def forward(self, *arrays, dim):
        return kernels_for(arrays[0]).xp.stack(arrays, axis=dim), dim
    def backward(self, node, g):
        return tuple(kernels_for(g).xp.moveaxis(g, node.ctx, 0))


_reshape, _view, _flatten = Reshape("reshape"), Reshape("view"), Reshape("flatten")
_unflatten, _squeeze, _unsqueeze = Reshape("unflatten"), Reshape("squeeze"), Reshape("unsqueeze")
_permute, _expand, _repeat, _roll, _flip = Transpose(), Expand(), Repeat(), Roll(), Flip()
_tril, _triu, _pad = Triangle("tril"), Triangle("triu"), Pad()
_cat, _concatenate, _stack = Concatenate("cat"), Concatenate("concatenate"), Stack()


def _join(op: Concatenate, tensors: Sequence, dim: int):
    """``op`` (cat or concatenate) along ``dim`` after PyTorch's checks."""
    if not len(tensors):
        raise ValueError(f"{op.name}(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"{op.name}: zero-dimensional tensor (at position {i}) cannot "
                               "be concatenated; make it 1-D with .reshape(1) or use stack")
    # PyTorch skips 1-D empty tensors, so that a loop can start from torch.tensor([]) and
    # cat rows of any shape onto it.
    kept = [t for t in tensors if t.shape != (0,)] or tensors[:1]
    return op(*kept, dim=wrap_dim(kept[0], dim, op.name))


@accepts_axis
def cat(tensors: Sequence, dim: int = 0):
    """Join tensors along an existing dim, as ``torch.cat``; the gradient is split at the
    seams. ``concat`` is the same function.

        >>> from autograd import Tensor
        >>> cat([Tensor([[1.0, 2.0]]), Tensor([[3.0, 4.0]])], dim=1)
        tensor([[1., 2., 3., 4.]])
    """
    return _join(_cat, tensors, dim)


concat = cat


def concatenate(tensors: Sequence, axis: int | None = 0):
    """:func:`cat` as ``torch.concatenate`` and ``np.concatenate`` spell it, with
    ``axis``; ``axis=None`` joins the flattened tensors, as NumPy does.

        >>> from autograd import Tensor
        >>> concatenate([Tensor.ones(2, 3), Tensor.zeros(1, 3)]).tolist()
        [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]
    """
    if axis is None:
        return _join(_concatenate, [_reshape(t, shape=(-1,)) for t in tensors], 0)
    return _join(_concatenate, tensors, axis)


@accepts_axis
def stack(tensors: Sequence, dim: int = 0):
    """Join tensors of one shape along a new dim, as ``torch.stack`` (``axis=`` too).

        >>> from autograd import Tensor
        >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], dim=1)
        tensor([[1., 3.],
                [2., 4.]])
    """
    if not len(tensors):
        raise RuntimeError("stack expects a non-empty TensorList")
    return _stack(*tensors, dim=wrap_dim(tensors[0], dim, "stack", ndim=tensors[0].ndim + 1))


class ShapeMethods(IndexMethods):
    """The Tensor methods of shape ops (``Tensor`` inherits them, and the index ops of
    :class:`~autograd.ops.indexing.IndexMethods` with them)."""

    __slots__ = ()

    # --- shape facts ----------------------------------------------------------------------
    shape = property(lambda self: Size(self.data.shape),
                     doc="The shape, a :class:`Size`: ``Size([2, 3])``.")

    @accepts_axis
    def size(self, dim=None):
        """The shape as a :class:`Size`, or with ``dim`` the length of that dim.

            >>> from autograd import Tensor
            >>> x = Tensor.zeros(2, 3)
            >>> ShapeMethods.size(x), ShapeMethods.size(x, -1)
            (Size([2, 3]), 3)
        """
        if dim is None:
            return Size(self.data.shape)
        if self.ndim == 0:
            raise IndexError(f"size: Dimension specified as {dim} but tensor has no dimensions")
        return self.data.shape[wrap_dim(self, dim, "size")]

    def numel(self) -> int:
        """The number of elements.

            >>> from autograd import Tensor
            >>> Tensor.zeros(2, 3).numel()
            6
        """
        return self.data.size

    def dim(self) -> int:
        """The number of dims (``ndim``).

            >>> from autograd import Tensor
            >>> Tensor.zeros(2, 3).dim()
            2
        """
        return self.data.ndim

    # --- the same elements in another shape -----------------------------------------------
    def reshape(self, *shape):
        """``x.reshape(2, -1)`` or ``x.reshape((2, -1))``: one size may be -1 (inferred).

            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, -1)
            tensor([[1., 2.],
                    [3., 4.]])
        """
        return _reshape(self, shape=shape_args(shape))

    def view(self, *shape):
        """:meth:`reshape` as PyTorch's ``view`` spells it. PyTorch refuses to view some
        non-contiguous tensors (a transposed one: reshape it instead); chainrule accepts
        every shape that holds the same number of elements.

            >>> from autograd import Tensor
            >>> Tensor.zeros(2, 3, 4).view(6, 4).dim()
            2
        """
        return _view(self, shape=shape_args(shape))

    def view_as(self, other):
        """:meth:`view` with ``other``'s shape.

            >>> from autograd import Tensor
            >>> Tensor.zeros(6).view_as(Tensor.zeros(2, 3)).tolist()
            [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
        """
        return _view(self, shape=tuple(other.shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        """Merge the dims from ``start_dim`` to ``end_dim`` into one: ``x.flatten(1)``
        keeps the batch dim. A 0-d tensor flattens to shape (1,), as in PyTorch.

            >>> from autograd import Tensor
            >>> Tensor.zeros(8, 3, 4, 4).flatten(1).numel() == 8 * 48
            True
        """
        start, end = wrap_dim(self, start_dim, "flatten"), wrap_dim(self, end_dim, "flatten")
        if start > end:
            raise RuntimeError(f"flatten() has invalid args: start_dim cannot come after "
                               f"end_dim (start_dim {start_dim}, end_dim {end_dim}, shape "
                               f"{tuple(self.shape)})")
        shape = tuple(self.shape)
        merged = (math.prod(shape[start:end + 1]),)
        return _flatten(self, shape=shape[:start] + merged + shape[end + 1:])

    def unflatten(self, dim: int, sizes):
        """Split one dim into several: ``sizes`` multiply to its length (one may be -1).

            >>> from autograd import Tensor
            >>> tuple(Tensor.zeros(2, 12).unflatten(1, (3, 4)).shape)
            (2, 3, 4)
        """
        if self.ndim == 0:
            raise RuntimeError("unflatten: a 0-d tensor has no dim to unflatten")
        axis, sizes, shape = wrap_dim(self, dim, "unflatten"), tuple(sizes), tuple(self.shape)
        if not sizes:
            raise RuntimeError("unflatten: sizes must be non-empty")
        if -1 not in sizes and math.prod(sizes) != shape[axis]:
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to "
                               f"the size of dim {dim} ({shape[axis]}) in the input tensor")
        return _unflatten(self, shape=shape[:axis] + sizes + shape[axis + 1:])

    @accepts_axis
    def squeeze(self, dim=None):
        """Remove dims of length 1: all of them, or those of ``dim`` (an int or a tuple).
        A named dim whose length is not 1 stays, as in PyTorch.

            >>> from autograd import Tensor
            >>> x = Tensor.zeros(1, 3, 1)
            >>> tuple(x.squeeze().shape), tuple(x.squeeze(0).shape), tuple(x.squeeze(1).shape)
            ((3,), (3, 1), (1, 3, 1))
        """
        named = range(self.ndim) if dim is None else wrap_dims(self, dim, "squeeze")
        shape = tuple(n for d, n in enumerate(self.shape) if n != 1 or d not in named)
        return _squeeze(self, shape=shape)

    @accepts_axis
    def unsqueeze(self, dim: int):
        """Insert a dim of length 1 at ``dim`` (``-1``: at the end).

            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).unsqueeze(1)
            tensor([[1.],
                    [2.]])
        """
        axis, shape = wrap_dim(self, dim, "unsqueeze", ndim=self.ndim + 1), tuple(self.shape)
        return _unsqueeze(self, shape=shape[:axis] + (1,) + shape[axis:])

    # --- the same elements in another order -----------------------------------------------
    def transpose(self, dim0: int, dim1: int):
        """Swap two dims, as ``torch.transpose`` (not NumPy's permutation: use ``permute``).

            >>> from autograd import Tensor
            >>> tuple(Tensor.zeros(2, 3, 4).transpose(0, 2).shape)
            (4, 3, 2)
        """
        axes = list(range(self.ndim))
        d0, d1 = wrap_dim(self, dim0, "transpose"), wrap_dim(self, dim1, "transpose")
        if axes:  # a 0-d tensor has nothing to swap
            axes[d0], axes[d1] = axes[d1], axes[d0]
        return _permute(self, axes=tuple(axes))

    def permute(self, *dims):
        """Reorder the dims: ``x.permute(2, 0, 1)`` or ``x.permute((2, 0, 1))``.

            >>> from autograd import Tensor
            >>> tuple(Tensor.zeros(2, 3, 4).permute(2, 0, 1).shape)
            (4, 2, 3)
        """
        return _permute(self, axes=tuple(wrap_dim(self, d, "permute") for d in shape_args(dims)))

    T = property(lambda self: _permute(self, axes=None), doc="All dims reversed.")

    def t(self):
        """The transpose of a matrix, as ``torch.t``: a 0-d or 1-D tensor stays as it is,
        and more than 2 dims are refused (``mT`` transposes a batch of matrices).

            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0]]).t()
            tensor([[1.],
                    [2.]])
        """
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                               f"{self.ndim}D; use .mT or .transpose(dim0, dim1)")
        return _permute(self, axes=None)

    @property
    def mT(self):
        """The last two dims swapped: each matrix of a batch transposed.

            >>> from autograd import Tensor
            >>> tuple(Tensor.zeros(5, 2, 3).mT.shape)
            (5, 3, 2)
        """
        if self.ndim < 2:
            raise RuntimeError(f"tensor.mT is only supported on matrices or batches of "
                               f"matrices. Got {self.ndim}-D tensor.")
        return self.transpose(-2, -1)

    def roll(self, shifts, dims=None):
        """Shift elements cyclically by ``shifts`` along ``dims`` (ints or tuples of one
        length); without dims, along the flattened tensor.

            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0, 3.0]).roll(1)
            tensor([3., 1., 2.])
        """
        dims = () if dims is None else (dims,) if isinstance(dims, int) else tuple(dims)
        shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
        if not dims:  # the flattened tensor, as np.roll with axis=None
            if len(shifts) != 1:
                raise RuntimeError(f"roll: shifts and dimensions must align. shifts: "
                                   f"{len(shifts)}, dims:0")
            return _roll(self, shifts=shifts[0], dims=None)
        if len(shifts) != len(dims):
            raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:{len(dims)}")
        if self.ndim == 0:
            raise IndexError(f"roll: Dimension specified as {dims[0]} but tensor has no "
                             "dimensions")
        return _roll(self, shifts=shifts, dims=tuple(wrap_dim(self, d, "roll") for d in dims))

    def flip(self, dims, *more):
        """Reverse the order of elements along dims: ``x.flip(0)``, ``x.flip(0, 1)`` or
        ``x.flip((0, 1))``. A copy, as in PyTorch.

            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).flip(1)
            tensor([[2., 1.],
                    [4., 3.]])
        """
        axes = wrap_dims(self, (dims, *more) if more else dims, "flip")
        return _flip(self, dims=axes if self.ndim else ())

    # --- repeated elements ----------------------------------------------------------------
    def expand(self, *sizes):
        """Repeat dims of length 1 to ``sizes`` without copying (``-1`` keeps a dim's
        length; new dims go in front). The gradient sums over the copies.

            >>> from autograd import Tensor
            >>> Tensor([[1.0], [2.0]]).expand(-1, 3)
            tensor([[1., 1., 1.],
                    [2., 2., 2.]])
        """
        sizes = tuple(shape_args(sizes))
        new = len(sizes) - self.ndim
        if new < 0:
            raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be "
                               f"greater or equal to the number of dimensions in the tensor "
                               f"({self.ndim})")
        shape = []
        for d, size in enumerate(sizes):
            old = self.shape[d - new] if d >= new else None
            if size == -1 and old is not None:
                size = old
            if size < 0:
                raise RuntimeError(f"expand: the expanded size of the tensor ({size}) isn't "
                                   f"allowed in a leading, non-existing dimension {d}")
            if old not in (None, 1, size):
                raise RuntimeError(
                    f"expand: The expanded size of the tensor ({size}) must match the existing "
                    f"size ({old}) at non-singleton dimension {d}.  Target sizes: "
                    f"{list(sizes)}.  Tensor sizes: {list(self.shape)}")
            shape.append(size)
        return _expand(self, shape=tuple(shape))

    def expand_as(self, other):
        """:meth:`expand` to ``other``'s shape.

            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).expand_as(Tensor.zeros(2, 2)).tolist()
            [[1.0, 2.0], [1.0, 2.0]]
        """
        return self.expand(tuple(other.shape))

    def repeat(self, *sizes):
        """Copies of the whole tensor side by side: ``sizes[k]`` copies along dim k (more
        sizes than dims add dims in front), as ``torch.repeat`` and ``np.tile``.

            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).repeat(2)
            tensor([1., 2., 1., 2.])
        """
        sizes = tuple(shape_args(sizes))
        if len(sizes) < self.ndim:
            raise RuntimeError(f"repeat: Number of dimensions of repeat dims ({len(sizes)}) can "
                               f"not be smaller than number of dimensions of tensor ({self.ndim})")
        if any(n < 0 for n in sizes):
            raise RuntimeError(f"repeat: Trying to create tensor with negative dimension: "
                               f"{list(sizes)}")
        return _repeat(self, repeats=sizes)

    # --- parts ----------------------------------------------------------------------------
    @accepts_axis
    def narrow(self, dim: int, start: int, length: int):
        """``length`` elements from ``start`` along ``dim`` (a view, as ``x[:, start:start
        + length]`` for dim 1); a negative start counts from the end.

            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).narrow(1, 1, 2)
            tensor([[2., 3.],
                    [5., 6.]])
        """
        if self.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        axis = wrap_dim(self, dim, "narrow")
        size = self.shape[axis]
        if not -size <= start <= size:
            raise IndexError(f"narrow: start out of range (expected to be in range of "
                             f"[{-size}, {size}], but got {start})")
        start = start + size if start < 0 else start
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        if start + length > size:
            raise RuntimeError(f"narrow: start ({start}) + length ({length}) exceeds dimension "
                               f"size ({size}).")
        return getitem(self, index=(slice(None),) * axis + (slice(start, start + length),))

    def split(self, split_size_or_sections, dim: int = 0):
        """A tuple of parts along ``dim``: parts of ``split_size`` elements (the last may be
        shorter), or with a list, parts of those lengths.

            >>> from autograd import Tensor
            >>> [p.tolist() for p in Tensor([1.0, 2.0, 3.0, 4.0, 5.0]).split(2)]
            [[1.0, 2.0], [3.0, 4.0], [5.0]]
        """
        if self.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        axis = wrap_dim(self, dim, "split")
        size = self.shape[axis]
        if isinstance(split_size_or_sections, (int, np.integer)):
            step = split_size_or_sections
            if step < 0 or (step == 0 and size):
                raise RuntimeError(f"split expects split_size be positive (0 only when the "
                                   f"dim is empty), but got split_size={step} for a dim of "
                                   f"size {size}")
            sections = [min(step, size - start) for start in range(0, size, step)] or [0]
        else:
            sections = list(split_size_or_sections)
            if any(n < 0 for n in sections) or sum(sections) != size:
                raise RuntimeError(f"split_with_sizes expects split_sizes to be non-negative "
                                   f"and sum exactly to {size} (input tensor's size at "
                                   f"dimension {dim}), but got split_sizes={sections}")
        starts = accumulate(sections[:-1], initial=0)
        return tuple(self.narrow(axis, start, n) for start, n in zip(starts, sections))

    @accepts_axis
    def chunk(self, chunks: int, dim: int = 0):
        """``chunks`` parts of equal length along ``dim`` (the last shorter), as
        ``torch.chunk``; fewer when the length does not allow that many.

            >>> from autograd import Tensor
            >>> [p.tolist() for p in Tensor([1.0, 2.0, 3.0, 4.0, 5.0]).chunk(2)]
            [[1.0, 2.0, 3.0], [4.0, 5.0]]
        """
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        if self.ndim == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        size = self.shape[wrap_dim(self, dim, "chunk")]
        if size == 0:  # as PyTorch: as many empty chunks as asked
            return self.split([0] * chunks, dim)
        return self.split(-(-size // chunks), dim)  # ⌈size / chunks⌉ elements each

    def tril(self, diagonal: int = 0):
        """The lower triangle of the last two dims, on and below ``diagonal`` (0: the main
        diagonal, 1: one above it), zeros elsewhere.

            >>> from autograd import Tensor
            >>> Tensor.ones(2, 2).tril()
            tensor([[1., 0.],
                    [1., 1.]])
        """
        return _tril(self, diagonal=diagonal)

    def triu(self, diagonal: int = 0):
        """The upper triangle of the last two dims, on and above ``diagonal``.

            >>> from autograd import Tensor
            >>> Tensor.ones(2, 2).triu(1)
            tensor([[0., 1.],
                    [0., 0.]])
        """
        return _triu(self, diagonal=diagonal)

    def unfold(self, dimension: int, size: int, step: int):
        """Every window of ``size`` elements along ``dimension``, ``step`` apart: that dim
        becomes the number of windows and a new last dim holds each window.

            >>> from autograd import Tensor; Tensor([1.0, 2.0, 3.0, 4.0]).unfold(0, 2, 2)
            tensor([[1., 2.],
                    [3., 4.]])
        """
        axis = wrap_dim(self, dimension, "unfold")
        length = self.shape[axis] if self.ndim else 1
        if size > length or step <= 0:
            raise RuntimeError(f"unfold: size {size} is larger than the dimension's "
                               f"{length}, or step {step} is not positive")
        starts = np.arange(0, length - size + 1, step)
        windows = starts[:, None] + np.arange(size)  # (number of windows, size)
        x = self.reshape(1) if self.ndim == 0 else self
        picked = x[(slice(None),) * axis + (windows,)]  # the window's elements at axis + 1
        order = [d for d in range(picked.ndim) if d != axis + 1] + [axis + 1]
        out = picked.permute(order)
        return out.reshape(size) if self.ndim == 0 else out

    def repeat_interleave(self, repeats, dim=None):
        """Each element repeated ``repeats`` times (a number, or one count per element)
        along ``dim``; with no dim, of the flattened tensor.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).repeat_interleave(2)
            tensor([1., 1., 2., 2.])
        """
        x = self.reshape(-1) if dim is None else self
        axis = 0 if dim is None else wrap_dim(self, dim, "repeat_interleave")
        counts = repeats.data if isinstance(repeats, Op.node_type) else repeats
        picks = np.repeat(np.arange(x.shape[axis]), np.asarray(counts))
        return x[(slice(None),) * axis + (picks,)]

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1):
        """The diagonal of dims ``dim1`` and ``dim2`` (``offset`` above it, or below for a
        negative offset), as a last dim.

            >>> from autograd import Tensor; Tensor([[1.0, 2.0], [3.0, 4.0]]).diagonal()
            tensor([1., 4.])
        """
        first, second = wrap_dim(self, dim1, "diagonal"), wrap_dim(self, dim2, "diagonal")
        rest = [d for d in range(self.ndim) if d not in (first, second)]
        square = self.permute(rest + [first, second])
        rows, columns = square.shape[-2:]
        length = max(0, min(rows + min(offset, 0), columns - max(offset, 0)))
        along = np.arange(length)
        return square[..., along - min(offset, 0), along + max(offset, 0)]

    def diag(self, diagonal: int = 0):
        """Of a matrix, its ``diagonal``-th diagonal; of a vector, the square matrix with
        the vector on that diagonal and zeros elsewhere.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).diag()
            tensor([[1., 0.],
                    [0., 2.]])
        """
        if self.ndim == 2:
            return self.diagonal(diagonal)
        if self.ndim != 1:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.ndim}D")
        # Row i of the result is the vector, shifted to start at column `diagonal`, kept
        # only on the diagonal: the vector's element j lands in column j + diagonal.
        size = self.shape[0] + abs(diagonal)
        row = self.pad((max(diagonal, 0), max(-diagonal, 0)))
        off_diagonal = ~np.eye(size, k=diagonal, dtype=bool)
        return row.expand(size, size).masked_fill(off_diagonal, 0.0)

    def pad(self, pad_width, constant_values=0.0):
        """Pad with a constant, NumPy's ``pad_width`` format (``1``, ``(1, 2)`` or
        ``((0, 0), (1, 1))``).

            >>> from autograd import Tensor
            >>> Tensor([1.0]).pad(1)
            tensor([0., 1., 0.])
        """
        return _pad(self, pad_width=pad_width, constant_values=constant_values)


squeeze, unsqueeze, flatten = ShapeMethods.squeeze, ShapeMethods.unsqueeze, ShapeMethods.flatten
reshape, transpose, permute = ShapeMethods.reshape, ShapeMethods.transpose, ShapeMethods.permute
split, chunk, narrow = ShapeMethods.split, ShapeMethods.chunk, ShapeMethods.narrow
roll, flip, tril, triu = ShapeMethods.roll, ShapeMethods.flip, ShapeMethods.tril, ShapeMethods.triu
repeat_interleave = ShapeMethods.repeat_interleave
diag, diagonal = ShapeMethods.diag, ShapeMethods.diagonal


def meshgrid(*tensors, indexing: str = "ij"):
    """Coordinate grids: the i-th output holds the i-th vector, varying along dim i of the
    grid (``indexing="ij"``) or, for the first two, with those two dims swapped (``"xy"``,
    as NumPy's default and Cartesian x, y).

        >>> from autograd import Tensor
        >>> rows, columns = meshgrid(Tensor([1.0, 2.0]), Tensor([5.0, 6.0, 7.0]))
        >>> rows.shape, columns[0]
        (Size([2, 3]), tensor([5., 6., 7.]))
    """
    tensors = tuple(tensors[0]) if len(tensors) == 1 and not isinstance(
        tensors[0], Op.node_type) else tensors
    if indexing not in ("ij", "xy"):
        raise ValueError(f'meshgrid: indexing must be "ij" or "xy", got "{indexing}"')
    order = list(range(len(tensors)))
    if indexing == "xy" and len(order) > 1:
        order[0], order[1] = 1, 0  # the grid's dim of each input
    shape = [0] * len(tensors)
    for t, d in zip(tensors, order):
        shape[d] = t.numel()
    grids = []
    for t, d in zip(tensors, order):
        along = [1] * len(tensors)
        along[d] = t.numel()
        grids.append(t.reshape(along).expand(shape))
    return tuple(grids)
