"""Save and load a module's ``state_dict`` as a NumPy ``.npz`` file.

The file is a zip of one ``.npy`` array per key (``0.weight``, ``0.bias``, ...), readable
with ``np.load`` alone and never unpickled, so loading a file cannot run code.
"""

from __future__ import annotations

import os

import numpy as np

from .module import Module


def save(module: Module, path: str | os.PathLike) -> None:
    """Write ``module.state_dict()`` to ``path`` (NumPy adds ``.npz`` if it is missing).

        >>> save(model, "digits.npz")
        >>> load(digits_mlp(), "digits.npz")
    """
    np.savez(path, **module.state_dict())


def load(module: Module, path: str | os.PathLike) -> Module:
    """Load the arrays saved by :func:`save` into ``module``, checking keys and shapes;
    returns the module.

        >>> model = load(digits_mlp(), "digits.npz")
        >>> predict(model, X_test).argmax(axis=1)
    """
    with np.load(path, allow_pickle=False) as arrays:
        module.load_state_dict({key: arrays[key] for key in arrays.files})
    return module
