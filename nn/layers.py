"""Layers for multilayer perceptrons: ``Linear``, ``Sequential``, ``Flatten``, ``Identity``
and the activation modules. Each accepts a Tensor or a NumPy array."""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, get_default_dtype

from . import functional as F
from . import init
from .inputs import as_tensor
from .module import Module, Parameter


class Linear(Module):
    """A fully connected layer, ``y = x @ weightᵀ + bias``, weight of shape (out, in).

        >>> layer = Linear(64, 80)
        >>> layer(np.zeros((5, 64))).shape
        Size([5, 80])

    Initialised as PyTorch's: weight and bias uniform in ±1/√in_features, drawn (weight
    first) from NumPy's global random state.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.empty((out_features, in_features), dtype))
        self.bias = Parameter(np.empty(out_features, dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights, as at construction."""
        # kaiming_uniform_ with a = √5 is PyTorch's way of writing U(±1/√fan_in).
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Sequential(Module):
    """Modules applied one after another; children named ``0``, ``1``, ... as PyTorch's.

        >>> model = Sequential(Linear(64, 80), Sigmoid(), Linear(80, 10))
        >>> model(np.zeros((5, 64))).shape
        Size([5, 10])

    A single dict argument names the children by its keys instead.
    """

    def __init__(self, *layers):
        super().__init__()
        named = layers[0].items() if len(layers) == 1 and isinstance(layers[0], dict) \
            else enumerate(layers)
        for name, layer in named:
            self.append(layer, str(name))

    def append(self, layer: Module, name: str | None = None) -> Sequential:
        """Add ``layer`` at the end (named by its position unless ``name`` is given)."""
        if not isinstance(layer, Module):
            raise TypeError(f"Sequential: expected a Module, got {type(layer).__name__}")
        setattr(self, name or str(len(self)), layer)
        return self

    def _layers(self) -> list[Module]:
        # The same as children(), found faster: a Sequential's attributes are its layers
        # (and Module's own flags), so the general walk is not needed on every call.
        return [value for value in vars(self).values() if isinstance(value, Module)]

    def __len__(self) -> int:
        return len(self._layers())

    def __iter__(self):
        return iter(self._layers())

    def __getitem__(self, index):
        layers = self._layers()
        return Sequential(*layers[index]) if isinstance(index, slice) else layers[index]

    def forward(self, x):
        for layer in self._layers():
            x = layer(x)
        return x


class Flatten(Module):
    """Merge every axis from ``start_axis`` on, e.g. images (n, 1, 28, 28) to (n, 784).

        >>> Flatten()(np.zeros((5, 1, 28, 28))).shape
        Size([5, 784])
    """

    def __init__(self, start_axis: int = 1):
        super().__init__()
        self.start_axis = start_axis

    def forward(self, x) -> Tensor:
        return as_tensor(x, "Flatten").flatten(self.start_axis)

    def extra_repr(self) -> str:
        return f"start_axis={self.start_axis}"


class Identity(Module):
    """Returns its input unchanged: a placeholder where a layer is optional.

        >>> x = Tensor([1.0])
        >>> Identity()(x) is x
        True
    """

    def forward(self, x):
        return x


class ReLU(Module):
    """max(x, 0) elementwise.

        >>> ReLU()(np.array([-1.0, 2.0]))
        tensor([0., 2.], dtype=float64)
    """

    def forward(self, x) -> Tensor:
        return F.relu(x)


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e^−x) elementwise.

        >>> Sigmoid()(Tensor([0.0]))
        tensor([0.5])
    """

    def forward(self, x) -> Tensor:
        return F.sigmoid(x)


class Tanh(Module):
    """tanh(x) elementwise.

        >>> Tanh()(Tensor([0.0]))
        tensor([0.])
    """

    def forward(self, x) -> Tensor:
        return F.tanh(x)


class _WithConstant(Module):
    """An activation with one constant, named by ``constant``: the layer hands it to its
    ``function`` of nn.functional and shows it in its repr."""

    constant = ""

    def forward(self, x) -> Tensor:
        return self.function(x, getattr(self, self.constant))

    def extra_repr(self) -> str:
        return f"{self.constant}={getattr(self, self.constant)}"


class LeakyReLU(_WithConstant):
    """x for x > 0, ``negative_slope``·x otherwise.

        >>> LeakyReLU(0.1)(Tensor([-2.0]))
        tensor([-0.2])
    """

    function, constant = staticmethod(F.leaky_relu), "negative_slope"

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope


class ELU(_WithConstant):
    """x for x > 0, α(eˣ − 1) otherwise.

        >>> ELU()(Tensor([1.0]))
        tensor([1.])
    """

    function, constant = staticmethod(F.elu), "alpha"

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.alpha = alpha


class Softplus(_WithConstant):
    """log(1 + e^(βx)) / β, a smooth ReLU.

        >>> Softplus()(Tensor([0.0]))
        tensor([0.6931472])
    """

    function, constant = staticmethod(F.softplus), "beta"

    def __init__(self, beta: float = 1.0):
        super().__init__()
        self.beta = beta


class Softmax(_WithConstant):
    """Probabilities along ``axis`` (PyTorch's ``dim``). For training, give the logits to
    ``cross_entropy`` instead: it includes the softmax, stably.

        >>> Softmax(axis=1)(Tensor([[0.0, 0.0]]))
        tensor([[0.5, 0.5]])
    """

    function, constant = staticmethod(F.softmax), "axis"

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = axis


class LogSoftmax(Softmax):
    """log(softmax(x)) along ``axis``, for ``nll_loss``.

        >>> LogSoftmax(axis=1)(Tensor([[0.0, 0.0]]))
        tensor([[-0.6931472, -0.6931472]])
    """

    function = staticmethod(F.log_softmax)
