"""Lab 03 end to end: scikit-learn's handwritten digits and the lab's multilayer
perceptron, trained with cross-entropy in mini-batches (:func:`train_digits`)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import functional as F
from .activations import Sigmoid
from .containers import Sequential
from .data import DataLoader
from .layers import Linear
from .module import Module
from .training import OPTIMIZERS, History, fit


class DigitsRun(NamedTuple):
    """What :func:`train_digits` returns: the trained model, its history, its test
    accuracy, and the split it used (so that other models can be compared on it)."""
    model: Module
    history: History
    test_accuracy: float
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def digits_mlp() -> Sequential:
    """Lab 03's network: 64 pixels → 80 → 70 sigmoid units → 10 class scores (the softmax
    is inside ``cross_entropy``).

        >>> digits_mlp()[0]
        Linear(in_features=64, out_features=80, bias=True)
    """
    return Sequential(Linear(64, 80), Sigmoid(), Linear(80, 70), Sigmoid(), Linear(70, 10))


def train_digits(optimizer: str = "adam", lr: float | None = None, epochs: int = 30,
                 batch_size: int = 64, progress: bool = True, seed: int = 101) -> DigitsRun:
    """Lab 03 end to end: scikit-learn's digits, an 80/20 split with ``random_state=101``,
    standardised with the training set's statistics, :func:`digits_mlp` trained with
    cross-entropy in mini-batches of 64 (Adam, lr 0.01, by default).

        >>> run = train_digits(epochs=30, progress=False)
        >>> run.test_accuracy
        0.98...

    ``optimizer`` is a name of :data:`nn.training.OPTIMIZERS`, with its learning rate
    unless ``lr`` is given. ``seed`` seeds NumPy's global random state before the weights
    are drawn and the batches shuffled, so a run is reproducible. Needs scikit-learn.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from .datasets import load_digits

    if optimizer not in OPTIMIZERS:
        raise ValueError(f"train_digits: unknown optimizer {optimizer!r}; choose one of "
                         f"{', '.join(OPTIMIZERS)}")
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=101)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    np.random.seed(seed)
    model = digits_mlp()
    optimizer_class, default_lr = OPTIMIZERS[optimizer]
    opt = optimizer_class(model.parameters(), lr=default_lr if lr is None else lr)
    loader = DataLoader(X_train, y_train, batch_size=batch_size, shuffle=True)
    history = fit(model, F.cross_entropy, opt, loader, epochs, val_data=(X_test, y_test),
                  progress=progress)
    return DigitsRun(model, history, history["val_accuracy"][-1],
                     X_train, X_test, y_train, y_test)
