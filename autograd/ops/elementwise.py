"""The Tensor ops made from the rules of :mod:`autograd.rules`: the arithmetic operators
(broadcasting like NumPy), the functions of one input, and maximum, minimum and lerp.

A rule gives the local derivative ∂out/∂input on arrays; the backward multiplies it by the
incoming gradient (elementwise: the Jacobian is diagonal) and sums each operand's gradient
back to its own shape. The array primitives come from the data (:func:`kernels_for`), so
the same ops run on NumPy and on CuPy arrays.

PyTorch offers each method as a function too (``torch.exp(x)`` is ``x.exp()``); this module
defines them, listed in ``__all__``.
"""

from __future__ import annotations

import numbers

from .. import rules
from ..kernels import kernels_for
from ..op import Op, unbroadcast

__all__ = ["abs", "ceil", "clamp", "clip", "cos", "erf", "exp", "exp2", "expm1", "floor", "lerp",
           "log", "log10", "log1p", "log2", "maximum", "minimum", "pow", "reciprocal", "relu",
           "round", "rsqrt", "sigmoid", "sign", "sin", "sqrt", "square", "tan", "tanh"]


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


class Elementwise(Op):
    """``a ⊕ b`` (or ``lerp(a, b, w)``) for one rule of two or three inputs, with NumPy's
    broadcasting.

    Each backward skips the parents that need no gradient (a constant operand would
    otherwise cost a full multiply per op).
    """

    def __init__(self, rule: rules.Rule, title: str, symbol: str = ""):
        self.rule, self.name, self.title, self.symbol = rule, rule.symbol, title, symbol
        self.expression = rule.expression
        self.formulas = _vjp_formulas(rule)

    def forward(self, a, b, *rest):
        return self.rule.forward(kernels_for(a), a, b, *rest), None

    def backward(self, node, g):
        m, out = kernels_for(g), node.data
        if len(node.parents) == 2:
            # The loop below, written out for two inputs: the operators make most nodes
            # of a graph, and the loop costs each of their backward steps half as much again.
            a, b = node.parents
            da, db = self.rule.derivatives
            return (unbroadcast(_times(g, da(m, out, a.data, b.data), g.dtype), a.data.shape)
                    if a.requires_grad else None,
                    unbroadcast(_times(g, db(m, out, a.data, b.data), g.dtype), b.data.shape)
                    if b.requires_grad else None)
        arrays = [parent.data for parent in node.parents]
        return tuple(
            unbroadcast(_times(g, derivative(m, out, *arrays), g.dtype), parent.data.shape)
            if parent.requires_grad else None
            for parent, derivative in zip(node.parents, self.rule.derivatives))


class Unary(Op):
    """A function of one input and constant parameters, from one rule. The output keeps
    the input's dtype, except that a function of integers with fractional values (exp,
    sqrt) gives the default float dtype, as in PyTorch."""

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
            out = out.astype(a.dtype if a.dtype.kind == "f" or out.dtype.kind != "f"
                             else _default_dtype())
        return out, params

    def backward(self, node, g):
        local = self.rule.derivatives[0](kernels_for(g), node.data, node.parents[0].data,
                                         *node.ctx)
        return (_times(g, local, g.dtype),)

    def describe(self, node) -> dict:
        return dict(zip(self.rule.params, node.ctx))


def _default_dtype():
    from ..tensor import get_default_dtype  # not at the top: autograd.tensor imports this module
    return get_default_dtype()


add = Elementwise(rules.ADD, "add", "+")
sub = Elementwise(rules.SUB, "subtract", "-")
mul = Elementwise(rules.MUL, "multiply", "*")
div = Elementwise(rules.DIV, "divide", "/")
pow_input = Elementwise(rules.POW_INPUT, "power", "**")
neg, power = Unary(rules.NEG), Unary(rules.POW)
#: The functions by name (exp, log, ..., clip; maximum, minimum, lerp), one op per rule.
functions = {name: Unary(rule) for name, rule in rules.FUNCTIONS.items()}
functions.update({rule.name: Elementwise(rule, rule.name)
                  for rule in (rules.MAXIMUM, rules.MINIMUM, rules.LERP)})


