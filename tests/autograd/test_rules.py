"""The rule table, checked rule by rule: the formula text against the number it claims,
and the same rule on a Value, on a Tensor and in PyTorch, at ordinary and at edge points.

Adding a rule to ``autograd.rules.RULES`` adds it to every test here; a new rule needs one
line in ``POINTS`` (where to evaluate it) and one in ``torch_ops`` (PyTorch's spelling).
"""

import math
import re

import numpy as np
import pytest

from autograd import Tensor, Value
from autograd.kernels import FLOATS
from autograd.ops.elementwise import functions
from autograd.rules import RULES, Rule

# Where each rule is evaluated: (inputs, parameters). Ordinary points, away from kinks.
POINTS = {
    "add": [((0.7, -1.3), ())],
    "sub": [((0.7, -1.3), ())],
    "mul": [((0.7, -1.3), ()), ((-2.0, 0.25), ())],
    "div": [((0.7, -1.3), ()), ((-2.0, 0.25), ())],
    "neg": [((0.7,), ())],
    "pow": [((1.7,), (2.0,)), ((0.6,), (3.0,)), ((2.5,), (-1.5,)), ((1.3, 2.2), ()),
            ((0.8, -0.7), ())],
    "exp": [((0.3,), ()), ((-1.2,), ())],
    "log": [((0.3,), ()), ((2.5,), ())],
    "sqrt": [((0.3,), ()), ((2.5,), ())],
    "tanh": [((0.3,), ()), ((-1.2,), ())],
    "sigmoid": [((0.3,), ()), ((-1.2,), ())],
    "relu": [((0.3,), ()), ((-1.2,), ())],
    "leaky_relu": [((0.3,), (0.1,)), ((-1.2,), (0.1,)), ((-0.5,), (0.3,))],
    "elu": [((0.3,), (1.0,)), ((-1.2,), (1.0,)), ((-0.5,), (0.3,))],
    "softplus": [((0.3,), ()), ((-1.2,), ())],
    "sin": [((0.3,), ()), ((-1.2,), ())],
    "cos": [((0.3,), ()), ((-1.2,), ())],
    "abs": [((0.3,), ()), ((-1.2,), ())],
    "clip": [((0.3,), (-1.0, 1.0)), ((-1.7,), (-1.0, 1.0)), ((2.5,), (-1.0, 1.0))],
    "exp2": [((0.3,), ()), ((-1.2,), ())],
    "expm1": [((0.3,), ()), ((-1.2,), ())],
    "log2": [((0.3,), ()), ((2.5,), ())],
    "log10": [((0.3,), ()), ((2.5,), ())],
    "log1p": [((0.3,), ()), ((-0.6,), ())],
    "rsqrt": [((0.3,), ()), ((2.5,), ())],
    "reciprocal": [((0.3,), ()), ((-1.2,), ())],
    "square": [((0.3,), ()), ((-1.2,), ())],
    "tan": [((0.3,), ()), ((-1.2,), ())],
    "erf": [((0.3,), ()), ((-1.2,), ()), ((4.5,), ())],
    "sign": [((0.3,), ()), ((-1.2,), ())],
    "floor": [((0.3,), ()), ((-1.2,), ())],
    "ceil": [((0.3,), ()), ((-1.2,), ())],
    "round": [((0.3,), (0,)), ((-1.27,), (1,)), ((1234.5,), (-2,))],
    # at a tie, max(a, b) moves at half speed either way: central differences give ½ too
    "maximum": [((0.7, -1.3), ()), ((-2.0, 0.25), ()), ((0.5, 0.5), ())],
    "minimum": [((0.7, -1.3), ()), ((-2.0, 0.25), ()), ((0.5, 0.5), ())],
    "lerp": [((0.7, -1.3, 0.25), ()), ((2.0, 0.5, 0.8), ()), ((1.0, 3.0, -1.5), ())],
    "copysign": [((0.7, -1.3), ()), ((-2.0, 0.25), ())],
    "logaddexp": [((0.7, -1.3), ()), ((-2.0, 0.25), ())],
    "remainder": [((0.7, -1.3), ()), ((-2.0, 0.75), ()), ((5.5, 2.0), ())],
    "asin": [((0.3,), ()), ((-0.8,), ())],
    "acos": [((0.3,), ()), ((-0.8,), ())],
    "atan": [((0.3,), ()), ((-1.2,), ())],
    "sinh": [((0.3,), ()), ((-1.2,), ())],
    "cosh": [((0.3,), ()), ((-1.2,), ())],
    "asinh": [((0.3,), ()), ((-1.2,), ())],
    "acosh": [((1.3,), ()), ((2.5,), ())],
    "atanh": [((0.3,), ()), ((-0.8,), ())],
    "trunc": [((0.3,), ()), ((-1.2,), ())],
    "celu": [((0.3,), (1.0,)), ((-1.2,), (1.0,)), ((-0.5,), (2.0,))],
    "selu": [((0.3,), ()), ((-1.2,), ())],
    "silu": [((0.3,), ()), ((-1.2,), ())],
    "gelu": [((0.3,), ()), ((-1.2,), ())],
    "gelu_tanh": [((0.3,), ()), ((-1.2,), ())],
    "mish": [((0.3,), ()), ((-1.2,), ())],
    "softsign": [((0.3,), ()), ((-1.2,), ())],
    "logsigmoid": [((0.3,), ()), ((-1.2,), ())],
    "hardsigmoid": [((0.3,), ()), ((-1.2,), ()), ((4.0,), ())],
    "hardswish": [((0.3,), ()), ((-1.2,), ()), ((4.0,), ()), ((-4.0,), ())],
    "hardtanh": [((0.3,), (-1.0, 1.0)), ((-1.7,), (-1.0, 1.0)), ((2.5,), (-2.0, 2.0))],
    "relu6": [((0.3,), ()), ((-1.2,), ()), ((7.5,), ())],
}


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# What the formula text means, in Python: the symbols a learner reads, spelled out.
MEANING = {"sigmoid": sigmoid, "tanh": math.tanh, "exp": math.exp, "log": math.log,
           "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "abs": abs,
           "sign": lambda x: (x > 0) - (x < 0), "relu": lambda x: max(x, 0.0),
           "softplus": lambda x: math.log1p(math.exp(x)),
           "leaky_relu": lambda x, a: x if x > 0 else a * x,
           "elu": lambda x, a: x if x > 0 else a * (math.exp(x) - 1),
           "clip": lambda x, lo, hi: min(max(x, lo), hi), "max": max, "min": min,
           "log2": math.log2, "log10": math.log10, "tan": math.tan, "erf": math.erf,
           "floor": math.floor, "ceil": math.ceil, "round": round, "π": math.pi,
           "copysign": math.copysign, "asin": math.asin, "acos": math.acos, "atan": math.atan,
           "sinh": math.sinh, "cosh": math.cosh, "asinh": math.asinh, "acosh": math.acosh,
           "atanh": math.atanh, "trunc": math.trunc,
           "celu": lambda x, a: x if x > 0 else a * (math.exp(x / a) - 1),
           # selu's constants; Φ and φ: the standard normal distribution and density
           "λ": 1.0507009873554804934193349852946, "α": 1.6732632423543772848170429916717,
           "Φ": lambda x: (1 + math.erf(x / math.sqrt(2))) / 2,
           "φ": lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi),
           "k": math.sqrt(2 / math.pi), "c": 0.044715}


