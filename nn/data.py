"""Mini-batches of NumPy arrays.

To hold out a test set, use scikit-learn's ``train_test_split`` (the same split as the
labs that use it, given the same ``random_state``)::

    from sklearn.model_selection import train_test_split
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=101)
"""

from __future__ import annotations

import math

import numpy as np


class DataLoader:
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
        self.X, self.y = X, y
        self.batch_size, self.shuffle, self.drop_last, self.rng = \
            batch_size, shuffle, drop_last, rng

    def __len__(self) -> int:
        """The number of batches per pass."""
        batches = len(self.X) / self.batch_size
        return math.floor(batches) if self.drop_last else math.ceil(batches)

    def __iter__(self):
        n = len(self.X)
        if self.shuffle:
            order = (np.random if self.rng is None else self.rng).permutation(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            rows = slice(start, start + self.batch_size)
            if self.shuffle:
                rows = order[rows]
            yield self.X[rows], self.y[rows]
