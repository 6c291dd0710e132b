"""A small training loop: :func:`fit`, :func:`evaluate`, :func:`predict`, and the
optimizers known by name (:data:`OPTIMIZERS`).

The loop is the one a learner writes by hand, once::

    for X_batch, y_batch in loader:
        loss = loss_fn(model(X_batch), y_batch)
        optimizer.zero_grad(); loss.backward(); optimizer.step()
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial

import numpy as np
from tqdm import TqdmWarning

from autograd import Tensor, no_grad

from . import functional as F
from . import optim
from .data import DataLoader
from .module import Module
from .utils import data as utils_data

# tqdm.auto's progress bar is a widget in Jupyter and text in a terminal; in Jupyter without
# ipywidgets it is text too, and a warning on import would only say so.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", TqdmWarning)
    from tqdm.auto import tqdm


def accuracy(output, target, threshold: float = 0.0) -> float:
    """The fraction of samples classified right.

        >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]))
        0.5

    With several output columns the predicted class is the largest; the target is integer
    labels or one-hot rows. With a single score per sample the prediction is
    ``score > threshold`` against 0/1 labels, or its sign against ±1 labels; use
    ``threshold=0.5`` for probabilities (after a sigmoid).
    """
    output = np.asarray(output.data if isinstance(output, Tensor) else output)
    target = np.asarray(target)
    if output.ndim == 2 and output.shape[1] > 1:
        labels = target.argmax(axis=1) if target.shape == output.shape else target.ravel()
        return float(np.mean(output.argmax(axis=1) == labels))
    positive = output.ravel() > threshold
    return float(np.mean(positive == (target.ravel() > (0 if target.min() < 0 else 0.5))))


class History(dict):
    """Per-epoch lists of the loss and the metrics, e.g. ``history["val_accuracy"][-1]``;
    a plain dict, so ``viz.plot_history(history)`` draws it.

        >>> from nn import Linear, Sequential
        >>> np.random.seed(0)
        >>> X = np.random.randn(200, 2); y = (X[:, 0] + X[:, 1] > 0).astype(int)
        >>> model = Sequential(Linear(2, 2))
        >>> opt = optim.SGD(model.parameters(), lr=0.5)
        >>> history = fit(model, F.cross_entropy, opt, (X, y), epochs=10, progress=False)
        >>> history["loss"][0] > history["loss"][-1]
        True
    """

    def __repr__(self) -> str:
        last = ", ".join(f"{key}={values[-1]:.4g}" for key, values in self.items() if values)
        epochs = max((len(v) for v in self.values()), default=0)
        return f"History(epochs={epochs}{', ' + last if last else ''})"


def _loader(given, batch_size: int, shuffle: bool) -> utils_data.DataLoader:
    """A DataLoader as given (of arrays or of a Dataset), or one made from an ``(X, y)``
    pair."""
    if isinstance(given, utils_data.DataLoader):
        return given
    return DataLoader(*given, batch_size, shuffle)


def _threshold(loss_fn: Callable) -> float:
    # A model trained with binary_cross_entropy outputs probabilities; with any other
    # loss a single output is a score whose sign is the class.
    return 0.5 if loss_fn is F.binary_cross_entropy else 0.0


def fit(model: Module, loss_fn: Callable, optimizer: optim.Optimizer, train_data,
        epochs: int = 1, val_data=None, metrics=("accuracy",), batch_size: int = 32,
        progress: bool = True) -> History:
    """Train ``model`` for ``epochs`` passes over ``train_data`` and return the History.

        >>> from nn import Linear, Sequential, Sigmoid
        >>> np.random.seed(0)                     # stand-ins for the digits: 64 "pixels"
        >>> X_train = np.random.randn(500, 64); y_train = (X_train[:, :10] > 0).sum(axis=1)
        >>> model = Sequential(Linear(64, 80), Sigmoid(), Linear(80, 10))
        >>> history = fit(model, F.cross_entropy, optim.Adam(model.parameters(), lr=0.01),
        ...               DataLoader(X_train, y_train, batch_size=64, shuffle=True), epochs=20,
        ...               progress=False)
        >>> len(history["loss"]), history["accuracy"][-1] > history["accuracy"][0]
        (20, True)

    ``train_data`` and ``val_data`` are DataLoaders (of arrays, or of a Dataset, whose
    batches are Tensors) or ``(X, y)`` pairs (then batched by ``batch_size``, the
    training pairs shuffled). The loss and metrics of an epoch are
    averaged over its samples, as the batches went by (so the loss is that of the weights
    as they were while learning); the validation ones are measured after the epoch. A
    tqdm bar shows the running loss unless ``progress=False``. ``metrics`` may name
    "accuracy" or hold functions ``f(output, target) -> float``.
    """
    loader = _loader(train_data, batch_size, shuffle=True)
    metric_fns = _metric_functions(metrics, loss_fn)
    history = History({name: [] for name in ["loss", *metric_fns]})
    if val_data is not None:
        history.update({f"val_{name}": [] for name in ["loss", *metric_fns]})
    with tqdm(total=epochs * len(loader), disable=not progress, unit="batch") as bar:
        for epoch in range(epochs):
            bar.set_description(f"epoch {epoch + 1}/{epochs}")
            model.train()
            sums, seen = dict.fromkeys(["loss", *metric_fns], 0.0), 0
            for X_batch, y_batch in loader:
                output = model(X_batch)
                loss = loss_fn(output, y_batch)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                seen += len(X_batch)
                sums["loss"] += loss.item() * len(X_batch)
                for name, fn in metric_fns.items():
                    sums[name] += fn(output, y_batch) * len(X_batch)
                bar.set_postfix(loss=f"{sums['loss'] / seen:.4f}", refresh=False)
                bar.update()
            for name, total in sums.items():
                history[name].append(total / seen)
            if val_data is not None:
                for name, value in evaluate(model, loss_fn, val_data, metrics).items():
                    history[f"val_{name}"].append(value)
            bar.set_postfix({k: f"{v[-1]:.4f}" for k, v in history.items()})
    return history


def _metric_functions(metrics, loss_fn: Callable) -> dict[str, Callable]:
    functions = {}
    for metric in metrics:
        if metric == "accuracy":
            functions["accuracy"] = partial(accuracy, threshold=_threshold(loss_fn))
        elif callable(metric):
            functions[metric.__name__] = metric
        else:
            raise ValueError(f"unknown metric {metric!r}: use 'accuracy' or a function "
                             "f(output, target) -> float")
    return functions


def predict(model: Module, X, batch_size: int = 256) -> np.ndarray:
    """The model's outputs for ``X`` as a NumPy array, in evaluation mode, without a graph.

        >>> from nn import Linear, Sequential
        >>> model = Sequential(Linear(64, 10))
        >>> scores = predict(model, np.zeros((5, 64)))
        >>> scores.shape, type(scores).__name__
        ((5, 10), 'ndarray')
        >>> predicted_digits = scores.argmax(axis=1)
    """
    batches = (X[i:i + batch_size] for i in range(0, len(X), batch_size))
    return np.concatenate(_outputs(model, batches))


def _outputs(model: Module, inputs) -> list[np.ndarray]:
    """The model's output for each batch of ``inputs``, as arrays, in evaluation mode and
    without a graph."""
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            return [np.asarray(model(x).data) for x in inputs]
    finally:
        model.train(was_training)


def evaluate(model: Module, loss_fn: Callable, data, metrics=("accuracy",),
             batch_size: int = 256) -> dict[str, float]:
    """The loss and metrics of ``model`` on ``data``: a DataLoader (of arrays or of a
    Dataset) or an ``(X, y)`` pair.

        >>> from nn import Linear, Sequential
        >>> model = Sequential(Linear(2, 2))
        >>> for p in model.parameters(): p.data[...] = 0   # equal scores for both classes
        >>> evaluate(model, F.cross_entropy, (np.ones((4, 2)), np.array([0, 0, 0, 1])))
        {'loss': 0.6931..., 'accuracy': 0.75}

    With equal scores each class gets p = 1/2, so the loss is log 2; the first class wins
    the ties, so 3 of the 4 labels are right.
    """
    batches = list(_loader(data, batch_size, shuffle=False))
    output = Tensor(np.concatenate(_outputs(model, (x for x, _ in batches))))
    y = np.concatenate([np.asarray(y_batch) for _, y_batch in batches])
    results = {"loss": loss_fn(output, y).item()}
    for name, fn in _metric_functions(metrics, loss_fn).items():
        results[name] = fn(output, y)
    return results


#: The optimizers known by name (the command line's ``--optimizer``), each with a learning
#: rate that trains the course's small classifiers well in a few epochs: Lab 03's digits
#: MLP in a few dozen, the MNIST convnet to 90–96 % test accuracy in one epoch of 8,000
#: images.
OPTIMIZERS = {
    "sgd": (optim.SGD, 0.5), "adagrad": (optim.Adagrad, 0.05), "rmsprop": (optim.RMSprop, 0.01),
    "adam": (optim.Adam, 0.01), "adamw": (optim.AdamW, 0.01),
}
