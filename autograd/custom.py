"""A learner's own differentiable op, written as in PyTorch, and gradients on demand.

::

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    y = Cube.apply(x)

``forward`` computes with Tensors (nothing inside it is recorded) and ``backward`` returns
one gradient per input of ``forward`` (None for an input that needs none). The node that
``apply`` records shows in ``derive`` and ``draw_graph`` under the class's name.
"""

from __future__ import annotations

from . import engine
from .op import Op
from .tensor import Tensor


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: saved tensors and any attributes."""

    def __init__(self, needs_input_grad: tuple[bool, ...]):
        self.needs_input_grad = needs_input_grad
        self.saved_tensors: tuple = ()

    def save_for_backward(self, *tensors) -> None:
        self.saved_tensors = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Accepted for PyTorch's sake: outputs of integer dtype never require grad."""


class _Applied(Op):
    """The recorded node of one ``Function.apply`` call: its VJP is the class's
    ``backward``."""

    def __init__(self, function: type, ctx: FunctionCtx, arguments: tuple):
        self.function, self.ctx_object, self.arguments = function, ctx, arguments
        self.name = self.title = function.__name__

    def backward(self, node, g):
        grads = self.function.backward(self.ctx_object, Tensor(g, dtype=g.dtype))
        if not isinstance(grads, tuple):
            grads = (grads,)
        tensors = [a for a in self.arguments if isinstance(a, Tensor)]
        per_argument = dict(zip(map(id, self.arguments), grads))
        return tuple(None if per_argument.get(id(t)) is None
                     else _array(per_argument[id(t)]) for t in tensors)


def _array(x):
    return x.data if isinstance(x, Tensor) else x


class Function:
    """Subclass with ``@staticmethod forward(ctx, *args)`` and ``backward(ctx, *grads)``,
    then call ``YourFunction.apply(*args)``, as ``torch.autograd.Function``.

        >>> from autograd import Tensor
        >>> class Double(Function):
        ...     @staticmethod
        ...     def forward(ctx, x): return x * 2
        ...     @staticmethod
        ...     def backward(ctx, g): return g * 2
        >>> x = Tensor([1.0, 3.0], requires_grad=True)
        >>> y = Double.apply(x); y.sum().backward(); x.grad
        tensor([2., 2.])
        >>> y.op.name
        'Double'
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):  # pragma: no cover - to be overridden
        raise NotImplementedError("a Function subclass defines forward(ctx, ...)")

    @staticmethod
    def backward(ctx, *grad_outputs):  # pragma: no cover - to be overridden
        raise NotImplementedError("a Function subclass defines backward(ctx, grad_output)")

    @classmethod
    def apply(cls, *args, **kwargs):
        tensors = [a for a in args if isinstance(a, Tensor)]
        ctx = FunctionCtx(tuple(isinstance(a, Tensor) and a.requires_grad for a in args))
        with engine.no_grad():
            out = cls.forward(ctx, *args, **kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{cls.__name__}.forward must return a Tensor, "
                            f"got {type(out).__name__}")
        op = _Applied(cls, ctx, args)
        requires_grad = any(t.requires_grad for t in tensors) and out.dtype.kind == "f"
        return op._node(out.data, tuple(tensors), None, requires_grad)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs``, as a tuple of Tensors,
    without touching any ``.grad``, as ``torch.autograd.grad``.

        >>> from autograd import Tensor
        >>> x = Tensor([3.0], requires_grad=True)
        >>> grad((x * x).sum(), x)
        (tensor([6.]),)
        >>> x.grad is None
        True
    """
    if create_graph:
        raise NotImplementedError("grad(create_graph=True): higher-order gradients are not "
                                  "supported")
    single = isinstance(inputs, Tensor)
    inputs = (inputs,) if single else tuple(inputs)
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,) * len(outputs)
    found: dict = {}
    for output, seed in zip(outputs, grad_outputs):
        steps = engine.chain_rule(output, output._seed_grad(seed), engine._op_backward,
                                  output._grad_hooks)
        for node, g in steps:
            if node in found:
                found[node] = found[node] + g
            elif any(node is x for x in inputs):
                found[node] = g
    results = []
    for i, x in enumerate(inputs):
        if x in found:
            results.append(Tensor(found[x], dtype=x.dtype))
        elif allow_unused:
            results.append(None)
        else:
            raise RuntimeError(f"grad: input {i} was not used in the graph of the outputs "
                               "(pass allow_unused=True to get None for it)")
    return tuple(results)
