"""nn.init: PyTorch's formulas for the bounds and spreads, NumPy's random state."""

import math

import numpy as np
import pytest

from autograd import Tensor
from nn import init


def test_fills():
    assert np.all(init.zeros_(Tensor.ones(2, 3)).data == 0)
    assert np.all(init.ones_(Tensor.zeros(4)).data == 1)


@pytest.mark.parametrize("fill, bound", [
    (lambda w: init.uniform_(w, -0.3, 0.2), 0.3),
    (lambda w: init.xavier_uniform_(w), math.sqrt(6 / (300 + 200))),
    (lambda w: init.xavier_uniform_(w, gain=init.calculate_gain("tanh")),
     5 / 3 * math.sqrt(6 / 500)),
    (lambda w: init.kaiming_uniform_(w, nonlinearity="relu"), math.sqrt(2) * math.sqrt(3 / 200)),
    (lambda w: init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu"),
     math.sqrt(2) * math.sqrt(3 / 300)),
    (lambda w: init.kaiming_uniform_(w, a=math.sqrt(5)), 1 / math.sqrt(200)),  # Linear's
])
def test_uniform_bounds(fill, bound):
    np.random.seed(0)
    w = fill(Tensor.zeros(300, 200))
    assert np.abs(w.data).max() <= bound
    assert np.abs(w.data).max() > 0.99 * bound


@pytest.mark.parametrize("fill, std", [
    (lambda w: init.normal_(w, 1.0, 0.5), 0.5),
    (lambda w: init.xavier_normal_(w), math.sqrt(2 / (300 + 200))),
    (lambda w: init.kaiming_normal_(w, nonlinearity="relu"), math.sqrt(2 / 200)),
    (lambda w: init.kaiming_normal_(w, mode="fan_out"),
     math.sqrt(2 / (1 + 0.01**2)) / math.sqrt(300)),
])
def test_normal_spreads(fill, std):
    np.random.seed(0)
    w = fill(Tensor.zeros(300, 200))
    assert w.data.std() == pytest.approx(std, rel=0.02)


def test_conv_kernels_count_every_position():
    np.random.seed(0)
    w = init.kaiming_normal_(Tensor.zeros(64, 16, 3, 3), nonlinearity="relu")
    assert w.data.std() == pytest.approx(math.sqrt(2 / (16 * 9)), rel=0.02)


def test_gains_are_pytorchs():
    torch = pytest.importorskip("torch")
    for name in ("linear", "sigmoid", "tanh", "relu", "selu"):
        assert init.calculate_gain(name) == pytest.approx(torch.nn.init.calculate_gain(name))
    assert init.calculate_gain("leaky_relu", 0.2) == \
        pytest.approx(torch.nn.init.calculate_gain("leaky_relu", 0.2))


def test_global_seed_and_generators_reproduce():
    np.random.seed(5)
    a = init.normal_(Tensor.zeros(3)).data.copy()
    np.random.seed(5)
    np.testing.assert_array_equal(init.normal_(Tensor.zeros(3)).data, a)
    b = init.uniform_(Tensor.zeros(3), generator=np.random.default_rng(1)).data
    np.testing.assert_array_equal(b, np.random.default_rng(1).uniform(0, 1, 3).astype(np.float32))
    c = init.uniform_(Tensor.zeros(3), generator=np.random.RandomState(1)).data
    np.testing.assert_array_equal(c, np.random.RandomState(1).uniform(0, 1, 3).astype(np.float32))


def test_init_fills_in_place_and_keeps_the_dtype():
    w = Tensor.zeros(4, 5)
    data = w.data
    assert init.xavier_uniform_(w) is w and w.data is data and w.dtype == np.float32


def test_mistakes_are_named():
    with pytest.raises(ValueError, match=r"at least 2 dimensions, got shape \(5,\)"):
        init.xavier_uniform_(Tensor.zeros(5))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_normal_(Tensor.zeros(2, 2), mode="fan")
    with pytest.raises(ValueError, match="unknown nonlinearity 'swish'"):
        init.calculate_gain("swish")
