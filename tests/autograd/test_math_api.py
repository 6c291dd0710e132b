"""PyTorch's math and reduction API, from one catalogue checked against PyTorch.

Each line of ``CASES`` is one op on inputs of given shapes, written once for both
libraries: ``fn(L, *inputs)``, where ``L`` holds the library's functions (``L.exp``,
``L.einsum``, ...). Every case is then

* run in float64 and float32 in chainrule and in PyTorch: the same values, shapes and
  dtypes (indices included), and the same gradient for every input;
* run through ``gradcheck`` (central differences, float64).

A shape written ``T((2, 3))`` is an input held transposed in memory (not contiguous).
Inputs are drawn from a domain where the op is smooth and has no ties (``"distinct"``
for max, sort, ...); the conventions at ties, kinks, zeros and nan have tests of their
own below, also against PyTorch. Errors are checked the same way: one line per bad call,
which must raise the same type of exception in both libraries.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from autograd import Tensor, Value, derive
from autograd.gradcheck import gradcheck
from autograd.ops import elementwise, matmul, reductions, softmax
from autograd.ops.shaping import cat

MODULES = (elementwise, reductions, matmul, softmax)
NAMES = [name for module in MODULES for name in module.__all__]


def ours() -> SimpleNamespace:
    """chainrule's functions, and its way of making a constant tensor."""
    return SimpleNamespace(**{name: getattr(m, name) for m in MODULES for name in m.__all__},
                           const=lambda values: Tensor(np.array(values)))


def theirs(torch) -> SimpleNamespace:
    """PyTorch's functions under the same names."""
    return SimpleNamespace(**{name: getattr(torch, name) for name in NAMES},
                           const=lambda values: torch.tensor(values))


# --- the catalogue ------------------------------------------------------------------------

class T(tuple):
    """An input shape whose array is held transposed in memory (not C-contiguous)."""

    def __repr__(self) -> str:
        return f"T({tuple(self)})"


def draw(shape: tuple, domain: str, rng: np.random.Generator) -> np.ndarray:
    """float64 values of ``shape`` from a domain where the op is smooth."""
    size = math.prod(shape)
    if domain == "real":
        values = rng.standard_normal(size)
    elif domain == "positive":  # log, sqrt, a power's base
        values = rng.uniform(0.5, 2.0, size)
    elif domain == "nonzero":  # abs, sign, relu, reciprocal: |x| ≥ 0.2
        values = rng.choice([-1.0, 1.0], size) * rng.uniform(0.2, 2.0, size)
    elif domain == "distinct":  # max, sort, topk: no ties, gaps far larger than eps
        values = rng.permutation(size) * 0.25 - size * 0.1 + rng.uniform(0, 0.05, size)
    elif domain == "wide":  # erf over its three ranges of approximation
        values = rng.uniform(-6.0, 6.0, size)
    elif domain == "steps":  # floor, ceil, round: away from the jumps
        values = rng.integers(-5, 5, size) + rng.uniform(0.1, 0.4, size)
    elif domain == "clamp":  # clamp to [-0.5, 0.5]: every value ≥ 0.1 away from a bound
        values = rng.choice([-1.0, 0.0, 1.0], size) + rng.uniform(-0.4, 0.4, size)
    elif domain == "tan":  # away from tan's poles
        values = rng.uniform(-1.2, 1.2, size)
    else:
        raise ValueError(domain)
    values = values.reshape(shape[::-1] if isinstance(shape, T) else shape)
    return values.T if isinstance(shape, T) else values


@dataclass
class Case:
    name: str
    fn: Callable  # (L, *tensors) -> a tensor or a tuple of tensors
    shapes: tuple
    domains: tuple

    def inputs(self) -> list[np.ndarray]:
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))
        domains = self.domains or ("real",) * len(self.shapes)
        return [draw(shape, domain, rng) for shape, domain in zip(self.shapes, domains)]


CASES: list[Case] = []


def case(name, fn, *shapes, domains=()):
    CASES.append(Case(name, fn, shapes, tuple(domains)))


# Functions of one input, on a matrix, a transposed matrix, a 0-d and an empty tensor.
UNARY = [
    ("exp", lambda L, x: x.exp(), "real"), ("exp2", lambda L, x: x.exp2(), "real"),
    ("expm1", lambda L, x: x.expm1(), "real"), ("log", lambda L, x: x.log(), "positive"),
    ("log2", lambda L, x: x.log2(), "positive"), ("log10", lambda L, x: x.log10(), "positive"),
    ("log1p", lambda L, x: x.log1p(), "positive"), ("sqrt", lambda L, x: x.sqrt(), "positive"),
    ("rsqrt", lambda L, x: x.rsqrt(), "positive"), ("abs", lambda L, x: x.abs(), "nonzero"),
    ("sign", lambda L, x: x.sign(), "nonzero"), ("sin", lambda L, x: x.sin(), "real"),
    ("cos", lambda L, x: x.cos(), "real"), ("tan", lambda L, x: x.tan(), "tan"),
    ("tanh", lambda L, x: x.tanh(), "real"), ("sigmoid", lambda L, x: x.sigmoid(), "real"),
    ("relu", lambda L, x: x.relu(), "nonzero"), ("floor", lambda L, x: x.floor(), "steps"),
    ("ceil", lambda L, x: x.ceil(), "steps"), ("round", lambda L, x: x.round(), "steps"),
    ("round(decimals=1)", lambda L, x: x.round(decimals=1), "real"),
    ("round(decimals=-1)", lambda L, x: (x * 100).round(decimals=-1), "steps"),
    ("reciprocal", lambda L, x: x.reciprocal(), "nonzero"),
    ("square", lambda L, x: x.square(), "real"), ("erf", lambda L, x: x.erf(), "wide"),
    ("clamp", lambda L, x: x.clamp(-0.5, 0.5), "clamp"),
    ("clamp(min=)", lambda L, x: x.clamp(min=-0.5), "clamp"),
    ("clip(max=)", lambda L, x: x.clip(max=0.5), "clamp"),
    ("pow(2)", lambda L, x: x.pow(2), "real"), ("pow(-1.5)", lambda L, x: x.pow(-1.5), "positive"),
]
for name, fn, domain in UNARY:
    for shape in [(2, 3), T((2, 3)), (), (0, 3)]:
        case(f"{name} {shape}", fn, shape, domains=(domain,))
    function = name.split("(")[0]
    if function not in ("pow", "clamp", "clip", "round"):
        case(f"{function}(x) function", lambda L, x, f=function: getattr(L, f)(x), (2, 3),
             domains=(domain,))
