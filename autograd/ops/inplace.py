"""In-place ops, with PyTorch's safety rules: ``x += 1``, ``x.mul_(2)``, ``x[0] = 5``.

An in-place op writes into the tensor's own array, so every name (and every NumPy view)
that refers to it sees the change. Three cases, as in PyTorch:

* outside the graph (inside ``no_grad()``, or nothing involved requires grad): the values
  are written and the tensor's ``_version`` moves on. That is how an optimizer updates its
  parameters: ``with no_grad(): w -= lr * w.grad``.
* on a leaf that requires grad, while recording: an error, because the leaf's value is
  what its gradient is about.
* on a result inside a graph: the op becomes the tensor's new history (its old self is
  kept as the op's input), so gradients stay right.

Each op that used the tensor before the change computed its gradient from the old value.
``backward()`` checks every edge of the graph: an input whose ``_version`` is newer than
the op that used it raises, never a silently wrong gradient.
"""

from __future__ import annotations

from .. import engine
from ..kernels import kernels_for
from ..op import Op, unbroadcast
from .elementwise import functions
from .indexing import plain_index


class IndexPut(Op):
    """``out = a`` with ``out[index] = value``: the gradient of the overwritten elements
    goes to ``value``, that of the others to ``a``."""

    name, title = "index_put", "index_put"
    expression = "{0} with [{index}] = {1}"
    formulas = ("{g} with [{index}] = 0", "{g}[{index}]")

    def forward(self, a, value, index):
        out = a.copy()
        out[index] = _fit(value, out[index].ndim)
        return out, index

    def backward(self, node, g):
        a, value = node.parents
        index = node.ctx
        grad_a = None
        if a.requires_grad:
            grad_a = g.copy()
            grad_a[index] = 0
        grad_value = None
        if value.requires_grad:
            fitted = _fit(value.data, g[index].ndim).shape
            grad_value = unbroadcast(g[index], fitted).reshape(value.data.shape)
        return grad_a, grad_value

    def describe(self, node) -> dict:
        from .indexing import _index_text
        return {"index": _index_text(node.ctx)}


def _fit(value, ndim: int):
    """``value`` without the leading axes of size 1 that the target lacks: PyTorch writes
    a one-element tensor into one element (``h[1] = v``, v of shape (1,))."""
    while value.ndim > ndim and value.shape[0] == 1:
        value = value[0]
    return value


class ModifiedInPlace(Op):
    """The op of a graph result whose values were overwritten outside the graph (under
    ``no_grad()``): its gradient can no longer be computed, so backward says so."""

    name, title = "modified in place", "modified in place"

    def __init__(self, original: Op):
        self.original = original

    def backward(self, node, g):
        raise RuntimeError(
            f"backward: a Tensor of shape {tuple(node.shape)} made by "
            f"{self.original.title or self.original.name} was modified by an in-place "
            "operation after it was computed, so its gradient cannot be computed; modify a "
            "copy (x.clone()) or do it after backward()")


index_put = IndexPut()


def check_versions(order) -> None:
    """Raise if an op's input was modified in place after the op used it."""
    for node in order:
        for parent in node.parents:
            if parent._version > node._version:
                used_by = node.op.title or node.op.name
                raise RuntimeError(
                    f"backward: a Tensor of shape {tuple(parent.shape)} that {used_by} needs "
                    f"for its gradient was modified by an in-place operation after {used_by} "
                    "used it; modify a copy (x.clone()), or modify it after backward()")


