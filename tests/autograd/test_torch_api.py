"""The Tensor and autograd API under PyTorch's names, checked against PyTorch: factories
and their dtypes, seeding, conversions, hooks, ``autograd.grad``, custom Functions and the
grad-mode switches."""

import sys
import threading

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor
from autograd.custom import Function


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def dtype_name(dtype) -> str:
    return str(dtype).replace("torch.", "")


@pytest.mark.parametrize("make", [
    lambda t: t.tensor([1, 2]), lambda t: t.tensor([1.0, 2.0]), lambda t: t.tensor(True),
    lambda t: t.tensor(np.array([1.0], dtype=np.float64)), lambda t: t.tensor(3),
    lambda t: t.zeros(2, 3), lambda t: t.ones((2,)), lambda t: t.full((2, 2), 7),
    lambda t: t.full((2,), 1.5), lambda t: t.eye(3), lambda t: t.eye(2, 3),
    lambda t: t.arange(5), lambda t: t.arange(0, 1, 0.25), lambda t: t.arange(1.0, 4.0),
    lambda t: t.linspace(0, 1, 5), lambda t: t.logspace(0, 2, 3),
    lambda t: t.zeros_like(t.tensor([[1, 2]])), lambda t: t.ones_like(t.tensor([1.0])),
    lambda t: t.full_like(t.tensor([1.0, 2.0]), 3.0),
    lambda t: t.zeros((), dtype=t.float64), lambda t: t.ones(2, dtype=t.int64),
    lambda t: t.tensor([1, 2], dtype=t.float32), lambda t: t.tensor([[]]),
], ids=lambda f: "")
def test_factories_match_pytorch(torch, make):
    theirs, ours = make(torch), make(ag)
    assert tuple(theirs.shape) == ours.shape
    assert dtype_name(theirs.dtype) == str(ours.dtype)
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert ag.empty(2, 2).shape == tuple(torch.empty(2, 2).shape)


def test_random_factories_shapes_dtypes_and_ranges(torch):
    for name, args in [("rand", (2, 3)), ("randn", (4,)), ("randint", (0, 10, (5,))),
                       ("randperm", (6,)), ("normal", (0.0, 1.0, (2, 2)))]:
        theirs, ours = getattr(torch, name)(*args), getattr(ag, name)(*args)
        assert tuple(theirs.shape) == ours.shape and dtype_name(theirs.dtype) == str(ours.dtype)
    assert sorted(ag.randperm(6).tolist()) == list(range(6))
    r = ag.randint(3, 7, (200,)).data
    assert r.min() >= 3 and r.max() <= 6
    u = ag.rand(1000).data
    assert 0 <= u.min() and u.max() < 1
    assert ag.randn(()).shape == () and ag.rand_like(ag.zeros(2, 2)).shape == (2, 2)


def test_manual_seed_makes_a_program_reproducible():
    def program():
        ag.manual_seed(123)
        return ag.randn(3).tolist(), ag.randint(0, 100, (3,)).tolist(), ag.randperm(4).tolist()
    assert program() == program()
    g = ag.Generator().manual_seed(5)
    a = ag.rand(2, generator=g).tolist()
    assert a == ag.rand(2, generator=ag.Generator().manual_seed(5)).tolist()


def test_from_numpy_shares_memory_and_tensor_copies():
    a = np.array([1, 2], dtype=np.int32)
    shared, copied = ag.from_numpy(a), ag.tensor(a)
    a[0] = 9
    assert shared.tolist() == [9, 2] and copied.tolist() == [1, 2]
    assert shared.dtype == np.int32 and ag.as_tensor(a).data is a


def test_conversions_match_pytorch_and_keep_float_gradients(torch):
    for name in ("float", "double", "half", "long", "int", "bool"):
        theirs = getattr(torch.tensor([1.5, -2.0]), name)()
        ours = getattr(Tensor([1.5, -2.0]), name)()
        assert dtype_name(theirs.dtype) == str(ours.dtype)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x.double() * x.double()
    y.sum().backward()
    assert y.dtype == np.float64 and x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    assert not x.long().requires_grad
    assert x.to(np.float32) is x and x.to("cpu") is x and x.cpu() is x
    assert x.to(ag.float64).dtype == np.float64 and x.type(ag.float64).dtype == np.float64
    assert x.device == "cpu" and str(x.device) == "cpu" and repr(x.device) == "device(type='cpu')"


def test_clone_is_a_copy_in_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    assert y.data is not x.data
    (y * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_cuda_without_cupy_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # as if CuPy were not installed
    with pytest.raises(RuntimeError, match="CUDA is not available.*pip install"):
        Tensor([1.0]).cuda()


def test_numpy_refuses_a_tensor_that_requires_grad_as_pytorch(torch):
    with pytest.raises(RuntimeError, match="detach"):
        torch.tensor([1.0], requires_grad=True).numpy()
    with pytest.raises(RuntimeError, match="detach"):
        Tensor([1.0], requires_grad=True).numpy()


def test_requires_grad_grad_fn_and_is_leaf():
    x = Tensor([1.0]).requires_grad_()
    assert x.requires_grad and x.is_leaf and x.grad_fn is None
    y = x * 2
    assert not y.is_leaf and y.grad_fn is y.op
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="floating point"):
        ag.tensor([1, 2]).requires_grad_()


