"""``chainrule train digits``: Lab 03's network on the digits, with a progress bar.

    $ chainrule train digits                          # Adam, lr 0.01, 30 epochs
    $ chainrule train digits --optimizer sgd --epochs 50 --no-progress

The training itself is :func:`nn.training.train_digits`; this file only reads the command
line and prints the results, with scikit-learn's ``MLPClassifier`` on the same split for
comparison.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import warnings

from nn.training import DIGITS_OPTIMIZERS, train_digits


def add_train_parser(subparsers) -> argparse.ArgumentParser:
    """Declare ``train`` and its options on an argparse ``add_subparsers()`` object.

        >>> parser = argparse.ArgumentParser(); add_train_parser(parser.add_subparsers())
        >>> args = parser.parse_args(["train", "digits", "--epochs", "5"])
        >>> run_train(args)
    """
    summary = "train Lab 03's network on the digits and print its test accuracy"
    train = subparsers.add_parser(
        "train", help=summary,
        description=textwrap.fill(
            f"{summary}. The network is 64-80-70-10 with sigmoid hidden units, trained "
            "with cross-entropy in mini-batches of 64 on 80% of scikit-learn's digits "
            "(standardised) and tested on the rest; scikit-learn's MLPClassifier of the "
            "same shape is trained on the same split for comparison.", 79),
        epilog="examples:\n  chainrule train digits\n"
               "  chainrule train digits --optimizer sgd --epochs 50 --no-progress",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    train.add_argument("dataset", choices=["digits"], help="the data set (digits)")
    train.add_argument("--optimizer", choices=list(DIGITS_OPTIMIZERS), default="adam",
                       help="the optimizer (default: adam)")
    train.add_argument("--epochs", type=_positive_int, default=30, metavar="N",
                       help="passes over the training set (default: 30)")
    train.add_argument("--lr", type=_positive_float, metavar="X",
                       help="the learning rate (default: 0.01 for adam, adamw and rmsprop, "
                            "0.05 for adagrad, 0.5 for sgd)")
    train.add_argument("--no-progress", dest="progress", action="store_false",
                       help="no progress bar")
    train.set_defaults(run=run_train)
    return train


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
