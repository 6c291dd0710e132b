"""``chainrule summary``: a network's table of layers, output shapes and parameters.

    $ chainrule summary "conv(16,5) relu maxpool(2) flatten linear(10)" --input 3x32x32
    $ chainrule summary my_model.py --input 1x28x28

A network is written as a layer string (see :mod:`nn.spec`) or as a Python file that
defines ``model``; :func:`load_model` reads either, for ``chainrule train mnist`` too.
"""

from __future__ import annotations

import argparse
import re
import runpy
import textwrap
import traceback
from contextlib import contextmanager
from pathlib import Path

import nn
from nn.spec import build, layer_usage

from . import describe

MODEL_HELP = ("MODEL is layers separated by spaces or commas, each NAME or NAME(ARGS), with\n"
              "PyTorch's arguments minus the sizes read off the input (quote it for the\n"
              "shell), or a Python file ending in .py that defines `model`, an nn.Module.\n"
              "The file is run as Python, so give only files you trust; code under\n"
              "`if __name__ == \"__main__\":` in it does not run. The layers:\n"
              + textwrap.indent(layer_usage(), "    "))


def add_summary(summary: argparse.ArgumentParser) -> None:
    """Declare ``summary``'s arguments on its parser.

        >>> from cli import main
        >>> main(["summary", "flatten linear(10)", "--input", "1x28x28"])   # 784·10 + 10
        Model: "Sequential"
        ...
        Total params: 7,850
        ...
        0
    """
    describe(summary, MODEL_HELP,
             "  chainrule summary 'conv(16,5) relu maxpool(2) conv(32,3) relu maxpool(2) \\\n"
             "      flatten linear(256) relu linear(10)' --input 3x100x100\n"
             "  chainrule summary 'flatten, dense(128), relu, dropout(0.2), dense(10)' "
             "--input 784\n"
             "  chainrule summary my_model.py --input 1x28x28")
    summary.add_argument("model", metavar="MODEL", help="a layer string or a .py file")
    summary.add_argument("--input", metavar="SHAPE", type=_shape, required=True,
                         help="the shape of one input, without the batch axis: 3x100x100 "
                              "(channels×height×width) or 784")
    summary.set_defaults(run=run_summary)


def run_summary(args: argparse.Namespace) -> None:
    """Print the ``nn.summary`` table of ``args.model`` on inputs of ``args.input``."""
    model = load_model(args.model, args.input)
    with users_code(args.model):  # summary runs the model's forward
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
    with users_code(model):
        namespace = runpy.run_path(model)
    found = namespace.get("model")
    if not isinstance(found, nn.Module):
        what = "defines no `model`" if found is None else \
            f"defines `model` as a {type(found).__name__}, not an nn.Module"
        raise ValueError(f"{model} {what}; end it with e.g. model = nn.Sequential(...)")
    return found


@contextmanager
def users_code(model: str):
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