case("clamp(min=tensor)", lambda L, x: x.clamp(min=L.const([-0.5, 0.0, 0.5])), (2, 3),
     domains=("clamp",))
case("clamp function", lambda L, x: L.clamp(x, max=0.5), (2, 3), domains=("clamp",))
case("clip function", lambda L, x: L.clip(x, -0.5, 0.5), (2, 3), domains=("clamp",))
case("round function", lambda L, x: L.round(x, decimals=2), (2, 3))
case("pow(x, y)", lambda L, x, y: L.pow(x, y), (2, 3), (3,), domains=("positive", "real"))
case("pow(2, x)", lambda L, x: L.pow(2, x), (2, 3))

# Functions of two and three inputs, broadcast.
BROADCAST = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)), (T((2, 3)), (3,)),
             ((0, 3), (3,))]
for a, b in BROADCAST:
    tag = f"{a}{b}"
    case(f"maximum {tag}", lambda L, x, y: x.maximum(y), a, b)
    case(f"minimum {tag}", lambda L, x, y: L.minimum(x, y), a, b)
    case(f"max(other) {tag}", lambda L, x, y: L.max(x, y), a, b)
    case(f"lerp tensor weight {tag}", lambda L, x, y, w: x.lerp(y, w), a, b, (3,),
         domains=("real", "real", "real"))
for weight in (0.25, 0.75, -0.5, 1.0):
    case(f"lerp weight {weight}", lambda L, x, y, w=weight: L.lerp(x, y, w), (2, 3), (2, 3))

# Reductions over every kind of dim, NumPy's spellings included.
DIMS = [None, 0, -1, (0, 2), (-1, 0), ()]
for dim in DIMS:
    for keep in (False, True):
        tag = f"dim={dim} keepdim={keep}"
        if dim is not None:
            case(f"sum {tag}", lambda L, x, d=dim, k=keep: x.sum(d, k), (2, 3, 4))
            case(f"mean {tag}", lambda L, x, d=dim, k=keep: x.mean(dim=d, keepdim=k), (2, 3, 4))
            case(f"amax {tag}", lambda L, x, d=dim, k=keep: x.amax(d, keepdim=k), (2, 3, 4),
                 domains=("distinct",))
            case(f"amin {tag}", lambda L, x, d=dim, k=keep: L.amin(x, d, k), (2, 3, 4),
                 domains=("distinct",))
        case(f"norm {tag}", lambda L, x, d=dim, k=keep: x.norm(dim=d, keepdim=k), (2, 3, 4))
        if dim == ():  # PyTorch's var, std and logsumexp stumble on dim=(): tested below
            continue
        case(f"var {tag}", lambda L, x, d=dim, k=keep: x.var(d, keepdim=k), (2, 3, 4))
        case(f"std {tag}", lambda L, x, d=dim, k=keep: x.std(dim=d, keepdim=k), (2, 3, 4))
        if dim is not None:
            case(f"logsumexp {tag}", lambda L, x, d=dim, k=keep: x.logsumexp(d, k), (2, 3, 4))
case("sum()", lambda L, x: x.sum(), (2, 3))
case("sum(axis=1, keepdims=True)", lambda L, x: x.sum(axis=1, keepdims=True), (2, 3))
case("sum(dim=[0, 1])", lambda L, x: x.sum(dim=[0, 1]), (2, 3))
case("sum transposed", lambda L, x: x.sum(0), T((2, 3)))
case("sum 0-d", lambda L, x: x.sum(0), ())
case("sum size 0", lambda L, x: x.sum(0), (0, 3))
case("sum function", lambda L, x: L.sum(x, -1), (2, 3))
case("mean()", lambda L, x: x.mean(), (2, 3))
case("mean(axis=(0, 1))", lambda L, x: x.mean(axis=(0, 1)), (2, 3, 4))
case("mean 0-d", lambda L, x: x.mean(-1), ())
case("mean size 0", lambda L, x: x.mean(0), (0, 3))
case("mean function", lambda L, x: L.mean(x, 1, True), T((2, 3)))
for dim, keep in [(None, False), (0, False), (1, True), (-1, False)]:
    case(f"prod dim={dim} keepdim={keep}", lambda L, x, d=dim, k=keep: x.prod(d, k)
         if d is not None else x.prod(), (2, 3))
case("prod transposed", lambda L, x: x.prod(1), T((2, 3)))
case("prod 0-d", lambda L, x: x.prod(0), ())
case("prod size 0", lambda L, x: x.prod(0), (0, 3))
case("prod(axis=0)", lambda L, x: x.prod(axis=0), (2, 3))
case("prod function", lambda L, x: L.prod(x), (2, 3))
case("amax()", lambda L, x: x.amax(), (2, 3), domains=("distinct",))
case("amax(axis=1, keepdims=True)", lambda L, x: x.amax(axis=1, keepdims=True), (2, 3),
     domains=("distinct",))
