"""Layers: shapes, PyTorch's initialisation bounds, NumPy inputs, activation modules."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor


def test_linear_weight_is_out_by_in_and_drawn_like_pytorch():
    np.random.seed(0)
    layer = nn.Linear(64, 80)
    assert layer.weight.shape == (80, 64) and layer.bias.shape == (80,)
    assert layer.weight.dtype == np.float32
    bound = 1 / math.sqrt(64)  # PyTorch: U(±1/√in_features) for both
    for p in (layer.weight, layer.bias):
        assert np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.9 * bound  # spread over the whole range
    # uniform on ±b has standard deviation b/√3
    assert layer.weight.data.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)


def test_linear_draws_from_numpys_global_state():
    np.random.seed(3)
    first = nn.Linear(4, 3).state_dict()
    np.random.seed(3)
    second = nn.Linear(4, 3).state_dict()
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])


def test_linear_by_hand():
    layer = nn.Linear(2, 1)
    layer.weight.data[...] = [[2.0, -1.0]]
    layer.bias.data[...] = [0.5]
    np.testing.assert_allclose(layer(np.array([[1.0, 3.0]])).data, [[2 - 3 + 0.5]])


def test_layers_accept_numpy_arrays_and_tensors():
    model = nn.Sequential(nn.Linear(12, 5), nn.ReLU(), nn.Linear(5, 2))
    x = np.random.randn(7, 12)  # float64 from NumPy
    out = model(x)
    assert out.shape == (7, 2) and out.dtype == np.float32  # the weights' dtype
    np.testing.assert_allclose(model(Tensor(x.astype(np.float32))).data, out.data, rtol=1e-6)
    images = np.random.rand(7, 3, 4).astype(np.float32)
    assert (nn.Sequential(nn.Flatten(), model)(images)).shape == (7, 2)


def test_linear_without_bias():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None and list(layer.state_dict()) == ["weight"]
    assert layer(np.zeros((1, 3))).shape == (1, 2)


def test_sequential_indexing_and_named_children():
    layers = [nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)]
    model = nn.Sequential(*layers)
    assert len(model) == 3 and model[1] is layers[1] and list(model) == layers
    assert isinstance(model[:2], nn.Sequential) and len(model[:2]) == 2
    named = nn.Sequential({"hidden": nn.Linear(2, 3), "act": nn.ReLU()})
    assert list(named.state_dict()) == ["hidden.weight", "hidden.bias"]
    with pytest.raises(TypeError, match="expected a Module, got function"):
        nn.Sequential(lambda x: x)


def test_flatten_and_identity():
    assert nn.Flatten()(np.zeros((5, 1, 28, 28))).shape == (5, 784)
    assert nn.Flatten(0)(np.zeros((2, 3))).shape == (6,)
    x = Tensor([1.0])
    assert nn.Identity()(x) is x


@pytest.mark.parametrize("ours, theirs", [
    (lambda: nn.ReLU(), "ReLU()"), (lambda: nn.Sigmoid(), "Sigmoid()"),
    (lambda: nn.Tanh(), "Tanh()"), (lambda: nn.LeakyReLU(0.1), "LeakyReLU(0.1)"),
    (lambda: nn.ELU(0.7), "ELU(0.7)"), (lambda: nn.Softplus(2.0), "Softplus(2.0)"),
    (lambda: nn.Softmax(axis=1), "Softmax(dim=1)"),
    (lambda: nn.LogSoftmax(axis=1), "LogSoftmax(dim=1)"),
])
def test_activation_modules_match_torch(ours, theirs):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((4, 5)) * 3
    expected = eval("torch.nn." + theirs)(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours()(x).data, expected, rtol=1e-10, atol=1e-12)
