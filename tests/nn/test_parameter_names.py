"""A network's parameters are called by their path in the model (``0.weight``), in
derivations as in pictures, once the model has run."""

import numpy as np

import nn
from autograd import Tensor, derive


def test_derive_names_parameters_by_their_module_path():
    model = nn.Sequential(nn.Linear(3, 2), nn.Sigmoid(), nn.Linear(2, 1))
    loss = model(Tensor(np.ones((4, 3), np.float32))).sum()
    d = derive(loss)
    assert [name for name, _ in model.named_parameters()] == \
        ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert {"0.weight", "0.bias", "2.weight", "2.bias"} <= set(d.grads)
    loss.backward()
    np.testing.assert_array_equal(d.grad("0.weight"), model[0].weight.grad)
    assert "∂L/∂2.weight = " in str(d)


def test_a_label_given_by_the_user_is_kept():
    layer = nn.Linear(2, 1)
    layer.weight.label = "W"
    layer(Tensor(np.ones((1, 2), np.float32)))
    assert layer.weight.label == "W" and layer.bias.label == "bias"
