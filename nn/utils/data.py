"""Data sets, samplers and the data loader, as ``torch.utils.data``.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> images = Tensor(np.random.rand(100, 1, 8, 8))
    >>> labels = Tensor(np.random.randint(0, 10, 100), dtype=np.int64)
    >>> loader = DataLoader(TensorDataset(images, labels), batch_size=32, shuffle=True)
    >>> for x, y in loader:                         # the last batch holds 100 − 3 · 32 = 4
    ...     pass
    >>> x.shape, y.dtype
    (Size([4, 1, 8, 8]), dtype('int64'))

A :class:`Dataset` hands out one sample at a time (``dataset[i]``); a sampler says in
which order (:class:`SequentialSampler`, :class:`RandomSampler`), a
:class:`BatchSampler` groups the indices, and :func:`default_collate` stacks each group's
samples into Tensors: :class:`DataLoader` puts the four together. The loading happens in
this process, whatever ``num_workers`` says: the batches are the same.

Shuffling draws from the ``generator`` given (a NumPy ``Generator`` or ``RandomState``, or
an ``autograd.Generator``), else from NumPy's global state (:mod:`nn.rng`), so
``np.random.seed`` reproduces the order. For NumPy arrays ``X, y`` as they are, the
shortcut ``nn.DataLoader(X, y, batch_size=...)`` yields NumPy batches (:mod:`nn.data`).
"""

from __future__ import annotations

import math
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate

import numpy as np

from autograd import Tensor, stack

from ..rng import numpy_rng

__all__ = ["BatchSampler", "ConcatDataset", "DataLoader", "Dataset", "RandomSampler",
           "Sampler", "SequentialSampler", "Subset", "TensorDataset", "default_collate",
           "random_split"]


# --- data sets ------------------------------------------------------------------------------

class Dataset:
    """A data set of samples by index: a subclass defines ``__getitem__`` (and ``__len__``
    for the samplers to know how many there are).

        >>> class Squares(Dataset):
        ...     def __len__(self): return 5
        ...     def __getitem__(self, i): return float(i), float(i * i)
        >>> Squares()[3]
        (3.0, 9.0)

    ``a + b`` is their :class:`ConcatDataset`.
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples made of the i-th row of each tensor (or array): ``dataset[i]`` is
    ``(images[i], labels[i])``.

        >>> data = TensorDataset(Tensor([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 1]))
        >>> len(data), data[1][1]
        (2, np.int64(1))
    """

    def __init__(self, *tensors):
        if any(len(t) != len(tensors[0]) for t in tensors):
            raise ValueError(f"Size mismatch between tensors: first dimensions "
                             f"{[len(t) for t in tensors]}")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

        >>> evens = Subset(TensorDataset(np.arange(10)), [0, 2, 4])
        >>> len(evens), evens[2]
        (3, (np.int64(4),))
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]):
        self.dataset, self.indices = dataset, indices

    def __getitem__(self, index):
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices: list) -> list:
        """A batch of samples, fetched at once where the data set can."""
        get_batch = getattr(self.dataset, "__getitems__", None)
        chosen = [self.indices[i] for i in indices]
        return get_batch(chosen) if get_batch else [self.dataset[i] for i in chosen]

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several data sets one after another.

        >>> both = ConcatDataset([TensorDataset(np.arange(3)), TensorDataset(np.arange(10, 12))])
        >>> len(both), both[3], both[-1]
        (5, (np.int64(10),), (np.int64(11),))
    """

    def __init__(self, datasets: Iterable[Dataset]):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("datasets should not be an empty iterable")
        #: the number of samples up to and including each data set
        self.cumulative_sizes = list(accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int):
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        which = bisect_right(self.cumulative_sizes, index)
        before = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - before]


def random_split(dataset: Dataset, lengths: Sequence, generator=None) -> list[Subset]:
    """Split ``dataset`` at random into subsets of the given ``lengths``, or of the given
    fractions of its length, as ``torch.utils.data.random_split``.

        >>> train, test = random_split(TensorDataset(np.arange(10)), [0.8, 0.2],
        ...                            generator=np.random.default_rng(0))
        >>> len(train), len(test)
        (8, 2)

    Fractions are rounded down, and the samples left over go one each to the first
    subsets, as PyTorch does: 10 samples split [0.45, 0.45, 0.1] make 5, 4 and 1.
    """
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = [math.floor(n * fraction) for fraction in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an "
                              "empty dataset.", stacklevel=2)
        lengths = counts
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = numpy_rng(generator).permutation(n).tolist()
    return [Subset(dataset, order[end - length:end])
            for end, length in zip(accumulate(lengths), lengths)]


# --- samplers: the order of the indices -----------------------------------------------------

class Sampler:
    """Base class of the samplers: an iterable of indices into a data set."""

    def __init__(self, data_source=None):
        self.data_source = data_source

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """0, 1, 2, ..., in order.

        >>> list(SequentialSampler(range(4)))
        [0, 1, 2, 3]
    """

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """The indices in a random order, a new one on every pass: a permutation of all of
    them, or ``num_samples`` draws (with ``replacement``, each independent).

        >>> sampler = RandomSampler(range(5), generator=np.random.default_rng(0))
        >>> sorted(sampler)
        [0, 1, 2, 3, 4]

    Without replacement and with more ``num_samples`` than indices, whole permutations
    follow one another, as in PyTorch.
    """

    def __init__(self, data_source, replacement: bool = False, num_samples: int | None = None,
                 generator=None):
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got "
                            f"replacement={replacement}")
        if num_samples is not None and (not isinstance(num_samples, int) or num_samples <= 0):
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        super().__init__(data_source)
        self.replacement, self._num_samples, self.generator = replacement, num_samples, generator

    @property
    def num_samples(self) -> int:
        """How many indices a pass yields: ``num_samples``, else the data set's length."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        rng, n = numpy_rng(self.generator), len(self.data_source)
        if self.replacement:
            yield from rng.choice(n, size=self.num_samples).tolist()
            return
        whole, rest = divmod(self.num_samples, n)
        for _ in range(whole):
            yield from rng.permutation(n).tolist()
        if rest:  # drawn only when needed: one permutation per pass, as a loop over arrays
            yield from rng.permutation(n)[:rest].tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Another sampler's indices in lists of ``batch_size`` (the last one shorter, unless
    ``drop_last``).

        >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=4, drop_last=False))
        [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got "
                             f"drop_last={drop_last}")
        super().__init__()
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        batches = len(self.sampler) / self.batch_size
        return math.floor(batches) if self.drop_last else math.ceil(batches)


