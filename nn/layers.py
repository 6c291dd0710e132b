"""Layers for multilayer perceptrons and embeddings: ``Linear``, ``LazyLinear``,
``Identity``, ``Flatten``, ``Unflatten`` and ``Embedding`` (with its function
``embedding``). Each accepts a Tensor or a NumPy array.

The activation layers are in :mod:`nn.activations`, the containers (``Sequential``,
``ModuleList``, ...) in :mod:`nn.containers`."""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, get_default_dtype

from . import init, ops
from .activations import _select
from .inputs import as_tensor
from .module import Module, Parameter, UninitializedParameter


def linear(x, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias``, with ``weight`` of shape (out, in), as PyTorch's.

        >>> W, b = Tensor.ones(2, 3), Tensor.zeros(2)
        >>> linear(np.ones((4, 3)), W, b).shape
        Size([4, 2])

    A NumPy array input takes the weight's dtype, so float64 data from scikit-learn
    feeds a float32 network without turning the whole computation into float64.

    One graph node (:data:`nn.ops.linear`), whose gradients are matmul's rule:
    ∂L/∂x = g @ W, ∂L/∂W = gᵀ @ x, and ∂L/∂b = Σ g over the samples.
    """
    x = as_tensor(x, "linear", dtype=weight.dtype)
    # (on the arrays' shapes: a Tensor's is a Size made on each read, and this runs on
    # every layer call)
    if x.data.ndim == 0 or x.data.shape[-1] != weight.data.shape[1]:  # the layer's words
        raise ValueError(f"linear: the input's last axis must have {weight.shape[1]} "
                         f"features (weight is (out, in) = {tuple(weight.shape)}), got input of "
                         f"shape {tuple(x.shape)}")
    return ops.linear_without_bias(x, weight) if bias is None else ops.linear(x, weight, bias)


class Linear(Module):
    """A fully connected layer, ``y = x @ weightᵀ + bias``, weight of shape (out, in).

        >>> layer = Linear(64, 80)
        >>> layer(np.zeros((5, 64))).shape
        Size([5, 80])

    Initialised as PyTorch's: weight and bias uniform in ±1/√in_features, drawn (weight
    first) from NumPy's global random state.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.empty((out_features, in_features), dtype))
        self.bias = Parameter(np.empty(out_features, dtype)) if bias else None
        self.reset_parameters()
        if device is not None:
            self.to(device)

    def reset_parameters(self) -> None:
        """Draw fresh weights, as at construction."""
        # kaiming_uniform_ with a = √5 is PyTorch's way of writing U(±1/√fan_in).
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x) -> Tensor:
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class LazyLinear(Linear):
    """A ``Linear`` layer that reads ``in_features`` off its first input; from then on it
    is a ``Linear``, as PyTorch's lazy modules become their plain class.

        >>> layer = LazyLinear(10)
        >>> layer
        LazyLinear(in_features=0, out_features=10, bias=True)
        >>> layer(np.zeros((5, 64))).shape
        Size([5, 10])
        >>> layer
        Linear(in_features=64, out_features=10, bias=True)

    Before that call its weight and bias are :class:`UninitializedParameter` objects;
    an optimizer made then keeps working, since they become the parameters in place.
    """

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None):
        Module.__init__(self)
        self.in_features, self.out_features, self._device = 0, out_features, device
        dtype = dtype or get_default_dtype()
        self.weight = UninitializedParameter(dtype=dtype)
        self.bias = UninitializedParameter(dtype=dtype) if bias else None

    def forward(self, x) -> Tensor:
        if isinstance(self.weight, UninitializedParameter):
            self.in_features = np.shape(x)[-1]
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()
            if self._device is not None:
                self.to(self._device)
        else:  # its weight came from load_state_dict
            self.in_features = self.weight.shape[1]
        del self._device
        self.__class__ = Linear
        return Linear.forward(self, x)


