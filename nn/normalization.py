r"""Normalisation, as PyTorch's: ``batch_norm``, ``BatchNorm1d``, ``BatchNorm2d``, and
``layer_norm``/``LayerNorm``, ``group_norm``/``GroupNorm``.

Each channel c is normalised with a mean and a variance taken over every other axis (the
batch, and the pixels of an image), then scaled and shifted by learned γ and β:

.. math::  y = \gamma_c\, \hat x + \beta_c, \qquad
           \hat x = \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}}

In training, μ and σ² are those of the batch (σ² divides by n), and they also feed
running averages, with the *unbiased* variance (divided by n − 1) as PyTorch keeps it:
``running = (1 − momentum) · running + momentum · batch``. In evaluation the running
averages are used instead, so one image gives the same answer alone or in a batch.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor, get_default_dtype
from autograd.kernels import kernels_for

from . import ops
from .inputs import as_tensor
from .module import Module, Parameter


def _array(t):
    return t.data if isinstance(t, Tensor) else t


def _affine(weight, bias, x: Tensor) -> tuple:
    """(γ, β) for the op, or () without them; a missing one of the two is 1 or 0."""
    if weight is None and bias is None:
        return ()
    count = x.shape[1]
    return (np.ones(count, x.dtype) if weight is None else weight,
            np.zeros(count, x.dtype) if bias is None else bias)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5) -> Tensor:
    """Batch normalisation over axis 1 (the channels), as ``torch.nn.functional.batch_norm``.

        >>> x = Tensor.randn(32, 16, 8, 8)
        >>> mean, var = Tensor.zeros(16), Tensor.ones(16)
        >>> batch_norm(x, mean, var, training=True).shape     # mean and var updated too
        Size([32, 16, 8, 8])

    With ``training`` it uses the batch's statistics and, unless they are None, updates
    ``running_mean`` and ``running_var`` (tensors or arrays) in place; otherwise it uses
    them.
    """
    x = as_tensor(input, "batch_norm")
    if training:
        count = x.numel() // x.shape[1]
        if count < 2:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input of shape {tuple(x.shape)}")
        mean, var = ops.batch_statistics(x.data)
        if running_mean is not None:
            running_mean, running_var = _array(running_mean), _array(running_var)
            running_mean *= 1 - momentum
            running_mean += momentum * mean
            running_var *= 1 - momentum
            running_var += momentum * var * (count / (count - 1))  # unbiased, as PyTorch
    else:
        xp = kernels_for(x.data).xp
        mean, var = xp.asarray(_array(running_mean)), xp.asarray(_array(running_var))
    affine = _affine(weight, bias, x)
    return ops.batch_norm[training, bool(affine)](x, *affine, mean=mean, var=var, eps=eps)


def _normalize_rows(x: Tensor, rows: int, eps: float) -> Tensor:
    """x with each of its ``rows`` (x seen as rows × the rest) normalised to mean 0 and
    variance 1: batch normalisation of x as (1, rows, rest), the rows as channels, so
    that the gradient is batch_norm's rule."""
    table = x.reshape(1, rows, -1)
    mean, var = ops.batch_statistics(table.data)
    return ops.batch_norm[True, False](table, mean=mean, var=var, eps=eps).reshape(x.shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    """Normalise each sample over its last dims ``normalized_shape`` (mean 0, variance 1),
    then scale by ``weight`` and shift by ``bias`` (of that shape), as
    ``torch.nn.functional.layer_norm``. Unlike batch norm, it needs no batch and keeps no
    running statistics.

        >>> layer_norm(Tensor([[1.0, 2.0, 3.0]]), (3,))
        tensor([[-1.2247356,  0.       ,  1.2247356]])
    """
    x = as_tensor(input, "layer_norm")
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[x.ndim - len(shape):]) != shape or len(shape) > x.ndim:
        raise ValueError(f"layer_norm: the input's last dims must be {shape}, got shape "
                         f"{tuple(x.shape)}")
    out = _normalize_rows(x, int(np.prod(x.shape[:x.ndim - len(shape)])), eps)
    if weight is not None:
        out = out * weight
    return out if bias is None else out + bias


