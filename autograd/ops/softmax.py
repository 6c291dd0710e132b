"""softmax and log_softmax along a dim: numerically stable forward rules and their
vector-Jacobian products (the Jacobian is not diagonal, so these are not rules of
:mod:`autograd.rules`).

Each op is also PyTorch's function of its name: ``softmax(x, dim)`` calls the op.
"""

from __future__ import annotations

from ..kernels import kernels_for
from ..op import Op
from .reductions import reduced_axes

__all__ = ["log_softmax", "softmax"]


class AlongDim(Op):
    """An op along one dim, called as PyTorch's function: ``f(x, dim)`` (``axis=`` is
    NumPy's name for ``dim``). Its forward takes the dim as ``axis``."""

    def __call__(self, input, dim=-1, *, axis=None):
        axis = reduced_axes(input, dim if axis is None else axis, self.name)
        return super().__call__(input, axis=axis)


class Softmax(AlongDim):
    """sᵢ = e^xᵢ / Σⱼ e^xⱼ along ``axis``; VJP: s · (g − Σⱼ gⱼ sⱼ)."""
    name = "softmax"
    expression = "softmax({0})"
    formulas = ("{out} ⊙ ({g} − Σ {g} ⊙ {out})",)
    def forward(self, a, axis=-1):
        # shifting by the max avoids overflow
        e = kernels_for(a).exp(a - a.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True), axis
    def backward(self, node, g):
        s, axis = node.data, node.ctx
        return (s * (g - (g * s).sum(axis=axis, keepdims=True)),)


class LogSoftmax(AlongDim):
    """xᵢ − log Σⱼ e^xⱼ along ``axis``; VJP: g − softmax · Σⱼ gⱼ."""
    name = "log_softmax"
    expression = "log_softmax({0})"
    formulas = ("{g} − exp({out}) · Σ {g}",)
    def forward(self, a, axis=-1):
        shifted = a - a.max(axis=axis, keepdims=True)  # the largest term becomes e⁰ = 1
        xp = kernels_for(a).xp  # (so the sum is at least 1: its log needs no guard for 0)
        return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True)), axis
    def backward(self, node, g):
        axis = node.ctx
        return (g - kernels_for(g).exp(node.data) * g.sum(axis=axis, keepdims=True),)


softmax, log_softmax = Softmax(), LogSoftmax()


class SoftmaxMethods:
    """The Tensor methods softmax and log_softmax (``Tensor`` inherits them)."""

    __slots__ = ()

    def softmax(self, dim=-1, *, axis=None):
        """Probabilities along ``dim``: e^xᵢ / Σⱼ e^xⱼ, stable for large logits.

            >>> from autograd import Tensor; Tensor([[0.0, 0.0], [0.0, 1000.0]]).softmax(dim=1)
            tensor([[0.5, 0.5],
                    [0. , 1. ]])
        """
        return softmax(self, dim, axis=axis)

    def log_softmax(self, dim=-1, *, axis=None):
        """log(softmax(x)) along ``dim``, without overflow or log(0).

            >>> from autograd import Tensor; Tensor([0.0, 0.0]).log_softmax(0)
            tensor([-0.6931472, -0.6931472])
        """
        return log_softmax(self, dim, axis=axis)
