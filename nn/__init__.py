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

from . import (
    activations,
    containers,
    data,
    datasets,
    functional,
    init,
    lab03,
    losses,
    ops,
    optim,
    padding,
    scalar,
    spec,
    upsampling,
)
from .activations import (
    ELU,
    GELU,
    SELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    PReLU,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softmin,
    Softplus,
    Softsign,
    Tanh,
    Tanhshrink,
)
from .containers import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import (
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    AvgPool2d,
    Conv2d,
    ConvTranspose2d,
    MaxPool2d,
)
from .data import DataLoader
from .dropout import Dropout, Dropout1d, Dropout2d
from .layers import Embedding, Flatten, Identity, LazyLinear, Linear, Unflatten
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .module import Module, Parameter, UninitializedParameter
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm
from .padding import (
    CircularPad2d,
    ConstantPad2d,
    ReflectionPad2d,
    ReplicationPad2d,
    ZeroPad2d,
)
from .serialization import load, save
from .summary import Summary, summary
from .training import History, evaluate, fit, predict
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

__all__ = [
    "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss",
    "BatchNorm1d", "BatchNorm2d", "CircularPad2d", "ConstantPad2d", "Conv2d", "ConvTranspose2d",
    "CrossEntropyLoss", "DataLoader", "Dropout", "Dropout1d", "Dropout2d", "ELU", "Embedding",
    "Flatten", "GELU", "GroupNorm", "Hardtanh", "History", "HuberLoss", "Identity", "KLDivLoss",
    "L1Loss", "LayerNorm", "LazyLinear", "LeakyReLU", "Linear", "LogSigmoid", "LogSoftmax",
    "MSELoss", "MaxPool2d", "Mish", "Module", "ModuleDict", "ModuleList", "NLLLoss", "PReLU",
    "Parameter", "ParameterDict", "ParameterList", "ReLU", "ReLU6", "ReflectionPad2d",
    "ReplicationPad2d", "SELU", "Sequential", "SiLU", "Sigmoid", "SmoothL1Loss", "Softmax",
    "Softmin", "Softplus", "Softsign", "Summary", "Tanh", "Tanhshrink", "UninitializedParameter",
    "Unflatten", "Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d", "ZeroPad2d",
    "activations", "containers", "data", "datasets", "evaluate", "fit", "functional", "init",
    "lab03", "load", "losses", "ops", "optim", "padding", "predict", "save", "scalar", "spec",
    "summary", "upsampling",
]
