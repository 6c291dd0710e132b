"""PyTorch's shape and indexing API, from one catalogue checked against PyTorch.

Each line of ``CASES`` is one op on inputs of given shapes, written once for both
libraries: ``fn(L, *inputs)``, where ``L`` holds the library's functions (``L.cat``,
``L.gather``, ...) and makes its index tensors (``L.long([0, 2])``, ``L.mask(...)``). Every
case is then

* run in float64 and float32 in chainrule and in PyTorch: the same values, shapes and
  dtypes, and the same gradient for every input;
* run through ``gradcheck`` (central differences, float64).

A shape written ``T((2, 3))`` is an input of shape (2, 3) held transposed in memory (the
transpose of a (3, 2) array), as after ``x.t()``: ops must not assume a contiguous
array. Errors are checked the same way: one line per bad call, which must raise the same
type of exception in both libraries.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from autograd import Tensor, derive, no_grad
from autograd.gradcheck import gradcheck
from autograd.ops import indexing, shaping
from autograd.ops.shaping import ShapeMethods, Size

# --- the two libraries --------------------------------------------------------------------

NAMES = [name for module in (shaping, indexing) for name in module.__all__
         if name not in ("Size", "one_hot")]


def ours() -> SimpleNamespace:
    """chainrule's functions, and its way of making index tensors and constants."""
    def tensor(values, dtype):
        return Tensor(np.array(values, dtype=dtype), dtype=dtype)
    return SimpleNamespace(
        **{name: getattr(shaping, name, None) or getattr(indexing, name) for name in NAMES},
        tensor=tensor, zeros=Tensor.zeros, ones=Tensor.ones, one_hot=indexing.one_hot)


def theirs(torch) -> SimpleNamespace:
    """PyTorch's functions under the same names."""
    def tensor(values, dtype):
        return torch.tensor(values, dtype=getattr(torch, dtype))
    return SimpleNamespace(**{name: getattr(torch, name) for name in NAMES},
                           tensor=tensor, zeros=torch.zeros, ones=torch.ones,
                           one_hot=torch.nn.functional.one_hot)


def long(L, values):
    return L.tensor(values, "int64")


def mask(L, values):
    return L.tensor(values, "bool")


# --- the catalogue ------------------------------------------------------------------------

class T(tuple):
    """An input shape whose array is held transposed in memory (not C-contiguous)."""


@dataclass
class Case:
    name: str
    fn: Callable  # (L, *tensors) -> a tensor or a tuple of tensors
    shapes: tuple
    # PyTorch's own backward fails on a few valid calls (scatter from a src larger than
    # the index): there the gradients are checked by central differences only.
    torch_backward: bool = True

    def inputs(self) -> list[np.ndarray]:
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))
        return [rng.standard_normal(shape[::-1]).T if isinstance(shape, T)
                else rng.standard_normal(shape) for shape in self.shapes]


CASES: list[Case] = []


def case(name, fn, *shapes, torch_backward=True):
    CASES.append(Case(name, fn, shapes, torch_backward))


# The same elements in another shape.
case("view(3, 2)", lambda L, x: x.view(3, 2), (2, 3))
case("view((-1,))", lambda L, x: x.view((-1,)), (2, 3))
case("view() to 0-d", lambda L, x: x.view(()), (1, 1))
case("view_as", lambda L, x: x.view_as(L.zeros(3, 2)), (6,))
case("reshape(-1, 2) transposed input", lambda L, x: x.reshape(-1, 2), T((2, 3)))
case("reshape function", lambda L, x: L.reshape(x, (3, 2)), (2, 3))
case("flatten()", lambda L, x: x.flatten(), (2, 3, 4))
case("flatten(1)", lambda L, x: x.flatten(1), (2, 3, 4))
case("flatten(-2, -1)", lambda L, x: x.flatten(-2, -1), (2, 3, 4))
case("flatten(0, 1)", lambda L, x: x.flatten(0, 1), (2, 3, 4))
case("flatten(start_dim=1, end_dim=1)", lambda L, x: x.flatten(start_dim=1, end_dim=1),
     (2, 3, 4))
