"""``torch.utils.data``: ``Dataset``, ``TensorDataset``, ``DataLoader``, ``random_split``, ...
as the ``nn`` package provides them::

    from chainrule.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=True)
    for x, y in loader:
        ...
"""

import importlib as _importlib

from .._exports import copy_names as _copy_names


def _source():
    """The module of ``nn`` with PyTorch's data utilities: ``nn.utils.data`` where it
    exists, else ``nn.data``."""
    for name in ("nn.utils.data", "nn.data"):
        try:
            return _importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if not name.startswith(missing.name or "?"):
                raise  # a module that the data module itself imports is missing
    raise ModuleNotFoundError("the nn package has no data module")


__all__ = _copy_names(_source(), globals())
