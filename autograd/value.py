"""``Value``: a scalar graph node whose ops come from the rules of :mod:`autograd.rules`.

Each op is a :class:`ScalarOp` around one rule: its forward rule and its local derivative
with respect to each parent, computed on Python floats. ``backward`` multiplies and
accumulates the local derivatives; :func:`autograd.derive` prints the very same numbers and
formulas.
"""

from __future__ import annotations

from . import engine
from .engine import Node
from .kernels import FLOATS
from .rules import (
    ABS,
    ADD,
    CEIL,
    CLIP,
    COS,
    DIV,
    ELU,
    ERF,
    EXP,
    EXP2,
    EXPM1,
    FLOOR,
    LEAKY_RELU,
    LOG,
    LOG1P,
    LOG2,
    LOG10,
    MAXIMUM,
    MINIMUM,
    MUL,
    NEG,
    POW,
    POW_INPUT,
    RECIPROCAL,
    RELU,
    ROUND,
    RSQRT,
    SIGMOID,
    SIGN,
    SIN,
    SOFTPLUS,
    SQRT,
    SQUARE,
    SUB,
    TAN,
    TANH,
    Rule,
)


class ScalarOp:
    """A rule applied to Python floats: the op of a Value node.

    ``name`` is the rule's symbol (what pictures show); ``rule`` is the definition, with
    the expression and formula text that derivations write.
    """

    __slots__ = ("rule", "name", "expression", "formulas", "forward", "derivatives")

    def __init__(self, rule: Rule):
        self.rule = rule
        self.name = rule.symbol
        self.expression, self.formulas = rule.expression, rule.formulas
        self.forward, self.derivatives = rule.forward, rule.derivatives

    def local_derivatives(self, node: Value) -> tuple[float, ...]:
        """∂node/∂parent for each parent, at the node's current values.

            >>> x = Value(3.0); y = x * x
            >>> y.op.local_derivatives(y)      # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
            (3.0, 3.0)
        """
        return self.locals_at(node.data, [p.data for p in node.parents], node.ctx)

    def locals_at(self, out: float, inputs: list, params: tuple) -> tuple[float, ...]:
        """The local derivatives for the given output, input and parameter values (a
        derivation by hand calls this with its rounded values)."""
        return tuple(d(FLOATS, out, *inputs, *params) for d in self.derivatives)

    def backward(self, node: Value, out_grad: float) -> tuple[float, ...]:
        """One chain-rule step: out_grad · ∂node/∂parent, for each parent."""
        # locals_at() written out for one and two parents (binary ops take no parameter):
        # this runs once per node of every backward pass, and the general form, with its
        # lists and its f(*args) calls, costs twice as much.
        parents = node.parents
        if len(parents) == 2:
            da, db = self.derivatives
            out, a, b = node.data, parents[0].data, parents[1].data
            return (out_grad * da(FLOATS, out, a, b), out_grad * db(FLOATS, out, a, b))
        return (out_grad * self.derivatives[0](FLOATS, node.data, parents[0].data, *node.ctx),)

    def describe(self, node: Value) -> dict:
        """The parameters this node's op was called with, by name: ``{"alpha": 0.01}``."""
        return dict(zip(self.rule.params, node.ctx))

    def __repr__(self) -> str:
        return self.name


(_ADD, _SUB, _MUL, _DIV, _NEG, _POW, _POW_INPUT, _EXP, _LOG, _SQRT, _TANH, _SIGMOID, _RELU,
 _LEAKY_RELU, _ELU, _SOFTPLUS, _SIN, _COS, _ABS, _CLIP) = map(ScalarOp, (
    ADD, SUB, MUL, DIV, NEG, POW, POW_INPUT, EXP, LOG, SQRT, TANH, SIGMOID, RELU,
    LEAKY_RELU, ELU, SOFTPLUS, SIN, COS, ABS, CLIP))
(_EXP2, _EXPM1, _LOG2, _LOG10, _LOG1P, _RSQRT, _RECIPROCAL, _SQUARE, _TAN, _ERF, _SIGN, _FLOOR,
 _CEIL, _ROUND, _MAXIMUM, _MINIMUM) = map(ScalarOp, (
    EXP2, EXPM1, LOG2, LOG10, LOG1P, RSQRT, RECIPROCAL, SQUARE, TAN, ERF, SIGN, FLOOR, CEIL,
    ROUND, MAXIMUM, MINIMUM))


