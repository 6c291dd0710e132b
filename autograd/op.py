"""The Op protocol: how a Tensor op computes, differentiates and describes itself.

An op is one :class:`Op` instance. ``forward`` computes on arrays and ``backward``
returns the vector-Jacobian product for each input, side by side; ``expression`` and
``formulas`` say how the op and its VJP are written, for derivations and pictures. The op
groups live in :mod:`autograd.ops`; the elementwise and arithmetic ones are made from the
rules of :mod:`autograd.rules`.

A few lines below are written for speed rather than brevity (the forward call in
:meth:`Op.__call__`, ``requires_grad`` checks); each says why. A recorded op costs a
few microseconds of Python on top of its array work, so graphs of small arrays stay fast
enough to train on.
"""

from __future__ import annotations

import itertools

import numpy as np

from . import engine
from .dtypes import device_of, on_gpu
from .kernels import kernels_for


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` back to ``shape``: the adjoint of NumPy broadcasting.

    A broadcast operand was used once per copy, so its gradient is the sum over the
    copies: over the leading axes it lacked and over the axes where it had size 1.

        >>> unbroadcast(np.ones((4, 2, 3)), (2, 1)).tolist()
        [[12.0], [12.0]]
    """
    grad_shape = grad.shape
    if grad_shape == shape:
        return grad
    lead = len(grad_shape) - len(shape)
    axes = tuple(range(lead))
    if 1 in shape:  # (looked for only then: a bias's gradient is summed on every step)
        axes += tuple(lead + i for i, size in enumerate(shape)
                      if size == 1 and grad_shape[lead + i] != 1)
    summed = grad.sum(axis=axes)
    # Reshaped only to put back size-1 axes: a reshape is a view, and a gradient that owns
    # its memory can become a leaf's .grad without a copy (see Tensor._store_grad).
    return summed if summed.shape == shape else summed.reshape(shape)


def shape_args(shape: tuple) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` both mean the shape (2, 3), as in PyTorch and NumPy."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


#: The slot behind Tensor's ``grad`` property, set directly on every new node.
_grad_slot = engine.Node.grad


class ShapeError(ValueError, RuntimeError):
    """Inputs that do not fit the op (shapes that do not broadcast, a matmul's inner
    sizes): PyTorch raises RuntimeError, NumPy ValueError; this is both."""


def _number_dtype(x, dtype):
    """PyTorch's promotion of a Python number meeting a tensor of ``dtype``."""
    if dtype.kind in "biu" and isinstance(x, float):
        return None  # the default float dtype
    if dtype.kind == "b" and not isinstance(x, bool):
        return np.int64
    return dtype


