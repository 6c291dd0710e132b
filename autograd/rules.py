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
_SQRT_HALF, _ONE_OVER_SQRT_2PI = math.sqrt(0.5), 1.0 / math.sqrt(2.0 * math.pi)
_GELU_K, _GELU_C = math.sqrt(2.0 / math.pi), 0.044715

# --- more functions, which Tensor has and Value does not --------------------------------------
ASIN = Rule("asin", "asin", "asin({0})", lambda m, x: m.asin(x),
            (lambda m, out, x: m.div(1.0, m.sqrt(1.0 - x * x)),), ("1/√(1 − {0}²)",))
ACOS = Rule("acos", "acos", "acos({0})", lambda m, x: m.acos(x),
            (lambda m, out, x: m.div(-1.0, m.sqrt(1.0 - x * x)),), ("−1/√(1 − {0}²)",))
ATAN = Rule("atan", "atan", "atan({0})", lambda m, x: m.atan(x),
            (lambda m, out, x: m.div(1.0, 1.0 + x * x),), ("1/(1 + {0}²)",))
SINH = Rule("sinh", "sinh", "sinh({0})", lambda m, x: m.sinh(x),
            (lambda m, out, x: m.cosh(x),), ("cosh({0})",))
COSH = Rule("cosh", "cosh", "cosh({0})", lambda m, x: m.cosh(x),
            (lambda m, out, x: m.sinh(x),), ("sinh({0})",))
ASINH = Rule("asinh", "asinh", "asinh({0})", lambda m, x: m.asinh(x),
             (lambda m, out, x: m.div(1.0, m.sqrt(x * x + 1.0)),), ("1/√({0}² + 1)",))
ACOSH = Rule("acosh", "acosh", "acosh({0})", lambda m, x: m.acosh(x),
             (lambda m, out, x: m.div(1.0, m.sqrt(x * x - 1.0)),), ("1/√({0}² − 1)",))
ATANH = Rule("atanh", "atanh", "atanh({0})", lambda m, x: m.atanh(x),
             (lambda m, out, x: m.div(1.0, 1.0 - x * x),), ("1/(1 − {0}²)",))
TRUNC = Rule("trunc", "trunc", "trunc({0})", lambda m, x: m.trunc(x),
             (lambda m, out, x: 0.0,), ("0",))
# The activations of nn.functional that are one formula each, branching where PyTorch's
# kernels branch (x > 0, or strictly inside a bound).
CELU = Rule("celu", "celu", "celu({0}, {alpha})",
            lambda m, x, alpha: m.where(x > 0, x, alpha * m.expm1(m.minimum(x, 0.0) / alpha)),
            (lambda m, out, x, alpha: m.where(x > 0, 1.0, m.exp(m.minimum(x, 0.0) / alpha)),),
            ("1 if {0} > 0 else exp({0}/{alpha})",), params=("alpha",), defaults=(1.0,))
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
SELU = Rule("selu", "selu", "λ·({0} if {0} > 0 else α·(exp({0}) − 1))",
            lambda m, x: _SELU_SCALE * m.where(x > 0, x, _SELU_ALPHA * m.expm1(m.minimum(x, 0.0))),
            (lambda m, out, x: m.where(x > 0, _SELU_SCALE,
                                       _SELU_SCALE * _SELU_ALPHA * m.exp(m.minimum(x, 0.0))),),
            ("λ if {0} > 0 else λ·α·exp({0})",))
SILU = Rule("silu", "silu", "{0}·σ({0})", lambda m, x: x * m.sigmoid(x),
            (lambda m, out, x: m.sigmoid(x) * (1.0 + x * (1.0 - m.sigmoid(x))),),
            ("σ({0})·(1 + {0}·(1 − σ({0})))",))
# x·Φ(x), Φ the standard normal distribution function and φ its density.
GELU = Rule("gelu", "gelu", "{0}·Φ({0})",
            lambda m, x: 0.5 * x * (1.0 + m.erf(x * _SQRT_HALF)),
            (lambda m, out, x: 0.5 * (1.0 + m.erf(x * _SQRT_HALF))
             + x * m.exp(-0.5 * x * x) * _ONE_OVER_SQRT_2PI,),
            ("Φ({0}) + {0}·φ({0})",))
# gelu(x, approximate="tanh"): Φ(x) ≈ (1 + tanh(k·(x + c·x³)))/2, k = √(2/π), c = 0.044715.
GELU_TANH = Rule(
    "gelu_tanh", "gelu", "{0}·(1 + tanh(k·({0} + c·{0}³)))/2",
    lambda m, x: 0.5 * x * (1.0 + m.tanh(_GELU_K * (x + _GELU_C * x * x * x))),
    (lambda m, out, x: 0.5 * (1.0 + m.tanh(_GELU_K * (x + _GELU_C * x * x * x)))
     + 0.5 * x * (1.0 - m.tanh(_GELU_K * (x + _GELU_C * x * x * x)) ** 2)
     * _GELU_K * (1.0 + 3.0 * _GELU_C * x * x),),
    ("(1 + tanh(k·({0} + c·{0}³)))/2 + {0}·(1 − tanh(k·({0} + c·{0}³))²)·k·(1 + 3·c·{0}²)/2",))
