"""Dropout: inverted scaling, the gradient through the mask, eval mode, reproducibility."""

import numpy as np
import pytest

from autograd import Tensor
from autograd.gradcheck import gradcheck
from nn.dropout import Dropout, Dropout2d, dropout, dropout2d


def test_inverted_scaling_and_gradient():
    np.random.seed(0)
    x = Tensor(np.full((200, 50), 3.0), requires_grad=True)
    out = dropout(x, p=0.2)
    values = np.unique(out.data)
    np.testing.assert_allclose(values, [0.0, 3.0 / 0.8], rtol=1e-6)  # dropped, or scaled up
    assert np.mean(out.data == 0) == pytest.approx(0.2, abs=0.02)      # 10,000 draws
    assert out.data.mean() == pytest.approx(3.0, rel=0.03)              # expectation kept
    out.sum().backward()
    # the gradient flows where the input survived, scaled the same way
    np.testing.assert_allclose(x.grad, np.where(out.data == 0, 0.0, 1 / 0.8), rtol=1e-6)


@pytest.mark.parametrize("drop, shape", [(dropout, (5, 7)), (dropout2d, (3, 4, 3, 2))])
def test_gradcheck(drop, shape):
    def same_mask_every_call(x):
        np.random.seed(3)
        return drop(x, p=0.4)

    x = Tensor(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
    assert gradcheck(same_mask_every_call, x)


def test_reproducible_from_numpy_seed():
    np.random.seed(7)
    first = dropout(np.ones((4, 5)), p=0.5).data
    np.random.seed(7)
    np.testing.assert_array_equal(dropout(np.ones((4, 5)), p=0.5).data, first)
    # the mask is NumPy's uniform draws below 1 − p
    np.random.seed(7)
    np.testing.assert_array_equal(first, (np.random.random_sample((4, 5)) < 0.5) * 2.0)


def test_eval_mode_and_edge_probabilities():
    layer = Dropout(p=0.5)
    x = Tensor(np.arange(6.0))
    assert layer.eval()(x) is x
    np.random.seed(0)
    assert not np.array_equal(layer.train()(x).data, x.data)
    np.testing.assert_array_equal(dropout(x, p=0.0).data, x.data)
    np.testing.assert_array_equal(dropout(x, p=1.0).data, np.zeros(6))
    assert dropout(x, training=False) is x
    assert repr(Dropout(0.3)) == "Dropout(p=0.3, inplace=False)" and Dropout().parameters() == []


def test_dropout2d_drops_whole_channels():
    np.random.seed(1)
    x = Tensor(np.ones((16, 8, 5, 5), np.float32), requires_grad=True)
    out = Dropout2d(p=0.5)(x)
    per_channel = out.data.reshape(16, 8, 25)
    assert np.all(per_channel.min(axis=2) == per_channel.max(axis=2))  # all or nothing
    assert set(np.unique(per_channel)) == {0.0, 2.0}
    assert out.dtype == np.float32
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, out.data)  # d(sum)/dx = the mask itself


def test_errors():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Dropout(1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        dropout(np.ones(3), p=-0.1)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        dropout2d(np.ones((4, 3)))


def test_dropout_is_autograds_product_with_a_constant_mask():
    from autograd.ops.elementwise import mul
    np.random.seed(1)
    x = Tensor(np.ones(6), requires_grad=True)
    out = dropout(x, p=0.5)
    assert out.op is mul and out.parents[0] is x
    mask = out.parents[1]
    assert mask.label == "dropout mask" and not mask.requires_grad
    np.testing.assert_array_equal(mask.data, out.data)  # x is ones: the mask itself
