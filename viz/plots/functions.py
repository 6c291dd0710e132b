"""Activation functions and losses, each drawn with its derivative from the engine."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from operator import methodcaller
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure

from autograd import Tensor, Value, concatenate
from autograd.notation import d, fill, format_number
from autograd.rules import FUNCTIONS
from nn import functional as F

from ._common import axes_grid, new_figure


def _with_derivative(fn: Callable, xs: np.ndarray, leaf: Callable) -> tuple[np.ndarray, ...]:
    """``fn(x)`` and ``dfn/dx`` at each x, the derivative from a backward pass.

    ``leaf(x)`` makes the input node (a Value, or a Tensor that requires grad); the
    backward pass leaves the derivative in its ``.grad``.
    """
    values, slopes = [], []
    for x in xs:
        node = leaf(x)
        out = fn(node)
        out.backward()
        values.append(float(out.data))
        slopes.append(float(node.grad))
    return np.array(values), np.array(slopes)


def _curve(ax, xs, values, slopes, label: str, slope_label: str) -> None:
    """A function (solid) and its derivative (dashed) on one axes, each broken where it
    jumps (ReLU's derivative at 0) instead of joined by a vertical line."""
    ax.plot(*_broken_at_jumps(xs, values), color="C0", linewidth=2, label=label)
    ax.plot(*_broken_at_jumps(xs, slopes), color="C3", linewidth=2, linestyle="--",
            label=slope_label)
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.grid(alpha=0.3)


def _broken_at_jumps(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``xs, ys`` with a nan between two samples where ``ys`` jumps, so that the line
    stops there: a step of more than a tenth of the curve's range, and more than twenty
    times the steps beside it (a steep but smooth curve changes gradually).

        >>> _broken_at_jumps(np.arange(5.0), np.array([0, 0, 0, 1, 1.0]))[1]
        array([ 0.,  0.,  0., nan,  1.,  1.])
    """
    steps = np.abs(np.diff(ys))
    beside = np.maximum(np.concatenate([[0.0], steps[:-1]]), np.concatenate([steps[1:], [0.0]]))
    span = np.nanmax(ys) - np.nanmin(ys) if len(ys) else 0.0
    jumps = np.flatnonzero((steps > 0.1 * span) & (steps > 20 * beside))
    return np.insert(xs, jumps + 1, np.nan), np.insert(ys, jumps + 1, np.nan)


def plot_activations(names: Sequence = ("sigmoid", "tanh", "relu", "leaky_relu", "elu",
                                        "softplus"),
                     x_range: tuple[float, float] = (-4.0, 4.0), ncols: int = 3) -> Figure:
    """Each activation function with its derivative, one axes per function.

    The derivative is not typed in a second time: it is what ``backward()`` gives for the
    Value op of that name, and the legend shows that op's own formulas. An entry may carry
    keyword arguments, as in ``("leaky_relu", {"alpha": 0.1})``.

        >>> fig = plot_activations(["sigmoid", "tanh", ("leaky_relu", {"alpha": 0.1})])
        >>> sigmoid_slope = fig.axes[0].lines[1]
        >>> sigmoid_slope.get_ydata()[sigmoid_slope.get_xdata() == 0]      # σ(0)(1 − σ(0))
        array([0.25])
    """
    entries = [(entry, {}) if isinstance(entry, str) else entry for entry in names]
    for name, _ in entries:
        if name not in FUNCTIONS:
            raise ValueError(f"plot_activations: unknown function {name!r}; choose from "
                             f"{sorted(FUNCTIONS)}")
    xs = np.linspace(*x_range, 401)  # an odd count: x = 0 is a point of a symmetric range
    ncols = min(ncols, len(entries))
    fig = new_figure(3.6 * ncols, 3.0 * math.ceil(len(entries) / ncols))
    for ax, (name, params) in zip(axes_grid(fig, len(entries), ncols), entries):
        op, call = FUNCTIONS[name], methodcaller(name, **params)  # call(v) is v.name(**params)
        values, slopes = _with_derivative(call, xs, Value)
        node = call(Value(0.0))  # the parameters the op received, e.g. alpha = 0.01
        symbols = {"0": "x", **{k: format_number(v, None)
                                for k, v in node.op.describe(node).items()
                                if v is not None}}
        _curve(ax, xs, values, slopes, "f(x) = " + fill(op.expression, symbols),
               "f′(x) = " + fill(op.formulas[0], symbols))
        ax.axvline(0, color="0.6", linewidth=0.8)
        ax.set(title=name, xlabel="x")
        ax.legend(fontsize=8, loc="upper left")
    return fig


class _LossCurve(NamedTuple):
    """One loss as a function of one prediction, the target held fixed."""
    prediction: str                   # what the x axis is
    symbol: str                       # its letter in the formula
    x_range: tuple[float, float]
    target: str
    formula: str                      # the loss written out for this target
    loss: Callable[[Tensor], Tensor]  # the loss of a 0-d prediction, by nn.functional


_LOSS_CURVES = {
    "mse_loss": _LossCurve(
        "prediction ŷ", "ŷ", (-1.0, 3.0), "target y = 1", "(ŷ − 1)²",
        lambda p: F.mse_loss(p.reshape(1), np.ones(1))),
    "binary_cross_entropy": _LossCurve(
        "predicted probability p", "p", (0.02, 1.0), "target y = 1", "−log p",
        lambda p: F.binary_cross_entropy(p.reshape(1), np.ones(1))),
    "cross_entropy": _LossCurve(
        "logit z₀ of the true class (z₁ = z₂ = 0)", "z₀", (-4.0, 4.0), "class 0 of 3",
        "−log softmax(z)₀",
        lambda z: F.cross_entropy(concatenate([z.reshape(1), Tensor([0.0, 0.0])]).reshape(1, 3),
                                  np.array([0]))),
    "hinge_loss": _LossCurve(
        "score s", "s", (-2.0, 3.0), "label y = +1", "max(0, 1 − s)",
        lambda s: F.hinge_loss(s.reshape(1), np.ones(1))),
}


def plot_losses(names: Sequence[str] = tuple(_LOSS_CURVES)) -> Figure:
    """Losses of ``nn.functional`` as functions of the prediction, with their derivatives.

    The target is held fixed (a positive example); the derivative comes from
    ``backward()`` through the loss, as in training. The y axis is scaled to the loss, so
    a steep derivative runs off it (binary cross-entropy's −1/p near p = 0).

        >>> fig = plot_losses(["mse_loss", "hinge_loss"])
        >>> fig.axes[1].get_title()
        'hinge_loss, label y = +1'
    """
    for name in names:
        if name not in _LOSS_CURVES:
            raise ValueError(f"plot_losses: unknown loss {name!r}; choose from "
                             f"{list(_LOSS_CURVES)}")
    fig = new_figure(3.9 * len(names), 3.4)
    for ax, name in zip(axes_grid(fig, len(names), len(names)), names):
        curve = _LOSS_CURVES[name]
        xs = np.linspace(*curve.x_range, 301)
        values, slopes = _with_derivative(
            curve.loss, xs, lambda x: Tensor(x, requires_grad=True, dtype=np.float64))
        _curve(ax, xs, values, slopes, "L = " + curve.formula, d("L", curve.symbol))
        top = np.abs(values).max()
        ax.set_ylim(max(min(values.min(), slopes.min()), -top) - 0.08 * top, 1.08 * top)
        ax.set(title=f"{name}, {curve.target}", xlabel=curve.prediction)
        ax.legend(fontsize=8)
    return fig
