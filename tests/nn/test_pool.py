"""max_pool2d and avg_pool2d: worked examples by hand, finite differences, and torch."""

import numpy as np
import pytest

from autograd import Tensor
from autograd.gradcheck import gradcheck
from nn.conv import AvgPool2d, MaxPool2d, avg_pool2d, max_pool2d

X4 = np.array([[1.0, 2.0, 5.0, 0.0],
               [4.0, 3.0, 1.0, 6.0],
               [0.0, 9.0, 2.0, 2.0],
               [7.0, 8.0, 3.0, 1.0]]).reshape(1, 1, 4, 4)


def test_max_pool_by_hand():
    x = Tensor(X4, requires_grad=True)
    out = max_pool2d(x, 2)
    np.testing.assert_array_equal(out.data[0, 0], [[4, 6], [9, 3]])
    out.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    # each window's gradient goes to its arg-max, and nowhere else
    np.testing.assert_array_equal(x.grad[0, 0], [[0, 0, 0, 0],
                                                 [10, 0, 0, 20],
                                                 [0, 30, 0, 0],
                                                 [0, 0, 40, 0]])


def test_max_pool_tie_goes_to_the_first_position():
    x = Tensor(np.array([[[[2.0, 2.0], [2.0, 1.0]]]]), requires_grad=True)
    max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad[0, 0], [[1, 0], [0, 0]])


def test_overlapping_windows_add_up():
    # stride 1: the 9 sits in all four 2×2 windows of this 3×3 image and wins each
    x = Tensor(np.array([[[[1.0, 2.0, 3.0], [4.0, 9.0, 5.0], [6.0, 7.0, 8.0]]]]),
               requires_grad=True)
    out = max_pool2d(x, 2, stride=1)
    np.testing.assert_array_equal(out.data[0, 0], [[9, 9], [9, 9]])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad[0, 0], [[0, 0, 0], [0, 4, 0], [0, 0, 0]])


def test_max_pool_padding_never_wins():
    out = max_pool2d(-np.ones((1, 1, 2, 2)), 2, stride=1, padding=1)
    np.testing.assert_array_equal(out.data, -np.ones((1, 1, 3, 3)))


def test_avg_pool_by_hand():
    x = Tensor(X4, requires_grad=True)
    out = avg_pool2d(x, 2)
    np.testing.assert_array_equal(out.data[0, 0], [[10 / 4, 12 / 4], [24 / 4, 8 / 4]])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((1, 1, 4, 4), 0.25))
    # padding zeros count in the mean: the corner window holds one pixel and three zeros
    assert avg_pool2d(X4, 2, padding=1).data[0, 0, 0, 0] == 1.0 / 4


CASES = [  # (N, C, H, W), kernel, stride, padding
    ((2, 3, 6, 6), 2, None, 0),
    ((2, 3, 7, 9), 3, 2, 1),
    ((1, 2, 5, 5), 3, 1, 1),
    ((2, 2, 7, 5), 2, 1, 0),
    ((1, 2, 9, 8), (3, 2), (2, 3), (1, 1)),
    ((1, 1, 5, 5), 1, 3, 0),  # stride larger than the kernel: some pixels get no gradient
]


def _distinct(shape, seed):
    """Random values without ties, so that the max has one arg-max everywhere."""
    rng = np.random.default_rng(seed)
    return rng.permutation(np.prod(shape)).reshape(shape) / np.prod(shape) + 0.1


@pytest.mark.parametrize("pool", [max_pool2d, avg_pool2d])
@pytest.mark.parametrize("image, kernel, stride, padding", CASES)
def test_gradcheck(pool, image, kernel, stride, padding):
    x = Tensor(_distinct(image, 0), requires_grad=True)
    # eps well below the gap between neighbouring values: no arg-max flips
    assert gradcheck(lambda x: pool(x, kernel, stride, padding), x, eps=1e-7)


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
@pytest.mark.parametrize("image, kernel, stride, padding", CASES)
def test_against_torch(name, image, kernel, stride, padding):
    torch = pytest.importorskip("torch")
    ours_fn = {"max_pool2d": max_pool2d, "avg_pool2d": avg_pool2d}[name]
    rng = np.random.default_rng(1)
    # rounded values: ties, as after a ReLU, must go to the same place as in torch
    x = np.round(rng.standard_normal(image), 1)
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out = ours_fn(ours, kernel, stride, padding)
    expected = getattr(torch.nn.functional, name)(theirs, kernel, stride, padding)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    grad = rng.standard_normal(out.shape)
    out.backward(grad)
    expected.backward(torch.tensor(grad))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_modules():
    x = np.random.default_rng(2).standard_normal((8, 16, 32, 32)).astype(np.float32)
    assert MaxPool2d(2)(x).shape == (8, 16, 16, 16)
    assert AvgPool2d(3, stride=2, padding=1)(x).shape == (8, 16, 16, 16)
    assert MaxPool2d(2)(x).dtype == np.float32 and AvgPool2d(2)(x).dtype == np.float32
    assert MaxPool2d(2).parameters() == [] and MaxPool2d(2).state_dict() == {}
    assert repr(MaxPool2d(2)) == ("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, "
                                  "ceil_mode=False)")
    assert repr(AvgPool2d(3, 1, 1)) == "AvgPool2d(kernel_size=3, stride=1, padding=1)"


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="at most half the kernel"):
        MaxPool2d(2, padding=2)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        max_pool2d(np.zeros((4, 4)), 2)
    with pytest.raises(ValueError, match=r"3×3 window is larger than the \(padded\) input 2×2"):
        max_pool2d(np.zeros((1, 1, 2, 2)), 3)
    with pytest.raises(ValueError, match="positive"):
        avg_pool2d(np.zeros((1, 1, 4, 4)), 0)