case("flatten 0-d", lambda L, x: x.flatten(), ())
case("flatten size 0", lambda L, x: x.flatten(1), (0, 3, 2))
case("flatten transposed", lambda L, x: x.flatten(), T((2, 3)))
case("flatten function", lambda L, x: L.flatten(x, 0, -2), (2, 3, 4))
case("unflatten(1, (3, 4))", lambda L, x: x.unflatten(1, (3, 4)), (2, 12))
case("unflatten(-1, (-1, 2))", lambda L, x: x.unflatten(-1, (-1, 2)), (2, 4))
case("unflatten size 0", lambda L, x: x.unflatten(1, (0, 5)), (2, 0))
case("squeeze()", lambda L, x: x.squeeze(), (1, 3, 1))
case("squeeze(0)", lambda L, x: x.squeeze(0), (1, 3, 1))
case("squeeze(-1)", lambda L, x: x.squeeze(-1), (1, 3, 1))
case("squeeze(1) not 1: no-op", lambda L, x: x.squeeze(1), (1, 3, 1))
case("squeeze((0, 2))", lambda L, x: x.squeeze((0, 2)), (1, 3, 1))
case("squeeze(dim=(-1, 1))", lambda L, x: x.squeeze(dim=(-1, 1)), (1, 3, 1))
case("squeeze(axis=0)", lambda L, x: x.squeeze(axis=0), (1, 3))
case("squeeze() 0-d", lambda L, x: x.squeeze(), ())
case("squeeze(0) 0-d", lambda L, x: x.squeeze(0), ())
case("squeeze() size 0", lambda L, x: x.squeeze(), (1, 0, 1))
case("squeeze function", lambda L, x: L.squeeze(x, 1), (3, 1))
case("unsqueeze(0)", lambda L, x: x.unsqueeze(0), (2, 3))
case("unsqueeze(-1)", lambda L, x: x.unsqueeze(-1), (2, 3))
case("unsqueeze(2)", lambda L, x: x.unsqueeze(2), (2, 3))
case("unsqueeze(-3)", lambda L, x: x.unsqueeze(-3), (2, 3))
case("unsqueeze transposed", lambda L, x: x.unsqueeze(1), T((2, 3)))
case("unsqueeze(0) 0-d", lambda L, x: x.unsqueeze(0), ())
case("unsqueeze(-1) 0-d", lambda L, x: x.unsqueeze(-1), ())
case("unsqueeze(axis=1)", lambda L, x: x.unsqueeze(axis=1), (3,))
case("unsqueeze function", lambda L, x: L.unsqueeze(x, dim=0), (3,))

# The same elements in another order.
case("transpose(0, -1)", lambda L, x: x.transpose(0, -1), (2, 3, 4))
case("transpose(1, 1)", lambda L, x: x.transpose(1, 1), (2, 3))
case("transpose 0-d", lambda L, x: x.transpose(0, -1), ())
case("transpose function", lambda L, x: L.transpose(x, 1, 0), T((2, 3)))
case("permute function", lambda L, x: L.permute(x, (1, -1, 0)), (2, 3, 4))
case("t() 2-D", lambda L, x: x.t(), (2, 3))
case("t() 1-D", lambda L, x: x.t(), (3,))
case("t() 0-d", lambda L, x: x.t(), ())
case("t() transposed", lambda L, x: x.t(), T((2, 3)))
case("mT", lambda L, x: x.mT, (4, 2, 3))
case("mT 2-D", lambda L, x: x.mT, (2, 3))
case("roll(1)", lambda L, x: x.roll(1), (2, 3))
case("roll(1, 1)", lambda L, x: x.roll(1, 1), (2, 3))
case("roll(-1, -1)", lambda L, x: x.roll(-1, -1), (2, 3))
case("roll((1, -2), (0, 1))", lambda L, x: x.roll((1, -2), (0, 1)), (2, 3))
case("roll(7, 1) past the length", lambda L, x: x.roll(7, 1), (2, 3))
case("roll((1, 1), (0, 0))", lambda L, x: x.roll((1, 1), (0, 0)), (3, 2))
case("roll 0-d", lambda L, x: x.roll(1), ())
case("roll size 0", lambda L, x: x.roll(1, 0), (0, 3))
case("roll transposed", lambda L, x: x.roll(1, 0), T((3, 2)))
case("roll function", lambda L, x: L.roll(x, shifts=2, dims=-1), (2, 3))
case("flip(0)", lambda L, x: x.flip(0), (2, 3))
case("flip(0, 1)", lambda L, x: x.flip(0, 1), (2, 3))
case("flip((-1,))", lambda L, x: x.flip((-1,)), (2, 3, 4))
case("flip(dims=[0, 2])", lambda L, x: x.flip(dims=[0, 2]), (2, 3, 4))
case("flip(())", lambda L, x: x.flip(()), (2, 3))
case("flip 0-d", lambda L, x: x.flip(0), ())
case("flip size 0", lambda L, x: x.flip(0), (0, 2))
case("flip transposed", lambda L, x: x.flip(1), T((2, 3)))
case("flip function", lambda L, x: L.flip(x, (0,)), (2, 3))

