"""The ``chainrule`` command (also ``python -m viz``): derivations and graph pictures.

    $ chainrule demo                        # the worked example, exact and by hand
    $ chainrule derive "x*y + sin(x)" --at x=2 y=3 --decimals 4 -o graph.png

Each subcommand is one function in :data:`SUBCOMMANDS` that declares its arguments and,
with ``set_defaults(run=...)``, the function that runs it (returning ``None`` or an exit
status). A mistake in the input is one line on stderr and exit status 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import warnings
from pathlib import Path

from autograd import Value, topological_order
from autograd.derivation import Derivation, derive
from autograd.parser import parse

from .cli_models import _command, add_models_parsers
from .render import FORMATS, RenderError, render

MAX_DECIMALS = 15  # a double holds about 16 significant digits


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr, like every other error."""

    def error(self, message: str):
        self.exit(2, f"chainrule: error: {message} (see '{self.prog} --help')\n")


def main(argv: list[str] | None = None) -> int:
    """Run the ``chainrule`` command line with ``argv`` (default: the program's arguments).

    Returns the exit status: 0, or 2 for a mistake in the input, 1 for a file that
    cannot be written, a graph that cannot be drawn or a computation too large for
    memory. Errors and warnings are one line each on stderr.

        >>> main(["derive", "x*x", "--at", "x=3"])   # prints the steps, returns the status
        Derivation of f
        ...
          ∂f/∂x = x + x = 3 + 3 = 6
        ...
        0
    """
    parser = _Parser(
        prog="chainrule",
        description="Differentiate expressions step by step and draw their graphs.",
        epilog="Run 'chainrule COMMAND --help' for the options and examples of a command.")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND",
                                     required=True)
    for add in SUBCOMMANDS:
        add(commands)
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _warn
        try:
            return args.run(args) or 0
        except (ValueError, OverflowError) as error:  # a bad expression, number or name:
            return _fail(error, 2)                    # the learner can fix it
        except MemoryError as error:  # e.g. an input shape too large for this machine
            return _fail(f"not enough memory: {_one_line(error)}", 1)
        except (OSError, RenderError) as error:  # e.g. the image's folder does not exist
            return _fail(error, 1)
        except KeyboardInterrupt:  # Ctrl-C during training: stop quietly, as shells expect
            print("chainrule: interrupted", file=sys.stderr)
            return 130


def _fail(error: Exception | str, status: int) -> int:
    print(f"chainrule: error: {_one_line(error)}", file=sys.stderr)
    return status


