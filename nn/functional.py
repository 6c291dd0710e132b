"""Layers and losses as plain functions, as ``torch.nn.functional``.

The functions are defined beside their layers and gathered here, as PyTorch gathers
them: the activations in :mod:`nn.activations`, the losses in :mod:`nn.losses`, the
convolutions and pooling in :mod:`nn.conv`, normalisation in :mod:`nn.normalization`,
dropout in :mod:`nn.dropout`, ``pad`` in :mod:`nn.padding`, ``interpolate`` in
:mod:`nn.upsampling`, ``linear`` and ``embedding`` in :mod:`nn.layers`; ``one_hot`` is
autograd's. Defined here are :func:`normalize` and chainrule's own regularisation terms
:func:`l1_penalty` and :func:`l2_penalty`.

Inputs may be Tensors, NumPy arrays, lists or numbers (:func:`nn.inputs.as_tensor`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np  # noqa: F401  (the examples use it)

from autograd import Tensor, Value
from autograd.ops.indexing import one_hot  # noqa: F401  (re-exported, as torch's F.one_hot)

# The functions defined beside their layers, offered here as torch.nn.functional offers them.
from .activations import (  # noqa: F401
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_softmax,
    logsigmoid,
    mish,
    prelu,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softmin,
    softplus,
    softsign,
    tanh,
    tanhshrink,
)
from .conv import (  # noqa: F401
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool2d,
    conv2d,
    conv_transpose2d,
    max_pool2d,
)
from .dropout import dropout, dropout1d, dropout2d  # noqa: F401
from .inputs import as_tensor
from .layers import embedding, linear  # noqa: F401
from .losses import (  # noqa: F401
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from .normalization import batch_norm, group_norm, layer_norm  # noqa: F401
from .padding import pad  # noqa: F401
from .upsampling import interpolate  # noqa: F401


def normalize(input, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """Each vector along ``dim`` divided by its ``p``-norm (at least ``eps``), so that it
    has length 1, as ``torch.nn.functional.normalize``.

        >>> normalize(Tensor([[3.0, 4.0]]))
        tensor([[0.6, 0.8]])
    """
    x = as_tensor(input, "normalize")
    return x / x.norm(p, dim, keepdim=True).clamp(min=eps)


# --- regularisation -------------------------------------------------------------------


def _total(terms) -> Tensor | Value:
    return sum(term.sum() if isinstance(term, Tensor) else term for term in terms)


def l1_penalty(parameters: Iterable) -> Tensor | Value:
    """Σ|w| over all given parameters (Tensors or Values), for ``loss + λ·l1_penalty(...)``.

        >>> l1_penalty([Tensor([1.0, -2.0]), Tensor([[3.0]])])
        tensor(6.)
        >>> from nn import Linear
        >>> model, x, y = Linear(3, 2), np.ones((4, 3)), np.array([0, 1, 1, 0])
        >>> weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
        >>> loss = cross_entropy(model(x), y) + 1e-4 * l1_penalty(weights)
    """
    return _total(p.abs() for p in parameters)


def l2_penalty(parameters: Iterable) -> Tensor | Value:
    """Σw² over all given parameters (Tensors or Values); ``λ/2·l2_penalty`` is the
    textbook weight decay term.

        >>> l2_penalty([Tensor([1.0, -2.0]), Tensor([[3.0]])])
        tensor(14.)
        >>> from nn import Linear
        >>> model, x, y = Linear(3, 2), np.ones((4, 3)), np.array([0, 1, 1, 0])
        >>> loss = cross_entropy(model(x), y) + 1e-4 / 2 * l2_penalty(model.parameters())
    """
    return _total(p * p for p in parameters)