# Repeated elements.
case("expand(-1, 4)", lambda L, x: x.expand(-1, 4), (2, 1))
case("expand(2, 3) new dim", lambda L, x: x.expand(2, 3), (3,))
case("expand((3, 2, -1))", lambda L, x: x.expand((3, 2, -1)), (2, 1))
case("expand 0-d", lambda L, x: x.expand(2, 3), ())
case("expand to size 0", lambda L, x: x.expand(2, 0), (2, 1))
case("expand transposed", lambda L, x: x.unsqueeze(0).expand(4, -1, -1), T((2, 3)))
case("expand_as", lambda L, x: x.expand_as(L.zeros(4, 2, 3)), (2, 1))
case("repeat(2, 3)", lambda L, x: x.repeat(2, 3), (2, 3))
case("repeat(2, 1, 2) new dim", lambda L, x: x.repeat(2, 1, 2), (2, 3))
case("repeat((1, 2))", lambda L, x: x.repeat((1, 2)), (2, 3))
case("repeat 0-d", lambda L, x: x.repeat(3), ())
case("repeat(0, 1)", lambda L, x: x.repeat(0, 1), (2, 3))
case("repeat transposed", lambda L, x: x.repeat(2, 2), T((2, 3)))

# Parts.
case("narrow(1, 1, 2)", lambda L, x: x.narrow(1, 1, 2), (2, 3))
case("narrow(-1, -2, 2)", lambda L, x: x.narrow(-1, -2, 2), (2, 3))
case("narrow(0, 2, 0)", lambda L, x: x.narrow(0, 2, 0), (2, 3))
case("narrow(axis=1)", lambda L, x: x.narrow(axis=1, start=0, length=1), (2, 3))
case("narrow transposed", lambda L, x: x.narrow(0, 1, 1), T((2, 3)))
case("narrow function", lambda L, x: L.narrow(x, 0, 1, 2), (4,))
case("split(2)", lambda L, x: x.split(2), (5, 3))
case("split(2, dim=-1)", lambda L, x: x.split(2, dim=-1), (2, 5))
case("split([1, 3, 1])", lambda L, x: x.split([1, 3, 1]), (5, 2))
case("split((0, 2), 1)", lambda L, x: x.split((0, 2), 1), (3, 2))
case("split(5) longer than the dim", lambda L, x: x.split(5), (3, 2))
case("split(2) size 0", lambda L, x: x.split(2, 1), (3, 0))
case("split transposed", lambda L, x: x.split(1, 0), T((2, 3)))
case("split function", lambda L, x: L.split(x, [2, 1], 1), (2, 3))
case("chunk(2)", lambda L, x: x.chunk(2), (5,))
case("chunk(3, dim=1)", lambda L, x: x.chunk(3, dim=1), (2, 6))
case("chunk(4) gives 3", lambda L, x: x.chunk(4), (6,))
case("chunk(3) size 0", lambda L, x: x.chunk(3), (0, 2))
case("chunk(axis=-1)", lambda L, x: x.chunk(2, axis=-1), (2, 4))
case("chunk function", lambda L, x: L.chunk(x, 2, -2), T((4, 3)))
case("tril()", lambda L, x: x.tril(), (3, 4))
case("tril(1)", lambda L, x: x.tril(1), (3, 4))
case("tril(-1) batched", lambda L, x: x.tril(-1), (2, 3, 3))
case("triu()", lambda L, x: x.triu(), (3, 4))
case("triu(diagonal=-1)", lambda L, x: x.triu(diagonal=-1), (4, 3))
case("triu transposed", lambda L, x: x.triu(1), T((3, 3)))
case("tril function", lambda L, x: L.tril(x, 2), (3, 5))
case("triu function", lambda L, x: L.triu(x, diagonal=0), (2, 0))

# Joins.
case("cat dim=0", lambda L, x, y: L.cat([x, y]), (2, 3), (1, 3))
case("cat dim=1", lambda L, x, y: L.cat((x, y), dim=1), (2, 3), (2, 2))
case("cat dim=-1 three", lambda L, x, y, z: L.cat([x, y, z], -1), (2, 1), (2, 3), (2, 2))
case("cat axis=1", lambda L, x, y: L.cat([x, y], axis=1), (2, 3), (2, 2))
case("cat size 0", lambda L, x, y: L.cat([x, y]), (0, 3), (2, 3))
case("cat skips 1-D empty", lambda L, x: L.cat([L.zeros(0), x, L.zeros(0)]), (2, 3))
case("cat transposed", lambda L, x, y: L.cat([x, y], 1), T((2, 3)), (2, 1))
case("concat", lambda L, x, y: L.concat([x, y], dim=0), (3,), (2,))
case("concatenate axis=1", lambda L, x, y: L.concatenate([x, y], axis=1), (2, 1), (2, 3))
case("stack dim=0", lambda L, x, y: L.stack([x, y]), (2, 3), (2, 3))
case("stack dim=-1", lambda L, x, y: L.stack([x, y], dim=-1), (2, 3), (2, 3))
case("stack dim=2", lambda L, x, y: L.stack((x, y), 2), (2, 3), (2, 3))
case("stack axis=1", lambda L, x, y: L.stack([x, y], axis=1), (2, 3), (2, 3))
case("stack 0-d", lambda L, x, y: L.stack([x, y]), (), ())
case("stack size 0", lambda L, x, y: L.stack([x, y], 1), (0, 2), (0, 2))
case("stack transposed", lambda L, x, y: L.stack([x, y]), T((2, 3)), (2, 3))

