"""nn.scalar: micrograd's MLP on Value, checked against the same network in PyTorch."""

import numpy as np
import pytest

from autograd import Value
from nn import optim
from nn.functional import l2_penalty
from nn.scalar import MLP, Layer, Neuron


def test_shapes_like_micrograd():
    np.random.seed(0)
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)  # 337
    assert all(isinstance(p, Value) for p in model.parameters())
    assert isinstance(model([1.0, -2.0]), Value)
    assert len(MLP(3, [4, 2])([1.0, 2.0, 3.0])) == 2
    assert repr(model) == ("MLP(\n"
                           "  (layers.0): Layer(2, 16, relu)\n"
                           "  (layers.1): Layer(16, 16, relu)\n"
                           "  (layers.2): Layer(16, 1, linear)\n"
                           ")")
    assert list(model.state_dict())[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                                            "layers.0.neurons.0.b"]


def test_a_neuron_by_hand():
    n = Neuron(2, activation="tanh")
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
    out = n([2.0, 1.0])  # tanh(1 − 1 + 0.25)
    assert out.data == pytest.approx(np.tanh(0.25))
    out.backward()
    assert n.w[0].grad == pytest.approx((1 - np.tanh(0.25) ** 2) * 2.0)
    assert len(Layer(2, 3)([1.0, 1.0])) == 3


def test_outputs_and_gradients_equal_pytorchs():
    torch = pytest.importorskip("torch")
    np.random.seed(1)
    model = MLP(3, [4, 4, 1])
    layers = []
    for layer in model.layers:
        w = torch.tensor([[v.data for v in n.w] for n in layer.neurons], dtype=torch.float64,
                         requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64,
                         requires_grad=True)
        layers.append((w, b))
    x = [0.5, -1.5, 2.0]
    out = model(x)
    out.backward()
    h = torch.tensor(x, dtype=torch.float64)
    for i, (w, b) in enumerate(layers):
        h = w @ h + b
        h = torch.relu(h) if i < len(layers) - 1 else h
    h.sum().backward()
    assert out.data == pytest.approx(h.item(), rel=1e-12)
    for layer, (w, b) in zip(model.layers, layers):
        np.testing.assert_allclose([[v.grad for v in n.w] for n in layer.neurons], w.grad.numpy(),
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose([n.b.grad for n in layer.neurons], b.grad.numpy(),
                                   rtol=1e-12, atol=1e-15)


def test_trains_with_nn_optim_as_in_micrographs_demo():
    np.random.seed(2)
    X = np.random.randn(30, 2)
    y = np.where(X[:, 0] + X[:, 1] > 0, 1.0, -1.0)
    model = MLP(2, [8, 1])
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    def loss_and_accuracy():
        scores = [model(list(x)) for x in X]
        hinge = sum((1 + -yi * s).relu() for yi, s in zip(y, scores)) * (1.0 / len(X))
        loss = hinge + 1e-4 * l2_penalty(model.parameters())
        return loss, np.mean([(s.data > 0) == (yi > 0) for yi, s in zip(y, scores)])

    first, _ = loss_and_accuracy()
    for _ in range(30):
        loss, acc = loss_and_accuracy()
        model.zero_grad()
        loss.backward()
        opt.step()
    assert loss.data < first.data and acc >= 0.9


def test_unknown_activation():
    with pytest.raises(ValueError, match="relu, tanh, sigmoid, linear"):
        Neuron(2, activation="gelu")
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        Neuron(2)([1.0, 2.0, 3.0])
