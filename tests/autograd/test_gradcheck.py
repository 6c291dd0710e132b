"""gradcheck itself: it passes right gradients, catches wrong ones, and says where.

A wrong gradient is made the classic way: part of the function is computed under
``no_grad()`` (a "detached" copy), so backward misses that path while finite differences
see it.
"""

import numpy as np
import pytest

from autograd import Tensor, Value, no_grad
from autograd.gradcheck import gradcheck


def detached(x):
    """``x`` as a constant: backward does not see through it."""
    with no_grad():
        return x * 1.0


# --- Value functions ---------------------------------------------------------------------

def test_right_gradients_pass():
    assert gradcheck(lambda x, y: (x * y).tanh() + y.exp() / x, 0.5, Value(-1.5)) is True


def test_numbers_become_values():
    seen = []
    gradcheck(lambda x: seen.append(x) or x * 2, 3.0)
    assert all(isinstance(x, Value) for x in seen)


def test_wrong_gradient_is_reported_with_both_numbers():
    # f = x · x̄ with x̄ detached: backward says df/dx = x̄ = 1.5; the truth is 2x = 3.
    with pytest.raises(AssertionError) as failure:
        gradcheck(lambda a, x: a * 0 + x * detached(x), 0.2, Value(1.5, label="x"))
    message = str(failure.value)
    assert "1 of 2 gradient elements" in message
    assert "input 1 ('x')" in message
    assert "analytic 1.5," in message and "numeric 3," in message
    assert "abs error 1.5" in message and "rel error 0.5" in message


def test_returns_false_on_request():
    assert gradcheck(lambda x: x * detached(x), 1.5, raise_exception=False) is False


def test_tolerances_are_used():
    # relu' at 0 is 0 by convention; the central difference sees a slope of 1/2.
    assert not gradcheck(lambda x: x.relu(), 0.0, raise_exception=False)
    assert gradcheck(lambda x: x.relu(), 0.0, atol=0.6)


def test_nan_gradient_fails():
    assert not gradcheck(lambda x: x.sqrt(), 0.0, raise_exception=False)


def test_value_grads_are_zeroed_first_and_data_kept():
    x = Value(0.3)
    x.grad = 100.0  # stale, from some earlier backward
    assert gradcheck(lambda v: v.sin(), x)
    assert x.data == 0.3
    assert x.grad == pytest.approx(np.cos(0.3), rel=1e-15)


def test_data_restored_when_fn_raises():
    x = Value(0.3)
    calls = []

    def fn(v):
        calls.append(v.data)
        if len(calls) > 1:  # fails in the first finite-difference evaluation
            raise RuntimeError("boom")
        return v * 2

    with pytest.raises(RuntimeError, match="boom"):
        gradcheck(fn, x)
    assert x.data == 0.3


def test_fn_must_return_a_value():
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 2.0, 1.0)


# --- Tensor functions --------------------------------------------------------------------

def rand(*shape, dtype=np.float64, seed=0, requires_grad=True):
    data = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    return Tensor(data, requires_grad=requires_grad)


@pytest.mark.parametrize("name, fn, shapes", [
    ("matmul tanh", lambda x, w: (x @ w).tanh(), [(3, 4), (4, 2)]),
    ("broadcast add", lambda x, b: (x + b) * x, [(3, 4), (4,)]),
    ("sum to 0-d", lambda x: (x * x).sum(), [(2, 3)]),
    ("mean axis", lambda x: x.exp().mean(axis=0), [(3, 2, 2)]),
    ("log_softmax", lambda x: x.log_softmax(axis=1), [(2, 5)]),
    ("one element", lambda x: x.sigmoid(), [(1,)]),
])
def test_tensor_functions(name, fn, shapes):
    inputs = [rand(*shape, seed=i) for i, shape in enumerate(shapes)]
    assert gradcheck(fn, *inputs)


def test_tensor_wrong_gradient_names_the_worst_element():
    mask = np.zeros((3, 4))
    mask[1, 2] = 1.0

    def f(x):
        # f = x + x·c with c = mask·x detached: only element [1, 2] has a wrong gradient
        # (backward says 1 + c, the truth is 1 + 2c).
        return x + x * detached(x * mask)

    x = rand(3, 4)
    x.data[1, 2] = 2.0
    with pytest.raises(AssertionError) as failure:
        gradcheck(f, x)
    message = str(failure.value)
    assert "1 of 12 gradient elements" in message
    assert "input 0, element [1, 2] of shape (3, 4)" in message


def test_tensor_grads_zeroed_first_and_data_kept():
    x = rand(2, 3)
    x.grad = np.full((2, 3), 100.0)
    before = x.data.copy()
    assert gradcheck(lambda t: (t * t).sum(), x)
    assert np.array_equal(x.data, before)
    np.testing.assert_allclose(x.grad, 2 * before, rtol=1e-14)  # d(Σx²)/dx = 2x


def test_float32_inputs_are_checked_in_float64():
    x = rand(3, 3, dtype=np.float32)
    before = x.data.copy()
    # In float32, eps = 1e-6 is below the resolution of x: the difference would be noise.
    assert gradcheck(lambda t: (t * t).tanh().sum(), x)
    assert x.dtype == np.float32 and np.array_equal(x.data, before)


def test_only_inputs_requiring_grad_are_perturbed():
    x, c = rand(2, 2), rand(2, 2, seed=1, requires_grad=False)
    scale = 3.0  # a plain argument is passed through
    seen = []

    def f(a, b, s):
        seen.append(b.data.copy())
        return a * b * s

    assert gradcheck(f, x, c, scale)
    assert all(np.array_equal(b, c.data) for b in seen)


def test_tensor_argument_errors():
    with pytest.raises(ValueError, match="no input Tensor requires grad"):
        gradcheck(lambda t: t * 2, rand(2, requires_grad=False))
    with pytest.raises(TypeError, match="mix Values and Tensors"):
        gradcheck(lambda t, v: t * v.data, rand(2), Value(1.0))
    with pytest.raises(TypeError, match="must return a Tensor"):
        gradcheck(lambda t: 1.0, rand(2))