def group_norm(input, num_groups: int, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    """Normalise each sample's channels in ``num_groups`` groups (each group over its
    channels and pixels), then scale and shift each channel, as
    ``torch.nn.functional.group_norm``. One group is layer norm over (C, H, W); C groups
    are instance norm.

        >>> group_norm(Tensor([[[1.0], [3.0], [5.0], [7.0]]]), 2).flatten()
        tensor([-0.99999, 0.99999, -0.99999, 0.99999])
    """
    x = as_tensor(input, "group_norm")
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise ValueError(f"group_norm: the {x.shape[1] if x.ndim > 1 else 0} channels on axis 1 "
                         f"must split into {num_groups} groups, got shape {tuple(x.shape)}")
    out = _normalize_rows(x, x.shape[0] * num_groups, eps)
    per_channel = (-1,) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * as_tensor(weight, "group_norm").reshape(per_channel)
    return out if bias is None else out + as_tensor(bias, "group_norm").reshape(per_channel)


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input they accept."""

    dims: tuple = ()  # the input dimensions the layer accepts
    # Checkpoints from before PyTorch 0.4.1 have no num_batches_tracked; PyTorch then keeps
    # the counter as it is (0 in a new layer), and so does load_state_dict here.
    _optional_buffers = ("num_batches_tracked",)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device=None,
                 dtype=None, *, bias: bool = True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype))
            self.register_buffer("num_batches_tracked", np.array(0, np.int64))
        if device is not None:
            self.to(device)

    def forward(self, x) -> Tensor:
        shape = np.shape(x)
        if len(shape) not in self.dims or shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}({self.num_features}): expected "
                             f"{' or '.join(f'{d}-D' for d in self.dims)} input with "
                             f"{self.num_features} channels on axis 1, got shape {shape}")
        use_batch_stats = self.training or not self.track_running_stats
        momentum = self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data += 1
            if momentum is None:  # PyTorch's cumulative moving average: an equal-weight mean
                momentum = 1.0 / float(self.num_batches_tracked)
        running = (self.running_mean, self.running_var) if self.track_running_stats else \
            (None, None)
        return batch_norm(x, *running, self.weight, self.bias, use_batch_stats, momentum,
                          self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of features (N, C) or sequences (N, C, L).

        >>> bn = BatchNorm1d(80)
        >>> bn(Tensor.randn(64, 80)).shape
        Size([64, 80])

    Parameters ``weight`` (γ, ones) and ``bias`` (β, zeros); buffers ``running_mean``,
    ``running_var`` and ``num_batches_tracked``, saved in ``state_dict`` as in PyTorch.
    """

    dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of images (N, C, H, W), one mean and variance per channel.

        >>> bn = BatchNorm2d(16)
        >>> bn(Tensor.randn(8, 16, 28, 28)).shape
        Size([8, 16, 28, 28])

    Parameters and buffers as :class:`BatchNorm1d`.
    """

    dims = (4,)


class LayerNorm(Module):
    """Layer normalisation over the last dims ``normalized_shape`` of each sample, with a
    learned scale ``weight`` (ones) and shift ``bias`` (zeros) of that shape; see
    :func:`layer_norm`.

        >>> norm = LayerNorm(80)
        >>> norm(Tensor.randn(64, 80)).shape, list(norm.state_dict())
        (Size([64, 80]), ['weight', 'bias'])
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) \
            else tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.ones(self.normalized_shape, dtype)) \
            if elementwise_affine else None
        self.bias = Parameter(np.zeros(self.normalized_shape, dtype)) \
            if elementwise_affine and bias else None
        if device is not None:
            self.to(device)

    def forward(self, x) -> Tensor:
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine="
                f"{self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    """Group normalisation of ``num_channels`` channels in ``num_groups`` groups, with a
    learned scale and shift per channel; see :func:`group_norm`.

        >>> norm = GroupNorm(4, 16)
        >>> norm(Tensor.randn(8, 16, 5, 5)).shape
        Size([8, 16, 5, 5])
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, device=None, dtype=None, *, bias: bool = True):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by "
                             f"num_groups ({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = (num_groups, num_channels,
                                                                     eps, affine)
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.ones(num_channels, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dtype)) if affine and bias else None
        if device is not None:
            self.to(device)

    def forward(self, x) -> Tensor:
        return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")
