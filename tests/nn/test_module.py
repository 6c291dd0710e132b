"""Module and Parameter: discovery, names, modes, state_dict, repr, hooks."""

import copy

import numpy as np
import pytest

import nn
from autograd import Tensor, Value


class Block(nn.Module):
    """A module with a parameter of its own, a list, a dict and a buffer."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.ones(3))
        self.layers = [nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 3)]
        self.heads = {"a": nn.Linear(3, 1), "b": nn.Linear(3, 2, bias=False)}
        self.register_buffer("count", np.zeros(1))
        self.not_a_parameter = Tensor(np.ones(2), requires_grad=True)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.heads["a"](x * self.scale)


BLOCK_KEYS = ["scale", "count", "layers.0.weight", "layers.0.bias", "layers.2.weight",
              "layers.2.bias", "heads.a.weight", "heads.a.bias", "heads.b.weight"]


def test_parameters_are_found_in_attributes_lists_and_dicts():
    block = Block()
    names = [name for name, _ in block.named_parameters()]
    assert names == [k for k in BLOCK_KEYS if k != "count"]
    assert len(block.parameters()) == 8
    assert all(isinstance(p, nn.Parameter) for p in block.parameters())
    assert list(block.state_dict()) == BLOCK_KEYS


def test_names_and_order_equal_pytorchs():
    torch = pytest.importorskip("torch")

    class TorchBlock(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.ones(3))
            self.layers = torch.nn.ModuleList([torch.nn.Linear(3, 4), torch.nn.ReLU(),
                                               torch.nn.Linear(4, 3)])
            self.heads = torch.nn.ModuleDict({"a": torch.nn.Linear(3, 1),
                                              "b": torch.nn.Linear(3, 2, bias=False)})
            self.register_buffer("count", torch.zeros(1))

    theirs = TorchBlock()
    assert list(Block().state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in Block().named_parameters()] == [n for n, _ in theirs.named_parameters()]
    shapes = {k: tuple(v.shape) for k, v in theirs.state_dict().items()}
    assert {k: v.shape for k, v in Block().state_dict().items()} == shapes


def test_children_and_modules():
    block = Block()
    assert [name for name, _ in block.named_children()] == \
        ["layers.0", "layers.1", "layers.2", "heads.a", "heads.b"]
    assert len(block.modules()) == 6 and block.modules()[0] is block
    model = nn.Sequential(block, nn.Sigmoid())
    assert [name for name, _ in model.named_modules()][:3] == ["", "0", "0.layers.0"]


def test_a_shared_parameter_is_listed_once():
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(model.parameters()) == 2
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_train_and_eval_reach_every_module():
    model = nn.Sequential(Block(), nn.ReLU())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_zero_grad():
    model = nn.Sequential(nn.Linear(3, 2))
    model(np.ones((1, 3))).sum().backward()
    assert model[0].weight.grad is not None
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_state_dict_shares_memory_as_pytorchs_and_load_writes_in_place():
    model = nn.Sequential(nn.Linear(3, 2))
    weight = model[0].weight
    state = model.state_dict()
    assert not state["0.weight"].requires_grad
    state["0.weight"].data[...] += 1  # the same memory as the parameter, as in PyTorch
    np.testing.assert_array_equal(state["0.weight"].data, weight.data)
    snapshot = copy.deepcopy(state)
    weight.data[...] = 0
    model.load_state_dict(snapshot)
    assert model[0].weight is weight
    np.testing.assert_array_equal(weight.data, snapshot["0.weight"].data)


def test_buffers_load_and_keep_their_dtype():
    m = nn.Module()
    m.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
    m.load_state_dict({"num_batches_tracked": np.array(7.0)})
    assert m.num_batches_tracked == 7 and m.num_batches_tracked.dtype == np.int64
    assert m.named_buffers() == [("num_batches_tracked", m.num_batches_tracked)]


def test_load_state_dict_names_the_offending_key():
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    state = model.state_dict()
    wrong = {**state, "2.weight": np.zeros((1, 5))}
    with pytest.raises(RuntimeError, match=r"size mismatch for 2\.weight.*\(1, 5\).*\(1, 2\)"):
        model.load_state_dict(wrong)
    missing = {k: v for k, v in state.items() if k != "0.bias"}
    with pytest.raises(RuntimeError, match=r"missing keys \['0\.bias'\]"):
        model.load_state_dict(missing)
    with pytest.raises(RuntimeError, match=r"unexpected keys \['3\.weight'\]"):
        model.load_state_dict({**state, "3.weight": np.zeros(1)})
    result = model.load_state_dict(missing, strict=False)
    assert result.missing_keys == ["0.bias"] and result.unexpected_keys == []


def test_value_parameters_for_scalar_modules():
    class Scalar(nn.Module):
        def __init__(self):
            self.w = [Value(1.0), Value(2.0)]  # no super().__init__(): still a module

    m = Scalar()
    assert [n for n, _ in m.named_parameters()] == ["w.0", "w.1"]
    m.load_state_dict({"w.0": np.array(5.0), "w.1": np.array(6.0)})
    assert m.w[0].data == 5.0 and m.state_dict()["w.1"] == 6.0
    assert m.training


def test_repr_equals_pytorchs():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(64, 80), nn.Sigmoid(), nn.Linear(80, 10, bias=False),
                         nn.ReLU(), nn.Tanh(), nn.LeakyReLU(0.2), nn.ELU(), nn.Identity())
    theirs = torch.nn.Sequential(torch.nn.Linear(64, 80), torch.nn.Sigmoid(),
                                 torch.nn.Linear(80, 10, bias=False), torch.nn.ReLU(),
                                 torch.nn.Tanh(), torch.nn.LeakyReLU(0.2), torch.nn.ELU(),
                                 torch.nn.Identity())
    assert repr(ours) == repr(theirs)


def test_nested_repr_is_indented():
    model = nn.Sequential(nn.Sequential(nn.Linear(2, 2)), nn.ReLU())
    assert repr(model) == ("Sequential(\n"
                           "  (0): Sequential(\n"
                           "    (0): Linear(in_features=2, out_features=2, bias=True)\n"
                           "  )\n"
                           "  (1): ReLU()\n"
                           ")")


def test_forward_hooks_see_and_may_replace_outputs():
    layer = nn.Linear(2, 3)
    seen = []
    handle = layer.register_forward_hook(lambda m, inputs, out: seen.append(out.shape))
    layer(np.ones((4, 2)))
    handle.remove()
    layer(np.ones((4, 2)))
    assert seen == [(4, 3)]
    layer.register_forward_hook(lambda m, inputs, out: out * 0)
    assert np.all(layer(np.ones((1, 2))).data == 0)


def test_apply_visits_every_module():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    model.apply(lambda m: nn.init.zeros_(m.bias) if isinstance(m, nn.Linear) else None)
    assert all(np.all(m.bias.data == 0) for m in model if isinstance(m, nn.Linear))


def test_forward_must_be_defined():
    with pytest.raises(NotImplementedError, match="Module: define forward"):
        nn.Module()(1)


def test_parameter_is_a_tensor_that_requires_grad():
    p = nn.Parameter(np.zeros((2, 3), dtype=np.float32))
    assert isinstance(p, Tensor) and p.requires_grad and p.dtype == np.float32
    p.grad = np.ones((2, 3))
    assert repr(p).startswith("Parameter containing:\ntensor(")
