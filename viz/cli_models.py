"""``chainrule summary`` and ``chainrule train``: a network's table of layers, and training
on a data set (``mnist`` here; ``digits`` is :mod:`viz.cli_train`'s).

    $ chainrule summary "conv(16,5) relu maxpool(2) flatten linear(10)" --input 3x32x32
    $ chainrule summary my_model.py --input 1x28x28
    $ chainrule train mnist --epochs 1 --limit 2000

A network is written as a layer string (see :mod:`nn.spec`) or as a Python file that
defines ``model``. :func:`add_models_parsers` declares both commands on the ``chainrule``
parser; ``train`` takes the data set as its first argument and has one parser per data set,
so each has its own options, defaults and ``--help``.
"""

from __future__ import annotations

import argparse
import re
import runpy
import textwrap
import traceback
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import nn
from nn import functional as F
from nn.datasets import _MNIST_FILES, data_dir, load_mnist
from nn.spec import build, layer_usage
from nn.training import OPTIMIZERS

from .cli_train import _positive_float, _positive_int, check_finite, run_train

#: The network ``train mnist`` trains unless ``--model`` says otherwise.
MNIST_CNN = ("conv(8,3,padding=same) relu maxpool(2) conv(16,3,padding=same) relu maxpool(2) "
             "flatten linear(10)")
MNIST_SHAPE = (1, 28, 28)  # one grey channel
SPLIT = 8000  # without MNIST's training files, the test set's first 8,000 images train
SEED = 0  # NumPy's global seed: the same weights and batches on every run

_LAYERS_HELP = ("MODEL is layers separated by spaces or commas, each NAME or NAME(ARGS), with\n"
                "PyTorch's arguments minus the sizes read off the input (quote it for the\n"
                "shell), or a Python file ending in .py that defines `model`, an nn.Module.\n"
                "The file is run as Python, so give only files you trust; code under\n"
                "`if __name__ == \"__main__\":` in it does not run. The layers:\n"
                + textwrap.indent(layer_usage(), "    "))


def add_models_parsers(subparsers) -> None:
    """Declare ``summary`` and ``train`` (``digits`` and ``mnist``) on an argparse
    ``add_subparsers()`` object.

        >>> parser = argparse.ArgumentParser(); add_models_parsers(parser.add_subparsers())
        >>> args = parser.parse_args(["summary", "flatten linear(10)", "--input", "1x28x28"])
        >>> args.run(args)                   # prints the table: 784·10 + 10 parameters
        Model: "Sequential"
        ...
        Total params: 7,850
        ...
    """
    _add_summary(subparsers)
    _add_train(subparsers)


def _command(commands, name: str, summary: str, details: str, examples: str,
             usage: str | None = None) -> argparse.ArgumentParser:
    """A subcommand whose help shows the details and the examples (viz.cli's too)."""
    # Raw text keeps the line breaks of the details and the examples as written.
    return commands.add_parser(name, help=summary, usage=usage,
                               description=f"{summary[0].upper()}{summary[1:]}.\n\n{details}",
                               epilog="examples:\n" + examples,
                               formatter_class=argparse.RawDescriptionHelpFormatter)


# --- chainrule summary --------------------------------------------------------------------
def _add_summary(subparsers) -> None:
    summary = _command(
        subparsers, "summary", "print a network's layers, output shapes and parameter counts",
        _LAYERS_HELP,
        "  chainrule summary 'conv(16,5) relu maxpool(2) conv(32,3) relu maxpool(2) \\\n"
        "      flatten linear(256) relu linear(10)' --input 3x100x100\n"
        "  chainrule summary 'flatten, dense(128), relu, dropout(0.2), dense(10)' --input 784\n"
        "  chainrule summary my_model.py --input 1x28x28")
    summary.add_argument("model", metavar="MODEL", help="a layer string or a .py file")
    summary.add_argument("--input", metavar="SHAPE", type=_shape, required=True,
                         help="the shape of one input, without the batch axis: 3x100x100 "
                              "(channels×height×width) or 784")
    summary.set_defaults(run=run_summary)


