"""The Tensor ops made from the rules of :mod:`autograd.rules`: the arithmetic operators
(broadcasting like NumPy) and the functions of one input.

A rule gives the local derivative ∂out/∂input on arrays; the backward multiplies it by the
incoming gradient (elementwise: the Jacobian is diagonal) and sums each operand's gradient
back to its own shape. The array primitives come from the data (:func:`kernels_for`), so
the same ops run on NumPy and on CuPy arrays.
"""

from __future__ import annotations

import numbers

from .. import rules
from ..function import Function, unbroadcast
from ..kernels import kernels_for


def _times(g, local, dtype):
    """g · local, where a rule's local derivative may be a Python number (1 for +) or an
    array of another float dtype (np.where with a Python float gives float64)."""
    if type(local) is float:
        if local == 1.0:
            return g
        if local == -1.0:
            return -g
    elif local.dtype != dtype:
        local = local.astype(dtype)
    return g * local


def _vjp_formulas(rule: rules.Rule) -> tuple[str, ...]:
    """The rule's local derivatives as VJPs: ∂out/∂x ⊙ g (just g for a derivative of 1)."""
    return tuple({"1": "{g}", "−1": "−{g}"}.get(f, f"{f} ⊙ {{g}}") for f in rule.formulas)


class Binary(Function):
    """``a ⊕ b`` for one rule of two inputs, with NumPy's broadcasting.

    Each backward skips the parents that need no gradient (a constant operand would
    otherwise cost a full multiply per op).
    """

    def __init__(self, rule: rules.Rule, title: str, symbol: str):
        self.rule, self.name, self.title, self.symbol = rule, rule.symbol, title, symbol
        self.expression = rule.expression
        self.formulas = _vjp_formulas(rule)

    def forward(self, a, b):
        return self.rule.forward(kernels_for(a), a, b), None

    def backward(self, node, g):
        a, b = node.parents
        m, out = kernels_for(g), node.data
        da, db = self.rule.derivatives
        return (unbroadcast(_times(g, da(m, out, a.data, b.data), g.dtype), a.data.shape)
                if a.requires_grad else None,
                unbroadcast(_times(g, db(m, out, a.data, b.data), g.dtype), b.data.shape)
                if b.requires_grad else None)


class Unary(Function):
    """A function of one input and constant parameters, from one rule. The output keeps
    the input's dtype."""

    def __init__(self, rule: rules.Rule):
        self.rule, self.name, self.title = rule, rule.symbol, rule.name
        self.expression = rule.expression
        self.formulas = _vjp_formulas(rule)
        self.defaults = dict(zip(rule.params, rule.defaults))

    def forward(self, a, **params):
        if params or self.rule.params:
            params = tuple({**self.defaults, **params}.values())
        else:
            params = ()
        out = self.rule.forward(kernels_for(a), a, *params)
        if out.dtype != a.dtype:  # a float64 bound or constant must not upcast float32
            out = out.astype(a.dtype)
        return out, params

    def backward(self, node, g):
        local = self.rule.derivatives[0](kernels_for(g), node.data, node.parents[0].data,
                                         *node.ctx)
        return (_times(g, local, g.dtype),)

    def describe(self, node) -> dict:
        return dict(zip(self.rule.params, node.ctx))


add = Binary(rules.ADD, "add", "+")
sub = Binary(rules.SUB, "subtract", "-")
mul = Binary(rules.MUL, "multiply", "*")
div = Binary(rules.DIV, "divide", "/")
pow_input = Binary(rules.POW_INPUT, "power", "**")
neg, power = Unary(rules.NEG), Unary(rules.POW)
#: The functions of one input by name (exp, log, ..., clip), one op per rule.
functions = {name: Unary(rule) for name, rule in rules.FUNCTIONS.items()}


class ElementwiseMethods:
    """The Tensor methods of this module's ops (``Tensor`` inherits them)."""

    __slots__ = ()

    # add.binary(a, b) is add(a, b), made faster for the operators: see Function.binary.
    def __add__(self, other): return add.binary(self, other)
    def __radd__(self, other): return add.binary(other, self)
    def __sub__(self, other): return sub.binary(self, other)
    def __rsub__(self, other): return sub.binary(other, self)
    def __mul__(self, other): return mul.binary(self, other)
    def __rmul__(self, other): return mul.binary(other, self)
    def __truediv__(self, other): return div.binary(self, other)
    def __rtruediv__(self, other): return div.binary(other, self)
    def __neg__(self): return neg(self)

    def __pow__(self, exponent):
        """``x ** 2`` (a constant exponent) or ``x ** y`` (a Tensor or array exponent)."""
        if isinstance(exponent, numbers.Real):
            return power(self, c=float(exponent))
        return pow_input.binary(self, exponent)

    def __rpow__(self, base): return pow_input.binary(base, self)

    # functions of one input: each one rule of autograd.rules (float() on parameters: a
    # NumPy float64 alpha would otherwise turn a float32 result into float64)
    def exp(self): return functions["exp"](self)
    def log(self): return functions["log"](self)
    def sqrt(self): return functions["sqrt"](self)
    def abs(self): return functions["abs"](self)
    def tanh(self): return functions["tanh"](self)
    def sigmoid(self): return functions["sigmoid"](self)
    def relu(self): return functions["relu"](self)
    def leaky_relu(self, alpha=0.01):
        return functions["leaky_relu"](self, alpha=float(alpha))
    def elu(self, alpha=1.0): return functions["elu"](self, alpha=float(alpha))
    def softplus(self): return functions["softplus"](self)
    def sin(self): return functions["sin"](self)
    def cos(self): return functions["cos"](self)
    __abs__ = abs

    def clip(self, low=None, high=None):
        """Limit to [low, high] (either may be None); the gradient is 1 inside, 0 outside."""
        return functions["clip"](self, low=low, high=high)
