"""PyTorch's names for chainrule, so that a PyTorch program runs with its imports changed.

    import chainrule as torch               # instead of: import torch
    import chainrule.nn as nn               # instead of: import torch.nn as nn
    import chainrule.nn.functional as F
    from chainrule.utils.data import DataLoader, TensorDataset

This package defines no math. ``chainrule.tensor``, ``zeros``, ``no_grad``, ``float32``,
``Tensor``, ... are the engine's own (package ``autograd``); ``chainrule.nn`` is the ``nn``
package itself; ``chainrule.optim``, ``chainrule.utils.data``, ``chainrule.autograd`` and
``chainrule.cuda`` gather what PyTorch keeps under those paths.

    >>> import chainrule as torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
"""

import importlib as _importlib
import pkgutil as _pkgutil

import autograd as _engine
import autograd.ops as _ops
import nn
from autograd.threads import get_num_threads, set_num_threads  # noqa: F401 - in __all__

from . import autograd, cuda, optim, utils  # noqa: F401 - in the __all__ built below
from ._exports import alias_package as _alias_package
from ._exports import copy_names as _copy_names

# Engine names that PyTorch keeps elsewhere or has not: ``torch.autograd.Function`` and
# ``torch.autograd.grad`` are in ``chainrule.autograd``, ``one_hot`` is ``F.one_hot``,
# and the rest are chainrule's own (``Value``, ``derive``, ...).
_NOT_TORCH = {"Derivation", "Function", "Node", "Op", "Value", "backward", "chain_rule", "derive",
              "grad", "gradcheck", "one_hot", "parse", "tagging", "topological_order"}

__all__ = _copy_names(_engine, globals(), skip=_NOT_TORCH)
# The free functions of each op group (``cat``, ``exp``, ``argmax``, ...): what each
# module of autograd.ops lists in its __all__ (a module without one offers none).
for _group in _pkgutil.iter_modules(_ops.__path__, _ops.__name__ + "."):
    _module = _importlib.import_module(_group.name)
    __all__ += _copy_names(_module, globals(), skip=_NOT_TORCH, only_listed=True)

_alias_package(nn, __name__ + ".nn")

__all__ = sorted({*__all__, "autograd", "cuda", "get_num_threads", "nn", "optim",
                  "set_num_threads", "utils"})
