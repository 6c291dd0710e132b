"""DataLoader: Lab 03's mini-batches, sizes, and random states."""

import numpy as np
import pytest

from nn import DataLoader


def test_lab03_mini_batches():
    # Lab 03's create_mini_batches: np.hstack((X, y)), np.random.shuffle, then slices.
    np.random.seed(1)
    a = np.arange(20).reshape(10, 2)
    b = -np.arange(10, 20).reshape(10, 1)
    batches = list(DataLoader(a, b, batch_size=4, shuffle=True))
    labels = [y.ravel().tolist() for _, y in batches]
    assert labels == [[-12, -19, -16, -14], [-10, -13, -11, -17], [-18, -15]]
    for X, y in batches:  # rows stay paired: row i of a is [2i, 2i + 1], label −(10 + i)
        np.testing.assert_array_equal(X[:, 0], 2 * (-y.ravel() - 10))


def test_same_batches_as_shuffling_the_stacked_rows():
    X, y = np.random.randn(23, 3), np.arange(23).reshape(-1, 1)
    np.random.seed(7)
    data = np.hstack((X, y))
    np.random.shuffle(data)
    np.random.seed(7)
    got = np.concatenate([yb for _, yb in DataLoader(X, y, batch_size=5, shuffle=True)])
    np.testing.assert_array_equal(got.ravel(), data[:, -1])


def test_one_permutation_per_pass_from_numpy_global_state():
    # Epoch after epoch the batches are those of np.random.permutation called once per epoch,
    # so a lab's loop that reshuffles every epoch is reproduced from the same seed.
    X, y = np.zeros((10, 1)), np.arange(10)
    np.random.seed(3)
    loader = DataLoader(X, y, batch_size=4, shuffle=True)
    epochs = [np.concatenate([yb for _, yb in loader]).tolist() for _ in range(3)]
    np.random.seed(3)
    assert epochs == [np.random.permutation(10).tolist() for _ in range(3)]


def test_batches_in_order_and_drop_last():
    X, y = np.arange(10).reshape(10, 1), np.arange(10)
    loader = DataLoader(X, y, batch_size=4)
    assert len(loader) == 3
    assert [yb.tolist() for _, yb in loader] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    dropping = DataLoader(X, y, batch_size=4, drop_last=True)
    assert len(dropping) == 2 and [len(yb) for _, yb in dropping] == [4, 4]


def test_each_pass_reshuffles_and_an_rng_reproduces():
    X, y = np.zeros((50, 1)), np.arange(50)
    loader = DataLoader(X, y, batch_size=50, shuffle=True, rng=np.random.default_rng(0))
    first, second = (next(iter(loader))[1] for _ in range(2))
    assert sorted(first) == list(range(50)) and not np.array_equal(first, second)
    again = DataLoader(X, y, batch_size=50, shuffle=True, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(next(iter(again))[1], first)
    legacy = DataLoader(X, y, batch_size=50, shuffle=True, rng=np.random.RandomState(0))
    np.testing.assert_array_equal(next(iter(legacy))[1], np.random.RandomState(0).permutation(50))


def test_mistakes():
    with pytest.raises(ValueError, match="X has 3 samples but y has 2"):
        DataLoader(np.zeros((3, 1)), np.zeros(2))
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        DataLoader(np.zeros((3, 1)), np.zeros(3), batch_size=0)
