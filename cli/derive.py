"""``chainrule demo`` and ``chainrule derive``: derivations, and pictures of their graphs.

    $ chainrule demo -o example.png
    $ chainrule derive "x*y + sin(x)" --at x=2 y=3 --decimals 4 -o graph.png

The engine is imported with this module; ``viz`` (and with it matplotlib) only when a
picture is drawn.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from autograd import Derivation, Value, derive, parse

from . import describe, fail

MAX_DECIMALS = 15  # a double holds about 16 significant digits
IMAGE_FORMATS = ".svg, .png, .pdf or .dot"


# --- chainrule demo -----------------------------------------------------------------------
def add_demo(demo: argparse.ArgumentParser) -> None:
    describe(demo,
             "    z = x1·w1 + x2·w2,  y = σ(z),  f = (y − t)²\n"
             "    at x1 = 2, x2 = 3, w1 = 0.4, w2 = -0.2, t = 1\n\n"
             "Prints the forward table and every chain-rule step, once exact and once\n"
             "rounded to 4 decimals as by hand, and draws the graph as by hand: the\n"
             "homework's numbers (∂f/∂w1 = −0.4458).",
             "  chainrule demo\n  chainrule demo -o example.png")
    demo.add_argument("-o", "--output", metavar="FILE", type=_image_path,
                      default="worked_example.svg",
                      help=f"where to draw the graph: {IMAGE_FORMATS} "
                           "(default: worked_example.svg)")
    demo.set_defaults(run=run_demo)


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


def run_demo(args: argparse.Namespace) -> int:
    """Print the worked example's derivations, exact and by hand; draw its graph with the
    numbers by hand, the homework's."""
    f = worked_example()
    print("Worked example: x1 = 2, x2 = 3, w1 = 0.4, w2 = -0.2, t = 1")
    print("  z = x1·w1 + x2·w2,   y = σ(z),   f = (y − t)²")
    exact, by_hand = derive(f), derive(f, decimals=4)
    print(f"\n{exact}\n\n{by_hand}\n")
    print(textwrap.fill(
        f"Both are right. The exact ∂f/∂w1 is {exact.grad('w1'):.6f}; rounding every number "
        f"to 4 decimals as it is written down, as on paper, gives {by_hand.grad('w1'):.4f}.",
        88))
    return _draw(by_hand, args.output)


# --- chainrule derive ---------------------------------------------------------------------
def add_derive(command: argparse.ArgumentParser) -> None:
    describe(command,
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
    command.add_argument("expression", metavar="EXPR", help="the expression, e.g. 'x*y + 1'")
    command.add_argument("--at", metavar="NAME=NUMBER", nargs="+", type=_assignment,
                         default=[], help="the value of every variable, e.g. --at x=2 y=-0.5")
    command.add_argument("--wrt", metavar="NAME",
                         help="show only the steps from this variable to the output")
    command.add_argument("--decimals", metavar="N", type=_decimals,
                         help="round every value and gradient to N decimals as by hand "
                              "(default: exact)")
    command.add_argument("-o", "--output", metavar="FILE", type=_image_path,
                         help=f"also draw the graph, with the same numbers: {IMAGE_FORMATS}")
    command.set_defaults(run=run_derive)


def run_derive(args: argparse.Namespace) -> int:
    """Print the derivation of ``args.expression`` at ``args.at``; draw it if asked."""
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
        return _draw(derivation, args.output, highlight=variables.get(args.wrt))
    return 0


def _draw(derivation: Derivation, path: str, highlight: Value | None = None) -> int:
    """Draw the derivation's graph with its names and numbers, so picture and text agree."""
    from viz import RenderError, draw_graph, render

    try:
        written = render(draw_graph(derivation, highlight=highlight), path)
    except RenderError as error:  # no backend could draw it: nothing the input can fix
        return fail(error, 1)
    print(f"\nGraph written to {written}")
    return 0


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
    from viz.render import FORMATS  # only a command that draws reads this: viz is heavy

    if Path(text).suffix.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"cannot tell the image format of {text!r}; end it in "
            f"{', '.join(sorted(FORMATS))}")
    return text