def as_python(text: str, rule: Rule) -> str:
    """A formula or expression of the rule table as a Python expression."""
    text = re.sub(r"\{(\w+)-1\}", r"({\1} - 1)", text)              # {c-1}
    text = re.sub(r"\{(\d+)\}", r"a\1", text)                        # {0} -> a0
    text = re.sub(r"\{(\w+)\}", r"\1", text)                         # {alpha} -> alpha
    text = re.sub(r"\|(\w+)\|", r"abs(\1)", text)                    # |a0|
    text = re.sub(r"√(\w+)", r"sqrt(\1)", text).replace("√(", "sqrt(")  # √a0, √(1 − a0²)
    text = re.sub(r"(\d)sqrt", r"\1*sqrt", text)                      # 2√a0
    text = re.sub(r"ln (\w+)", r"log(\1)", text)                     # ln a0
    text = re.sub(r"(\w+)²\((\w+)\)", r"\1(\2)**2", text)            # tanh²(a0)
    text = text.replace("log σ(", "log(σ(") + ")" * text.startswith("log σ(")  # log σ(a0)
    text = text.replace("σ(", "sigmoid(")
    text = text.replace("²", "**2").replace("³", "**3").replace("^", "**").replace("·", "*")
    text = text.replace("−", "-").replace(" mod ", " % ").replace("≠", "!=")
    text = text.replace(")(", ")*(").replace("≤", "<=").replace(" = ", " == ")
    return text


def evaluate(text: str, rule: Rule, inputs, params, out=None) -> float:
    names = {f"a{i}": x for i, x in enumerate(inputs)}
    names.update(zip(rule.params, params))
    names["out"] = out
    return eval(as_python(text, rule), {"__builtins__": {}, **MEANING}, names)  # noqa: S307


CASES = [(rule, inputs, params) for rule in RULES for inputs, params in POINTS[rule.name]
         if len(inputs) == rule.arity]
IDS = [f"{rule.name}{inputs}{params or ''}" for rule, inputs, params in CASES]


