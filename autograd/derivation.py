"""Derivations: every forward value and every chain-rule step of a graph, written out.

:func:`derive` walks the graph in the same topological order as ``backward()`` and
evaluates each op's own rules, so the derivation prints the very numbers the engine uses.
No derivative is written down a second time here.

* A ``Value`` graph is explained number by number: ``op.forward`` gives each value and
  ``op.local`` each local derivative, printed with its formula (``σ(z)(1 − σ(z))``).
  With ``decimals=4`` it redoes the calculation the way a student does it on paper: every
  value and every gradient is rounded when it is written down and used rounded from then
  on. That is why a homework answer (∂f/∂w1 = -0.4458) and the engine (-0.445694) differ,
  and the derivation says which of the two it shows.
* A ``Tensor`` graph is explained array by array: the forward table gives each node's
  shape, dtype and value, and each step hands ∂L/∂output to the op's own ``backward``
  (its vector-Jacobian product, VJP), as ``loss.backward()`` does. ``decimals`` only
  rounds what is shown: a calculation by hand, rounded as it goes, is a scalar exercise.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from .dtypes import to_host
from .engine import Node, chain_rule, topological_order
from .kernels import FLOATS
from .notation import (
    d,
    equation,
    fill,
    format_number,
    latex_d,
    latex_escape,
    latex_name,
    name_nodes,
    nested,
    operand,
    round_half_up,
)
from .tensor import Tensor
from .value import Value

#: Arrays with at most this many elements are printed in full, larger ones summarized.
SHOWN_IN_FULL = 12


@dataclass(frozen=True)
class Row:
    """One line of the forward table: ``name = expression = with numbers = value``.

    ``template`` is the op's expression (``"σ({0})"``), empty for an input; ``symbols``
    and ``numbers`` fill its placeholders, with the parents' names and with their values.
    For a Tensor graph ``value`` is an array and ``numbers`` is empty: arrays are not
    written into expressions.
    """

    name: str
    template: str
    symbols: dict
    numbers: dict
    value: float | np.ndarray


@dataclass(frozen=True)
class Term:
    """One use of a Value by ``child``: the term ∂f/∂child · ∂child/∂node of its gradient.

    ``formula`` is the op's formula for ∂child/∂node, ``symbols`` fills it with names;
    ``contribution`` is this use's share of ∂f/∂node.
    """

    child: str
    formula: str
    symbols: dict
    local: float
    child_grad: float

    @property
    def contribution(self) -> float:
        return self.child_grad * self.local


@dataclass(frozen=True)
class TensorTerm:
    """One use of a Tensor by ``child``: what ``op``'s backward made of ∂L/∂child.

    ``contribution`` is this use's share of ∂L/∂node, an array of the node's shape;
    ``formula`` is how the op writes that VJP (``{g} @ {1}ᵀ``), ``symbols`` fills it.
    """

    child: str
    op: str
    contribution: np.ndarray
    formula: str | None = None
    symbols: dict | None = None


@dataclass(frozen=True)
class Step:
    """One chain-rule step: ∂f/∂name is the sum of its terms (no terms for f itself)."""

    name: str
    terms: tuple
    grad: float | np.ndarray


class Derivation:
    """The forward table and the chain-rule steps of a Value graph, as text and as numbers.

    (A Tensor graph gets a :class:`TensorDerivation`, which writes arrays instead.)

    ``str(d)`` is plain text; Jupyter shows Markdown with LaTeX. ``d.values`` and
    ``d.grads`` map node names to numbers, ``d.names`` maps each node to its name, and
    ``d.value(node)`` and ``d.grad(node)`` take a node or a name.

        >>> from autograd import Value
        >>> x = Value(3.0, label="x")
        >>> derive(x * x).grad(x)           # ∂f/∂x = x + x
        6.0
    """

    columns = ("node", "expression", "with numbers", "value")
    #: What the backward pass's notation means, when it needs saying.
    notation = ""

    def __init__(self, output: str, decimals: int | None, wrt: str | None,
                 rows: list[Row], steps: list[Step], grads: dict, names: dict,
                 note: str = ""):
        self.output = output
        #: One line naming the first node whose value is nan or infinite, and why; or "".
        self.note = note
        self.decimals = decimals
        self.wrt = wrt
        self.rows = rows
        self.steps = steps
        self.values = {row.name: row.value for row in rows}
        self.grads = grads
        self.names = names

    def value(self, node):
        """The forward value of ``node`` (a node of this graph, or its name)."""
        return self.values[self._name_of(node, self.values)]

    def grad(self, node):
        """∂output/∂node for ``node`` (a node of this graph, or its name)."""
        return self.grads[self._name_of(node, self.grads)]

    def _name_of(self, node, table: dict) -> str:
        name = self.names.get(node) if isinstance(node, Node) else node
        if name in self.values and name not in table:
            raise KeyError(f"{name} has no gradient: it does not require grad")
        if name not in table:
            raise KeyError(f"{node!r} is not a named node of this derivation "
                           f"(its names: {', '.join(self.values)})")
        return name

    def _num(self, x: float, extra: int = 0) -> str:
        return format_number(x, None if self.decimals is None else self.decimals + extra)

    # --- what a Value derivation writes; TensorDerivation writes arrays instead ---------
    def _mode(self) -> str:
        if self.decimals is None:
            return "exact: full precision, numbers shown to 6 significant digits"
        return (f"rounded to {self.decimals} decimals as by hand: each value and each "
                f"gradient is rounded as it is written down and used rounded from then on; "
                f"local derivatives come from the rounded values and are shown unrounded, "
                f"to {self.decimals + 2} decimals")

    def _shown(self, x: float, latex: bool = False) -> str:
        return self._num(x)

    def _cells(self, row: Row, latex: bool) -> list[str]:
        """The forward table's cells for one row."""
        cells = [latex_name(row.name) if latex else row.name, "input", "", self._num(row.value)]
        if row.template:
            cells[1] = fill(row.template, row.symbols, latex)
            cells[2] = fill(row.template, row.numbers, latex)
        return [f"${c}$" if latex and c not in ("", "input") else c for c in cells]

    def _parts(self, step: Step, latex: bool) -> tuple[list[str], list[str]]:
        """The sides of one step's equation before its result, and its "where" notes:
        here the symbolic sum, the numeric sum, and the local formulas."""
        partial = latex_d if latex else d
        dot = r" \cdot " if latex else " · "
        symbolic, numeric, where = [], [], []
        for t in step.terms:
            formula = fill(t.formula, t.symbols, latex)
            local = operand(self._num(t.local, extra=2))
            if t.child == self.output:
                # ∂f/∂f · ∂f/∂x would read as nonsense: f's own use is its local formula.
                symbolic.append(formula)
                numeric.append(local)
            else:
                symbolic.append(partial(self.output, t.child) + dot + partial(t.child, step.name))
                numeric.append(operand(self._num(t.child_grad)) + dot + local)
                where.append(f"{partial(t.child, step.name)} = {formula}")
        return [" + ".join(symbolic), " + ".join(numeric)], list(dict.fromkeys(where))

    # --- what both kinds say ------------------------------------------------------------
    def _title(self) -> str:
        about = f" with respect to {self.wrt}" if self.wrt else ""
        return f"Derivation of {self.output}{about}"

    def _backward_heading(self) -> str:
        if self.wrt:
            return (f"Backward pass: the chain rule from {self.output} back to {self.wrt} "
                    f"(only the nodes on paths from {self.wrt} to {self.output})")
        return f"Backward pass: the chain rule from {self.output} back to the inputs"

    def _results(self) -> list[str]:
        if self.wrt:
            return [self.wrt]
        return [row.name for row in self.rows if not row.template and row.name in self.grads]

    # --- plain text -------------------------------------------------------------------------
    def __str__(self) -> str:
        table = [self.columns] + [self._cells(row, latex=False) for row in self.rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(self.columns) - 1)]
        lines = [self._title(), *textwrap.wrap(f"({self._mode()})", 88), "",
                 "Forward pass: inputs first, then each node from its parents"]
        for line in table:  # the last column, the value, is not padded
            cells = [cell.ljust(width) for cell, width in zip(line, widths)] + [line[-1]]
            lines.append("  " + "  ".join(cells).rstrip())
        if self.note:
            lines.append(self.note)
        lines += ["", self._backward_heading(), *textwrap.wrap(self.notation, 88)]
        width = max(len(d(self.output, step.name)) for step in self.steps)
        for step in self.steps:
            head = d(self.output, step.name).ljust(width)  # the = signs line up
            if not step.terms:
                lines.append(f"  {head} = 1")
                continue
            sides, where = self._parts(step, latex=False)
            lines.append("  " + equation(head, *sides, self._shown(step.grad)))
            if where:
                lines.append("  " + " " * width + "   where " + ", ".join(where))
        lines += ["", "Result:"]
        lines += [f"  {d(self.output, n)} = {self._shown(self.grads[n])}"
                  for n in self._results()]
        return "\n".join(lines)

    __repr__ = __str__  # a derivation is there to be read, in the REPL as in print()

    # --- Markdown with LaTeX, for Jupyter -------------------------------------------------
    def _repr_markdown_(self) -> str:
        lines = [f"**{self._title()}** ({self._mode()})", "",
                 "Forward pass: inputs first, then each node from its parents", "",
                 "| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        lines += ["| " + " | ".join(self._cells(row, latex=True)) + " |" for row in self.rows]
        if self.note:
            lines += ["", f"**{self.note}**"]
        lines += ["", self._backward_heading(), *([self.notation] if self.notation else []), ""]
        # Each display formula a paragraph of its own: Markdown joins consecutive lines
        # into one paragraph, where some renderers run the formulas together.
        for step in self.steps:
            head = latex_d(self.output, step.name)
            if not step.terms:
                lines += [f"$${head} = 1$$", ""]
                continue
            sides, where = self._parts(step, latex=True)
            line = equation(head, *sides, self._shown(step.grad, latex=True))
            if where:
                line += r" \qquad \text{where } " + ", ".join(where)
            lines += [f"$${line}$$", ""]
        results = [f"${latex_d(self.output, n)} = {self._shown(self.grads[n], latex=True)}$"
                   for n in self._results()]
        return "\n".join(lines + ["Result: " + ", ".join(results)])


class TensorDerivation(Derivation):
    """A derivation of a Tensor graph: shapes and arrays instead of numbers and formulas.

    ``d.values`` and ``d.grads`` hold the exact arrays; ``d.grad(W)`` equals ``W.grad``
    after ``loss.backward()``. Nodes that do not require grad have no gradient.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0, 2.0], requires_grad=True, label="w")
        >>> derive((w * w).sum()).grad(w)   # ∂L/∂w = 2w
        array([2., 4.], dtype=float32)
    """

    columns = ("node", "expression", "shape", "dtype", "value")
    notation = ("(Each term is an op's vector-Jacobian product: from ∂L/∂output it gives "
                "∂L/∂input, an array of the input's shape; ⊙ multiplies elementwise, @ is "
                "the matrix product, ᵀ transposes. A node used more than once adds up one "
                "term per use.)")

    def _mode(self) -> str:
        summary = (f"an array of more than {SHOWN_IN_FULL} elements is summarized by its "
                   f"mean, min and max")
        if self.decimals is None:
            return f"exact: full precision, numbers shown to 6 significant digits; {summary}"
        # Rounding as it goes, as by hand, is a scalar exercise: Value graphs do that.
        return (f"exact: full precision, numbers shown rounded to {self.decimals} decimals; "
                f"for Tensors decimals only changes the display; {summary}")

    def _shown(self, a: np.ndarray, latex: bool = False) -> str:
        """An array written out: in full when small, else its shape, mean, min and max."""
        a = np.asarray(a)

        def number(x) -> str:
            return self._num(float(x))

        if a.size > SHOWN_IN_FULL:
            text = (f"shape {a.shape}: mean {number(a.mean())}, min {number(a.min())}, "
                    f"max {number(a.max())}")
        elif latex and a.ndim in (1, 2):  # as written by hand: a row vector or a matrix
            rows = [" & ".join(map(number, row)) for row in np.atleast_2d(a)]
            return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"
        else:
            text = nested(a, number)
        return rf"\text{{{text}}}" if latex and a.ndim else text

    def _cells(self, row: Row, latex: bool) -> list[str]:
        name, value = row.name, self._shown(row.value, latex)
        expression = fill(row.template, row.symbols, latex) if row.template else "input"
        if latex:
            name, value = f"${latex_name(name)}$", f"${value}$"
            expression = f"${expression}$" if row.template else expression
        return [name, expression, str(row.value.shape), str(row.value.dtype), value]

    def _parts(self, step: Step, latex: bool) -> tuple[list[str], list[str]]:
        """The sum of the ops' VJPs, each written with its rule (``σ(z)(1 − σ(z)) ⊙ ∂L/∂y``,
        ``∂L/∂z @ Wᵀ``), and what each child is."""
        rows = {row.name: row for row in self.rows}
        vjps, where = [], []
        for t in step.terms:
            upstream = latex_d(self.output, t.child) if latex else d(self.output, t.child)
            if t.formula:
                vjps.append(fill(t.formula, {**t.symbols, "g": upstream}, latex))
            elif latex:  # an op that does not write its rule (a user's Function)
                vjps.append(rf"\mathrm{{VJP}}_{{\mathrm{{{latex_escape(t.op)}}}}}"
                            rf"\left({upstream}\right)")
            else:
                vjps.append(f"VJP_{t.op}({upstream})")
            row = rows[t.child]
            name = latex_name(t.child) if latex else t.child
            where.append(f"{name} = {fill(row.template, row.symbols, latex)}")
        return [" + ".join(vjps)], list(dict.fromkeys(where))


def derive(f: Value | Tensor, decimals: int | None = None, wrt=None) -> Derivation:
    """Write out the forward pass and every chain-rule step that differentiates ``f``.

    Args:
        f: the output: a ``Value``, or a ``Tensor`` with one element (a loss). Its graph
            is read, never changed (no ``.grad`` is touched).
        decimals: ``None`` for the exact numbers. For a Value graph, an int redoes the
            calculation as by hand, rounding every value and every gradient to that many
            decimals (half up) as it is written down. For a Tensor graph it only rounds
            the numbers shown; the arrays in ``d.values`` and ``d.grads`` stay exact.
        wrt: a node or a name: show only the steps on paths from that input to ``f``.

    Unlabelled intermediates are named ``v1, v2, …`` (skipping the labels in use), an
    unlabelled output ``f`` (``L`` for a Tensor). Unlabelled leaves are constants shown
    as their number, except Tensors that require grad or hold more than one number,
    which get a name too.

        >>> from autograd import Value
        >>> x, w = Value(2.0, label="x"), Value(0.4, label="w")
        >>> d = derive((x * w).sigmoid(), decimals=4)
        >>> d.grad(w)                        # σ(0.8)(1 − σ(0.8))·x, by hand
        0.4278

    A Tensor graph prints shapes, and each gradient as its op's VJP:
    ``∂L/∂W = VJP_matmul(∂L/∂v1) = [[...]]``.
    """
    if not isinstance(f, (Value, Tensor)):
        raise TypeError(f"derive() explains a graph of Values or of Tensors, "
                        f"got {type(f).__name__}")
    if decimals is not None and (type(decimals) is not int or decimals < 0):
        raise ValueError(f"decimals must be None or an int >= 0, got {decimals!r}")
    tensor = isinstance(f, Tensor)
    if tensor and f.numel() != 1:
        raise ValueError(f"derive() explains a scalar output such as a loss, but this "
                         f"Tensor has shape {tuple(f.shape)}; call .sum() or .mean() first")
    if tensor and not f.requires_grad:
        raise ValueError("derive(): no Tensor in this graph has requires_grad=True, so "
                         "there is no gradient to explain")
    order = topological_order(f, only_requiring_grad=False)
    target = wrt if isinstance(wrt, Node) else None
    if target is not None and target not in set(order):
        raise ValueError(f"wrt={wrt!r} is not part of the graph of {f!r}")
    names = node_names(f, target)
    if isinstance(wrt, str):
        target = _node_named(wrt, order, names)
    elif wrt is not None and target is None:
        raise TypeError(f"wrt must be a {type(f).__name__} or a name, got {type(wrt).__name__}")
    if target is not None and not target.requires_grad:
        raise ValueError(f"wrt={names[target]}: it does not require grad, so it has no "
                         f"gradient (make it with requires_grad=True)")

    explain = _explain_tensors if tensor else _explain_values
    rows, grad, terms = explain(order, f, names, decimals)
    on_path = _descendants(order, target) if target is not None else set(names)
    steps = [Step(names[node], tuple(terms.get(node, ())), grad[node]) for node in reversed(order)
             if node in names and node in on_path and node in grad]
    grads = {names[node]: grad[node] for node in order if node in names and node in grad}
    kind = TensorDerivation if tensor else Derivation
    values = {row.name: row.value for row in rows}
    note = _non_finite_note([n for n in order if n in names], names, values)
    return kind(names[f], decimals, names[target] if target is not None else None,
                rows, steps, grads, names, note)


def node_names(f: Node, wrt: Node | None = None) -> dict:
    """node -> its name in ``derive(f, wrt=wrt)``, for every node of ``f``'s graph that
    has one; pictures and animations name nodes with it too.

    A node's label; else ``f`` for the output (``L`` for a Tensor), and ``v1, v2, …``
    in topological order, skipping the labels in use. An unlabelled leaf is a constant,
    written as its number and left out, unless it is ``wrt`` or a Tensor that requires
    grad or holds more than one number.

        >>> from autograd import Value
        >>> x = Value(2.0, label="x"); f = (x * 3).exp()
        >>> sorted(node_names(f).values())      # 3 is a constant: no name
        ['f', 'v1', 'x']
    """
    order = topological_order(f, only_requiring_grad=False)
    if isinstance(f, Tensor):  # a Tensor that needs no gradient is still an input if an array
        return name_nodes(order, f, wrt, "L",
                          lambda leaf: not leaf.requires_grad and np.size(leaf.data) == 1)
    return name_nodes(order, f, wrt, "f", lambda leaf: True)


def _non_finite_note(named: list, names: dict, values: dict) -> str:
    """"Note: v2 = log(x) is nan: log of a negative number." for the first node (in
    forward order) whose value is nan or infinite while its inputs are finite, the place
    where the trouble starts; "" when every value is finite."""
    def finite(x) -> bool:
        return bool(np.all(np.isfinite(x)))

    for node in named:
        value = values[names[node]]
        if finite(value):
            continue
        if node.op is None:
            return f"Note: the input {names[node]} is {_what(value)}."
        inputs = [values[names[p]] if p in names else to_host(p.data) for p in node.parents]
        if all(finite(x) for x in inputs):
            return (f"Note: {names[node]} is {_what(value)}: "
                    f"{_why_not_finite(node.op.name, inputs, value)}.")
    return ""


def _what(x) -> str:
    x = np.asarray(x)
    if x.ndim:
        return f"not finite in {int(np.sum(~np.isfinite(x)))} of {x.size} elements"
    return "nan" if np.isnan(x) else ("inf" if x > 0 else "−inf")


def _why_not_finite(op: str, inputs: list, value) -> str:
    """Why an op turned finite inputs into nan or ±inf, in a learner's words."""
    first = np.asarray(inputs[0])
    if op == "log":
        return "log of a negative number" if np.any(first < 0) else "log of 0 is −inf"
    if op == "sqrt":
        return "square root of a negative number"
    if op == "÷" and np.any(np.asarray(inputs[1]) == 0):
        return "division by zero"
    if op == "^" and np.any(first == 0):  # 0 to a positive power is 0, finite
        return "0 raised to a negative power (division by zero)"
    if op == "^" and np.any(first < 0):
        return "a negative number raised to a fractional power"
    if np.all(~np.isnan(np.asarray(value))):
        return "overflow: the result is too large for a float"
    return f"{op} is undefined for these inputs"


def _symbols(node: Node, symbol_of) -> dict:
    """What fills the op's templates for ``node``: its inputs (``symbol_of(parent)``), its
    output and its parameters (``{alpha}``, and ``{c-1}`` for the power rule)."""
    symbols = {str(i): symbol_of(parent) for i, parent in enumerate(node.parents)}
    symbols["out"] = symbol_of(node)  # a formula may use the output: σ' = σ(1 − σ)
    for name, value in node.op.describe(node).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            symbols[name], symbols[f"{name}-1"] = f"{value:g}", f"{value - 1:g}"
        else:
            symbols[name] = str(value)
    return symbols


def fill_formula(template: str, node: Node, names: dict) -> str:
    """An op's template written with the names (or numbers) that ``names`` gives ``node``
    and its parents: ``"σ({0})(1 − σ({0}))"`` for y = σ(z) reads ``σ(z)(1 − σ(z))``."""
    return fill(template, _symbols(node, names.__getitem__))


def _walk(f: Node, seed, uses, written=None) -> tuple[dict, dict]:
    """The engine's :func:`~autograd.engine.chain_rule`, recording what it explains:
    ``uses(node, grad)`` returns one (contribution, term) per parent, or None for a parent
    that gets nothing. Returns node -> gradient and node -> its terms."""
    terms: dict = {}

    def contributions(node, grad):
        out = []
        for parent, use in zip(node.parents, uses(node, grad)):
            if use is None or not parent.requires_grad:
                out.append(None)
                continue
            terms.setdefault(parent, []).append(use[1])
            out.append(use[0])
        return out

    grad = dict(chain_rule(f, seed, contributions, written))
    return grad, terms


def _explain_values(order: list, f: Value, names: dict, decimals: int | None):
    """Rows, gradients and terms of a Value graph, from the rules' forward and derivatives."""
    def written(x: float) -> float:
        return x if decimals is None else round_half_up(x, decimals)

    def shown(x: float) -> str:
        return format_number(x, decimals)

    # Forward: each value from the written values of its parents, by the op's own rule.
    value: dict[Value, float] = {}
    for node in order:
        inputs = [value[p] for p in node.parents]
        value[node] = written(node.op.forward(FLOATS, *inputs, *node.ctx) if node.op
                              else node.data)

    def symbol(node) -> str:
        return names[node] if node in names else shown(value[node])

    rows, fillings = [], {}
    for node in order:
        if node not in names:
            continue
        if node.op is None:
            rows.append(Row(names[node], "", {}, {}, value[node]))
            continue
        fillings[node] = _symbols(node, symbol)
        numbers = _symbols(node, lambda n: shown(value[n]))
        rows.append(Row(names[node], node.op.expression, fillings[node], numbers, value[node]))

    def uses(node: Value, grad: float) -> list:
        locals_ = node.op.locals_at(value[node], [value[p] for p in node.parents], node.ctx)
        return [(grad * local, Term(names[node], formula, fillings[node], local, grad))
                for formula, local in zip(node.op.formulas, locals_)]

    return (rows, *_walk(f, 1.0, uses, lambda node, g: written(g)))


def _explain_tensors(order: list, f: Tensor, names: dict, decimals: int | None):
    """Rows, gradients and terms of a Tensor graph: the arrays as they are, and each
    op's own ``backward`` for the gradients (what ``loss.backward()`` calls)."""
    def symbol(node) -> str:
        return names[node] if node in names else format_number(node.data.item(), decimals)

    rows = []
    for node in order:
        if node not in names:
            continue
        template, symbols = (_tensor_expression(node), _symbols(node, symbol)) if node.op \
            else ("", {})
        # A copy (from the GPU, or of the array: the derivation is a snapshot, and an
        # optimizer step changes W.data in place).
        rows.append(Row(names[node], template, symbols, {}, np.array(to_host(node.data))))

    def uses(node: Tensor, grad: np.ndarray) -> list:
        op = node.op.name if node.op.name.isidentifier() else node.op.title or node.op.name
        symbols = _symbols(node, symbol)
        formulas = node.op.formulas or (None,)  # None: the op does not write its VJP
        if len(formulas) == 1:  # one formula for every input (concatenate, stack)
            formulas = formulas * len(node.parents)
        return [None if vjp is None else
                (vjp, TensorTerm(names[node], op, to_host(vjp), formula, symbols))
                for vjp, formula in zip(node.op.backward(node, grad), formulas)]

    grad, terms = _walk(f, f._seed_grad(None), uses)
    # .grad keeps its node's dtype, as the engine stores it: a float32 W in a float64 loss
    # (a float64 NumPy target upcasts) still gets a float32 gradient.
    return rows, {node: to_host(g).astype(node.dtype, copy=False)
                  for node, g in grad.items()}, terms


def _node_named(name: str, order: list, names: dict) -> Node:
    for node in order:
        if names.get(node) == name:
            return node
    raise ValueError(f"wrt={name!r}: no node of this graph is called {name!r} "
                     f"(its names: {', '.join(names.values())})")


def _descendants(order: list, source: Node) -> set:
    """``source`` and every node computed from it (one pass, parents first)."""
    found = {source}
    for node in order:
        if any(parent in found for parent in node.parents):
            found.add(node)
    return found


# --- writing Tensor ops -------------------------------------------------------------------
def _tensor_expression(node: Tensor) -> str:
    """The op's template (``{0} @ {1}``), or one made from its name: ``sum({0})``."""
    if node.op.expression:
        return node.op.expression
    inputs = ", ".join(f"{{{i}}}" for i in range(len(node.parents)))
    if not node.op.name.isidentifier() and len(node.parents) == 2:  # an operator: + − × ÷
        return f"{{0}} {node.op.name} {{1}}"
    return f"{node.op.name}({inputs})"