def _warn(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning as one line on stderr, like the errors (warnings.showwarning's
    signature; the place in the code means nothing to the user)."""
    print(f"chainrule: warning: {_one_line(message)}", file=sys.stderr)


def _one_line(error: Exception | str) -> str:
    """The message on one line, whatever it held; the exception's name if it is empty."""
    return " ".join(str(error).split()) or type(error).__name__


# --- chainrule demo -----------------------------------------------------------------------
def _add_demo(commands) -> None:
    demo = _command(
        commands, "demo", "the worked example, derived exactly and by hand",
        "    z = x1·w1 + x2·w2,  y = σ(z),  f = (y − t)²\n"
        "    at x1 = 2, x2 = 3, w1 = 0.4, w2 = -0.2, t = 1\n\n"
        "Prints the forward table and every chain-rule step, once exact and once\n"
        "rounded to 4 decimals as by hand, and draws the graph.",
        "  chainrule demo\n  chainrule demo -o example.png")
    demo.add_argument("-o", "--output", metavar="FILE", type=_image_path,
                      default="worked_example.svg",
                      help="where to draw the graph: .svg, .png, .pdf or .dot "
                           "(default: worked_example.svg)")
    demo.set_defaults(run=_run_demo)


def worked_example() -> Value:
    """The homework's worked example, f = (σ(x1·w1 + x2·w2) − t)²; returns f.

        >>> round(worked_example().data, 6)      # (σ(0.2) − 1)²
        0.202649
    """
    x1, x2 = Value(2.0, label="x1"), Value(3.0, label="x2")
    w1, w2 = Value(0.4, label="w1"), Value(-0.2, label="w2")
    t = Value(1.0, label="t")
    z = x1 * w1 + x2 * w2
    y = z.sigmoid()
    f = (y - t) ** 2
    z.label, y.label, f.label = "z", "y", "f"
    return f


def _run_demo(args) -> None:
    f = worked_example()
    print("Worked example: x1 = 2, x2 = 3, w1 = 0.4, w2 = -0.2, t = 1")
    print("  z = x1·w1 + x2·w2,   y = σ(z),   f = (y − t)²")
    exact, by_hand = derive(f), derive(f, decimals=4)
    print(f"\n{exact}\n\n{by_hand}\n")
    print(textwrap.fill(
        f"Both are right. The exact ∂f/∂w1 is {exact.grad('w1'):.6f}; rounding every number "
        f"to 4 decimals as it is written down, as on paper, gives {by_hand.grad('w1'):.4f}.",
        88))
    _draw(f, exact, args.output)


# --- chainrule derive ---------------------------------------------------------------------
def _add_derive(commands) -> None:
    derive_ = _command(
        commands, "derive", "differentiate an expression, printing every chain-rule step",
        "EXPR may use numbers, variables, + - * / ** and the functions\n"
        "    abs cos elu exp leaky_relu log relu sigmoid sin softplus sqrt tanh\n"
        "(leaky_relu and elu take alpha as a second argument: leaky_relu(z, 0.1)).\n"
        "Quote it for the shell, and write it before --at; if it starts with a minus\n"
        "sign, put it in brackets: '(-x*y)'.",
        "  chainrule derive '(sigmoid(x1*w1 + x2*w2) - t)**2' \\\n"
        "      --at x1=2 x2=3 w1=0.4 w2=-0.2 t=1 --wrt w1 --decimals 4\n"
        "  chainrule derive 'x*y + sin(x)' --at x=2 y=3 -o graph.png",
        usage="chainrule derive EXPR --at NAME=NUMBER ... [--wrt NAME] [--decimals N] "
              "[-o FILE]")
    derive_.add_argument("expression", metavar="EXPR", help="the expression, e.g. 'x*y + 1'")
    derive_.add_argument("--at", metavar="NAME=NUMBER", nargs="+", type=_assignment,
                         default=[], help="the value of every variable, e.g. --at x=2 y=-0.5")
    derive_.add_argument("--wrt", metavar="NAME",
                         help="show only the steps from this variable to the output")
    derive_.add_argument("--decimals", metavar="N", type=_decimals,
                         help="round every value and gradient to N decimals as by hand "
                              "(default: exact)")
    derive_.add_argument("-o", "--output", metavar="FILE", type=_image_path,
                         help="also draw the graph: .svg, .png, .pdf or .dot")
    derive_.set_defaults(run=_run_derive)


def _run_derive(args) -> None:
    values: dict[str, float] = {}
    for name, number in args.at:
        if name in values:
            raise ValueError(f"--at gives {name} twice")
        values[name] = number
    f, variables = parse(args.expression, **values)
    if args.wrt is not None and args.wrt not in variables:
        raise ValueError(f"--wrt {args.wrt}: the expression has no such variable "
                         f"(its variables: {', '.join(variables) or 'none'})")
    derivation = derive(f, decimals=args.decimals, wrt=args.wrt)
    print(derivation)
    if args.output:
        _draw(f, derivation, args.output, highlight=variables.get(args.wrt))


# --- shared -------------------------------------------------------------------------------
def _draw(f: Value, derivation: Derivation, path: str, highlight: Value | None = None) -> None:
    """Draw f's graph with the derivation's names on it, so picture and text agree."""
    for node in topological_order(f):
        if not node.label and node in derivation.names:
            node.label = derivation.names[node]
    f.backward()  # the picture shows each node's grad
    options = {"highlight": highlight} if highlight is not None else {}
    written = render(f, path, **options)
    exact = "" if derivation.decimals is None else " (it shows the exact numbers)"
    print(f"\nGraph written to {written}{exact}")


def _assignment(text: str) -> tuple[str, float]:
    name, equals, number = text.partition("=")
    if not equals or not name.strip():
        hint = "" if equals else " (the expression goes before --at)"
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}{hint}")
    try:
        return name.strip(), float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{number!r} is not a number (in {text!r})") from None


def _decimals(text: str) -> int:
    try:
        decimals = int(text)
    except ValueError:
        decimals = -1
    if not 0 <= decimals <= MAX_DECIMALS:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to {MAX_DECIMALS}, got {text!r}")
    return decimals


def _image_path(text: str) -> str:
    if Path(text).suffix.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"cannot tell the image format of {text!r}; end it in "
            f"{', '.join(sorted(FORMATS))}")
    return text


#: One function per subcommand (``add_models_parsers`` adds ``summary`` and ``train``).
SUBCOMMANDS = [_add_demo, _add_derive, add_models_parsers]
