"""Matrix products: ``a @ b`` with NumPy's rules (batched, broadcast batch axes, 1-D
operands)."""

from __future__ import annotations

from ..function import Function, unbroadcast


class MatMul(Function):
    """a @ b with NumPy's rules: batched, broadcast batch axes, and 1-D operands.

    ∂L/∂a = g @ bᵀ and ∂L/∂b = aᵀ @ g (transposing the last two axes), summed over the
    batch axes an operand was broadcast along.
    """
    name, symbol = "matmul", "@"
    expression = "{0} @ {1}"
    formulas = ("{g} @ {1}ᵀ", "{0}ᵀ @ {g}")

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("both operands need at least one dimension")
        inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != inner_b:
            raise ValueError(f"inner dimensions {a.shape[-1]} and {inner_b} differ")
        return a @ b, None

    def backward(self, node, g):
        a, b = node.parents
        # A 1-D operand is a matrix with one row (a) or one column (b), as NumPy treats
        # it; g gets back the axis that matmul dropped for it (b's first: for vector @
        # vector, g is 0-d and becomes (1,), then (1, 1)).
        a2 = a.data[None, :] if a.data.ndim == 1 else a.data
        b2 = b.data[:, None] if b.data.ndim == 1 else b.data
        if b.data.ndim == 1:
            g = g[..., None]
        if a.data.ndim == 1:
            g = g[..., None, :]
        grad_a = grad_b = None
        if a.requires_grad:  # swapaxes is a view: BLAS reads the transpose in place
            grad_a = unbroadcast(g @ b2.swapaxes(-1, -2), a2.shape).reshape(a.data.shape)
        if b.requires_grad:
            grad_b = unbroadcast(a2.swapaxes(-1, -2) @ g, b2.shape).reshape(b.data.shape)
        return grad_a, grad_b


matmul = MatMul()


class MatmulMethods:
    """The Tensor methods of matrix products (``Tensor`` inherits them)."""

    __slots__ = ()

    def __matmul__(self, other): return matmul.binary(self, other)
    def __rmatmul__(self, other): return matmul.binary(other, self)

    def matmul(self, other):
        """``x.matmul(y)`` is ``x @ y``: NumPy's matmul, batched, 1-D operands allowed."""
        return matmul.binary(self, other)