case("amax transposed", lambda L, x: x.amax(0), T((2, 3)), domains=("distinct",))
case("amax size 0", lambda L, x: x.amax(1), (0, 3))
case("amax 0-d", lambda L, x: x.amax(), ())
case("max()", lambda L, x: x.max(), (2, 3), domains=("distinct",))
case("max() 0-d", lambda L, x: x.max(), ())
case("max(1)", lambda L, x: x.max(1), (2, 3), domains=("distinct",))
case("max(dim=0, keepdim=True)", lambda L, x: x.max(dim=0, keepdim=True), (2, 3, 4),
     domains=("distinct",))
case("max(axis=-1)", lambda L, x: x.max(axis=-1), T((2, 3)), domains=("distinct",))
case("max(0) 0-d", lambda L, x: x.max(0), ())
case("max(1) size 0", lambda L, x: x.max(1), (0, 3))
case("max function", lambda L, x: L.max(x, 1), (2, 3), domains=("distinct",))
case("min()", lambda L, x: x.min(), (2, 3), domains=("distinct",))
case("min(0)", lambda L, x: x.min(0), (2, 3), domains=("distinct",))
case("min(-1, True) transposed", lambda L, x: L.min(x, -1, True), T((2, 3)),
     domains=("distinct",))
case("argmax()", lambda L, x: x.argmax(), (2, 3), domains=("distinct",))
case("argmax(1)", lambda L, x: x.argmax(1), (2, 3), domains=("distinct",))
case("argmax(keepdim=True)", lambda L, x: x.argmax(keepdim=True), (2, 3), domains=("distinct",))
case("argmax(dim=0, keepdim=True)", lambda L, x: x.argmax(dim=0, keepdim=True), T((2, 3)),
     domains=("distinct",))
case("argmax 0-d", lambda L, x: x.argmax(0), ())
case("argmax function", lambda L, x: L.argmax(x, -1), (2, 3), domains=("distinct",))
case("argmin(axis=1)", lambda L, x: x.argmin(axis=1), (2, 3), domains=("distinct",))
case("argmin function", lambda L, x: L.argmin(x), (2, 3), domains=("distinct",))
case("var(correction=0)", lambda L, x: x.var(correction=0), (2, 3))
case("var(1, unbiased=False)", lambda L, x: x.var(1, unbiased=False), (2, 3))
case("var(False)", lambda L, x: x.var(False), (2, 3))
case("var(correction=2)", lambda L, x: x.var(1, correction=2), (2, 4))
case("var(axis=0, keepdims=True)", lambda L, x: x.var(axis=0, keepdims=True), T((2, 3)))
case("var function", lambda L, x: L.var(x, 0), (3, 2))
case("std(correction=0)", lambda L, x: x.std(0, correction=0), (2, 3))
case("std function", lambda L, x: L.std(x), (2, 3))
case("logsumexp(axis=1)", lambda L, x: x.logsumexp(axis=1), T((2, 3)))
case("logsumexp of large values", lambda L, x: (x * 1000).logsumexp(1), (2, 3))
case("logsumexp 0-d", lambda L, x: x.logsumexp(0), ())
case("logsumexp size 0", lambda L, x: x.logsumexp(0), (0, 3))
case("logsumexp function", lambda L, x: L.logsumexp(x, -1), (2, 3))
for p in (1, 3, 0.5, math.inf, -math.inf, 0, "fro"):
    case(f"norm(p={p})", lambda L, x, p=p: x.norm(p), (2, 3), domains=("distinct",))
    case(f"norm(p={p}, dim=1)", lambda L, x, p=p: x.norm(p, 1), (2, 3), domains=("distinct",))
case("norm transposed", lambda L, x: x.norm(dim=0), T((2, 3)))
case("norm 0-d", lambda L, x: x.norm(), ())
case("norm size 0", lambda L, x: x.norm(dim=0), (0, 3))
case("norm function", lambda L, x: L.norm(x, 2, (0, 1), True), (2, 3))
for dim in (0, 1, -1):
    case(f"cumsum({dim})", lambda L, x, d=dim: x.cumsum(d), (2, 3))
case("cumsum(axis=0) transposed", lambda L, x: x.cumsum(axis=0), T((2, 3)))
case("cumsum 0-d", lambda L, x: x.cumsum(0), ())
case("cumsum size 0", lambda L, x: x.cumsum(0), (0, 3))
case("cumsum function", lambda L, x: L.cumsum(x, dim=1), (2, 3))

# Sorting and picking the largest: values with their gradients, and the indices.
case("sort()", lambda L, x: x.sort(), (2, 3), domains=("distinct",))
case("sort(0)", lambda L, x: x.sort(0), (2, 3, 4), domains=("distinct",))
case("sort(descending=True)", lambda L, x: x.sort(descending=True), (2, 3),
     domains=("distinct",))
case("sort(axis=0) transposed", lambda L, x: x.sort(axis=0), T((2, 3)), domains=("distinct",))
case("sort 0-d", lambda L, x: x.sort(), ())
case("sort size 0", lambda L, x: x.sort(0), (0, 3))
case("sort function", lambda L, x: L.sort(x, 1, True), (2, 3), domains=("distinct",))
case("topk(2)", lambda L, x: x.topk(2), (2, 3), domains=("distinct",))
case("topk(1, dim=0)", lambda L, x: x.topk(1, dim=0), (2, 3, 4), domains=("distinct",))
case("topk(2, largest=False)", lambda L, x: x.topk(2, largest=False), (2, 3),
     domains=("distinct",))
