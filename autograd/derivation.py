"""Derivations: every forward value and every chain-rule step of a Value graph, written out.

:func:`derive` walks the graph in the same topological order as ``backward()`` and
evaluates each op's own rules, ``op.forward`` and ``op.local``, so the derivation prints
the very numbers the engine uses. No derivative is written down a second time here.

With ``decimals=4`` it redoes the calculation the way a student does it on paper: every
value and every gradient is rounded when it is written down and used rounded from then
on. That is why a homework answer (∂f/∂w1 = -0.4458) and the engine (-0.445694) differ,
and the derivation says which of the two it shows.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import count

from .engine import topological_order
from .value import Value


@dataclass(frozen=True)
class Row:
    """One line of the forward table: ``name = expression = with numbers = value``.

    ``template`` is the op's expression (``"σ({0})"``), empty for an input; ``symbols``
    and ``numbers`` fill its placeholders, with the parents' names and with their values.
    """

    name: str
    template: str
    symbols: dict
    numbers: dict
    value: float


@dataclass(frozen=True)
class Term:
    """One use of a node by ``child``: the term ∂f/∂child · ∂child/∂node of its gradient.

    ``formula`` is the op's formula for ∂child/∂node, ``symbols`` fills it with names.
    """

    child: str
    formula: str
    symbols: dict
    local: float
    child_grad: float


@dataclass(frozen=True)
class Step:
    """One chain-rule step: ∂f/∂name is the sum of its terms (no terms for f itself)."""

    name: str
    terms: tuple[Term, ...]
    grad: float


class Derivation:
    """The forward table and the chain-rule steps of one output, as text and as numbers.

    ``str(d)`` is plain text; Jupyter shows Markdown with LaTeX. ``d.values`` and
    ``d.grads`` map node names to numbers, ``d.names`` maps each node (a Value) to its
    name, and ``d.value(node)`` and ``d.grad(node)`` take a Value or a name.

        >>> from autograd import Value
        >>> x = Value(3.0, label="x")
        >>> derive(x * x).grad(x)           # ∂f/∂x = x + x
        6.0
    """

    def __init__(self, output: str, decimals: int | None, wrt: str | None,
                 rows: list[Row], steps: list[Step], grads: dict, names: dict):
        self.output = output
        self.decimals = decimals
        self.wrt = wrt
        self.rows = rows
        self.steps = steps
        self.values = {row.name: row.value for row in rows}
        self.grads = grads
        self.names = names

    def value(self, node) -> float:
        """The forward value of ``node`` (a Value of this graph, or its name)."""
        return self.values[self._name_of(node)]

    def grad(self, node) -> float:
        """∂output/∂node for ``node`` (a Value of this graph, or its name)."""
        return self.grads[self._name_of(node)]

    def _name_of(self, node) -> str:
        name = self.names.get(node) if isinstance(node, Value) else node
        if name not in self.grads:
            raise KeyError(f"{node!r} is not a named node of this derivation "
                           f"(its names: {', '.join(self.grads)})")
        return name

    def _num(self, x: float, extra: int = 0) -> str:
        return _number(x, None if self.decimals is None else self.decimals + extra)

    # --- what both renderings say ---------------------------------------------------------
    def _mode(self) -> str:
        if self.decimals is None:
            return "exact: full precision, numbers shown to 6 significant digits"
        return (f"rounded to {self.decimals} decimals as by hand: each value and each "
                f"gradient is rounded as it is written down and used rounded from then on; "
                f"local derivatives come from the rounded values and are shown unrounded, "
                f"to {self.decimals + 2} decimals")

    def _title(self) -> str:
        about = f" with respect to {self.wrt}" if self.wrt else ""
        return f"Derivation of {self.output}{about}"

    def _backward_heading(self) -> str:
        if self.wrt:
            return (f"Backward pass: the chain rule from {self.output} back to {self.wrt} "
                    f"(only the nodes on paths from {self.wrt} to {self.output})")
        return f"Backward pass: the chain rule from {self.output} back to the inputs"

    def _results(self) -> list[str]:
        return [self.wrt] if self.wrt else [row.name for row in self.rows if not row.template]

    def _parts(self, step: Step, latex: bool) -> tuple[str, str, list[str]]:
        """The symbolic sum, the numeric sum and the local formulas of one step."""
        d = _latex_d if latex else _d
        dot = r" \cdot " if latex else " · "
        symbolic, numeric, where = [], [], []
        for t in step.terms:
            formula = _fill(t.formula, t.symbols, latex)
            local = _operand(self._num(t.local, extra=2))
            if t.child == self.output:
                # ∂f/∂f · ∂f/∂x would read as nonsense: f's own use is its local formula.
                symbolic.append(formula)
                numeric.append(local)
            else:
                symbolic.append(d(self.output, t.child) + dot + d(t.child, step.name))
                numeric.append(_operand(self._num(t.child_grad)) + dot + local)
                where.append(f"{d(t.child, step.name)} = {formula}")
        return " + ".join(symbolic), " + ".join(numeric), list(dict.fromkeys(where))

    # --- plain text -------------------------------------------------------------------------
    def __str__(self) -> str:
        table = [("node", "expression", "with numbers", "value")]
        for row in self.rows:
            if row.template:
                table.append((row.name, _fill(row.template, row.symbols),
                              _fill(row.template, row.numbers), self._num(row.value)))
            else:
                table.append((row.name, "input", "", self._num(row.value)))
        widths = [max(len(line[i]) for line in table) for i in range(3)]
        lines = [self._title(), *textwrap.wrap(f"({self._mode()})", 88), "",
                 "Forward pass: inputs first, then each node from its parents"]
        for line in table:
            cells = [cell.ljust(width) for cell, width in zip(line, widths)] + [line[3]]
            lines.append("  " + "  ".join(cells).rstrip())
        lines += ["", self._backward_heading()]
        width = max(len(_d(self.output, step.name)) for step in self.steps)
        for step in self.steps:
            head = _d(self.output, step.name).ljust(width)  # the = signs line up
            if not step.terms:
                lines.append(f"  {head} = 1")
                continue
            symbolic, numeric, where = self._parts(step, latex=False)
            lines.append("  " + _equation(head, symbolic, numeric, self._num(step.grad)))
            if where:
                lines.append("  " + " " * width + "   where " + ", ".join(where))
        lines += ["", "Result:"]
        lines += [f"  {_d(self.output, n)} = {self._num(self.grads[n])}" for n in self._results()]
        return "\n".join(lines)

    __repr__ = __str__  # a derivation is there to be read, in the REPL as in print()

    # --- Markdown with LaTeX, for Jupyter -------------------------------------------------
    def _repr_markdown_(self) -> str:
        lines = [f"**{self._title()}** ({self._mode()})", "",
                 "Forward pass: inputs first, then each node from its parents", "",
                 "| node | expression | with numbers | value |", "|---|---|---|---|"]
        for row in self.rows:
            cells = [_latex_name(row.name), "input", "", self._num(row.value)]
            if row.template:
                cells[1] = _fill(row.template, row.symbols, latex=True)
                cells[2] = _fill(row.template, row.numbers, latex=True)
            lines.append("| " + " | ".join(f"${c}$" if c not in ("", "input") else c
                                            for c in cells) + " |")
        lines += ["", self._backward_heading(), ""]
        for step in self.steps:
            head = _latex_d(self.output, step.name)
            if not step.terms:
                lines.append(f"$${head} = 1$$")
                continue
            symbolic, numeric, where = self._parts(step, latex=True)
            equation = _equation(head, symbolic, numeric, self._num(step.grad))
            if where:
                equation += r" \qquad \text{where } " + ", ".join(where)
            lines.append(f"$${equation}$$")
        results = [f"${_latex_d(self.output, n)} = {self._num(self.grads[n])}$"
                   for n in self._results()]
        return "\n".join(lines + ["", "Result: " + ", ".join(results)])


def derive(f: Value, decimals: int | None = None, wrt=None) -> Derivation:
    """Write out the forward pass and every chain-rule step that differentiates ``f``.

    Args:
        f: the output, a scalar ``Value``. Its graph is read, never changed (no ``.grad``
            is touched).
        decimals: ``None`` for the exact numbers; an int to redo the calculation as by
            hand, rounding every value and every gradient to that many decimals (half
            up) as it is written down.
        wrt: a Value or a name: show only the steps on paths from that input to ``f``.

    Unlabelled intermediates are named ``v1, v2, …`` (skipping the labels in use), an
    unlabelled output ``f``; unlabelled leaves are constants, shown as their number.

        >>> from autograd import Value
        >>> x, w = Value(2.0, label="x"), Value(0.4, label="w")
        >>> d = derive((x * w).sigmoid(), decimals=4)
        >>> d.grad(w)                        # σ(0.8)(1 − σ(0.8))·x, by hand
        0.4278
    """
    if not isinstance(f, Value):
        raise TypeError(f"derive() explains scalar Value graphs, got {type(f).__name__}")
    if decimals is not None and (type(decimals) is not int or decimals < 0):
        raise ValueError(f"decimals must be None or an int >= 0, got {decimals!r}")
    order = topological_order(f, only_requiring_grad=False)
    target = wrt if isinstance(wrt, Value) else None
    if target is not None and target not in order:
        raise ValueError(f"wrt={wrt!r} is not part of the graph of {f!r}")
    names = _name_nodes(order, f, target)
    if isinstance(wrt, str):
        target = _node_named(wrt, order, names)
    elif wrt is not None and target is None:
        raise TypeError(f"wrt must be a Value or a name, got {type(wrt).__name__}")

    def written(x: float) -> float:
        return x if decimals is None else _round_half_up(x, decimals)

    def shown(x: float) -> str:
        return _number(x, decimals)

    # Forward: each value from the written values of its parents, by the op's own rule.
    value: dict[Value, float] = {}
    for node in order:
        inputs = [value[p] for p in node.parents]
        value[node] = written(node.op.forward(*inputs, *node.ctx) if node.op else node.data)

    def symbol(node) -> str:
        return names[node] if node in names else shown(value[node])

    rows, fillings = [], {}
    for node in order:
        if node not in names:
            continue
        if node.op is None:
            rows.append(Row(names[node], "", {}, {}, value[node]))
            continue
        symbols = {"out": names[node]}  # a local formula may use the output: σ' = σ(1 − σ)
        numbers = {}
        for i, parent in enumerate(node.parents):
            symbols[str(i)], numbers[str(i)] = symbol(parent), shown(value[parent])
        if node.ctx:
            c = node.ctx[0]
            symbols["c"] = numbers["c"] = f"{c:g}"
            symbols["c1"] = numbers["c1"] = f"{c - 1:g}"
        fillings[node] = symbols
        rows.append(Row(names[node], node.op.expression, symbols, numbers, value[node]))

    # Backward: ∂f/∂node is the sum over the node's uses of ∂f/∂child · ∂child/∂node.
    grad: dict[Value, float] = {}
    terms: dict[Value, list[Term]] = {node: [] for node in order}
    for node in reversed(order):
        uses = terms[node]
        grad[node] = written(sum(t.child_grad * t.local for t in uses)) if uses else 1.0
        if node.op is None:
            continue
        inputs = [value[p] for p in node.parents]
        locals_ = node.op.local(value[node], *inputs, *node.ctx)
        for parent, formula, local in zip(node.parents, node.op.formulas, locals_):
            terms[parent].append(
                Term(names[node], formula, fillings[node], local, grad[node]))

    on_path = _descendants(order, target) if target is not None else set(names)
    steps = [Step(names[node], tuple(terms[node]), grad[node])
             for node in reversed(order) if node in names and node in on_path]
    grads = {names[node]: grad[node] for node in order if node in names}
    return Derivation(names[f], decimals, names[target] if target is not None else None,
                      rows, steps, grads, names)


def _name_nodes(order: list, root: Value, target: Value | None) -> dict[Value, str]:
    """node -> the name the derivation uses, for every node that is not a constant."""
    labels = {node.label for node in order if node.label}
    auto = (f"v{i}" for i in count(1) if f"v{i}" not in labels)
    names: dict[Value, str] = {}
    taken: set[str] = set()
    for node in order:
        if node.label:
            name = node.label
            while name in taken:  # two nodes with one label: x, x', x''
                name += "'"
        elif node is root:
            name = "f" if "f" not in labels else next(auto)
        elif node.op is None and node is not target:
            continue  # an unlabelled leaf is a constant, written as its number
        else:
            name = next(auto)
        names[node] = name
        taken.add(name)
    return names


def _node_named(name: str, order: list, names: dict) -> Value:
    for node in order:
        if names.get(node) == name:
            return node
    raise ValueError(f"wrt={name!r}: no node of this graph is called {name!r} "
                     f"(its names: {', '.join(names.values())})")


def _descendants(order: list, source: Value) -> set[Value]:
    """``source`` and every node computed from it (one pass, parents first)."""
    found = {source}
    for node in order:
        if any(parent in found for parent in node.parents):
            found.add(node)
    return found


# --- numbers ------------------------------------------------------------------------------
def _round_half_up(x: float, decimals: int) -> float:
    # round() rounds ties to even on the binary value (round(0.125, 2) == 0.12); a student
    # rounds the decimal digits on the calculator's display half up: 0.13.
    if not math.isfinite(x):
        return x
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def _number(x: float, places: int | None) -> str:
    """6 significant digits, or at most ``places`` decimals without trailing zeros."""
    text = f"{x:.6g}" if places is None else f"{x:.{places}f}"
    if places is not None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _operand(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


# --- writing expressions ------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\{(0|1|c|c1|out)\}")


def _fill(template: str, mapping: dict, latex: bool = False) -> str:
    """Put names or numbers into an op's template: ``_fill("σ({0})", {"0": "z"}) == "σ(z)"``."""
    if latex:
        template = _LATEX.sub(lambda m: _LATEX_FOR[m.group()], template)
        template = re.sub(r"\^\(([^()]*)\)", r"^{\1}", template)  # x^(y−1): one superscript

    def put(match: re.Match) -> str:
        text = mapping[match.group(1)]
        if latex:
            text = _latex_name(text)
        # (-0.45)^2, not -0.45^2; but σ(-0.2) needs no second pair of brackets.
        if text.startswith("-") and template[match.start() - 1:match.start()] not in ("(", "|"):
            text = f"({text})"
        return "{" + text + "}" if latex else text

    return _PLACEHOLDER.sub(put, template)