# Picking elements by index tensors and masks.
case("x[bool tensor]", lambda L, x: x[x > 0], (3, 4))
case("x[mask of rows]", lambda L, x: x[mask(L, [True, False, True])], (3, 4))
case("x[mask, 1:]", lambda L, x: x[mask(L, [False, True, True]), 1:], (3, 4))
case("x[int64 tensor] repeated", lambda L, x: x[long(L, [2, 0, 2])], (3, 4))
case("x[int32 tensor]", lambda L, x: x[L.tensor([1, -1], "int32")], (3, 4))
case("x[:, int64 tensor]", lambda L, x: x[:, long(L, [3, 3, 0])], (3, 4))
case("x[rows, cols]", lambda L, x: x[long(L, [[0], [2]]), long(L, [1, 1, 3])], (3, 4))
case("x[0-d int64 tensor]", lambda L, x: x[long(L, 1)], (3, 4))
case("x[empty int64 tensor]", lambda L, x: x[long(L, [])], (3, 4))
case("x[int64 tensor] transposed", lambda L, x: x[long(L, [1, 0])], T((2, 3)))
case("gather(1)", lambda L, x: x.gather(1, long(L, [[0, 2], [1, 1]])), (2, 3))
case("gather(0) repeated", lambda L, x: x.gather(0, long(L, [[1, 0, 1], [1, 1, 1]])), (2, 3))
case("gather(-1) smaller index", lambda L, x: x.gather(-1, long(L, [[2]])), (2, 3))
case("gather(axis=1)", lambda L, x: x.gather(axis=1, index=long(L, [[1], [0]])), (2, 3))
case("gather int32 index", lambda L, x: x.gather(0, L.tensor([2, 0], "int32")), (3,))
case("gather 0-d", lambda L, x: x.gather(0, long(L, 0)), ())
case("gather 0-d index", lambda L, x: x.gather(0, long(L, 2)), (3,))
case("gather size 0", lambda L, x: x.gather(1, L.tensor(np.zeros((0, 2)), "int64")), (2, 3))
case("gather transposed", lambda L, x: x.gather(0, long(L, [[1, 0, 0]])), T((2, 3)))
case("gather function", lambda L, x: L.gather(x, 1, long(L, [[1, 1]])), (1, 3))
case("scatter(1, index, src)", lambda L, x, s: x.scatter(1, long(L, [[0, 2], [1, 0]]), s),
     (2, 3), (2, 2))
case("scatter(0, index, src)", lambda L, x, s: x.scatter(0, long(L, [[1, 0, 1]]), s),
     (2, 3), (1, 3))
case("scatter(-1) value", lambda L, x: x.scatter(-1, long(L, [[0], [2]]), 2.5), (2, 3))
case("scatter(value=)", lambda L, x: x.scatter(0, long(L, [1, 2]), value=-1.0), (4,))
case("scatter src larger than index",
     lambda L, x, s: x.scatter(1, long(L, [[0, 2], [1, 0]]), s), (2, 3), (3, 3),
     torch_backward=False)
case("scatter 0-d", lambda L, x, s: x.scatter(0, long(L, 0), s), (), ())
case("scatter transposed", lambda L, x, s: x.scatter(0, long(L, [[1, 0, 1]]), s),
     T((2, 3)), T((1, 3)))
case("scatter function", lambda L, x, s: L.scatter(x, 0, long(L, [2, 0]), s), (3,), (2,))
case("scatter_add(1) repeated",
     lambda L, x, s: x.scatter_add(1, long(L, [[0, 0, 2], [1, 1, 1]]), s), (2, 3), (2, 3))
case("scatter_add(0)", lambda L, x, s: x.scatter_add(0, long(L, [[1, 0, 1]]), s),
     (2, 3), (1, 3))
case("scatter_add(axis=0)", lambda L, x, s: x.scatter_add(axis=0, index=long(L, [0, 0]),
                                                          src=s), (3,), (2,))
case("scatter_add function", lambda L, x, s: L.scatter_add(x, -1, long(L, [[2, 2]]), s),
     T((2, 3)), (1, 2))
case("index_select(0) repeated", lambda L, x: x.index_select(0, long(L, [2, 0, 2])), (3, 2))
case("index_select(-1)", lambda L, x: x.index_select(-1, long(L, [1])), (2, 3))
case("index_select 0-d index", lambda L, x: x.index_select(1, long(L, 2)), (2, 3))
case("index_select empty", lambda L, x: x.index_select(1, long(L, [])), (2, 3))
case("index_select 0-d", lambda L, x: x.index_select(0, long(L, [0])), ())
case("index_select int32", lambda L, x: x.index_select(0, L.tensor([1], "int32")), (2, 3))
case("index_select(axis=1)", lambda L, x: x.index_select(axis=1, index=long(L, [0, 0])),
     (2, 3))
