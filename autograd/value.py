"""``Value``: a scalar graph node, and the catalogue of scalar ops.

Every op is one :class:`ScalarOp`: its forward rule, its local derivative with respect
to each parent, and how both are written. ``backward`` multiplies and accumulates the
local derivatives; :func:`autograd.derive` prints the very same numbers and formulas.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from . import engine
from .engine import Node


class ScalarOp:
    """A scalar op defined once.

    Args:
        name: short name shown on graph pictures (``"+"``, ``"sigmoid"``).
        expression: how the output is written, with ``{0}``/``{1}`` for the parents and
            ``{c}`` for a constant parameter (``"σ({0})"``).
        forward: ``forward(*inputs, *params) -> float``.
        local: ``local(out, *inputs, *params) -> tuple`` of ∂out/∂input, one per parent.
            It receives the output too, because many derivatives are cheapest written
            with it (σ' = σ(1−σ)); derive() relies on this when it recomputes a hand
            calculation from rounded values.
        formulas: one string per parent, how the local derivative is written, with
            ``{0}``, ``{1}``, ``{out}``, ``{c}`` and ``{c1}`` (c − 1) as placeholders.
    """

    __slots__ = ("name", "expression", "forward", "local", "formulas")

    def __init__(self, name: str, expression: str, forward: Callable, local: Callable,
                 formulas: tuple[str, ...]):
        self.name = name
        self.expression = expression
        self.forward = forward
        self.local = local
        self.formulas = formulas

    def local_derivatives(self, node: Value) -> tuple[float, ...]:
        """∂node/∂parent for each parent, at the node's current values.

            >>> x = Value(3.0); y = x * x
            >>> y.op.local_derivatives(y)      # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
            (3.0, 3.0)
        """
        return self.local(node.data, *[p.data for p in node.parents], *node.ctx)

    def backward(self, node: Value, out_grad: float) -> tuple[float, ...]:
        """One chain-rule step: out_grad · ∂node/∂parent, for each parent."""
        # local_derivatives() written out for one and two parents (binary ops take no
        # constant): this runs once per node of every backward pass, and the general form,
        # with its list and its f(*args) call, costs twice as much.
        parents = node.parents
        if len(parents) == 2:
            a, b = parents
            da, db = self.local(node.data, a.data, b.data)
            return (out_grad * da, out_grad * db)
        (d,) = self.local(node.data, parents[0].data, *node.ctx)
        return (out_grad * d,)

    def __repr__(self) -> str:
        return self.name


# --- IEEE-754 results where Python's math module would raise -------------------------
# math.exp(1000) raises OverflowError and 1/0 raises ZeroDivisionError; NumPy and PyTorch
# return inf and nan instead. Value follows them, so a graph never dies half-way through
# and Value agrees with Tensor: log(0) = -inf, log(-1) = nan, sqrt(-1) = nan.

def _div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    if x > 0:
        return math.log(x)
    return -math.inf if x == 0 else math.nan


def _pow(a: float, b: float) -> float:
    try:
        result = a ** b
    except (ZeroDivisionError, OverflowError):  # 0 ** negative, or too big for a float
        if a < 0 and not float(b).is_integer():
            return math.nan
        odd = float(b).is_integer() and b % 2 == 1
        return math.copysign(math.inf, a) if odd else math.inf  # (−0) ** −1 = −inf
    return math.nan if isinstance(result, complex) else result  # (-8) ** 0.5


def _pow_local_base(a: float, b: float) -> float:
    # b·a^(b−1), except that b = 0 gives 0 even at a = 0 (not 0·inf = nan): x ** 0 is
    # the constant 1, and PyTorch says so too.
    return 0.0 if b == 0 else b * _pow(a, b - 1)


def _pow_local_exponent(out: float, a: float, b: float) -> float:
    # a^b·ln a; at a = 0 with b ≥ 0 that is 0·(−inf), which PyTorch defines as 0.
    return 0.0 if a == 0 and b >= 0 else out * _log(a)


def _sigmoid(x: float) -> float:
    # Two branches so that exp never sees a large positive argument.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _trig(fn: Callable[[float], float]) -> Callable[[float], float]:
    def safe(x: float) -> float:
        return fn(x) if math.isfinite(x) else math.nan
    return safe


_sin, _cos = _trig(math.sin), _trig(math.cos)


def _sign(x: float) -> float:
    return (x > 0) - (x < 0)


# --- the catalogue ---------------------------------------------------------------------
# operator.add and friends rather than lambdas: built-in functions are cheaper to call.
ADD = ScalarOp("+", "{0} + {1}", operator.add,
               lambda out, a, b: (1.0, 1.0), ("1", "1"))
SUB = ScalarOp("−", "{0} − {1}", operator.sub,
               lambda out, a, b: (1.0, -1.0), ("1", "−1"))
MUL = ScalarOp("×", "{0}·{1}", operator.mul,
               lambda out, a, b: (b, a), ("{1}", "{0}"))
DIV = ScalarOp("÷", "{0}/{1}", _div,
               lambda out, a, b: (_div(1.0, b), _div(-out, b)), ("1/{1}", "−{0}/{1}²"))
NEG = ScalarOp("neg", "−{0}", operator.neg,
               lambda out, a: (-1.0,), ("−1",))
POW = ScalarOp("^", "{0}^{c}", _pow,
               lambda out, a, c: (_pow_local_base(a, c),), ("{c}·{0}^{c1}",))
POW_VALUE = ScalarOp("^", "{0}^{1}", _pow,
                     lambda out, a, b: (_pow_local_base(a, b), _pow_local_exponent(out, a, b)),
                     ("{1}·{0}^({1}−1)", "{0}^{1}·ln {0}"))
EXP = ScalarOp("exp", "exp({0})", _exp, lambda out, a: (out,), ("exp({0})",))
LOG = ScalarOp("log", "log({0})", _log, lambda out, a: (_div(1.0, a),), ("1/{0}",))
SQRT = ScalarOp("sqrt", "√{0}", lambda a: math.sqrt(a) if a >= 0 else math.nan,
                lambda out, a: (_div(0.5, out),), ("1/(2√{0})",))
TANH = ScalarOp("tanh", "tanh({0})", math.tanh,
                lambda out, a: (1.0 - out * out,), ("1 − tanh²({0})",))
SIGMOID = ScalarOp("sigmoid", "σ({0})", _sigmoid,
                   lambda out, a: (out * (1.0 - out),), ("σ({0})(1 − σ({0}))",))
RELU = ScalarOp("relu", "relu({0})", lambda a: 0.0 if a <= 0 else a,  # relu(nan) = nan
                lambda out, a: (1.0 if a > 0 else 0.0,), ("1 if {0} > 0 else 0",))
LEAKY_RELU = ScalarOp("leaky_relu", "leaky_relu({0}, {c})", lambda a, c: a if a > 0 else c * a,
                      lambda out, a, c: (1.0 if a > 0 else c,), ("1 if {0} > 0 else {c}",))
ELU = ScalarOp("elu", "elu({0}, {c})", lambda a, c: a if a > 0 else c * (_exp(a) - 1.0),
               lambda out, a, c: (1.0 if a > 0 else out + c,), ("1 if {0} > 0 else {c}·exp({0})",))
SOFTPLUS = ScalarOp("softplus", "softplus({0})", _softplus,
                    lambda out, a: (_sigmoid(a),), ("σ({0})",))
SIN = ScalarOp("sin", "sin({0})", _sin, lambda out, a: (_cos(a),), ("cos({0})",))
COS = ScalarOp("cos", "cos({0})", _cos, lambda out, a: (-_sin(a),), ("−sin({0})",))
ABS = ScalarOp("abs", "|{0}|", abs, lambda out, a: (float(_sign(a)),), ("sign({0})",))

#: The unary functions by name, as the expression parser and the plots look them up.
FUNCTIONS: dict[str, ScalarOp] = {op.name: op for op in (
    EXP, LOG, SQRT, TANH, SIGMOID, RELU, LEAKY_RELU, ELU, SOFTPLUS, SIN, COS, ABS)}


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

    @staticmethod
    def _result(op: ScalarOp, data: float, parents: tuple, ctx: tuple = ()) -> Value:
        out = Value.__new__(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out.requires_grad = True
        if engine.grad_mode.enabled:
            out.op, out.parents, out.ctx = op, parents, ctx
        else:  # a leaf, like a Value the user made
            out.op, out.parents, out.ctx = None, (), ()
        return out

    def _binary(self, op: ScalarOp, other) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value._result(op, op.forward(self.data, other.data), (self, other))

    def _reflected(self, op: ScalarOp, other) -> Value:
        return Value(other)._binary(op, self)

    def _unary(self, op: ScalarOp, *params: float) -> Value:
        return Value._result(op, op.forward(self.data, *params), (self,), params)

    # arithmetic
    def __add__(self, other): return self._binary(ADD, other)
    def __radd__(self, other): return self._reflected(ADD, other)
    def __sub__(self, other): return self._binary(SUB, other)
    def __rsub__(self, other): return self._reflected(SUB, other)
    def __mul__(self, other): return self._binary(MUL, other)
    def __rmul__(self, other): return self._reflected(MUL, other)
    def __truediv__(self, other): return self._binary(DIV, other)
    def __rtruediv__(self, other): return self._reflected(DIV, other)
    def __neg__(self): return self._unary(NEG)

    def __pow__(self, exponent):
        """``x ** 2`` (a number: one parent) or ``x ** y`` (a Value: two parents)."""
        if isinstance(exponent, Value):
            return self._binary(POW_VALUE, exponent)
        return self._unary(POW, float(exponent))

    def __rpow__(self, base): return self._reflected(POW_VALUE, base)

    # functions
    def exp(self): return self._unary(EXP)
    def log(self): return self._unary(LOG)
    def sqrt(self): return self._unary(SQRT)
    def tanh(self): return self._unary(TANH)
    def sigmoid(self): return self._unary(SIGMOID)
    def relu(self): return self._unary(RELU)
    def leaky_relu(self, alpha: float = 0.01): return self._unary(LEAKY_RELU, float(alpha))
    def elu(self, alpha: float = 1.0): return self._unary(ELU, float(alpha))
    def softplus(self): return self._unary(SOFTPLUS)
    def sin(self): return self._unary(SIN)
    def cos(self): return self._unary(COS)
    def abs(self): return self._unary(ABS)
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
