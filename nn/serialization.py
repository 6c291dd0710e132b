"""Save and load a module's ``state_dict`` as a NumPy ``.npz`` file.

The file is a zip of one ``.npy`` array per key (``0.weight``, ``0.bias``, ...), readable
with ``np.load`` alone and never unpickled, so loading a file cannot run code. A save
either completes or leaves the previous file as it was (:func:`atomic_write`), so a
crash or a full disk in the middle of training never costs the last good checkpoint.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from autograd.dtypes import to_host

from .module import Module


def npz_path(path: str | os.PathLike) -> Path:
    """``path`` with ``.npz`` added unless it ends so already: NumPy's rule for
    ``np.savez``, which :func:`save` and :func:`load` both follow.

        >>> npz_path("digits").name, npz_path("digits.npz").name
        ('digits.npz', 'digits.npz')
    """
    path = Path(path)
    return path if path.name.endswith(".npz") else path.with_name(path.name + ".npz")


def save(module: Module, path: str | os.PathLike) -> Path:
    """Write ``module.state_dict()`` to ``path`` (``.npz`` is added if it is missing, as
    ``np.savez`` does) and return the path written.

        >>> from nn import Linear
        >>> folder = tempfile.TemporaryDirectory()
        >>> save(Linear(3, 2), f"{folder.name}/ckpt").name
        'ckpt.npz'
    """
    path = npz_path(path)
    with atomic_write(path) as f:
        np.savez(f, **{key: to_host(t.data) for key, t in module.state_dict().items()})
    return path


def load(module: Module, path: str | os.PathLike) -> Module:
    """Load the arrays saved by :func:`save` into ``module``, checking keys and shapes;
    returns the module. ``path`` is found as :func:`save` wrote it (``.npz`` added).

        >>> from nn import Linear
        >>> folder = tempfile.TemporaryDirectory()
        >>> path = save(Linear(3, 2), f"{folder.name}/ckpt")
        >>> load(Linear(3, 2), f"{folder.name}/ckpt")
        Linear(in_features=3, out_features=2, bias=True)
    """
    with np.load(npz_path(path), allow_pickle=False) as arrays:
        module.load_state_dict({key: arrays[key] for key in arrays.files})
    return module


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator:
    """A binary file to write, which becomes ``path`` only if the ``with`` block succeeds.

        >>> folder = tempfile.TemporaryDirectory()
        >>> with atomic_write(f"{folder.name}/notes.txt") as f:
        ...     f.write(b"all or nothing")
        14

    It is written beside ``path`` (the same folder, so the same disk, where ``os.replace``
    is one atomic rename) and forced onto the disk before the rename. Whatever happens,
    ``path`` holds either its old contents or the complete new ones, never half a file,
    and the temporary file is removed.
    """
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)  # already gone after a successful replace
