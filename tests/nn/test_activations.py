"""Activation functions and layers against PyTorch: values and gradients in float64 and
float32, at the kinks too (0, and the bounds of hardtanh), and PyTorch's reprs."""

import warnings

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

DTYPES = [np.float64, np.float32]


def inputs():
    """Values across the range, the kinks of relu, relu6 and hardtanh exactly, and
    large ones (softplus's threshold, saturating sigmoids)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(40) * 3
    return np.concatenate([x, [0.0, -1.0, 1.0, 6.0, 3.0, -3.0, 25.0, -25.0, 19.99, 20.01]])


FUNCTIONS = [  # (name, keyword arguments)
    ("relu", {}), ("relu6", {}), ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}),
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}), ("gelu", {}),
    ("gelu", {"approximate": "tanh"}), ("silu", {}), ("mish", {}), ("hardtanh", {}),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}), ("logsigmoid", {}), ("softsign", {}),
    ("tanhshrink", {}), ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 5.0}),
    ("sigmoid", {}), ("tanh", {}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, options", FUNCTIONS)
def test_functions_match_torch(against_torch, name, options, dtype):
    against_torch.functions(getattr(F, name), getattr(against_torch.torch.nn.functional, name),
                            inputs(), dtype=dtype, **options)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_along_a_dim(against_torch, name, dim, dtype):
    x = np.random.default_rng(1).standard_normal((3, 4, 5)) * 3
    against_torch.functions(getattr(F, name), getattr(against_torch.torch.nn.functional, name),
                            x, dtype=dtype, dim=dim)


@pytest.mark.parametrize("ndim, dim", [(1, 0), (2, 1), (3, 0), (4, 1)])
def test_softmax_without_a_dim_chooses_as_pytorch_and_warns(ndim, dim):
    x = np.random.default_rng(2).standard_normal((2,) * ndim)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = F.softmax(x)
    np.testing.assert_allclose(out.data.sum(axis=dim), 1.0)


def test_axis_is_an_alias_of_dim():
    x = np.random.default_rng(3).standard_normal((2, 3))
    np.testing.assert_array_equal(F.softmax(x, axis=0).data, F.softmax(x, dim=0).data)
    assert nn.LogSoftmax(axis=1).dim == 1


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, channels", [((5,), 1), ((4, 3), 3), ((2, 3, 4, 4), 3),
                                             ((2, 3, 4, 4), 1)])
def test_prelu(against_torch, shape, channels, dtype):
    torch = against_torch.torch
    x = np.random.default_rng(4).standard_normal(shape)
    x.flat[0] = 0.0  # PyTorch's slope at 0 is the negative one
    weight = np.random.default_rng(5).random(channels)
    against_torch.functions(F.prelu, torch.nn.functional.prelu, x, weight, dtype=dtype)
    against_torch.modules(nn.PReLU(channels), torch.nn.PReLU(channels), x, dtype=dtype)


LAYERS = [  # the same constructor call in both libraries
    "ReLU()", "ReLU6()", "SELU()", "SiLU()", "Mish()", "GELU()",
    "GELU(approximate='tanh')", "Hardtanh()", "Hardtanh(-2.0, 2.5)", "LogSigmoid()",
    "Softsign()", "Tanhshrink()", "Sigmoid()", "Tanh()", "LeakyReLU(0.1)", "ELU(alpha=0.5)",
    "Softplus(beta=2.0, threshold=10)", "Softmax(dim=1)", "LogSoftmax(dim=0)", "Softmin(dim=1)",
    "Softmax()",
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("call", LAYERS)
def test_layers_and_their_reprs_match_torch(against_torch, call, dtype):
    x = inputs().reshape(5, 10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Softmax() warns in both libraries
        against_torch.modules(*against_torch.layers(call), x, dtype=dtype)


def test_hardtanh_passes_no_gradient_at_its_bounds_as_pytorch():
    x = Tensor([-1.0, -0.5, 1.0, 6.0, 0.0], requires_grad=True)
    F.hardtanh(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0, 1, 0, 0, 1])
    y = Tensor([0.0, 6.0, 3.0], requires_grad=True)
    F.relu6(y).sum().backward()
    np.testing.assert_array_equal(y.grad.data, [0, 0, 1])


def test_selu_constants_by_hand():
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    np.testing.assert_allclose(F.selu(Tensor([-1.0, 2.0], dtype=np.float64)).data,
                               [scale * alpha * (np.exp(-1) - 1), scale * 2])


def test_inplace_is_accepted_and_gives_a_new_tensor():
    x = Tensor([-1.0, 2.0])
    out = nn.ReLU(inplace=True)(x)
    np.testing.assert_array_equal(out.data, [0.0, 2.0])
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"