# --- collating: samples into batches --------------------------------------------------------

def default_collate(batch: list):
    """Stack a list of samples into a batch, as ``torch.utils.data.default_collate``.

    Tensors and NumPy arrays are stacked into a Tensor along a new first axis, keeping
    their dtype; NumPy numbers become a Tensor of their dtype, Python floats a float64
    Tensor and Python ints an int64 one (bools a bool one). Tuples and lists of fields are
    collated field by field (a list comes back), dicts key by key, named tuples as their
    own type; strings stay a list.

        >>> x, y = default_collate([(np.zeros(2), 1), (np.ones(2), 0)])
        >>> x.shape, x.dtype, y
        (Size([2, 2]), dtype('float64'), tensor([1, 0]))
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch)
    if isinstance(elem, (np.ndarray, np.generic)):
        if elem.dtype.kind in "SUO":  # strings and objects have no Tensor
            raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, "
                            f"numbers, dicts or lists; found {elem.dtype}")
        return Tensor(np.stack(batch), dtype=elem.dtype)
    if isinstance(elem, float):
        return Tensor(batch, dtype=np.float64)
    if isinstance(elem, int):  # bool is an int too, and stays bool
        return Tensor(batch, dtype=bool if isinstance(elem, bool) else np.int64)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(elem, Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(elem)}")


# --- the loader -----------------------------------------------------------------------------

class DataLoader:
    """Batches of a data set, as ``torch.utils.data.DataLoader``: each pass asks the
    sampler for the order, groups it in batches, fetches the samples and collates them.

        >>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
        >>> [y.tolist() for x, y in loader]
        [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]

    ``shuffle`` draws a new order on every pass from ``generator``; ``sampler`` or
    ``batch_sampler`` choose the indices instead; ``collate_fn`` replaces
    :func:`default_collate`. A data set with a ``__getitems__(indices)`` method hands over
    a whole batch at once. ``num_workers`` and ``pin_memory`` are accepted for PyTorch's
    programs; the batches are loaded here, in this process.
    """

    def __init__(self, dataset, batch_size: int | None = 1, shuffle: bool = False,
                 sampler=None, batch_sampler=None, num_workers: int = 0, collate_fn=None,
                 pin_memory: bool = False, drop_last: bool = False, *, generator=None,
                 persistent_workers: bool = False):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 "
                             "to disable multiprocessing.")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else \
                SequentialSampler(dataset)
        if batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        self.collate_fn = default_collate if collate_fn is None else collate_fn
        self.num_workers, self.pin_memory = num_workers, pin_memory
        self.persistent_workers = persistent_workers

    def __iter__(self):
        get_batch = getattr(self.dataset, "__getitems__", None)
        for indices in self.batch_sampler:
            samples = get_batch(indices) if get_batch else [self.dataset[i] for i in indices]
            yield self.collate_fn(samples)

    def __len__(self) -> int:
        """The number of batches per pass."""
        return len(self.batch_sampler)