case("topk(0)", lambda L, x: x.topk(0), (2, 3), domains=("distinct",))
case("topk(3) all", lambda L, x: x.topk(3), T((2, 3)), domains=("distinct",))
case("topk 0-d", lambda L, x: x.topk(1), ())
case("topk function", lambda L, x: L.topk(x, 2, 0), (3, 2), domains=("distinct",))

# softmax and log_softmax along dim.
for dim in (0, 1, -1):
    case(f"softmax({dim})", lambda L, x, d=dim: x.softmax(d), (2, 3))
    case(f"log_softmax(dim={dim})", lambda L, x, d=dim: x.log_softmax(dim=d), (2, 3))
case("softmax(axis=1) transposed", lambda L, x: x.softmax(axis=1), T((2, 3)))
case("softmax 0-d", lambda L, x: x.softmax(0), ())
case("softmax size 0", lambda L, x: x.softmax(1), (0, 3))
case("softmax function", lambda L, x: L.softmax(x, 0), (2, 3))
case("log_softmax function", lambda L, x: L.log_softmax(x, dim=-1), (2, 3, 4))

# Matrix products.
case("mm", lambda L, x, y: x.mm(y), (2, 3), (3, 4))
case("mm transposed", lambda L, x, y: L.mm(x, y), T((2, 3)), T((3, 4)))
case("bmm", lambda L, x, y: x.bmm(y), (2, 2, 3), (2, 3, 4))
case("bmm function", lambda L, x, y: L.bmm(x, y), (1, 2, 3), (1, 3, 1))
case("dot", lambda L, x, y: x.dot(y), (3,), (3,))
case("dot function", lambda L, x, y: L.dot(x, y), (0,), (0,))
case("outer", lambda L, x, y: x.outer(y), (3,), (4,))
case("outer function", lambda L, x, y: L.outer(x, y), (2,), (0,))
case("matmul function", lambda L, x, y: L.matmul(x, y), (2, 1, 2, 3), (3, 3, 2))
case("matmul function 1-D", lambda L, x, y: L.matmul(x, y), (3,), T((3, 2)))
EINSUM = [("ij,jk->ik", (2, 3), (3, 4)), ("ij,jk", T((2, 3)), (3, 4)), ("ii", (3, 3)),
          ("ii->i", (3, 3)), ("ij->", (2, 3)), ("ij->ji", (2, 3)), ("bij,bjk->bik", (2, 2, 3),
                                                                      (2, 3, 2)),
          ("...ij,jk->...ik", (2, 2, 3), (3, 4)), ("...i,...i", (2, 3), (3,)),
          ("i,j->ij", (3,), (4,)), ("ij,ij->i", (2, 3), (2, 1)), ("iij->j", (2, 2, 3)),
          ("i j , j k -> i k", (2, 3), (3, 4)), ("ijk,ik->j", (2, 3, 4), (2, 4)),
          ("i,i,i->", (3,), (3,), (3,)), ("ij,jk->ik", (2, 0), (0, 3))]
for equation, *shapes in EINSUM:
    case(f"einsum {equation!r} {shapes}", lambda L, *xs, e=equation: L.einsum(e, *xs), *shapes)
case("einsum operands in a list", lambda L, x, y: L.einsum("ij,jk", [x, y]), (2, 3), (3, 4))

IDS = [c.name for c in CASES]
assert len(set(IDS)) == len(IDS), "case names must be unique"


def pieces(out) -> tuple:
    """An op's result as a tuple of tensors ((values, indices) give two)."""
    return tuple(out) if isinstance(out, tuple) else (out,)