def run_summary(args: argparse.Namespace) -> None:
    """Print the ``nn.summary`` table of ``args.model`` on inputs of ``args.input``."""
    model = load_model(args.model, args.input)
    with _users_code(args.model):  # summary runs the model's forward
        print(nn.summary(model, args.input))


def load_model(model: str, input_shape: tuple) -> nn.Module:
    """The network a ``MODEL`` argument names: a layer string, built for ``input_shape``, or
    the ``model`` that a ``.py`` file defines.

        >>> load_model("flatten linear(10)", (1, 28, 28))[1].in_features
        784
    """
    if not model.endswith(".py"):
        return build(model, input_shape)
    if not Path(model).is_file():
        raise ValueError(f"no such file: {model}")
    with _users_code(model):
        namespace = runpy.run_path(model)
    found = namespace.get("model")
    if not isinstance(found, nn.Module):
        what = "defines no `model`" if found is None else \
            f"defines `model` as a {type(found).__name__}, not an nn.Module"
        raise ValueError(f"{model} {what}; end it with e.g. model = nn.Sequential(...)")
    return found


@contextmanager
def _users_code(model: str):
    """While a ``MODEL`` file's code runs (the file itself, or its model's forward), an
    error in it becomes a one-line ValueError that says where it happened."""
    try:
        yield
    except Exception as error:  # the learner's own code: anything may go wrong there
        if not model.endswith(".py"):
            raise
        raise ValueError(_where(model, error)) from None


def _where(path: str, error: Exception) -> str:
    """``"model.py, line 7: NameError: name 'x' is not defined"``: the error that running
    the file at ``path`` raised, and the last line of that file it passed through."""
    if isinstance(error, SyntaxError):
        line, message = error.lineno, error.msg  # str(error) repeats the file and line
    else:
        lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
                 if Path(frame.filename).resolve() == Path(path).resolve()]
        line, message = (lines or [None])[-1], str(error)
    return f"{path}{f', line {line}' if line else ''}: {type(error).__name__}: {message}"


def _shape(text: str) -> tuple[int, ...]:
    sizes = re.split(r"\s*[x×X,]\s*", text.strip())
    if not all(size.isdecimal() and int(size) > 0 for size in sizes):
        raise argparse.ArgumentTypeError(
            f"expected sizes joined by x, such as 3x100x100 or 784, got {text!r}")
    return tuple(int(size) for size in sizes)


# --- chainrule train ----------------------------------------------------------------------
def _add_train(subparsers) -> None:
    train = subparsers.add_parser(
        "train", help="train a network on a data set and print its test accuracy",
        description="Train a network on a data set and print its test accuracy. Run "
                    "'chainrule train DATASET --help' for the options of each.")
    datasets = train.add_subparsers(title="data sets", dest="dataset", metavar="DATASET",
                                    required=True)
    digits = _command(
        datasets, "digits", "train Lab 03's network on the digits",
        "The network is 64-80-70-10 with sigmoid hidden units, trained with cross-entropy\n"
        "in mini-batches of 64 on 80% of scikit-learn's 8×8 digits (standardised) and\n"
        "tested on the rest; scikit-learn's MLPClassifier of the same shape is trained on\n"
        "the same split for comparison. Needs scikit-learn.",
        "  chainrule train digits\n"
        "  chainrule train digits --optimizer sgd --epochs 50 --no-progress")
    _add_training_options(digits, epochs=30)
    digits.set_defaults(run=run_train)
    mnist = _command(
        datasets, "mnist", "train a small CNN on the MNIST digits",
        "The network is\n"
        + textwrap.fill(MNIST_CNN, 80, initial_indent="    ", subsequent_indent="    ")
        + "\ntrained with cross-entropy on MNIST's 28×28 digits. The files are read from\n"
        "DIR/mnist, DIR being --data, else $CHAINRULE_DATA, else ~/.cache/chainrule:\n"
        + "".join(f"    {images}  {labels}\n" for images, labels in _MNIST_FILES.values()) +
        "Without the two training files, the 10,000 test images are split: the first\n"
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
    with _users_code(args.model), np.errstate(all="ignore"):
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
