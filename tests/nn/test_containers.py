"""ModuleList, ModuleDict, ParameterList, ParameterDict and Sequential: PyTorch's names in
state_dict, list and dict behaviour, and reprs."""

import numpy as np
import pytest

import nn
from autograd import Tensor


def test_modulelist_names_its_children_as_pytorch(against_torch):
    torch = against_torch.torch

    class Net(nn.Module):
        def __init__(self, blocks):
            super().__init__()
            self.blocks = blocks
            self.head = nn.Linear(3, 2)

        def forward(self, x):
            for block in self.blocks:
                x = block(x).relu()
            return self.head(x)

    class TorchNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = torch.nn.ModuleList([torch.nn.Linear(3, 3) for _ in range(3)])
            self.head = torch.nn.Linear(3, 2)

        def forward(self, x):
            for block in self.blocks:
                x = torch.relu(block(x))
            return self.head(x)

    x = np.random.default_rng(0).standard_normal((4, 3))
    ours = Net(nn.ModuleList([nn.Linear(3, 3) for _ in range(3)]))
    theirs = TorchNet()
    theirs.__class__.__name__ = "Net"  # the same name in both reprs
    against_torch.modules(ours, theirs, x)


def test_modulelist_behaves_as_a_list():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.ReLU()])
    layers.append(nn.Linear(2, 1))
    layers.extend([nn.Tanh()])
    layers.insert(1, nn.Sigmoid())
    assert [type(m).__name__ for m in layers] == ["Linear", "Sigmoid", "ReLU", "Linear", "Tanh"]
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    assert isinstance(layers[-1], nn.Tanh)
    del layers[1]
    assert [name for name, _ in layers.named_children()] == ["0", "1", "2", "3"]
    assert list(layers.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    layers[1] = nn.ELU()
    assert isinstance(layers.pop(1), nn.ELU) and len(layers) == 3
    assert getattr(layers, "0") is layers[0]
    with pytest.raises(IndexError, match="out of range"):
        layers[5]
    with pytest.raises(TypeError, match="expected a Module, got int"):
        layers.append(3)


def test_modulelist_repr_groups_repeated_layers_as_pytorch(against_torch):
    torch = against_torch.torch
    ours = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.Linear(2, 1)])
    theirs = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)] +
                                 [torch.nn.ReLU(), torch.nn.Linear(2, 1)])
    assert repr(ours) == repr(theirs)
    assert repr(nn.ModuleList()) == repr(torch.nn.ModuleList())


def test_moduledict_keys_and_attributes(against_torch):
    torch = against_torch.torch
    ours = nn.ModuleDict({"encoder": nn.Linear(4, 3), "act": nn.ReLU()})
    ours["decoder"] = nn.Linear(3, 4)
    theirs = torch.nn.ModuleDict({"encoder": torch.nn.Linear(4, 3), "act": torch.nn.ReLU()})
    theirs["decoder"] = torch.nn.Linear(3, 4)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.keys()) == ["encoder", "act", "decoder"] and "act" in ours
    assert ours.encoder is ours["encoder"] and len(ours) == 3
    assert repr(ours) == repr(theirs)
    del ours["act"]
    assert [k for k, _ in ours.items()] == ["encoder", "decoder"]


def test_parameter_containers(against_torch):
    torch = against_torch.torch
    ours = nn.ParameterList([nn.Parameter(np.ones(3, np.float32)), Tensor(np.zeros((2, 3)))])
    theirs = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(3)),
                                     torch.zeros(2, 3, dtype=torch.float64)])
    assert [name for name, _ in ours.named_parameters()] == \
        [name for name, _ in theirs.named_parameters()] == ["0", "1"]
    assert isinstance(ours[1], nn.Parameter)  # a plain tensor becomes a Parameter
    assert repr(ours) == repr(theirs).replace("torch.", "")
    table = nn.ParameterDict({"scale": nn.Parameter(np.ones(2))})
    assert list(table.state_dict()) == ["scale"] and table.scale is table["scale"]


def test_sequential_grows_and_shrinks():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    model.append(nn.Linear(3, 1))
    model.insert(0, nn.Identity())
    assert [type(m).__name__ for m in model] == ["Identity", "Linear", "ReLU", "Linear"]
    assert model(np.zeros((5, 2))).shape == (5, 1)
    del model[0]
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    named = nn.Sequential({"hidden": nn.Linear(2, 3), "act": nn.ReLU()})
    assert named.hidden is named[0] and isinstance(named[1:], nn.Sequential)
    assert [name for name, _ in named[1:].named_children()] == ["act"]
