r"""Batch normalisation: ``batch_norm``, ``BatchNorm1d`` and ``BatchNorm2d``, as PyTorch's.

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

from . import ops
from .inputs import as_tensor
from .module import Module, Parameter


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5) -> Tensor:
    """Batch normalisation over axis 1 (the channels), as ``torch.nn.functional.batch_norm``.

        >>> x = Tensor.randn(32, 16, 8, 8)
        >>> mean, var = np.zeros(16, np.float32), np.ones(16, np.float32)
        >>> batch_norm(x, mean, var, training=True).shape     # mean and var updated too
        Size([32, 16, 8, 8])

    With ``training`` it uses the batch's statistics and, unless they are None, updates
    ``running_mean`` and ``running_var`` in place; otherwise it uses them.
    """
    x = as_tensor(x, "batch_norm")
    if training:
        axes = ops.other_axes(x.data)
        count = x.numel() // x.shape[1]
        if count < 2:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input of shape {tuple(x.shape)}")
        mean, var = x.data.mean(axis=axes), x.data.var(axis=axes)
        if running_mean is not None:
            running_mean *= 1 - momentum
            running_mean += momentum * mean
            running_var *= 1 - momentum
            running_var += momentum * var * (count / (count - 1))  # unbiased, as PyTorch
    else:
        mean, var = np.asarray(running_mean), np.asarray(running_var)
    affine = () if weight is None else (weight, bias)
    return ops.batch_norm[training, weight is not None](x, *affine, mean=mean, var=var, eps=eps)


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input they accept."""

    dims: tuple = ()  # the input dimensions the layer accepts
    # Checkpoints from before PyTorch 0.4.1 have no num_batches_tracked; PyTorch then keeps
    # the counter as it is (0 in a new layer), and so does load_state_dict here.
    _optional_buffers = ("num_batches_tracked",)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = get_default_dtype()
        self.weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype))
            self.register_buffer("num_batches_tracked", np.array(0, np.int64))

    def forward(self, x) -> Tensor:
        shape = np.shape(x)
        if len(shape) not in self.dims or shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}({self.num_features}): expected "
                             f"{' or '.join(f'{d}-D' for d in self.dims)} input with "
                             f"{self.num_features} channels on axis 1, got shape {shape}")
        use_batch_stats = self.training or not self.track_running_stats
        momentum = self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            if momentum is None:  # PyTorch's cumulative moving average: an equal-weight mean
                momentum = 1.0 / float(self.num_batches_tracked)
        running = (self.running_mean, self.running_var) if self.track_running_stats else \
            (None, None)
        return batch_norm(x, *running, self.weight, self.bias, use_batch_stats, momentum,
                          self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


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
