"""derive(): the worked example by hand and exactly, fan-out, naming, wrt, rendering.

The numbers are worked out by hand in the comments; math.exp is the only calculator.
"""

import math

import pytest

from autograd import Value
from autograd.derivation import derive
from autograd.rules import FUNCTIONS

# z = 2·0.4 + 3·(-0.2) = 0.2,  y = σ(0.2),  f = (y − 1)²
Y = 1 / (1 + math.exp(-0.2))                  # 0.549834
DF_DY = 2 * (Y - 1)                           # -0.900332
DF_DZ = DF_DY * Y * (1 - Y)                   # σ' = σ(1 − σ): -0.222847


def test_exact_worked_example(worked_example):
    f, v = worked_example["f"], worked_example
    d = derive(f)
    assert Y == pytest.approx(0.549834, abs=1e-6)
    assert d.value("y") == pytest.approx(Y, rel=1e-12)
    assert d.value("f") == pytest.approx((Y - 1) ** 2, rel=1e-12)
    assert d.grad("y") == pytest.approx(DF_DY, rel=1e-12)
    assert d.grad("z") == pytest.approx(DF_DZ, rel=1e-12)
    assert d.grad(v["w1"]) == pytest.approx(DF_DZ * 2.0, rel=1e-12)   # ∂z/∂w1 = x1
    assert d.grad(v["w1"]) == pytest.approx(-0.445694, abs=1e-6)
    assert d.grad(v["x2"]) == pytest.approx(DF_DZ * -0.2, rel=1e-12)  # ∂z/∂x2 = w2
    assert d.grad(v["t"]) == pytest.approx(-DF_DY, rel=1e-12)         # ∂(y − t)/∂t = −1
    text = str(d)
    assert "exact" in text
    assert "-0.445694" in text and "0.549834" in text
    assert "σ(z)(1 − σ(z))" in text      # the local formula, with the names filled in


def test_hand_worked_example(worked_example):
    f, v = worked_example["f"], worked_example
    d = derive(f, decimals=4)
    # y = σ(0.2) = 0.549834 -> 0.5498;  f = (0.5498 − 1)² = 0.20268 -> 0.2027
    assert d.value("y") == 0.5498
    assert d.value("f") == 0.2027
    assert d.grad("y") == -0.9004          # 2·(0.5498 − 1)
    # ∂y/∂z = 0.5498·0.4502 = 0.24751996 (not rounded); -0.9004·0.24751996 = -0.22287
    assert d.grad("z") == -0.2229
    assert d.grad(v["w1"]) == -0.4458      # -0.2229·2
    assert d.grad(v["x1"]) == -0.0892      # -0.2229·0.4 = -0.08916
    assert d.grad(v["w2"]) == -0.6687      # -0.2229·3
    assert d.grad(v["x2"]) == 0.0446       # -0.2229·(-0.2) = 0.04458
    assert d.grad(v["t"]) == 0.9004
    text = str(d)
    assert "rounded to 4 decimals as by hand" in text
    # the local derivative is shown with 6 decimals, so the product printed is honest
    assert "∂f/∂y · ∂y/∂z = (-0.9004) · 0.24752 = -0.2229" in text
    assert "-0.4458" in text and "-0.445694" not in text


def test_hand_rounding_is_half_up_like_a_student():
    x = Value(0.125, label="x")
    # round(0.125, 2) is 0.12 in Python (ties to even); on paper it is 0.13
    assert derive(x * 1.0, decimals=2).value("x") == 0.13
    assert derive(x * 1.0, decimals=0).value("x") == 0.0


def test_fan_out_sums_one_term_per_use():
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    a, b = x * y, x + y
    a.label, b.label = "a", "b"
    f = a * b                                  # f = xy(x + y) = 30
    d = derive(f)
    step = next(s for s in d.steps if s.name == "x")
    assert sorted(t.child for t in step.terms) == ["a", "b"]
    assert d.grad(x) == 16.0                   # ∂f/∂x = b·y + a·1 = 5·2 + 6 = 16
    line = next(line for line in str(d).splitlines() if line.strip().startswith("∂f/∂x"))
    assert "∂f/∂a · ∂a/∂x" in line and "∂f/∂b · ∂b/∂x" in line and " + " in line
    assert line.endswith("= 16")


def test_a_node_used_twice_by_one_op():
    x = Value(3.0, label="x")
    d = derive(x * x)
    assert d.grad(x) == 6.0                    # the product rule: x + x
    assert "∂f/∂x = x + x = 3 + 3 = 6" in str(d)


def test_auto_names_avoid_labels_and_constants_show_as_numbers():
    x = Value(2.0, label="x")
    v1 = Value(1.0, label="v1")                # a user label that looks like an auto-name
    f = (2 * x + v1).tanh()
    d = derive(f)
    assert set(d.values) == {"x", "v1", "v2", "v3", "f"}   # the unlabelled root is f
    text = str(d)
    assert "2·x" in text                       # the constant 2 is written as its number
    assert "v2 + v1" in text
    assert d.grad(x) == pytest.approx(2 * (1 - math.tanh(5.0) ** 2))


def test_the_root_is_not_named_f_when_f_is_taken():
    f = Value(1.0, label="f")
    d = derive(f * 3)
    assert d.output == "v1" and d.grad(f) == 3.0


def test_two_nodes_with_one_label_get_primes():
    a, b = Value(1.0, label="h"), Value(2.0, label="h")
    d = derive(a * b)
    assert set(d.values) == {"h", "h'", "f"}
    assert d.grad(a) == 2.0 and d.grad(b) == 1.0