def test_every_rule_has_points_and_each_point_fits_one_rule():
    assert {rule.name for rule in RULES} == set(POINTS)
    for rule in RULES:
        assert len(rule.formulas) == len(rule.derivatives) == rule.arity
        assert len(rule.params) == len(rule.defaults) or not rule.defaults
        assert any(len(inputs) == rule.arity for inputs, _ in POINTS[rule.name]), rule


@pytest.mark.parametrize("rule, inputs, params", CASES, ids=IDS)
def test_the_expression_text_computes_the_forward_value(rule, inputs, params):
    out = rule.forward(FLOATS, *inputs, *params)
    assert evaluate(rule.expression, rule, inputs, params) == pytest.approx(out, rel=1e-12)


@pytest.mark.parametrize("rule, inputs, params", CASES, ids=IDS)
def test_each_formula_text_computes_its_derivative(rule, inputs, params):
    out = rule.forward(FLOATS, *inputs, *params)
    for i, (formula, derivative) in enumerate(zip(rule.formulas, rule.derivatives)):
        written = evaluate(formula, rule, inputs, params, out)
        computed = derivative(FLOATS, out, *inputs, *params)
        assert written == pytest.approx(computed, rel=1e-12), (formula, i)


@pytest.mark.parametrize("rule, inputs, params", CASES, ids=IDS)
def test_each_derivative_equals_central_differences(rule, inputs, params):
    eps = 1e-6
    out = rule.forward(FLOATS, *inputs, *params)
    for i, derivative in enumerate(rule.derivatives):
        up, down = list(inputs), list(inputs)
        up[i] += eps
        down[i] -= eps
        numeric = (rule.forward(FLOATS, *up, *params)
                   - rule.forward(FLOATS, *down, *params)) / (2 * eps)
        assert derivative(FLOATS, out, *inputs, *params) == pytest.approx(numeric, rel=1e-6,
                                                                          abs=1e-8)


def test_a_wrong_formula_text_fails():
    """The check above is not blind: a plausible slip in a formula is caught."""
    from autograd import rules
    slips = {rules.ELU: "1 if {0} > 0 else exp({0})", rules.DIV: "{0}/{1}²",
             rules.SOFTPLUS: "σ(−{0})", rules.SQRT: "1/√{0}", rules.POW: "{c}·{0}^{c}"}
    for rule, slip in slips.items():
        inputs, params = [p for p in POINTS[rule.name] if len(p[0]) == rule.arity][-1]
        out = rule.forward(FLOATS, *inputs, *params)
        index = rule.arity - 1
        claimed = rule.derivatives[index](FLOATS, out, *inputs, *params)
        assert evaluate(slip, rule, inputs, params, out) != pytest.approx(claimed, rel=1e-6)
    slip = "{1}·{0}^({1}−2)"  # the power rule's exponent, with an input exponent
    inputs = POINTS["pow"][-2][0]
    out = rules.POW_INPUT.forward(FLOATS, *inputs)
    claimed = rules.POW_INPUT.derivatives[0](FLOATS, out, *inputs)
    assert evaluate(slip, rules.POW_INPUT, inputs, ()) != pytest.approx(claimed, rel=1e-6)


# --- one rule, three engines: Value, Tensor and PyTorch agree, at the edges too -----------
EDGES = [-1000.0, -8.0, -1.0, -0.0, 0.0, 0.5, 1.0, 400.0, math.inf, -math.inf, math.nan]
PAIRS = [(a, b) for a in (-2.0, -0.0, 0.0, 0.5, 3.0, math.inf, math.nan)
         for b in (-1.5, -0.0, 0.0, 0.5, 2.0, math.inf)]
TRIPLES = [(a, b, w) for a in (-2.0, 0.0, math.inf) for b in (0.5, -math.inf, math.nan)
           for w in (-0.7, 0.0, 0.25, 0.5, 1.0, 3.0, math.inf)]