case("index_select transposed", lambda L, x: x.index_select(1, long(L, [1, 0])), T((2, 3)))
case("index_select function", lambda L, x: L.index_select(x, 0, long(L, [1])), (2, 3))
case("masked_fill number", lambda L, x: x.masked_fill(x > 0, -1.0), (2, 3))
case("masked_fill broadcast mask",
     lambda L, x: x.masked_fill(mask(L, [True, False, True]), 0.0), (2, 3))
case("masked_fill broadcast self",
     lambda L, x: x.masked_fill(mask(L, [[True, False], [False, False]]), 0.0), (2,))
case("masked_fill 0-d value tensor",
     lambda L, x, v: x.masked_fill(mask(L, [[True, False, True], [True, True, False]]), v),
     (2, 3), ())
case("masked_fill 0-d", lambda L, x: x.masked_fill(mask(L, True), 2.0), ())
case("masked_fill transposed", lambda L, x: x.masked_fill(mask(L, [True, False]), 0.0),
     T((3, 2)))
case("masked_fill function",
     lambda L, x: L.masked_fill(x, mask(L, [[False], [True]]), 3.0), (2, 3))

# Ops in a row, through views and copies.
case("t().reshape()", lambda L, x: x.t().reshape(6), (2, 3))
case("unsqueeze, expand, flatten", lambda L, x: x.unsqueeze(1).expand(-1, 2, -1).flatten(1),
     (3, 2))
case("split then cat", lambda L, x: L.cat(x.split(1, 1)[::-1], 1), (2, 3))
case("attention-style mask", lambda L, q: (q @ q.mT).masked_fill(
    L.ones(3, 3).tril() == 0, float("-inf")).softmax(-1), (3, 2))

IDS = [c.name for c in CASES]
assert len(set(IDS)) == len(IDS), "case names must be unique"


def pieces(out) -> tuple:
    """An op's result as a tuple of tensors (split and chunk give several)."""
    return out if isinstance(out, tuple) else (out,)


