"""Convolutions with dilation, groups and padding modes, the transposed convolution, and
pooling with dilation, ceil_mode, count_include_pad and indices, against PyTorch."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, no_grad
from autograd.gradcheck import gradcheck

RNG = np.random.default_rng(0)
DTYPES = [np.float64, np.float32]

CONV_CASES = [  # image, (out, kh, kw), options
    ((2, 4, 7, 6), (6, 3, 3), dict(dilation=2)),
    ((2, 4, 9, 8), (6, 3, 2), dict(stride=2, padding=2, dilation=(2, 3))),
    ((2, 4, 6, 6), (6, 3, 3), dict(groups=2, padding=1)),
    ((1, 6, 7, 7), (6, 3, 3), dict(groups=6, stride=2)),          # depthwise
    ((2, 4, 8, 7), (8, 2, 3), dict(groups=4, dilation=2, padding="same")),
    ((1, 3, 5, 5), (2, 4, 4), dict(padding="same", dilation=2)),  # even kernel, dilated
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("image, kernel, options", CONV_CASES)
def test_conv2d_dilation_and_groups(against_torch, image, kernel, options, dtype):
    groups = options.get("groups", 1)
    x = RNG.standard_normal(image)
    w = RNG.standard_normal((kernel[0], image[1] // groups, *kernel[1:]))
    b = RNG.standard_normal(kernel[0])
    against_torch.functions(F.conv2d, against_torch.torch.nn.functional.conv2d, x, w, b,
                            dtype=dtype, **options)


@pytest.mark.parametrize("image, kernel, options", CONV_CASES[:4])
def test_conv2d_gradcheck(image, kernel, options):
    groups = options.get("groups", 1)
    x = Tensor(RNG.standard_normal(image), requires_grad=True)
    w = Tensor(RNG.standard_normal((kernel[0], image[1] // groups, *kernel[1:])),
               requires_grad=True)
    assert gradcheck(lambda x, w: F.conv2d(x, w, **options), x, w)


TRANSPOSED_CASES = [  # image, (out per group, kh, kw), options
    ((2, 4, 5, 5), (3, 3, 3), dict()),
    ((2, 4, 5, 6), (3, 3, 3), dict(stride=2, padding=1, output_padding=1)),
    ((1, 4, 4, 4), (2, 4, 4), dict(stride=2, padding=1)),
    ((2, 4, 3, 5), (3, 2, 3), dict(stride=(2, 3), dilation=2, groups=2)),
    ((1, 6, 4, 4), (1, 3, 3), dict(groups=6, stride=3, output_padding=2, padding=(0, 1))),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("image, kernel, options", TRANSPOSED_CASES)
@pytest.mark.parametrize("bias", [True, False])
def test_conv_transpose2d(against_torch, image, kernel, options, bias, dtype):
    torch = against_torch.torch
    x, w = RNG.standard_normal(image), RNG.standard_normal((image[1], *kernel))
    b = RNG.standard_normal(kernel[0] * options.get("groups", 1)) if bias else None
    against_torch.functions(F.conv_transpose2d, torch.nn.functional.conv_transpose2d,
                            x, w, b, dtype=dtype, **options)


def test_conv_transpose2d_is_the_gradient_of_conv2d():
    # ⟨conv(x), y⟩ = ⟨x, conv_transpose(y)⟩ for the same weight: the adjoint, by definition
    x, w = RNG.standard_normal((2, 3, 7, 7)), RNG.standard_normal((4, 3, 3, 3))
    out = F.conv2d(x, w, stride=2, padding=1)
    y = RNG.standard_normal(out.shape)
    back = F.conv_transpose2d(y, w, stride=2, padding=1)
    assert np.isclose((out.data * y).sum(), (x * back.data).sum(), rtol=1e-12)


def test_conv_transpose2d_gradcheck():
    x = Tensor(RNG.standard_normal((1, 2, 3, 4)), requires_grad=True)
    w = Tensor(RNG.standard_normal((2, 3, 3, 2)), requires_grad=True)
    assert gradcheck(lambda x, w: F.conv_transpose2d(x, w, stride=2, output_padding=1), x, w)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("options", [
    dict(), dict(stride=2, padding=1, output_padding=1), dict(groups=2, dilation=2)])
def test_conv_transpose2d_layer(against_torch, options, dtype):
    torch = against_torch.torch
    x = RNG.standard_normal((2, 4, 5, 5))
    against_torch.modules(nn.ConvTranspose2d(4, 6, 3, **options),
                          torch.nn.ConvTranspose2d(4, 6, 3, **options), x, dtype=dtype)


def test_conv_transpose2d_output_size_picks_the_output_padding(against_torch):
    torch = against_torch.torch
    ours, theirs = nn.ConvTranspose2d(2, 2, 3, stride=2, padding=1), \
        torch.nn.ConvTranspose2d(2, 2, 3, stride=2, padding=1)
    x = np.zeros((1, 2, 4, 4))
    assert ours(x, output_size=(8, 8)).shape == theirs(torch.tensor(x).float(),
                                                       output_size=(8, 8)).shape == (1, 2, 8, 8)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", [1, (2, 1), "same"])
def test_conv2d_padding_modes(against_torch, mode, padding, dtype):
    torch = against_torch.torch
    x = RNG.standard_normal((2, 3, 6, 5))
    against_torch.modules(nn.Conv2d(3, 4, (3, 4), padding=padding, padding_mode=mode),
                          torch.nn.Conv2d(3, 4, (3, 4), padding=padding, padding_mode=mode),
                          x, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_layer_with_groups_and_dilation(against_torch, dtype):
    torch = against_torch.torch
    x = RNG.standard_normal((2, 6, 9, 9))
    options = dict(stride=2, padding=2, dilation=2, groups=3)
    against_torch.modules(nn.Conv2d(6, 9, 3, **options), torch.nn.Conv2d(6, 9, 3, **options),
                          x, dtype=dtype)


def test_one_image_without_a_batch(against_torch):
    torch = against_torch.torch
    x, w = RNG.standard_normal((3, 6, 6)), RNG.standard_normal((4, 3, 3, 3))
    against_torch.functions(F.conv2d, torch.nn.functional.conv2d, x, w, padding=1)
    against_torch.functions(F.max_pool2d, torch.nn.functional.max_pool2d, x, 2)


POOL_CASES = [  # image, kernel, options
    ((2, 3, 7, 7), 3, dict(stride=2, padding=1, ceil_mode=True)),
    ((2, 3, 8, 7), 2, dict(ceil_mode=True)),
    ((1, 2, 9, 9), 3, dict(stride=2, padding=1)),
    ((1, 2, 6, 5), (3, 2), dict(stride=(2, 3), padding=(1, 0), ceil_mode=True)),
    ((1, 2, 5, 5), 2, dict(stride=1)),
]


def rounded(shape):
    """Values with ties, as after a ReLU: the winner of a tie must be PyTorch's."""
    return np.round(RNG.standard_normal(shape), 1)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("image, kernel, options", POOL_CASES)
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("divisor_override", [None, 3])
def test_avg_pool2d_options(against_torch, image, kernel, options, count_include_pad,
                            divisor_override, dtype):
    against_torch.functions(F.avg_pool2d, against_torch.torch.nn.functional.avg_pool2d,
                            rounded(image), kernel, dtype=dtype, **options,
                            count_include_pad=count_include_pad,
                            divisor_override=divisor_override)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("image, kernel, options", [
    *POOL_CASES, ((1, 2, 9, 9), 3, dict(dilation=2)),
    ((2, 2, 10, 9), 2, dict(stride=2, padding=1, dilation=(2, 3), ceil_mode=True))])
