"""``torch.optim``: the optimizers of ``nn.optim`` (``SGD``, ``Adam``, ...), with the
learning-rate schedulers in ``chainrule.optim.lr_scheduler`` as in PyTorch.

    >>> import chainrule as torch
    >>> w = torch.tensor([1.0], requires_grad=True)
    >>> opt = torch.optim.SGD([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w       # 1 - 0.1 * 2
    tensor([0.8], requires_grad=True)
"""

import nn.optim as _source

from .._exports import copy_names as _copy_names
from . import lr_scheduler

# The schedulers are PyTorch's torch.optim.lr_scheduler.StepLR, ...: only there.
__all__ = [*_copy_names(_source, globals(), skip=set(lr_scheduler.__all__)), "lr_scheduler"]