def test_backward_with_a_gradient_and_hooks_as_pytorch(torch):
    def program(lib, make):
        x = make([1.0, -2.0, 3.0])
        seen = []
        handle = x.register_hook(lambda g: seen.append(np.asarray(g).tolist()))
        y = x * x
        y.register_hook(lambda g: g * 10)        # replaces y's gradient
        y.backward(make([1.0, 1.0, 0.5], grad=False))
        handle.remove()
        (x * 1).sum().backward()
        return np.asarray(x.grad).tolist(), seen

    theirs = program(torch, lambda d, grad=True: torch.tensor(d, requires_grad=grad))
    ours = program(ag, lambda d, grad=True: Tensor(d, requires_grad=grad))
    assert ours == theirs == ([21.0, -39.0, 31.0], [[20.0, -40.0, 30.0]])


def test_autograd_grad_leaves_grad_alone(torch):
    x = Tensor([2.0, 3.0], requires_grad=True)
    w = Tensor([1.0], requires_grad=True)
    (gx,) = ag.grad((x ** 3).sum(), x)
    np.testing.assert_array_equal(gx.data, [12.0, 27.0])
    assert x.grad is None and isinstance(gx, Tensor) and not gx.requires_grad
    with pytest.raises(RuntimeError, match="allow_unused"):
        ag.grad((x * x).sum(), [x, w])
    assert ag.grad((x * x).sum(), [x, w], allow_unused=True)[1] is None


class Cube(Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        ctx.scale = scale
        return x ** 3 * scale

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x ** 2 * ctx.scale, None


def test_a_custom_function_as_in_pytorchs_tutorial(torch):
    class TorchCube(torch.autograd.Function):
        forward, backward = Cube.forward, Cube.backward

    theirs = torch.tensor([0.5, -1.0], requires_grad=True)
    TorchCube.apply(theirs, 2.0).sum().backward()
    ours = Tensor([0.5, -1.0], requires_grad=True)
    out = Cube.apply(ours, 2.0)
    out.sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy())
    assert out.op.name == "Cube" and "Cube(" in str(ag.derive(out.sum()))


def test_grad_mode_switches_as_context_managers_and_decorators():
    w = Tensor([1.0], requires_grad=True)

    @ag.no_grad()
    def evaluate():
        return (w * 2).requires_grad

    @ag.no_grad
    def evaluate_bare():
        return (w * 2).requires_grad

    class Model:
        @ag.inference_mode()
        def predict(self):
            return (w * 2).requires_grad

    assert not evaluate() and not evaluate_bare() and not Model().predict()
    with ag.no_grad():
        with ag.enable_grad():
            assert (w * 2).requires_grad
        assert not (w * 2).requires_grad
    ag.set_grad_enabled(False)
    try:
        assert not (w * 2).requires_grad
    finally:
        ag.set_grad_enabled(True)
    with ag.set_grad_enabled(False):
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled() and (w * 2).requires_grad


def test_grad_mode_is_per_thread_for_every_switch():
    results = []
    with ag.no_grad():
        worker = threading.Thread(target=lambda: results.append(ag.is_grad_enabled()))
        worker.start()
        worker.join()
    assert results == [True]


def test_value_comparisons_give_bools_as_floats_do():
    assert (ag.Value(2.0) > 1) is True and (ag.Value(2.0) < ag.Value(3.0)) is True
    assert (ag.Value(2.0) >= 2) is True and (ag.Value(2.0) <= 1.5) is False
    assert sorted([ag.Value(3.0), ag.Value(1.0), ag.Value(2.0)])[0].data == 1.0


def test_manual_seed_also_makes_nn_weights_reproducible():
    import nn
    ag.manual_seed(7)
    first = nn.Linear(4, 3).weight.tolist()
    ag.manual_seed(7)
    assert nn.Linear(4, 3).weight.tolist() == first


def test_a_result_of_inputs_that_need_no_grad_is_a_leaf_as_in_pytorch():
    # CS231n's random_weight: w = randn(...) * scale; w.requires_grad = True
    w = ag.randn(3, 2) * 0.5
    assert w.is_leaf and w.grad_fn is None
    w.requires_grad = True
    for _ in range(2):  # the manual SGD loop of the homework
        (w * w).sum().backward()
        with ag.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()


def test_a_zero_dim_tensor_formats_as_its_number():
    acc = ag.tensor(90.20000457763672)
    assert f"{acc}" == f"{acc.item()}" and f"{acc:.2f}" == "90.20"
    assert f"{ag.tensor([1.0, 2.0])}" == "tensor([1., 2.])"
