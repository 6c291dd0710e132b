"""The operators' named forms, the ops of integer and bool tensors, the inverse and
hyperbolic functions, the activations, and the scans, sorts and shape ops, against PyTorch.

Each line of ``FLOAT_CASES`` is one call, written once for both libraries as
``fn(L, *inputs)``, with ``L`` the library (autograd's functions, or ``torch``). It runs in float64
and float32: the same values, shapes and dtypes, and the same gradient for every input;
then through ``gradcheck``. ``EXACT_CASES`` hold integer and bool inputs (or outputs): the
same values and dtypes, exactly.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import autograd
from autograd import Tensor
from autograd.gradcheck import gradcheck
from autograd.ops import elementwise, indexing, logical, reductions, shaping
from autograd.ops.elementwise import functions
from autograd.ops.shaping import cat

#: autograd's functions under PyTorch's names: the ops modules' and the factories.
ours = SimpleNamespace(**{name: getattr(module, name) for module in (
    elementwise, indexing, logical, reductions, shaping) for name in module.__all__},
    **{name: getattr(autograd, name) for name in ("tensor", "linspace", "int32", "int64")})

torch = pytest.importorskip("torch")

# (name, fn, input arrays): inputs drawn where each op is smooth and has no ties.
RNG = np.random.default_rng(0)
X, Y = RNG.uniform(-2, 2, (2, 3)), RNG.uniform(-2, 2, (2, 3))
POSITIVE = RNG.uniform(0.5, 2.0, (2, 3))
UNIT = RNG.uniform(-0.9, 0.9, (2, 3))
ABOVE_ONE = RNG.uniform(1.2, 3.0, (2, 3))
STEPS = RNG.integers(-5, 5, (2, 3)) + RNG.uniform(0.1, 0.4, (2, 3))
DISTINCT = RNG.permutation(12).reshape(3, 4) * 0.25 - 1.3
WIDE = np.array([[-5.0, -3.5, -2.0, -0.5], [0.5, 2.0, 3.5, 5.0]])  # hard* off their kinks

FLOAT_CASES = [
    ("add alpha", lambda L, x, y: (x.add(y, alpha=2), L.add(x, y, alpha=-0.5), L.add(x, 2)),
     (X, Y)),
    ("sub alpha", lambda L, x, y: (x.sub(y, alpha=3), L.sub(x, y), x.sub(1.5)), (X, Y)),
    ("mul", lambda L, x, y: (x.mul(y), L.mul(x, 3)), (X, Y)),
    ("div", lambda L, x, y: (x.div(y), L.div(x, y), L.true_divide(x, y)), (X, POSITIVE)),
    ("neg", lambda L, x: (x.neg(), L.neg(x)), (X,)),
    ("remainder", lambda L, x, y: (x % y, L.remainder(x, y), x.remainder(0.7)),
     (STEPS, POSITIVE)),
    ("where", lambda L, x, y: (L.where(x > 0, x, y), x.where(y > 0, 0.5)), (X, Y)),
    ("where broadcast", lambda L, x, y: L.where(x > 0, x[:1], y[:, :1]), (X, Y)),
    ("copysign", lambda L, x, y: (x.copysign(y), L.copysign(x, y[:1])), (X, Y)),
    ("logaddexp", lambda L, x, y: (x.logaddexp(y), L.logaddexp(x, y * 300)), (X, Y)),
    ("asin", lambda L, x: (x.asin(), L.asin(x), x.arcsin()), (UNIT,)),
    ("acos", lambda L, x: (x.acos(), L.acos(x)), (UNIT,)),
    ("atan", lambda L, x: (x.atan(), L.atan(x)), (X,)),
    ("sinh", lambda L, x: (x.sinh(), L.sinh(x)), (X,)),
    ("cosh", lambda L, x: (x.cosh(), L.cosh(x)), (X,)),
    ("asinh", lambda L, x: (x.asinh(), L.asinh(x)), (X,)),
    ("acosh", lambda L, x: (x.acosh(), L.acosh(x)), (ABOVE_ONE,)),
    ("atanh", lambda L, x: (x.atanh(), L.atanh(x)), (UNIT,)),
    ("trunc", lambda L, x: (x.trunc(), L.trunc(x), x.fix()), (STEPS,)),
    ("celu selu", lambda L, x: (L.celu(x), L.celu(x, alpha=2.0), L.selu(x)), (X,)),
    # scans, sorts and shapes
    ("std_mean var_mean", lambda L, x: (*L.std_mean(x), *L.var_mean(x, dim=1, keepdim=True),
                                        *L.std_mean(x, (0, 1), correction=0)), (DISTINCT,)),
    ("cumprod", lambda L, x: (x.cumprod(1), L.cumprod(x, dim=0), x[0].cumprod(0)), (X,)),
    ("cumprod with zeros", lambda L, x: x.cumprod(1), (np.array([[1.5, 0.0, 2.0, -1.0],
                                                                  [0.0, 2.0, 0.0, 3.0]]),)),
    ("cummax cummin", lambda L, x: (*x.cummax(1), *L.cummin(x, dim=0), *x[0].cummax(0)),
     (DISTINCT,)),
    ("logcumsumexp", lambda L, x: (x.logcumsumexp(1), L.logcumsumexp(x * 300, dim=0)), (X,)),
    ("argsort", lambda L, x: (x.argsort(), L.argsort(x, dim=0, descending=True),
                              x.argsort(dim=1, stable=True)), (DISTINCT,)),
    ("meshgrid", lambda L, x, y: (*L.meshgrid(x, y, indexing="ij"),
                                  *L.meshgrid([x, y[:2], x], indexing="xy")),
     (X[0], Y[1])),
    ("unfold", lambda L, x: (x.unfold(1, 2, 1), x.unfold(0, 2, 1), x.unfold(-1, 3, 2)),
     (DISTINCT,)),
    ("repeat_interleave", lambda L, x: (x.repeat_interleave(2), x.repeat_interleave(3, dim=1),
                                        L.repeat_interleave(x, L.tensor([1, 0, 2]), dim=0)),
     (DISTINCT,)),
    ("diagonal", lambda L, x: (x.diagonal(), x.diagonal(1), L.diagonal(x, -1),
                               x.reshape(1, 3, 4).diagonal(0, 1, 2)), (DISTINCT,)),
    ("diag", lambda L, x, y: (x.diag(), L.diag(y, 1), y.diag(-2), x.diag(-1)), (X, Y[0])),
    ("masked_select", lambda L, x: (x.masked_select(x > 0), L.masked_select(x, x[:1] > 0)),
     (X,)),
    ("scatter_reduce sum mean", lambda L, x, s: tuple(
        x.scatter_reduce(1, L.tensor([[0, 2, 0], [1, 1, 3], [2, 0, 2]]), s, r,
                         include_self=inc)
        for r in ("sum", "mean") for inc in (True, False)), (DISTINCT, DISTINCT[:, :3].copy())),
    ("scatter_reduce prod amax amin", lambda L, x, s: tuple(
        x.scatter_reduce(0, L.tensor([[0, 2, 0], [1, 1, 2]]), s, r, include_self=inc)
        for r in ("prod", "amax", "amin") for inc in (True, False)),
     (DISTINCT, DISTINCT[:2, :3] + 0.1)),
]


def _activation(rule: str, name: str, **params):
    """The op of an activation's rule, against PyTorch's ``nn.functional.<name>``."""
    def call(L, x):
        if L is torch:
            return getattr(torch.nn.functional, name)(x, **params)
        return functions[rule](x, **{k: v for k, v in params.items() if k != "approximate"})
    return call


for _rule, _name, _params, _x in [
        ("celu", "celu", {"alpha": 2.0}, X), ("selu", "selu", {}, X), ("silu", "silu", {}, X),
        ("gelu", "gelu", {}, X), ("gelu_tanh", "gelu", {"approximate": "tanh"}, X),
        ("mish", "mish", {}, X), ("softsign", "softsign", {}, X),
        ("logsigmoid", "logsigmoid", {}, X), ("hardsigmoid", "hardsigmoid", {}, WIDE),
        ("hardswish", "hardswish", {}, WIDE), ("relu6", "relu6", {}, WIDE * 2),
        ("hardtanh", "hardtanh", {"min_val": -1.0, "max_val": 1.0}, WIDE / 3)]:
    FLOAT_CASES.append((f"{_rule}{_params or ''}", _activation(_rule, _name, **_params), (_x,)))

FLOAT_IDS = [name for name, _, _ in FLOAT_CASES]
assert len(set(FLOAT_IDS)) == len(FLOAT_IDS), "case names must be unique"


def pieces(out) -> tuple:
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, fn, arrays", FLOAT_CASES, ids=FLOAT_IDS)
def test_values_dtypes_and_gradients_equal_pytorch(name, fn, arrays, dtype):
    arrays = [a.astype(dtype) for a in arrays]
    ours_in = [Tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = pieces(fn(ours, *ours_in)), pieces(fn(torch, *theirs_in))
    assert len(out) == len(expected)
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == "float64" else dict(rtol=2e-5, atol=1e-5)
    for piece, theirs in zip(out, expected):
        assert f"torch.{piece.dtype}" == str(theirs.dtype)
        np.testing.assert_allclose(piece.data, theirs.detach().numpy(), **tol)
    floats = [(p, t) for p, t in zip(out, expected) if p.dtype.kind == "f"]
    if not floats:  # indices only (argsort): nothing to differentiate
        return
    sum(p.sum() for p, _ in floats).backward()
    sum(t.sum() for _, t in floats).backward()
    if name == "hardsigmoid":  # PyTorch's slope is 1/6 rounded to float32, in float64 too
        tol = dict(rtol=1e-7, atol=1e-12)
    for x, t in zip(ours_in, theirs_in):
        expected_grad = t.grad.numpy() if t.grad is not None else np.zeros(t.shape, dtype)
        got = x.grad.data if x.grad is not None else np.zeros(x.shape, dtype)
        assert got.dtype == expected_grad.dtype
        np.testing.assert_allclose(got, expected_grad, **tol)


DIFFERENTIABLE = [c for c in FLOAT_CASES if c[0] != "argsort"]


@pytest.mark.parametrize("name, fn, arrays", DIFFERENTIABLE, ids=[c[0] for c in DIFFERENTIABLE])
def test_gradients_equal_central_differences(name, fn, arrays):
    def joined(*tensors):
        return cat([p.reshape(-1) for p in pieces(fn(ours, *tensors))
                    if p.dtype.kind == "f"])
    assert gradcheck(joined, *[Tensor(a, requires_grad=True) for a in arrays])


# --- integers and bools: exact values and dtypes ----------------------------------------

INTS = np.array([[1, -8, 1], [32, 1, 6]], dtype=np.int32)
A, B = np.array([-4, 7, 5, 4, -7, 8]), np.array([2, -3, 8, -2, 3, 5])
P, Q = np.array([True, True, False, False]), np.array([True, False, True, False])
SPECIAL = np.array([-np.inf, 0.0, np.inf, np.nan, 1.1])
EXACT_CASES = [
    ("int promotion", lambda L, a, b: (a * 0.5, 0.7 ** a, a ** 2, a / b, a + b, a * 2,
                                       a - 1.5, L.true_divide(a, b)), (A, B)),
    ("div rounding", lambda L, a, b: (L.div(a, b, rounding_mode="trunc"),
                                      a.div(b, rounding_mode="floor")), (A, B)),
    ("div rounding floats", lambda L, a, b: (a.div(b, rounding_mode="trunc"),
                                             L.div(a, b, rounding_mode="floor")),
     (A * 1.5, B * 1.0)),
    ("floor_divide", lambda L, a, b: (a // b, a // 2, 100 // b, L.floor_divide(a, b)), (A, B)),
    ("floor_divide floats", lambda L, a, b: (a // b, a // 2.5), (A * 1.5, B * 1.0)),
    ("remainder ints", lambda L, a, b: (a % b, a % 3, L.remainder(a, b)), (A, B)),
    ("comparisons", lambda L, a, b: (a.eq(b), L.ne(a, 4), a.gt(b), L.ge(a, b), a.lt(2),
                                     L.le(a, b)), (A, B)),
    ("logical", lambda L, p, q: (p.logical_and(q), L.logical_or(p, q), L.logical_xor(p, q),
                                 L.logical_not(p)), (P, Q)),
    ("logical of floats", lambda L, x: (L.logical_not(x), x.logical_and(x - 1.1)), (SPECIAL,)),
    ("bitwise ints", lambda L, x: (x & x, x & 0x1337, 0x1337 & x, x | 6, 6 | x, x ^ 5,
                                   5 ^ x, ~x, L.bitwise_not(x), x << 2, x >> 1,
                                   L.bitwise_left_shift(x, 1), x.bitwise_right_shift(2),
                                   L.bitwise_and(x, x), L.bitwise_xor(x, 3)), (INTS,)),
    ("bitwise bools", lambda L, p, q: (p & q, p | q, p ^ q, ~p, L.bitwise_or(p, q)), (P, Q)),
    ("tests of values", lambda L, x: (x.isnan(), L.isinf(x), L.isfinite(x)), (SPECIAL,)),
    ("isclose", lambda L, x, y: (x.isclose(y), L.isclose(x, y, equal_nan=True),
                                 x.isclose(y, rtol=0.5, atol=0.0)),
     (np.array([np.inf, np.nan, np.nan, 1e-7, 1.0]),
      np.array([np.inf, np.nan, 0.0, 0.0, 1.4]))),
    ("any all", lambda L, x: (x.any(), x.all(), L.any(x, dim=1), L.all(x, dim=0, keepdim=True),
                              x.any(axis=(0, 1)), x.gt(0).all(1)), (np.array([[0.0, 1], [0, 0]]),)),
    ("integer scans", lambda L, a: (a.cumprod(0), *a.cummax(0), a.argsort(),
                                    a.repeat_interleave(2)), (A,)),
    ("scatter_reduce ints", lambda L, a: tuple(
        a.scatter_reduce(0, L.tensor([0, 0, 1]), L.tensor([5, -3, 2]), r, include_self=inc)
        for r in ("sum", "prod", "mean", "amax", "amin") for inc in (True, False)), (A[:3],)),
    ("scatter reduce=", lambda L, x: (x.scatter(1, L.tensor([[0, 2], [1, 0], [2, 1]]), 2.0,
                                                reduce="multiply"),
                                      x.scatter(1, L.tensor([[0, 2], [1, 0], [2, 1]]), 2.0,
                                                reduce="add")), (DISTINCT,)),
    ("linspace int", lambda L: (L.linspace(5, -5, 20, dtype=L.int32),
                                L.linspace(0, 10, 7, dtype=L.int64)), ()),
]
EXACT_IDS = [name for name, _, _ in EXACT_CASES]


@pytest.mark.parametrize("name, fn, arrays", EXACT_CASES, ids=EXACT_IDS)
def test_integer_and_bool_results_equal_pytorchs_exactly(name, fn, arrays):
    ours_in = [ours.tensor(a) for a in arrays]
    theirs_in = [torch.tensor(a) for a in arrays]
    with np.errstate(all="ignore"):
        out = pieces(fn(ours, *ours_in))
    expected = pieces(fn(torch, *theirs_in))
    assert len(out) == len(expected)
    for i, (piece, theirs) in enumerate(zip(out, expected)):
        assert f"torch.{piece.dtype}" == str(theirs.dtype), i
        np.testing.assert_allclose(piece.data, theirs.numpy(), rtol=1e-6, err_msg=str(i))
        assert not piece.requires_grad


def test_allclose_is_a_python_bool():
    x = ours.tensor([1.0, 2.0])
    assert x.allclose(x + 1e-9) is True and ours.allclose(x, x + 1) is False


def test_bit_operations_refuse_floats_as_pytorch_does():
    with pytest.raises(TypeError):
        ours.tensor([1.0]) & ours.tensor([1.0])
    with pytest.raises((TypeError, RuntimeError)):
        torch.tensor([1.0]) & torch.tensor([1.0])


def test_div_refuses_an_unknown_rounding_mode():
    with pytest.raises(ValueError, match="rounding_mode"):
        ours.tensor([1.0]).div(2, rounding_mode="round")
