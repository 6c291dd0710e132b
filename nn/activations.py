"""Activation functions, each as a function of :mod:`nn.functional` and as a module, with
PyTorch's names, arguments, defaults and repr.

Each is autograd's Tensor op of its name (``relu``, ``elu``, ``softplus``, ...) or is
composed from them, so its derivative is autograd's rules applied by the chain rule:
``silu(x) = x·σ(x)``, ``mish(x) = x·tanh(softplus(x))``, ``selu(x) = scale·elu(x, α)``.
Where PyTorch's derivative differs from the composition at a kink (``hardtanh`` passes no
gradient at its bounds, ``prelu`` the slope at 0), the function picks values with masks,
whose gradient goes only where a value was picked, and gives PyTorch's numbers exactly.

``inplace=True`` is accepted, for PyTorch programs, and shown in the repr; the result is
a new tensor all the same (an input overwritten in place could not give its gradient).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from autograd import Tensor, get_default_dtype

from .inputs import as_tensor
from .module import Module, Parameter

# --- how the functions are built ------------------------------------------------------


def _select(condition: np.ndarray, a: Tensor, b: Tensor) -> Tensor:
    """``a`` where ``condition`` holds, else ``b`` (``torch.where`` with a constant
    condition): each gets the gradient where it was picked and 0 elsewhere.

        >>> x = Tensor([-1.0, 2.0])
        >>> _select(x.data > 0, x, x * 0.1)
        tensor([-0.1,  2. ])
    """
    return a.masked_fill(~condition, 0.0) + b.masked_fill(condition, 0.0)


# --- the functions ------------------------------------------------------------------------


def relu(input, inplace: bool = False) -> Tensor:
    """max(x, 0), elementwise.

        >>> relu(Tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return as_tensor(input, "relu").relu()


def sigmoid(input) -> Tensor:
    """σ(x) = 1 / (1 + e^−x), elementwise.

        >>> sigmoid(Tensor([0.0]))
        tensor([0.5])
    """
    return as_tensor(input, "sigmoid").sigmoid()


def tanh(input) -> Tensor:
    """tanh(x), elementwise.

        >>> tanh(Tensor([0.0]))
        tensor([0.])
    """
    return as_tensor(input, "tanh").tanh()


def leaky_relu(input, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, ``negative_slope``·x otherwise.

        >>> leaky_relu(Tensor([-2.0, 2.0]), 0.1)
        tensor([-0.2,  2. ])
    """
    return as_tensor(input, "leaky_relu").leaky_relu(negative_slope)


def elu(input, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, α(eˣ − 1) otherwise.

        >>> elu(Tensor([0.0, 1.0]))
        tensor([0., 1.])
    """
    return as_tensor(input, "elu").elu(alpha)


# SELU's constants (Klambauer et al., 2017), as PyTorch writes them.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input, inplace: bool = False) -> Tensor:
    """scale·elu(x, α) with α ≈ 1.6733 and scale ≈ 1.0507, which keep activations at
    mean 0 and variance 1 through a deep stack of layers.

        >>> selu(Tensor([1.0]))
        tensor([1.050701])
    """
    return as_tensor(input, "selu").elu(_SELU_ALPHA) * _SELU_SCALE


def softplus(input, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(βx)) / β, a smooth ReLU; x itself where βx > ``threshold``, as PyTorch.

        >>> softplus(Tensor([0.0, 30.0]))
        tensor([ 0.6931472, 30.       ])
    """
    x = as_tensor(input, "softplus")
    smooth = x.softplus() if beta == 1 else (x * beta).softplus() / beta
    return _select(x.data * beta > threshold, x, smooth)


def hardtanh(input, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]; the gradient passes strictly inside, as PyTorch's.

        >>> hardtanh(Tensor([-3.0, 0.5, 3.0]))
        tensor([-1. ,  0.5,  1. ])
    """
    x = as_tensor(input, "hardtanh")
    return x.masked_fill(x.data <= min_val, min_val).masked_fill(x.data >= max_val, max_val)


def relu6(input, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): ``hardtanh(x, 0, 6)``.

        >>> relu6(Tensor([-1.0, 3.0, 8.0]))
        tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0)


def prelu(input, weight: Tensor) -> Tensor:
    """x for x > 0, a·x otherwise, with a learned slope ``weight``: one for all channels,
    or one per channel (axis 1).

        >>> prelu(Tensor([-2.0, 2.0]), Tensor([0.25]))
        tensor([-0.5,  2. ])
    """
    x = as_tensor(input, "prelu")
    weight = as_tensor(weight, "prelu")
    if weight.numel() > 1:
        if x.ndim < 2 or x.shape[1] != weight.numel():
            raise ValueError(f"prelu: {weight.numel()} slopes need an input with "
                             f"{weight.numel()} channels on axis 1, got shape {tuple(x.shape)}")
        weight = weight.reshape(-1, *(1,) * (x.ndim - 2))
    return _select(x.data > 0, x, weight * x)


def gelu(input, approximate: str = "none") -> Tensor:
    """x·Φ(x), Φ the standard normal CDF: x · ½(1 + erf(x/√2)); with
    ``approximate="tanh"``, ½x(1 + tanh(√(2/π)(x + 0.044715x³))).

        >>> gelu(Tensor([0.0, 1.0]))
        tensor([0.       , 0.8413447])
    """
    x = as_tensor(input, "gelu")
    if approximate == "none":
        return x * 0.5 * (1 + (x * math.sqrt(0.5)).erf())
    if approximate == "tanh":
        return 0.5 * x * (1 + (math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)).tanh())
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(input, inplace: bool = False) -> Tensor:
    """x·σ(x), also called swish.

        >>> silu(Tensor([0.0, 1.0]))
        tensor([0.       , 0.7310586])
    """
    x = as_tensor(input, "silu")
    return x * x.sigmoid()