MISH = Rule("mish", "mish", "{0}·tanh(softplus({0}))",
            lambda m, x: x * m.tanh(m.softplus(x)),
            (lambda m, out, x: m.tanh(m.softplus(x))
             + x * m.sigmoid(x) * (1.0 - m.tanh(m.softplus(x)) ** 2),),
            ("tanh(softplus({0})) + {0}·σ({0})·(1 − tanh(softplus({0}))²)",))
SOFTSIGN = Rule("softsign", "softsign", "{0}/(1 + |{0}|)",
                lambda m, x: m.div(x, 1.0 + m.abs(x)),
                # the quotient rule's two terms, which PyTorch also keeps (nan at ±inf)
                (lambda m, out, x: m.div(1.0, 1.0 + m.abs(x))
                 - m.div(m.abs(x), (1.0 + m.abs(x)) * (1.0 + m.abs(x))),),
                ("1/(1 + |{0}|) − |{0}|/(1 + |{0}|)²",))
LOGSIGMOID = Rule("logsigmoid", "logsigmoid", "log σ({0})", lambda m, x: -m.softplus(-x),
                  (lambda m, out, x: m.sigmoid(-x),), ("1 − σ({0})",))
HARDSIGMOID = Rule("hardsigmoid", "hardsigmoid", "clip({0}/6 + 1/2, 0, 1)",
                   lambda m, x: m.clip(x / 6.0 + 0.5, 0.0, 1.0),
                   (lambda m, out, x: m.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0),),
                   ("1/6 if −3 < {0} < 3 else 0",))
HARDSWISH = Rule("hardswish", "hardswish", "{0}·clip({0}/6 + 1/2, 0, 1)",
                 lambda m, x: x * m.clip(x / 6.0 + 0.5, 0.0, 1.0),
                 (lambda m, out, x: m.where(x < -3.0, 0.0, m.where(x <= 3.0, x / 3.0 + 0.5, 1.0)),),
                 ("0 if {0} < −3 else {0}/3 + 1/2 if {0} ≤ 3 else 1",))
# Both pass the gradient strictly inside the bounds (0 at a bound), as in PyTorch.
HARDTANH = Rule("hardtanh", "hardtanh", "clip({0}, {min_val}, {max_val})",
                lambda m, x, min_val, max_val: m.clip(x, min_val, max_val),
                (lambda m, out, x, min_val, max_val: m.where(
                    (x > min_val) & (x < max_val), 1.0, 0.0),),
                ("1 if {min_val} < {0} < {max_val} else 0",),
                params=("min_val", "max_val"), defaults=(-1.0, 1.0))
RELU6 = Rule("relu6", "relu6", "clip({0}, 0, 6)", lambda m, x: m.clip(x, 0.0, 6.0),
             (lambda m, out, x: m.where((x > 0.0) & (x < 6.0), 1.0, 0.0),),
             ("1 if 0 < {0} < 6 else 0",))

# |a| with the sign of b; its gradient flows to a only (b gives a sign, flat almost everywhere).
COPYSIGN = Rule("copysign", "copysign", "copysign({0}, {1})", lambda m, a, b: m.copysign(a, b),
                (lambda m, out, a, b: m.where(a == 0, 0.0, m.div(out, a)),
                 lambda m, out, a, b: 0.0),
                ("{out}/{0} if {0} ≠ 0 else 0", "0"))
LOGADDEXP = Rule("logaddexp", "logaddexp", "log(exp({0}) + exp({1}))",
                 lambda m, a, b: m.logaddexp(a, b),
                 (lambda m, out, a, b: m.sigmoid(a - b), lambda m, out, a, b: m.sigmoid(b - a)),
                 ("σ({0} − {1})", "σ({1} − {0})"))
# a − b·floor(a/b), the sign of b (Python's %). floor(a/b) is Python's a // b, which is −1
# for −2 // inf, as in PyTorch.
REMAINDER = Rule("remainder", "mod", "{0} mod {1}", lambda m, a, b: m.remainder(a, b),
                 (lambda m, out, a, b: 1.0, lambda m, out, a, b: -m.floor_divide(a, b)),
                 ("1", "−floor({0}/{1})"))


#: The functions of one input by name: the methods of Value and Tensor, the expression
#: parser's functions, the curves of ``viz.plot_activations``.
FUNCTIONS: dict[str, Rule] = {rule.name: rule for rule in (
    EXP, LOG, SQRT, TANH, SIGMOID, RELU, LEAKY_RELU, ELU, SOFTPLUS, SIN, COS, ABS, CLIP,
    EXP2, EXPM1, LOG2, LOG10, LOG1P, RSQRT, RECIPROCAL, SQUARE, TAN, ERF, SIGN, FLOOR, CEIL,
    ROUND)}

#: The functions of one input that Tensor has and Value does not (the inverse and
#: hyperbolic functions, trunc, the activations of nn.functional), by name.
TENSOR_FUNCTIONS: dict[str, Rule] = {rule.name: rule for rule in (
    ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, TRUNC, CELU, SELU, SILU, GELU,
    GELU_TANH, MISH, SOFTSIGN, LOGSIGMOID, HARDSIGMOID, HARDSWISH, HARDTANH, RELU6)}

#: Every rule, for the tests that check each one against its formula and PyTorch.
RULES: tuple[Rule, ...] = (ADD, SUB, MUL, DIV, NEG, POW, POW_INPUT, MAXIMUM, MINIMUM, LERP,
                           COPYSIGN, LOGADDEXP, REMAINDER, *FUNCTIONS.values(),
                           *TENSOR_FUNCTIONS.values())
