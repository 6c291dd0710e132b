"""chainrule's neural-network package, shaped like ``torch.nn``.

    >>> import nn
    >>> import numpy as np
    >>> X_train, y_train = np.random.randn(200, 64), np.random.randint(0, 10, 200)
    >>> model = nn.Sequential(nn.Linear(64, 80), nn.Sigmoid(), nn.Linear(80, 10))
    >>> history = nn.fit(model, nn.functional.cross_entropy,
    ...                  nn.optim.Adam(model.parameters(), lr=0.01), (X_train, y_train),
    ...                  epochs=3, progress=False)
    >>> len(history["loss"])
    3
"""

from . import data, datasets, functional, init, lab03, ops, optim, scalar, spec, utils
from .conv import AvgPool2d, Conv2d, MaxPool2d
from .data import DataLoader
from .dropout import Dropout, Dropout2d
from .layers import (
    ELU,
    Flatten,
    Identity,
    LeakyReLU,
    Linear,
    LogSoftmax,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from .module import Module, Parameter
from .normalization import BatchNorm1d, BatchNorm2d
from .serialization import load, save
from .summary import Summary, summary
from .training import History, evaluate, fit, predict

__all__ = [
    "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv2d", "DataLoader", "Dropout",
    "Dropout2d", "ELU", "Flatten", "History", "Identity", "LeakyReLU", "Linear",
    "LogSoftmax", "MaxPool2d", "Module", "Parameter", "ReLU", "Sequential", "Sigmoid",
    "Softmax", "Softplus", "Summary", "Tanh", "data", "datasets", "evaluate", "fit",
    "functional", "init", "lab03", "load", "ops", "optim", "predict", "save", "scalar", "spec",
    "summary", "utils",
]