class Op:
    """A Tensor op: ``forward`` on arrays, ``backward`` as a vector-Jacobian product.

    Subclasses set ``name`` (shown on graph pictures) and implement

    * ``forward(self, *arrays, **params) -> (out, ctx)``: the result array and whatever
      the backward rule needs later (kept on the result node as ``node.ctx``);
    * ``backward(self, node, grad) -> tuple``: for each input, ``grad`` (∂L/∂out)
      multiplied by ∂out/∂input, with the input's shape; ``None`` for an input that
      needs no gradient (``not parent.requires_grad``), so its work is skipped.

    and describe themselves with ``expression`` (``"{0} @ {1}"``), ``formulas`` (one VJP
    per input, ``{g}`` standing for the incoming gradient ∂L/∂out) and :meth:`describe`.

    Calling the op on Tensors, arrays or numbers records one graph node.

        >>> from autograd import Tensor
        >>> class Double(Op):
        ...     name = "double"
        ...     formulas = ("2·{g}",)
        ...     def forward(self, a): return 2 * a, None
        ...     def backward(self, node, g): return (2 * g,)
        >>> Double()(Tensor([1.0, 2.0]))
        tensor([2., 4.])
    """

    name = "op"
    #: A word for error messages when ``name`` is a symbol ("add" for "+").
    title = ""
    #: For binary operators, how an error message writes the call: "(2, 3) @ (4, 5)".
    symbol = ""
    #: How the output is written, with {0}, {1}, ... for the inputs ("" : name(inputs)).
    expression = ""
    #: For each input, its gradient written with {0}, {1}, ..., {out} and {g} = ∂L/∂out.
    formulas: tuple[str, ...] = ()
    #: The Tensor class, set by autograd.tensor (which imports this module).
    node_type: type = None
    #: Ticks once per array written: a node's ``_version`` is the tick of its last write,
    #: so an input newer than the op that used it was changed in place (see ops.inplace).
    next_version = itertools.count(1).__next__

    def __call__(self, *inputs, **params):
        """Run ``forward`` on the inputs' arrays; return the result as a new graph node."""
        for x in inputs:
            if not isinstance(x, self.node_type):  # numbers and arrays join as constant leaves
                inputs = tuple(self.constant(x, inputs) for x in inputs)
                break
        try:
            # The two commonest calls spelled out: the general form below costs a third
            # of an op's Python overhead (a list, and a copy of the empty **params).
            if len(inputs) == 2 and not params:  # a + b, a @ b, ...
                out, ctx = self.forward(inputs[0].data, inputs[1].data)
            elif len(inputs) == 1 and not params:  # exp, relu, ...
                out, ctx = self.forward(inputs[0].data)
            else:
                out, ctx = self.forward(*[t.data for t in inputs], **params)
        except (ValueError, IndexError, TypeError) as error:
            raise self._error(inputs, error) from None
        requires_grad = False
        for parent in inputs:  # a plain loop: any() over a generator is slower
            if parent.requires_grad:
                requires_grad = True
                break
        return self._node(out, inputs, ctx, requires_grad)

    def binary(self, a, b):
        """``a ⊕ b`` for the arithmetic operators: :meth:`__call__`'s steps for the case
        of two inputs and no parameters, written out.

        The operators make most of a graph's nodes, and the general call (packing
        ``*inputs`` and ``**params``, its loops) costs them about a third of their
        Python overhead. Either operand may be a number or an array (``2 * x``).
        """
        if not isinstance(a, self.node_type):
            a = self.constant(a, (b,))
        if not isinstance(b, self.node_type):
            b = self.constant(b, (a,))
        try:
            out, ctx = self.forward(a.data, b.data)
        except (ValueError, TypeError) as error:
            raise self._error((a, b), error) from None
        return self._node(out, (a, b), ctx, a.requires_grad or b.requires_grad)

    def _node(self, out, inputs: tuple, ctx, requires_grad: bool):
        """The result as a new graph node, built directly rather than through
        ``Tensor.__init__``, whose checks and conversions an op's own output does not need."""
        if type(out) is not np.ndarray and not on_gpu(out):
            out = np.asarray(out)  # a full reduction gives a NumPy scalar, not an array
        node = self.node_type.__new__(self.node_type)
        node.data, node.label, node._version = out, "", self.next_version()
        _grad_slot.__set__(node, None)
        node._hooks = ()
        if requires_grad and engine.grad_mode.enabled:
            node.op, node.parents, node.ctx, node.requires_grad = self, inputs, ctx, True
            node.tags = engine.tags.active
        else:  # no gradient to compute (or no_grad()): a leaf, as in PyTorch
            node.op, node.parents, node.ctx, node.requires_grad = None, (), None, False
            node.tags = ()
        return node

    def constant(self, x, inputs):
        """``x`` wrapped as a leaf that needs no gradient.

        A Python number takes the dtype of the Tensor it meets, as in PyTorch, so that
        ``x * 2`` keeps a float32 ``x`` in float32; but a float meeting an integer tensor
        is a float of the default dtype (``n + 0.5`` is a float tensor).
        """
        if isinstance(x, self.node_type):
            return x
        if isinstance(x, (int, float)):
            for t in inputs:
                if isinstance(t, self.node_type):
                    number = self.node_type(x, dtype=_number_dtype(x, t.data.dtype))
                    if on_gpu(t.data):  # filled where the tensor it meets lives (a copy
                        # from the host would first wait for the GPU's queued work)
                        number.data = kernels_for(t.data).xp.full((), x, number.dtype)
                    return number
        return self.node_type(x)

    def _error(self, inputs, error: Exception) -> Exception:
        """The error a learner can act on: the op, the input shapes, what went wrong; or
        the two devices, when the inputs live on different ones (as PyTorch says it)."""
        devices = list(dict.fromkeys(str(device_of(t.data)) for t in inputs))
        if len(devices) > 1:
            return RuntimeError(f"{self.title or self.name}: Expected all tensors to be on the "
                                f"same device, but found at least two devices, {devices[1]} "
                                f"and {devices[0]}!")
        if type(error) is TypeError:
            return error
        shapes = [str(tuple(t.shape)) for t in inputs]
        if self.symbol and len(shapes) == 2:
            where = f" {self.symbol} ".join(shapes)
        else:
            where = ("shape " if len(shapes) == 1 else "shapes ") + " and ".join(shapes)
        if not shapes:
            where = "no inputs"
        # IndexError stays IndexError: iterating over a Tensor stops on it, as on a list.
        kind = IndexError if type(error) is IndexError else ShapeError
        return kind(f"{self.title or self.name}: {where}: {error}")

    def forward(self, *arrays, **params):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, node, grad: np.ndarray):  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self, node) -> dict:
        """The constant parameters this node's op was called with, by name."""
        return dict(node.ctx) if isinstance(node.ctx, dict) else {}

    def __repr__(self) -> str:
        """As PyTorch prints a ``grad_fn``: ``<MulBackward>``."""
        word = getattr(getattr(self, "rule", None), "name", "") or self.title or self.name
        return f"<{word[:1].upper()}{word[1:]}Backward>"
