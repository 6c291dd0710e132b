"""Expressions from text: ``parse("(sigmoid(x1*w1 + x2*w2) - t)**2", x1=2, ...)``.

The text goes through Python's own parser (:func:`ast.parse`), and the syntax tree is
then read node by node against a whitelist: numbers, variable names, ``+ - * / **``,
unary ``-`` and ``+``, and calls of the Value functions (``sigmoid(z)``,
``leaky_relu(z, 0.1)``). Each node becomes the matching Value operation, so the graph
is the one the same formula written in Python would build. The text itself is never
run (no ``eval``, ``exec`` or ``compile``): ``__import__('os')`` can only be an error.
"""

from __future__ import annotations

import ast
import numbers
import operator
import warnings

from .rules import FUNCTIONS
from .value import Value

MAX_LENGTH = 1000
MAX_DEPTH = 100  # levels of brackets, and of the syntax tree (an operator or a call is one)

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: lambda x: x}
_ALLOWED = "numbers, variables, + - * / ** and the functions " + ", ".join(sorted(FUNCTIONS))
# Names for what a learner may try and we refuse; anything else is named by its ast class.
_WHAT = {ast.Attribute: "attribute access", ast.Subscript: "indexing", ast.Lambda: "lambda",
         ast.Compare: "comparison", ast.BoolOp: "and/or", ast.IfExp: "if/else",
         ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set",
         ast.JoinedStr: "f-string", ast.NamedExpr: "assignment", ast.Starred: "unpacking",
         ast.Mod: "operator %", ast.FloorDiv: "operator //", ast.MatMult: "operator @",
         ast.Not: "operator not", ast.Invert: "operator ~", ast.BitXor: "operator ^ (for a "
         "power write **)", ast.BitAnd: "operator &", ast.BitOr: "operator |",
         ast.LShift: "operator <<", ast.RShift: "operator >>",
         str: "string", bytes: "bytes", bool: "True/False", complex: "complex number"}


def parse(expr: str, /, **values: float) -> tuple[Value, dict[str, Value]]:
    """Build a Value graph from the text of an expression.

    Returns ``(output, variables)``: the output Value and a dict name -> the leaf Value
    of each variable, labelled with its name. Every variable needs a value, and every
    value needs a variable (a value for a name the expression does not use is an error,
    because it is nearly always a typo). Intermediate nodes are unlabelled.

    Raises ``ValueError`` naming the offending piece and its column (1-based) for
    anything outside the grammar, and for a missing or extra value.

        >>> f, v = parse("(sigmoid(x1*w1 + x2*w2) - t)**2", x1=2, x2=3, w1=0.4, w2=-0.2, t=1)
        >>> f.backward()
        >>> round(v["w1"].grad, 6)
        -0.445694
    """
    tree = _syntax_tree(expr)
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"the value of {name} must be a number, got {value!r}")
        try:
            float(value)
        except OverflowError:  # an int too large for a float, such as 10**400
            raise ValueError(f"the value of {name} is too large for a float: "
                             f"{str(value)[:20]}… ({len(str(value))} digits)") from None
    builder = _Builder(expr, values)
    output = builder.build(tree.body)
    unused = [name for name in values if name not in builder.variables]
    if unused:
        raise ValueError(f"a value is given for {', '.join(unused)}, but the expression has "
                         f"no such variable (its variables: {', '.join(builder.variables)})")
    # A formula of numbers alone, such as "2", is still a graph: its output is a Value.
    return (output if isinstance(output, Value) else Value(output)), builder.variables


def _syntax_tree(expr: str) -> ast.Expression:
    """Python's syntax tree of ``expr``, after the checks that need no tree."""
    if not isinstance(expr, str):
        raise TypeError(f"the expression must be a string, got {type(expr).__name__}")
    if len(expr) > MAX_LENGTH:
        raise ValueError(f"the expression is {len(expr):,} characters long; the limit is "
                         f"{MAX_LENGTH:,} (it goes on past column {MAX_LENGTH})")
    depth = 0
    for column, char in enumerate(expr, 1):
        if not char.isprintable():  # also keeps the expression on one line
            raise ValueError(f"unexpected character {char!r} at column {column}")
        depth += (char in "([{") - (char in ")]}")
        if depth > MAX_DEPTH:
            raise ValueError(f"the expression is nested more than {MAX_DEPTH} levels deep: "
                             f"bracket {char!r} at column {column}")
    text = expr.lstrip()
    if not text:
        raise ValueError("the expression is empty")
    indent = len(expr) - len(text)  # ast.parse refuses leading spaces; columns keep them
    try:
        with warnings.catch_warnings():
            # "1if x" parses with a SyntaxWarning on stderr; the refusal below says enough.
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        column = indent + (error.offset or len(text) + 1)
        piece = repr(expr[column - 1]) if column <= len(expr) else "the end"
        raise ValueError(f"syntax error at column {column} ({piece}): {error.msg}") from None
    except (RecursionError, MemoryError):
        # Python's own parser gives up on some deep nestings (a thousand unary minus signs).
        raise ValueError(f"the expression is nested more than {MAX_DEPTH} levels deep "
                         f"(from column 1: {_short(expr)!r})") from None
    _check_depth(tree, expr, indent)
    return tree


