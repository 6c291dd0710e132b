"""Property tests: random broadcast-compatible shapes for every binary op.

Hypothesis draws pairs of shapes that broadcast together (including 0-d and size-1
axes on either side) and checks, for each binary op, that

* the forward value is NumPy's, with NumPy's result shape;
* each operand's gradient has that operand's own shape;
* the gradient equals the NumPy-computed expectation: the local derivative times the
  upstream gradient, summed over every copy that broadcasting made of each element
  (counted with ``np.bincount``, independently of the library's own ``unbroadcast``);
* and it equals central differences (``gradcheck``).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

from autograd import Tensor
from autograd.gradcheck import gradcheck

SETTINGS = settings(max_examples=60, deadline=None)


def sum_over_copies(full: np.ndarray, shape: tuple) -> np.ndarray:
    """For each element of an operand of ``shape``, the sum of ``full`` over the positions
    that broadcasting filled from that element."""
    n = int(np.prod(shape))
    source = np.broadcast_to(np.arange(n).reshape(shape), full.shape)
    return np.bincount(source.ravel(), weights=full.ravel(), minlength=n).reshape(shape)


# op: (chainrule, NumPy forward, local derivatives ∂out/∂a and ∂out/∂b, domain of b)
BINARY = {
    "add": (lambda a, b: a + b, np.add, lambda a, b: (np.ones_like(a), np.ones_like(b))),
    "sub": (lambda a, b: a - b, np.subtract, lambda a, b: (np.ones_like(a), -np.ones_like(b))),
    "mul": (lambda a, b: a * b, np.multiply, lambda a, b: (b, a)),
    "div": (lambda a, b: a / b, np.divide, lambda a, b: (1 / b, -a / b ** 2)),
    "pow": (lambda a, b: a ** b, np.power, lambda a, b: (b * a ** (b - 1), a ** b * np.log(a))),
}


def operands(name: str, shapes, seed: int):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shapes[0])
    b = rng.standard_normal(shapes[1])
    if name == "pow":
        a = rng.uniform(0.5, 2.0, shapes[0])  # a positive base: a^b is real and smooth
    if name == "div":
        b = rng.choice([-1.0, 1.0], shapes[1]) * rng.uniform(0.5, 2.0, shapes[1])
    return a, b


@pytest.mark.parametrize("name", list(BINARY))
@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       seed=st.integers(0, 2**32 - 1), tensor_on=st.sampled_from(["both", "left", "right"]))
def test_binary_op_gradients_sum_back_to_each_operand(name, shapes, seed, tensor_on):
    ours, numpy, local = BINARY[name]
    a, b = operands(name, shapes.input_shapes, seed)
    x = Tensor(a, requires_grad=True)
    y = Tensor(b, requires_grad=True)
    # The other operand may be a plain ndarray: the reflected operators must broadcast too.
    left = x if tensor_on in ("both", "left") else a
    right = y if tensor_on in ("both", "right") else b
    out = ours(left, right)

    assert isinstance(out, Tensor) and out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, numpy(a, b), rtol=1e-12)

    upstream = np.random.default_rng(seed + 1).standard_normal(out.shape)
    out.backward(upstream)
    full_a, full_b = (upstream * d for d in local(*np.broadcast_arrays(a, b)))
    if left is x:
        assert x.grad.shape == a.shape and x.grad.dtype == np.float64
        np.testing.assert_allclose(x.grad, sum_over_copies(full_a, a.shape), rtol=1e-9, atol=1e-12)
    else:
        assert x.grad is None
    if right is y:
        assert y.grad.shape == b.shape and y.grad.dtype == np.float64
        np.testing.assert_allclose(y.grad, sum_over_copies(full_b, b.shape), rtol=1e-9, atol=1e-12)
    else:
        assert y.grad is None

    assert gradcheck(ours, Tensor(a, requires_grad=True), Tensor(b, requires_grad=True))


@pytest.mark.parametrize("name", list(BINARY))
@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       seed=st.integers(0, 2**32 - 1))
def test_float32_operands_keep_float32_gradients(name, shapes, seed):
    ours, numpy, local = BINARY[name]
    a, b = (v.astype(np.float32) for v in operands(name, shapes.input_shapes, seed))
    x, y = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    out = ours(x, y)
    assert out.dtype == np.float32 == numpy(a, b).dtype
    out.backward(np.ones(out.shape, dtype=np.float32))
    assert x.grad.dtype == y.grad.dtype == np.float32
    assert x.grad.shape == a.shape and y.grad.shape == b.shape


@st.composite
def matmul_shapes(draw):
    """Shapes that np.matmul accepts: broadcast batch axes, 1-D operands on either side."""
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    batch = draw(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3))
    a_vector, b_vector = draw(st.booleans()), draw(st.booleans())
    a = (k,) if a_vector else (*batch.input_shapes[0], n, k)
    b = (k,) if b_vector else (*batch.input_shapes[1], k, m)
    return a, b


@SETTINGS
@given(shapes=matmul_shapes(), seed=st.integers(0, 2**32 - 1))
def test_matmul_gradients_for_any_batch_and_vector_shapes(shapes, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    x, y = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    out = x @ y
    np.testing.assert_allclose(out.data, a @ b, rtol=1e-12)
    out.backward(np.ones(out.shape))
    assert x.grad.shape == a.shape and y.grad.shape == b.shape
    assert gradcheck(lambda p, q: p @ q, Tensor(a, requires_grad=True),
                     Tensor(b, requires_grad=True))


@st.composite
def reduction_args(draw):
    """A shape, and an axis argument for it: None, an int or a tuple, negative or not."""
    shape = draw(st.lists(st.integers(1, 3), min_size=1, max_size=4).map(tuple))
    ndim = len(shape)
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        axis = None
    else:
        chosen = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                               unique=True))
        signed = [a - ndim if draw(st.booleans()) else a for a in chosen]
        axis = signed[0] if kind == "int" else tuple(signed)
    return shape, axis, draw(st.booleans())


REDUCTIONS = {
    "sum": (lambda x, **kw: x.sum(**kw), np.sum),
    "mean": (lambda x, **kw: x.mean(**kw), np.mean),
    "amax": (lambda x, **kw: x.amax(**kw), np.max),
    "amin": (lambda x, **kw: x.amin(**kw), np.min),
    "var": (lambda x, **kw: x.var(**kw, correction=0), np.var),
}


@pytest.mark.parametrize("name", list(REDUCTIONS))
@SETTINGS
@given(args=reduction_args(), seed=st.integers(0, 2**32 - 1))
def test_reductions_over_any_axes(name, args, seed):
    shape, axis, keepdims = args
    ours, numpy = REDUCTIONS[name]
    size = int(np.prod(shape))
    # distinct values, far apart compared with eps: amax and amin have no ties
    data = np.random.default_rng(seed).permutation(size).reshape(shape) * 0.5 - size / 4
    out = ours(Tensor(data), axis=axis, keepdims=keepdims)
    expected = numpy(data, axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda x: ours(x, axis=axis, keepdims=keepdims),
                     Tensor(data, requires_grad=True))
