"""Value: every op's value and gradient, against the math module and finite differences.

Expected numbers are worked out in the test with ``math`` (an independent source), never
taken from chainrule itself.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from autograd.gradcheck import gradcheck


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# --- the worked example of the homework --------------------------------------------------

def test_worked_example_by_hand():
    x1, x2, w1, w2, t = Value(2.0), Value(3.0), Value(0.4), Value(-0.2), Value(1.0)
    y = (x1 * w1 + x2 * w2).sigmoid()
    f = (y - t) ** 2
    f.backward()

    # By hand: z = x1·w1 + x2·w2, y = σ(z), f = (y − t)², so
    # ∂f/∂w1 = 2(y − t) · σ(z)(1 − σ(z)) · x1, and the same with x2 for w2.
    z = 2.0 * 0.4 + 3.0 * -0.2
    s = sigmoid(z)
    df_dz = 2 * (s - 1.0) * s * (1 - s)
    assert f.data == pytest.approx((s - 1.0) ** 2, rel=1e-12)
    assert w1.grad == pytest.approx(df_dz * 2.0, rel=1e-12)
    assert w2.grad == pytest.approx(df_dz * 3.0, rel=1e-12)
    assert x1.grad == pytest.approx(df_dz * 0.4, rel=1e-12)
    assert t.grad == pytest.approx(-2 * (s - 1.0), rel=1e-12)
    assert round(w1.grad, 6) == -0.445694


# --- value and derivative of every op, by hand --------------------------------------------

# (name, the op on a Value, the function with math, its derivative with math, points)
UNARY = [
    ("neg", lambda v: -v, lambda x: -x, lambda x: -1.0, [-1.5, 0.0, 2.0]),
    ("pow 2", lambda v: v ** 2, lambda x: x * x, lambda x: 2 * x, [-1.5, 0.0, 2.0]),
    ("pow 3 (int)", lambda v: v ** 3, lambda x: x * x * x, lambda x: 3 * x * x, [-1.5, 2.0]),
    ("pow -1", lambda v: v ** -1, lambda x: 1 / x, lambda x: -1 / x ** 2, [-1.5, 0.5]),
    ("pow 0.5", lambda v: v ** 0.5, math.sqrt, lambda x: 0.5 / math.sqrt(x), [0.25, 4.0]),
    ("pow 0", lambda v: v ** 0, lambda x: 1.0, lambda x: 0.0, [-2.0, 0.0, 3.0]),
    ("exp", lambda v: v.exp(), math.exp, math.exp, [-2.0, 0.0, 1.5]),
    ("log", lambda v: v.log(), math.log, lambda x: 1 / x, [0.1, 1.0, 7.0]),
    ("sqrt", lambda v: v.sqrt(), math.sqrt, lambda x: 1 / (2 * math.sqrt(x)), [0.01, 2.0]),
    ("tanh", lambda v: v.tanh(), math.tanh, lambda x: 1 - math.tanh(x) ** 2, [-2.0, 0.0, 0.7]),
    ("sigmoid", lambda v: v.sigmoid(), sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x)),
     [-3.0, 0.0, 0.2]),
    ("relu", lambda v: v.relu(), lambda x: max(x, 0.0), lambda x: float(x > 0),
     [-2.0, 0.0, 1.5]),
    ("leaky_relu", lambda v: v.leaky_relu(), lambda x: x if x > 0 else 0.01 * x,
     lambda x: 1.0 if x > 0 else 0.01, [-2.0, 1.5]),
    ("leaky_relu 0.2", lambda v: v.leaky_relu(0.2), lambda x: x if x > 0 else 0.2 * x,
     lambda x: 1.0 if x > 0 else 0.2, [-2.0, 1.5]),
    ("elu", lambda v: v.elu(), lambda x: x if x > 0 else math.exp(x) - 1,
     lambda x: 1.0 if x > 0 else math.exp(x), [-2.0, 1.5]),
    ("elu 0.5", lambda v: v.elu(alpha=0.5), lambda x: x if x > 0 else 0.5 * (math.exp(x) - 1),
     lambda x: 1.0 if x > 0 else 0.5 * math.exp(x), [-2.0, 1.5]),
    ("softplus", lambda v: v.softplus(), lambda x: math.log(1 + math.exp(x)), sigmoid,
     [-3.0, 0.0, 2.5]),
    ("sin", lambda v: v.sin(), math.sin, math.cos, [-1.0, 0.0, 2.0]),
    ("cos", lambda v: v.cos(), math.cos, lambda x: -math.sin(x), [-1.0, 0.0, 2.0]),
    ("abs", lambda v: v.abs(), abs, lambda x: math.copysign(1.0, x) if x else 0.0,
     [-1.5, 0.0, 2.0]),
    ("abs()", lambda v: abs(v), abs, lambda x: math.copysign(1.0, x), [-1.5, 2.0]),
    # Reflected ops: a plain number on the left.
    ("2 + x", lambda v: 2 + v, lambda x: 2 + x, lambda x: 1.0, [-1.5, 3.0]),
    ("2 - x", lambda v: 2 - v, lambda x: 2 - x, lambda x: -1.0, [-1.5, 3.0]),
    ("2 * x", lambda v: 2 * v, lambda x: 2 * x, lambda x: 2.0, [-1.5, 3.0]),
    ("2 / x", lambda v: 2 / v, lambda x: 2 / x, lambda x: -2 / x ** 2, [-1.5, 3.0]),
    ("2 ** x", lambda v: 2 ** v, lambda x: 2 ** x, lambda x: 2 ** x * math.log(2), [-1.5, 3.0]),
    # And a plain number on the right.
    ("x + 2", lambda v: v + 2, lambda x: x + 2, lambda x: 1.0, [-1.5, 3.0]),
    ("x - 2", lambda v: v - 2, lambda x: x - 2, lambda x: 1.0, [-1.5, 3.0]),
    ("x * 2", lambda v: v * 2, lambda x: x * 2, lambda x: 2.0, [-1.5, 3.0]),
    ("x / 2", lambda v: v / 2, lambda x: x / 2, lambda x: 0.5, [-1.5, 3.0]),
]


@pytest.mark.parametrize("name, op, f, df, points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_value_and_gradient(name, op, f, df, points):
    for point in points:
        x = Value(point)
        y = op(x)
        y.backward()
        assert y.data == pytest.approx(f(point), rel=1e-12, abs=1e-15), point
        assert x.grad == pytest.approx(df(point), rel=1e-12, abs=1e-15), point


# (name, the op on two Values, the function with math, (∂/∂x, ∂/∂y) with math, points)
BINARY = [
    ("x + y", lambda a, b: a + b, lambda x, y: x + y, lambda x, y: (1.0, 1.0)),
    ("x - y", lambda a, b: a - b, lambda x, y: x - y, lambda x, y: (1.0, -1.0)),
    ("x * y", lambda a, b: a * b, lambda x, y: x * y, lambda x, y: (y, x)),
    ("x / y", lambda a, b: a / b, lambda x, y: x / y, lambda x, y: (1 / y, -x / y ** 2)),
    ("x ** y", lambda a, b: a ** b, lambda x, y: x ** y,
     lambda x, y: (y * x ** (y - 1), x ** y * math.log(x))),
]


@pytest.mark.parametrize("name, op, f, df", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("point", [(1.5, -0.5), (0.3, 2.0), (4.0, 0.25)])
def test_binary_value_and_gradient(name, op, f, df, point):
    x, y = Value(point[0]), Value(point[1])
    out = op(x, y)
    out.backward()
    assert out.data == pytest.approx(f(*point), rel=1e-12)
    assert (x.grad, y.grad) == pytest.approx(df(*point), rel=1e-12)


def test_same_value_on_both_sides():
    x = Value(3.0)
    (x * x).backward()  # d(x²)/dx = 2x: both parents are x
    assert x.grad == 6.0
    x = Value(3.0)
    (x / x).backward()  # x/x = 1 everywhere: the two contributions cancel
    assert x.grad == pytest.approx(0.0, abs=1e-15)


# --- every op through gradcheck: one line per op --------------------------------------------

# (name, function, inputs): inputs away from kinks, where finite differences are meaningful.
CATALOGUE = [
    ("add", lambda x, y: x + y, (1.5, -0.7)),
    ("sub", lambda x, y: x - y, (1.5, -0.7)),
    ("mul", lambda x, y: x * y, (1.5, -0.7)),
    ("div", lambda x, y: x / y, (1.5, -0.7)),
    ("pow number", lambda x: x ** 3, (-1.3,)),
    ("pow fraction", lambda x: x ** -2.5, (0.8,)),
    ("pow Value", lambda x, y: x ** y, (1.7, -0.6)),
    ("neg", lambda x: -x, (1.5,)),
    ("radd", lambda x: 2 + x, (1.5,)),
    ("rsub", lambda x: 2 - x, (1.5,)),
    ("rmul", lambda x: 2 * x, (1.5,)),
    ("rtruediv", lambda x: 2 / x, (1.5,)),
    ("rpow", lambda x: 2 ** x, (1.5,)),
    ("exp", lambda x: x.exp(), (0.9,)),
    ("log", lambda x: x.log(), (0.4,)),
    ("sqrt", lambda x: x.sqrt(), (0.4,)),
    ("tanh", lambda x: x.tanh(), (-0.8,)),
    ("sigmoid", lambda x: x.sigmoid(), (-0.8,)),
    ("relu +", lambda x: x.relu(), (0.8,)),
    ("relu -", lambda x: x.relu(), (-0.8,)),
    ("leaky_relu", lambda x: x.leaky_relu(), (-0.8,)),
    ("leaky_relu alpha", lambda x: x.leaky_relu(0.3), (-0.8,)),
    ("elu", lambda x: x.elu(), (-0.8,)),
    ("elu alpha", lambda x: x.elu(2.0), (-0.8,)),
    ("softplus", lambda x: x.softplus(), (-0.8,)),
    ("sin", lambda x: x.sin(), (0.8,)),
    ("cos", lambda x: x.cos(), (0.8,)),
    ("abs", lambda x: x.abs(), (-0.8,)),
    ("worked example", lambda w1, w2: ((2 * w1 + 3 * w2).sigmoid() - 1) ** 2, (0.4, -0.2)),
    ("composite", lambda x, y: (x * y + y.exp()).tanh() / (1 + x ** 2).sqrt(), (0.3, -0.4)),
]


@pytest.mark.parametrize("name, fn, inputs", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_gradcheck_catalogue(name, fn, inputs):
    assert gradcheck(fn, *inputs)


# --- property tests: random inputs in each op's safe domain -----------------------------------

def finite(lo, hi):
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


# (op, strategy for x): the domain keeps away from kinks and singularities.
SAFE_DOMAIN = {
    "exp": finite(-5, 5),
    "log": finite(0.05, 20),
    "sqrt": finite(0.05, 20),
    "tanh": finite(-4, 4),
    "sigmoid": finite(-8, 8),
    "softplus": finite(-8, 8),
    "sin": finite(-6, 6),
    "cos": finite(-6, 6),
    "relu": finite(-5, 5).filter(lambda x: abs(x) > 1e-3),
    "leaky_relu": finite(-5, 5).filter(lambda x: abs(x) > 1e-3),
    "elu": finite(-5, 5).filter(lambda x: abs(x) > 1e-3),
    "abs": finite(-5, 5).filter(lambda x: abs(x) > 1e-3),
}


@pytest.mark.parametrize("op", sorted(SAFE_DOMAIN))
def test_unary_against_finite_differences(op):
    @settings(max_examples=40, deadline=None)
    @given(x=SAFE_DOMAIN[op])
    def check(x):
        assert gradcheck(lambda v: getattr(v, op)(), x)

    check()


@settings(max_examples=100, deadline=None)
@given(x=finite(-3, 3), y=finite(0.2, 3) | finite(-3, -0.2), c=finite(-2, 2))
def test_arithmetic_against_finite_differences(x, y, c):
    assert gradcheck(lambda a, b: a * b + c * a - b - c, x, y)
    assert gradcheck(lambda a, b: (a - c) / b + a ** 2 * b, x, y)
    assert gradcheck(lambda a, b: c / b - (c - a) * (-b), x, y)


@settings(max_examples=60, deadline=None)
@given(x=finite(0.1, 5), y=finite(-3, 3))
def test_pow_against_finite_differences(x, y):
    assert gradcheck(lambda a, b: a ** b, x, y)
    assert gradcheck(lambda a: a ** y, x)
    assert gradcheck(lambda b: x ** b, y)


# --- numerical safety: IEEE results, never an exception -----------------------------------

def forward_and_grad(op, x):
    v = Value(x)
    out = op(v)
    out.backward()
    return out.data, v.grad


@pytest.mark.parametrize("op, x, value, grad", [
    (lambda v: v.sigmoid(), -1000.0, 0.0, 0.0),
    (lambda v: v.sigmoid(), 1000.0, 1.0, 0.0),
    (lambda v: v.tanh(), 400.0, 1.0, 0.0),
    (lambda v: v.tanh(), -400.0, -1.0, 0.0),
    (lambda v: v.exp(), 1000.0, math.inf, math.inf),
    (lambda v: v.exp(), -1000.0, 0.0, 0.0),
    (lambda v: v.log(), 0.0, -math.inf, math.inf),
    (lambda v: v.softplus(), 1000.0, 1000.0, 1.0),
    (lambda v: v.softplus(), -1000.0, 0.0, 0.0),
    (lambda v: v.elu(), -1000.0, -1.0, 0.0),
    (lambda v: v.sqrt(), 0.0, 0.0, math.inf),
    (lambda v: v ** -1, 0.0, math.inf, -math.inf),
    (lambda v: v ** -1, -0.0, -math.inf, -math.inf),
    (lambda v: v ** -2, 0.0, math.inf, -math.inf),
    # C's pow and NumPy; PyTorch computes 1/√(−0) = −inf here.
    (lambda v: v ** -0.5, -0.0, math.inf, -math.inf),
    (lambda v: v ** 2, 1e200, math.inf, 2e200),
    (lambda v: v.log(), -1.0, math.nan, -1.0),  # 1/x is defined at −1, as in PyTorch
    (lambda v: v / 0, 0.0, math.nan, math.inf),
    (lambda v: v ** 3, -1e200, -math.inf, math.inf),
    (lambda v: v ** 0, 0.0, 1.0, 0.0),  # x**0 is the constant 1, as in PyTorch
    (lambda v: 2 ** v, 5000.0, math.inf, math.inf),
    (lambda v: 1 / v, 0.0, math.inf, -math.inf),
    (lambda v: -1 / v, 0.0, -math.inf, math.inf),
], ids=["sigmoid(-1000)", "sigmoid(1000)", "tanh(400)", "tanh(-400)", "exp(1000)",
        "exp(-1000)", "log(0)", "softplus(1000)", "softplus(-1000)", "elu(-1000)", "sqrt(0)",
        "0**-1", "(-0)**-1", "0**-2", "(-0)**-0.5", "(1e200)**2", "log(-1)", "0/0",
        "(-1e200)**3", "0**0", "2**5000", "1/0", "-1/0"])
def test_ieee_results_and_gradients(op, x, value, grad):
    data, g = forward_and_grad(op, x)
    if math.isnan(value):
        assert math.isnan(data)
    else:
        assert data == value
        assert math.copysign(1, data) == math.copysign(1, value)  # (−0)**−1 is −inf
    assert g == grad


@pytest.mark.parametrize("op, x", [
    (lambda v: v.sqrt(), -1.0),
    (lambda v: v ** 0.5, -8.0),
    (lambda v: v ** 2.5, -1e200),  # overflow with a negative base and a fraction: nan
    (lambda v: v.sin(), math.inf),
    (lambda v: v.cos(), -math.inf),
    (lambda v: v.exp(), math.nan),
    (lambda v: v.sigmoid(), math.nan),
], ids=["sqrt(-1)", "(-8)**0.5", "(-1e200)**2.5", "sin(inf)", "cos(-inf)", "exp(nan)",
        "sigmoid(nan)"])
def test_nan_results(op, x):
    data, g = forward_and_grad(op, x)
    assert math.isnan(data)
    assert math.isnan(g)


EDGES = [-1000.0, -8.0, -1.0, -0.0, 0.0, 0.5, 1.0, 400.0, 1000.0, math.inf, -math.inf,
         math.nan]


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "softplus",
                                  "elu", "leaky_relu", "sin", "cos", "abs", "reciprocal",
                                  "square"])
def test_edges_agree_with_pytorch(name):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    ours = {"reciprocal": lambda v: 1 / v, "square": lambda v: v ** 2,
            }.get(name, lambda v: getattr(v, name)())
    theirs = {"relu": F.relu, "softplus": F.softplus, "elu": F.elu, "leaky_relu": F.leaky_relu,
              "square": lambda t: t ** 2, "reciprocal": lambda t: 1 / t,
              }.get(name, lambda t: getattr(t, name)())
    for x in EDGES:
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out = theirs(t)
        out.backward()
        data, grad = forward_and_grad(ours, x)
        assert data == pytest.approx(out.item(), rel=1e-12, nan_ok=True), (name, x)
        if math.isnan(x) and name in ("relu", "elu"):
            continue  # PyTorch's slope at nan is whichever branch its kernel happens to take
        assert grad == pytest.approx(t.grad.item(), rel=1e-12, nan_ok=True), (name, x)


def test_relu_does_not_hide_a_nan():
    assert math.isnan(Value(math.nan).relu().data)  # as np.maximum(nan, 0) and PyTorch


def test_division_by_zero_follows_ieee():
    x, zero = Value(1.0), Value(0.0)
    out = x / zero
    out.backward()
    assert (out.data, x.grad, zero.grad) == (math.inf, math.inf, -math.inf)
    assert (Value(-1.0) / 0).data == -math.inf
    assert (Value(1.0) / -0.0).data == -math.inf
    assert math.isnan((Value(0.0) / 0).data)


# --- construction and display ----------------------------------------------------------

def test_repr_shows_label_data_and_grad():
    x = Value(2.0, label="x1")
    assert repr(x) == "Value('x1', data=2, grad=0)"
    y = x * 1.5
    y.backward()
    assert repr(y) == "Value(data=3, grad=1)"
    assert repr(x) == "Value('x1', data=2, grad=1.5)"
    assert repr(Value(1 / 3)) == "Value(data=0.333333, grad=0)"


def test_construction():
    x = Value(3)
    assert isinstance(x.data, float) and x.data == 3.0 and x.grad == 0.0
    assert x.is_leaf and x.op is None and x.parents == ()
    assert float(x * 2) == 6.0
    y = x + 1
    assert not y.is_leaf and y.op.name == "+" and y.parents[0] is x
    assert y.parents[1].data == 1.0  # a plain number becomes a constant leaf
    with pytest.raises(TypeError, match="already a Value"):
        Value(x)


def test_op_names_and_constants_are_recorded():
    x = Value(-2.0)
    assert x.leaky_relu(0.2).ctx == (0.2,)
    assert x.elu(0.5).op.name == "elu"
    assert (x ** 3).ctx == (3.0,) and len((x ** 3).parents) == 1
    assert len((x ** Value(3.0)).parents) == 2
    assert (2 ** x).parents[1] is x  # base first, exponent second
