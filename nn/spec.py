"""Build an ``nn.Sequential`` from a short layer string; the sizes between layers are found
for you.

    >>> model = build("conv(16, 5) relu maxpool(2) flatten linear(10)", (3, 32, 32))
    >>> model[4]                           # 16 channels × 14 × 14 pixels reach it
    Linear(in_features=3136, out_features=10, bias=True)

A layer is ``NAME`` or ``NAME(ARGS)``; layers are separated by spaces or commas. Names are
PyTorch's class names in any case (``Conv2d``, ``conv2d``) or a short form (``conv``,
``dense``, ``pool``). Arguments are numbers or words, by position or by keyword, as in
PyTorch but without the sizes that come from the input: ``conv(16, 3, padding=same)`` is
``Conv2d(in_channels, 16, 3, padding="same")``. The input's channels (for ``conv``), features
(for ``linear``) and ``batchnorm``'s size are read off the shape that reaches the layer,
found by running a zero input through the layers before it, so no arithmetic is done twice.
"""

from __future__ import annotations

import inspect
import re
from functools import partial

import numpy as np

from autograd import get_default_dtype, no_grad

from .activations import (
    ELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from .containers import Sequential
from .conv import AvgPool2d, Conv2d, MaxPool2d
from .dropout import Dropout, Dropout2d
from .layers import Flatten, Linear
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d

__all__ = ["build", "layer_usage"]


def _conv(shape, out_channels, kernel_size, stride=1, padding=0) -> Conv2d:
    return Conv2d(_image(shape)[0], out_channels, kernel_size, stride, padding)


def _linear(shape, out_features) -> Linear:
    if len(shape) != 1:
        raise ValueError(f"needs one axis of features, got {_size(shape)}; "
                         "put flatten before it")
    return Linear(shape[0], out_features)


def _batchnorm(shape) -> Module:
    # Like PyTorch's two classes: images get one statistic per channel, (C,) or (C, L) rows
    # one per feature.
    return BatchNorm2d(shape[0]) if len(shape) == 3 else BatchNorm1d(shape[0])


def _image(shape) -> tuple:
    if len(shape) != 3:
        raise ValueError(f"needs images of channels×height×width, got {_size(shape)}")
    return shape


def _along_last(layer):
    """Softmax or LogSoftmax along the last dim unless told (``dim``, or ``axis``)."""
    def make(dim: int = -1, *, axis: int | None = None) -> Module:
        return layer(dim if axis is None else axis)
    return make


# The layers whose first argument is read off the input's shape ...
_SHAPED = {"conv": _conv, "linear": _linear, "batchnorm": _batchnorm}
# ... and those made from the arguments as written.
_PLAIN = {
    "maxpool": MaxPool2d, "avgpool": AvgPool2d, "flatten": Flatten,
    "dropout": Dropout, "dropout2d": Dropout2d,
    "relu": ReLU, "leakyrelu": LeakyReLU, "elu": ELU, "sigmoid": Sigmoid, "tanh": Tanh,
    "softplus": Softplus, "softmax": _along_last(Softmax),
    "logsoftmax": _along_last(LogSoftmax),
}
_ALIASES = {
    "conv2d": "conv", "dense": "linear", "maxpool2d": "maxpool", "pool": "maxpool",
    "avgpool2d": "avgpool", "batchnorm1d": "batchnorm", "batchnorm2d": "batchnorm",
}

# PyTorch's finer options, which a layer string leaves at their defaults.
_FINER = {"inplace", "dilation", "return_indices", "ceil_mode", "count_include_pad",
          "divisor_override", "threshold", "device", "dtype", "padding_mode", "groups",
          "bias"}


def _signature(make) -> inspect.Signature:
    """The arguments a layer string may give ``make``."""
    signature = inspect.signature(make)
    return signature.replace(parameters=[p for p in signature.parameters.values()
                                         if p.name not in _FINER])


_LAYER = re.compile(r"([A-Za-z_]\w*)\s*(?:\(([^()]*)\))?")
_SEPARATOR = re.compile(r"[\s,]*")


def build(spec: str, input_shape: tuple) -> Sequential:
    """The ``Sequential`` that ``spec`` describes, for inputs of ``input_shape`` (without
    the batch axis).

        >>> build("flatten dense(128) relu dense(10)", (1, 28, 28))[1]
        Linear(in_features=784, out_features=128, bias=True)

    A mistake is a ``ValueError`` that names the layer, its position and what it takes.
    """
    x = np.zeros((1, *input_shape), get_default_dtype())
    layers = []
    for number, (source, name, args, kwargs) in enumerate(_read(spec), start=1):
        where = f"layer {number}, {source!r}"
        make = partial(_SHAPED[name], x.shape[1:]) if name in _SHAPED else _PLAIN[name]
        try:
            _signature(make).bind(*args, **kwargs)
        except TypeError as error:
            raise ValueError(f"{where}: {error}; write {_usage(name)}") from None
        try:
            layer = make(*args, **kwargs)
            x = _forward(layer, x)
        except (TypeError, ValueError, ArithmeticError) as error:
            raise ValueError(f"{where}, on input {_size(x.shape[1:])}: {error}") from None
        layers.append(layer)
    if not layers:
        raise ValueError("the layer string has no layers, e.g. 'flatten linear(10)'")
    return Sequential(*layers)


def _forward(layer: Module, x):
    """``layer(x)`` as at inference, so that BatchNorm's running statistics stay as new."""
    layer.eval()
    with no_grad():
        out = layer(x)
    layer.train()
    return out


def _read(spec: str) -> list[tuple[str, str, list, dict]]:
    """``(source, name, args, kwargs)`` for each layer written in ``spec``; the whole string
    is read before any layer is made, so a typo is reported as such, not as a bad layer."""
    layers = []
    position = _SEPARATOR.match(spec).end()
    while position < len(spec):
        match = _LAYER.match(spec, position)
        if match is None:
            problem = ("this bracket is not closed, or holds another bracket"
                       if spec[position] == "(" else "expected a layer, NAME or NAME(ARGS)")
            raise ValueError(f"cannot read the layers at column {position + 1} of {spec!r}: "
                             f"{problem}; e.g. conv(16, 5) relu")
        name = match[1].lower()
        name = _ALIASES.get(name, name)
        if name not in _SHAPED and name not in _PLAIN:
            raise ValueError(f"unknown layer {match[1]!r} at column {position + 1}; known: "
                             f"{', '.join([*_SHAPED, *_PLAIN])} (and PyTorch's class names)")
        layers.append((match[0], name, *_arguments(match[2] or "", match[0])))
        position = _SEPARATOR.match(spec, match.end()).end()
    return layers


def _arguments(text: str, source: str) -> tuple[list, dict]:
    """``"16, 3, padding=same"`` → ``([16, 3], {"padding": "same"})``."""
    args, kwargs = [], {}
    for item in text.split(",") if text.strip() else []:
        key, equals, value = item.rpartition("=")
        key = key.strip()
        if equals and not key.isidentifier():
            raise ValueError(f"{source!r}: expected KEYWORD=VALUE, got {item.strip()!r}")
        if key:
            kwargs[key] = _value(value, source)
        elif kwargs:
            raise ValueError(f"{source!r}: {item.strip()!r} comes after a keyword argument")
        else:
            args.append(_value(value, source))
    return args, kwargs


def _value(text: str, source: str):
    """An int, a float, or a word such as ``same`` (quotes optional)."""
    text = text.strip().strip("'\"")
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if not text.isidentifier():
        raise ValueError(f"{source!r}: {text!r} is not a number or a word")
    return text


def _size(shape) -> str:
    return "×".join(map(str, shape)) or "a single number"


def _usage(name: str) -> str:
    """``conv(out_channels, kernel_size, stride=1, padding=0)``, from the code itself."""
    make = partial(_SHAPED[name], ()) if name in _SHAPED else _PLAIN[name]
    parameters = [p.name if p.default is p.empty else f"{p.name}={p.default!r}"
                  for p in _signature(make).parameters.values()]
    return f"{name}({', '.join(parameters)})" if parameters else name


def layer_usage() -> str:
    """One line per layer name: its arguments and other names, for ``--help`` texts.

        >>> print(layer_usage().splitlines()[0])
        conv(out_channels, kernel_size, stride=1, padding=0)  also conv2d
    """
    usages = {name: _usage(name) for name in [*_SHAPED, *_PLAIN]}
    width = max(map(len, usages.values()))
    lines = []
    for name, usage in usages.items():
        others = [alias for alias, target in _ALIASES.items() if target == name]
        lines.append(f"{usage:{width}}  also {', '.join(others)}" if others else usage)
    return "\n".join(lines)
