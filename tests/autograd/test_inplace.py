"""In-place ops follow PyTorch: they write into the same object, they update parameters
under no_grad, they become a result's new history inside a graph, and a value that an op
needed and that was overwritten afterwards makes backward() raise instead of giving a
wrong gradient. Each case is checked against PyTorch."""

import numpy as np
import pytest

from autograd import Tensor, no_grad


def torch_and_ours(program):
    """Run ``program(lib, tensor)`` on PyTorch and on chainrule; return both results."""
    torch = pytest.importorskip("torch")
    theirs = program(torch, lambda data, **kw: torch.tensor(data, dtype=torch.float64, **kw))
    ours = program(None, lambda data, **kw: Tensor(np.array(data, dtype=np.float64), **kw))
    return theirs, ours


def as_list(x):
    return np.asarray(x.detach() if hasattr(x, "detach") else x).tolist()


@pytest.mark.parametrize("name, update", [
    ("add_", lambda x: x.add_(2.0)), ("sub_", lambda x: x.sub_(1.5)),
    ("mul_", lambda x: x.mul_(3.0)), ("div_", lambda x: x.div_(4.0)),
    ("pow_", lambda x: x.pow_(2.0)), ("neg_", lambda x: x.neg_()),
    ("exp_", lambda x: x.exp_()), ("clamp_", lambda x: x.clamp_(-0.5, 0.5)),
    ("fill_", lambda x: x.fill_(7.0)), ("zero_", lambda x: x.zero_()),
    ("+=", lambda x: x.__iadd__(1.0)), ("-=", lambda x: x.__isub__(1.0)),
    ("*=", lambda x: x.__imul__(2.0)), ("/=", lambda x: x.__itruediv__(2.0)),
])
def test_in_place_ops_inside_a_graph_give_pytorchs_values_and_gradients(name, update):
    def program(lib, tensor):
        w = tensor([0.3, -0.8, 1.2], requires_grad=True)
        h = w * 2.0                       # a result inside the graph
        out = update(h)
        assert out is h                   # the same object, as PyTorch returns self
        loss = (h * h).sum()
        loss.backward()
        return as_list(h), as_list(w.grad)

    theirs, ours = torch_and_ours(program)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12, atol=1e-15)


def test_setitem_inside_a_graph_sends_gradients_to_the_value_and_the_rest():
    def program(lib, tensor):
        w = tensor([1.0, 2.0, 3.0], requires_grad=True)
        v = tensor([5.0], requires_grad=True)
        h = w * 1.0
        h[1] = v * 2
        (h * h).sum().backward()
        return as_list(h), as_list(w.grad), as_list(v.grad)

    theirs, ours = torch_and_ours(program)
    assert ours == theirs == ([1.0, 10.0, 3.0], [2.0, 0.0, 6.0], [40.0])


def test_setitem_and_copy_outside_the_graph():
    x = Tensor([1.0, 2.0, 3.0])
    x[x.data > 1] = 0.0
    assert x.data.tolist() == [1.0, 0.0, 0.0]
    x.copy_(Tensor([4.0, 5.0, 6.0]))
    assert x.data.tolist() == [4.0, 5.0, 6.0]


def test_manual_sgd_updates_the_parameters_in_place():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3))
    y = X @ np.array([1.5, -2.0, 0.5])
    w = Tensor(np.zeros(3), requires_grad=True)
    params = [w]
    for _ in range(200):
        loss = ((Tensor(X) @ w - Tensor(y)) ** 2).mean()
        loss.backward()
        with no_grad():
            for p in params:
                p -= 0.1 * p.grad
        w.grad = None
    np.testing.assert_allclose(w.data, [1.5, -2.0, 0.5], atol=1e-6)


def test_an_input_modified_after_use_makes_backward_raise():
    w = Tensor([1.0, 2.0], requires_grad=True)
    x = Tensor([3.0, 4.0])
    y = (w * x).sum()         # mul needs x for w's gradient
    x += 1                    # x needs no grad: allowed, and its version moves on
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        y.backward()


def test_a_parameter_stepped_before_backward_makes_backward_raise():
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    with no_grad():
        w -= 0.1
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        y.backward()


def test_a_result_overwritten_under_no_grad_makes_its_backward_raise():
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = w.exp()               # exp's gradient is its own output
    with no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        y.sum().backward()


def test_in_place_errors_as_pytorch():
    w = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
        w.mul_(2)
    with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
        w[0] = 3.0
    x = Tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="does not fit"):
        x += Tensor(np.ones((3, 2)))
    n = Tensor(np.array([1, 2]), dtype=np.int64)
    with pytest.raises(RuntimeError, match="cannot be written"):
        n += 0.5