class ElementwiseMethods:
    """The Tensor methods of this module's ops (``Tensor`` inherits them)."""

    __slots__ = ()

    # add.binary(a, b) is add(a, b), made faster for the operators: see Op.binary.
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

    def pow(self, exponent):
        """``x.pow(y)`` is ``x ** y`` (y a number, a Tensor or an array); as a function,
        ``pow(2, x)`` is ``2 ** x``.

            >>> from autograd import Tensor; Tensor([3.0]).pow(2)
            tensor([9.])
        """
        return self ** exponent

    def exp2(self):
        """2 to the power of each element.

            >>> from autograd import Tensor; Tensor([3.0, -1.0]).exp2()
            tensor([8. , 0.5])
        """
        return functions["exp2"](self)

    def expm1(self):
        """eˣ − 1, accurate where x is tiny (``exp(x) - 1`` would lose its digits).

            >>> from autograd import Tensor; Tensor([1e-10], dtype="float64").expm1().item()
            1.00000000005e-10
        """
        return functions["expm1"](self)

    def log2(self):
        """The base-2 logarithm.

            >>> from autograd import Tensor; Tensor([8.0, 0.5]).log2()
            tensor([ 3., -1.])
        """
        return functions["log2"](self)

    def log10(self):
        """The base-10 logarithm.

            >>> from autograd import Tensor; Tensor([1000.0]).log10()
            tensor([3.])
        """
        return functions["log10"](self)

    def log1p(self):
        """log(1 + x), accurate where x is tiny.

            >>> from autograd import Tensor; Tensor([1e-10], dtype="float64").log1p().item()
            9.9999999995e-11
        """
        return functions["log1p"](self)

    def rsqrt(self):
        """1/√x.

            >>> from autograd import Tensor; Tensor([4.0]).rsqrt()
            tensor([0.5])
        """
        return functions["rsqrt"](self)

    def reciprocal(self):
        """1/x.

            >>> from autograd import Tensor; Tensor([4.0]).reciprocal()
            tensor([0.25])
        """
        return functions["reciprocal"](self)

    def square(self):
        """x², each element.

            >>> from autograd import Tensor; Tensor([-3.0]).square()
            tensor([9.])
        """
        return functions["square"](self)

    def tan(self):
        """The tangent (radians).

            >>> from autograd import Tensor; Tensor([0.0]).tan()
            tensor([0.])
        """
        return functions["tan"](self)

    def erf(self):
        """The error function, 2/√π ∫₀ˣ e^(−t²) dt.

            >>> from autograd import Tensor; Tensor([0.0, 10.0]).erf()
            tensor([0., 1.])
        """
        return functions["erf"](self)

    def sign(self):
        """−1, 0 or 1 (0 at nan, as in PyTorch); its gradient is 0.

            >>> from autograd import Tensor; Tensor([-2.0, 0.0, 3.0]).sign()
            tensor([-1.,  0.,  1.])
        """
        return functions["sign"](self)

    def floor(self):
        """The largest whole number ≤ x; its gradient is 0.

            >>> from autograd import Tensor; Tensor([-1.5, 1.5]).floor()
            tensor([-2.,  1.])
        """
        return functions["floor"](self)

    def ceil(self):
        """The smallest whole number ≥ x; its gradient is 0.

            >>> from autograd import Tensor; Tensor([-1.5, 1.5]).ceil()
            tensor([-1.,  2.])
        """
        return functions["ceil"](self)

    def round(self, decimals: int = 0):
        """Round half to even, at ``decimals`` places (PyTorch's and NumPy's rounding, not
        the school rule of rounding halves up); its gradient is 0.

            >>> from autograd import Tensor; Tensor([0.5, 1.5, 2.5, 1.27]).round()
            tensor([0., 2., 2., 1.])
            >>> Tensor([1.27]).round(decimals=1)
            tensor([1.3])
        """
        return functions["round"](self, decimals=int(decimals))

    def clamp(self, min=None, max=None):
        """Limit to [min, max], as PyTorch: either bound may be None, not both; a bound may
        be a number or an array (or a Tensor that needs no gradient). The gradient is 1
        where the value was kept (at the bounds too) and 0 where it was cut.

            >>> from autograd import Tensor; Tensor([-2.0, 0.5, 2.0]).clamp(min=-1, max=1)
            tensor([-1. ,  0.5,  1. ])
        """
        if min is None and max is None:
            raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
        return functions["clip"](self, low=_constant_bound(min), high=_constant_bound(max))

    def clip(self, min=None, max=None, *, low=None, high=None):
        """``clamp``'s other name, as in PyTorch; ``low=`` and ``high=`` are accepted too.

            >>> from autograd import Tensor; Tensor([-2.0, 2.0]).clip(-1, 1)
            tensor([-1.,  1.])
        """
        return self.clamp(low if min is None else min, high if max is None else max)

    def maximum(self, other):
        """The larger of the two, elementwise (broadcast); at a tie each gets half the
        gradient, and nan wins, as in PyTorch.

            >>> from autograd import Tensor; Tensor([1.0, 5.0]).maximum(Tensor([3.0, 2.0]))
            tensor([3., 5.])
        """
        return functions["maximum"](self, other)

    def minimum(self, other):
        """The smaller of the two, elementwise; ties and nan as in :meth:`maximum`.

            >>> from autograd import Tensor; Tensor([1.0, 5.0]).minimum(Tensor([3.0, 2.0]))
            tensor([1., 2.])
        """
        return functions["minimum"](self, other)

    def lerp(self, end, weight):
        """``self + weight·(end − self)``: from self (weight 0) to end (weight 1); weight is
        a number or a Tensor, and each input gets its gradient.

            >>> from autograd import Tensor; Tensor([0.0, 10.0]).lerp(Tensor([10.0, 20.0]), 0.25)
            tensor([ 2.5, 12.5])
        """
        return functions["lerp"](self, end, weight)


def _constant_bound(bound):
    """A clamp bound as an array or number: a bound is a constant here, so one that needs a
    gradient is refused rather than silently given none."""
    if not isinstance(bound, Op.node_type):
        return bound
    if bound.requires_grad:
        raise NotImplementedError("clamp: a bound that requires grad is not supported; "
                                  "x.maximum(low).minimum(high) gives the bounds gradients")
    return bound.data


# PyTorch's function forms are the methods themselves: exp(x) is ElementwiseMethods.exp(x),
# that is x.exp(); pow(2, x) is 2 ** x.
_M = ElementwiseMethods
abs, ceil, clamp, clip, cos, erf, exp = _M.abs, _M.ceil, _M.clamp, _M.clip, _M.cos, _M.erf, _M.exp
exp2, expm1, floor, lerp, log, log10 = _M.exp2, _M.expm1, _M.floor, _M.lerp, _M.log, _M.log10
log1p, log2, maximum, minimum, pow = _M.log1p, _M.log2, _M.maximum, _M.minimum, _M.pow
reciprocal, relu, round, rsqrt = _M.reciprocal, _M.relu, _M.round, _M.rsqrt
sigmoid, sign, sin, sqrt, square = _M.sigmoid, _M.sign, _M.sin, _M.sqrt, _M.square
tan, tanh = _M.tan, _M.tanh
