"""``chainrule train digits``: Lab 03's network on the digits, with a progress bar.

    $ chainrule train digits                          # Adam, lr 0.01, 30 epochs
    $ chainrule train digits --optimizer sgd --epochs 50 --no-progress

The training itself is :func:`nn.lab03.train_digits`; this file prints the results,
with scikit-learn's ``MLPClassifier`` on the same split for comparison. The ``train``
command's options are declared in :mod:`viz.cli_models`, beside ``train mnist``.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings

import numpy as np

from nn.lab03 import train_digits


def run_train(args: argparse.Namespace) -> int:
    """Train as ``args`` say, print the test accuracies; returns the exit status."""
    try:
        import sklearn  # noqa: F401  (load_digits, the split and the scaler need it)
    except ImportError:
        print("chainrule: error: training on the digits needs scikit-learn: "
              'pip install "chainrule[datasets]"', file=sys.stderr)
        return 1
    with np.errstate(all="ignore"):  # a diverging run is reported once, below
        run = train_digits(args.optimizer, lr=args.lr, epochs=args.epochs,
                           progress=args.progress)
    check_finite(run.history)
    print(f"chainrule MLP ({args.optimizer}, {args.epochs} epochs): "
          f"test accuracy {run.test_accuracy:.4f}")
    print(f"scikit-learn MLPClassifier: test accuracy {_sklearn_accuracy(run):.4f}")
    return 0


def _sklearn_accuracy(run) -> float:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    classifier = MLPClassifier(hidden_layer_sizes=(80, 70), activation="logistic",
                               random_state=101)
    with warnings.catch_warnings():  # it may stop at max_iter: a fair comparison still
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(run.X_train, run.y_train)
    return classifier.score(run.X_test, run.y_test)


def check_finite(history) -> None:
    """Stop with a one-line error when training diverged: a loss that is not a number.

        >>> check_finite({"loss": [2.3, 0.9]})        # fine: nothing happens
        >>> check_finite({"loss": [2.3, float("nan")]})
        Traceback (most recent call last):
        ValueError: training diverged: the loss is nan after epoch 2; try a smaller --lr
    """
    for epoch, loss in enumerate(history["loss"], start=1):
        if not math.isfinite(loss):
            raise ValueError(f"training diverged: the loss is {loss} after epoch {epoch}; "
                             "try a smaller --lr")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive finite number, got {text!r}")
    return value
