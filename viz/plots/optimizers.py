"""Optimizers from ``nn.optim`` walking over a 2-D surface, and two surfaces to try."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from autograd import Tensor, Value, no_grad

from ._common import new_figure

# Okabe and Ito's colours, told apart with any colour vision, each with its own marker and
# dash pattern: two paths that run together stay distinct, in print too.
PATH_COLORS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
PATH_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
PATH_DASHES = ("-", "--", "-.", ":")


def rosenbrock(x, y):
    """Rosenbrock's banana valley, (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1).

    Written with plain operators, so it takes Values, Tensors or NumPy arrays:

        >>> x, y = Value(0.0), Value(0.0)
        >>> f = rosenbrock(x, y); f.backward()
        >>> x.grad, y.grad                    # −2(1 − x) − 400x(y − x²), 200(y − x²)
        (-2.0, 0.0)
    """
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def saddle(x, y):
    """A saddle, x² − y²: a minimum along x, a maximum along y, flat at (0, 0).

        >>> x, y = Value(1.0), Value(0.001)
        >>> f = saddle(x, y); f.backward()
        >>> x.grad, y.grad                    # 2x, −2y: barely a push along y
        (2.0, -0.002)
    """
    return x ** 2 - y ** 2


def plot_optimizer_paths(fn: Callable, optimizers: dict[str, Callable], start: tuple,
                         steps: int = 200, bounds: tuple = ((-2.0, 2.0), (-1.0, 3.0)),
                         minimum: tuple | None = None) -> Figure:
    """The way each optimizer walks over the surface ``fn(x, y)``, drawn on its contours.

    ``optimizers`` maps a name to a factory that builds the optimizer for a list of
    parameters. x and y are two Values; each optimizer moves them ``steps`` times, with
    ``backward()`` through ``fn(x, y)`` for the gradient. The contours call ``fn`` on
    Tensors, so write it with chainrule's ops (plain operators are fine).

        >>> from nn.optim import SGD, Adam
        >>> paths = {"SGD": lambda p: SGD(p, lr=1e-3), "Adam": lambda p: Adam(p, lr=0.05)}
        >>> fig = plot_optimizer_paths(rosenbrock, paths, start=(-1.2, 1.0), minimum=(1, 1))
        >>> fig.axes[0].get_legend_handles_labels()[1]   # names, each with its final loss
        ['SGD  (f = 3.46)', 'Adam  (f = 2.59)', 'start', 'minimum']
    """
    (x_low, x_high), (y_low, y_high) = bounds
    xs, ys = np.linspace(x_low, x_high, 300), np.linspace(y_low, y_high, 300)
    with no_grad():
        surface = fn(*(Tensor(grid) for grid in np.meshgrid(xs, ys))).data
    # Contours of log(1 + f − min f): equally spaced levels of f itself would all crowd on
    # steep walls (Rosenbrock reaches 2,500) and leave the valley, where the paths run, flat.
    height = np.log1p(surface - surface.min())

    fig = new_figure(8.0, 5.4)
    ax = fig.add_subplot()
    # The surface in grey, so that the coloured paths are what the eye follows.
    ax.contourf(xs, ys, height, levels=20, cmap="Greys", alpha=0.3)
    ax.contour(xs, ys, height, levels=20, colors="0.45", linewidths=0.5, alpha=0.6)
    for i, (name, factory) in enumerate(optimizers.items()):
        path, loss = _descend(fn, factory, start, steps)
        color, marker = PATH_COLORS[i % len(PATH_COLORS)], PATH_MARKERS[i % len(PATH_MARKERS)]
        ax.plot(path[:, 0], path[:, 1], color=color, linewidth=1.8,
                linestyle=PATH_DASHES[i % len(PATH_DASHES)], marker=marker, markersize=4,
                markevery=max(1, len(path) // 12), label=f"{name}  (f = {loss:.3g})")
        ax.plot(*path[-1], color=color, marker=marker, markersize=9, markeredgecolor="black")
    ax.plot(*start, marker="s", color="white", markeredgecolor="black", markersize=9,
            linestyle="none", label="start")
    if minimum is not None:
        ax.plot(*minimum, marker="*", color="gold", markeredgecolor="black", markersize=16,
                linestyle="none", label="minimum")
    ax.set(xlim=(x_low, x_high), ylim=(y_low, y_high), xlabel="x", ylabel="y",
           title=f"{steps} steps on {getattr(fn, '__name__', 'f')}(x, y)")
    # Outside the axes: a legend inside would hide part of some path.
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9)
    return fig


def _descend(fn: Callable, factory: Callable, start: tuple, steps: int) -> tuple:
    """The path of (x, y) under one optimizer, and the loss where it ends."""
    x, y = Value(start[0], label="x"), Value(start[1], label="y")
    optimizer = factory([x, y])
    path = [(x.data, y.data)]
    for _ in range(steps):
        optimizer.zero_grad()
        fn(x, y).backward()
        optimizer.step()
        path.append((x.data, y.data))
        if not (math.isfinite(x.data) and math.isfinite(y.data)):
            break  # diverged: the rest of the path would be inf or nan
    with no_grad():
        return np.array(path), fn(x, y).data
