"""Utilities, as ``torch.utils``: data sets and data loaders in :mod:`nn.utils.data`."""

from . import data

__all__ = ["data"]
