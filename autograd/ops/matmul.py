"""Matrix products: ``a @ b`` with NumPy's rules (batched, broadcast batch axes, 1-D
operands); PyTorch's stricter ``mm``, ``bmm``, ``dot`` and ``outer``; and ``einsum``.

``matmul`` and ``einsum`` are also PyTorch's functions of those names (``torch.matmul(a, b)``),
as are ``mm``, ``bmm``, ``dot`` and ``outer``: all are listed in ``__all__``.
"""

from __future__ import annotations

import string

from ..kernels import kernels_for
from ..op import Op, unbroadcast
from ..threads import parallel_matmul

__all__ = ["bmm", "dot", "einsum", "matmul", "mm", "outer"]


class MatMul(Op):
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
        return parallel_matmul(a, b), None

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
            grad_a = unbroadcast(parallel_matmul(g, b2.swapaxes(-1, -2)), a2.shape)
        if b.requires_grad:
            grad_b = unbroadcast(parallel_matmul(a2.swapaxes(-1, -2), g), b2.shape)
        # A 1-D operand's gradient loses its added axis; the others are left unreshaped, as
        # arrays that own their memory, which a leaf keeps without a copy (Tensor._store_grad).
        if a.data.ndim == 1 and grad_a is not None:
            grad_a = grad_a.reshape(a.data.shape)
        if b.data.ndim == 1 and grad_b is not None:
            grad_b = grad_b.reshape(b.data.shape)
        return grad_a, grad_b


class Einsum(Op):
    """``einsum(equation, *operands)``: products summed over the subscripts that the output
    lacks, NumPy's and PyTorch's notation (``"ij,jk->ik"`` is a matrix product).

    An operand's VJP is an einsum too: g with the other operands, written to that operand's
    subscripts. A subscript only that operand has was summed away, so its gradient is the
    same along it (broadcast back); a repeated one (``"ii"``, a diagonal) puts the gradient
    on the diagonal and 0 elsewhere.
    """
    name = "einsum"
    formulas = ("einsum({g} and the other operands → this operand's subscripts)",)

    def forward(self, *arrays, equation):
        inputs, output = _subscripts(equation, [a.ndim for a in arrays])
        try:
            out = kernels_for(arrays[0]).xp.einsum(f"{','.join(inputs)}->{output}", *arrays)
        except ValueError as error:  # sizes that do not match: PyTorch's RuntimeError
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise RuntimeError(f"einsum: {equation!r} with shapes {shapes}: {error}") from None
        return out, (inputs, output)

    def backward(self, node, g):
        inputs, output = node.ctx
        arrays = [parent.data for parent in node.parents]
        return tuple(_einsum_vjp(g, output, inputs, arrays, i) if parent.requires_grad
                     else None for i, parent in enumerate(node.parents))

    def describe(self, node) -> dict:
        inputs, output = node.ctx
        return {"equation": f"{','.join(inputs)}->{output}"}


def _subscripts(equation: str, ndims: list) -> tuple[list, str]:
    """Each operand's subscripts and the output's, with ``...`` spelled out as letters
    (right-aligned, as broadcasting aligns dims) and an implicit output (no ``->``: the
    subscripts that appear once, in alphabetical order) made explicit."""
    sides, arrow, output = equation.replace(" ", "").partition("->")
    inputs = sides.split(",")
    if len(inputs) != len(ndims):
        raise RuntimeError(f"einsum: {equation!r} has subscripts for {len(inputs)} operands, "
                           f"got {len(ndims)}")
    free = [c for c in string.ascii_letters if c not in equation]
    spans = [ndim - len(s) + 3 for s, ndim in zip(inputs, ndims) if "..." in s]
    dots = "".join(free[:max(spans, default=0)])
    inputs = [s.replace("...", dots[len(dots) - ndim + len(s) - 3:]) if "..." in s else s
              for s, ndim in zip(inputs, ndims)]
    if arrow:
        return inputs, output.replace("...", dots)
    letters = "".join(inputs)
    return inputs, dots + "".join(sorted(c for c in set(letters) - set(dots)
                                         if letters.count(c) == 1))


