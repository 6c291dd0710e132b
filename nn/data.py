"""The array shortcut: mini-batches of NumPy arrays ``X, y`` as they are.

``DataLoader(X, y, batch_size=...)`` yields ``(X_batch, y_batch)`` NumPy pairs, for the
labs' loops over arrays. It is :class:`nn.utils.data.DataLoader` (PyTorch's, which takes
a :class:`~nn.utils.data.Dataset` and yields Tensors) with the arrays as its data set, so
the two share their samplers, lengths and ``drop_last``.

To hold out a test set, use scikit-learn's ``train_test_split`` (the same split as the
labs that use it, given the same ``random_state``)::

    from sklearn.model_selection import train_test_split
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=101)
"""

from __future__ import annotations

import numpy as np

from .utils import data


class _Pairs:
    """Rows of X with their labels, fetched a batch at a time (one NumPy index each)."""

    def __init__(self, X: np.ndarray, y: np.ndarray):
        self.X, self.y = X, y

    def __len__(self) -> int:
        return len(self.X)

    def __getitems__(self, rows: list) -> tuple[np.ndarray, np.ndarray]:
        return self.X[rows], self.y[rows]


def _as_they_are(batch):
    """A batch of NumPy pairs needs no collating."""
    return batch


class DataLoader(data.DataLoader):
    """Iterate over ``(X_batch, y_batch)`` NumPy pairs, reshuffled on every pass.

        >>> import nn
        >>> X_train, y_train = np.random.randn(100, 64), np.random.randint(0, 10, 100)
        >>> loader = DataLoader(X_train, y_train, batch_size=64, shuffle=True)
        >>> [len(X_batch) for X_batch, y_batch in loader]
        [64, 36]
        >>> model = nn.Linear(64, 10)
        >>> for X_batch, y_batch in loader:
        ...     loss = nn.functional.cross_entropy(model(X_batch), y_batch)

    The last, smaller batch is kept unless ``drop_last``. Shuffling draws one
    permutation per pass from ``rng`` (an ``np.random.Generator`` or ``RandomState``), or
    from NumPy's global random state when ``rng`` is None: after ``np.random.seed(1)``
    the batches are those of a hand-written loop that calls ``np.random.shuffle`` on the
    rows of ``np.hstack((X, y))``, because shuffling n rows and permuting n indices
    consume the same random numbers.
    """

    def __init__(self, X, y, batch_size: int = 32, shuffle: bool = False,
                 drop_last: bool = False, rng=None):
        X, y = np.asarray(X), np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"DataLoader: X has {len(X)} samples but y has {len(y)}; "
                             "they must pair up row by row")
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be at least 1, got {batch_size}")
        self.X, self.y, self.shuffle, self.rng = X, y, shuffle, rng
        # NumPy's global state when no rng is given, named here rather than left to nn's
        # default: the labs' batches depend on it.
        generator = np.random if rng is None else rng
        super().__init__(_Pairs(X, y), batch_size, shuffle, drop_last=bool(drop_last),
                         collate_fn=_as_they_are, generator=generator)
