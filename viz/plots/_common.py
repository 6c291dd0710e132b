"""What the plots share: a fresh figure, images as ``imshow`` wants them, grids of axes."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    """A new Figure (size in inches) that a notebook shows once and pyplot does not keep.

    Jupyter draws a returned Figure through matplotlib's inline backend, which only
    switches itself on when pyplot makes a figure: a bare ``Figure()`` would show as text.
    Closing the figure at once leaves nothing in pyplot's list of open figures, so it
    neither leaks nor appears a second time at the end of the cell.
    """
    fig = plt.figure(figsize=(width, height), layout="constrained")
    plt.close(fig)
    return fig


def axes_grid(parent, n: int, ncols: int) -> list:
    """``n`` axes in rows of ``ncols`` on a Figure or SubFigure; the unused cells of the
    last row are removed, so ``parent.axes`` holds exactly these."""
    nrows = math.ceil(n / ncols)
    axes = parent.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.remove()
    return list(axes[:n])


def image_grid(parent, images: Sequence[np.ndarray], ncols: int, **imshow_kwargs) -> list:
    """Draw ``images`` on a grid of small axes; tick marks go, the frame stays (so that a
    caller can colour it)."""
    axes = axes_grid(parent, len(images), ncols)
    for ax, image in zip(axes, images):
        ax.imshow(image, **imshow_kwargs)
        ax.set_xticks([])
        ax.set_yticks([])
    return axes


def as_image(x) -> np.ndarray:
    """One image as imshow wants it: (H, W) grey, or (H, W, 3) colour scaled to [0, 1].

    Accepts (H, W), (1, H, W), (3, H, W), (H, W, 3) and a flat vector of a square image
    (64 values for sklearn's digits, 784 for MNIST).
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        side = math.isqrt(x.size)
        if side * side != x.size:
            raise ValueError(f"a flat image of {x.size} values is not square; reshape it to "
                             "(H, W) first")
        return x.reshape(side, side)
    if x.ndim == 3 and x.shape[0] in (1, 3):  # channels first, as in the NCHW layout
        x = x.transpose(1, 2, 0)
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim == 3 and x.shape[-1] == 3:
        # imshow clips colours outside [0, 1], so stretch each image to fill that range.
        low, high = x.min(), x.max()
        return (x - low) / (high - low) if high > low else np.zeros_like(x)
    if x.ndim != 2:
        raise ValueError(f"cannot show an image of shape {x.shape}; expected (H, W), "
                         "(1, H, W), (3, H, W), (H, W, 3) or a flat square image")
    return x