def _einsum_vjp(g, output: str, inputs: list, arrays: list, i: int):
    """∂L/∂(operand i): see :class:`Einsum`."""
    xp = kernels_for(g).xp
    own, shape = inputs[i], arrays[i].shape
    others = [s for j, s in enumerate(inputs) if j != i]
    labels = "".join(dict.fromkeys(own))  # each subscript once, in order
    kept = "".join(c for c in labels if c in set(output).union(*others))
    grad = xp.einsum(f"{','.join([output, *others])}->{kept}", g,
                     *(a for j, a in enumerate(arrays) if j != i))
    sizes = [shape[own.index(c)] for c in labels]
    grad = grad.reshape([grad.shape[kept.index(c)] if c in kept else 1 for c in labels])
    # A dim of length 1 in this operand that broadcast against a longer one: summed back.
    grad = grad.sum(axis=tuple(k for k, size in enumerate(sizes)
                               if size == 1 and grad.shape[k] != 1), keepdims=True)
    grad = xp.broadcast_to(grad, sizes)
    if len(labels) == len(own):
        return grad
    # A repeated subscript: each repeat gets a letter of its own, tied to the first by an
    # identity matrix, so the gradient lands on the diagonal.
    free = iter(c for c in string.ascii_letters if c not in "".join(inputs) + output)
    spelled, ties, eyes = "", [], []
    for c, size in zip(own, shape):
        if c in spelled:
            fresh = next(free)
            ties.append(c + fresh)
            eyes.append(xp.eye(size, dtype=g.dtype))
            c = fresh
        spelled += c
    return xp.einsum(f"{','.join([labels, *ties])}->{spelled}", grad, *eyes)


def _check(name: str, a, b, ndim: int) -> None:
    """PyTorch's checks of mm (2-D), bmm (3-D, same batch) and dot (1-D, same length)."""
    shapes = f"shapes {tuple(a.shape)} and {tuple(b.shape)}"
    if a.ndim != ndim or b.ndim != ndim:
        raise RuntimeError(f"{name}: expected {ndim}-D tensors, got {shapes}")
    if ndim == 3 and a.shape[0] != b.shape[0]:
        raise RuntimeError(f"{name}: the batch sizes differ: {shapes}")
    if a.shape[-1] != b.shape[0 if ndim == 1 else -2]:
        raise RuntimeError(f"{name}: {shapes} cannot be multiplied")


matmul, einsum_op = MatMul(), Einsum()


class MatmulMethods:
    """The Tensor methods of matrix products (``Tensor`` inherits them)."""

    __slots__ = ()

    def __matmul__(self, other): return matmul.binary(self, other)
    def __rmatmul__(self, other): return matmul.binary(other, self)

    def matmul(self, other):
        """``x.matmul(y)`` is ``x @ y``: NumPy's matmul, batched, 1-D operands allowed."""
        return matmul.binary(self, other)

    def mm(self, mat2):
        """Matrix product of two 2-D tensors (no broadcasting, as PyTorch's ``mm``).

            >>> from autograd import Tensor; Tensor([[1.0, 2.0]]).mm(Tensor([[3.0], [4.0]]))
            tensor([[11.]])
        """
        _check("mm", self, mat2, 2)
        return matmul.binary(self, mat2)

    def bmm(self, mat2):
        """Batched matrix product of two 3-D tensors with the same batch size.

            >>> from autograd import Tensor; a, b = Tensor.ones(5, 2, 3), Tensor.ones(5, 3, 4)
            >>> tuple(a.bmm(b).shape)
            (5, 2, 4)
        """
        _check("bmm", self, mat2, 3)
        return matmul.binary(self, mat2)

    def dot(self, other):
        """Inner product of two 1-D tensors of the same length (a 0-d result).

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).dot(Tensor([3.0, 4.0]))
            tensor(11.)
        """
        _check("dot", self, other, 1)
        return matmul.binary(self, other)

    def outer(self, vec2):
        """Outer product of two 1-D tensors: ``out[i, j] = x[i]·y[j]``.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).outer(Tensor([1.0, 10.0]))
            tensor([[ 1., 10.],
                    [ 2., 20.]])
        """
        if self.ndim != 1 or vec2.ndim != 1:
            raise RuntimeError(f"outer: expected 1-D tensors, got shapes {tuple(self.shape)} "
                               f"and {tuple(vec2.shape)}")
        return einsum("i,j->ij", self, vec2)


def einsum(equation: str, *operands):
    """``einsum(equation, *operands)`` (or the operands in one list), as ``torch.einsum``:
    ``einsum("ij,jk->ik", a, b)`` is ``a @ b``; ``einsum("ii", a)`` the trace of ``a``.

        >>> from autograd import Tensor; einsum("i,i->", Tensor([1.0, 2.0]), Tensor([3.0, 4.0]))
        tensor(11.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return einsum_op(*operands, equation=equation)


# PyTorch's function forms: mm(a, b) is the method, a.mm(b); matmul(a, b) is the op itself,
# which records a @ b.
mm, bmm, dot, outer = MatmulMethods.mm, MatmulMethods.bmm, MatmulMethods.dot, MatmulMethods.outer
