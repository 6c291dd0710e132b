"""Resizing, as ``torch.nn.functional.interpolate``: the function ``interpolate`` and the
layers ``Upsample``, ``UpsamplingNearest2d`` and ``UpsamplingBilinear2d``.

Each output position along a resized dim reads one input position (``"nearest"``) or
mixes two neighbours (``"linear"``, ``"bilinear"``, ``"trilinear"``): ``(1 − λ)·x[i₀] +
λ·x[i₁]``. So a resize is one pick of input positions per dim (``index_select``, whose
gradient adds back into each position picked) and, for the linear modes, two picks
mixed with constant weights; the positions and weights are PyTorch's.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor

from .inputs import as_tensor
from .module import Module

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}  # the spatial dims each mode takes


def _per_dim(value, count: int, name: str) -> tuple:
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * count
    if len(values) != count:
        raise ValueError(f"interpolate: {name} must have {count} entries for an input with "
                         f"{count} spatial dims, got {value}")
    return values


def _nearest(size: int, out: int, scale: float) -> np.ndarray:
    """PyTorch's source of each output position in ``"nearest"`` mode: ⌊i·scale⌋, with
    scale in float32 as PyTorch computes it, at most the last position."""
    if out == size:
        return np.arange(out)
    if out == 2 * size:
        return np.arange(out) // 2
    return np.minimum(np.floor(np.arange(out, dtype=np.float32) * np.float32(scale)),
                      size - 1).astype(np.int64)


def _linear(size: int, out: int, scale: float, align_corners: bool):
    """The two neighbours of each output position and the second one's weight λ."""
    if align_corners:
        source = np.arange(out) * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:  # pixel centres line up: position i of the output is at (i + ½)·scale − ½
        source = np.maximum((np.arange(out) + 0.5) * scale - 0.5, 0.0)
    first = np.minimum(np.floor(source).astype(np.int64), size - 1)
    second = np.minimum(first + 1, size - 1)
    return first, second, source - first


def interpolate(input, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize the spatial dims of a batch (N, C, ...) to ``size``, or by ``scale_factor``,
    as ``torch.nn.functional.interpolate``; ``mode`` is ``"nearest"``, ``"linear"`` (3-D
    input), ``"bilinear"`` (4-D) or ``"trilinear"`` (5-D).

        >>> x = Tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
        >>> interpolate(x, scale_factor=2)[0, 0]
        tensor([[1., 1., 2., 2.],
                [1., 1., 2., 2.],
                [3., 3., 4., 4.],
                [3., 3., 4., 4.]])
        >>> interpolate(x, size=3, mode="bilinear", align_corners=True)[0, 0]
        tensor([[1. , 1.5, 2. ],
                [2. , 2.5, 3. ],
                [3. , 3.5, 4. ]])

    With ``align_corners=True`` the corner pixels of input and output coincide; with
    False (the default) their outer edges do.
    """
    x = as_tensor(input, "interpolate")
    spatial = x.ndim - 2
    if spatial < 1:
        raise ValueError(f"interpolate: expected a batch (N, C, ...) with spatial dims, got "
                         f"shape {tuple(x.shape)}")
    if mode != "nearest" and _LINEAR.get(mode) != spatial:
        raise ValueError(f"interpolate: mode {mode!r} does not fit an input with {spatial} "
                         f"spatial dims; use 'nearest', or "
                         f"{[m for m, d in _LINEAR.items() if d == spatial][0]!r}")
    if mode == "nearest" and align_corners is not None:
        raise ValueError("interpolate: align_corners option can only be set with the "
                         "interpolating modes: linear | bilinear | trilinear")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give either size or scale_factor, not both")
    sizes = x.shape[2:]
    if size is not None:
        outs = _per_dim(size, spatial, "size")
        scales = [s / o for s, o in zip(sizes, outs)]
    else:
        factors = _per_dim(scale_factor, spatial, "scale_factor")
        outs = [math.floor(s * f) for s, f in zip(sizes, factors)]
        scales = [s / o if recompute_scale_factor else 1 / f
                  for s, o, f in zip(sizes, outs, factors)]
    # the last dim first, as PyTorch mixes them
    for dim, size_in, out, scale in reversed(list(zip(range(2, x.ndim), sizes, outs, scales))):
        if mode == "nearest":
            x = x.index_select(dim, Tensor(_nearest(size_in, out, scale), dtype=np.int64))
            continue
        first, second, weight = _linear(size_in, out, scale, bool(align_corners))
        shape = (-1,) + (1,) * (x.ndim - 1 - dim)  # λ along this dim
        weight = Tensor(weight.reshape(shape), dtype=x.dtype).to(x.device)
        x = (x.index_select(dim, Tensor(first, dtype=np.int64)) * (1 - weight)
             + x.index_select(dim, Tensor(second, dtype=np.int64)) * weight)
    return x


class Upsample(Module):
    """Resizing as a layer; see :func:`interpolate`.

        >>> Upsample(scale_factor=2)(Tensor.ones(1, 3, 4, 4)).shape
        Size([1, 3, 8, 8])
    """

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest",
                 align_corners: bool | None = None, recompute_scale_factor: bool | None = None):
        super().__init__()
        self.size = tuple(size) if isinstance(size, (tuple, list)) else size
        self.scale_factor = tuple(map(float, scale_factor)) if isinstance(
            scale_factor, (tuple, list)) else (float(scale_factor) if scale_factor else None)
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, x) -> Tensor:
        return interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners,
                           self.recompute_scale_factor)

    def extra_repr(self) -> str:
        shown = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None \
            else f"size={self.size!r}"
        return f"{shown}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour resizing of images.

        >>> UpsamplingNearest2d(scale_factor=2)(Tensor.ones(1, 1, 2, 2)).shape
        Size([1, 1, 4, 4])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear resizing of images, with ``align_corners=True`` (as PyTorch's).

        >>> UpsamplingBilinear2d(scale_factor=2)(Tensor.ones(1, 1, 2, 2)).shape
        Size([1, 1, 4, 4])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