@pytest.mark.parametrize("return_indices", [False, True])
def test_max_pool2d_options(against_torch, image, kernel, options, return_indices, dtype):
    against_torch.functions(F.max_pool2d, against_torch.torch.nn.functional.max_pool2d,
                            rounded(image), kernel, dtype=dtype, **options,
                            return_indices=return_indices)


def test_max_pool2d_indices_without_a_graph():
    x = Tensor(RNG.standard_normal((1, 1, 4, 4)))
    _, expected = F.max_pool2d(x, 2, return_indices=True)
    with no_grad():
        _, indices = F.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(indices.data, expected.data)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("image, size", [
    ((2, 3, 8, 8), 1), ((2, 3, 8, 6), (4, 3)), ((2, 3, 7, 5), (3, 2)), ((1, 2, 5, 9), 4),
    ((1, 2, 5, 7), (None, 3)), ((1, 2, 3, 3), 5)])
def test_adaptive_pools(against_torch, image, size, dtype):
    torch = against_torch.torch
    x = rounded(image)
    against_torch.functions(F.adaptive_avg_pool2d, torch.nn.functional.adaptive_avg_pool2d,
                            x, size, dtype=dtype)
    against_torch.functions(F.adaptive_max_pool2d, torch.nn.functional.adaptive_max_pool2d,
                            x, size, dtype=dtype, return_indices=True)
    against_torch.modules(nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size), x,
                          dtype=dtype)
    against_torch.modules(nn.AdaptiveMaxPool2d(size), torch.nn.AdaptiveMaxPool2d(size), x,
                          dtype=dtype)


@pytest.mark.parametrize("call", ["MaxPool2d(3, 2, 1, ceil_mode=True)",
                                  "MaxPool2d(2, return_indices=True)",
                                  "AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)"])
def test_pooling_layers(against_torch, call):
    against_torch.modules(*against_torch.layers(call), rounded((2, 3, 7, 7)))


def test_mistakes_are_named():
    with pytest.raises(ValueError, match="groups must be a positive int that divides"):
        F.conv2d(np.zeros((1, 4, 5, 5)), np.zeros((6, 1, 3, 3)), groups=4)
    with pytest.raises(ValueError, match=r"8 input channels \(2 in each of 4 groups\)"):
        F.conv2d(np.zeros((1, 4, 5, 5)), np.zeros((8, 2, 3, 3)), groups=4)
    with pytest.raises(ValueError, match="groups=3 must divide both"):
        nn.Conv2d(4, 6, 3, groups=3)
    with pytest.raises(ValueError, match="padding_mode must be"):
        nn.Conv2d(4, 6, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="output_padding .* must be smaller"):
        F.conv_transpose2d(np.zeros((1, 2, 3, 3)), np.zeros((2, 2, 3, 3)), output_padding=1)
