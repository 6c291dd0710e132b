"""How much of PyTorch's op surface does chainrule cover, by name and with PyTorch's semantics?

Run it from the repository root (PyTorch must be installed)::

    python benchmarks/op_coverage.py              # the figure and the gaps
    python benchmarks/op_coverage.py --markdown   # the gaps as Markdown lists
    python benchmarks/op_coverage.py --verbose    # every op, with its verdict

The op list is the set of PyTorch ops that tinygrad's ``test/test_ops.py`` exercises: from
each of its test methods, the PyTorch op(s) that its PyTorch-side calls use, an operator
counting as the op of its name (``x + y`` is ``add``, ``x // y`` is ``floor_divide``,
``x % y`` is ``remainder``, ``x[i]`` is ``__getitem__``; a reflected operand such as
``2 - x`` counts under the op itself), the modules ``nn.Softmax``, ``nn.LogSoftmax`` and
``nn.CrossEntropyLoss`` under ``softmax``, ``log_softmax`` and ``cross_entropy``. Only names
that PyTorch itself has are kept (``hasattr`` on ``torch``, ``torch.Tensor`` or
``torch.nn.functional``). The checks below are our own small cases written after those
calls, not tinygrad's code; where a call chains a second op, a check writes that one in a
form chainrule has, so that each op is judged on its own (``x.max() * 0.5`` for
``x.max().mul(0.5)``, ``x.log_softmax(1)`` inside the ``nll_loss`` checks).

An op is *covered* when chainrule has its name (``hasattr`` on ``chainrule``,
``chainrule.Tensor`` or ``chainrule.nn.functional``) and every check of it passes: each
check makes the same call with ``import chainrule as torch`` and with PyTorch, on the same
small float64 inputs (or the integer / bool values written in the check), and compares the
results: type (a Tensor), shape, dtype and values (``rtol=1e-6``, NaNs equal); for a
differentiable check, also the gradient of the sum of the float outputs with respect to
every float input (an input without a gradient counts as a zero gradient).
"""

from __future__ import annotations

import argparse
import math
import traceback
import warnings
from dataclasses import dataclass

import numpy as np
from common import torch  # before chainrule: see common.py

import chainrule


class V:
    """Explicit input values: floats become float64, ints int64, bools bool (or ``dtype``)."""

    def __init__(self, values, dtype=None):
        array = np.array(values)
        if dtype is None and array.dtype.kind == "f":
            dtype = "float64"
        self.array = array.astype(dtype) if dtype else array


@dataclass
class Check:
    """One call of an op: ``inputs`` (shapes of random float64 inputs in [low, high), or
    :class:`V`), ``fn(m, *inputs)`` with ``m`` the library, and whether to compare grads."""

    inputs: list
    fn: object
    grad: bool = True
    low: float = -2.0
    high: float = 2.0
    rtol: float = 1e-6


def c(inputs, fn, grad=True, **kw):
    """A differentiable check: values and gradients."""
    return Check(list(inputs), fn, grad, **kw)


def fw(inputs, fn, **kw):
    """A forward-only check: values."""
    return Check(list(inputs), fn, False, **kw)


# Shorthands for the checks' data.
INF, NAN = math.inf, math.nan
SPECIALS = V([INF, -INF, NAN])
ROUNDING = V([1.499, 1.5, 1.501, 1.0, 2.1, 0.0, -5.0, -2.499, -2.5, -2.501])
INTS = V([[1, -8, 1], [32, 1, 6]], "int32")
BOOLS_A, BOOLS_B = V([True, True, False, False]), V([True, False, True, False])
MOD_A, MOD_B = [-4, 7, 5, 4, -7, 8, -9], [2, -3, 8, -2, 3, 5, -5]
DIV_A = [5.0, 6, 7, 0, -5, -6, -7]
IDX = V([[0, 2, 1, 4], [3, 3, 0, 1], [4, 0, 2, 2]])   # for gather: (3, 4) into (4, 5)
IDX0 = V([[0, 2, 1, 3], [3, 3, 0, 1], [1, 0, 2, 2]])  # the same along dim 0
PERM = V([[0, 2], [1, 0], [2, 1]])                     # distinct per row: scatter on dim 1
CLASSES = V([1, 0, 4, 2])


def _cmp(op):
    """The comparison checks of one operator: tensor-tensor, broadcast, constant, reflected."""
    pair = V([0.0, 1, 2]), V([2.0, 1, 0])
    return [
        fw(pair, lambda m, x, y: op(x, y)),
        fw([V([0, 1, 2]), V([2, 1, 0])], lambda m, x, y: op(x, y)),
        fw([(3, 4), (4,)], lambda m, x, y: op(x, y)),
        fw(pair, lambda m, x, y: (op(x, 2), op(2, y))),
        fw([V([0.0, 1, INF, -INF]), V([-INF, 1, INF, 0.0])], lambda m, x, y: op(x, y)),
    ]


