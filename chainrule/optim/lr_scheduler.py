"""``torch.optim.lr_scheduler``: the learning-rate schedulers of ``nn.optim``.

    >>> import chainrule as torch
    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    >>> scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> for epoch in range(4):
    ...     scheduler.step()
    >>> scheduler.get_last_lr()
    [0.025]
"""

import importlib as _importlib

import nn.optim as _optim

from .._exports import copy_names as _copy_names

try:  # nn.optim as a package with a schedulers module of its own, as PyTorch's
    __all__ = _copy_names(_importlib.import_module("nn.optim.lr_scheduler"), globals())
except ModuleNotFoundError as missing:
    if missing.name != "nn.optim.lr_scheduler":
        raise
    # the schedulers beside the optimizers: every subclass of LRScheduler
    __all__ = [name for name, value in vars(_optim).items()
               if isinstance(value, type) and issubclass(value, _optim.LRScheduler)]
    globals().update({name: getattr(_optim, name) for name in __all__})