def _equation(*sides: str) -> str:
    """``a = b = c``, leaving out a side that only repeats the next (``1 = 1``)."""
    kept = [side for side, after in zip(sides, sides[1:]) if side.strip("()") != after]
    return " = ".join(kept + [sides[-1]])


def _d(top: str, bottom: str) -> str:
    return f"∂{top}/∂{bottom}"


def _latex_d(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {_latex_name(top)}}}{{\partial {_latex_name(bottom)}}}"


# "|" becomes \vert: a bare | would end the cell of a Markdown table.
_LATEX_FOR = {"·": r" \cdot ", "−": "-", "σ": r"\sigma", "√": r"\sqrt", "²": "^{2}", "|": r"\vert ",
              **{word: "\\" + word for word in ("exp", "log", "ln", "tanh", "sin", "cos")},
              **{word: rf"\operatorname{{{word}}}".replace("_", r"\_")
                 for word in ("leaky_relu", "relu", "elu", "softplus", "sign")},
              "if": r"\text{ if }", "else": r"\text{ else }"}
_LATEX = re.compile(r"[·−σ√²|]|\b(?:" + "|".join(w for w in _LATEX_FOR if w.isidentifier())
                    + r")\b")


def _latex_name(name: str) -> str:
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
        return rf"\mathrm{{{_latex_escape(base)}}}" + primes
    letters, digits = match.groups()
    letters = letters if len(letters) == 1 else rf"\mathrm{{{letters}}}"
    return letters + (f"_{{{digits}}}" if digits else "") + primes


def _latex_escape(text: str) -> str:
    return re.sub(r"([\\{}_^#$%&~])", r"\\\1", text)
