"""parse(): values and gradients against hand calculations, every refusal, and a fuzz test."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value
from autograd.derivation import derive
from autograd.parser import parse


def test_worked_example():
    f, v = parse("(sigmoid(x1*w1 + x2*w2) - t)**2", x1=2, x2=3, w1=0.4, w2=-0.2, t=1)
    assert list(v) == ["x1", "w1", "x2", "w2", "t"]     # in the order they are written
    assert all(v[name].label == name for name in v)
    y = 1 / (1 + math.exp(-0.2))                         # z = 0.8 − 0.6 = 0.2
    assert f.data == pytest.approx((y - 1) ** 2, rel=1e-12)
    f.backward()
    # ∂f/∂w1 = 2(y − 1) · y(1 − y) · x1
    assert v["w1"].grad == pytest.approx(2 * (y - 1) * y * (1 - y) * 2, rel=1e-12)
    assert v["w1"].grad == pytest.approx(-0.445694, abs=1e-6)
    assert v["t"].grad == pytest.approx(-2 * (y - 1), rel=1e-12)


@pytest.mark.parametrize("expr, values, data, grads", [
    # a variable used three times is one leaf: d(x·x + x)/dx = 2x + 1
    ("x*x + x", {"x": 3}, 12.0, {"x": 7.0}),
    # Python's precedence: ** before unary minus before * before +
    ("2 + 3 * x ** 2", {"x": 2}, 14.0, {"x": 12.0}),
    ("-x**2", {"x": 3}, -9.0, {"x": -6.0}),
    ("x ** -1", {"x": 4}, 0.25, {"x": -1 / 16}),
    ("2 ** x", {"x": 3}, 8.0, {"x": 8 * math.log(2)}),
    ("x / y - 1", {"x": 3, "y": 2}, 0.5, {"x": 0.5, "y": -0.75}),       # −x/y²
    ("+x - -y", {"x": 1, "y": 2}, 3.0, {"x": 1.0, "y": 1.0}),
    ("sqrt(x) * exp(0)", {"x": 4}, 2.0, {"x": 0.25}),                    # 1/(2√x)
    ("leaky_relu(x, 0.1)", {"x": -2}, -0.2, {"x": 0.1}),
    ("leaky_relu(x)", {"x": -2}, -0.02, {"x": 0.01}),                    # default alpha
    ("elu(x, +0.5)", {"x": -1}, 0.5 * (math.exp(-1) - 1), {"x": 0.5 * math.exp(-1)}),
    ("abs(x) + relu(x) + tanh(0*x)", {"x": -3}, 3.0, {"x": -1.0}),
    ("log(x) + sin(x) + cos(x)", {"x": 1}, math.sin(1) + math.cos(1),
     {"x": 1 + math.cos(1) - math.sin(1)}),
    ("softplus(x)", {"x": 0}, math.log(2), {"x": 0.5}),
    ("  x  ", {"x": 5}, 5.0, {"x": 1.0}),
])
def test_values_and_gradients(expr, values, data, grads):
    f, variables = parse(expr, **values)
    assert f.data == pytest.approx(data, rel=1e-12)
    f.backward()
    for name, grad in grads.items():
        assert variables[name].grad == pytest.approx(grad, rel=1e-12), name


def test_numbers_alone_still_make_a_value():
    f, variables = parse("2 * 3 + 1")
    assert isinstance(f, Value) and f.data == 7.0 and variables == {}


def test_ieee_results_instead_of_python_exceptions():
    assert parse("10.0 ** 400")[0].data == math.inf     # float ** float would overflow
    assert parse("x / 0", x=1)[0].data == math.inf
    assert math.isnan(parse("sqrt(0 - 1)")[0].data)


def test_intermediates_are_unlabelled_and_derive_names_them():
    f, _ = parse("sigmoid(x * w)", x=2, w=0.4)
    assert f.label == "" and f.parents[0].label == ""
    d = derive(f, decimals=4)
    # v1 = x·w = 0.8; ∂f/∂v1 = σ(0.8)(1 − σ(0.8)) = 0.6900 · 0.3100 = 0.2139; ·x = 0.4278
    assert set(d.values) == {"x", "w", "v1", "f"}
    assert d.grad("w") == 0.4278


REFUSALS = [
    # (expression, the piece the message must name, its column)
    ("x.real", "'x.real'", 1),
    ("1 + x[0]", "'x[0]'", 5),
    ("lambda: 0", "lambda", 1),
    ("x < 1", "'x < 1'", 1),
    ("x + 'a'", "\"'a'\"", 5),
    ("leaky_relu(x, alpha=0.1)", "'alpha=0.1'", 15),
    ("sigmoid(x, alpha=0.1)", "'alpha=0.1'", 12),
    ("foo(x)", "'foo'", 1),
    ("__import__('os').system('ls')", "__import__", 1),
    ("x % 2", "%", 1),
    ("x ^ 2", "**", 1),                       # the hint: for a power write **
    ("x if x else 1", "if/else", 1),
    ("[x]", "'[x]'", 1),
    ("x, x", "'x, x'", 1),
    ("True + x", "'True'", 1),
    ("1j * x", "'1j'", 1),
    ("(x := 1)", "'x := 1'", 2),
    ("x + y", "y", 5),                        # no value for y
    ("exp + x", "exp", 1),                    # a function used as a variable
    ("sigmoid(x, 2)", "sigmoid()", 1),
    ("leaky_relu(x, x)", "'x'", 15),          # alpha must be a number
    ("leaky_relu(x, 0.1, 2)", "leaky_relu()", 1),
    ("x +", "the end", 4),
    ("x + )", "')'", 5),
    ("(x", "'('", 1),
    ("x\n+ 1", "'\\n'", 2),
    ("x\x00", "'\\x00'", 2),
    ("   x.a", "'x.a'", 4),                   # and the leading spaces
    ("1" * 400 + " + x", "111", 1),
    ("(" * 101 + "x" + ")" * 101, "'('", 101),
    ("sigmoid(" * 101 + "x" + ")" * 101, "'('", 808),
    ("-" * 101 + "x", "'-x'", 101),
    ("x" + "+x" * 100, "'x'", 3),             # a flat sum of 101 terms is 101 levels
    ("x" * 1001, "1,001", 1000),
]


@pytest.mark.parametrize("expr, piece, column", REFUSALS)
def test_refusals_name_the_piece_and_its_column(expr, piece, column):
    with pytest.raises(ValueError) as error:
        parse(expr, x=1.0)
    message = str(error.value)
    assert piece in message
    assert f"column {column}" in message


def test_columns_count_characters_not_bytes():
    with pytest.raises(ValueError, match="'x.a' at column 5"):
        parse("é + x.a", é=1.0, x=1.0)


@pytest.mark.parametrize("expr", ["", "   "])
def test_empty(expr):
    with pytest.raises(ValueError, match="empty"):
        parse(expr)


def test_values_must_match_the_variables():
    with pytest.raises(ValueError, match="value is given for y"):
        parse("x + 1", x=1, y=2)              # a typo is caught, not ignored
    with pytest.raises(ValueError, match="must be a number"):
        parse("x + 1", x="2")
    with pytest.raises(ValueError, match="must be a number"):
        parse("x + 1", x=True)


def test_the_expression_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(ValueError):
        parse(f"__import__('pathlib').Path({str(marker)!r}).touch()")
    assert not marker.exists()


TOKENS = ["x", "y", "1", "2.5", "1e3", "0", " ", "+", "-", "*", "/", "**", "(", ")", ",",
          "sigmoid(", "leaky_relu(", "elu(", "exp", "log(", "abs", ".", "[", "]", "'", "=",
          "<", "lambda", ":", "j", "_", "é", "0x1", "...", "%", "^", "\n", "not ", "if ",
          "alpha=", "1" * 40, "(" * 60, ")" * 60, "-" * 60, "x+" * 30]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=1200),
                 st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)))
def test_fuzz_only_value_errors(text):
    try:
        f, variables = parse(text, x=0.5, y=-2.0)
    except ValueError:
        return
    assert isinstance(f, Value) and set(variables) <= {"x", "y"}
    str(derive(f, decimals=4))                # whatever parses can be derived and printed
