"""The Tensor ops made from the rules of :mod:`autograd.rules`: the arithmetic operators
(broadcasting like NumPy) and their named forms (``add(other, alpha=)``, ``div(other,
rounding_mode=)``, ...), the functions of one input, maximum, minimum, lerp, copysign,
logaddexp, remainder; and ``where``, which picks from two inputs.

Operands of different dtypes meet as in PyTorch (:func:`result_dtype`): the float one wins
over an integer one (an int64 ``n * 0.5`` is float32, the default float dtype), and the
true division of integers is a float.

A rule gives the local derivative ∂out/∂input on arrays; the backward multiplies it by the
incoming gradient (elementwise: the Jacobian is diagonal) and sums each operand's gradient
back to its own shape. The array primitives come from the data (:func:`kernels_for`), so
the same ops run on NumPy and on CuPy arrays.

PyTorch offers each method as a function too (``torch.exp(x)`` is ``x.exp()``); this module
defines them, listed in ``__all__``.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import rules
from ..kernels import kernels_for
from ..op import Op, unbroadcast
from .logical import LogicalMethods

__all__ = ["abs", "acos", "acosh", "add", "asin", "asinh", "atan", "atanh", "ceil", "celu",
           "clamp", "clip", "copysign", "cos", "cosh", "div", "erf", "exp", "exp2", "expm1",
           "floor", "floor_divide", "lerp", "log", "log10", "log1p", "log2", "logaddexp",
           "maximum", "minimum", "mul", "neg", "pow", "reciprocal", "relu", "remainder",
           "round", "rsqrt", "selu", "sigmoid", "sign", "sin", "sinh", "sqrt", "square", "sub",
           "tan", "tanh", "true_divide", "trunc", "where"]

#: PyTorch's order of dtype categories: a higher one wins when operands meet.
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def result_dtype(*arrays):
    """The dtype of an op on ``arrays``, by PyTorch's rule: the highest category (bool, then
    integers, then floats) wins, and within it the arrays with dims decide over 0-d ones.

        >>> import numpy as np
        >>> result_dtype(np.array([1, 2]), np.array(0.5, dtype=np.float32))
        dtype('float32')
    """
    top = max(_CATEGORY[a.dtype.kind] for a in arrays)
    deciding = [a for a in arrays if _CATEGORY[a.dtype.kind] == top]
    deciding = [a for a in deciding if a.ndim] or deciding
    return kernels_for(arrays[0]).xp.result_type(*deciding)


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

    def __init__(self, rule: rules.Rule, title: str, symbol: str = "", floats: bool = False):
        self.rule, self.name, self.title, self.symbol = rule, rule.symbol, title, symbol
        self.expression = rule.expression
        self.formulas = _vjp_formulas(rule)
        #: Whether integer inputs give a float (true division), as in PyTorch.
        self.floats = floats

    def forward(self, a, b, *rest):
        if a.dtype is b.dtype and not rest and (a.dtype.kind == "f" or not self.floats):
            return self.rule.forward(kernels_for(a), a, b), None  # the common case
        dtype = result_dtype(a, b, *rest)
        if self.floats and dtype.kind != "f":
            dtype = _default_dtype()
        a, b, *rest = (x if x.dtype == dtype else x.astype(dtype) for x in (a, b, *rest))
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


class Where(Op):
    """``where(condition, x, y)``: x where the condition holds, else y (broadcast); each
    gets the gradient of the elements it gave."""

    name = "where"
    expression = "where(condition, {0}, {1})"
    formulas = ("{g} ⊙ [condition]", "{g} ⊙ [¬condition]")

    def forward(self, a, b, condition):
        dtype = result_dtype(a, b)
        return kernels_for(a).xp.where(condition, a.astype(dtype), b.astype(dtype)), condition

    def backward(self, node, g):
        xp, condition = kernels_for(g).xp, node.ctx
        a, b = node.parents
        return (unbroadcast(xp.where(condition, g, 0), a.data.shape) if a.requires_grad else None,
                unbroadcast(xp.where(condition, 0, g), b.data.shape) if b.requires_grad else None)


class Scaled(Elementwise):
    """add and sub, called as functions: ``add(a, b, alpha=2)`` is a + 2·b, as in PyTorch."""

    def __call__(self, a, b, *, alpha=1):
        return super().__call__(a, b if alpha == 1 else b * alpha)


class Divide(Elementwise):
    """div, called as a function: ``div(a, b, rounding_mode=None | "trunc" | "floor")``."""

    def __call__(self, a, b, *, rounding_mode=None):
        if rounding_mode is None:
            return super().__call__(a, b)
        if rounding_mode == "floor":
            return floor_divide(a, b)
        if rounding_mode == "trunc":
            return _rounded(_trunc_divide, a, b)
        raise ValueError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                         f"but found '{rounding_mode}'")


# The operators' ops; as functions they are PyTorch's add(a, b, alpha=), mul(a, b), ...
add = Scaled(rules.ADD, "add", "+")
sub = Scaled(rules.SUB, "subtract", "-")
mul = Elementwise(rules.MUL, "multiply", "*")
div = true_divide = Divide(rules.DIV, "divide", "/", floats=True)
remainder = Elementwise(rules.REMAINDER, "remainder", "%")
pow_input = Elementwise(rules.POW_INPUT, "power", "**")
neg, power, _where = Unary(rules.NEG), Unary(rules.POW), Where()
#: The functions by name (exp, log, ..., clip, asin, ..., the activations; maximum, minimum,
#: lerp, copysign, logaddexp), one op per rule.
functions = {name: Unary(rule)
             for name, rule in {**rules.FUNCTIONS, **rules.TENSOR_FUNCTIONS}.items()}
functions.update({rule.name: Elementwise(rule, rule.name) for rule in (
    rules.MAXIMUM, rules.MINIMUM, rules.LERP, rules.COPYSIGN, rules.LOGADDEXP)})


class ElementwiseMethods(LogicalMethods):
    """The Tensor methods of this module's ops (``Tensor`` inherits them, and through them
    those of :mod:`autograd.ops.logical`)."""

    __slots__ = ()

    # add.binary(a, b) is _add(a, b), made faster for the operators: see Op.binary.
    def __add__(self, other): return add.binary(self, other)
    def __radd__(self, other): return add.binary(other, self)
    def __sub__(self, other): return sub.binary(self, other)
    def __rsub__(self, other): return sub.binary(other, self)
    def __mul__(self, other): return mul.binary(self, other)
    def __rmul__(self, other): return mul.binary(other, self)
    def __truediv__(self, other): return div.binary(self, other)
    def __rtruediv__(self, other): return div.binary(other, self)
    def __floordiv__(self, other): return floor_divide(self, other)
    def __rfloordiv__(self, other): return floor_divide(other, self)
    def __mod__(self, other): return remainder.binary(self, other)
    def __rmod__(self, other): return remainder.binary(other, self)
    def __neg__(self): return neg(self)

    def __pow__(self, exponent):
        """``x ** 2`` (a constant exponent) or ``x ** y`` (a Tensor or array exponent); an
        integer tensor to a whole power stays an integer tensor, as in PyTorch."""
        if isinstance(exponent, numbers.Real):
            whole = isinstance(exponent, numbers.Integral) and self.dtype.kind in "iu"
            return power(self, c=int(exponent) if whole else float(exponent))
        return pow_input.binary(self, exponent)

    # the operators' named forms, as in PyTorch
    def add(self, other, *, alpha=1):
        """``self + alpha·other``.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).add(Tensor([10.0, 20.0]), alpha=2)
            tensor([21., 42.])
        """
        return add(self, other, alpha=alpha)

    def sub(self, other, *, alpha=1):
        """``self − alpha·other``.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).sub(1.5)
            tensor([-0.5,  0.5])
        """
        return sub(self, other, alpha=alpha)

    def mul(self, other):
        """``self · other``, elementwise (broadcast).

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).mul(3)
            tensor([3., 6.])
        """
        return self * other

    def div(self, other, *, rounding_mode=None):
        """``self / other``: true division (integers give a float), or rounded toward zero
        (``rounding_mode="trunc"``) or down (``"floor"``), which keeps integers integers
        and has no gradient.

            >>> from autograd import Tensor; x = Tensor([-7.0, 7.0])
            >>> x.div(2), x.div(2, rounding_mode="trunc"), x.div(2, rounding_mode="floor")
            (tensor([-3.5,  3.5]), tensor([-3.,  3.]), tensor([-4.,  3.]))
        """
        return div(self, other, rounding_mode=rounding_mode)

    true_divide = divide = __truediv__
    multiply, subtract = mul, sub

    def floor_divide(self, other):
        """``self // other``: the quotient rounded down; no gradient (PyTorch has none).

            >>> from autograd import Tensor; Tensor([7, -7], dtype="int64") // 2
            tensor([ 3, -4])
        """
        return _rounded(lambda xp, a, b: _quietly(xp.floor_divide, a, b), self, other)

    def remainder(self, other):
        """``self % other``: a − b·floor(a/b), with the sign of ``other`` (Python's %); its
        gradient is 1 for self and −floor(a/b) for other.

            >>> from autograd import Tensor; Tensor([-4.0, 7.0]) % 3
            tensor([2., 1.])
        """
        return remainder.binary(self, other)

    def neg(self):
        """``−self``.

            >>> from autograd import Tensor; Tensor([1.0, -2.0]).neg()
            tensor([-1.,  2.])
        """
        return -self

    negative = neg

    def where(self, condition, other):
        """``self`` where ``condition`` holds, else ``other``: the method form of
        :func:`where`.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).where(Tensor([True, False]), 0.0)
            tensor([1., 0.])
        """
        return where(condition, self, other)

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

    def trunc(self):
        """Round toward zero; its gradient is 0.

            >>> from autograd import Tensor; Tensor([-1.7, 1.7]).trunc()
            tensor([-1.,  1.])
        """
        return functions["trunc"](self)

    fix = trunc

    def asin(self):
        """The inverse sine (radians); nan outside [−1, 1].

            >>> from autograd import Tensor; Tensor([0.0, 1.0]).asin()
            tensor([0.    , 1.5708])
        """
        return functions["asin"](self)

    def acos(self):
        """The inverse cosine (radians); nan outside [−1, 1].

            >>> from autograd import Tensor; Tensor([1.0, 0.0]).acos()
            tensor([0.    , 1.5708])
        """
        return functions["acos"](self)

    def atan(self):
        """The inverse tangent (radians).

            >>> from autograd import Tensor; Tensor([0.0, 1.0]).atan()
            tensor([0.    , 0.7854])
        """
        return functions["atan"](self)

    def sinh(self):
        """The hyperbolic sine.

            >>> from autograd import Tensor; Tensor([0.0, 1.0]).sinh()
            tensor([0.    , 1.1752])
        """
        return functions["sinh"](self)

    def cosh(self):
        """The hyperbolic cosine.

            >>> from autograd import Tensor; Tensor([0.0, 1.0]).cosh()
            tensor([1.    , 1.5431])
        """
        return functions["cosh"](self)

    def asinh(self):
        """The inverse hyperbolic sine.

            >>> from autograd import Tensor; Tensor([0.0, 1.0]).asinh()
            tensor([0.    , 0.8814])
        """
        return functions["asinh"](self)

    def acosh(self):
        """The inverse hyperbolic cosine; nan below 1.

            >>> from autograd import Tensor; Tensor([1.0, 2.0]).acosh()
            tensor([0.    , 1.3170])
        """
        return functions["acosh"](self)

    def atanh(self):
        """The inverse hyperbolic tangent; ±inf at ±1, nan beyond.

            >>> from autograd import Tensor; Tensor([0.0, 0.5]).atanh()
            tensor([0.    , 0.5493])
        """
        return functions["atanh"](self)

    arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh

    def copysign(self, other):
        """|self| with the sign of ``other`` (−0.0 counting as negative); the gradient flows
        to self only.

            >>> from autograd import Tensor; Tensor([1.0, -2.0]).copysign(Tensor([-1.0, 3.0]))
            tensor([-1.,  2.])
        """
        return functions["copysign"](self, other)

    def logaddexp(self, other):
        """log(eˣ + eʸ), without overflow for large x or y.

            >>> from autograd import Tensor; Tensor([1000.0]).logaddexp(Tensor([1000.0]))
            tensor([1000.6932])
        """
        return functions["logaddexp"](self, other)


def _constant_bound(bound):
    """A clamp bound as an array or number: a bound is a constant here, so one that needs a
    gradient is refused rather than silently given none."""
    if not isinstance(bound, Op.node_type):
        return bound
    if bound.requires_grad:
        raise NotImplementedError("clamp: a bound that requires grad is not supported; "
                                  "x.maximum(low).minimum(high) gives the bounds gradients")
    return bound.data


def where(condition, input, other):
    """``input`` where ``condition`` holds, else ``other``, broadcast together; either may
    be a number. The gradient of each is the incoming one where it was chosen, else 0.

        >>> from autograd import Tensor; x = Tensor([-1.0, 2.0])
        >>> where(x > 0, x, 0.0)
        tensor([0., 2.])
    """
    # numbers become tensors where the others live: two numbers, where the condition lives
    tensors = [t for t in (input, other, condition) if isinstance(t, Op.node_type)]
    input, other = (t if isinstance(t, Op.node_type) else _where.constant(t, tensors)
                    for t in (input, other))
    condition = condition.data if isinstance(condition, Op.node_type) else condition
    return _where(input, other, condition=kernels_for(input.data).xp.asarray(condition, bool))


def celu(input, alpha=1.0):
    """max(0, x) + min(0, α·(exp(x/α) − 1)), as ``torch.celu``.

        >>> from autograd import Tensor; celu(Tensor([1.0, -1.0]), alpha=2.0)
        tensor([ 1.    , -0.7869])
    """
    return functions["celu"](input, alpha=float(alpha))


def selu(input):
    """λ·x for x > 0, else λ·α·(eˣ − 1), with PyTorch's λ ≈ 1.0507 and α ≈ 1.6733.

        >>> from autograd import Tensor; selu(Tensor([1.0, 0.0]))
        tensor([1.0507, 0.    ])
    """
    return functions["selu"](input)


def _quietly(function, *arrays):
    """function(*arrays) without NumPy's warnings (a division by zero answers inf or nan)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return function(*arrays)