class Value(Node):
    """A scalar that remembers how it was computed, so that it can be differentiated.

        >>> x = Value(2.0, label="x")
        >>> y = x * x + 3 * x        # y = x² + 3x
        >>> y.backward()
        >>> x.grad                   # dy/dx = 2x + 3
        7.0
    """

    __slots__ = ()

    def __init__(self, data: float, label: str = ""):
        if isinstance(data, Value):
            raise TypeError("Value(data): data is already a Value; use it directly")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = None
        self.parents = ()
        self.ctx = ()
        self.requires_grad = True
        self.tags = ()

    @staticmethod
    def _result(op: ScalarOp, data: float, parents: tuple, ctx: tuple = ()) -> Value:
        out = Value.__new__(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out.requires_grad = True
        if engine.grad_mode.enabled:
            out.op, out.parents, out.ctx, out.tags = op, parents, ctx, engine.tags.active
        else:  # a leaf, like a Value the user made
            out.op, out.parents, out.ctx, out.tags = None, (), (), ()
        return out

    def _binary(self, op: ScalarOp, other) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value._result(op, op.forward(FLOATS, self.data, other.data), (self, other))

    def _reflected(self, op: ScalarOp, other) -> Value:
        return Value(other)._binary(op, self)

    def _unary(self, op: ScalarOp, *params) -> Value:
        return Value._result(op, op.forward(FLOATS, self.data, *params), (self,), params)

    # arithmetic
    def __add__(self, other): return self._binary(_ADD, other)
    def __radd__(self, other): return self._reflected(_ADD, other)
    def __sub__(self, other): return self._binary(_SUB, other)
    def __rsub__(self, other): return self._reflected(_SUB, other)
    def __mul__(self, other): return self._binary(_MUL, other)
    def __rmul__(self, other): return self._reflected(_MUL, other)
    def __truediv__(self, other): return self._binary(_DIV, other)
    def __rtruediv__(self, other): return self._reflected(_DIV, other)
    def __neg__(self): return self._unary(_NEG)

    def __pow__(self, exponent):
        """``x ** 2`` (a number: one parent) or ``x ** y`` (a Value: two parents)."""
        if isinstance(exponent, Value):
            return self._binary(_POW_INPUT, exponent)
        return self._unary(_POW, float(exponent))

    def __rpow__(self, base): return self._reflected(_POW_INPUT, base)

    # Comparisons compare the data and give bools, as floats do: Value(2) > 1 is True.
    # Equality stays identity (the engine keeps Values in sets and dicts).
    def __lt__(self, other): return self.data < _number(other)
    def __le__(self, other): return self.data <= _number(other)
    def __gt__(self, other): return self.data > _number(other)
    def __ge__(self, other): return self.data >= _number(other)

    # functions: each one rule of autograd.rules
    def exp(self): return self._unary(_EXP)
    def log(self): return self._unary(_LOG)
    def sqrt(self): return self._unary(_SQRT)
    def tanh(self): return self._unary(_TANH)
    def sigmoid(self): return self._unary(_SIGMOID)
    def relu(self): return self._unary(_RELU)
    def leaky_relu(self, alpha: float = 0.01): return self._unary(_LEAKY_RELU, float(alpha))
    def elu(self, alpha: float = 1.0): return self._unary(_ELU, float(alpha))
    def softplus(self): return self._unary(_SOFTPLUS)
    def sin(self): return self._unary(_SIN)
    def cos(self): return self._unary(_COS)
    def abs(self): return self._unary(_ABS)
    def clip(self, low=None, high=None): return self._unary(_CLIP, low, high)
    def clamp(self, min=None, max=None): return self._unary(_CLIP, min, max)
    def exp2(self): return self._unary(_EXP2)
    def expm1(self): return self._unary(_EXPM1)
    def log2(self): return self._unary(_LOG2)
    def log10(self): return self._unary(_LOG10)
    def log1p(self): return self._unary(_LOG1P)
    def rsqrt(self): return self._unary(_RSQRT)
    def reciprocal(self): return self._unary(_RECIPROCAL)
    def square(self): return self._unary(_SQUARE)
    def tan(self): return self._unary(_TAN)
    def erf(self): return self._unary(_ERF)
    def sign(self): return self._unary(_SIGN)
    def floor(self): return self._unary(_FLOOR)
    def ceil(self): return self._unary(_CEIL)
    def round(self, decimals: int = 0): return self._unary(_ROUND, int(decimals))
    def maximum(self, other): return self._binary(_MAXIMUM, other)
    def minimum(self, other): return self._binary(_MINIMUM, other)
    __abs__ = abs

    # engine hooks
    def _seed_grad(self, grad):
        return 1.0 if grad is None else float(grad)

    def _store_grad(self, grad: float) -> None:
        self.grad += grad

    def _reset_grad(self) -> None:
        self.grad = 0.0

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f"{self.label!r}, " if self.label else ""
        return f"Value({label}data={self.data:.6g}, grad={self.grad:.6g})"


def _number(x) -> float:
    return x.data if isinstance(x, Value) else x
