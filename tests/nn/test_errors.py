"""Mistakes a learner makes with nn, and errors that name the fix."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, Value
from nn.scalar import MLP


def test_conv2d_with_the_wrong_input_channels_names_the_layer_and_the_input():
    conv = nn.Conv2d(3, 16, kernel_size=3)
    with pytest.raises(ValueError) as err:
        conv(np.zeros((8, 1, 28, 28), np.float32))  # grey images into an RGB layer
    assert str(err.value) == ("Conv2d(3, 16, kernel_size=(3, 3)) expects 3 input channels, "
                              "got 1 (input shape (8, 1, 28, 28))")
    with pytest.raises(ValueError, match=r"the weight expects 3 input channels, the input has "
                                         r"1"):
        F.conv2d(np.zeros((8, 1, 28, 28)), np.zeros((16, 3, 3, 3)))


@pytest.mark.parametrize("optimizer", [nn.optim.SGD, nn.optim.Adam, nn.optim.AdamW,
                                       nn.optim.RMSprop, nn.optim.Adagrad])
def test_optimizer_given_the_parameters_method_says_to_call_it(optimizer):
    model = nn.Linear(2, 1)
    with pytest.raises(TypeError) as err:
        optimizer(model.parameters, lr=0.1)
    name = optimizer.__name__
    assert str(err.value) == (f"{name} got the parameters method itself; call "
                              f"model.parameters(): {name}(model.parameters(), ...)")


def values_from_a_scalar_mlp():
    """What a micrograd-style network returns: one Value per sample."""
    np.random.seed(0)
    model = MLP(2, [3, 1])
    outputs = [model([x1, x2]) for x1, x2 in [(1.0, 2.0), (-1.0, 0.5)]]
    assert all(isinstance(v, Value) for v in outputs)
    return model, outputs


@pytest.mark.parametrize("call", [
    lambda outputs: F.mse_loss(outputs, [1.0, -1.0]),
    lambda outputs: F.mse_loss(np.array(outputs, dtype=object), [1.0, -1.0]),
    lambda outputs: F.l1_loss([1.0, -1.0], outputs),          # Values as the target
    lambda outputs: F.hinge_loss(outputs, [1.0, -1.0]),
    lambda outputs: F.binary_cross_entropy([[v.sigmoid()] for v in outputs], [[1.0], [0.0]]),
    lambda outputs: F.cross_entropy([outputs], [0]),
    lambda outputs: F.relu(outputs),
    lambda outputs: F.softmax(outputs),
    lambda outputs: nn.Linear(2, 1)([outputs]),
    lambda outputs: outputs[0] + F.tanh(outputs[1]),          # a lone Value
])
def test_tensor_functions_refuse_values_and_point_to_value_ops(call):
    _, outputs = values_from_a_scalar_mlp()
    with pytest.raises(TypeError, match=r"got Value objects; Tensor functions take Tensors or "
                                        r"arrays\. For Values, write it with Value ops"):
        call(outputs)


def test_the_value_error_names_the_function_and_the_value_way_works():
    model, outputs = values_from_a_scalar_mlp()
    with pytest.raises(TypeError) as err:
        F.mse_loss(outputs, [1.0, -1.0])
    assert str(err.value).startswith("mse_loss got Value objects")
    assert "sum((p - t)**2 for p, t in zip(outputs, targets))" in str(err.value)
    # The way the message shows: the loss as Value ops, whose backward reaches the weights.
    loss = sum((p - t) ** 2 for p, t in zip(outputs, [1.0, -1.0])) / 2
    loss.backward()
    expected = np.mean([(p.data - t) ** 2 for p, t in zip(outputs, [1.0, -1.0])])
    assert loss.data == pytest.approx(expected)
    assert any(p.grad != 0 for p in model.parameters())


def test_tensors_arrays_lists_and_numbers_still_pass():
    assert F.mse_loss(Tensor([1.0, 2.0]), [1.0, 4.0]).item() == pytest.approx(2.0)
    assert F.mse_loss(np.array([1.0, 2.0]), np.array([1.0, 4.0])).item() == pytest.approx(2.0)
    assert F.relu(-3.0).item() == 0.0
    assert F.l1_loss(np.array([1.0, 2.0], dtype=object), [1.0, 4.0]).item() == pytest.approx(1.0)
