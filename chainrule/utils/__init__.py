"""``torch.utils``: only ``data`` (``chainrule.utils.data``)."""

from . import data

__all__ = ["data"]