def _update(tensor, name: str, compute, *others):
    """Write ``compute(t)`` into ``tensor``, where ``t`` is the tensor's value before the
    op, following the three cases of this module's docstring."""
    recording = engine.grad_mode.enabled and (
        tensor.requires_grad or any(getattr(o, "requires_grad", False) for o in others))
    if recording and tensor.op is None:
        raise RuntimeError(
            f"{name}: a leaf Tensor that requires grad is being used in an in-place "
            "operation; update parameters inside `with no_grad():`")
    if not recording:
        with engine.no_grad():
            result = compute(tensor)
        _write(tensor, result, name)
        if tensor.op is not None:  # a graph result: its own backward is now out of date
            tensor.op = ModifiedInPlace(tensor.op)
        return tensor
    before = tensor.__class__.__new__(tensor.__class__)
    for slot in ("grad", "label", "op", "parents", "ctx", "requires_grad", "tags", "_version",
                 "_hooks"):
        setattr(before, slot, getattr(tensor, slot))
    before.data = tensor.data.copy()  # the op's backward may need the old values
    result = compute(before)
    _write(tensor, result, name)
    tensor.op, tensor.parents, tensor.ctx = result.op, result.parents, result.ctx
    tensor.requires_grad, tensor.tags, tensor._version = True, result.tags, result._version
    return tensor


def _write(tensor, result, name: str) -> None:
    if result.shape != tensor.shape:
        raise RuntimeError(f"{name}: the result has shape {tuple(result.shape)}, which does "
                           f"not fit the tensor's shape {tuple(tensor.shape)} (in-place ops "
                           "cannot broadcast the tensor itself)")
    try:
        kernels_for(tensor.data).xp.copyto(tensor.data, result.data, casting="same_kind")
    except TypeError:
        raise RuntimeError(f"{name}: a result of dtype {result.dtype} cannot be written into "
                           f"a Tensor of dtype {tensor.dtype}") from None
    tensor._version = Op.next_version()


class InPlaceMethods:
    """The in-place Tensor methods (``Tensor`` inherits them); each returns the tensor.

        >>> from autograd import Tensor, no_grad
        >>> w = Tensor([1.0, 2.0], requires_grad=True)
        >>> with no_grad():
        ...     w -= 0.5
        >>> w
        tensor([0.5, 1.5], requires_grad=True)
    """

    __slots__ = ()

    def __iadd__(self, other): return self.add_(other)
    def __isub__(self, other): return self.sub_(other)
    def __imul__(self, other): return self.mul_(other)
    def __itruediv__(self, other): return self.div_(other)

    def add_(self, other, *, alpha=1):
        """``self += alpha * other``."""
        other = other if alpha == 1 else other * alpha
        return _update(self, "add_", lambda t: t + other, other)

    def sub_(self, other, *, alpha=1):
        """``self -= alpha * other``."""
        other = other if alpha == 1 else other * alpha
        return _update(self, "sub_", lambda t: t - other, other)

    def mul_(self, other):
        """``self *= other``."""
        return _update(self, "mul_", lambda t: t * other, other)

    def div_(self, other):
        """``self /= other``."""
        return _update(self, "div_", lambda t: t / other, other)

    def pow_(self, exponent):
        """``self **= exponent``."""
        return _update(self, "pow_", lambda t: t ** exponent, exponent)

    def neg_(self):
        """``self = -self``."""
        return _update(self, "neg_", lambda t: -t)

    def exp_(self):
        """``self = exp(self)``."""
        return _update(self, "exp_", lambda t: t.exp())

    def clamp_(self, min=None, max=None):
        """Limit to [min, max] in place."""
        return _update(self, "clamp_", lambda t: functions["clip"](t, low=min, high=max))

    def fill_(self, value):
        """Every element becomes ``value``.

            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).fill_(7)
            tensor([7., 7.])
        """
        return _update(self, "fill_", lambda t: index_put(t, value, index=...), value)

    def zero_(self):
        """Every element becomes 0 (``w.grad.zero_()`` in a manual training loop)."""
        return self.fill_(0.0)

    def copy_(self, src):
        """Every element becomes ``src``'s (broadcast to this tensor's shape)."""
        return _update(self, "copy_", lambda t: index_put(t, src, index=...), src)

    def __setitem__(self, index, value):
        """``x[index] = value``, in place; inside a graph, ``value`` gets its gradient.

            >>> from autograd import Tensor
            >>> x = Tensor([1.0, 2.0, 3.0]); x[1] = 5; x
            tensor([1., 5., 3.])
        """
        index = plain_index(index, self.data)
        return _update(self, "setitem", lambda t: index_put(t, value, index=index), value)