# --- the checks ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_values_dtypes_and_gradients_equal_pytorch(c, dtype):
    torch = pytest.importorskip("torch")
    arrays = [a.astype(dtype) for a in c.inputs()]
    ours_in = [Tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no warning: none due
        out = pieces(c.fn(ours(), *ours_in))
    expected = pieces(c.fn(theirs(torch), *theirs_in))

    assert len(out) == len(expected)
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == "float64" else dict(rtol=2e-5, atol=1e-5)
    upstream = np.random.default_rng(1)
    ours_loss = theirs_loss = None
    for piece, theirs_piece in zip(out, expected):
        assert isinstance(piece, Tensor) and isinstance(piece.data, np.ndarray)
        assert tuple(piece.shape) == tuple(theirs_piece.shape)
        assert f"torch.{piece.dtype}" == str(theirs_piece.dtype)
        np.testing.assert_allclose(piece.data, theirs_piece.detach().numpy(), **tol)
        if piece.dtype.kind != "f":  # indices: no gradient, in either library
            assert not piece.requires_grad and not theirs_piece.requires_grad
            continue
        u = upstream.standard_normal(piece.shape).astype(dtype)
        ours_term, theirs_term = (piece * u).sum(), (theirs_piece * torch.from_numpy(u)).sum()
        ours_loss = ours_term if ours_loss is None else ours_loss + ours_term
        theirs_loss = theirs_term if theirs_loss is None else theirs_loss + theirs_term
    if ours_loss is None:  # argmax, argmin: nothing to differentiate
        return
    ours_loss.backward()
    theirs_loss.backward()
    for i, (x, t) in enumerate(zip(ours_in, theirs_in)):
        assert x.grad.shape == x.shape and x.grad.dtype == x.dtype, f"input {i}"
        expected_grad = t.grad.numpy() if t.grad is not None else np.zeros(t.shape, dtype)
        np.testing.assert_allclose(x.grad, expected_grad, **tol, err_msg=f"input {i}")


DIFFERENTIABLE = [c for c in CASES if not c.name.startswith(("argmax", "argmin"))]


@pytest.mark.parametrize("c", DIFFERENTIABLE, ids=[c.name for c in DIFFERENTIABLE])
def test_gradients_equal_central_differences(c):
    def joined(*tensors):
        floats = [p.reshape(-1) for p in pieces(c.fn(ours(), *tensors)) if p.dtype.kind == "f"]
        return cat(floats)
    tensors = [Tensor(a, requires_grad=True) for a in c.inputs()]
    assert gradcheck(joined, *tensors)


# --- errors: the same type of exception as PyTorch ----------------------------------------

def zeros(L, *shape):
    return L.const(np.zeros(shape))


ERRORS = [
    ("sum(2) of 2-D", lambda L: zeros(L, 2, 3).sum(2), IndexError),
    ("sum(-3) of 2-D", lambda L: zeros(L, 2, 3).sum(-3), IndexError),
    ("sum((0, 0))", lambda L: zeros(L, 2, 3).sum((0, 0)), RuntimeError),
    ("mean(1) of 0-d", lambda L: zeros(L).mean(1), IndexError),
    ("amax of an empty dim", lambda L: zeros(L, 0, 3).amax(0), IndexError),
    ("amax() of empty", lambda L: zeros(L, 0, 3).amax(), RuntimeError),
    ("max() of empty", lambda L: zeros(L, 0, 3).max(), RuntimeError),
    ("max(0) of an empty dim", lambda L: zeros(L, 0, 3).max(0), IndexError),
    ("max((0, 1))", lambda L: zeros(L, 2, 3).max((0, 1)), TypeError),
    ("max(keepdim=True) without a dim", lambda L: zeros(L, 2, 3).max(keepdim=True), TypeError),
    ("argmax() of empty", lambda L: zeros(L, 0, 3).argmax(), IndexError),
    ("argmax(0) of an empty dim", lambda L: zeros(L, 0, 3).argmax(0), IndexError),
    ("argmax(2) of 2-D", lambda L: zeros(L, 2, 3).argmax(2), IndexError),
    ("prod((0, 1))", lambda L: zeros(L, 2, 3).prod((0, 1)), TypeError),
    ("prod(2) of 2-D", lambda L: zeros(L, 2, 3).prod(2), IndexError),
    ("var with correction and unbiased",
     lambda L: zeros(L, 3).var(unbiased=True, correction=1), TypeError),
    ("var(2) of 2-D", lambda L: zeros(L, 2, 3).var(2), IndexError),
    ("logsumexp without a dim", lambda L: zeros(L, 2, 3).logsumexp(), TypeError),
    ("cumsum without a dim", lambda L: zeros(L, 2, 3).cumsum(), TypeError),
    ("cumsum(2) of 2-D", lambda L: zeros(L, 2, 3).cumsum(2), IndexError),
    ("sort(2) of 2-D", lambda L: zeros(L, 2, 3).sort(2), IndexError),
    ("topk(4) of 3", lambda L: zeros(L, 2, 3).topk(4), RuntimeError),
    ("topk(-1)", lambda L: zeros(L, 2, 3).topk(-1), RuntimeError),
    ("softmax(2) of 2-D", lambda L: zeros(L, 2, 3).softmax(2), IndexError),
    ("log_softmax(-3) of 2-D", lambda L: zeros(L, 2, 3).log_softmax(-3), IndexError),
    ("clamp() without bounds", lambda L: zeros(L, 3).clamp(), RuntimeError),
    ("mm of 1-D", lambda L: L.mm(zeros(L, 3), zeros(L, 3, 2)), RuntimeError),
    ("mm shapes differ", lambda L: zeros(L, 2, 3).mm(zeros(L, 4, 2)), RuntimeError),
    ("bmm of 2-D", lambda L: zeros(L, 2, 2, 3).bmm(zeros(L, 3, 2)), RuntimeError),
    ("bmm batches differ", lambda L: zeros(L, 2, 2, 3).bmm(zeros(L, 3, 3, 2)), RuntimeError),
    ("dot of 2-D", lambda L: zeros(L, 2, 3).dot(zeros(L, 2, 3)), RuntimeError),
    ("dot lengths differ", lambda L: zeros(L, 2).dot(zeros(L, 3)), RuntimeError),
    ("outer of 2-D", lambda L: zeros(L, 2, 3).outer(zeros(L, 3)), RuntimeError),
    ("outer of 0-d", lambda L: L.outer(zeros(L), zeros(L, 3)), RuntimeError),
    ("einsum too few operands", lambda L: L.einsum("ij,jk", zeros(L, 2, 3)), RuntimeError),
    ("einsum sizes differ", lambda L: L.einsum("ij,jk", zeros(L, 2, 3), zeros(L, 2, 3)),
     RuntimeError),
]
ERROR_IDS = [name for name, _, _ in ERRORS]
assert len(set(ERROR_IDS)) == len(ERROR_IDS)


@pytest.mark.parametrize("name, make, error", ERRORS, ids=ERROR_IDS)
def test_errors_are_pytorchs(name, make, error):
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        make(theirs(torch))
    with pytest.raises(error) as raised:
        make(ours())
    assert type(raised.value) is error, raised.value


def test_error_messages_name_the_op_and_the_problem():
    with pytest.raises(IndexError, match=r"sum: Dimension out of range \(expected to be in "
                                         r"range of \[-2, 1\], but got 2\)"):
        Tensor.zeros(2, 3).sum(2)
    with pytest.raises(RuntimeError, match=r"mm: shapes \(2, 3\) and \(4, 2\) cannot be "
                                           r"multiplied"):
        Tensor.zeros(2, 3).mm(Tensor.zeros(4, 2))
    with pytest.raises(RuntimeError, match="topk: k = 4 is out of range for a dim of length 3"):
        Tensor.zeros(2, 3).topk(4)
    with pytest.raises(NotImplementedError, match="clamp: a bound that requires grad"):
        Tensor.zeros(3).clamp(min=Tensor.zeros(3, requires_grad=True))
    with pytest.raises(NotImplementedError, match="norm: p='nuc'"):
        Tensor.zeros(2, 3).norm(p="nuc")
    with pytest.raises(TypeError, match="multiple values for argument 'dim'"):
        Tensor.zeros(2, 3).sum(0, axis=1)


# --- conventions at ties, kinks, zeros and nan, against PyTorch ---------------------------

def same_as_pytorch(fn, *inputs, upstream=None):
    """fn on chainrule and on PyTorch tensors (float64): equal values and gradients."""
    torch = pytest.importorskip("torch")
    ours_in = [Tensor(np.array(x, dtype=np.float64), requires_grad=True) for x in inputs]
    theirs_in = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    out, expected = fn(ours(), *ours_in), fn(theirs(torch), *theirs_in)
    out, expected = (out[0], expected[0]) if isinstance(out, tuple) else (out, expected)
    g = np.ones(out.shape) if upstream is None else np.asarray(upstream, dtype=np.float64)
    with np.errstate(all="ignore"):
        out.backward(g)
    expected.backward(torch.from_numpy(g))
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    for x, t in zip(ours_in, theirs_in):
        # PyTorch leaves no gradient where it is 0 by definition (the norm for p = 0)
        expected_grad = np.zeros(x.shape) if t.grad is None else t.grad.numpy()
        np.testing.assert_allclose(x.grad, expected_grad, rtol=1e-12, atol=0)
    return [x.grad.data for x in ours_in]


TIES = [[1.0, 3.0, 3.0, 2.0], [[2.0, 2.0, 2.0], [1.0, 5.0, 5.0]], [[4.0, 4.0], [4.0, 4.0]]]


@pytest.mark.parametrize("data", TIES, ids=["a row", "rows", "all equal"])
def test_ties_share_the_gradient_where_pytorch_shares_it(data):
    # max() and amax share equally among the tied elements ...
    assert same_as_pytorch(lambda L, x: x.max(), data)[0].sum() == pytest.approx(1.0)
    same_as_pytorch(lambda L, x: x.amax(), data)
    same_as_pytorch(lambda L, x: x.amin(-1), data)
    same_as_pytorch(lambda L, x: x.norm(math.inf), data)
    # ... max(dim) and sort send each value's gradient to one element: the first of them
    grad = same_as_pytorch(lambda L, x: x.max(-1), data)[0]
    assert sorted(grad.ravel().tolist())[-2:] != [0.5, 0.5]
    same_as_pytorch(lambda L, x: x.min(0), data)
    same_as_pytorch(lambda L, x: x.sort(-1, descending=True), data,
                    upstream=np.arange(np.size(data), dtype=float).reshape(np.shape(data)))


def test_maximum_and_minimum_split_a_tie_in_halves():
    a, b = [1.0, 2.0, 3.0, -0.0], [1.0, 1.0, 4.0, 0.0]
    assert same_as_pytorch(lambda L, x, y: x.maximum(y), a, b)[0].tolist() == [0.5, 1, 0, 0.5]
    same_as_pytorch(lambda L, x, y: L.minimum(x, y), a, b)


def test_nan_sorts_as_the_largest_and_wins_max_as_in_pytorch():
    torch = pytest.importorskip("torch")
    data = [3.0, math.nan, 1.0, 3.0, math.nan]
    for descending in (False, True):
        ours_sorted = Tensor(np.array(data)).sort(descending=descending)
        theirs_sorted = torch.tensor(data).double().sort(descending=descending, stable=True)
        np.testing.assert_array_equal(ours_sorted.values.data, theirs_sorted.values.numpy())
        assert ours_sorted.indices.tolist() == theirs_sorted.indices.tolist()
    for name in ("argmax", "argmin"):
        assert getattr(Tensor(np.array(data)), name)().item() == 1 == \
            getattr(torch.tensor(data), name)().item()
    same_as_pytorch(lambda L, x: x.max(), data)      # the nan elements share the gradient
    same_as_pytorch(lambda L, x: x.max(0), data)     # the first nan gets it
    grad = same_as_pytorch(lambda L, x: x.amax(), data)[0]
    assert np.isnan(grad).all()                      # amax: nan everywhere, as PyTorch


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_round_is_half_to_even_at_any_decimals(dtype):
    torch = pytest.importorskip("torch")
    data = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.125, 2.675, 1234.5, 15.0, -0.0, math.inf,
                     math.nan], dtype=dtype)
    for decimals in (0, 1, 2, -1, -2):
        ours_round = Tensor(data).round(decimals=decimals)
        theirs_round = torch.round(torch.from_numpy(data), decimals=decimals)
        np.testing.assert_array_equal(ours_round.data, theirs_round.numpy())
        assert ours_round.dtype == data.dtype
    assert Tensor([0.5, 1.5, 2.5]).round().tolist() == [0.0, 2.0, 2.0]
    assert Value(2.5).round().data == 2.0 and Value(2.675).round(2).data == 2.68


