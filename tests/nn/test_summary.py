"""nn.summary: the table, its totals, any module."""

import numpy as np
import pytest

import nn
from nn.lab03 import digits_mlp


def test_the_digits_network():
    s = nn.summary(digits_mlp(), (64,))
    # 64·80 + 80, 80·70 + 70, 70·10 + 10
    assert s.total_params == 5200 + 5670 + 710 == 11580
    assert s.trainable_params == 11580 and isinstance(s.total_params, int)
    assert [(r.name, r.kind, r.output_shape, r.params) for r in s.rows] == [
        ("0", "Linear", (None, 80), 5200), ("1", "Sigmoid", (None, 80), 0),
        ("2", "Linear", (None, 70), 5670), ("3", "Sigmoid", (None, 70), 0),
        ("4", "Linear", (None, 10), 710)]
    text = str(s)
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert "0 (Linear)" in text and "(None, 80)" in text and "5,200" in text
    assert "Total params: 11,580" in text and "Non-trainable params: 0" in text


def test_thousands_separators_and_a_single_layer():
    s = nn.summary(nn.Linear(1024, 4096), (1024,))
    assert s.total_params == 1024 * 4096 + 4096
    assert "Total params: 4,198,400" in str(s) and "Linear (Linear)" in str(s)


def test_custom_modules_frozen_parameters_and_modes():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(np.ones(5, dtype=np.float32))
            self.body = nn.Sequential(nn.Flatten(), nn.Linear(12, 5))

        def forward(self, x):
            return self.body(x) * self.scale

    net = Net()
    net.scale.requires_grad = False
    net.body.eval()
    s = nn.summary(net, (3, 4))
    assert [(r.name, r.output_shape, r.params) for r in s.rows] == [
        ("body.0", (None, 12), 0), ("body.1", (None, 5), 65), ("Net", (None, 5), 5)]
    assert (s.total_params, s.trainable_params) == (70, 65)
    assert "Non-trainable params: 5" in str(s)
    assert net.training and not net.body.training  # modes as they were
    assert net.body[1].weight.grad is None and not vars(net.body[1]).get("_forward_hooks")


def test_matches_torchinfo_style_counts_of_pytorch():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(),
                                 torch.nn.Linear(1024, 10))
    ours = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 10))
    assert nn.summary(ours, (784,)).total_params == sum(p.numel() for p in theirs.parameters())
