"""nn.utils.data against torch.utils.data: the samplers' index sequences, default_collate's
types, dtypes and shapes, random_split's lengths, the loader's batches and its errors."""

from collections import namedtuple

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Generator, Tensor
from nn.utils import data

Point = namedtuple("Point", "x y")


def torch_data():
    return pytest.importorskip("torch").utils.data


def described(batch):
    """A batch as its structure: containers by kind, each tensor as (shape, dtype name)."""
    if hasattr(batch, "_fields"):
        return (type(batch).__name__, [described(field) for field in batch])
    if isinstance(batch, dict):
        return {key: described(value) for key, value in batch.items()}
    if isinstance(batch, list):
        return ["list", [described(item) for item in batch]]
    if isinstance(batch, str):
        return batch
    if isinstance(batch, Tensor):
        return ("tensor", tuple(batch.shape), str(batch.dtype))
    return ("tensor", tuple(batch.shape), str(batch.dtype).removeprefix("torch."))


# --- samplers -------------------------------------------------------------------------------

@pytest.mark.parametrize("n, batch_size, drop_last", [(10, 3, False), (10, 3, True),
                                                      (12, 4, False), (2, 5, False),
                                                      (2, 5, True), (0, 2, False)])
def test_sequential_and_batch_samplers_give_torchs_indices(n, batch_size, drop_last):
    torch_data_ = torch_data()
    ours = data.BatchSampler(data.SequentialSampler(range(n)), batch_size, drop_last)
    theirs = torch_data_.BatchSampler(torch_data_.SequentialSampler(range(n)), batch_size,
                                      drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    assert list(data.SequentialSampler(range(n))) == list(torch_data_.SequentialSampler(range(n)))


def test_random_sampler_permutes_afresh_each_pass_and_a_generator_reproduces():
    sampler = data.RandomSampler(range(20), generator=np.random.default_rng(0))
    first, second = list(sampler), list(sampler)
    assert sorted(first) == list(range(20)) and first != second
    assert list(data.RandomSampler(range(20), generator=np.random.default_rng(0))) == first
    # autograd's Generator, seeded as torch.Generator().manual_seed(0) is
    seeded = [list(data.RandomSampler(range(20), generator=Generator().manual_seed(3)))
              for _ in range(2)]
    assert seeded[0] == seeded[1] and sorted(seeded[0]) == list(range(20))
    np.random.seed(5)  # no generator: NumPy's global state
    unseeded = list(data.RandomSampler(range(20)))
    np.random.seed(5)
    assert unseeded == np.random.permutation(20).tolist()


def test_random_sampler_lengths_as_torchs():
    torch_data_ = torch_data()
    for kwargs in [dict(num_samples=7), dict(num_samples=25), dict(replacement=True),
                   dict(replacement=True, num_samples=30)]:
        ours, theirs = data.RandomSampler(range(10), **kwargs), \
            torch_data_.RandomSampler(range(10), **kwargs)
        drawn = list(ours)
        assert len(drawn) == len(ours) == len(list(theirs)) == len(theirs)
        assert set(drawn) <= set(range(10))
    # more samples than indices, without replacement: whole permutations, then a part
    drawn = list(data.RandomSampler(range(10), num_samples=25))
    assert sorted(drawn[:10]) == sorted(drawn[10:20]) == list(range(10))


def test_sampler_arguments_are_checked_as_torch_checks_them():
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        data.BatchSampler(range(3), 0, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean value"):
        data.BatchSampler(range(3), 2, 1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        data.RandomSampler(range(3), num_samples=0)


# --- collating ------------------------------------------------------------------------------

COLLATE_CASES = {
    "tensor and int label": lambda T: [(T(np.ones((2, 3), np.float32)), 1),
                                       (T(np.zeros((2, 3), np.float32)), 0)],
    "arrays and floats": lambda T: [(np.ones(3, np.float32), 0.5), (np.zeros(3, np.float32), 1.5)],
    "float64 and int32 arrays": lambda T: [(np.ones(2), np.arange(2, dtype=np.int32))] * 3,
    "numpy numbers": lambda T: [(np.float32(1.5), np.int64(2), np.int32(3))] * 2,
    "bools": lambda T: [(True, np.bool_(False))] * 4,
    "dicts": lambda T: [{"image": np.ones((1, 2)), "label": 3, "name": "a"}] * 2,
    "named tuples": lambda T: [Point(np.ones(2), 1.0), Point(np.zeros(2), 2.0)],
    "lists": lambda T: [[np.ones(2), 1], [np.zeros(2), 2]],
    "nested": lambda T: [(np.ones(2), {"a": (1, 2.0)})] * 3,
}


@pytest.mark.parametrize("case", COLLATE_CASES)
def test_default_collate_has_torchs_types_dtypes_and_shapes(case):
    torch = pytest.importorskip("torch")
    ours = data.default_collate(COLLATE_CASES[case](Tensor))
    theirs = torch.utils.data.default_collate(COLLATE_CASES[case](torch.from_numpy))
    assert described(ours) == described(theirs)


def test_default_collate_values():
    x, y = data.default_collate([(np.array([1.0, 2.0]), 7), (np.array([3.0, 4.0]), 8)])
    np.testing.assert_array_equal(x.data, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(y.data, [7, 8])


def test_default_collate_mistakes():
    with pytest.raises(RuntimeError, match="should be of equal size"):
        data.default_collate([[1, 2], [3]])
    with pytest.raises(TypeError, match="found <class 'object'>"):
        data.default_collate([object(), object()])


# --- data sets and random_split -------------------------------------------------------------

@pytest.mark.parametrize("n, lengths", [(10, [0.45, 0.45, 0.1]), (7, [0.3, 0.3, 0.4]),
                                        (5, [0.5, 0.5]), (11, [0.8, 0.2]), (10, [3, 7]),
                                        (3, [0.1, 0.9])])
def test_random_split_lengths_as_torch_rounds_them_and_disjoint(n, lengths):
    torch = pytest.importorskip("torch")
    ours = data.random_split(data.TensorDataset(np.arange(n)), lengths,
                             generator=np.random.default_rng(1))
    theirs = torch.utils.data.random_split(range(n), lengths,
                                           generator=torch.Generator().manual_seed(1))
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    indices = [i for subset in ours for i in subset.indices]
    assert sorted(indices) == list(range(n))  # every sample once: disjoint and complete
    assert [int(subset[0][0]) for subset in ours if len(subset)] == \
        [subset.indices[0] for subset in ours if len(subset)]


def test_random_split_mistakes():
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        data.random_split(data.TensorDataset(np.arange(5)), [2, 2])
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):  # [1, 0]
        data.random_split(data.TensorDataset(np.arange(1)), [0.1, 0.9])


def test_subset_and_concat_index_as_torch():
    torch = pytest.importorskip("torch")
    a, b = np.arange(5) * 10, np.arange(3) + 100
    ours = data.ConcatDataset([data.TensorDataset(a), data.Subset(data.TensorDataset(b), [2, 0])])
    theirs = torch.utils.data.ConcatDataset([
        torch.utils.data.TensorDataset(torch.from_numpy(a)),
        torch.utils.data.Subset(torch.utils.data.TensorDataset(torch.from_numpy(b)), [2, 0])])
    assert len(ours) == len(theirs) == 7
    for i in [0, 4, 5, 6, -1, -7]:
        assert int(ours[i][0]) == int(theirs[i][0])
    with pytest.raises(ValueError, match="should not exceed dataset length"):
        ours[-8]
    assert len(data.TensorDataset(a) + data.TensorDataset(b)) == 8


def test_tensor_dataset_needs_equal_lengths():
    with pytest.raises(ValueError, match="Size mismatch between tensors"):
        data.TensorDataset(np.zeros(3), np.zeros(4))


# --- the loader -----------------------------------------------------------------------------

def test_loader_batches_are_torchs():
    torch = pytest.importorskip("torch")
    images = np.random.default_rng(0).random((10, 1, 2, 2)).astype(np.float32)
    labels = np.arange(10)
    ours = data.DataLoader(data.TensorDataset(Tensor(images), Tensor(labels, dtype=np.int64)),
                           batch_size=4, drop_last=True)
    theirs = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(images), torch.from_numpy(labels)),
        batch_size=4, drop_last=True)
    assert len(ours) == len(theirs) == 2
    for batch, torch_batch in zip(ours, theirs, strict=True):
        assert described(batch) == described(torch_batch)
        for ours_part, theirs_part in zip(batch, torch_batch):
            np.testing.assert_array_equal(ours_part.data, theirs_part.numpy())


def test_loader_shuffles_reproducibly_and_takes_samplers_and_collate_fn():
    dataset = data.TensorDataset(np.arange(12))
    order = [b[0].tolist() for b in data.DataLoader(dataset, 12, shuffle=True,
                                                     generator=np.random.default_rng(4))]
    again = [b[0].tolist() for b in data.DataLoader(dataset, 12, shuffle=True,
                                                     generator=np.random.default_rng(4))]
    assert order == again and sorted(order[0]) == list(range(12)) and order[0] != list(range(12))
    batches = data.BatchSampler(data.SequentialSampler(dataset), 5, drop_last=False)
    loader = data.DataLoader(dataset, batch_sampler=batches, num_workers=2, pin_memory=True)
    assert [b[0].tolist() for b in loader] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]
    loader = data.DataLoader(dataset, batch_size=5, sampler=[11, 0, 3], collate_fn=len)
    assert list(loader) == [3]


def test_loader_option_clashes_as_torchs():
    dataset = data.TensorDataset(np.arange(4))
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        data.DataLoader(dataset, shuffle=True, sampler=[0, 1])
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        data.DataLoader(dataset, batch_size=2, batch_sampler=[[0, 1]])
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        data.DataLoader(dataset, num_workers=-1)


def test_the_array_shortcut_is_a_loader_and_fit_takes_either():
    X = np.random.default_rng(2).standard_normal((40, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    assert isinstance(nn.DataLoader(X, y), data.DataLoader)
    for loader in [nn.DataLoader(X, y, batch_size=8, shuffle=True),
                   data.DataLoader(data.TensorDataset(Tensor(X), Tensor(y, dtype=np.int64)),
                                   batch_size=8, shuffle=True)]:
        np.random.seed(0)
        model = nn.Linear(2, 2)
        history = nn.fit(model, F.cross_entropy, nn.optim.SGD(model.parameters(), lr=0.5),
                         loader, epochs=5, val_data=loader, progress=False)
        assert history["val_accuracy"][-1] > 0.9
        assert nn.evaluate(model, F.cross_entropy, loader)["accuracy"] == \
            history["val_accuracy"][-1]
