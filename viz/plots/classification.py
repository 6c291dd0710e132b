"""Pictures of a classifier: its decision regions in 2-D, and its confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from autograd import Tensor, Value, no_grad

from ._common import new_figure


def plot_decision_boundary(model, X, y, resolution: int | None = None,
                           class_names: Sequence[str] | None = None) -> Figure:
    """The regions a 2-D classifier assigns to each class, with the data on top.

    ``model`` maps an (N, 2) array to logits or probabilities, shape (N,) or (N, 1) for
    two classes, (N, K) for K; a Tensor or an ndarray. A model whose parameters are Values
    (``nn.scalar.MLP``) is called on one point ``[x1, x2]`` at a time instead. Outputs all
    within [0, 1] are read as probabilities, anything else as logits. The colour fades
    where the model is unsure. Call ``model.eval()`` first if it has Dropout or BatchNorm.

        >>> X = np.array([[0.0, 0.0], [0.2, 0.1], [1.0, 0.4], [0.6, 1.0]]); y = [0, 0, 1, 1]
        >>> model = lambda X: X.sum(axis=1) - 0.8   # logits: class 1 above x1 + x2 = 0.8
        >>> fig = plot_decision_boundary(model, X, y)
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y).astype(int).ravel()
    scalar = _is_scalar_model(model)
    # A Value network runs point by point in Python: a coarser grid keeps it to seconds.
    resolution = resolution or (40 if scalar else 200)
    margin = 0.1 * (X.max(axis=0) - X.min(axis=0))
    x1 = np.linspace(X[:, 0].min() - margin[0], X[:, 0].max() + margin[0], resolution)
    x2 = np.linspace(X[:, 1].min() - margin[1], X[:, 1].max() + margin[1], resolution)
    grid = np.stack(np.meshgrid(x1, x2), axis=-1).reshape(-1, 2)
    with no_grad():
        if scalar:
            out = [_floats(model([float(a), float(b)])) for a, b in grid]
        else:
            out = model(grid)
    proba = _class_probabilities(np.asarray(out, dtype=float))
    colors = np.array(plt.get_cmap("tab10").colors)

    # Each pixel: its class's colour, mixed with white by how sure the model is there.
    k = proba.shape[1]
    predicted, confidence = proba.argmax(axis=1), proba.max(axis=1)
    strength = (0.1 + 0.4 * (confidence - 1 / k) / (1 - 1 / k))[:, None]
    pixels = (1 - strength) + strength * colors[predicted % 10]
    fig = new_figure(6.0, 5.0)
    ax = fig.add_subplot()
    ax.imshow(pixels.reshape(resolution, resolution, 3), origin="lower", aspect="auto",
              extent=(x1[0], x1[-1], x2[0], x2[-1]), interpolation="bilinear")
    # The edge of class c's region is where its probability equals the best of the others;
    # contouring that difference at 0 gives a smooth line rather than pixel steps.
    for c in range(k):
        lead = proba[:, c] - np.delete(proba, c, axis=1).max(axis=1)
        ax.contour(x1, x2, lead.reshape(resolution, resolution), levels=[0.0], colors="0.2",
                   linewidths=1.5)
    for c in range(max(k, y.max() + 1)):
        ax.scatter(*X[y == c].T, s=24, color=colors[c % 10], edgecolor="0.15", linewidth=0.5,
                   label=class_names[c] if class_names else f"class {c}")
    ax.set(title="Decision boundary", xlabel="$x_1$", ylabel="$x_2$")
    ax.legend(loc="best", framealpha=0.9)
    return fig


def _is_scalar_model(model) -> bool:
    """A model built from Values (``nn.scalar``) takes one point, not a batch."""
    parameters = model.parameters() if hasattr(model, "parameters") else []
    return len(parameters) > 0 and isinstance(parameters[0], Value)


def _floats(out) -> list[float]:
    """A scalar model's output, one Value or a list of them, as plain numbers."""
    return [v.data for v in out] if isinstance(out, (list, tuple)) else [out.data]


def _class_probabilities(out: np.ndarray) -> np.ndarray:
    """(N, K) class probabilities from logits or probabilities, by chainrule's own ops.

    One number per point is the probability (or the logit) of class 1 of two classes.
    """
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    probabilities = bool(((out >= 0) & (out <= 1)).all())
    if out.ndim == 1:
        p1 = out if probabilities else Tensor(out).sigmoid().data
        return np.stack([1 - p1, p1], axis=1)
    return out if probabilities else Tensor(out).softmax(axis=1).data


def plot_confusion_matrix(y_true, y_pred, class_names: Sequence[str] | None = None,
                          normalize: bool = False) -> Figure:
    """How often each true class (rows) was predicted as each class (columns).

    With ``normalize`` each row is divided by its total, so the diagonal shows the
    fraction of each class that was recognised (its recall).

        >>> fig = plot_confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2], class_names=["a", "b", "c"])
        >>> int(fig.axes[0].images[0].get_array()[2, 2])   # both c's predicted as c
        2
    """
    y_true = np.asarray(y_true).astype(int).ravel()
    y_pred = np.asarray(y_pred).astype(int).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"plot_confusion_matrix: {y_true.size} true labels but {y_pred.size} "
                         "predictions")
    k = len(class_names) if class_names else int(max(y_true.max(), y_pred.max())) + 1
    # The pair (true, predicted) is bin k·true + predicted; bincount counts all pairs at once.
    counts = np.bincount(k * y_true + y_pred, minlength=k * k).reshape(k, k)
    shown = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalize else counts
    accuracy = np.trace(counts) / max(counts.sum(), 1)

    size = max(4.0, 0.55 * k + 2.0)
    fig = new_figure(size + 1.0, size)
    ax = fig.add_subplot()
    image = ax.imshow(shown, cmap="Blues", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.8,
                 label="fraction of the true class" if normalize else "count")
    for (i, j), value in np.ndenumerate(shown):
        if counts[i, j] == 0:   # an empty cell stays blank, so that the mistakes stand out
            continue
        color = "white" if value > 0.6 * shown.max() else "black"   # white on dark cells
        ax.text(j, i, f"{value:.2f}" if normalize else f"{value:d}", ha="center", va="center",
                fontsize=10 if k <= 10 else 7, color=color)
    names = class_names or [str(i) for i in range(k)]
    slanted = max(map(len, names)) > 3  # long names side by side would run into each other
    ax.set_xticks(range(k), names, rotation=45 if slanted else 0,
                  ha="right" if slanted else "center")
    ax.set_yticks(range(k), names)
    ax.set(title=f"Confusion matrix (accuracy {accuracy:.1%})", xlabel="predicted class",
           ylabel="true class")
    return fig
