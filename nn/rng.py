"""Where nn draws its random numbers: from the generator a function is given, else from
the default one, NumPy's global random state, so that ``np.random.seed(0)`` makes weights,
dropout masks and shuffled batches the same on every run.
"""

from __future__ import annotations

import numpy as np


def default_rng():
    """The random source used when no generator is given: NumPy's global state (the
    ``np.random`` module has the methods of a Generator that nn uses)."""
    return np.random


def numpy_rng(generator=None):
    """What to draw with: a NumPy ``Generator`` or ``RandomState`` as given, the NumPy
    generator that an ``autograd.Generator`` holds (its ``.numpy``), else the default.

        >>> rng = np.random.default_rng(0)
        >>> numpy_rng(rng) is rng, numpy_rng() is np.random
        (True, True)
    """
    if generator is None:
        return default_rng()
    return getattr(generator, "numpy", generator)
