"""How chainrule writes things down: numbers, node names, ∂-notation, formulas, LaTeX.

One module for the derivation text, the graph pictures, the animation and the plots, so
that the same node has the same name and the same number everywhere.

    >>> fill("σ({0})(1 − σ({0}))", {"0": "z"})
    'σ(z)(1 − σ(z))'
    >>> d("f", "w1")
    '∂f/∂w1'
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal
from itertools import count


def name_nodes(order: list, root, target, root_name: str,
                is_constant) -> dict:
    """node -> the name the derivation uses, for every node that is not a constant.

    ``is_constant(leaf)`` says whether an unlabelled leaf is a constant, written as its
    number (the wrt target never is).
    """
    labels = {node.label for node in order if node.label}
    auto = (f"v{i}" for i in count(1) if f"v{i}" not in labels)
    names: dict = {}
    taken: set[str] = set()
    for node in order:
        if node.label:
            name = node.label
            while name in taken:  # two nodes with one label: x, x', x''
                name += "'"
        elif node is root:
            name = root_name if root_name not in labels else next(auto)
        elif node.op is None and node is not target and is_constant(node):
            continue  # an unlabelled constant is written as its number
        else:
            name = next(auto)
        names[node] = name
        taken.add(name)
    return names


def nested(a, number) -> str:
    """``[[1, 2], [3, 4]]``: an array on one line, each element written by ``number``."""
    if a.ndim == 0:
        return number(a)
    return "[" + ", ".join(nested(part, number) for part in a) + "]"


def round_half_up(x: float, decimals: int) -> float:
    # round() rounds ties to even on the binary value (round(0.125, 2) == 0.12); a student
    # rounds the decimal digits on the calculator's display half up: 0.13.
    if not math.isfinite(x):
        return x
    # Enough digits for any float (up to 309 before the point) plus the decimals kept:
    # the default context's 28 digits raise InvalidOperation for exp(56) at 4 decimals.
    context = Context(prec=310 + decimals, rounding=ROUND_HALF_UP)
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), context=context))


#: Numbers smaller than this in size, or at least SCIENTIFIC_FROM, are written as 1.5e-07.
SCIENTIFIC_BELOW = 1e-4
SCIENTIFIC_FROM = 1e5


def format_number(x: float, places: int | None = None, minus: str = "-") -> str:
    """``x`` as text, the same in derivations, pictures and animations.

    Exact (``places=None``): 6 significant digits. With ``places``: at most that many
    decimals, without trailing zeros, so that a value rounded by hand to 4 decimals reads
    as written (-0.4458); but never fewer than 2 significant digits, so a small number
    does not vanish into 0. Below 1e-4 and from 1e5 on, scientific notation with as many
    significant digits (6, or ``places``). Zero is ``0``, never ``-0``; ``minus`` is the
    minus sign (``"−"`` in pictures).

        >>> format_number(-0.44569), format_number(-0.44569, 4), format_number(0.5, 4)
        ('-0.44569', '-0.4457', '0.5')
        >>> format_number(0.00012345, 4), format_number(3.2e-7, 4), format_number(-0.0, 4)
        ('0.00012', '3.2e-07', '0')
        >>> format_number(123456.7), format_number(-2.5, 2, minus="−")
        ('1.23457e+05', '−2.5')
    """
    x = float(x)
    if x == 0:
        return "0"
    if not math.isfinite(x):
        text = repr(x)  # nan, inf, -inf
    elif SCIENTIFIC_BELOW <= abs(x) < SCIENTIFIC_FROM:
        if places is None:
            text = f"{x:.6g}"
        else:
            leading = math.floor(math.log10(abs(x)))  # 0.0123: -2
            text = f"{x:.{max(places, 1 - leading)}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
    else:
        mantissa, exponent = f"{x:.{(6 if places is None else max(places, 1)) - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{exponent}"
    return text.replace("-", minus) if minus != "-" else text


def operand(text: str) -> str:
    """A number as a factor: ``(-0.9)`` in brackets when negative, with either minus sign."""
    return f"({text})" if text.startswith(("-", "−")) else text


# {0}, {1}: inputs; {out}: the output; {g}: the incoming gradient; {alpha}: a parameter;
# {c-1}: a parameter minus one (the power rule).
_PLACEHOLDER = re.compile(r"\{(\d+|[A-Za-z_]+(?:-1)?)\}")


def fill(template: str, mapping: dict, latex: bool = False) -> str:
    """Put names or numbers into an op's template: ``fill("σ({0})", {"0": "z"}) == "σ(z)"``."""
    if latex:
        template = _LATEX.sub(_latex_word, template)
        template = re.sub(r"\^\(([^()]*)\)", r"^{\1}", template)  # x^(y−1): one superscript

    def put(match: re.Match) -> str:
        if match.group(1) not in mapping:  # ² became ^{2} above: LaTeX, not a placeholder
            return match.group()
        text = mapping[match.group(1)]
        if match.group(1) == "g":  # the incoming gradient: already ∂-notation
            return text
        if latex:
            text = latex_name(text)
        # (-0.45)^2, not -0.45^2; but σ(-0.2) needs no second pair of brackets.
        if text.startswith("-") and template[match.start() - 1:match.start()] not in ("(", "|"):
            text = f"({text})"
        return "{" + text + "}" if latex else text

    filled = _PLACEHOLDER.sub(put, template)
    # The power rule for x² gives 2·x^1; on paper one writes 2·x.
    return re.sub(r"\^\{?1\}?(?![\d.])", "", filled)