# (name, check): an op with several checks appears once per check.
OPS: list[tuple[str, Check]] = [
    # creation
    ("full_like", fw([V([[1.0, 2, 3], [4, 5, 6]])], lambda m, b: m.full_like(b, 4))),
    ("full_like", fw([V([[1, 2, 3], [4, 5, 6]], "int32")], lambda m, b: m.full_like(b, 4))),
    ("full", fw([], lambda m: m.full((4, 5), 4, dtype=m.int32))),
    ("full", fw([], lambda m: m.full((2, 3), 1.5))),
    ("zeros", fw([], lambda m: (m.zeros(4, 5), m.zeros([4, 5]), m.zeros([])))),
    ("zeros_like", fw([V([[1, 2, 3], [4, 5, 6]], "int32")], lambda m, b: m.zeros_like(b))),
    ("zeros_like", fw([(2, 3)], lambda m, b: m.zeros_like(b))),
    ("empty", fw([], lambda m: m.empty(4, 5) * 0 / 0)),
    ("ones", fw([], lambda m: (m.ones(4, 5), m.ones([4, 5]), m.ones([])))),
    ("ones_like", fw([V([[1, 2, 3], [4, 5, 6]], "int32")], lambda m, b: m.ones_like(b))),
    ("ones_like", fw([(2, 3)], lambda m, b: m.ones_like(b))),
    ("eye", fw([], lambda m: (m.eye(4), m.eye(3, 5), m.eye(5, 3), m.eye(0)))),
    ("arange", fw([], lambda m: (m.arange(10, dtype=m.int32), m.arange(5, 10, 3, dtype=m.int32),
                                 m.arange(10, 5, -3, dtype=m.int32)))),
    ("arange", fw([], lambda m: (m.arange(5.5, 17.5, 2.5), m.arange(-3.2, -0.3, 0.75)))),
    ("linspace", fw([], lambda m: (m.linspace(5, 10, 3), m.linspace(5, 10, 1),
                                   m.linspace(5.5, -5.5, 10)))),
    ("linspace", fw([], lambda m: m.linspace(5, -5, 20, dtype=m.int32))),
    ("tensor", fw([], lambda m: (m.tensor([1, 2, 4]), m.tensor([[1.0, 2.0], [3.0, 4.0]]),
                                 m.tensor(True), m.tensor(3.5)))),
    ("tensor", fw([], lambda m: m.tensor([INF, -INF, NAN])[m.tensor([0, 1, 2])])),
    ("meshgrid", c([(3,), (4,)], lambda m, x, y: m.meshgrid(x, y, indexing="ij"))),
    ("meshgrid", c([(3,), (4,)], lambda m, x, y: m.meshgrid(x, y, indexing="xy"))),
    # shape and view
    ("split", c([(10,)], lambda m, x: x.split([1, 4, 5]))),
    ("split", c([(10,)], lambda m, x: x.split(3))),
    ("split", c([(3, 4)], lambda m, x: x.split(1, dim=1))),
    ("chunk", c([(8, 13)], lambda m, x: x.chunk(6, 1))),
    ("chunk", c([(8, 13)], lambda m, x: x.chunk(3, -1))),
    ("unfold", c([(8,)], lambda m, x: x.unfold(0, 2, 1))),
    ("unfold", c([(3, 3, 5)], lambda m, x: x.unfold(-1, 2, 2))),
    ("repeat", c([(2, 3)], lambda m, x: x.repeat(2, 1, 3))),
    ("repeat", c([()], lambda m, x: x.repeat(2, 3))),
    ("permute", c([(1, 2, 3, 4)], lambda m, x: x.permute((3, 0, 2, 1)))),
    ("permute", c([(2, 3, 4, 5)], lambda m, x: x.permute((-2, -1, 1, 0)))),
    ("permute", c([()], lambda m, x: x.permute(()))),
    ("reshape", c([(4, 3, 2)], lambda m, x: (x.reshape((-1, 3, 2)), x.reshape((12, 2))))),
    ("reshape", c([(1,)], lambda m, x: x.reshape(()))),
    ("reshape", c([()], lambda m, x: x.reshape((1, 1, 1)))),
    ("view", c([(4, 3, 2)], lambda m, x: (x.view((12, 2)), x.view(-1, 6), x.view([2, 12])))),
    ("view", c([(6,)], lambda m, x: x.view(2, 3))),
    ("expand", c([(2, 3, 1, 2)], lambda m, x: (x.expand((2, 3, 2, 2)), x.expand((3, 2, 3, 2, 2))))),
    ("expand", c([()], lambda m, x: x.expand((2, 3)))),
    ("expand", c([(1, 1, 1)], lambda m, x: x.expand(2, 4, 3))),
    ("flip", c([(4, 3, 2)], lambda m, x: (x.flip((0,)), x.flip((0, 1)), x.flip((-1,))))),
    ("flip", c([(4, 3)], lambda m, x: x.flip(()))),
    ("squeeze", c([(1, 3, 4)], lambda m, x: x.squeeze(0))),
    ("squeeze", c([(2, 1, 3, 1)], lambda m, x: (x.squeeze(), x.squeeze(-1), x.squeeze(0)))),
    ("squeeze", c([()], lambda m, x: (x.squeeze(), x.squeeze(0), x.squeeze(-1)))),
    ("unsqueeze", c([(2, 3, 4)], lambda m, x: (x.unsqueeze(0), x.unsqueeze(3), x.unsqueeze(-1),
                                               x.unsqueeze(-3)))),
    ("unsqueeze", c([()], lambda m, x: x.unsqueeze(0))),
    ("flatten", c([(2, 3, 4, 5)], lambda m, x: (x.flatten(start_dim=1), x.flatten(end_dim=1),
                                                x.flatten(start_dim=1, end_dim=3)))),
    ("flatten", c([()], lambda m, x: x.flatten())),
    ("unflatten", c([(4, 3, 6)], lambda m, x: (x.unflatten(0, (2, 2)),
                                               x.unflatten(-1, (3, 2, 1))))),
    ("transpose", c([(2, 3, 4)], lambda m, x: (x.transpose(1, 2), x.transpose(0, 2)))),
    ("T", c([(3, 4)], lambda m, x: x.T)),
    ("detach", fw([(3, 4)], lambda m, x: x.detach())),
    ("cat", c([(2, 3, 4)] * 3, lambda m, x, y, z: (m.cat((x, y, z), 1), m.cat((x, y, z), -1)))),
    ("cat", c([(2, 0, 3), (2, 1, 3), (2, 2, 3)], lambda m, x, y, z: m.cat((x, y, z), 1))),
    ("stack", c([(2, 3)] * 3, lambda m, x, y, z: (m.stack((x, y, z), 0),
                                                  m.stack((x, y, z), -1)))),
    ("repeat_interleave", c([(3, 3)], lambda m, x: (x.repeat_interleave(2, 1),
                                                    x.repeat_interleave(2, -2)))),
    ("repeat_interleave", c([(3, 3)], lambda m, x: x.repeat_interleave(3))),
    ("roll", c([(2, 4)], lambda m, x: x.roll(1))),
    ("roll", c([(2, 4)], lambda m, x: (x.roll(1, 0), x.roll(-1, -1), x.roll(5, 0)))),
    ("roll", c([(2, 4, 3)], lambda m, x: x.roll(shifts=(2, -3), dims=(0, 2)))),
    ("diag", c([(5,)], lambda m, x: x.diag())),
    ("diagonal", c([(4, 4)], lambda m, x: x.diagonal())),
    ("tril", c([(4, 5)], lambda m, x: (x.tril(), x.tril(1), x.tril(-1), x.tril(-6)))),
    ("tril", c([(2, 3, 3)], lambda m, x: x.tril())),
    ("tril", fw([V([[True] * 3] * 3)], lambda m, x: x.tril())),
    ("triu", c([(4, 5)], lambda m, x: (x.triu(), x.triu(1), x.triu(-1), x.triu(6)))),
    ("triu", c([(2, 3, 3)], lambda m, x: x.triu())),
    ("triu", fw([V([[True] * 3] * 3)], lambda m, x: x.triu())),
    ("pad", c([(2, 3, 3)], lambda m, x: (m.F.pad(x, (1, 2, 3, 4)),
                                         m.F.pad(x, (1, 2, 3, 4), value=5)))),
    ("pad", c([(3, 3)], lambda m, x: m.F.pad(x, (-1, 2, -3, 4)))),
    ("pad", c([(1, 1, 5, 5)], lambda m, x: m.F.pad(x, (0, 2, 3, 2), mode="reflect"))),
    ("pad", c([(1, 1, 5, 5)], lambda m, x: m.F.pad(x, (0, 2, 3, 2), mode="replicate"))),
    ("pad", c([(1, 1, 5, 5)], lambda m, x: m.F.pad(x, (0, 2, 3, 2), mode="circular"))),
    ("__getitem__", c([(4,)], lambda m, x: (x[1:3], x[0], x[-1], x[-6:2]))),
    ("__getitem__", c([()], lambda m, x: x[None])),
    ("__getitem__", c([(3, 3, 3)], lambda m, x: (x[1, 1, 1], x[1:2, None, 1:2], x[None, 1, 0:2],
                                                 x[1:50, 1:2, -1], x[5:10]))),
    ("__getitem__", c([(7, 5, 10)], lambda m, x: (x[::2, ::3, ::4], x[1:5:2, 3, ::4]))),
    ("__getitem__", c([(3, 3, 3, 3)], lambda m, x: (x[..., 0], x[0, ..., 0],
                                                    x[None, 0:3, ..., 0, None]))),
    ("__getitem__", c([(3, 3, 3)], lambda m, x: x[:, [0], :])),
    ("__getitem__", c([(2, 3), V([[0, 1, -1], [-1, -2, 0]]), V([2, 1, -1])],
                      lambda m, x, i, j: x[i, j])),
    ("__getitem__", c([(2, 3, 4), V([1, 0]), V([3, 0])], lambda m, x, i, j: x[i, :, j])),
    ("__getitem__", c([(2, 3, 4), V([[0], [2]])], lambda m, x, i: x[1, i, 1:3])),
    # elementwise arithmetic
    ("add", c([(2, 3), (2, 3)], lambda m, x, y: x + y)),
    ("add", c([(2, 3), (3,)], lambda m, x, y: (x + y, x + 2, 2 + x))),
    ("add", c([(), ()], lambda m, x, y: x + y)),
    ("sub", c([(2, 3), (2, 3)], lambda m, x, y: x - y)),
    ("sub", c([(2, 3)], lambda m, x: (x - 2, 2 - x))),
    ("mul", c([(2, 3), (2, 3)], lambda m, x, y: x * y)),
    ("mul", c([(2, 3)], lambda m, x: (x * 2, 2 * x, x * -1, x * INF))),
    ("div", c([(2, 3), (2, 3)], lambda m, x, y: x / y, low=0.5)),
    ("div", c([(2, 3)], lambda m, x: (x / 255, 2 / x, x / INF), low=0.5)),
    ("div", fw([V(DIV_A), V([-3.0])], lambda m, x, y: (x.div(y, rounding_mode=None),
                                                       x.div(y, rounding_mode="trunc"),
                                                       x.div(y, rounding_mode="floor")))),
    ("div", fw([V([-4, 7, 5, 4, -7, 8]), V([2, -3, 8, -2, 3, 5])],
               lambda m, x, y: (x / y, m.div(x, y, rounding_mode="trunc"),
                                x.div(y, rounding_mode="floor")))),
    ("floor_divide", fw([V([5, 6, 7]), V([1, 2, 3])], lambda m, x, y: (x // y, x // 2))),
    ("remainder", fw([V(MOD_A, "float64"), V(MOD_B, "float64")],
                     lambda m, x, y: (x % y, x % 3, x % 3.5, 100 % x))),
    ("remainder", fw([V(MOD_A), V(MOD_B)], lambda m, x, y: (x % y, x % 3))),
    ("neg", c([(2, 3)], lambda m, x: x.neg())),
    ("neg", c([()], lambda m, x: -x)),
    ("pow", c([(2, 3), (2, 3)], lambda m, x, y: (x ** y, x.pow(y)), low=0.5)),
    ("pow", c([(2, 3)], lambda m, x: (x ** 0, x ** 2, x ** 3, x ** -2, x ** 0.5, x ** 5.5),
              low=0.5)),
    ("pow", c([(2, 3)], lambda m, x: (2.0 ** x, 0.7 ** x, x ** 3))),
    ("pow", c([V([0.0])], lambda m, x: (x ** 0.0, x ** 2))),
    ("pow", fw([V([-2, -1, 0, 1, 2, 3])], lambda m, x: 0.7 ** x)),
    ("pow", fw([V([-2, -1, 0, 1, 2, 3])], lambda m, x: x ** 2)),
    ("sqrt", c([(2, 3)], lambda m, x: x.sqrt(), low=0.1)),
    ("sqrt", c([V([0.0])], lambda m, x: x.sqrt())),
    ("rsqrt", c([(2, 3)], lambda m, x: x.rsqrt(), low=0.1)),
    ("exp", c([(2, 3)], lambda m, x: m.exp(x))),
    ("exp", c([SPECIALS], lambda m, x: m.exp(x))),
    ("exp2", c([(2, 3)], lambda m, x: m.exp2(x))),
    ("exp2", c([SPECIALS], lambda m, x: m.exp2(x))),
    ("log", c([(2, 3)], lambda m, x: m.log(x), low=0.1)),
    ("log", c([SPECIALS], lambda m, x: m.log(x))),
    ("log2", c([(2, 3)], lambda m, x: m.log2(x), low=0.1)),
    ("log2", c([SPECIALS], lambda m, x: m.log2(x))),
    ("abs", c([(2, 3)], lambda m, x: m.abs(x))),
    ("abs", c([V([-1.0, 0, 1])], lambda m, x: m.abs(x))),
    ("sign", c([(2, 3)], lambda m, x: m.sign(x))),
    ("sign", c([V([-1.0, 0, 1])], lambda m, x: m.sign(x))),
    ("copysign", c([(2, 3), (2, 3)], lambda m, x, y: m.copysign(x, y))),
    ("copysign", c([(3, 1), (1, 4)], lambda m, x, y: m.copysign(x, y))),
    ("logaddexp", c([(2, 3), (2, 3)], lambda m, x, y: m.logaddexp(x, y))),
    ("logaddexp", c([V([1.0, 2000, 30000]), V([-1.0, 2, 3])], lambda m, x, y: m.logaddexp(x, y))),
    ("lerp", c([(2, 3), (2, 3), (2, 3)], lambda m, x, y, z: x.lerp(y, z))),
    ("lerp", c([V([1.0, 2, 3]), V([4.0, 5, 6])], lambda m, x, y: x.lerp(y, 0.5))),
    ("maximum", c([(2, 3), (2, 3)], lambda m, x, y: m.maximum(x, y))),
    ("maximum", c([V([1.0, 0, 3, -4]), V(3.0)], lambda m, x, y: m.maximum(x, y))),
    ("maximum", c([V([-1.0, 0, 1])], lambda m, x: m.maximum(x, m.zeros_like(x)))),
    ("minimum", c([(2, 3), (2, 3)], lambda m, x, y: m.minimum(x, y))),
    ("minimum", c([V([1.0, 0, 3, -4]), V(3.0)], lambda m, x, y: m.minimum(x, y))),
    ("clip", c([(3, 4)], lambda m, x: (x.clip(-0.5, 0.5), x.clip(None, 0), x.clip(0, None)))),
    ("clip", c([V([-3.0, -2.5, 0, 1.5, 2])], lambda m, x: x.clip(-2.5, 1.5))),
    ("clip", c([(3, 4)], lambda m, x: x.clip(0.3, -0.2))),
    ("trunc", fw([ROUNDING], lambda m, x: x.trunc())),
    ("floor", fw([ROUNDING], lambda m, x: x.floor())),
    ("ceil", fw([ROUNDING], lambda m, x: x.ceil())),
    ("round", fw([ROUNDING], lambda m, x: x.round())),
    ("round", fw([V([2.5, -1.5, 0.5])], lambda m, x: x.round())),
    # comparison and logic
    *[("eq", ch) for ch in _cmp(lambda a, b: a == b)],
    *[("ne", ch) for ch in _cmp(lambda a, b: a != b)],
    ("ne", c([V([-1.5, 0.0, 2.0])], lambda m, x: x * (x != 0))),
    *[("gt", ch) for ch in _cmp(lambda a, b: a > b)],
    *[("ge", ch) for ch in _cmp(lambda a, b: a >= b)],
    *[("lt", ch) for ch in _cmp(lambda a, b: a < b)],
    ("lt", c([V([-1.5, 0.5, 2.0])], lambda m, x: x * (x < 0))),
    *[("le", ch) for ch in _cmp(lambda a, b: a <= b)],
    ("where", c([(3, 4)] * 3, lambda m, x, a, b: m.where(x > 0.5, a, b))),
    ("where", c([(8,), (1,), (1,)], lambda m, x, a, b: m.where(x > 0.5, a, b))),
    ("where", fw([(3, 4)], lambda m, x: m.where(x > 0.5, 4, 2).type(m.int32))),
    ("isinf", fw([V([-INF, 0.0, INF, NAN, 1.1])], lambda m, x: m.isinf(x))),
    ("isnan", fw([V([-INF, 0.0, INF, NAN, 1.1])], lambda m, x: m.isnan(x))),
    ("isfinite", fw([V([-INF, 0.0, INF, NAN, 1.1])], lambda m, x: m.isfinite(x))),
    ("isclose", fw([V([1e-7, 1e-8, 1e-9]), V([0.0, 0, 0])], lambda m, x, y: x.isclose(y))),
    ("isclose", fw([(3, 4)], lambda m, x: (x.isclose(x + 1e-6), x.isclose(x + 1e-6, atol=0.0),
                                           x.isclose(x + 1e-9, rtol=0.01)))),
    ("isclose", fw([V([INF, NAN, NAN]), V([INF, NAN, 0.0])],
                   lambda m, x, y: (x.isclose(y), x.isclose(y, equal_nan=True)))),
    ("logical_not", fw([V([True, False, True])], lambda m, x: m.logical_not(x))),
    ("logical_not", fw([V([1.0, 2, 0, 0.5])], lambda m, x: m.logical_not(x))),
    ("bitwise_xor", fw([INTS], lambda m, x: (x ^ x, x ^ 0x1337, 0x1337 ^ x))),
    ("bitwise_xor", fw([BOOLS_A, BOOLS_B], lambda m, x, y: x ^ y)),
    ("bitwise_and", fw([INTS], lambda m, x: (x & x, x & 0x1337, 0x1337 & x))),
    ("bitwise_and", fw([BOOLS_A, BOOLS_B], lambda m, x, y: x & y)),
    ("bitwise_and", fw([V([1.2, 1.2, 1.2, 3.2])], lambda m, x: (1 < x) & (x < 2))),
    ("bitwise_or", fw([INTS], lambda m, x: (x | x, x | 0x1337, 0x1337 | x))),
    ("bitwise_or", fw([BOOLS_A, BOOLS_B], lambda m, x, y: x | y)),
    ("bitwise_not", fw([INTS], lambda m, x: (x.bitwise_not(), ~x))),
    ("bitwise_not", fw([V([[True, False]])], lambda m, x: (x.bitwise_not(), ~x))),
    ("bitwise_left_shift", fw([V([[0, 1, 2], [256, 65536, 1 << 30]], "int32")],
                              lambda m, x: (x << 0, x << 1, x.bitwise_left_shift(1)))),
    ("bitwise_right_shift", fw([V([[0, 1, 2], [256, 65536, 1 << 30]], "int32")],
                               lambda m, x: (x >> 0, x >> 2, x.bitwise_right_shift(2)))),
    # transcendental and activation functions
    ("sin", c([(2, 3)], lambda m, x: x.sin())),
    ("cos", c([(2, 3)], lambda m, x: x.cos())),
    ("tan", c([(2, 3)], lambda m, x: x.tan(), low=-1.5, high=1.5)),
    ("asin", c([(2, 3)], lambda m, x: x.asin(), low=-0.99, high=0.99)),
    ("acos", c([(2, 3)], lambda m, x: x.acos(), low=-0.99, high=0.99)),
    ("atan", c([(2, 3)], lambda m, x: x.atan())),
    ("sinh", c([(2, 3)], lambda m, x: x.sinh())),
    ("cosh", c([(2, 3)], lambda m, x: x.cosh())),
    ("tanh", c([(2, 3)], lambda m, x: x.tanh())),
    ("tanh", c([(2, 3)], lambda m, x: x.tanh(), low=300, high=303)),
    ("asinh", c([(2, 3)], lambda m, x: x.asinh())),
    ("acosh", c([(2, 3)], lambda m, x: x.acosh(), low=1.5, high=3)),
    ("atanh", c([(2, 3)], lambda m, x: x.atanh(), low=-0.9, high=0.9)),
    ("erf", c([(2, 3)], lambda m, x: m.erf(x))),
    ("sigmoid", c([(2, 3)], lambda m, x: m.sigmoid(x))),
    ("sigmoid", c([(2, 3)], lambda m, x: m.sigmoid(x), low=-400, high=-300)),
    ("relu", c([(2, 3)], lambda m, x: x.relu())),
    ("relu", c([V([-1.0, 0, 1])], lambda m, x: x.relu())),
    ("leaky_relu", c([(2, 3)], lambda m, x: m.F.leaky_relu(x, 0.01))),
    ("elu", c([(2, 3)], lambda m, x: (m.F.elu(x), m.F.elu(x, alpha=0.1)))),
    ("celu", c([(2, 3)], lambda m, x: m.F.celu(x, 2))),
    ("selu", c([(2, 3)], lambda m, x: m.F.selu(x))),
    ("silu", c([(2, 3)], lambda m, x: m.F.silu(x))),
    ("gelu", c([(2, 3)], lambda m, x: m.F.gelu(x, approximate="tanh"))),
    ("mish", c([(2, 3)], lambda m, x: m.F.mish(x))),
    ("softsign", c([(2, 3)], lambda m, x: m.F.softsign(x))),
    ("softsign", c([V([-1.0, 0, 1])], lambda m, x: m.F.softsign(x))),
    ("logsigmoid", c([(2, 3)], lambda m, x: m.F.logsigmoid(x))),
    ("hardsigmoid", c([(3, 4)], lambda m, x: m.F.hardsigmoid(x), low=-4, high=4)),
    ("hardswish", c([(3, 4)], lambda m, x: m.F.hardswish(x), low=-4, high=4)),
    ("relu6", c([(3, 4)], lambda m, x: m.F.relu6(x), low=-8, high=8)),
    ("hardtanh", c([(3, 4)], lambda m, x: m.F.hardtanh(x, -1.0, 1.0))),
    ("softplus", c([(2, 3)], lambda m, x: (m.F.softplus(x), m.F.softplus(x, beta=3)))),
    ("softplus", c([(2, 3)], lambda m, x: m.F.softplus(x), low=300, high=400)),
    ("softplus", c([(2, 3)], lambda m, x: m.F.softplus(x), low=-400, high=-300)),
    # reductions and scans
    ("sum", c([(2, 3, 4, 5)], lambda m, x: (x.sum(), x.sum(axis=3), x.sum(axis=(1, 3)),
                                            x.sum(axis=1, keepdim=True)))),
    ("sum", c([()], lambda m, x: (x.sum(), x.sum(0), x.sum(-1)))),
    ("prod", c([(2, 3, 4)], lambda m, x: (x.prod(), x.prod(dim=2), x.prod(dim=1, keepdim=True)))),
    ("prod", c([()], lambda m, x: (x.prod(), x.prod(0)))),
    ("mean", c([(2, 3, 4)], lambda m, x: (x.mean(), x.mean(axis=(1, 2))))),
    ("mean", c([()], lambda m, x: x.mean())),
    ("max", c([(4, 3)], lambda m, x: (x.max(), x.max() * 0.5))),
    ("max", c([(2, 3, 4)], lambda m, x: x.max(axis=1)[0])),
    ("max", c([V([[1.0, 1.0, 0.0, 1.0]])], lambda m, x: x.max() * 0.5)),
    ("max", fw([V([[False, True]])], lambda m, x: x.max())),
    ("min", c([(4, 3)], lambda m, x: (x.min(), x.min() * 0.5))),
    ("min", c([()], lambda m, x: x.min())),
    ("min", fw([V([0, -2 ** 31])], lambda m, x: x.min())),
    ("var", c([(3, 4, 5)], lambda m, x: (x.var(), x.var(correction=0), x.var(correction=5)))),
    ("var", c([(3, 4, 5)], lambda m, x: (x.var(0), x.var([1, 2]), x.var(2, correction=0),
                                         x.var(0, keepdim=True, correction=0)))),
    ("std", c([(3, 4, 5)], lambda m, x: (x.std(), x.std(correction=0), x.std(correction=5)))),
    ("std", c([(3, 4, 5)], lambda m, x: (x.std(0), x.std([1, 2]), x.std(2, correction=0),
                                         x.std(0, keepdim=True, correction=0)))),
    ("std_mean", c([(3, 4, 5)], lambda m, x: (m.stack(m.std_mean(x)),
                                              m.stack(m.std_mean(x, correction=0, keepdim=True)),
                                              m.stack(m.std_mean(x, axis=(1, 2)))))),
    ("any", fw([(2, 3, 4)], lambda m, x: (x.any(), x.any(axis=(1, 2))))),
    ("any", fw([V([[True, False], [False, False]])], lambda m, x: (x.any(), x.any(axis=(1,))))),
    ("all", fw([(2, 3, 4)], lambda m, x: (x.all(), x.all(axis=(1, 2))))),
    ("all", fw([V([[True, False], [True, True]])], lambda m, x: (x.all(), x.all(axis=(1,))))),
    ("argmax", fw([(3, 4)], lambda m, x: (x.argmax(), x.argmax(0, False), x.argmax(1, True)))),
    ("argmax", fw([V([1, 2, 2])], lambda m, x: x.argmax())),
    ("argmin", fw([(3, 4)], lambda m, x: (x.argmin(), x.argmin(0, False), x.argmin(1, True)))),
    ("argmin", fw([V([3, 2, 2])], lambda m, x: x.argmin())),
    ("logsumexp", c([(3, 4)], lambda m, x: (m.logsumexp(x, dim=0), m.logsumexp(x, dim=1),
                                            m.logsumexp(x, dim=0, keepdim=True)))),
    ("logsumexp", c([()], lambda m, x: m.logsumexp(x, dim=0))),
    ("softmax", c([(3, 4)], lambda m, x: (x.softmax(0), x.softmax(1)))),
    ("softmax", c([(3, 4)], lambda m, x: m.nn.Softmax(dim=1)(x))),
    ("softmax", c([()], lambda m, x: m.nn.Softmax(dim=0)(x))),
    ("log_softmax", c([(3, 4)], lambda m, x: (x.log_softmax(0), x.log_softmax(1)))),
    ("log_softmax", c([(3, 4)], lambda m, x: m.nn.LogSoftmax(dim=1)(x))),
    ("log_softmax", c([(3, 4)], lambda m, x: m.F.log_softmax(x, dim=1))),
    ("log_softmax", c([()], lambda m, x: m.nn.LogSoftmax(dim=-1)(x))),
    ("cumsum", c([(10,)], lambda m, x: m.cumsum(x, dim=0))),
    ("cumsum", c([(3, 4)], lambda m, x: (m.cumsum(x, dim=1), m.cumsum(x, dim=-2)))),
    ("cumsum", c([()], lambda m, x: m.cumsum(x, dim=0))),
    ("cumprod", c([(10,)], lambda m, x: m.cumprod(x, dim=0))),
    ("cumprod", c([(3, 4)], lambda m, x: m.cumprod(x, dim=1))),
    ("cummax", c([(10,)], lambda m, x: m.cummax(x, dim=0).values)),
    ("cummax", c([(3, 4)], lambda m, x: m.cummax(x, dim=1).values)),
    ("logcumsumexp", c([(3, 4)], lambda m, x: (m.logcumsumexp(x, dim=0),
                                               m.logcumsumexp(x, dim=1)))),
    ("logcumsumexp", c([V([0.0, 100.0])], lambda m, x: m.logcumsumexp(x, dim=0))),
    ("sort", c([(4, 5)], lambda m, x: (x.sort(0).values, x.sort(0).indices,
                                       x.sort(-1, True).values, x.sort(-1, True).indices))),
    ("sort", fw([V([0, 1] * 9)], lambda m, x: (x.sort(stable=True).indices,
                                               x.sort(stable=True, descending=True).indices))),
    ("argsort", fw([(3, 4, 5)], lambda m, x: (m.argsort(x, dim=-1, descending=True, stable=True),
                                              m.argsort(x, dim=0, descending=False, stable=True)))),
    ("topk", c([(8,)], lambda m, x: (x.topk(3).values, x.topk(3).indices))),
    ("topk", c([(3, 4, 5)], lambda m, x: (x.topk(2, 1, False, True).values,
                                          x.topk(2, 1, False, True).indices))),
    # linear algebra
    ("matmul", c([(3, 4), (4, 5)], lambda m, x, y: (x.matmul(y), x @ y))),
    ("matmul", c([(4,), (4, 5)], lambda m, x, y: x.matmul(y))),
    ("matmul", c([(2, 3, 4), (4,)], lambda m, x, y: x.matmul(y))),
    ("matmul", c([(4, 3), (1, 3, 3, 5)], lambda m, x, y: x.matmul(y))),
    ("matmul", c([(4,), (4,)], lambda m, x, y: x.matmul(y))),
    ("einsum", c([(3, 4), (4, 5)], lambda m, a, b: (m.einsum("ij,jk", a, b),
                                                    m.einsum("ik,kj->ij", a, b)))),
    ("einsum", c([(4, 4)], lambda m, a: (m.einsum("ij->ji", a), m.einsum("ii->i", a),
                                         m.einsum("ii->", a), m.einsum("ji", a)))),
    ("einsum", c([(5,), (5,)], lambda m, a, b: (m.einsum("i,i->i", [a, b]),
                                                m.einsum("i,j->ij", a, b)))),
    ("einsum", c([(2, 3, 4), (2, 3, 4)], lambda m, a, b: m.einsum("...id, ...jd -> ...ij",
                                                                  [a, b]))),
    ("einsum", c([()], lambda m, a: m.einsum("->", a))),
    # indexing by tensors
    ("gather", c([(4, 5), IDX], lambda m, x, i: x.gather(dim=1, index=i))),
    ("gather", c([(4, 5), IDX0], lambda m, x, i: x.gather(dim=0, index=i))),
    ("gather", c([V([1.0, 2.0, 3.0]), V([2, 1, 0, 1, 2])], lambda m, x, i: x.gather(0, i))),
    ("scatter", c([(3, 4), PERM, (3, 2)],
                  lambda m, x, i, s: x.scatter(dim=1, index=i, src=s))),
    ("scatter", fw([(3, 4), PERM], lambda m, x, i: x.scatter(dim=1, index=i, value=3))),
    ("scatter", fw([(3, 4), PERM], lambda m, x, i: (x.scatter(1, i, 2.0, reduce="multiply"),
                                                    x.scatter(1, i, 2.0, reduce="add")))),
    ("scatter_reduce", c([(3, 4), V([[0, 2, 0], [1, 1, 3], [2, 0, 2]]), (3, 3)],
                         lambda m, x, i, s: x.scatter_reduce(1, i, s, reduce="sum"))),
    ("scatter_reduce", fw([(3, 4), V([[0, 2, 0], [1, 1, 3], [2, 0, 2]]), (3, 3)],
                          lambda m, x, i, s: tuple(
                              x.scatter_reduce(1, i, s, reduce=r, include_self=inc)
                              for r in ("prod", "mean", "amax", "amin")
                              for inc in (True, False)))),
    ("masked_fill", c([(4, 5)], lambda m, x: (x.masked_fill((x > 0.1).detach(), -INF),
                                              x.masked_fill((x < 0.1).detach(), 2.0)))),
    ("masked_select", c([(4, 5)], lambda m, x: (x.masked_select(x > 0.5),
                                                x.masked_select(m.tensor(True))))),
    # neural-network functions
    ("conv1d", c([(2, 3, 7), (6, 1, 3)], lambda m, x, w: m.F.conv1d(x, w, groups=3))),
    ("conv1d", c([(2, 1, 5), (1, 1, 3)], lambda m, x, w: m.F.conv1d(x, w, stride=2))),
    ("conv2d", c([(2, 4, 5, 5), (4, 4, 3, 3), (4,)],
                 lambda m, x, w, b: m.F.conv2d(m.F.conv2d(x, w, b).relu(), w, b))),
    ("conv2d", c([(1, 3, 5, 7), (6, 1, 3, 3)], lambda m, x, w: m.F.conv2d(x, w, groups=3))),
    ("conv2d", c([(2, 3, 7, 8), (4, 3, 3, 3)],
                 lambda m, x, w: (m.F.conv2d(x, w, stride=2), m.F.conv2d(x, w, stride=(2, 1)),
                                  m.F.conv2d(x, w, padding=(2, 1))))),
    ("conv2d", c([(2, 3, 7, 8), (4, 3, 3, 3)],
                 lambda m, x, w: (m.F.conv2d(x, w, dilation=2),
                                  m.F.conv2d(x, w, dilation=(2, 1))))),
    ("conv3d", c([(1, 2, 4, 4, 4), (2, 2, 3, 3, 3)],
                 lambda m, x, w: (m.F.conv3d(x, w), m.F.conv3d(x, w, padding=1)))),
    ("conv_transpose2d", c([(2, 4, 4, 4), (4, 2, 3, 3), (2,)],
                           lambda m, x, w, b: (m.F.conv_transpose2d(x, w),
                                               m.F.conv_transpose2d(x, w, b)))),
    ("conv_transpose2d", c([(2, 4, 4, 4), (4, 2, 3, 3)],
                           lambda m, x, w: (m.F.conv_transpose2d(x, w, groups=2),
                                            m.F.conv_transpose2d(x, w, stride=(2, 3),
                                                                 padding=1, output_padding=1),
                                            m.F.conv_transpose2d(x, w, dilation=(1, 2))))),
    ("conv_transpose3d", c([(1, 2, 3, 3, 3), (2, 2, 2, 2, 2)],
                           lambda m, x, w: m.F.conv_transpose3d(x, w))),
    ("max_pool2d", c([(2, 2, 5, 6)], lambda m, x: (m.F.max_pool2d(x, kernel_size=(2, 2)),
                                                   m.F.max_pool2d(x, kernel_size=3, padding=1),
                                                   m.F.max_pool2d(x, kernel_size=(2, 2),
                                                                  stride=(2, 3))))),
    ("max_pool2d", c([(2, 2, 5, 6)], lambda m, x: m.F.max_pool2d(x, kernel_size=2, dilation=2))),
    ("max_pool2d", c([(1, 1, 6, 6)], lambda m, x: m.F.max_pool2d(x, kernel_size=3, padding=1,
                                                                 stride=3, ceil_mode=True))),
    ("max_pool2d", fw([(2, 3, 6, 6)], lambda m, x: m.F.max_pool2d(x, kernel_size=(2, 2),
                                                                  return_indices=True)[1])),
    ("max_unpool2d", fw([(1, 2, 4, 4)], lambda m, x: m.F.max_unpool2d(
        *m.F.max_pool2d(x, kernel_size=2, return_indices=True), kernel_size=2))),
    ("avg_pool2d", c([(2, 2, 5, 6)], lambda m, x: (m.F.avg_pool2d(x, kernel_size=(2, 2)),
                                                   m.F.avg_pool2d(x, kernel_size=3, padding=1)))),
    ("avg_pool2d", c([(2, 2, 5, 6)], lambda m, x: m.F.avg_pool2d(x, kernel_size=3, padding=1,
                                                                 count_include_pad=False))),
    ("avg_pool2d", c([(1, 1, 6, 6)], lambda m, x: m.F.avg_pool2d(x, kernel_size=3, padding=1,
                                                                 stride=3, ceil_mode=True))),
    ("avg_pool3d", c([(1, 1, 4, 4, 4)], lambda m, x: m.F.avg_pool3d(
        x, kernel_size=2, stride=2, padding=1, count_include_pad=False))),
    ("interpolate", c([(1, 2, 5)], lambda m, x: (
        m.F.interpolate(x, size=(7,), mode="linear"),
        m.F.interpolate(x, size=(3,), mode="linear", align_corners=True),
        m.F.interpolate(x, size=(8,), mode="nearest"),
        m.F.interpolate(x, size=(8,), mode="nearest-exact")))),
    ("interpolate", c([(1, 1, 4, 5)], lambda m, x: (
        m.F.interpolate(x, size=(3, 7), mode="bilinear"),
        m.F.interpolate(x, size=(3, 7), mode="bilinear", align_corners=True)))),
    ("scaled_dot_product_attention", c([(1, 2, 3, 4)] * 3, lambda m, q, k, v: (
        m.F.scaled_dot_product_attention(q, k, v),
        m.F.scaled_dot_product_attention(q, k, v, is_causal=True)))),
    ("scaled_dot_product_attention", c([(1, 2, 3, 4)] * 3 + [(1, 2, 3, 3)], lambda m, q, k, v, a:
                                       m.F.scaled_dot_product_attention(q, k, v, attn_mask=a))),
    ("binary_cross_entropy", c([(4, 3), (4, 3)], lambda m, x, y: tuple(
        m.F.binary_cross_entropy(x.sigmoid(), y.clip(0, 1), reduction=r)
        for r in ("mean", "sum", "none")))),
    ("binary_cross_entropy_with_logits", c([(4, 3), (4, 3)], lambda m, x, y: tuple(
        m.F.binary_cross_entropy_with_logits(x, y.clip(0, 1), reduction=r)
        for r in ("mean", "sum", "none")))),
    ("binary_cross_entropy_with_logits", c([(4, 3), (4, 3)], lambda m, x, y: (
        m.F.binary_cross_entropy_with_logits(x, y.clip(0, 1),
                                             pos_weight=m.tensor([0.25, 1.0, 4.0],
                                                                 dtype=m.float64))))),
    ("cross_entropy", c([(4, 5), (4, 5)], lambda m, x, y: tuple(
        m.F.cross_entropy(x, y, reduction=r) for r in ("mean", "sum", "none")))),
    ("cross_entropy", c([(4, 5), CLASSES], lambda m, x, t: m.F.cross_entropy(x, t))),
    ("cross_entropy", c([(4, 5), CLASSES], lambda m, x, t: m.F.cross_entropy(
        x, t, label_smoothing=0.3))),
    ("cross_entropy", c([(4, 5), CLASSES], lambda m, x, t: (
        m.nn.CrossEntropyLoss()(x, t), m.nn.CrossEntropyLoss(ignore_index=1)(x, t)))),
    ("cross_entropy", c([(4, 5), (4, 5)], lambda m, x, y: m.F.cross_entropy(
        x, y, label_smoothing=0.3))),
    ("cross_entropy", c([(2, 3, 2, 2), (2, 3, 2, 2)], lambda m, x, y: m.F.cross_entropy(x, y))),
    ("nll_loss", c([(4, 5), CLASSES], lambda m, x, t: tuple(
        m.F.nll_loss(x.log_softmax(1), t, reduction=r)
        for r in ("mean", "sum", "none")))),
    ("nll_loss", c([(4, 5), CLASSES], lambda m, x, t: m.F.nll_loss(
        x.log_softmax(1), t, m.tensor([1.0, 2, 0.5, 1, 3], dtype=m.float64)))),
    ("nll_loss", c([(4, 5), CLASSES], lambda m, x, t: m.F.nll_loss(
        x.log_softmax(1), t, ignore_index=1))),
    ("nll_loss", c([(2, 4, 3), V([[0, 3, 1], [2, 2, 0]])],
                   lambda m, x, t: m.F.nll_loss(x.log_softmax(1), t))),
    ("one_hot", fw([], lambda m: (m.F.one_hot(m.tensor([1, 2, 4]), 6),
                                  m.F.one_hot(m.tensor([[1, 2, 3], [0, 3, 5]]))))),
    # dtype conversion
    ("float", c([(3, 3)], lambda m, x: x.float())),
    ("float", fw([V([0, 1, 2, 3])], lambda m, x: x.float())),
    ("float", fw([V([True, False])], lambda m, x: x.float())),
    ("int", fw([V([-1.5, 0.5, 2.7])], lambda m, x: x.int())),
    ("bool", fw([V([-1.5, 0.0, 2.7])], lambda m, x: x.bool())),
    ("half", c([(3, 3)], lambda m, x: x.half(), rtol=1e-3)),
    ("type", fw([V([-1.5, 0.5, 2.7])], lambda m, x: (x.type(m.int32), x.type(m.uint8)))),
]


class Lib:
    """The library a check calls: ``torch`` or ``chainrule``, with ``F`` its
    ``nn.functional``."""

    def __init__(self, module):
        self.module, self.F = module, module.nn.functional

    def __getattr__(self, name):
        return getattr(self.module, name)


def has_name(module, name) -> bool:
    return any(hasattr(where, name) for where in (module, module.Tensor, module.nn.functional))


def _arrays(check: Check, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [spec.array if isinstance(spec, V) else
            rng.uniform(check.low, check.high, size=spec).astype(np.float64)
            for spec in check.inputs]


def _inputs(lib: Lib, arrays, grad: bool):
    made = []
    for array in arrays:
        wants_grad = grad and array.dtype.kind == "f"
        dtype = getattr(lib.module, str(array.dtype))
        made.append(lib.tensor(array, dtype=dtype, requires_grad=wants_grad))
    return made


def _outputs(lib: Lib, result):
    outs = list(result) if isinstance(result, (tuple, list)) else [result]
    for out in outs:
        if not isinstance(out, lib.Tensor):
            raise TypeError(f"returned {type(out).__name__}, not a Tensor")
    return outs


def _numpy(t) -> np.ndarray:
    return np.asarray(t.detach().cpu().numpy())  # from the GPU too


def _grads(lib: Lib, inputs, outs) -> list[np.ndarray]:
    floats = [o for o in outs if _numpy(o).dtype.kind == "f" and o.requires_grad]
    if floats:
        loss = floats[0].sum()
        for o in floats[1:]:
            loss = loss + o.sum()
        loss.backward()
    grads = []
    for x in inputs:
        if x.requires_grad:
            g = x.grad
            grads.append(np.zeros(tuple(x.shape)) if g is None else _numpy(g))
    return grads


def _compare(what: str, got: np.ndarray, want: np.ndarray, rtol: float) -> str | None:
    if got.shape != want.shape:
        return f"{what}: shape {got.shape}, PyTorch {want.shape}"
    if got.dtype != want.dtype:
        return f"{what}: dtype {got.dtype}, PyTorch {want.dtype}"
    if want.dtype.kind in "fc":
        close = np.isclose(got, want, rtol=rtol, atol=1e-9, equal_nan=True)
        if not close.all():
            at = tuple(int(i) for i in np.argwhere(~close)[0])
            return f"{what}: value at {at} is {got[at].item()!r}, PyTorch {want[at].item()!r}"
    elif not np.array_equal(got, want):
        at = tuple(int(i) for i in np.argwhere(got != want)[0])
        return f"{what}: value at {at} is {got[at].item()!r}, PyTorch {want[at].item()!r}"
    return None


def run_check(check: Check, seed: int = 0) -> str | None:
    """None when chainrule's call matches PyTorch's, else what differs (one line)."""
    arrays = _arrays(check, seed)
    results = []
    for module in (torch, chainrule):
        lib = Lib(module)
        try:
            inputs = _inputs(lib, arrays, check.grad)
            outs = _outputs(lib, check.fn(lib, *inputs))
            values = [_numpy(o) for o in outs]
            grads = _grads(lib, inputs, outs) if check.grad else []
        except Exception as error:  # noqa: BLE001 - any failure is a difference
            if module is torch:
                raise RuntimeError("the check itself fails on PyTorch") from error
            text = str(error).strip().splitlines()
            return f"{type(error).__name__}: {text[0] if text else ''}"[:160]
        results.append((values, grads))
    (want_values, want_grads), (got_values, got_grads) = results
    if len(got_values) != len(want_values):
        return f"{len(got_values)} outputs, PyTorch {len(want_values)}"
    for i, (got, want) in enumerate(zip(got_values, want_values)):
        if (why := _compare(f"output {i}", got, want, check.rtol)) is not None:
            return why
    for i, (got, want) in enumerate(zip(got_grads, want_grads)):
        if (why := _compare(f"gradient {i}", got, want, check.rtol)) is not None:
            return why
    return None


def measure():
    """(op names in order, missing names, {name: [what differs, per failing check]})."""
    names = list(dict.fromkeys(name for name, _ in OPS))
    not_torch = [n for n in names if not has_name(torch, n)]
    if not_torch:
        raise SystemExit(f"not PyTorch names: {not_torch}")
    missing = [n for n in names if not has_name(chainrule, n)]
    failures: dict[str, list[str]] = {}
    for number, (name, check) in enumerate(OPS):
        try:
            why = run_check(check)
        except RuntimeError:
            traceback.print_exc()
            raise SystemExit(f"check {number} of {name!r} fails on PyTorch") from None
        if why is not None:
            failures.setdefault(name, []).append(why)
    return names, missing, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print the gaps as Markdown")
    parser.add_argument("--verbose", action="store_true", help="print every op's verdict")
    args = parser.parse_args()
    if torch is None:
        raise SystemExit("PyTorch is not installed: pip install torch")
    warnings.simplefilter("ignore", RuntimeWarning)  # NaN and inf are part of the checks
    names, missing, failures = measure()
    differing = {n: failures[n] for n in names if n in failures and n not in missing}
    covered = len(names) - len(missing) - len(differing)
    if args.verbose:
        for name in names:
            verdict = ("missing" if name in missing else
                       "differs" if name in differing else "covered")
            print(f"{name:34} {verdict}")
            for why in failures.get(name, []):
                print(f"{'':36}{why}")
        print()
    print(f"covered: {covered} of {len(names)} ops ({100 * covered / len(names):.1f}%)")
    print(f"missing by name: {len(missing)}; present but differing: {len(differing)}")
    if args.markdown:
        print("\n### Missing by name\n")
        for name in missing:
            note = "" if name in failures else " (the check's call already works)"
            print(f"- `{name}`{note}")
        print("\n### Present but differing\n")
        for name, whys in differing.items():
            print(f"- `{name}`: " + "; ".join(dict.fromkeys(whys)))
        return
    print("\nmissing by name (* = the check's call already works, e.g. as an operator):")
    print("  " + ", ".join(n + ("" if n in failures else "*") for n in missing))
    print("\npresent but differing:")
    for name, whys in differing.items():
        print(f"  {name}: " + "; ".join(dict.fromkeys(whys)))


if __name__ == "__main__":
    main()
