"""F.pad (PyTorch's flat tuple, four modes) and F.interpolate (nearest and the linear
modes, align_corners, size or scale_factor) against PyTorch, and their layers."""

import numpy as np
import pytest

import nn.functional as F
from autograd import Tensor

RNG = np.random.default_rng(0)
DTYPES = [np.float64, np.float32]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, pad, mode", [
    ((2, 3, 4, 5), (1, 2), "constant"),
    ((2, 3, 4, 5), (1, 2, 0, 3), "constant"),
    ((2, 3, 4, 5), (1, 1, 1, 1, 1, 1), "constant"),
    ((2, 3, 4, 5), (-1, 2, 1, -2), "constant"),      # negative widths crop
    ((3, 5), (2, 0), "constant"),
    ((2, 3, 4, 5), (2, 3, 1, 3), "reflect"),
    ((2, 3, 6), (5, 1), "reflect"),
    ((2, 3, 4, 5), (2, 3, 1, 4), "replicate"),
    ((2, 3, 4, 5), (5, 5, 4, 0), "circular"),
    ((1, 2, 3, 4, 5), (1, 1, 2, 0, 1, 2), "replicate"),
])
def test_pad(against_torch, shape, pad, mode, dtype):
    against_torch.functions(F.pad, against_torch.torch.nn.functional.pad,
                            RNG.standard_normal(shape), pad, mode, dtype=dtype)


def test_pad_value_and_by_hand():
    x = Tensor([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(F.pad(x, (1, 1), value=9.0).data, [[9, 1, 2, 3, 9]])
    np.testing.assert_array_equal(F.pad(x, (2, 2), mode="reflect").data, [[3, 2, 1, 2, 3, 2, 1]])


def test_pad_mistakes():
    with pytest.raises(ValueError, match="even length"):
        F.pad(np.zeros((2, 3)), (1, 2, 3))
    with pytest.raises(ValueError, match="too wide"):
        F.pad(np.zeros((1, 1, 3)), (3, 0), mode="reflect")
    with pytest.raises(ValueError, match="mode must be"):
        F.pad(np.zeros((1, 1, 3)), (1, 0), mode="mirror")


@pytest.mark.parametrize("call", ["ZeroPad2d(1)", "ConstantPad2d((1, 0, 2, 0), 3.5)",
                                  "ReflectionPad2d(2)", "ReplicationPad2d((1, 2, 3, 4))",
                                  "CircularPad2d((1, 2, 0, 1))"])
def test_padding_layers(against_torch, call):
    against_torch.modules(*against_torch.layers(call),
                          RNG.standard_normal((2, 3, 5, 5)))


INTERPOLATE_CASES = [  # shape, options
    ((2, 3, 4, 5), dict(scale_factor=2)),
    ((2, 3, 4, 5), dict(size=(7, 3))),
    ((2, 3, 6, 6), dict(size=4)),
    ((2, 3, 5, 4), dict(scale_factor=(1.5, 0.75))),
    ((2, 3, 5, 4), dict(scale_factor=1.7, recompute_scale_factor=True)),
    ((2, 3, 7), dict(scale_factor=3)),
    ((1, 2, 3, 4, 2), dict(size=(5, 2, 3))),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, options", INTERPOLATE_CASES)
def test_interpolate_nearest(against_torch, shape, options, dtype):
    against_torch.functions(F.interpolate, against_torch.torch.nn.functional.interpolate,
                            RNG.standard_normal(shape), dtype=dtype, **options)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, options", INTERPOLATE_CASES)
@pytest.mark.parametrize("align_corners", [False, True])
def test_interpolate_linear_modes(against_torch, shape, options, align_corners, dtype):
    mode = {3: "linear", 4: "bilinear", 5: "trilinear"}[len(shape)]
    against_torch.functions(F.interpolate, against_torch.torch.nn.functional.interpolate,
                            RNG.standard_normal(shape), dtype=dtype, mode=mode,
                            align_corners=align_corners, **options)


def test_bilinear_by_hand():
    x = Tensor([[[[0.0, 4.0]]]])
    # align_corners=False: output pixel centres at 0.25 and 0.75 of the way, clamped at the edge
    np.testing.assert_allclose(F.interpolate(x, size=(1, 4), mode="bilinear").data,
                               [[[[0.0, 1.0, 3.0, 4.0]]]])
    np.testing.assert_allclose(F.interpolate(x, size=(1, 3), mode="bilinear",
                                             align_corners=True).data, [[[[0.0, 2.0, 4.0]]]])


@pytest.mark.parametrize("call", ["Upsample(scale_factor=2)",
                                  "Upsample(size=(5, 7), mode='bilinear')",
                                  "Upsample(scale_factor=1.5, mode='bilinear', align_corners=True)",
                                  "UpsamplingNearest2d(scale_factor=3)",
                                  "UpsamplingBilinear2d(size=(3, 9))"])
def test_upsampling_layers(against_torch, call):
    against_torch.modules(*against_torch.layers(call),
                          RNG.standard_normal((2, 3, 4, 5)))


def test_interpolate_mistakes():
    with pytest.raises(ValueError, match="does not fit an input with 2 spatial dims"):
        F.interpolate(np.zeros((1, 1, 2, 2)), scale_factor=2, mode="linear")
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        F.interpolate(np.zeros((1, 1, 2, 2)), scale_factor=2, align_corners=True)
    with pytest.raises(ValueError, match="either size or scale_factor"):
        F.interpolate(np.zeros((1, 1, 2, 2)))
