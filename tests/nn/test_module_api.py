"""Module's PyTorch API beyond parameters: dtypes and devices, buffers, registering,
hooks, freezing, load_state_dict's report, and every layer's repr and state_dict keys."""

import copy
import sys

import numpy as np
import pytest

import nn
from autograd import Tensor, float32, float64


def test_to_a_dtype_keeps_the_parameter_objects():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    weight = model[0].weight
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    model(np.ones((2, 3))).sum().backward()
    assert model.double() is model
    assert model[0].weight is weight and weight.dtype == np.float64
    assert weight.grad.dtype == np.float64
    assert model[1].running_mean.dtype == np.float64
    assert model[1].num_batches_tracked.dtype == np.int64  # integers keep their dtype
    optimizer.step()  # the optimizer still holds the same, now float64, parameters
    assert weight.dtype == np.float64
    assert model.to(float32)[0].weight.dtype == np.float32
    assert model.float()[1].weight.dtype == np.float32
    assert model.to("cpu", dtype=float64)[0].bias.dtype == np.float64
    assert model.cpu() is model


def test_to_a_device_without_cupy_says_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # as if CuPy were not installed
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        nn.Linear(2, 3).to("cuda")


def test_buffers_are_tensors_and_persistent_ones_are_saved():
    m = nn.Module()
    m.register_buffer("mean", np.zeros(3))
    m.register_buffer("scratch", np.ones(2), persistent=False)
    m.register_buffer("absent", None)
    assert isinstance(m.mean, Tensor) and not m.mean.requires_grad
    assert [name for name, _ in m.named_buffers()] == ["mean", "scratch"]
    assert list(m.state_dict()) == ["mean"]
    bn = nn.BatchNorm2d(3)
    assert [name for name, _ in bn.named_buffers()] == \
        ["running_mean", "running_var", "num_batches_tracked"]
    assert all(isinstance(b, Tensor) for b in bn.buffers())


def test_register_parameter_and_add_module():
    m = nn.Module()
    m.register_parameter("scale", nn.Parameter(np.ones(2)))
    m.register_parameter("shift", None)
    m.add_module("body", nn.Linear(2, 2))
    assert [name for name, _ in m.named_parameters()] == ["scale", "body.weight", "body.bias"]
    with pytest.raises(TypeError, match="nn.Parameter or None required"):
        m.register_parameter("bad", Tensor([1.0]))
    with pytest.raises(TypeError, match="is not a Module subclass"):
        m.add_module("bad", 3)


def test_named_modules_modules_and_get_submodule(against_torch):
    torch = against_torch.torch
    ours = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3),
                                 torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(3, 1)))
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [type(m).__name__ for m in ours.modules()] == \
        [type(m).__name__ for m in theirs.modules()]
    assert ours.get_submodule("1.1") is ours[1][1]
    assert ours.get_parameter("1.1.bias") is ours[1][1].bias
    with pytest.raises(AttributeError, match="no submodule '2'"):
        ours.get_submodule("2")


def test_requires_grad_freezes_and_zero_grad_can_keep_zeros():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    model[0].requires_grad_(False)
    model(np.ones((4, 2))).sum().backward()
    assert model[0].weight.grad is None and model[1].weight.grad is not None
    model.zero_grad(set_to_none=False)
    assert np.all(model[1].weight.grad.data == 0)
    model.zero_grad()
    assert model[1].weight.grad is None


def test_forward_pre_hooks_may_replace_the_inputs():
    layer = nn.Linear(2, 2)
    seen = []
    handle = layer.register_forward_pre_hook(lambda m, args: seen.append(args[0].shape))
    layer(np.ones((3, 2)))
    handle.remove()
    layer(np.ones((3, 2)))
    assert seen == [(3, 2)]
    layer.register_forward_pre_hook(lambda m, args: args[0] * 0)
    assert np.all(layer(np.ones((1, 2))).data == layer.bias.data)


