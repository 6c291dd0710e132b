"""Pictures of training: the history of loss and metrics, and how far gradients reach."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from nn import scalar

from ._common import new_figure


def plot_history(history) -> Figure:
    """Training curves per epoch: one axes for the losses, one per metric.

    ``history`` maps names to one number per epoch (``nn.fit`` returns one); a ``val_``
    prefix marks the validation curve of the same quantity, drawn on the same axes. An
    object that keeps such a dict in ``.history`` (Keras's History) works too.

        >>> history = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6],
        ...            "accuracy": [0.6, 0.8, 0.85], "val_accuracy": [0.5, 0.7, 0.75]}
        >>> fig = plot_history(history)         # two axes: loss, accuracy
    """
    history = getattr(history, "history", history)
    families: dict[str, list[str]] = {}
    for key in history:
        families.setdefault(_family(key), []).append(key)
    if not families:
        raise ValueError("plot_history: the history is empty; expected e.g. "
                         "{'loss': [...], 'val_loss': [...]}")
    # The loss first, then the metrics in the order they were recorded.
    names = sorted(families, key=lambda family: family != "loss")
    fig = new_figure(4.6 * len(names), 3.6)
    for ax, family in zip(fig.subplots(1, len(names), squeeze=False)[0], names):
        for key in families[family]:
            values = np.asarray(history[key], dtype=float)
            validation = key.startswith("val_")
            ax.plot(np.arange(1, len(values) + 1), values,
                    marker="o" if len(values) <= 30 else None, markersize=4,
                    color="C1" if validation else "C0", linestyle="--" if validation else "-",
                    label="validation" if validation else "training")
        title = family.replace("_", " ")
        ax.set(title=title.capitalize(), xlabel="epoch", ylabel=title)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        ax.grid(alpha=0.3)
        ax.legend()
    return fig


def _family(key: str) -> str:
    """``"val_accuracy"`` and ``"train_accuracy"`` both belong on the ``"accuracy"`` axes."""
    for prefix in ("val_", "train_"):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def plot_gradient_flow(model, weights_only: bool = True) -> Figure:
    """Mean and max ``|grad|`` per layer after ``backward()``, the input layer on the
    left: in a deep sigmoid network the bars shrink towards the input (vanishing gradients).

    One bar per parameter of ``model.named_parameters()``; ``weights_only`` leaves out the
    biases. The y axis is logarithmic, because gradients of layers a few apart can differ
    by orders of magnitude.

        >>> import nn
        >>> model = nn.Sequential(nn.Linear(4, 8), nn.Sigmoid(), nn.Linear(8, 3))
        >>> X, y = np.ones((5, 4)), np.array([0, 2, 1, 0, 1])
        >>> loss = nn.functional.cross_entropy(model(X), y)
        >>> loss.backward()
        >>> fig = plot_gradient_flow(model)
    """
    named = _gradients(model, weights_only)
    if not any(grad is not None and np.any(grad) for _, grad in named):
        raise ValueError("plot_gradient_flow: no parameter has a nonzero gradient; call "
                         "loss.backward() before plotting")
    # A parameter that the backward pass did not reach (grad None) gets no bar.
    stats = np.array([(np.nan, np.nan) if grad is None else
                      (np.abs(grad).mean(), np.abs(grad).max()) for _, grad in named])
    positions = np.arange(len(named))
    fig = new_figure(max(5.0, 0.55 * len(named) + 2.0), 4.2)
    ax = fig.add_subplot()
    ax.bar(positions, stats[:, 1], width=0.7, color="#a5d8ff", label="max |grad|")
    ax.bar(positions, stats[:, 0], width=0.45, color="#1864ab", label="mean |grad|")
    ax.set_yscale("log")
    ax.set_xticks(positions, [name for name, _ in named], rotation=45, ha="right")
    ax.set(title="Gradient flow", xlabel="parameter (input → output)",
           ylabel="|gradient|  (log scale)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    return fig


def _gradients(model, weights_only: bool) -> list[tuple[str, np.ndarray | None]]:
    """(name, gradient) for each bar.

    A Tensor parameter is a whole layer's weights, one bar. In an ``nn.scalar`` network
    every weight is a Value of its own, so the Values of each Layer are pooled: one bar
    for its weights (``layers.0.w``) and one for its biases (``layers.0.b``).
    """
    layers = [(name, m) for name, m in model.named_modules() if isinstance(m, scalar.Layer)]
    if not layers:
        return [(name, p.grad) for name, p in model.named_parameters()
                if not (weights_only and name.endswith("bias"))]
    named = []
    for name, layer in layers:
        named.append((f"{name}.w", np.array([w.grad for n in layer.neurons for w in n.w])))
        if not weights_only:
            named.append((f"{name}.b", np.array([n.b.grad for n in layer.neurons])))
    return named