def torch_ops(torch):
    F = torch.nn.functional
    return {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
            "neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
            "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
            "leaky_relu": F.leaky_relu, "elu": F.elu, "softplus": F.softplus,
            "sin": torch.sin, "cos": torch.cos, "abs": torch.abs, "clip": torch.clamp,
            "pow": torch.pow, "exp2": torch.exp2, "expm1": torch.expm1, "log2": torch.log2,
            "log10": torch.log10, "log1p": torch.log1p, "rsqrt": torch.rsqrt,
            "reciprocal": torch.reciprocal, "square": torch.square, "tan": torch.tan,
            "erf": torch.erf, "sign": torch.sign, "floor": torch.floor, "ceil": torch.ceil,
            "round": lambda x, decimals: torch.round(x, decimals=decimals),
            "maximum": torch.maximum, "minimum": torch.minimum, "lerp": torch.lerp,
            "copysign": torch.copysign, "logaddexp": torch.logaddexp,
            "remainder": torch.remainder, "asin": torch.asin, "acos": torch.acos,
            "atan": torch.atan, "sinh": torch.sinh, "cosh": torch.cosh, "asinh": torch.asinh,
            "acosh": torch.acosh, "atanh": torch.atanh, "trunc": torch.trunc, "celu": F.celu,
            "selu": F.selu, "silu": F.silu, "gelu": F.gelu,
            "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"), "mish": F.mish,
            "softsign": F.softsign, "logsigmoid": F.logsigmoid, "hardsigmoid": F.hardsigmoid,
            "hardswish": F.hardswish, "hardtanh": F.hardtanh, "relu6": F.relu6}


def ours(rule: Rule, nodes, params):
    """Apply a rule through the public API of Value or Tensor (whichever ``nodes`` are)."""
    a = nodes[0]
    operators = {"add": lambda: a + nodes[1], "sub": lambda: a - nodes[1],
                 "mul": lambda: a * nodes[1], "div": lambda: a / nodes[1], "neg": lambda: -a,
                 "pow": lambda: a ** (nodes[1] if len(nodes) == 2 else params[0])}
    if rule.name in operators:
        return operators[rule.name]()
    if not hasattr(a, rule.name):  # an activation of nn.functional: its op, called directly
        return functions[rule.name](*nodes, **dict(zip(rule.params, params)))
    return getattr(a, rule.name)(*nodes[1:], *params)


class Floats:
    """A rule applied to Python floats directly: what a Value of that op would compute, for
    the rule of three inputs (lerp), which Value's ops, of one or two parents, do not take,
    and for the rules that only Tensor has (asin, the activations, ...)."""

    def __init__(self, rule: Rule, inputs, params):
        self.data = rule.forward(FLOATS, *inputs, *params)
        self.grads = [d(FLOATS, self.data, *inputs, *params) for d in rule.derivatives]


def edge_cases():
    for rule in RULES:
        params = POINTS[rule.name][0][1]
        if rule.arity == 3:
            yield from ((rule, triple, ()) for triple in TRIPLES)
        elif rule.arity == 2:
            yield from ((rule, pair, ()) for pair in PAIRS)
        else:
            params = (2.0,) if rule.name == "pow" else params
            yield from ((rule, (x,), params) for x in EDGES)


EDGE_CASES = list(edge_cases())


def same(a, b, rel: float = 1e-9) -> bool:
    # 1e-9: 1 − tanh²(x) near |x| = 8 loses digits to cancellation, in either library
    return (math.isnan(a) and math.isnan(b)) or a == b or math.isclose(a, b, rel_tol=rel)


#: PyTorch's hardsigmoid slope is 1/6 rounded to float32, in float64 too.
REL = {"hardsigmoid": 1e-7}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.name}/{r.arity}")
def test_value_and_tensor_agree_with_pytorch_at_the_edges(rule):
    torch = pytest.importorskip("torch")
    theirs = torch_ops(torch)[rule.name]
    for _, inputs, params in (c for c in EDGE_CASES if c[0] is rule):
        values = [Value(x) for x in inputs]
        tensors = [Tensor(np.array(x), requires_grad=True) for x in inputs]
        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
        t_out = ours(rule, tensors, params)
        with np.errstate(all="ignore"):
            t_out.backward()
            if rule.arity == 3 or not hasattr(Value, rule.name):
                v_out = Floats(rule, inputs, params)
            else:
                v_out = ours(rule, values, params)
                v_out.backward()
        v_grads = v_out.grads if isinstance(v_out, Floats) else [v.grad for v in values]
        if rule.name == "pow" and len(inputs) == 1:
            p_out = torch.pow(ts[0], params[0])
        else:
            p_out = theirs(*ts, *params)
        p_out.backward()
        where = (rule.name, inputs, params)
        assert same(v_out.data, p_out.item()) and same(t_out.item(), p_out.item()), where
        for v_grad, t, p in zip(v_grads, tensors, ts):
            if math.isnan(inputs[0]) and rule.name in ("relu", "elu", "leaky_relu", "clip", "celu",
                                                       "selu", "hardtanh", "relu6"):
                # PyTorch's slope at nan is whichever branch its kernel happens to take;
                # ours is the branch for "not > 0", the same for Value and Tensor.
                assert same(v_grad, t.grad.item()), where
                continue
            rel = REL.get(rule.name, 1e-9)
            assert same(v_grad, p.grad.item(), rel), (where, v_grad, p.grad.item())
            assert same(t.grad.item(), p.grad.item(), rel), (where, t.grad, p.grad.item())
