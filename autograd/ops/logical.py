"""Comparisons, logic and bit operations, the tests for nan and inf, and any/all: the ops
whose results are bool or integer Tensors, outside the graph (no gradient flows through
a truth value or a bit).

Each is PyTorch's method and function: ``x.eq(y)`` is ``x == y``, ``bitwise_and(x, y)``
is ``x & y``; numbers meet tensors as in PyTorch (``int32 & 0x1337`` stays int32).

    >>> from autograd import Tensor
    >>> x = Tensor([1.0, float("nan"), float("inf")])
    >>> x.isnan(), x.isfinite().logical_not()
    (tensor([False,  True, False]), tensor([False,  True,  True]))
"""

from __future__ import annotations

import numpy as np

from ..kernels import kernels_for
from ..op import Op
from .reductions import numpy_spellings, reduced_axes

__all__ = ["all", "allclose", "any", "bitwise_and", "bitwise_left_shift", "bitwise_not",
           "bitwise_or", "bitwise_right_shift", "bitwise_xor", "eq", "ge", "gt", "isclose",
           "isfinite", "isinf", "isnan", "le", "logical_and", "logical_not", "logical_or",
           "logical_xor", "lt", "ne"]


def _array(x):
    """A Tensor's array; numbers and arrays as they are (NumPy then promotes a Python
    number as PyTorch does, keeping the tensor's dtype)."""
    return x.data if isinstance(x, Op.node_type) else x


def _apply(function, *operands):
    """``function`` of the operands' arrays, as a Tensor of the result's own dtype."""
    arrays = [_array(x) for x in operands]
    xp = next((kernels_for(a).xp for a in arrays if hasattr(a, "ndim")), np)
    out = xp.asarray(function(xp, *arrays))
    return Op.node_type(out, dtype=out.dtype)


def _integral(op: str, *operands) -> None:
    """Bit operations are for integer and bool tensors, as in PyTorch."""
    for x in operands:
        if isinstance(x, Op.node_type) and x.dtype.kind not in "biu" or isinstance(x, float):
            kind = x.dtype if isinstance(x, Op.node_type) else "a float"
            raise TypeError(f"{op}: bit operations take integer or bool tensors, got {kind}")