@pytest.mark.filterwarnings("ignore:.*degrees of freedom is <= 0")  # PyTorch's, for n = 1
def test_var_and_std_are_unbiased_by_default_and_take_every_spelling():
    data = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]])
    x = Tensor(data)
    assert x.var().item() == pytest.approx(np.var(data, ddof=1), rel=1e-15)
    for biased in (x.var(correction=0), x.var(unbiased=False), x.var(False), x.var(ddof=0)):
        assert biased.item() == pytest.approx(np.var(data), rel=1e-15)
    np.testing.assert_allclose(x.var(1, False).data, np.var(data, axis=1), rtol=1e-15)
    np.testing.assert_allclose(x.std(axis=0, ddof=1).data, np.std(data, axis=0, ddof=1))
    with pytest.raises(TypeError, match="one of correction=, unbiased= and ddof="):
        x.var(ddof=0, correction=0)
    with np.errstate(all="ignore"):
        same_as_pytorch(lambda L, t: t.var(), [2.0])    # one element: 0/0 = nan
        same_as_pytorch(lambda L, t: t.std(), [2.0])
    # a constant row: std's gradient is 0 there, not 0/0
    assert same_as_pytorch(lambda L, t: t.std(1), [[2.0, 2.0], [1.0, 3.0]])[0][0].tolist() \
        == [0.0, 0.0]


