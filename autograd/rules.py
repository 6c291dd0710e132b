"""Every elementwise and arithmetic op, defined once.

Each :class:`Rule` holds an op's name, how its output is written, its parameters, its
forward rule and, for each input, its local derivative with the formula text beside it.
``Value``'s ops and ``Tensor``'s elementwise ops are both made from these rules:
``backward``, :func:`autograd.derive`, the graph pictures and the animation all read them.

The rules are written with the primitives of :mod:`autograd.kernels` (``m.exp``,
``m.where``, ...), so one line works on Python floats and on arrays. A derivative may use
the op's output where that is its natural form: σ′ = σ(1 − σ).

Formula text uses ``{0}``, ``{1}`` for the inputs, ``{out}`` for the output and
``{alpha}``-style names for the parameters; ``{c-1}`` is a parameter minus one, for the
power rule. A test evaluates every formula and compares it with the derivative it names.

    >>> SIGMOID.formulas[0]
    'σ({0})(1 − σ({0}))'
    >>> from autograd.kernels import FLOATS
    >>> SIGMOID.derivatives[0](FLOATS, 0.5, 0.0)   # σ'(0) = σ(0)(1 − σ(0)) = 0.25
    0.25
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class Rule:
    """One op: ``forward(m, *inputs, *params)`` and, per input,
    ``derivatives[i](m, out, *inputs, *params)`` = ∂out/∂input_i, written as ``formulas[i]``.

    Args:
        name: the method name (``"sigmoid"``; ``"mul"`` for ``*``).
        symbol: how graph pictures name the op (``"×"``, ``"sigmoid"``).
        expression: how the output is written (``"σ({0})"``).
        params: the names of the constant parameters, in call order (``("alpha",)``).
        defaults: their default values (``(0.01,)``).
    """

    name: str
    symbol: str
    expression: str
    forward: Callable
    derivatives: tuple[Callable, ...]
    formulas: tuple[str, ...]
    params: tuple[str, ...] = ()
    defaults: tuple = ()

    @property
    def arity(self) -> int:
        """The number of inputs (1, 2, or 3 for lerp)."""
        return len(self.derivatives)

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"


# --- arithmetic -----------------------------------------------------------------------------
ADD = Rule("add", "+", "{0} + {1}", lambda m, a, b: a + b,
           (lambda m, out, a, b: 1.0, lambda m, out, a, b: 1.0), ("1", "1"))
SUB = Rule("sub", "−", "{0} − {1}", lambda m, a, b: a - b,
           (lambda m, out, a, b: 1.0, lambda m, out, a, b: -1.0), ("1", "−1"))
MUL = Rule("mul", "×", "{0}·{1}", lambda m, a, b: a * b,
           (lambda m, out, a, b: b, lambda m, out, a, b: a), ("{1}", "{0}"))
DIV = Rule("div", "÷", "{0}/{1}", lambda m, a, b: m.div(a, b),
           (lambda m, out, a, b: m.div(1.0, b), lambda m, out, a, b: m.div(-out, b)),
           ("1/{1}", "−{0}/{1}²"))
NEG = Rule("neg", "neg", "−{0}", lambda m, a: -a, (lambda m, out, a: -1.0,), ("−1",))
# x ** c for a constant c. At c = 0 the output is the constant 1: its derivative is 0 even
# at x = 0, where c·x^(c−1) would be 0·inf = nan (PyTorch says 0 too).
POW = Rule("pow", "^", "{0}^{c}", lambda m, a, c: m.pow(a, c),
           (lambda m, out, a, c: 0.0 * a if c == 0 else c * m.pow(a, c - 1),),
           ("{c}·{0}^{c-1}",), params=("c",))
# x ** y with y an input too. ∂/∂y = x^y·ln x; at x = 0 with y ≥ 0 that is 0·(−inf), which
# PyTorch defines as 0 (0^y does not change with y there).
POW_INPUT = Rule(
    "pow", "^", "{0}^{1}", lambda m, a, b: m.pow(a, b),
    (lambda m, out, a, b: m.where(b == 0, 0.0, b * m.pow(a, b - 1)),
     lambda m, out, a, b: m.where((a == 0) & (b >= 0), 0.0, out * m.log(a))),
    ("{1}·{0}^({1}−1)", "{0}^{1}·ln {0}"))

# --- functions of one input -----------------------------------------------------------------
EXP = Rule("exp", "exp", "exp({0})", lambda m, x: m.exp(x),
           (lambda m, out, x: out,), ("exp({0})",))
LOG = Rule("log", "log", "log({0})", lambda m, x: m.log(x),
           (lambda m, out, x: m.div(1.0, x),), ("1/{0}",))
SQRT = Rule("sqrt", "sqrt", "√{0}", lambda m, x: m.sqrt(x),
            (lambda m, out, x: m.div(0.5, out),), ("1/(2√{0})",))
TANH = Rule("tanh", "tanh", "tanh({0})", lambda m, x: m.tanh(x),
            (lambda m, out, x: 1.0 - out * out,), ("1 − tanh²({0})",))
SIGMOID = Rule("sigmoid", "sigmoid", "σ({0})", lambda m, x: m.sigmoid(x),
               (lambda m, out, x: out * (1.0 - out),), ("σ({0})(1 − σ({0}))",))
RELU = Rule("relu", "relu", "relu({0})", lambda m, x: m.relu(x),
            (lambda m, out, x: m.step(x),), ("1 if {0} > 0 else 0",))
LEAKY_RELU = Rule("leaky_relu", "leaky_relu", "leaky_relu({0}, {alpha})",
                  lambda m, x, alpha: m.where(x > 0, x, alpha * x),
                  (lambda m, out, x, alpha: m.where(x > 0, 1.0, alpha),),
                  ("1 if {0} > 0 else {alpha}",), params=("alpha",), defaults=(0.01,))
# The exp sees only x ≤ 0: e^x of a large positive x would overflow (and warn) in the
# branch that `where` throws away.
ELU = Rule("elu", "elu", "elu({0}, {alpha})",
           lambda m, x, alpha: m.where(x > 0, x, alpha * m.expm1(m.minimum(x, 0.0))),
           (lambda m, out, x, alpha: m.where(x > 0, 1.0, out + alpha),),
           ("1 if {0} > 0 else {alpha}·exp({0})",), params=("alpha",), defaults=(1.0,))
SOFTPLUS = Rule("softplus", "softplus", "softplus({0})", lambda m, x: m.softplus(x),
                (lambda m, out, x: m.sigmoid(x),), ("σ({0})",))
SIN = Rule("sin", "sin", "sin({0})", lambda m, x: m.sin(x),
           (lambda m, out, x: m.cos(x),), ("cos({0})",))
COS = Rule("cos", "cos", "cos({0})", lambda m, x: m.cos(x),
           (lambda m, out, x: -m.sin(x),), ("−sin({0})",))
# sign(x), but 0 at nan as in PyTorch (nan > 0 and nan < 0 are both false).
ABS = Rule("abs", "abs", "|{0}|", lambda m, x: m.abs(x),
           (lambda m, out, x: m.step(x) - m.step(-x),), ("sign({0})",))
# The gradient passes where low ≤ x ≤ high, at the bounds too, as in PyTorch: where the value
# was kept, except when low > high, where every value becomes high and none passes.
CLIP = Rule("clip", "clip", "clip({0}, {low}, {high})",
            lambda m, x, low, high: m.clip(x, low, high),
            (lambda m, out, x, low, high: m.where(
                (out == x) & (x >= (-math.inf if low is None else low)), 1.0, 0.0),),
            ("1 if {low} ≤ {0} ≤ {high} else 0",), params=("low", "high"),
            defaults=(None, None))

EXP2 = Rule("exp2", "exp2", "2^{0}", lambda m, x: m.pow(2.0, x),
            (lambda m, out, x: out * _LN2,), ("2^{0}·ln 2",))
EXPM1 = Rule("expm1", "expm1", "exp({0}) − 1", lambda m, x: m.expm1(x),
             (lambda m, out, x: out + 1.0,), ("exp({0})",))
LOG2 = Rule("log2", "log2", "log2({0})", lambda m, x: m.log2(x),
            (lambda m, out, x: m.div(1.0, x * _LN2),), ("1/({0}·ln 2)",))
LOG10 = Rule("log10", "log10", "log10({0})", lambda m, x: m.log10(x),
             (lambda m, out, x: m.div(1.0, x * _LN10),), ("1/({0}·ln 10)",))
# log(1 + x) accurate for tiny x, where 1 + x would round x away.
LOG1P = Rule("log1p", "log1p", "log(1 + {0})", lambda m, x: m.log1p(x),
             (lambda m, out, x: m.div(1.0, 1.0 + x),), ("1/(1 + {0})",))
RSQRT = Rule("rsqrt", "rsqrt", "1/√{0}", lambda m, x: m.div(1.0, m.sqrt(x)),
             (lambda m, out, x: -0.5 * out * out * out,), ("−1/(2·{0}·√{0})",))
RECIPROCAL = Rule("reciprocal", "reciprocal", "1/{0}", lambda m, x: m.div(1.0, x),
                  (lambda m, out, x: -out * out,), ("−1/{0}²",))
SQUARE = Rule("square", "square", "{0}²", lambda m, x: x * x,
              (lambda m, out, x: 2.0 * x,), ("2·{0}",))
TAN = Rule("tan", "tan", "tan({0})", lambda m, x: m.tan(x),
           (lambda m, out, x: 1.0 + out * out,), ("1 + tan²({0})",))
ERF = Rule("erf", "erf", "erf({0})", lambda m, x: m.erf(x),
           (lambda m, out, x: _TWO_OVER_SQRT_PI * m.exp(-x * x),), ("2/√π·exp(−{0}²)",))
# Steps: flat wherever they are differentiable, so PyTorch makes their gradient 0 everywhere
# (at the jumps too). sign(nan) = 0, as in PyTorch.
SIGN = Rule("sign", "sign", "sign({0})", lambda m, x: m.step(x) - m.step(-x),
            (lambda m, out, x: 0.0,), ("0",))
FLOOR = Rule("floor", "floor", "floor({0})", lambda m, x: m.floor(x),
             (lambda m, out, x: 0.0,), ("0",))
CEIL = Rule("ceil", "ceil", "ceil({0})", lambda m, x: m.ceil(x),
            (lambda m, out, x: 0.0,), ("0",))
# Half to even (2.5 → 2), as PyTorch and NumPy; decimals < 0 rounds to tens, hundreds, ...
ROUND = Rule("round", "round", "round({0}, {decimals})",
             lambda m, x, decimals: m.round(x, decimals),
             (lambda m, out, x, decimals: 0.0,), ("0",), params=("decimals",), defaults=(0,))

# --- functions of two or three inputs ------------------------------------------------------
# nan wins. At a tie each input gets half the gradient, as in PyTorch (either one would do).
MAXIMUM = Rule("maximum", "maximum", "max({0}, {1})", lambda m, a, b: m.maximum(a, b),
               (lambda m, out, a, b: m.where(a == b, 0.5, m.where(a < b, 0.0, 1.0)),
                lambda m, out, a, b: m.where(a == b, 0.5, m.where(a > b, 0.0, 1.0))),
               ("1 if {0} > {1} else 0.5 if {0} = {1} else 0",
                "1 if {1} > {0} else 0.5 if {0} = {1} else 0"))
MINIMUM = Rule("minimum", "minimum", "min({0}, {1})", lambda m, a, b: m.minimum(a, b),
               (lambda m, out, a, b: m.where(a == b, 0.5, m.where(a > b, 0.0, 1.0)),
                lambda m, out, a, b: m.where(a == b, 0.5, m.where(a < b, 0.0, 1.0))),
               ("1 if {0} < {1} else 0.5 if {0} = {1} else 0",
                "1 if {1} < {0} else 0.5 if {0} = {1} else 0"))
# start + weight·(end − start), computed from `end` when |weight| ≥ ½, as PyTorch does,
# so that a weight of 1 gives exactly `end`.
LERP = Rule("lerp", "lerp", "{0} + {2}·({1} − {0})",
            lambda m, a, b, w: m.where(m.abs(w) < 0.5, a + w * (b - a),
                                       b - (b - a) * (1.0 - w)),
            (lambda m, out, a, b, w: 1.0 - w, lambda m, out, a, b, w: w,
             lambda m, out, a, b, w: b - a),
            ("(1 − {2})", "{2}", "({1} − {0})"))

_LN2, _LN10, _TWO_OVER_SQRT_PI = math.log(2.0), math.log(10.0), 2.0 / math.sqrt(math.pi)

#: The functions of one input by name: the methods of Value and Tensor, the expression
#: parser's functions, the curves of ``viz.plot_activations``.
FUNCTIONS: dict[str, Rule] = {rule.name: rule for rule in (
    EXP, LOG, SQRT, TANH, SIGMOID, RELU, LEAKY_RELU, ELU, SOFTPLUS, SIN, COS, ABS, CLIP,
    EXP2, EXPM1, LOG2, LOG10, LOG1P, RSQRT, RECIPROCAL, SQUARE, TAN, ERF, SIGN, FLOOR, CEIL,
    ROUND)}

#: Every rule, for the tests that check each one against its formula and PyTorch.
RULES: tuple[Rule, ...] = (ADD, SUB, MUL, DIV, NEG, POW, POW_INPUT, MAXIMUM, MINIMUM, LERP,
                           *FUNCTIONS.values())
