"""Optimizers with PyTorch's update rules and state, and learning-rate schedulers in
:mod:`nn.optim.lr_scheduler`, as ``torch.optim``.

    >>> import nn
    >>> model = nn.Linear(3, 1)
    >>> opt = nn.optim.Adam(model.parameters(), lr=0.01)
    >>> scheduler = nn.optim.lr_scheduler.StepLR(opt, step_size=10)

Every optimizer keeps its per-parameter state in ``opt.state[param]`` under PyTorch's
keys; its docstring lists them with its update rule, and says how to pre-fill them to
reproduce a course's hand-written formulas (a velocity, a sum of squares, Adam's moments).
"""

from . import lr_scheduler
from .adam import Adam, Adamax, AdamW, NAdam, RAdam
from .adaptive import Adadelta, Adagrad, RMSprop

# The schedulers are offered here as well (nn.optim.StepLR), beside nn.optim.lr_scheduler.
from .lr_scheduler import *  # noqa: F403
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "Optimizer",
           "RAdam", "RMSprop", "lr_scheduler", *lr_scheduler.__all__]