def test_clamp_and_clip_take_pytorchs_and_the_old_spellings():
    x = Tensor([-2.0, 0.3, 2.0], requires_grad=True)
    for clipped in (x.clip(-1, 1), x.clip(low=-1, high=1), x.clamp(min=-1, max=1),
                    elementwise.clip(x, -1, 1), x.clip(low=np.array([-1.0, -1.0, -1.0]), high=1)):
        assert clipped.tolist() == pytest.approx([-1.0, 0.3, 1.0])
    # min > max: everything becomes max, as in PyTorch
    same_as_pytorch(lambda L, t: t.clamp(1.0, -1.0), [-2.0, 0.3, 2.0, -1.0, 1.0])
    same_as_pytorch(lambda L, t: t.clamp(-1.0, 1.0), [-1.0, 1.0, 0.5])  # gradient 1 at a bound
    assert Value(2.5).clamp(3, 2).data == 2.0 and Value(0.5).clip().data == 0.5


@pytest.mark.parametrize("data", [[2.0, 0.0, 3.0], [2.0, 0.0, 0.0], [[2.0, 0.0, 3.0],
                                                                      [1.0, 2.0, 3.0]]])
def test_prod_gradient_is_pytorchs_with_zeros(data):
    same_as_pytorch(lambda L, x: x.prod(), data)
    same_as_pytorch(lambda L, x: x.prod(-1), data)


def test_norm_logsumexp_and_friends_at_zero_and_infinity():
    inf = math.inf
    for p in (2, 1, 3, 0.5, 0, inf):
        same_as_pytorch(lambda L, x, p=p: x.norm(p), [0.0, 0.0])
        same_as_pytorch(lambda L, x, p=p: x.norm(p), [0.0, -1.5, 2.0])
    same_as_pytorch(lambda L, x: x.logsumexp(0), [1000.0, 1000.0])
    with np.errstate(all="ignore"):
        same_as_pytorch(lambda L, x: x.logsumexp(0), [inf, 1.0])
        same_as_pytorch(lambda L, x: x.logsumexp(0), [-inf, -inf])
        same_as_pytorch(lambda L, x: x.logsumexp(1), [[-inf, 0.0], [1.0, inf]])


@pytest.mark.parametrize("dtype, tol", [("float64", 1e-12), ("float32", 1e-6)])
def test_erf_agrees_with_pytorch_everywhere(dtype, tol):
    torch = pytest.importorskip("torch")
    x = np.concatenate([np.linspace(-7, 7, 100_001), [0.46875, 4.0, 1e-300, 30.0, -0.0]])
    x = x.astype(dtype)
    ours_erf, theirs_erf = Tensor(x).erf().data, torch.from_numpy(x).erf().numpy()
    assert ours_erf.dtype == x.dtype
    np.testing.assert_allclose(ours_erf, theirs_erf, rtol=tol, atol=tol * 1e-3)
    edges = Tensor(np.array([math.inf, -math.inf, math.nan])).erf().tolist()
    assert edges[:2] == [1.0, -1.0] and math.isnan(edges[2])
    assert all(Value(v).erf().data == math.erf(v) for v in (-2.0, 0.1, 3.0))


FUNCTIONS_OF_ONE = [name for name, _, _ in UNARY if name.isidentifier() and name != "clamp"]


@pytest.mark.parametrize("name", FUNCTIONS_OF_ONE + ["sum", "amax", "prod"])
def test_functions_of_integers_have_pytorchs_dtypes(name):
    # exp(2) is a float of the default dtype, |−2| stays an integer: as in PyTorch
    torch = pytest.importorskip("torch")
    data = np.array([[-2, 0, 3], [1, 4, 2]], dtype=np.int64)
    out = getattr(Tensor(data, dtype=np.int64), name)()
    expected = getattr(torch.from_numpy(data), name)()
    assert f"torch.{out.dtype}" == str(expected.dtype)
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-6)


def test_lerp_reaches_the_end_exactly_and_differentiates_the_weight():
    start, end = Tensor([0.1, -3.0]), Tensor([0.7, 2.0])
    assert start.lerp(end, 1.0).tolist() == end.tolist()  # computed from the end: exact
    same_as_pytorch(lambda L, a, b, w: a.lerp(b, w), [1.0, 2.0], [3.0, -1.0], [0.25, 0.9])


