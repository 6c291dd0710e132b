"""Grids of images: data with labels and predictions, conv filters, feature maps."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from autograd import Tensor, no_grad

from ._common import as_image, image_grid, new_figure

CORRECT_COLOR, WRONG_COLOR = "#2b8a3e", "#c92a2a"


def show_images(images, labels=None, predictions=None, ncols: int = 8,
                class_names: Sequence[str] | None = None) -> Figure:
    """A grid of images titled with their labels; a wrong prediction in red, framed in red.

    ``images`` is (N, H, W), (N, 1, H, W), (N, 3, H, W), (N, H, W, 3), or (N, D) flat
    square images (64 for sklearn's digits, 784 for MNIST).

        >>> X = np.random.default_rng(0).random((16, 64))   # sixteen 8×8 images, flattened
        >>> y = np.arange(16) % 10
        >>> predicted = y.copy(); predicted[3] = 5          # one mistake, shown in red
        >>> fig = show_images(X, y, predictions=predicted)
        >>> fig = show_images(X[:8], ncols=4)              # no labels: just the pictures
    """
    pictures = [as_image(x) for x in images]
    if not pictures:
        raise ValueError("show_images: no images to show")
    ncols = min(ncols, len(pictures))
    fig = new_figure(1.4 * ncols, 1.6 * math.ceil(len(pictures) / ncols))
    axes = image_grid(fig, pictures, ncols, cmap="gray")
    name = (lambda k: class_names[k]) if class_names else str
    for i, ax in enumerate(axes):
        label = None if labels is None else int(labels[i])
        guess = None if predictions is None else int(predictions[i])
        if guess is None:
            ax.set_title("" if label is None else name(label), fontsize=9)
        elif label is None or guess == label:
            ax.set_title(name(guess), fontsize=9, color="black" if label is None else CORRECT_COLOR)
        else:
            ax.set_title(f"{name(guess)} (true {name(label)})", fontsize=9, color=WRONG_COLOR)
            for spine in ax.spines.values():
                spine.set(color=WRONG_COLOR, linewidth=2.5)
    return fig


def plot_filters(conv_layer, max_filters: int = 32) -> Figure:
    """The weights of a Conv2d layer, shape (out, in, kh, kw), as a grid of small images.

    Filters over three input channels are shown in colour, one image per filter.
    Otherwise each (filter, input channel) pair is one image, a row per filter, red for
    positive and blue for negative weights on one shared scale.

        >>> import nn
        >>> conv = nn.Conv2d(1, 8, kernel_size=5)   # after training: edges and blobs
        >>> fig = plot_filters(conv)
    """
    weight = np.asarray(getattr(conv_layer, "weight", conv_layer), dtype=float)
    if weight.ndim != 4:
        raise ValueError(f"plot_filters: expected a Conv2d layer or weights of shape (out, in, "
                         f"kh, kw), got shape {weight.shape}")
    title = f"Conv filters, weight shape {weight.shape}"
    if len(weight) > max_filters:
        title += f", the first {max_filters}"
    weight = weight[:max_filters]
    n_in = weight.shape[1]
    if n_in == 3:
        images, ncols, options = [as_image(w) for w in weight], 8, {}
    else:
        shown_in = min(n_in, 8)  # more columns would make each kernel too small to read
        images = list(weight[:, :shown_in].reshape(-1, *weight.shape[2:]))
        ncols = shown_in if n_in > 1 else 8
        limit = np.abs(weight).max() or 1.0
        options = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    ncols = min(ncols, len(images))
    fig = new_figure(0.9 * ncols + 1.4, 0.95 * math.ceil(len(images) / ncols) + 0.7)
    axes = image_grid(fig, images, ncols, **options)
    if n_in in (1, 3):
        for i, ax in enumerate(axes):
            ax.set_title(str(i), fontsize=8)
    else:
        for i, ax in enumerate(axes[:ncols]):
            ax.set_title(f"in {i}", fontsize=8)
        for i, ax in enumerate(axes[::ncols]):
            ax.set_ylabel(f"filter {i}", fontsize=8)
    if options:
        fig.colorbar(axes[0].images[0], ax=axes, shrink=0.8, label="weight")
    fig.suptitle(title)
    return fig


def plot_feature_maps(model, x, max_channels: int = 8) -> Figure:
    """What each layer makes of one input image: a row of channels per layer output.

    ``x`` is one image, (H, W) or (C, H, W). The model runs once under ``no_grad()``; a
    forward hook on every layer collects its output, and each output that is still a
    batch of images (N, C, H, W) is drawn, its first ``max_channels`` channels, numbered.
    A row shares one colour scale, symmetric about 0 (red positive, blue negative, white
    0), with its colour bar: channels compare at a glance, and a ReLU's zeros read as such.

        >>> import nn
        >>> model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2))
        >>> fig = plot_feature_maps(model, np.random.default_rng(0).random((8, 8)))
        >>> len(fig.subfigs)                  # the input and three layers
        4
    """
    image = np.asarray(x)
    if image.ndim not in (2, 3):
        raise ValueError(f"plot_feature_maps: x must be one image, (H, W) or (C, H, W), got "
                         f"shape {image.shape}")
    batch = image.reshape((1,) * (4 - image.ndim) + image.shape)  # → (1, C, H, W)
    outputs = []
    layers = [(name, m) for name, m in model.named_modules() if not m.children()]
    handles = [layer.register_forward_hook(
        lambda module, inputs, out, name=name: outputs.append((name, module, out)))
        for name, layer in layers]
    try:
        with no_grad():
            model(Tensor(batch))
    finally:
        for handle in handles:
            handle.remove()

    rows = [(f"input {image.shape}", [as_image(batch[0])], "gray")]
    for name, module, out in outputs:
        if out.ndim == 4:
            more = f", the first {max_channels}" if out.shape[1] > max_channels else ""
            # A tuple: a Tensor's shape is a Size, which would print as Size([...]).
            shape = tuple(out.shape[1:])
            title = f"{name or 'model'}: {type(module).__name__} → {shape}{more}"
            rows.append((title, list(out.data[0, :max_channels]), "RdBu_r"))
    ncols = max(len(maps) for _, maps, _ in rows)
    fig = new_figure(1.25 * ncols + 1.0, 1.7 * len(rows))
    for subfig, (title, maps, cmap) in zip(fig.subfigures(len(rows), 1), rows):
        scale = {}
        if cmap == "RdBu_r":
            limit = max(float(np.abs(m).max()) for m in maps) or 1.0
            scale = {"vmin": -limit, "vmax": limit}
        axes = image_grid(subfig, maps, ncols, cmap=cmap, **scale)
        if len(maps) > 1:
            for channel, ax in enumerate(axes):
                ax.set_title(str(channel), fontsize=8, pad=2)
        if maps[0].ndim == 2:   # not a colour image: a bar for its scale
            subfig.colorbar(axes[0].images[0], ax=axes, shrink=0.9, aspect=10, pad=0.02)
        subfig.suptitle(title, x=0.01, ha="left", fontsize=10)
    return fig