def _check_depth(tree: ast.Expression, expr: str, indent: int) -> None:
    # Iterative, so that measuring a deep tree cannot itself hit the recursion limit; the
    # builder below recurses, and this check is what keeps it shallow.
    stack = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"the expression is nested more than {MAX_DEPTH} levels deep: "
                             f"{_piece(expr, node)!r} at {_where(node, expr, indent)} (each "
                             f"operator and each function call is one level)")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if isinstance(child, ast.expr))


class _Builder:
    """Turns whitelisted syntax-tree nodes into Value operations, one node type at a time."""

    def __init__(self, expr: str, values: dict):
        self.expr = expr
        self.indent = len(expr) - len(expr.lstrip())
        self.values = values
        self.variables: dict[str, Value] = {}

    def build(self, node: ast.expr):
        """A Value, or a plain float for a part made of numbers alone (``-0.1``)."""
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.variable(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = self.build(node.left), self.build(node.right)
            if not isinstance(left, Value) and not isinstance(right, Value):
                # 2**10000 in Python floats raises OverflowError; a Value gives inf.
                left = Value(left)
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](self.build(node.operand))
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.refuse(node)

    def number(self, node: ast.Constant) -> float:
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise self.refuse(node, _WHAT.get(type(node.value), "constant"))
        try:
            return float(node.value)
        except OverflowError:  # an int literal with hundreds of digits
            raise ValueError(f"the number {_piece(self.expr, node)!r} at {self.where(node)} "
                             f"is too large") from None

    def variable(self, node: ast.Name) -> Value:
        name = node.id
        if name in FUNCTIONS:
            raise ValueError(f"{name} at {self.where(node)} is a function; "
                             f"call it, as in {name}(x)")
        if name not in self.variables:
            if name not in self.values:
                raise ValueError(f"no value for the variable {name} at {self.where(node)}; "
                                 f"give one, as in {name}=1.5")
            self.variables[name] = Value(self.values[name], label=name)
        return self.variables[name]

    def call(self, node: ast.Call) -> Value:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ValueError(f"unknown function {_piece(self.expr, node.func)!r} at "
                             f"{self.where(node.func)}; the functions are "
                             f"{', '.join(sorted(FUNCTIONS))}")
        name = node.func.id
        # leaky_relu and elu take a parameter (alpha): the rule lists its parameters.
        params = FUNCTIONS[name].params
        most = 1 + len(params)
        if node.keywords:
            raise self.refuse(node.keywords[0], "keyword argument", f"write {name}(x, 0.1)"
                              if params else f"{name}() takes one argument")
        if not 1 <= len(node.args) <= most:
            counts = f"1 to {most} arguments" if params else "1 argument"
            raise ValueError(f"{name}() at {self.where(node)} takes {counts}, "
                             f"got {len(node.args)}")
        argument = self.build(node.args[0])
        if not isinstance(argument, Value):
            argument = Value(argument)
        values = [self.build(arg) for arg in node.args[1:]]
        for param, value, arg in zip(params, values, node.args[1:]):
            if isinstance(value, Value):
                raise ValueError(f"the argument {param} of {name}() at {self.where(arg)} "
                                 f"must be a number, not {_piece(self.expr, arg)!r}")
        return getattr(argument, name)(*values)

    def refuse(self, node: ast.AST, what: str | None = None, hint: str = "") -> ValueError:
        kind = type(getattr(node, "op", node))  # BinOp and UnaryOp: name the operator
        what = what or _WHAT.get(kind) or _WHAT.get(type(node)) or type(node).__name__
        return ValueError(f"{what} {_piece(self.expr, node)!r} at {self.where(node)} is not "
                          f"allowed; {hint or 'use ' + _ALLOWED}")

    def where(self, node: ast.AST) -> str:
        return _where(node, self.expr, self.indent)


def _where(node: ast.AST, expr: str, indent: int) -> str:
    # ast counts columns in UTF-8 bytes of the text it parsed; a learner counts characters.
    parsed = expr[indent:].encode()
    return f"column {indent + len(parsed[:node.col_offset].decode(errors='ignore')) + 1}"


def _piece(expr: str, node: ast.AST) -> str:
    return _short(ast.get_source_segment(expr.lstrip(), node) or "")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