def equation(*sides: str) -> str:
    """``a = b = c``, leaving out a side that only repeats the next (``1 = 1``)."""
    kept = [side for side, after in zip(sides, sides[1:]) if side.strip("()") != after]
    return " = ".join(kept + [sides[-1]])


def d(top: str, bottom: str) -> str:
    return f"∂{top}/∂{bottom}"


def latex_d(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {latex_name(top)}}}{{\partial {latex_name(bottom)}}}"


# "|" becomes \vert: a bare | would end the cell of a Markdown table.
_LATEX_FOR = {"·": r" \cdot ", "−": "-", "σ": r"\sigma", "√": r"\sqrt", "²": "^{2}", "|": r"\vert ",
              "×": r"\times", "÷": r"\div", "⊙": r" \odot ", "ᵀ": r"^{\top}", "Σ": r"\sum ",
              "@": r" \cdot ", "≤": r" \le ",
              **{word: "\\" + word for word in ("exp", "log", "ln", "tanh", "sin", "cos")},
              **{word: rf"\operatorname{{{word}}}".replace("_", r"\_")
                 for word in ("leaky_relu", "relu", "elu", "softplus", "sign")},
              "if": r"\text{ if }", "else": r"\text{ else }"}
# The symbols above, and every word: the placeholders ({0}, {c}) are words too, so they
# are left alone unless the table knows them or they name a function.
_LATEX = re.compile(r"[·−σ√²|×÷⊙ᵀΣ@≤]|(?<!\w)[A-Za-z_][A-Za-z_0-9]*")  # tanh² is tanh, then ²


def _latex_word(match: re.Match) -> str:
    """A symbol or word of a template in LaTeX; any other function name (``matmul(``)
    upright, as ``\\operatorname``."""
    word = match.group()
    if word in _LATEX_FOR:
        return _LATEX_FOR[word]
    if match.string.startswith("(", match.end()) and len(word) > 1:
        return rf"\operatorname{{{latex_escape(word)}}}"
    return word


def latex_name(name: str) -> str:
    """``x1`` -> ``x_{1}``, ``loss`` -> ``\\mathrm{loss}``; numbers stay as they are."""
    try:
        float(name)
        return name
    except ValueError:
        pass
    base = name.rstrip("'")
    primes = name[len(base):]
    match = re.fullmatch(r"([^\W\d_]+)(\d+)?", base)
    if match is None:
        return rf"\mathrm{{{latex_escape(base)}}}" + primes
    letters, digits = match.groups()
    letters = letters if len(letters) == 1 else rf"\mathrm{{{letters}}}"
    return letters + (f"_{{{digits}}}" if digits else "") + primes


def latex_escape(text: str) -> str:
    return re.sub(r"([\\{}_^#$%&~])", r"\\\1", text)
