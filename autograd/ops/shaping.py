"""Shape ops: reshape, permute, indexing, padding, joining. Each moves elements without
changing them, so each backward moves the gradient back."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..function import Function, shape_args
from ..kernels import kernels_for


class Reshape(Function):
    name = "reshape"
    formulas = ("reshape({g}, shape of {0})",)
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


class Transpose(Function):
    """Permute axes; the backward applies the inverse permutation."""
    name = "transpose"
    formulas = ("permute({g}, inverse)",)
    def forward(self, a, axes=None):
        out = a.transpose(axes)  # NumPy checks the axes (negative ones allowed)
        inverse = None if axes is None else tuple(np.argsort([i % a.ndim for i in axes]))
        return out, inverse
    def backward(self, node, g): return (g.transpose(node.ctx),)


def plain_index(index):
    """Check an index once, so that the backward can replay it exactly.

    Lists become arrays (NumPy treats a list index as an array index; the copy also
    protects the recorded graph if the list changes later). A Tensor is refused: its
    floats are ambiguous as an index (a mask would read as the indices 0 and 1).
    """
    if isinstance(index, (int, slice)):  # the common cases, returned at once
        return index
    parts = index if isinstance(index, tuple) else (index,)
    plain = []
    for part in parts:
        if isinstance(part, Function.node_type):
            raise IndexError(
                "index: a Tensor holds floats and cannot be used as an index; use an "
                "integer or boolean NumPy array (e.g. x[labels.data.astype(int)])")
        if isinstance(part, list):
            part = np.asarray(part) if part else np.zeros(0, dtype=np.intp)
        plain.append(part)
    return tuple(plain) if isinstance(index, tuple) else plain[0]


def _selects_once(index) -> bool:
    """True if no element can be picked twice: ints, slices, None, ``...``, masks."""
    parts = index if isinstance(index, tuple) else (index,)
    for part in parts:
        if isinstance(part, np.ndarray) and part.dtype != bool:
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


class GetItem(Function):
    """``a[index]``: the gradient goes back to the elements that were picked."""
    name = "index"
    expression = "{0}[{index}]"
    formulas = ("scatter({g})",)

    def describe(self, node) -> dict:
        return {"index": _index_text(node.ctx)}
    def forward(self, a, index): return a[index], index
    def backward(self, node, g):
        (a,), index = node.parents, node.ctx
        m = kernels_for(g)
        grad = m.xp.zeros_like(a.data)
        if _selects_once(index):
            grad[index] = g
        else:  # an element picked twice must receive both gradients: add.at accumulates
            m.add_at(grad, index, g)
        return (grad,)


class Pad(Function):
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


class Concatenate(Function):
    """Join along an existing axis; the backward splits the gradient at the seams."""
    name = "concatenate"
    formulas = ("slice({g})",)
    def forward(self, *arrays, axis=0):
        return kernels_for(arrays[0]).xp.concatenate(arrays, axis=axis), axis
    def backward(self, node, g):
        axis, parents, xp = node.ctx, node.parents, kernels_for(g).xp
        if axis is None:  # NumPy flattened every input first
            ends = np.cumsum([p.data.size for p in parents])[:-1]
            return tuple(piece.reshape(p.data.shape)
                         for piece, p in zip(xp.split(g, ends.tolist()), parents))
        ends = np.cumsum([p.data.shape[axis] for p in parents])[:-1]
        return tuple(xp.split(g, ends.tolist(), axis=axis))


class Stack(Function):
    """Join along a new axis; each input's gradient is its slice of that axis."""
    name = "stack"
    formulas = ("slice({g})",)
    def forward(self, *arrays, axis=0):
        return kernels_for(arrays[0]).xp.stack(arrays, axis=axis), axis
    def backward(self, node, g):
        return tuple(kernels_for(g).xp.moveaxis(g, node.ctx, 0))


reshape, permute, getitem, pad = Reshape(), Transpose(), GetItem(), Pad()
_concatenate, _stack = Concatenate(), Stack()


def concatenate(tensors: Sequence, axis: int | None = 0):
    """Join tensors along an existing axis, as ``np.concatenate``.

        >>> from autograd import Tensor
        >>> concatenate([Tensor.ones(2, 3), Tensor.zeros(1, 3)]).shape
        (3, 3)
    """
    return _concatenate(*tensors, axis=axis)


def stack(tensors: Sequence, axis: int = 0):
    """Join tensors along a new axis, as ``np.stack``.

        >>> from autograd import Tensor
        >>> stack([Tensor.ones(3), Tensor.zeros(3)], axis=1).shape
        (3, 2)
    """
    return _stack(*tensors, axis=axis)


class ShapeMethods:
    """The Tensor methods of shape ops and indexing (``Tensor`` inherits them)."""

    __slots__ = ()

    def __getitem__(self, index):
        """NumPy indexing: ints, slices, ``None``, ``...``, boolean masks, integer arrays.

            >>> from autograd import Tensor
            >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
            >>> x[[0, 0, 2]].sum().backward(); x.grad     # picked twice: gradient 2
            array([2., 0., 1.], dtype=float32)
        """
        return getitem(self, index=plain_index(index))

    def reshape(self, *shape):
        """``x.reshape(2, -1)`` or ``x.reshape((2, -1))``, as NumPy."""
        return reshape(self, shape=shape_args(shape))

    def flatten(self, start_axis: int = 0):
        """Merge the axes from ``start_axis`` on (``x.flatten(1)`` keeps the batch axis).

        A 0-d tensor flattens to shape (1,), as in PyTorch.
        """
        start = start_axis + self.ndim if start_axis < 0 else start_axis
        if not 0 <= start <= max(self.ndim - 1, 0):
            raise ValueError(f"flatten: start_axis {start_axis} is out of range for a "
                             f"tensor of shape {self.shape}")
        return reshape(self, shape=self.shape[:start] + (math.prod(self.shape[start:]),))

    def transpose(self, dim0: int, dim1: int):
        """Swap two axes, as ``torch.transpose`` (not NumPy's permutation: use ``permute``).

            >>> from autograd import Tensor
            >>> Tensor.zeros(2, 3, 4).transpose(0, 2).shape
            (4, 3, 2)
        """
        axes = list(range(self.ndim))
        try:
            axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        except (IndexError, TypeError):
            raise IndexError(f"transpose: dims ({dim0}, {dim1}) are out of range for a "
                             f"tensor of shape {self.shape}") from None
        return permute(self, axes=tuple(axes))

    def permute(self, *dims):
        """Reorder the axes: ``x.permute(2, 0, 1)`` or ``x.permute((2, 0, 1))``."""
        return permute(self, axes=tuple(shape_args(dims)))

    T = property(lambda self: permute(self, axes=None), doc="All axes reversed.")

    def pad(self, pad_width, constant_values=0.0):
        """Pad with a constant, NumPy's ``pad_width`` format (``1``, ``(1, 2)`` or
        ``((0, 0), (1, 1))``)."""
        return pad(self, pad_width=pad_width, constant_values=constant_values)