class LogicalMethods:
    """The Tensor methods of this module's ops (``Tensor`` inherits them)."""

    __slots__ = ()

    # comparisons: the operators of autograd.tensor, named
    def eq(self, other):
        """``self == other``, elementwise, as a bool Tensor.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).eq(2)
            tensor([False,  True])
        """
        return self == other

    def ne(self, other):
        """``self != other``, elementwise.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).ne(2)
            tensor([ True, False])
        """
        return self != other

    def gt(self, other):
        """``self > other``, elementwise.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).gt(1)
            tensor([False,  True])
        """
        return self > other

    def ge(self, other):
        """``self >= other``, elementwise.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).ge(2)
            tensor([False,  True])
        """
        return self >= other

    def lt(self, other):
        """``self < other``, elementwise.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).lt(2)
            tensor([ True, False])
        """
        return self < other

    def le(self, other):
        """``self <= other``, elementwise.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).le(1)
            tensor([ True, False])
        """
        return self <= other

    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    # logic: any nonzero value counts as true
    def logical_and(self, other):
        """True where both are nonzero.

            >>> from autograd import Tensor; Tensor([1.0, 0.0]).logical_and(Tensor([2.0, 3.0]))
            tensor([ True, False])
        """
        return _apply(lambda xp, a, b: xp.logical_and(a, b), self, other)

    def logical_or(self, other):
        """True where either is nonzero.

            >>> from autograd import Tensor; Tensor([1.0, 0.0]).logical_or(0)
            tensor([ True, False])
        """
        return _apply(lambda xp, a, b: xp.logical_or(a, b), self, other)

    def logical_xor(self, other):
        """True where exactly one is nonzero.

            >>> from autograd import Tensor; Tensor([1.0, 0.0]).logical_xor(Tensor([1.0, 5.0]))
            tensor([False,  True])
        """
        return _apply(lambda xp, a, b: xp.logical_xor(a, b), self, other)

    def logical_not(self):
        """True where the value is zero.

            >>> from autograd import Tensor; Tensor([1.0, 0.0]).logical_not()
            tensor([False,  True])
        """
        return _apply(lambda xp, a: xp.logical_not(a), self)

    # bits, of integer and bool tensors
    def bitwise_and(self, other):
        """``self & other``, bit by bit (logical and, for bools).

            >>> from autograd import Tensor; Tensor([12, 10], dtype="int64") & 6
            tensor([4, 2])
        """
        _integral("bitwise_and", self, other)
        return _apply(lambda xp, a, b: xp.bitwise_and(a, b), self, other)

    def bitwise_or(self, other):
        """``self | other``, bit by bit.

            >>> from autograd import Tensor; Tensor([12, 10], dtype="int64") | 1
            tensor([13, 11])
        """
        _integral("bitwise_or", self, other)
        return _apply(lambda xp, a, b: xp.bitwise_or(a, b), self, other)

    def bitwise_xor(self, other):
        """``self ^ other``, bit by bit.

            >>> from autograd import Tensor; Tensor([12, 10], dtype="int64") ^ 6
            tensor([10, 12])
        """
        _integral("bitwise_xor", self, other)
        return _apply(lambda xp, a, b: xp.bitwise_xor(a, b), self, other)

    def bitwise_not(self):
        """``~self``: every bit flipped (not, for bools).

            >>> from autograd import Tensor; ~Tensor([0, 5], dtype="int64")
            tensor([-1, -6])
        """
        _integral("bitwise_not", self)
        return _apply(lambda xp, a: xp.invert(a), self)

    def bitwise_left_shift(self, other):
        """``self << other``: the bits moved left (times 2 per place).

            >>> from autograd import Tensor; Tensor([1, 3], dtype="int64") << 2
            tensor([ 4, 12])
        """
        _integral("bitwise_left_shift", self, other)
        return _apply(lambda xp, a, b: xp.left_shift(a, b), self, other)

    def bitwise_right_shift(self, other):
        """``self >> other``: the bits moved right (halved per place, rounding down).

            >>> from autograd import Tensor; Tensor([8, -8], dtype="int64") >> 2
            tensor([ 2, -2])
        """
        _integral("bitwise_right_shift", self, other)
        return _apply(lambda xp, a, b: xp.right_shift(a, b), self, other)

    __and__, __or__, __xor__, __invert__ = bitwise_and, bitwise_or, bitwise_xor, bitwise_not
    __lshift__, __rshift__ = bitwise_left_shift, bitwise_right_shift
    def __rand__(self, other): return bitwise_and(other, self)
    def __ror__(self, other): return bitwise_or(other, self)
    def __rxor__(self, other): return bitwise_xor(other, self)
    def __rlshift__(self, other): return bitwise_left_shift(other, self)
    def __rrshift__(self, other): return bitwise_right_shift(other, self)

    # tests of each value
    def isnan(self):
        """True where the value is nan.

            >>> from autograd import Tensor; Tensor([1.0, float("nan")]).isnan()
            tensor([False,  True])
        """
        return _apply(lambda xp, a: xp.isnan(a), self)

    def isinf(self):
        """True where the value is inf or −inf.

            >>> from autograd import Tensor; Tensor([1.0, float("-inf")]).isinf()
            tensor([False,  True])
        """
        return _apply(lambda xp, a: xp.isinf(a), self)

    def isfinite(self):
        """True where the value is neither inf, −inf nor nan.

            >>> from autograd import Tensor; Tensor([1.0, float("inf")]).isfinite()
            tensor([ True, False])
        """
        return _apply(lambda xp, a: xp.isfinite(a), self)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """True where |self − other| ≤ atol + rtol·|other| (equal infinities too; nan only
        with ``equal_nan=True``), PyTorch's defaults.

            >>> from autograd import Tensor; Tensor([1.0, 1.1]).isclose(Tensor([1.0 + 1e-7, 1.0]))
            tensor([ True, False])
        """
        return _apply(lambda xp, a, b: xp.isclose(a, b, rtol=rtol, atol=atol,
                                                  equal_nan=equal_nan), self, other)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
        """Whether every element is :meth:`isclose` to ``other``'s: a Python bool.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).allclose(Tensor([1.0, 2.0]))
            True
        """
        return bool(self.isclose(other, rtol, atol, equal_nan).data.all())

    # reductions of truth values
    @numpy_spellings
    def any(self, dim=None, keepdim=False):
        """Whether any element (along ``dim``) is nonzero, as a bool Tensor.

            >>> from autograd import Tensor; Tensor([[0.0, 1.0], [0.0, 0.0]]).any(dim=1)
            tensor([ True, False])
        """
        axes = reduced_axes(self, dim, "any")
        return _apply(lambda xp, a: xp.any(a, axis=axes, keepdims=keepdim), self)

    @numpy_spellings
    def all(self, dim=None, keepdim=False):
        """Whether every element (along ``dim``) is nonzero, as a bool Tensor.

            >>> from autograd import Tensor; Tensor([[1.0, 1.0], [0.0, 1.0]]).all(dim=1)
            tensor([ True, False])
        """
        axes = reduced_axes(self, dim, "all")
        return _apply(lambda xp, a: xp.all(a, axis=axes, keepdims=keepdim), self)


# PyTorch's function forms are the methods themselves: eq(x, y) is x.eq(y). A function
# whose first operand is a number (bitwise_and(3, x)) works too: each method reads its
# operands through _array.
_M = LogicalMethods
eq, ne, gt, ge, lt, le = _M.eq, _M.ne, _M.gt, _M.ge, _M.lt, _M.le
logical_and, logical_or, logical_xor, logical_not = (
    _M.logical_and, _M.logical_or, _M.logical_xor, _M.logical_not)
bitwise_and, bitwise_or, bitwise_xor, bitwise_not = (
    _M.bitwise_and, _M.bitwise_or, _M.bitwise_xor, _M.bitwise_not)
bitwise_left_shift, bitwise_right_shift = _M.bitwise_left_shift, _M.bitwise_right_shift
isnan, isinf, isfinite, isclose, allclose = (
    _M.isnan, _M.isinf, _M.isfinite, _M.isclose, _M.allclose)
any, all = _M.any, _M.all