class Flatten(Module):
    """Merge the dims ``start_dim`` to ``end_dim`` into one, e.g. images (n, 1, 28, 28)
    to (n, 784); ``start_axis=`` is accepted for ``start_dim``.

        >>> Flatten()(np.zeros((5, 1, 28, 28))).shape
        Size([5, 784])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1, *, start_axis: int | None = None):
        super().__init__()
        self.start_dim = start_dim if start_axis is None else start_axis
        self.end_dim = end_dim

    def forward(self, x) -> Tensor:
        return as_tensor(x, "Flatten").flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size``: the inverse of :class:`Flatten`.

        >>> Unflatten(1, (1, 28, 28))(np.zeros((5, 784))).shape
        Size([5, 1, 28, 28])
    """

    def __init__(self, dim: int, unflattened_size):
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x) -> Tensor:
        return as_tensor(x, "Unflatten").unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Identity(Module):
    """Returns its input unchanged: a placeholder where a layer is optional. It takes (and
    ignores) any arguments, as PyTorch's, so it can stand in for any layer.

        >>> x = Tensor([1.0])
        >>> Identity()(x) is x
        True
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


# --- embeddings -----------------------------------------------------------------------


def _indices(input, name: str) -> np.ndarray:
    """Integer indices from a Tensor, an array or a list."""
    indices = np.asarray(input.data if isinstance(input, Tensor) else input)
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integer indices (an int64 tensor), got "
                        f"{indices.dtype}")
    return indices


def embedding(input, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of ``weight`` (num_embeddings, dim) at the integer ``input``: a lookup
    table, as ``torch.nn.functional.embedding``; the output has shape (*input, dim).

        >>> table = Tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
        >>> embedding(np.array([[2, 1]]), table)
        tensor([[[3., 4.],
                 [1., 2.]]])

    The gradient of the row at ``padding_idx`` stays 0. With ``max_norm``, rows looked
    up whose ``norm_type``-norm is larger are first scaled down to it, in place.
    """
    indices = _indices(input, "embedding")
    count = weight.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= count):
        raise IndexError(f"embedding: index out of range: the table has {count} rows, got "
                         f"indices from {indices.min()} to {indices.max()}")
    if scale_grad_by_freq:
        raise NotImplementedError("embedding: scale_grad_by_freq=True is not supported")
    if max_norm is not None:  # in place and outside the graph, as PyTorch's
        rows = np.unique(indices)
        norms = np.linalg.norm(weight.data[rows], ord=norm_type, axis=1)
        big = norms > max_norm
        weight.data[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(weight.dtype)
    out = weight[indices]
    if padding_idx is not None:
        padding = (indices == padding_idx % count)[..., None]
        out = _select(~padding, out, weight.detach()[indices])
    return out


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``, looked up by
    integer index: word vectors, for instance. The weight starts as N(0, 1) draws, with
    the row at ``padding_idx`` zero.

        >>> words = Embedding(10, 3)
        >>> words(np.array([[1, 2, 4, 5], [4, 3, 2, 9]])).shape
        Size([2, 4, 3])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False, _weight=None,
                 _freeze: bool = False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx must be within the {num_embeddings} "
                                 f"rows, got {padding_idx}")
            padding_idx %= num_embeddings
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        dtype = dtype or get_default_dtype()
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype))
            self.reset_parameters()
        else:
            self.weight = Parameter(np.array(_weight, dtype=dtype))
        self.weight.requires_grad_(not _freeze)
        if device is not None:
            self.to(device)

    def reset_parameters(self) -> None:
        """Draw fresh weights from N(0, 1), the padding row zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0,
                        scale_grad_by_freq: bool = False, sparse: bool = False) -> Embedding:
        """An Embedding holding the given (num_embeddings, dim) table, frozen by default.

            >>> Embedding.from_pretrained(Tensor([[1.0, 2.0]]))(np.array([0]))
            tensor([[1., 2.]])
        """
        table = np.asarray(embeddings.data if isinstance(embeddings, Tensor) else embeddings)
        return cls(*table.shape, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=table, _freeze=freeze, dtype=table.dtype)

    def forward(self, input) -> Tensor:
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                         self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            text += ", scale_grad_by_freq=True"
        return text + (", sparse=True" if self.sparse else "")