# --- the checks ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_values_dtypes_and_gradients_equal_pytorch(c, dtype):
    torch = pytest.importorskip("torch")
    arrays = [a.astype(dtype) for a in c.inputs()]
    ours_in = [Tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = pieces(c.fn(ours(), *ours_in)), pieces(c.fn(theirs(torch), *theirs_in))

    assert len(out) == len(expected)
    tol = dict(rtol=1e-12, atol=1e-12) if dtype == "float64" else dict(rtol=1e-6, atol=1e-6)
    upstream = np.random.default_rng(1)
    ours_loss = theirs_loss = 0
    for piece, theirs_piece in zip(out, expected):
        assert isinstance(piece, Tensor) and isinstance(piece.data, np.ndarray)
        assert tuple(piece.shape) == tuple(theirs_piece.shape)
        assert f"torch.{piece.dtype}" == str(theirs_piece.dtype)
        np.testing.assert_allclose(piece.data, theirs_piece.detach().numpy(), **tol)
        u = upstream.standard_normal(piece.shape).astype(dtype)
        ours_loss = ours_loss + (piece * u).sum()
        theirs_loss = theirs_loss + (theirs_piece * torch.from_numpy(u)).sum()
    if not c.torch_backward:
        return
    ours_loss.backward()
    theirs_loss.backward()
    for i, (x, t) in enumerate(zip(ours_in, theirs_in)):
        assert x.grad.shape == x.shape and x.grad.dtype == x.dtype, f"input {i}"
        np.testing.assert_allclose(x.grad, t.grad.numpy(), **tol, err_msg=f"input {i}")


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_gradients_equal_central_differences(c):
    def joined(*tensors):
        return shaping.cat([piece.reshape(-1) for piece in pieces(c.fn(ours(), *tensors))])
    tensors = [Tensor(a, requires_grad=True) for a in c.inputs()]
    assert gradcheck(joined, *tensors)


# --- errors: the same type of exception as PyTorch ----------------------------------------

ERRORS = [
    ("unsqueeze(3) of 2-D", lambda L: L.zeros(2, 3).unsqueeze(3), IndexError),
    ("unsqueeze(-4) of 2-D", lambda L: L.zeros(2, 3).unsqueeze(-4), IndexError),
    ("squeeze(2) of 2-D", lambda L: L.zeros(2, 3).squeeze(2), IndexError),
    ("squeeze((0, 0))", lambda L: L.zeros(1, 3).squeeze((0, 0)), RuntimeError),
    ("flatten(2) of 2-D", lambda L: L.zeros(2, 3).flatten(2), IndexError),
    ("flatten(1, 0)", lambda L: L.zeros(2, 3).flatten(1, 0), RuntimeError),
    ("unflatten sizes do not multiply", lambda L: L.zeros(2, 12).unflatten(1, (5, 4)),
     RuntimeError),
    ("unflatten(2) of 2-D", lambda L: L.zeros(2, 12).unflatten(2, (3, 4)), IndexError),
    ("unflatten no sizes", lambda L: L.zeros(2, 12).unflatten(1, ()), RuntimeError),
    ("unflatten 0-d", lambda L: L.zeros(()).unflatten(0, (1,)), RuntimeError),
    ("transpose(0, 2) of 2-D", lambda L: L.zeros(2, 3).transpose(0, 2), IndexError),
    ("permute(0, 2) of 2-D", lambda L: L.zeros(2, 3).permute(0, 2), IndexError),
    ("t() of 3-D", lambda L: L.zeros(2, 3, 4).t(), RuntimeError),
    ("mT of 1-D", lambda L: L.zeros(3).mT, RuntimeError),
    ("expand a dim of 3 to 4", lambda L: L.zeros(2, 3).expand(2, 4), RuntimeError),
    ("expand to fewer dims", lambda L: L.zeros(2, 3).expand(3), RuntimeError),
    ("expand -1 in a new dim", lambda L: L.zeros(2, 3).expand(-1, 2, 3), RuntimeError),
    ("repeat fewer sizes than dims", lambda L: L.zeros(2, 3).repeat(2), RuntimeError),
    ("repeat(-1, 1)", lambda L: L.zeros(2, 3).repeat(-1, 1), RuntimeError),
    ("narrow start past the end", lambda L: L.zeros(2, 3).narrow(1, 4, 0), IndexError),
    ("narrow start before the start", lambda L: L.zeros(2, 3).narrow(1, -4, 1), IndexError),
    ("narrow too long", lambda L: L.zeros(2, 3).narrow(1, 2, 2), RuntimeError),
    ("narrow negative length", lambda L: L.zeros(2, 3).narrow(1, 0, -1), RuntimeError),
    ("narrow(2) of 2-D", lambda L: L.zeros(2, 3).narrow(2, 0, 1), IndexError),
    ("narrow 0-d", lambda L: L.zeros(()).narrow(0, 0, 1), RuntimeError),
    ("split(0)", lambda L: L.zeros(2, 3).split(0, 1), RuntimeError),
    ("split(-1)", lambda L: L.zeros(2, 3).split(-1, 1), RuntimeError),
    ("split sizes do not sum", lambda L: L.zeros(2, 3).split([1, 1], 1), RuntimeError),
    ("split negative size", lambda L: L.zeros(2, 3).split([-1, 4], 1), RuntimeError),
    ("split(2, 2) of 2-D", lambda L: L.zeros(2, 3).split(2, 2), IndexError),
    ("split 0-d", lambda L: L.zeros(()).split(1), RuntimeError),
    ("chunk(0)", lambda L: L.zeros(6).chunk(0), RuntimeError),
    ("chunk 0-d", lambda L: L.zeros(()).chunk(2), RuntimeError),
    ("chunk(2, 2) of 2-D", lambda L: L.zeros(2, 3).chunk(2, 2), IndexError),
    ("roll shifts and dims differ", lambda L: L.zeros(2, 3).roll(1, (0, 1)), RuntimeError),
    ("roll two shifts, no dims", lambda L: L.zeros(2, 3).roll((1, 2)), RuntimeError),
    ("roll(1, 2) of 2-D", lambda L: L.zeros(2, 3).roll(1, 2), IndexError),
    ("roll a dim of 0-d", lambda L: L.zeros(()).roll(1, 0), IndexError),
    ("flip(0, 0)", lambda L: L.zeros(2, 3).flip(0, 0), RuntimeError),
    ("flip(2) of 2-D", lambda L: L.zeros(2, 3).flip(2), IndexError),
    ("tril of 1-D", lambda L: L.zeros(3).tril(), RuntimeError),
    ("triu of 0-d", lambda L: L.zeros(()).triu(), RuntimeError),
    ("cat of no tensors", lambda L: L.cat([]), ValueError),
    ("cat(dim=2) of 2-D", lambda L: L.cat([L.zeros(2, 3)], dim=2), IndexError),
    ("cat of 0-d", lambda L: L.cat([L.zeros(()), L.zeros(())]), RuntimeError),
    ("stack of no tensors", lambda L: L.stack([]), RuntimeError),
    ("stack(dim=3) of 2-D", lambda L: L.stack([L.zeros(2, 3)], dim=3), IndexError),
    ("x[float tensor]", lambda L: L.zeros(3)[L.tensor([0.0, 1.0], "float32")], IndexError),
    ("x[int16 tensor]", lambda L: L.zeros(3)[L.tensor([0, 1], "int16")], IndexError),
    ("x[int64 tensor] out of range", lambda L: L.zeros(3)[long(L, [3])], IndexError),
    ("x[mask of the wrong length]", lambda L: L.zeros(3)[mask(L, [True, False])], IndexError),
    ("gather float index", lambda L: L.zeros(2, 3).gather(1, L.tensor([[0.0]], "float32")),
     RuntimeError),
    ("gather index out of range", lambda L: L.zeros(2, 3).gather(1, long(L, [[3]])),
     RuntimeError),
    ("gather negative index", lambda L: L.zeros(2, 3).gather(1, long(L, [[-1]])),
     RuntimeError),
    ("gather index of fewer dims", lambda L: L.zeros(2, 3).gather(1, long(L, [0, 1])),
     RuntimeError),
    ("gather index larger off dim", lambda L: L.zeros(2, 3).gather(1, long(L, [[0]] * 3)),
     RuntimeError),
    ("gather(2) of 2-D", lambda L: L.zeros(2, 3).gather(2, long(L, [[0]])), IndexError),
    ("scatter dtypes differ", lambda L: L.zeros(2).scatter(0, long(L, [0]),
                                                            L.tensor([1.0], "float64")),
     RuntimeError),
    ("scatter index out of range", lambda L: L.zeros(2).scatter(0, long(L, [2]), 1.0),
     RuntimeError),
    ("scatter index larger than src", lambda L: L.zeros(3).scatter(0, long(L, [0, 1]),
                                                                    L.zeros(1)),
     RuntimeError),
    ("scatter_add of a number", lambda L: L.zeros(2).scatter_add(0, long(L, [0]), 1.0),
     TypeError),
    ("index_select 2-D index", lambda L: L.zeros(2, 3).index_select(1, long(L, [[0]])),
     IndexError),
    ("index_select out of range", lambda L: L.zeros(2, 3).index_select(1, long(L, [3])),
     RuntimeError),
    ("index_select negative", lambda L: L.zeros(2, 3).index_select(1, long(L, [-1])),
     RuntimeError),
    ("index_select float index",
     lambda L: L.zeros(2, 3).index_select(1, L.tensor([0.0], "float32")), RuntimeError),
    ("index_select(2) of 2-D", lambda L: L.zeros(2, 3).index_select(2, long(L, [0])),
     IndexError),
    ("masked_fill int64 mask", lambda L: L.zeros(2).masked_fill(long(L, [1, 0]), 1.0),
     RuntimeError),
    ("masked_fill 1-D value", lambda L: L.zeros(2).masked_fill(mask(L, [True, False]),
                                                               L.zeros(1)), RuntimeError),
    ("one_hot of floats", lambda L: L.one_hot(L.tensor([0.0, 1.0], "float32")), RuntimeError),
    ("one_hot of int32", lambda L: L.one_hot(L.tensor([0, 1], "int32")), RuntimeError),
    ("one_hot negative", lambda L: L.one_hot(long(L, [0, -1])), RuntimeError),
    ("one_hot too few classes", lambda L: L.one_hot(long(L, [0, 2]), 2), RuntimeError),
    ("one_hot of nothing", lambda L: L.one_hot(long(L, [])), RuntimeError),
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
    with pytest.raises(IndexError, match=r"squeeze: Dimension out of range \(expected to be "
                                         r"in range of \[-2, 1\], but got 2\) for a tensor of "
                                         r"shape \(2, 3\)"):
        Tensor.zeros(2, 3).squeeze(2)
    with pytest.raises(RuntimeError, match="gather: index 3 is out of bounds for dimension 1 "
                                           "with size 3"):
        Tensor.zeros(2, 3).gather(1, Tensor(np.array([[3]]), dtype=np.int64))
    with pytest.raises(RuntimeError, match=r"gather\(\): Expected dtype int32/int64 for index, "
                                           r"got float32 .*\.long\(\)"):
        Tensor.zeros(2, 3).gather(1, Tensor([[0.0]]))
    with pytest.raises(IndexError, match="a Tensor holds floats and cannot be used as an index"):
        Tensor.zeros(3)[Tensor([0.0])]
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(4\) must match "
                                           r"the existing size \(3\) at non-singleton "
                                           r"dimension 1"):
        Tensor.zeros(2, 3).expand(2, 4)


# --- the rest: shape facts, one_hot, PyTorch's aliasing ----------------------------------

def test_size_is_a_tuple_that_prints_as_pytorchs():
    torch = pytest.importorskip("torch")
    s = Size([2, 3])
    assert repr(s) == repr(torch.Size([2, 3])).replace("torch.", "") == "Size([2, 3])"
    assert repr(Size([])) == "Size([])" and str(s) == "Size([2, 3])"
    assert s == (2, 3) and isinstance(s, tuple) and hash(s) == hash((2, 3))
    assert type(s[1:]) is Size and s[1:] == (3,) and type(s[0]) is int
    assert type(s + (4,)) is Size and s + (4,) == (2, 3, 4)
    assert s.numel() == 6 and Size([]).numel() == 1 and Size([2, 0]).numel() == 0


@pytest.mark.parametrize("shape", [(), (0,), (2, 3), (2, 1, 4)])
def test_size_numel_and_dim_equal_pytorchs(shape):
    torch = pytest.importorskip("torch")
    x, t = Tensor.zeros(shape), torch.zeros(shape)
    # Tensor's own `size` and `shape` attributes still take precedence over ShapeMethods'
    assert ShapeMethods.size(x) == t.size() and type(ShapeMethods.size(x)) is Size
    assert ShapeMethods.shape.fget(x) == t.shape
    assert type(ShapeMethods.shape.fget(x)) is Size
    assert x.numel() == t.numel() and x.dim() == t.dim()
    for dim in range(-len(shape), len(shape)):
        assert ShapeMethods.size(x, dim) == t.size(dim) == ShapeMethods.size(x, axis=dim)


@pytest.mark.parametrize("labels, num_classes", [
    ([0, 2, 1], -1), ([0, 2, 1], 4), ([[0, 1], [3, 0]], -1), (2, 3), ([], 3), ([[], []], 2),
])
def test_one_hot_equals_pytorchs(labels, num_classes):
    torch = pytest.importorskip("torch")
    ours_out = indexing.one_hot(Tensor(np.array(labels, dtype=np.int64), dtype=np.int64),
                                num_classes)
    theirs_out = torch.nn.functional.one_hot(torch.tensor(labels, dtype=torch.long),
                                             num_classes)
    assert ours_out.dtype == np.int64 and str(theirs_out.dtype) == "torch.int64"
    np.testing.assert_array_equal(ours_out.data, theirs_out.numpy())
    assert ours_out.data.shape == tuple(theirs_out.shape) and not ours_out.requires_grad


def test_the_function_forms_are_the_methods():
    for name in ("squeeze", "unsqueeze", "flatten", "reshape", "transpose", "permute", "split",
                 "chunk", "narrow", "roll", "flip", "tril", "triu"):
        assert getattr(shaping, name) is getattr(ShapeMethods, name)
    for name in ("gather", "scatter", "scatter_add", "index_select", "masked_fill"):
        assert getattr(indexing, name) is getattr(ShapeMethods, name)
    assert shaping.concat is shaping.cat


def test_concatenate_and_stack_keep_their_numpy_spelling():
    a, b = Tensor.ones(2, 3, requires_grad=True), Tensor.zeros(1, 3, requires_grad=True)
    assert shaping.concatenate([a, b], axis=None).shape == (9,)  # NumPy: flattened first
    assert shaping.concatenate([a, np.zeros((2, 1))], 1).shape == (2, 4)  # an array joins
    assert shaping.stack([a, a], axis=2).shape == (2, 3, 2)
    (shaping.concatenate([a, b]) * np.arange(9.0).reshape(3, 3)).sum().backward()
    assert b.grad.tolist() == [[6.0, 7.0, 8.0]] and a.grad.tolist()[1] == [3.0, 4.0, 5.0]


def test_views_share_memory_and_copies_do_not_as_in_pytorch():
    torch = pytest.importorskip("torch")

    def after_writing(L, make):
        with torch.no_grad(), no_grad():
            x = L.zeros(2, 3)
            y = make(L, x)
            y += 1  # in place, on the view or on the copy
        return x.tolist()

    for make in (lambda L, x: x.view(6), lambda L, x: x.narrow(1, 0, 2), lambda L, x: x.t(),
                 lambda L, x: x.unsqueeze(0), lambda L, x: x.split(1)[0],
                 lambda L, x: x.flip(0), lambda L, x: x.roll(1), lambda L, x: x.repeat(1, 1),
                 lambda L, x: x.tril(), lambda L, x: x.index_select(0, long(L, [0])),
                 lambda L, x: x.masked_fill(x > 1, 0.0)):
        assert after_writing(ours(), make) == after_writing(theirs(torch), make)


L_ours = ours()


@pytest.mark.parametrize("make, written", [
    (lambda x: x.unsqueeze(0), "unsqueeze(x)"),
    (lambda x: x.expand(2, -1, -1), "expand(x)"),
    (lambda x: x.repeat(2, 1), "repeat(x)"),
    (lambda x: x.roll(1, 0), "roll(x)"),
    (lambda x: x.tril(-1), "tril(x, (-1))"),
    (lambda x: x.gather(1, L_ours.tensor([[0, 0], [1, 0]], "int64")), "gather(x, 1, index)"),
    (lambda x: x.index_select(1, L_ours.tensor([1], "int64")), "index_select(x, 1, index)"),
    (lambda x: x.scatter(0, L_ours.tensor([[1, 0]], "int64"), 0.5), "scatter(x, 0, index, "),
    (lambda x: x.masked_fill(x > 0, 0.0), "masked_fill(x, mask, "),
    (lambda x: x.narrow(1, 0, 1), "x[:, 0:1]"),
])
def test_derivations_write_each_ops_expression_and_rule(make, written):
    x = Tensor(np.array([[1.0, -2.0], [3.0, 4.0]]), requires_grad=True, label="x")
    text = str(derive(make(x).sum()))
    assert written in text
    rule = next(line for line in text.splitlines() if line.strip().startswith("∂L/∂x ="))
    assert "None" not in rule and "{" not in rule, rule
