"""Regression tests for defects a learner met: PyTorch idioms that silently did something
else, tracebacks where one clear line belongs, and thread-safety of ``no_grad``."""

import math
import threading

import numpy as np
import pytest

from autograd import Tensor, Value, derive, gradcheck, is_grad_enabled, no_grad, parse


# --- PyTorch idioms mean what they mean in PyTorch ---------------------------------------
def test_equality_is_elementwise_and_tensors_stay_hashable():
    a = Tensor([1.0, 2.0, 3.0])
    same = a == Tensor([1.0, 0.0, 3.0])
    assert same.dtype == np.bool_ and same.data.tolist() == [True, False, True]
    assert (a != 2).data.tolist() == [True, False, True]
    assert (a < 2).data.tolist() == [True, False, False]
    assert (a <= 2).data.tolist() == [True, True, False]
    assert (a > 2).data.tolist() == [False, False, True]
    assert (a >= np.array([1.0, 3.0, 3.0])).data.tolist() == [True, False, True]
    assert not same.requires_grad
    assert {a: 1}[a] == 1 and len({a, Tensor([1.0, 2.0, 3.0])}) == 2  # by identity


def test_transpose_swaps_two_dims_as_in_pytorch():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    assert x.transpose(0, 1).data.tolist() == [[0, 3], [1, 4], [2, 5]]
    assert Tensor.zeros(2, 3, 4).transpose(-1, 0).shape == (4, 3, 2)
    assert Tensor.zeros(2, 3, 4).permute(2, 0, 1).shape == (4, 2, 3)
    with pytest.raises(IndexError, match="out of range"):
        x.transpose(0, 2)


def test_in_place_update_under_no_grad_trains_the_parameter():
    w = Tensor([1.0, -2.0], requires_grad=True)
    for _ in range(3):  # the manual SGD loop of the course: minimise Σ w²
        (w * w).sum().backward()
        with no_grad():
            w -= 0.25 * w.grad
        w.grad = None
    # each step multiplies w by 1 − 0.25·2 = 0.5
    np.testing.assert_allclose(w.data, [0.125, -0.25])
    assert w.requires_grad and w.is_leaf


def test_in_place_ops_mutate_the_same_object():
    x = Tensor([1.0, 2.0])
    alias = x
    x += 1
    x *= Tensor([2.0, 3.0])
    x /= 2
    x -= np.array([1.0, 1.0])
    assert alias is x and x.data.tolist() == [1.0, 3.5] and x.dtype == np.float32


def test_in_place_on_a_leaf_that_requires_grad_raises_outside_no_grad():
    w = Tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
        w -= 1


@pytest.mark.parametrize("make", [Tensor.randn, Tensor.rand])
def test_random_factories_make_0d_tensors(make):
    assert make(()).shape == () and make(()).dtype == np.float32
    assert make().shape == ()
    assert make(2, 3).shape == (2, 3) and make((2, 3)).shape == (2, 3)


# --- one clear line instead of a traceback -----------------------------------------------
def test_rounding_by_hand_works_for_any_finite_float():
    f, _ = parse("exp(x)", x=56)
    d = derive(f, decimals=4)
    assert d.value("f") == pytest.approx(math.exp(56), rel=1e-15)
    f, _ = parse("x * 1e300", x=1.5)
    assert derive(f, decimals=6).value("f") == 1.5e300


def test_inf_and_nan_print_as_such_when_rounding():
    f, _ = parse("log(x)", x=-1)
    assert "nan" in str(derive(f, decimals=4)).split("Backward")[0]


def test_parser_names_a_value_too_large_for_a_float():
    with pytest.raises(ValueError, match="the value of x is too large for a float"):
        parse("x", x=10**400)


def test_gradcheck_accepts_arrays():
    assert gradcheck(lambda w: (w * w).sum(), np.array([1.0, -2.0]))
    with pytest.raises(AssertionError, match="differ"):
        gradcheck(lambda w: Tensor(w.data * 3, requires_grad=True).sum() + w.sum(),
                  np.array([1.0]))


# --- derive names where nan and inf come from --------------------------------------------
@pytest.mark.parametrize("expression, at, note", [
    ("log(x)", {"x": -1}, "Note: f is nan: log of a negative number."),
    ("log(x) + 1", {"x": 0}, "Note: v1 is −inf: log of 0 is −inf."),
    ("1 / x", {"x": 0}, "Note: f is inf: division by zero."),
    ("x ** -1", {"x": 0}, "Note: f is inf: 0 raised to a negative power (division by zero)."),
    ("sqrt(x) * 2", {"x": -4}, "Note: v1 is nan: square root of a negative number."),
    ("exp(x) * 2", {"x": 1000}, "Note: v1 is inf: overflow: the result is too large for a float."),
])
def test_derive_names_the_first_node_that_is_not_finite(expression, at, note):
    f, _ = parse(expression, **at)
    d = derive(f)
    assert d.note == note
    text = str(d)
    table, backward = text.split("Backward pass")
    assert table.rstrip().endswith(note)  # right after the forward table
    assert note in d._repr_markdown_()


def test_derive_says_nothing_when_every_value_is_finite():
    f, _ = parse("log(x)", x=2)
    assert derive(f).note == "" and "Note:" not in str(derive(f))


def test_tensor_derivation_counts_the_elements_that_are_not_finite():
    x = Tensor(np.array([1.0, -1.0, 2.0]), requires_grad=True, label="x")
    with np.errstate(invalid="ignore"):
        d = derive(x.log().sum())
    assert d.note == "Note: v1 is not finite in 1 of 3 elements: log of a negative number."


# --- no_grad is per thread, as PyTorch's grad mode ---------------------------------------
def test_no_grad_is_thread_local():
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def evaluate():
        with no_grad():
            inside.set()
            release.wait(5)
            seen["worker"] = is_grad_enabled()

    worker = threading.Thread(target=evaluate)
    worker.start()
    inside.wait(5)
    try:  # the main thread records while the worker is inside no_grad()
        seen["main"] = is_grad_enabled()
        w = Tensor([1.0], requires_grad=True)
        seen["recorded"] = (w * 2).requires_grad and (Value(1.0) * 2).op is not None
    finally:
        release.set()
        worker.join()
    assert seen == {"worker": False, "main": True, "recorded": True}
