"""Every core: set_num_threads / get_num_threads, the batch split into chunks, and the
ops computed chunk by chunk, which must give the numbers of one thread (to float
rounding), the same numbers on every run, and PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule
import nn
from autograd import Tensor, threads
from nn.optim import SGD, Adam

# 8 images of 16 channels, 32×32: 2¹⁷ numbers, the smallest batch that is split
BIG = (8, 16, 32, 32)


@pytest.fixture
def num_threads():
    """Set the thread count for one test; the count before is restored after it."""
    before = chainrule.get_num_threads()
    yield chainrule.set_num_threads
    chainrule.set_num_threads(before)


def test_set_num_threads_round_trip(num_threads):
    num_threads(3)
    assert chainrule.get_num_threads() == 3
    num_threads(1)
    assert chainrule.get_num_threads() == 1
    for wrong in (0, -2, 1.5):
        with pytest.raises(ValueError, match="positive integer"):
            chainrule.set_num_threads(wrong)


def test_the_thread_count_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "5")
    assert threads._from_environment() == 5
    monkeypatch.setenv("OMP_NUM_THREADS", "")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert threads._from_environment() == 2


def test_a_batch_splits_into_one_chunk_per_thread_when_it_is_big(num_threads):
    num_threads(3)
    big = np.zeros(BIG, np.float32)
    assert threads.batch_chunks(big) == [slice(0, 2), slice(2, 5), slice(5, 8)]
    assert threads.batch_chunks(big[:, :, :16]) == [slice(0, 8)]  # too small to split
    num_threads(1)
    assert threads.batch_chunks(big) == [slice(0, 8)]


def test_arrays_of_another_module_are_never_split(num_threads):
    fake_cupy = pytest.importorskip("fake_cupy")
    num_threads(2)
    assert threads.batch_chunks(fake_cupy.zeros(BIG, fake_cupy.float32)) == [slice(0, 8)]


def test_an_op_inside_a_chunk_runs_whole(num_threads):
    num_threads(2)
    big = np.zeros(BIG, np.float32)
    inner = threads.map_chunks(lambda rows: threads.batch_chunks(big), threads.batch_chunks(big))
    assert inner == [[slice(0, 8)], [slice(0, 8)]]


def test_chunk_sums_are_added_in_order():
    assert threads.in_order_sum(["a", "b", "c"]) == "abc"


def _net() -> nn.Sequential:
    """A small HW05 challenge net: conv, batch norm, ReLU, max-pool, linear, batch norm."""
    return nn.Sequential(nn.Conv2d(16, 16, 3, padding="same"), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(16, 8, 3, stride=2, padding=1),
                         nn.AvgPool2d(2), nn.Flatten(), nn.Linear(8 * 4 * 4, 10),
                         nn.BatchNorm1d(10))


def _train(threads_count: int, num_threads, optimizer=Adam, steps=3) -> list[np.ndarray]:
    """The weights of the net after a few steps on a fixed batch, with a seed."""
    num_threads(threads_count)
    chainrule.manual_seed(0)
    model = _net()
    optimizer = optimizer(model.parameters(), lr=1e-2)
    rng = np.random.default_rng(1)
    x = rng.standard_normal(BIG).astype(np.float32)
    y = rng.integers(0, 10, BIG[0])
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [p.data.copy() for p in model.parameters()]


def test_training_gives_the_same_numbers_on_every_run(num_threads):
    first, again = _train(3, num_threads), _train(3, num_threads)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)


def test_training_on_threads_gives_the_numbers_of_one_thread(num_threads):
    # SGD, not Adam: the first convolution's bias, followed by batch norm, has a gradient
    # of 0 up to rounding, whose sign alone sets Adam's first steps
    for a, b in zip(_train(3, num_threads, SGD), _train(1, num_threads, SGD)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("call", ["Conv2d(16, 8, 3, padding=1)",
                                  "Conv2d(16, 8, 3, stride=2, dilation=2, groups=2)",
                                  "ConvTranspose2d(16, 4, 3, stride=2, padding=1)",
                                  "MaxPool2d(3, stride=2, padding=1)",
                                  "AvgPool2d(2)", "BatchNorm2d(16)"])
def test_chunked_layers_against_pytorch(call, against_torch, num_threads):
    num_threads(3)  # uneven chunks of 2, 3 and 3 images
    x = np.random.default_rng(2).standard_normal(BIG)
    assert len(threads.batch_chunks(x)) == 3
    against_torch.modules(*against_torch.layers(call), x)  # float64: exact to 1e-10


def test_the_optimizer_splits_big_parameters_among_the_threads(num_threads):
    num_threads(2)
    weights = [Tensor(np.ones((256, 512), np.float32), requires_grad=True) for _ in range(3)]
    assert threads.split(weights, [w.data for w in weights]) == [weights[:1], weights[1:]]
    optimizer = Adam(weights, lr=0.5)
    for w in weights:
        (w * w).sum().backward()
    optimizer.step()  # Adam's first step is lr · sign(g) for each weight
    for w in weights:
        np.testing.assert_allclose(w.data, 0.5)


@pytest.mark.parametrize("shape", [(300, 200, 100), (60, 200, 500)])  # by rows; by columns
def test_a_large_matrix_product_splits_among_the_threads(shape, num_threads, monkeypatch):
    rows, inner, columns = shape
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((rows, inner)), rng.standard_normal((inner, columns))
    num_threads(3)
    pieces = []
    monkeypatch.setattr(threads, "map_chunks",
                        lambda work, items: pieces.extend(items) or [work(i) for i in items])
    np.testing.assert_allclose(threads.parallel_matmul(a, b), a @ b, rtol=1e-12)
    assert len(pieces) == 3 and pieces[-1].stop == max(rows, columns)
    pieces.clear()  # as an op, forward and backward: the gradients are products too
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    (ta @ tb).sum().backward()
    np.testing.assert_allclose(ta.grad.numpy(), np.ones((rows, columns)) @ b.T, rtol=1e-12)
    np.testing.assert_allclose(tb.grad.numpy(), a.T @ np.ones((rows, columns)), rtol=1e-12)
    assert len(pieces) == 9


def test_a_small_or_batched_product_is_not_split(num_threads):
    num_threads(3)
    small, batched = np.ones((8, 8)), np.ones((4, 200, 200))
    assert threads._parts([small], 8) == 1
    np.testing.assert_array_equal(threads.parallel_matmul(small, small), small @ small)
    np.testing.assert_array_equal(threads.parallel_matmul(batched, batched),
                                  batched @ batched)
