"""``chainrule train``: training on a data set, one parser per data set, so that each has
its own options, defaults and ``--help``.

    $ chainrule train digits                          # Adam, lr 0.01, 30 epochs
    $ chainrule train digits --optimizer sgd --epochs 50 --no-progress
    $ chainrule train mnist --epochs 1 --limit 2000

``digits`` is Lab 03's network, trained by :func:`nn.lab03.train_digits` and compared
with scikit-learn's ``MLPClassifier`` on the same split; ``mnist`` a small CNN, or any
network that ``chainrule summary`` reads.
"""

from __future__ import annotations

import argparse
import math
import sys
import textwrap
import warnings

import numpy as np

import nn
from nn import functional as F
from nn.datasets import _MNIST_FILES, data_dir, load_mnist
from nn.lab03 import train_digits
from nn.training import OPTIMIZERS

from . import describe, subcommand
from .summary import load_model, users_code

#: The network ``train mnist`` trains unless ``--model`` says otherwise.
MNIST_CNN = ("conv(8,3,padding=same) relu maxpool(2) conv(16,3,padding=same) relu maxpool(2) "
             "flatten linear(10)")
MNIST_SHAPE = (1, 28, 28)  # one grey channel
SPLIT = 8000  # without MNIST's training files, the test set's first 8,000 images train
SEED = 0  # NumPy's global seed: the same weights and batches on every run


def add_train(train: argparse.ArgumentParser) -> None:
    """Declare ``train`` and its data sets, ``digits`` and ``mnist``, on its parser.

        >>> from cli import build_parser
        >>> argv = ["train", "digits", "--optimizer", "sgd"]
        >>> args = build_parser(argv).parse_args(argv)
        >>> args.optimizer, args.epochs, args.run is run_train
        ('sgd', 30, True)
    """
    train.description += (" Run 'chainrule train DATASET --help' for the options of each.")
    datasets = train.add_subparsers(title="data sets", dest="dataset", metavar="DATASET",
                                    required=True)
    digits = subcommand(datasets, "digits", "train Lab 03's network on the digits")
    describe(digits,
             "The network is 64-80-70-10 with sigmoid hidden units, trained with cross-entropy\n"
             "in mini-batches of 64 on 80% of scikit-learn's 8×8 digits (standardised) and\n"
             "tested on the rest; scikit-learn's MLPClassifier of the same shape is trained on\n"
             "the same split for comparison. Needs scikit-learn.",
             "  chainrule train digits\n"
             "  chainrule train digits --optimizer sgd --epochs 50 --no-progress")
    _add_training_options(digits, epochs=30)
    digits.set_defaults(run=run_train)
    mnist = subcommand(datasets, "mnist", "train a small CNN on the MNIST digits")
    describe(mnist,
             "The network is\n"
             + textwrap.fill(MNIST_CNN, 80, initial_indent="    ", subsequent_indent="    ")
             + "\ntrained with cross-entropy on MNIST's 28×28 digits. The files are read from\n"
             "DIR/mnist, DIR being --data, else $CHAINRULE_DATA, else ~/.cache/chainrule:\n"
             + "".join(f"    {images}  {labels}\n" for images, labels in _MNIST_FILES.values())
             + "Without the two training files, the 10,000 test images are split: the first\n"
             f"{SPLIT:,} to train, the last {10_000 - SPLIT:,} to test. NumPy is seeded with "
             f"{SEED}, so a run repeats.",
             "  chainrule train mnist\n"
             "  chainrule train mnist --epochs 1 --limit 2000 --no-progress\n"
             "  chainrule train mnist --model 'flatten linear(128) relu linear(10)'")
    _add_training_options(mnist, epochs=3)
    mnist.add_argument("--batch-size", type=_positive_int, default=64, metavar="B",
                       help="images per step (default: 64)")
    mnist.add_argument("--limit", type=_positive_int, metavar="N",
                       help="train on the first N training images only, for a quick run")
    mnist.add_argument("--model", default=MNIST_CNN, metavar="MODEL",
                       help="another network: a layer string or a .py file, as for "
                            "'chainrule summary' (its input is 1x28x28)")
    mnist.add_argument("--data", metavar="DIR", help="the folder holding mnist/")
    mnist.set_defaults(run=run_train_mnist)