def test_load_state_dict_reports_as_pytorch(against_torch):
    torch = against_torch.torch
    ours, theirs = nn.Linear(2, 3), torch.nn.Linear(2, 3)
    assert repr(ours.load_state_dict(ours.state_dict())) == \
        repr(theirs.load_state_dict(theirs.state_dict())) == "<All keys matched successfully>"
    result = ours.load_state_dict({"weight": np.zeros((3, 2))}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == []
    assert repr(result) == repr(theirs.load_state_dict({"weight": torch.zeros(3, 2)},
                                                       strict=False))


def test_state_dict_keep_vars_and_deepcopy():
    layer = nn.Linear(2, 3)
    assert layer.state_dict(keep_vars=True)["weight"] is layer.weight
    snapshot = copy.deepcopy(layer.state_dict())
    layer.weight.data[...] = 0
    assert np.any(snapshot["weight"].data != 0)
    assert copy.deepcopy(layer).weight is not layer.weight


LAYERS = [  # the same constructor call in both libraries: repr and state_dict keys/shapes
    "Linear(3, 2)", "Linear(3, 2, bias=False)", "Conv2d(3, 16, 3, padding=1)",
    "Conv2d(4, 8, (3, 5), stride=2, dilation=2, groups=2, bias=False)",
    "Conv2d(3, 6, 3, padding='same', padding_mode='reflect')",
    "ConvTranspose2d(3, 16, 3, stride=2, padding=1, output_padding=1)",
    "ConvTranspose2d(4, 6, 2, groups=2, bias=False, dilation=2)",
    "MaxPool2d(2)", "MaxPool2d(3, 2, 1, 2, ceil_mode=True)", "AvgPool2d(2)",
    "AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)", "AdaptiveAvgPool2d(1)",
    "AdaptiveAvgPool2d((2, None))", "AdaptiveMaxPool2d(2)", "BatchNorm1d(4)",
    "BatchNorm2d(4, affine=False)", "BatchNorm2d(4, track_running_stats=False)", "LayerNorm(4)",
    "LayerNorm((3, 4), elementwise_affine=False)", "LayerNorm(4, bias=False)", "GroupNorm(2, 4)",
    "GroupNorm(2, 4, affine=False)", "Embedding(10, 3)", "Embedding(10, 3, padding_idx=0)",
    "Embedding(10, 3, max_norm=1.0)", "Dropout()", "Dropout1d(0.2)", "Dropout2d()", "Flatten()",
    "Flatten(0, 2)", "Unflatten(1, (2, 3))", "Identity()", "PReLU(3)", "Upsample(scale_factor=2)",
    "Upsample(size=(4, 4), mode='bilinear', align_corners=True)", "ZeroPad2d(1)",
    "ConstantPad2d((1, 0, 2, 0), 3.5)", "ReflectionPad2d(2)", "ReplicationPad2d((1, 2, 3, 4))",
    "CrossEntropyLoss()", "MSELoss()", "KLDivLoss()", "LazyLinear(3)",
]


@pytest.mark.parametrize("call", LAYERS)
def test_every_layers_repr_and_state_dict_equal_pytorchs(against_torch, call):
    ours, theirs = against_torch.layers(call)
    assert repr(ours) == repr(theirs)
    if call.startswith("Lazy"):
        return  # PyTorch's uninitialized parameters have no shape to compare
    assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == \
        {k: tuple(v.shape) for k, v in theirs.state_dict().items()}
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_a_whole_network_moves_both_ways(against_torch):
    torch = against_torch.torch

    def build(nn):
        return nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.GroupNorm(2, 4), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3, groups=2, dilation=1, padding=1, padding_mode="replicate"),
            nn.BatchNorm2d(8), nn.SiLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.LayerNorm(8), nn.Linear(8, 3))

    x = np.random.default_rng(0).standard_normal((5, 1, 8, 8))
    against_torch.modules(build(nn), build(torch.nn), x)
    against_torch.modules(build(nn), build(torch.nn), x, train=False)
    against_torch.modules(build(nn), build(torch.nn), x, dtype=np.float32)
