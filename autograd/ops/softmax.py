"""softmax and log_softmax along an axis: numerically stable forward rules and their
vector-Jacobian products (the Jacobian is not diagonal, so these are not rules of
:mod:`autograd.rules`)."""

from __future__ import annotations

from ..function import Function
from ..kernels import kernels_for


class Softmax(Function):
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


class LogSoftmax(Function):
    """xᵢ − log Σⱼ e^xⱼ along ``axis``; VJP: g − softmax · Σⱼ gⱼ."""
    name = "log_softmax"
    expression = "log_softmax({0})"
    formulas = ("{g} − exp({out}) · Σ {g}",)
    def forward(self, a, axis=-1):
        shifted = a - a.max(axis=axis, keepdims=True)  # the largest term becomes e⁰ = 1
        m = kernels_for(a)
        return shifted - m.log(m.exp(shifted).sum(axis=axis, keepdims=True)), axis
    def backward(self, node, g):
        axis = node.ctx
        return (g - kernels_for(g).exp(node.data) * g.sum(axis=axis, keepdims=True),)


softmax, log_softmax = Softmax(), LogSoftmax()


class SoftmaxMethods:
    """The Tensor methods softmax and log_softmax (``Tensor`` inherits them)."""

    __slots__ = ()

    def softmax(self, axis=-1):
        """Probabilities along ``axis``: e^xᵢ / Σⱼ e^xⱼ, stable for large logits."""
        return softmax(self, axis=axis)

    def log_softmax(self, axis=-1):
        """log(softmax(x)) along ``axis``, without overflow or log(0)."""
        return log_softmax(self, axis=axis)