def test_wrt_keeps_only_the_paths_from_that_input(worked_example):
    f, v = worked_example["f"], worked_example
    for wrt in ("w1", v["w1"]):
        d = derive(f, decimals=4, wrt=wrt)
        shown = [step.name for step in d.steps]
        assert shown[0] == "f" and shown[-1] == "w1"
        assert {"y", "z"} <= set(shown)
        assert not {"x1", "x2", "w2", "t"} & set(shown)
        text = str(d)
        assert "with respect to w1" in text and "∂f/∂w1 = -0.4458" in text
        assert "∂f/∂x2" not in text


def test_wrt_errors(worked_example):
    f = worked_example["f"]
    with pytest.raises(ValueError, match="w3"):
        derive(f, wrt="w3")
    with pytest.raises(ValueError, match="not part of the graph"):
        derive(f, wrt=Value(1.0, label="elsewhere"))


def test_markdown_with_latex(worked_example):
    f = worked_example["f"]
    md = derive(f, decimals=4)._repr_markdown_()
    assert "| node | expression | with numbers | value |" in md
    assert r"\frac{\partial f}{\partial w_{1}}" in md
    assert r"\sigma" in md and "$$" in md
    assert "-0.4458" in md and "0.5498" in md
    assert "-0.445694" in derive(f)._repr_markdown_()


def test_derive_reads_the_graph_and_changes_nothing(worked_example):
    f, v = worked_example["f"], worked_example
    derive(f, decimals=4)
    assert all(node.grad == 0.0 for node in v.values())
    f.backward()                               # and the engine agrees with the exact mode
    exact = derive(f)
    for name, node in v.items():
        assert exact.grad(node) == pytest.approx(node.grad, rel=1e-12), name


# Each function's derivative at x = 0.7, by hand (defaults: leaky_relu's slope 0.01 and
# elu's alpha 1 matter only below 0; clip without bounds lets everything through).
SIGMOID_07 = 1 / (1 + math.exp(-0.7))
DERIVATIVE_AT_07 = {
    "abs": 1.0, "clip": 1.0, "elu": 1.0, "leaky_relu": 1.0, "relu": 1.0,
    "cos": -math.sin(0.7), "sin": math.cos(0.7), "exp": math.exp(0.7), "log": 1 / 0.7,
    "sqrt": 1 / (2 * math.sqrt(0.7)), "tanh": 1 - math.tanh(0.7) ** 2,
    "sigmoid": SIGMOID_07 * (1 - SIGMOID_07), "softplus": SIGMOID_07,
    "tan": 1 + math.tan(0.7) ** 2, "erf": 2 / math.sqrt(math.pi) * math.exp(-0.49),
    "exp2": 2 ** 0.7 * math.log(2), "expm1": math.exp(0.7), "log2": 1 / (0.7 * math.log(2)),
    "log10": 1 / (0.7 * math.log(10)), "log1p": 1 / 1.7, "reciprocal": -1 / 0.49,
    "rsqrt": -1 / (2 * 0.7 * math.sqrt(0.7)), "square": 1.4,
    "sign": 0.0, "floor": 0.0, "ceil": 0.0, "round": 0.0,  # steps: flat where defined
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_against_finite_differences(name):
    def function(x):
        return getattr(x, name)()

    x0, h = 0.7, 1e-6
    x = Value(x0, label="x")
    d = derive(function(x) * 1.5)
    slope = (function(Value(x0 + h)).data - function(Value(x0 - h)).data) / (2 * h)
    assert d.grad(x) == pytest.approx(1.5 * slope, rel=1e-6, abs=1e-9)
    # the chain-rule step as written out: 6 significant digits, a negative factor in brackets
    assert name in DERIVATIVE_AT_07, f"work out {name}'s derivative at 0.7 by hand"
    local = DERIVATIVE_AT_07[name]
    factor = f"{local:.6g}" if local >= 0 else f"({local:.6g})"
    lines = [line.strip() for line in str(d).splitlines()]
    assert f"∂f/∂x  = ∂f/∂v1 · ∂v1/∂x = 1.5 · {factor} = {1.5 * local:.6g}" in lines
    # the local formula, written with x (a step's is the constant 0)
    assert any(line.startswith("where ∂v1/∂x = ") and ("x" in line[15:] or line[15:] == "0")
               for line in lines)
    assert rf"Result: $\frac{{\partial f}}{{\partial x}} = {1.5 * local:.6g}$" in \
        d._repr_markdown_()


def test_binary_ops_and_parameters_fill_their_templates():
    x, y = Value(2.0, label="x"), Value(0.5, label="y")
    f = (x / y - x ** y + y ** 3 - (-x)).leaky_relu(0.2).elu(0.5)
    d = derive(f, decimals=3)
    text, md = str(d), d._repr_markdown_()
    assert "v" in text and "x/y" in text and "x^y" in text and "y^3" in text
    assert "leaky_relu" in text and r"\operatorname{leaky\_relu}" in md


def test_latex_writes_function_names_upright():
    x = Value(0.5, label="x")
    md = derive(x.tanh())._repr_markdown_()
    assert r"1 - \tanh^{2}({x})" in md           # tanh², not the letters t·a·n·h


def test_a_long_chain_needs_no_recursion():
    x = Value(1.0, label="x")
    y = x
    for _ in range(3000):
        y = y * 1.0
    assert derive(y).grad(x) == 1.0


def test_bad_arguments(worked_example):
    f = worked_example["f"]
    with pytest.raises(ValueError, match="decimals"):
        derive(f, decimals=-1)
    with pytest.raises(TypeError, match="Value"):
        derive(2.0)
    with pytest.raises(KeyError, match="nope"):
        derive(f).grad("nope")
