"""Every Tensor op, from one catalogue, checked three ways.

Each line of ``CASES`` names an op applied to inputs of given shapes, written three times:
with chainrule, with NumPy (the forward value), and with PyTorch (value and gradients).
Every case is then

* compared with NumPy for the forward value and dtype, in float64 and float32;
* run through ``gradcheck`` (central differences, float64);
* compared with PyTorch CPU for the output and every input's gradient, float64 and
  float32, when torch is installed.

Adding an op means adding one line here. Inputs are drawn away from kinks (relu at 0,
clip at its bounds) and ties (max), where a derivative is a convention, not a number;
those conventions have their own tests in test_tensor.py.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest

from autograd import Tensor, concatenate, stack
from autograd.gradcheck import gradcheck

# --- drawing inputs -----------------------------------------------------------------------


def draw(shape: tuple, domain: str, rng: np.random.Generator) -> np.ndarray:
    """float64 values of ``shape`` from a domain where the op is smooth."""
    size = int(np.prod(shape))
    if domain == "real":
        values = rng.standard_normal(size)
    elif domain == "positive":  # log, sqrt, a power's base
        values = rng.uniform(0.5, 2.0, size)
    elif domain == "nonzero":  # relu, abs, leaky_relu, elu: |x| ≥ 0.2, away from the kink
        values = rng.choice([-1.0, 1.0], size) * rng.uniform(0.2, 2.0, size)
    elif domain == "distinct":  # max, min: no ties, and gaps far larger than eps
        values = rng.permutation(size) * 0.25 - size * 0.1 + rng.uniform(0, 0.05, size)
    elif domain == "clip":  # clip to [-0.5, 0.5]: every value ≥ 0.1 away from a bound
        values = rng.choice([-1.0, 0.0, 1.0], size) + rng.uniform(-0.4, 0.4, size)
    else:
        raise ValueError(domain)
    return values.reshape(shape)


@dataclass
class Case:
    """One op on inputs of given shapes: chainrule, NumPy and PyTorch versions."""

    name: str
    ours: Callable  # Tensors -> Tensor
    numpy: Callable  # ndarrays -> ndarray (the forward value)
    torch: Callable  # torch tensors -> torch tensor
    shapes: tuple
    domains: tuple = field(default=())

    def inputs(self) -> list[np.ndarray]:
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))
        domains = self.domains or ("real",) * len(self.shapes)
        return [draw(shape, domain, rng) for shape, domain in zip(self.shapes, domains)]


CASES: list[Case] = []


def case(name, ours, numpy, torch, *shapes, domains=()):
    CASES.append(Case(name, ours, numpy, torch, shapes, tuple(domains)))


# PyTorch is optional: the catalogue's torch versions import it only when they run.
def torch_module():
    import torch
    return torch


def F():
    """``torch.nn.functional``, as it is usually imported."""
    import torch.nn.functional
    return torch.nn.functional


# --- the catalogue ------------------------------------------------------------------------

# Binary arithmetic, with broadcasting in both directions.
BROADCAST = [((2, 3), (2, 3)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 1), (1, 3)),
             ((), (2, 3)), ((2, 3), ()), ((4, 1, 3), (2, 1)), ((2, 1), (4, 1, 3)), ((), ())]
for a, b in BROADCAST:
    tag = f"{a}{b}"
    case(f"add {tag}", lambda x, y: x + y, np.add, lambda x, y: x + y, a, b)
    case(f"sub {tag}", lambda x, y: x - y, np.subtract, lambda x, y: x - y, a, b)
    case(f"mul {tag}", lambda x, y: x * y, np.multiply, lambda x, y: x * y, a, b)
    case(f"div {tag}", lambda x, y: x / y, np.divide, lambda x, y: x / y, a, b,
         domains=("real", "positive"))
    case(f"pow {tag}", lambda x, y: x ** y, np.power, lambda x, y: x ** y, a, b,
         domains=("positive", "real"))

# One Tensor operand, the other a number or an array (reflected operators included).
ARRAY = np.array([[0.5, -1.0, 2.0]])
for shape in [(3,), (2, 3)]:
    tag = f"{shape}"
    case(f"number + x {tag}", lambda x: 2.5 + x, lambda x: 2.5 + x, lambda x: 2.5 + x, shape)
    case(f"x + number {tag}", lambda x: x + 2.5, lambda x: x + 2.5, lambda x: x + 2.5, shape)
    case(f"number - x {tag}", lambda x: 2.5 - x, lambda x: 2.5 - x, lambda x: 2.5 - x, shape)
    case(f"x - number {tag}", lambda x: x - 2.5, lambda x: x - 2.5, lambda x: x - 2.5, shape)
    case(f"number * x {tag}", lambda x: 3 * x, lambda x: 3 * x, lambda x: 3 * x, shape)
    case(f"number / x {tag}", lambda x: 2 / x, lambda x: 2 / x, lambda x: 2 / x, shape,
         domains=("positive",))
    case(f"x / number {tag}", lambda x: x / 4, lambda x: x / 4, lambda x: x / 4, shape)
    case(f"number ** x {tag}", lambda x: 2 ** x, lambda x: 2.0 ** x, lambda x: 2 ** x, shape)
    case(f"array + x {tag}", lambda x: ARRAY + x, lambda x: ARRAY + x,
         lambda x: torch_module().from_numpy(ARRAY) + x, shape)
    case(f"array - x {tag}", lambda x: ARRAY - x, lambda x: ARRAY - x,
         lambda x: torch_module().from_numpy(ARRAY) - x, shape)
    case(f"array * x {tag}", lambda x: ARRAY * x, lambda x: ARRAY * x,
         lambda x: torch_module().from_numpy(ARRAY) * x, shape)
    case(f"array / x {tag}", lambda x: ARRAY / x, lambda x: ARRAY / x,
         lambda x: torch_module().from_numpy(ARRAY) / x, shape, domains=("positive",))
    case(f"x / array {tag}", lambda x: x / ARRAY, lambda x: x / ARRAY,
         lambda x: x / torch_module().from_numpy(ARRAY), shape)
    case(f"array ** x {tag}", lambda x: np.abs(ARRAY) ** x, lambda x: np.abs(ARRAY) ** x,
         lambda x: torch_module().from_numpy(np.abs(ARRAY)) ** x, shape)
    case(f"x ** array {tag}", lambda x: x ** ARRAY, lambda x: x ** ARRAY,
         lambda x: x ** torch_module().from_numpy(ARRAY), shape, domains=("positive",))
    case(f"-x {tag}", lambda x: -x, np.negative, lambda x: -x, shape)
    case(f"x ** 2 {tag}", lambda x: x ** 2, lambda x: x ** 2, lambda x: x ** 2, shape)
    case(f"x ** 3 {tag}", lambda x: x ** 3, lambda x: x ** 3, lambda x: x ** 3, shape)
    case(f"x ** 0.5 {tag}", lambda x: x ** 0.5, np.sqrt, lambda x: x ** 0.5, shape,
         domains=("positive",))
    case(f"x ** -1.5 {tag}", lambda x: x ** -1.5, lambda x: x ** -1.5, lambda x: x ** -1.5,
         shape, domains=("positive",))

# matmul: 2-D, 1-D on either side, batched, broadcast batch axes.
MATMUL = [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)), ((2, 2, 3), (3, 4)),
          ((2, 3), (2, 3, 4)), ((2, 1, 2, 3), (3, 3, 2)), ((5, 2, 3), (5, 3, 2)),
          ((3,), (2, 3, 4)), ((2, 3, 4), (4,))]
for a, b in MATMUL:
    case(f"matmul {a}{b}", lambda x, y: x @ y, np.matmul, lambda x, y: x @ y, a, b)
case("x.matmul(y)", lambda x, y: x.matmul(y), np.matmul, lambda x, y: x.matmul(y),
     (2, 3), (3, 2))
# (torch's matmul does not promote float32 to float64 as NumPy does: .double() for it)
case("array @ x", lambda x: ARRAY.T @ x, lambda x: ARRAY.T @ x,
     lambda x: torch_module().from_numpy(ARRAY.T) @ x.double(), (1, 4))
case("x @ array", lambda x: x @ ARRAY, lambda x: x @ ARRAY,
     lambda x: x.double() @ torch_module().from_numpy(ARRAY), (2, 1))


# Elementwise functions on shapes of every rank.
def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


UNARY = [
    ("exp", lambda x: x.exp(), np.exp, lambda x: x.exp(), "real"),
    ("log", lambda x: x.log(), np.log, lambda x: x.log(), "positive"),
    ("sqrt", lambda x: x.sqrt(), np.sqrt, lambda x: x.sqrt(), "positive"),
    ("abs", lambda x: x.abs(), np.abs, lambda x: x.abs(), "nonzero"),
    ("abs()", lambda x: abs(x), np.abs, lambda x: abs(x), "nonzero"),
    ("tanh", lambda x: x.tanh(), np.tanh, lambda x: x.tanh(), "real"),
    ("sigmoid", lambda x: x.sigmoid(), _sigmoid, lambda x: x.sigmoid(), "real"),
    ("relu", lambda x: x.relu(), lambda x: np.maximum(x, 0), lambda x: x.relu(), "nonzero"),
    ("leaky_relu", lambda x: x.leaky_relu(), lambda x: np.where(x > 0, x, 0.01 * x),
     lambda x: F().leaky_relu(x, 0.01), "nonzero"),
    ("leaky_relu 0.2", lambda x: x.leaky_relu(0.2), lambda x: np.where(x > 0, x, 0.2 * x),
     lambda x: F().leaky_relu(x, 0.2), "nonzero"),
    ("elu", lambda x: x.elu(), lambda x: np.where(x > 0, x, np.exp(x) - 1),
     lambda x: F().elu(x), "nonzero"),
    ("elu 0.5", lambda x: x.elu(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1)),
     lambda x: F().elu(x, 0.5), "nonzero"),
    ("softplus", lambda x: x.softplus(), lambda x: np.log1p(np.exp(x)),
     lambda x: F().softplus(x), "real"),
    ("clip", lambda x: x.clip(-0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5),
     lambda x: x.clamp(-0.5, 0.5), "clip"),
    ("clip low only", lambda x: x.clip(low=-0.5), lambda x: np.maximum(x, -0.5),
     lambda x: x.clamp(min=-0.5), "clip"),
    ("clip high only", lambda x: x.clip(high=0.5), lambda x: np.minimum(x, 0.5),
     lambda x: x.clamp(max=0.5), "clip"),
]
for name, ours, numpy, torch, domain in UNARY:
    for shape in [(), (3,), (2, 3), (2, 3, 4)]:
        case(f"{name} {shape}", ours, numpy, torch, shape, domains=(domain,))


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


for shape, axis in [((4,), -1), ((2, 3), -1), ((2, 3), 0), ((2, 3, 4), 1), ((2, 3, 4), -1)]:
    case(f"softmax {shape} axis={axis}", lambda x, a=axis: x.softmax(axis=a),
         lambda x, a=axis: _softmax(x, a), lambda x, a=axis: x.softmax(dim=a), shape)
    case(f"log_softmax {shape} axis={axis}", lambda x, a=axis: x.log_softmax(axis=a),
         lambda x, a=axis: np.log(_softmax(x, a)), lambda x, a=axis: x.log_softmax(dim=a),
         shape)


# Reductions with every kind of axis, with and without keepdims.
def _torch_axis(axis):
    return () if axis is None else axis


AXES = [None, 0, 1, -1, (0, 2), (-1, 0), ()]
for axis in AXES:
    for keep in (False, True):
        tag = f"axis={axis} keepdims={keep}"
        kw = dict(axis=axis, keepdims=keep)
        # dim=() is every dim in PyTorch, where NumPy's axis=() is none
        np_kw = dict(axis=None if axis == () else axis, keepdims=keep)
        case(f"sum {tag}", lambda x, kw=kw: x.sum(**kw), lambda x, kw=np_kw: np.sum(x, **kw),
             lambda x, a=axis, k=keep: x.sum(dim=a, keepdim=k), (2, 3, 4))
        case(f"mean {tag}", lambda x, kw=kw: x.mean(**kw), lambda x, kw=np_kw: np.mean(x, **kw),
             lambda x, a=axis, k=keep: x.mean(dim=a, keepdim=k), (2, 3, 4))
        case(f"amax {tag}", lambda x, kw=kw: x.amax(**kw), lambda x, kw=np_kw: np.max(x, **kw),
             lambda x, a=axis, k=keep: x.amax(dim=_torch_axis(a), keepdim=k),
             (2, 3, 4), domains=("distinct",))
        case(f"amin {tag}", lambda x, kw=kw: x.amin(**kw), lambda x, kw=np_kw: np.min(x, **kw),
             lambda x, a=axis, k=keep: x.amin(dim=_torch_axis(a), keepdim=k),
             (2, 3, 4), domains=("distinct",))
        if axis != ():
            for ddof in (0, 1):
                case(f"var {tag} ddof={ddof}", lambda x, kw=kw, d=ddof: x.var(**kw, ddof=d),
                     lambda x, kw=kw, d=ddof: np.var(x, **kw, ddof=d),
                     lambda x, a=axis, k=keep, d=ddof: x.var(dim=a, keepdim=k, correction=d),
                     (2, 3, 4))
for shape in [(), (5,)]:
    case(f"sum {shape}", lambda x: x.sum(), np.sum, lambda x: x.sum(), shape)
    case(f"mean {shape}", lambda x: x.mean(), np.mean, lambda x: x.mean(), shape)
    case(f"max {shape}", lambda x: x.max(), np.max, lambda x: x.amax(), shape,
         domains=("distinct",))
    case(f"min {shape}", lambda x: x.min(), np.min, lambda x: x.amin(), shape,
         domains=("distinct",))
case("var (5,)", lambda x: x.var(), lambda x: np.var(x, ddof=1), lambda x: x.var(), (5,))

# Shape ops.
RESHAPES = [(4, 6), (-1,), (2, -1, 2), (24, 1)]
for target in RESHAPES:
    case(f"reshape {target}", lambda x, t=target: x.reshape(t),
         lambda x, t=target: x.reshape(t), lambda x, t=target: x.reshape(t), (2, 3, 4))
case("reshape(*args)", lambda x: x.reshape(3, 8), lambda x: x.reshape(3, 8),
     lambda x: x.reshape(3, 8), (2, 3, 4))
for start in (0, 1, 2, -1, -2):
    case(f"flatten({start})", lambda x, s=start: x.flatten(s),
         lambda x, s=start: x.reshape(x.shape[:s % 3] + (-1,)),
         lambda x, s=start: x.flatten(s), (2, 3, 4))
case("flatten 0-d", lambda x: x.flatten(), lambda x: x.reshape(1), lambda x: x.flatten(), ())
case("permute(2, 1, 0)", lambda x: x.permute(2, 1, 0), np.transpose, lambda x: x.permute(2, 1, 0),
     (2, 3, 4))
case("T", lambda x: x.T, lambda x: x.T, lambda x: x.T, (2, 3))
case("transpose(0, 1)", lambda x: x.transpose(0, 1), lambda x: x.swapaxes(0, 1),
     lambda x: x.transpose(0, 1), (2, 3))
case("transpose(-1, 0)", lambda x: x.transpose(-1, 0), lambda x: x.swapaxes(-1, 0),
     lambda x: x.transpose(-1, 0), (2, 3, 4))
case("permute(1, 0, 2)", lambda x: x.permute(1, 0, 2), lambda x: x.transpose(1, 0, 2),
     lambda x: x.permute(1, 0, 2), (2, 3, 4))
case("permute((2, 0, 1))", lambda x: x.permute((2, 0, 1)), lambda x: x.transpose(2, 0, 1),
     lambda x: x.permute(2, 0, 1), (2, 3, 4))
case("permute(-1, 0, 1)", lambda x: x.permute(-1, 0, 1), lambda x: x.transpose(-1, 0, 1),
     lambda x: x.permute(-1, 0, 1), (2, 3, 4))
case("permute(0, -1, -2)", lambda x: x.permute(0, -1, -2), lambda x: x.transpose(0, -1, -2),
     lambda x: x.permute(0, -1, -2), (2, 3, 4))

MASK = np.array([True, False, True])
MASK2 = np.array([[True, False, True, True], [False, False, True, False],
                  [True, True, False, False]])
ROWS, COLS = np.array([0, 2, 0, 0]), np.array([1, 3, 1, 1])
INDEXES = [
    ("[1]", lambda x: x[1], None),
    ("[-1]", lambda x: x[-1], None),
    ("[1, 2]", lambda x: x[1, 2], None),
    ("[1:]", lambda x: x[1:], None),
    ("[::-1]", lambda x: x[::-1], lambda x: x.flip(0)),
    ("[::2, 1:3]", lambda x: x[::2, 1:3], None),
    ("[:, 1]", lambda x: x[:, 1], None),
    ("[..., None, 1]", lambda x: x[..., None, 1], None),
    ("[np.int64(2)]", lambda x: x[np.int64(2)], None),
    ("[mask]", lambda x: x[MASK], lambda x: x[torch_module().from_numpy(MASK)]),
    ("[mask 2-D]", lambda x: x[MASK2], lambda x: x[torch_module().from_numpy(MASK2)]),
    ("[mask, 1:]", lambda x: x[MASK, 1:], lambda x: x[torch_module().from_numpy(MASK), 1:]),
    ("[[0, 0, 2]]", lambda x: x[[0, 0, 2]], None),
    ("[[True, False, True]]", lambda x: x[[True, False, True]], lambda x: x[MASK.tolist()]),
    ("[rows, cols] repeated", lambda x: x[ROWS, COLS],
     lambda x: x[torch_module().from_numpy(ROWS), torch_module().from_numpy(COLS)]),
    ("[:, [3, 0, 3]]", lambda x: x[:, [3, 0, 3]], None),
    ("[[[0, 1], [1, 1]]]", lambda x: x[np.array([[0, 1], [1, 1]])],
     lambda x: x[torch_module().tensor([[0, 1], [1, 1]])]),
]
for name, index, torch_index in INDEXES:
    case(f"getitem {name}", index, index, torch_index or index, (3, 4))

PADS = [(1, ((1, 1), (1, 1))), ((1, 2), ((1, 2), (1, 2))), (((0, 0), (2, 1)), ((0, 0), (2, 1))),
        (((1,), (0,)), ((1, 1), (0, 0)))]
for pad_width, pairs in PADS:
    flat = [w for pair in reversed(pairs) for w in pair]  # torch: last axis first
    case(f"pad {pad_width}", lambda x, p=pad_width: x.pad(p),
         lambda x, p=pad_width: np.pad(x, p), lambda x, f=flat: F().pad(x, f), (2, 3))
case("pad constant 0.5", lambda x: x.pad(((1, 0), (0, 2)), constant_values=0.5),
     lambda x: np.pad(x, ((1, 0), (0, 2)), constant_values=0.5),
     lambda x: F().pad(x, [0, 2, 1, 0], value=0.5), (2, 3))

for axis in (0, 1, -1):
    shapes = [(2, 3), (4, 3)] if axis == 0 else [(2, 3), (2, 1), (2, 2)]
    case(f"concatenate axis={axis}", lambda *xs, a=axis: concatenate(xs, axis=a),
         lambda *xs, a=axis: np.concatenate(xs, axis=a),
         lambda *xs, a=axis: torch_module().cat(xs, dim=a), *shapes)
case("concatenate axis=None", lambda x, y: concatenate([x, y], axis=None),
     lambda x, y: np.concatenate([x, y], axis=None),
     lambda x, y: torch_module().cat([x.flatten(), y.flatten()]), (2, 3), (4,))
case("concatenate with an array", lambda x: concatenate([x, ARRAY]),
     lambda x: np.concatenate([x, ARRAY]),
     lambda x: torch_module().cat([x, torch_module().from_numpy(ARRAY)]), (2, 3))
for axis in (0, 1, -1):
    case(f"stack axis={axis}", lambda *xs, a=axis: stack(xs, axis=a),
         lambda *xs, a=axis: np.stack(xs, axis=a),
         lambda *xs, a=axis: torch_module().stack(xs, dim=a), (2, 3), (2, 3), (2, 3))

# A few compositions: gradients flowing through several ops, and one input used twice.
case("x * x", lambda x: x * x, lambda x: x * x, lambda x: x * x, (2, 3))
case("(x @ w + b).tanh().sum(axis=1)", lambda x, w, b: (x @ w + b).tanh().sum(axis=1),
     lambda x, w, b: np.tanh(x @ w + b).sum(axis=1),
     lambda x, w, b: (x @ w + b).tanh().sum(dim=1), (4, 3), (3, 2), (2,))
case("cross-entropy pick", lambda z: -z.log_softmax(axis=1)[np.arange(3), [0, 2, 1]].mean(),
     lambda z: -np.log(_softmax(z, 1))[np.arange(3), [0, 2, 1]].mean(),
     lambda z: -z.log_softmax(dim=1)[np.arange(3), [0, 2, 1]].mean(), (3, 4))
case("normalise", lambda x: (x - x.mean(axis=0)) / (x.var(axis=0, unbiased=False) + 1e-5).sqrt(),
     lambda x: (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5),
     lambda x: (x - x.mean(dim=0)) / (x.var(dim=0, correction=0) + 1e-5).sqrt(), (5, 3))

IDS = [c.name for c in CASES]
assert len(set(IDS)) == len(IDS), "case names must be unique"


# --- the checks ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_forward_equals_numpy(c, dtype):
    arrays = [a.astype(dtype) for a in c.inputs()]
    out = c.ours(*[Tensor(a) for a in arrays])
    expected = np.asarray(c.numpy(*arrays))
    assert isinstance(out, Tensor) and isinstance(out.data, np.ndarray)
    assert out.shape == expected.shape
    assert out.dtype == expected.dtype, "an op must not change the dtype NumPy would keep"
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(out.data, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_gradients_equal_central_differences(c):
    tensors = [Tensor(a, requires_grad=True) for a in c.inputs()]
    assert gradcheck(c.ours, *tensors)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_output_and_gradients_equal_pytorch(c, dtype):
    torch = pytest.importorskip("torch")
    arrays = [a.astype(dtype) for a in c.inputs()]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = c.ours(*ours), c.torch(*theirs)
    assert str(expected.dtype) == f"torch.{out.dtype}"
    upstream = np.random.default_rng(1).standard_normal(out.shape).astype(out.dtype)
    out.backward(upstream)
    expected.backward(torch.from_numpy(upstream))

    tol = dict(rtol=1e-10, atol=1e-12) if dtype == "float64" else dict(rtol=2e-5, atol=1e-5)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **tol)
    for i, (x, t) in enumerate(zip(ours, theirs)):
        assert x.grad.shape == x.shape and x.grad.dtype == x.dtype, f"input {i}"
        np.testing.assert_allclose(x.grad, t.grad.numpy(), **tol, err_msg=f"input {i}")
