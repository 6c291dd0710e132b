"""LazyLinear, Embedding, Flatten/Unflatten, LayerNorm and GroupNorm, Dropout1d,
F.normalize and F.one_hot, against PyTorch and by hand."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, float64

RNG = np.random.default_rng(0)
DTYPES = [np.float64, np.float32]


def test_lazy_linear_reads_in_features_at_its_first_call(against_torch):
    torch = against_torch.torch
    layer = nn.LazyLinear(4)
    optimizer = nn.optim.SGD(layer.parameters(), lr=0.1)  # made before the shapes are known
    weight = layer.weight
    assert isinstance(weight, nn.UninitializedParameter)
    out = layer(np.ones((2, 7), np.float32))
    assert out.shape == (2, 4) and type(layer) is nn.Linear and layer.in_features == 7
    assert layer.weight is weight and type(weight) is nn.Parameter and weight.shape == (4, 7)
    assert np.abs(weight.data).max() <= 1 / np.sqrt(7)
    out.sum().backward()
    optimizer.step()
    theirs = torch.nn.LazyLinear(4)
    theirs(torch.ones(2, 7))
    assert repr(layer) == repr(theirs)


def test_lazy_linear_takes_its_shape_from_a_checkpoint():
    source = nn.Linear(5, 3)
    layer = nn.LazyLinear(3)
    layer.load_state_dict(source.state_dict())
    np.testing.assert_array_equal(layer(np.ones((1, 5))).data, source(np.ones((1, 5))).data)
    assert type(layer) is nn.Linear and layer.in_features == 5


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("options", [{}, {"padding_idx": 2}, {"padding_idx": -1},
                                     {"max_norm": 1.0}, {"max_norm": 2.0, "norm_type": 1.0}])
def test_embedding(against_torch, options, dtype):
    torch = against_torch.torch
    indices = np.array([[1, 2, 4, 9], [4, 3, 2, 9]])
    ours = nn.Embedding(10, 3, **options)
    theirs = torch.nn.Embedding(10, 3, **options)
    against_torch.modules(ours, theirs, indices, dtype=dtype)
    if "padding_idx" in options:
        assert np.all(ours.weight.grad.data[options["padding_idx"]] == 0)


def test_embedding_functional_and_pretrained(against_torch):
    torch = against_torch.torch
    table = RNG.standard_normal((6, 2))
    indices = np.array([0, 5, 5, 1])
    against_torch.functions(lambda w: F.embedding(indices, w, padding_idx=5),
                            lambda w: torch.nn.functional.embedding(torch.tensor(indices), w,
                                                                    padding_idx=5), table)
    frozen = nn.Embedding.from_pretrained(Tensor(table))
    assert not frozen.weight.requires_grad and frozen.weight.dtype == np.float64
    with pytest.raises(IndexError, match="index out of range"):
        frozen(np.array([6]))
    with pytest.raises(TypeError, match="integer indices"):
        frozen(np.array([0.0]))


def test_embedding_is_initialised_as_pytorch():
    np.random.seed(0)
    layer = nn.Embedding(1000, 50, padding_idx=3)
    assert abs(layer.weight.data.std() - 1) < 0.02 and np.all(layer.weight.data[3] == 0)


def test_flatten_unflatten_and_identity(against_torch):
    torch = against_torch.torch
    x = RNG.standard_normal((2, 3, 4, 5))
    for call in ["Flatten()", "Flatten(0, 1)", "Flatten(1, 2)", "Flatten(-2)"]:
        against_torch.modules(*against_torch.layers(call), x)
    against_torch.modules(nn.Unflatten(1, (3, 1)), torch.nn.Unflatten(1, (3, 1)), x)
    assert nn.Flatten(start_axis=2)(x).shape == (2, 3, 20)  # chainrule's earlier name
    assert nn.Identity(54, unused="argument")(x) is x


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, normalized", [((4, 6), 6), ((2, 3, 4, 5), (4, 5)),
                                               ((3, 5), (5,))])
@pytest.mark.parametrize("options", [{}, {"elementwise_affine": False}, {"bias": False},
                                     {"eps": 1e-2}])
def test_layer_norm(against_torch, shape, normalized, options, dtype):
    torch = against_torch.torch
    ours, theirs = nn.LayerNorm(normalized, **options), torch.nn.LayerNorm(normalized, **options)
    for p in theirs.parameters():  # not the initial ones and zeros
        p.data.uniform_(0.5, 1.5)
    against_torch.modules(ours, theirs, RNG.standard_normal(shape) * 3 + 1, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, groups", [((4, 6, 5, 5), 3), ((2, 6, 7), 6), ((3, 4), 1),
                                           ((2, 6, 3, 3), 1)])
@pytest.mark.parametrize("affine", [True, False])
def test_group_norm(against_torch, shape, groups, affine, dtype):
    torch = against_torch.torch
    ours = nn.GroupNorm(groups, shape[1], affine=affine)
    theirs = torch.nn.GroupNorm(groups, shape[1], affine=affine)
    for p in theirs.parameters():
        p.data.uniform_(0.5, 1.5)
    against_torch.modules(ours, theirs, RNG.standard_normal(shape) * 2, dtype=dtype)


def test_layer_norm_by_hand():
    # mean 2, variance 2/3 over [1, 2, 3]
    out = F.layer_norm(Tensor([[1.0, 2.0, 3.0]], dtype=float64), (3,), eps=0.0)
    np.testing.assert_allclose(out.data, [[-np.sqrt(1.5), 0.0, np.sqrt(1.5)]], rtol=1e-12)


def test_dropout1d_drops_whole_channels():
    np.random.seed(0)
    out = F.dropout1d(Tensor.ones(4, 8, 5), p=0.5)
    per_channel = out.data.reshape(32, 5)
    assert all(len(set(row)) == 1 for row in per_channel)  # each channel all 0 or all 2
    assert set(per_channel[:, 0]) == {0.0, 2.0}
    assert F.dropout1d(Tensor.ones(8, 5), p=0.5).shape == (8, 5)  # one sample
    layer = nn.Dropout1d(0.3).eval()
    x = Tensor.ones(2, 3, 4)
    assert layer(x) is x and repr(layer) == "Dropout1d(p=0.3, inplace=False)"
    with pytest.raises(ValueError, match=r"\(N, C, L\)"):
        F.dropout1d(Tensor.ones(2, 3, 4, 5))


def test_dropout_training_flag():
    x = Tensor.ones(3, 3)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.5, False, inplace=True) is x


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p, dim", [(2.0, 1), (1.0, 0), (3.0, -1)])
def test_normalize(against_torch, p, dim, dtype):
    x = RNG.standard_normal((4, 5))
    x[0] = 0.0  # a zero vector: divided by eps, gradient finite
    against_torch.functions(F.normalize, against_torch.torch.nn.functional.normalize, x,
                            dtype=dtype, p=p, dim=dim)


def test_one_hot_is_autograds(against_torch):
    torch = against_torch.torch
    labels = np.array([0, 2, 1])
    np.testing.assert_array_equal(F.one_hot(Tensor(labels, dtype=np.int64)).data,
                                  torch.nn.functional.one_hot(torch.tensor(labels)).numpy())


def test_layers_take_a_dtype():
    assert nn.Linear(2, 3, dtype=float64).weight.dtype == np.float64
    assert nn.Conv2d(1, 2, 3, dtype=float64).bias.dtype == np.float64
    assert nn.LayerNorm(4, dtype=float64).weight.dtype == np.float64
    assert nn.Embedding(4, 2, dtype=float64).weight.dtype == np.float64
    assert nn.BatchNorm1d(4, dtype=float64).running_mean.dtype == np.float64