def mish(input, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x)).

        >>> mish(Tensor([0.0, 1.0]))
        tensor([0.       , 0.8650984])
    """
    x = as_tensor(input, "mish")
    return x * x.softplus().tanh()


def logsigmoid(input) -> Tensor:
    """log σ(x) = −softplus(−x), without overflow for large |x|.

        >>> logsigmoid(Tensor([0.0]))
        tensor([-0.6931472])
    """
    return -(-as_tensor(input, "logsigmoid")).softplus()


def softsign(input) -> Tensor:
    """x / (1 + |x|).

        >>> softsign(Tensor([1.0, -3.0]))
        tensor([ 0.5 , -0.75])
    """
    x = as_tensor(input, "softsign")
    return x / (1 + x.abs())


def tanhshrink(input) -> Tensor:
    """x − tanh(x).

        >>> tanhshrink(Tensor([0.0]))
        tensor([0.])
    """
    x = as_tensor(input, "tanhshrink")
    return x - x.tanh()


def _softmax_dim(name: str, ndim: int) -> int:
    """PyTorch's choice when no dim is given (with its warning): 0 for 0-, 1- and 3-D
    inputs, else 1."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def _along_dim(name: str, input, dim, dtype, axis) -> tuple[Tensor, int]:
    x = as_tensor(input, name)
    if dtype is not None:
        x = x.to(dtype)
    dim = axis if axis is not None else dim
    return x, _softmax_dim(name, x.ndim) if dim is None else dim


def softmax(input, dim: int | None = None, _stacklevel: int = 3, dtype=None, *,
            axis: int | None = None) -> Tensor:
    """e^xᵢ / Σⱼ e^xⱼ along ``dim`` (``axis`` too): probabilities that sum to 1.

        >>> softmax(Tensor([[0.0, 0.0]]), dim=1)
        tensor([[0.5, 0.5]])
    """
    x, dim = _along_dim("softmax", input, dim, dtype, axis)
    return x.softmax(dim)