def _add_training_options(parser: argparse.ArgumentParser, epochs: int) -> None:
    """The options every data set takes; ``epochs`` is the default number of epochs."""
    parser.add_argument("--optimizer", choices=list(OPTIMIZERS), default="adam",
                        help="the optimizer (default: adam)")
    parser.add_argument("--epochs", type=_positive_int, default=epochs, metavar="N",
                        help=f"passes over the training set (default: {epochs})")
    rates = ", ".join(f"{lr:g} for {name}" for name, (_, lr) in OPTIMIZERS.items())
    parser.add_argument("--lr", type=_positive_float, metavar="X",
                        help=f"the learning rate (default: {rates})")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress bar")


# --- chainrule train digits ---------------------------------------------------------------
def run_train(args: argparse.Namespace) -> int:
    """Train Lab 03's network as ``args`` say, print the test accuracies; returns the exit
    status."""
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


# --- chainrule train mnist ----------------------------------------------------------------
def run_train_mnist(args: argparse.Namespace) -> None:
    """Train ``args.model`` on MNIST as ``args`` say; print each epoch and the test accuracy."""
    np.random.seed(SEED)
    model = load_model(args.model, MNIST_SHAPE)  # first: a typo shows before data loads
    (X_train, y_train), (X_test, y_test) = _mnist(args.data)
    if args.limit:
        X_train, y_train = X_train[:args.limit], y_train[:args.limit]
        print(f"Training on the first {len(X_train):,} of them (--limit {args.limit}).")
    # The digits' learning rates suit this CNN too: one epoch on 8,000 images reaches
    # 90 to 96 % test accuracy with each optimizer.
    optimizer_class, default_lr = OPTIMIZERS[args.optimizer]
    lr = default_lr if args.lr is None else args.lr
    size = sum(p.data.size for p in model.parameters())
    print(f"Network: {args.model} ({size:,} parameters)")
    epochs = "1 epoch" if args.epochs == 1 else f"{args.epochs} epochs"
    print(f"{args.optimizer}, lr {lr:g}, batches of {args.batch_size}, {epochs}")
    # A diverging run is reported once, by check_finite, not by NumPy at every step.
    with users_code(args.model), np.errstate(all="ignore"):
        history = nn.fit(model, F.cross_entropy, optimizer_class(model.parameters(), lr=lr),
                         (X_train[:, None], y_train), epochs=args.epochs,
                         val_data=(X_test[:, None], y_test), batch_size=args.batch_size,
                         progress=args.progress)
    check_finite(history)
    for epoch, (loss, accuracy, test_accuracy) in enumerate(zip(
            history["loss"], history["accuracy"], history["val_accuracy"]), start=1):
        print(f"epoch {epoch}: loss {loss:.4f}, training accuracy {accuracy:.4f}, "
              f"test accuracy {test_accuracy:.4f}")
    right = round(history["val_accuracy"][-1] * len(y_test))
    print(f"Test accuracy: {history['val_accuracy'][-1]:.4f} "
          f"({right:,} of {len(y_test):,} test images)")


def _mnist(root: str | None) -> tuple[tuple, tuple]:
    """MNIST's ``(X_train, y_train), (X_test, y_test)`` from the files in the data folder:
    the real training set if it is there, else the test set split in two (and said so).
    Only files already there are read, so a run never waits for a download."""
    folder = (data_dir(root) / "mnist").absolute()  # absolute: the messages name it
    train_files, test_files = _MNIST_FILES["train"], _MNIST_FILES["test"]
    missing = [name for name in test_files if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"train mnist: no {' or '.join(missing)} in {folder}; put MNIST's files "
            f"there ({', '.join(test_files)}; {', '.join(train_files)} too for the full "
            "training set), or point --data or CHAINRULE_DATA at the folder holding mnist/")
    X, y = load_mnist(folder.parent, split="test")
    if all((folder / name).is_file() for name in train_files):
        train = load_mnist(folder.parent, split="train")
        print(f"MNIST from {folder}: {len(train[0]):,} training and {len(X):,} test images.")
        return train, (X, y)
    print(f"MNIST from {folder}: without {' and '.join(train_files)} there, the "
          f"{len(X):,} test images are split: the first {SPLIT:,} to train, the last "
          f"{len(X) - SPLIT:,} to test.")
    return (X[:SPLIT], y[:SPLIT]), (X[SPLIT:], y[SPLIT:])


# --- shared -------------------------------------------------------------------------------
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
