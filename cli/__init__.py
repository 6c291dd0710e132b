"""The ``chainrule`` command (also ``python -m cli`` and ``python -m viz``).

    $ chainrule demo                        # the worked example, exact and by hand
    $ chainrule derive "x*y + sin(x)" --at x=2 y=3 --decimals 4 -o graph.png
    $ chainrule summary "conv(16,5) relu maxpool(2) flatten linear(10)" --input 3x32x32
    $ chainrule train digits

Each command lives in a module of its own (:mod:`cli.derive`, :mod:`cli.summary`,
:mod:`cli.train`), which declares its arguments on the parser it is given and, with
``set_defaults(run=...)``, the function that runs it (returning ``None`` or an exit
status). Only the module of the command that runs is imported, and it imports NumPy, the
engine, ``nn`` or ``viz`` only as far as that command needs them: ``chainrule --help``
starts at once. A mistake in the input is one line on stderr and exit status 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

#: Each command: the module and the function that declare it, and its one-line summary.
COMMANDS = {
    "demo": ("cli.derive", "add_demo", "the worked example, derived exactly and by hand"),
    "derive": ("cli.derive", "add_derive",
               "differentiate an expression, printing every chain-rule step"),
    "summary": ("cli.summary", "add_summary",
                "print a network's layers, output shapes and parameter counts"),
    "train": ("cli.train", "add_train",
              "train a network on a data set and print its test accuracy"),
}


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
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _warn
        try:
            return args.run(args) or 0
        except (ValueError, OverflowError) as error:  # a bad expression, number or name:
            return fail(error, 2)                     # the learner can fix it
        except MemoryError as error:  # e.g. an input shape too large for this machine
            return fail(f"not enough memory: {_one_line(error)}", 1)
        except OSError as error:  # e.g. the image's folder does not exist
            return fail(error, 1)
        except KeyboardInterrupt:  # Ctrl-C during training: stop quietly, as shells expect
            print("chainrule: interrupted", file=sys.stderr)
            return 130


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    """The ``chainrule`` parser, with the command that ``argv`` names declared in full.

    The other commands are declared by name and summary only, which is all that
    ``chainrule --help`` shows: their modules are not imported.

        >>> args = build_parser(["derive", "x*x", "--at", "x=3"]).parse_args(
        ...     ["derive", "x*x", "--at", "x=3"])
        >>> args.expression, args.at
        ('x*x', [('x', 3.0)])
    """
    parser = _Parser(
        prog="chainrule",
        description="Differentiate expressions step by step and draw their graphs.",
        epilog="Run 'chainrule COMMAND --help' for the options and examples of a command.")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND",
                                     required=True)
    for name, (module, declare, summary) in COMMANDS.items():
        command = subcommand(commands, name, summary)
        if argv[:1] == [name]:  # the parser's only option before a command is --help
            getattr(importlib.import_module(module), declare)(command)
    return parser


def subcommand(commands, name: str, summary: str) -> argparse.ArgumentParser:
    """A (sub)command's parser, its summary in the list of commands and atop its help."""
    # Raw text keeps the line breaks of the details and the examples as written.
    return commands.add_parser(name, help=summary,
                               description=f"{summary[0].upper()}{summary[1:]}.",
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def describe(parser: argparse.ArgumentParser, details: str, examples: str,
             usage: str | None = None) -> None:
    """Add the details and the examples to a command's ``--help``."""
    parser.description += "\n\n" + details
    parser.epilog = "examples:\n" + examples
    if usage is not None:
        parser.usage = usage


def fail(error: Exception | str, status: int) -> int:
    """Say what went wrong on one line of stderr; return the exit status."""
    print(f"chainrule: error: {_one_line(error)}", file=sys.stderr)
    return status


def _warn(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning as one line on stderr, like the errors (warnings.showwarning's
    signature; the place in the code means nothing to the user)."""
    print(f"chainrule: warning: {_one_line(message)}", file=sys.stderr)


def _one_line(error: Exception | str) -> str:
    """The message on one line, whatever it held; the exception's name if it is empty."""
    return " ".join(str(error).split()) or type(error).__name__
