"""``chainrule train digits``: Lab 03's network on the digits, with a progress bar.

    $ chainrule train digits                          # Adam, lr 0.01, 30 epochs
    $ chainrule train digits --optimizer sgd --epochs 50 --no-progress

The training itself is :func:`nn.training.train_digits`; this file prints the results,
with scikit-learn's ``MLPClassifier`` on the same split for comparison. The ``train``
command's options are declared in :mod:`viz.cli_models`, beside ``train mnist``.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from nn.training import train_digits


def run_train(args: argparse.Namespace) -> int:
    """Train as ``args`` say, print the test accuracies; returns the exit status."""
    try:
        import sklearn  # noqa: F401  (load_digits, the split and the scaler need it)
    except ImportError:
        print("chainrule: error: training on the digits needs scikit-learn: "
              'pip install "chainrule[datasets]"', file=sys.stderr)
        return 1
    run = train_digits(args.optimizer, lr=args.lr, epochs=args.epochs, progress=args.progress)
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


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value