@pytest.mark.parametrize("name, reference", [
    ("var", lambda a: np.var(a, ddof=1)), ("std", lambda a: np.std(a, ddof=1)),
    ("logsumexp", lambda a: np.log(np.exp(a).sum())),
])
def test_dim_empty_reduces_every_dim(name, reference):
    # dim=() is every dim in PyTorch's sum, mean, amax and norm (the catalogue), but its var
    # and std give an infinite gradient there and its logsumexp refuses it: here all agree.
    data = np.random.default_rng(0).standard_normal((2, 3))
    assert getattr(Tensor(data), name)(dim=()).item() == pytest.approx(reference(data), 1e-12)
    assert gradcheck(lambda t: getattr(t, name)(dim=()), Tensor(data, requires_grad=True))


def test_reductions_accept_numpy_spellings_as_pytorch_does():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4))
    for name in ("sum", "mean", "amax", "amin", "var", "std", "logsumexp", "prod"):
        method = getattr(x, name)
        dim = 1 if name in ("prod", "logsumexp") else (0, 2)
        np.testing.assert_array_equal(method(axis=dim, keepdims=True).data,
                                      method(dim=dim, keepdim=True).data)
    assert x.max(axis=2, keepdims=True).values.shape == (2, 3, 1)
    assert x.sum(dim=()).item() == x.sum().item() == 276.0  # () is every dim, as PyTorch
    np.testing.assert_array_equal(x.softmax(axis=0).data, x.softmax(dim=0).data)


def test_pairs_of_values_and_indices_are_named_as_pytorchs():
    x = Tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    assert values.tolist() == [5.0, 6.0] and indices.tolist() == [1, 2]
    assert x.max(1).values is not None and type(x.max(1)).__name__ == "max"
    for pair in (x.min(0), x.sort(), x.topk(2)):
        assert pair.values.requires_grad and pair.indices.dtype == np.int64
        assert not pair.indices.requires_grad and pair.indices.grad is None
    assert repr(x.topk(1)).startswith("topk(values=tensor([[5.],")
    assert repr(x.topk(1)).endswith("indices=tensor([[1],\n        [2]]))")
    assert x.argmax().dtype == np.int64 and not x.argmax().requires_grad


#: The operators' ops, which are PyTorch's functions as they stand (add(x, y, alpha=2)), and
#: the functions whose arguments differ from the method's (where) or that have no method.
OPERATOR_OPS = {"add", "sub", "mul", "div", "true_divide", "neg", "remainder"}
FUNCTIONS_ONLY = {"where", "celu", "selu", "std_mean", "var_mean"}


def test_the_function_forms_are_the_methods():
    Methods = Tensor  # each group's methods, as Tensor inherits them
    for module in (elementwise, reductions):
        for name in set(module.__all__) - OPERATOR_OPS - FUNCTIONS_ONLY:
            assert getattr(module, name) is getattr(Methods, name), name
    x, y = Tensor([3.0, -4.0]), Tensor([2.0, 2.5])
    for name in OPERATOR_OPS:
        args = (x,) if name == "neg" else (x, y)
        assert getattr(elementwise, name)(*args).tolist() == getattr(x, name)(*args[1:]).tolist()
    for name in ("mm", "bmm", "dot", "outer"):
        assert getattr(matmul, name) is getattr(Methods, name)
    assert matmul.matmul(Tensor([[2.0]]), Tensor([[3.0]])).item() == 6.0
    assert softmax.softmax(Tensor([0.0, 0.0]), 0).tolist() == [0.5, 0.5]
    assert elementwise.pow(2, Tensor([3.0])).tolist() == [8.0]


def test_value_has_the_math_of_one_and_two_inputs():
    x, y = Value(0.5), Value(-1.5)
    z = x.exp2() + x.log2() + x.log10() + x.log1p() + x.expm1() + x.rsqrt() + x.tan() \
        + x.erf() + x.square() + x.reciprocal() + x.sign() + y.floor() + y.ceil() + x.round() \
        + x.maximum(y) + y.minimum(x) + y.clamp(-1.0, 1.0)
    z.backward()
    expected = (2 ** 0.5 * math.log(2) + 1 / (0.5 * math.log(2)) + 1 / (0.5 * math.log(10))
                + 1 / 1.5 + math.exp(0.5) - 0.5 * 0.5 ** -1.5 + 1 / math.cos(0.5) ** 2
                + 2 / math.sqrt(math.pi) * math.exp(-0.25) + 1.0 - 4.0 + 1.0)
    assert x.grad == pytest.approx(expected, rel=1e-12)
    assert y.grad == 1.0  # the smaller of minimum; floor, ceil: flat; clamp cut it


@pytest.mark.parametrize("make, written", [
    (lambda x: x.logsumexp(1), "logsumexp(x)"),
    (lambda x: x.norm(p=3), "norm(x, 3)"),
    (lambda x: x.var(), "var(x)"),
    (lambda x: x.std(0), "std(x)"),
    (lambda x: x.prod(), "prod(x)"),
    (lambda x: x.amax(0), "amax(x)"),
    (lambda x: x.max(), "max(x)"),
    (lambda x: x.cumsum(1), "cumsum(x, 1)"),
    (lambda x: x.maximum(x * 2), "max(x, v1)"),
    (lambda x: x.lerp(x * 2, 0.25), "x + 0.25·(v1 − x)"),
    (lambda x: x.erf(), "erf(x)"),
    (lambda x: reductions.sum(matmul.einsum("ij,jk->ik", x, x)), "einsum(x, x)"),
    (lambda x: x.sort(1).values, "gather(x, 1, index)"),
])
def test_derivations_write_each_ops_expression_and_rule(make, written):
    x = Tensor(np.array([[1.0, -2.0], [3.0, 4.0]]), requires_grad=True, label="x")
    text = str(derive(make(x).sum()))
    assert written in text, text
    rule = next(line for line in text.splitlines() if line.strip().startswith("∂L/∂x ="))
    assert "None" not in rule and "{" not in rule, rule