def _trunc_divide(xp, a, b):
    """a/b rounded toward zero; exact on integers (|a| // |b| with the sign)."""
    if a.dtype.kind == "f":
        return xp.trunc(_quietly(xp.divide, a, b))
    quotient = _quietly(xp.floor_divide, xp.abs(a), xp.abs(b))
    return xp.where((a < 0) != (b < 0), -quotient, quotient)


def _rounded(divide, a, b):
    """``divide(xp, a, b)`` on the operands promoted as PyTorch promotes them, as a Tensor
    outside the graph: a rounded quotient has no gradient."""
    node_type = Op.node_type
    tensors = [t for t in (a, b) if isinstance(t, node_type)]
    a, b = (t.data if isinstance(t, node_type) else div.constant(t, tensors).data
            for t in (a, b))
    dtype = result_dtype(a, b)
    xp = kernels_for(a).xp
    out = divide(xp, a.astype(dtype), b.astype(dtype))
    return node_type(out, dtype=dtype)


# PyTorch's function forms are the methods themselves: exp(x) is ElementwiseMethods.exp(x),
# that is x.exp(); pow(2, x) is 2 ** x.
_M = ElementwiseMethods
abs, ceil, clamp, clip, cos, erf, exp = _M.abs, _M.ceil, _M.clamp, _M.clip, _M.cos, _M.erf, _M.exp
exp2, expm1, floor, lerp, log, log10 = _M.exp2, _M.expm1, _M.floor, _M.lerp, _M.log, _M.log10
log1p, log2, maximum, minimum, pow = _M.log1p, _M.log2, _M.maximum, _M.minimum, _M.pow
reciprocal, relu, round, rsqrt = _M.reciprocal, _M.relu, _M.round, _M.rsqrt
sigmoid, sign, sin, sqrt, square = _M.sigmoid, _M.sign, _M.sin, _M.sqrt, _M.square
tan, tanh = _M.tan, _M.tanh
floor_divide, trunc, copysign, logaddexp = (
    _M.floor_divide, _M.trunc, _M.copysign, _M.logaddexp)
asin, acos, atan, sinh, cosh = _M.asin, _M.acos, _M.atan, _M.sinh, _M.cosh
asinh, acosh, atanh = _M.asinh, _M.acosh, _M.atanh