def softmin(input, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """softmax(−x) along ``dim``: the largest share goes to the smallest value.

        >>> softmin(Tensor([[0.0, 0.0]]), dim=1)
        tensor([[0.5, 0.5]])
    """
    x, dim = _along_dim("softmin", input, dim, dtype, None)
    return (-x).softmax(dim)


def log_softmax(input, dim: int | None = None, _stacklevel: int = 3, dtype=None, *,
                axis: int | None = None) -> Tensor:
    """log(softmax(x)) along ``dim``, computed without overflow or log(0).

        >>> log_softmax(Tensor([[0.0, 0.0]]), dim=1)
        tensor([[-0.6931472, -0.6931472]])
    """
    x, dim = _along_dim("log_softmax", input, dim, dtype, axis)
    return x.log_softmax(dim)


# --- the modules --------------------------------------------------------------------------


class _Activation(Module):
    """An activation layer: it calls its ``function`` with its ``constants`` (attributes
    of the same names as the function's arguments) and shows them in its repr, as
    PyTorch's layers do, with ``inplace=True`` when it was asked for."""

    constants: tuple = ()
    inplace = False

    def forward(self, input) -> Tensor:
        return type(self).function(input, *(getattr(self, c) for c in self.constants))

    def extra_repr(self) -> str:
        shown = [f"{c}={getattr(self, c)!r}" for c in self.constants]
        return ", ".join(shown + (["inplace=True"] if self.inplace else []))


class _TakesInplace(_Activation):
    """An activation whose only argument is PyTorch's ``inplace``."""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace


class ReLU(_TakesInplace):
    """max(x, 0) elementwise.

        >>> ReLU()(np.array([-1.0, 2.0]))
        tensor([0., 2.], dtype=float64)
    """

    function = relu


class ReLU6(_TakesInplace):
    """min(max(x, 0), 6) elementwise.

        >>> ReLU6()(Tensor([-1.0, 8.0]))
        tensor([0., 6.])
    """

    function = relu6


class SELU(_TakesInplace):
    """scale·elu(x, α), self-normalising; see :func:`selu`.

        >>> SELU()(Tensor([0.0]))
        tensor([0.])
    """

    function = selu


class SiLU(_TakesInplace):
    """x·σ(x) elementwise.

        >>> SiLU()(Tensor([0.0]))
        tensor([0.])
    """

    function = silu


class Mish(_TakesInplace):
    """x·tanh(softplus(x)) elementwise.

        >>> Mish()(Tensor([0.0]))
        tensor([0.])
    """

    function = mish


class Sigmoid(_Activation):
    """σ(x) = 1 / (1 + e^−x) elementwise.

        >>> Sigmoid()(Tensor([0.0]))
        tensor([0.5])
    """

    function = sigmoid


class Tanh(_Activation):
    """tanh(x) elementwise.

        >>> Tanh()(Tensor([0.0]))
        tensor([0.])
    """

    function = tanh


class LogSigmoid(_Activation):
    """log σ(x) elementwise.

        >>> LogSigmoid()(Tensor([0.0]))
        tensor([-0.6931472])
    """

    function = logsigmoid


class Softsign(_Activation):
    """x / (1 + |x|) elementwise.

        >>> Softsign()(Tensor([1.0]))
        tensor([0.5])
    """

    function = softsign


class Tanhshrink(_Activation):
    """x − tanh(x) elementwise.

        >>> Tanhshrink()(Tensor([0.0]))
        tensor([0.])
    """

    function = tanhshrink


class LeakyReLU(_Activation):
    """x for x > 0, ``negative_slope``·x otherwise.

        >>> LeakyReLU(0.1)(Tensor([-2.0]))
        tensor([-0.2])
    """

    function, constants = leaky_relu, ("negative_slope",)

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace


class ELU(_Activation):
    """x for x > 0, α(eˣ − 1) otherwise.

        >>> ELU()(Tensor([1.0]))
        tensor([1.])
    """

    function, constants = elu, ("alpha",)

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace


class Softplus(_Activation):
    """log(1 + e^(βx)) / β, a smooth ReLU (x itself where βx > ``threshold``).

        >>> Softplus()(Tensor([0.0]))
        tensor([0.6931472])
    """

    function, constants = softplus, ("beta", "threshold")

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold


class Hardtanh(_Activation):
    """x clamped to [min_val, max_val].

        >>> Hardtanh()(Tensor([-3.0, 0.5]))
        tensor([-1. ,  0.5])
    """

    function, constants = hardtanh, ("min_val", "max_val")

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
        super().__init__()
        if max_val <= min_val:
            raise ValueError(f"Hardtanh: max_val ({max_val}) must be greater than min_val "
                             f"({min_val})")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace


class GELU(_Activation):
    """x·Φ(x), Φ the standard normal CDF (``approximate="tanh"``: its tanh form).

        >>> GELU()(Tensor([0.0]))
        tensor([0.])
    """

    function, constants = gelu, ("approximate",)

    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = approximate


class _AlongDim(_Activation):
    """An activation along one dim, ``dim`` (``axis=`` too); None: PyTorch's implicit
    choice, with its warning."""

    constants = ("dim",)

    def __init__(self, dim: int | None = None, *, axis: int | None = None):
        super().__init__()
        self.dim = axis if axis is not None else dim


class Softmax(_AlongDim):
    """Probabilities along ``dim`` (``axis=`` too). For training, give the logits to
    ``cross_entropy`` instead: it includes the softmax, stably.

        >>> Softmax(dim=1)(Tensor([[0.0, 0.0]]))
        tensor([[0.5, 0.5]])
    """

    function = softmax


class LogSoftmax(_AlongDim):
    """log(softmax(x)) along ``dim``, for ``nll_loss``.

        >>> LogSoftmax(dim=1)(Tensor([[0.0, 0.0]]))
        tensor([[-0.6931472, -0.6931472]])
    """

    function = log_softmax


class Softmin(_AlongDim):
    """softmax(−x) along ``dim``.

        >>> Softmin(dim=0)(Tensor([0.0, 0.0]))
        tensor([0.5, 0.5])
    """

    function = softmin


class PReLU(Module):
    """x for x > 0, a·x otherwise, with the slope a learned: one slope for every channel
    (``num_parameters=1``) or one per channel, starting at ``init``.

        >>> layer = PReLU()
        >>> layer(Tensor([-2.0, 2.0]))
        tensor([-0.5,  2. ], grad_fn=<AddBackward>)
        >>> list(layer.state_dict())
        ['weight']
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = num_parameters
        self.weight = Parameter(np.full(num_parameters, init, dtype or get_default_dtype()))
        if device is not None:
            self.to(device)

    def forward(self, input) -> Tensor:
        return prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
