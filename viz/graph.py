"""The computational graph as a picture: one record per node, one small ellipse per op.

:func:`draw_graph` walks the graph once and describes what to draw as plain
:class:`Box` and :class:`Arrow` objects. The Graphviz DOT source is written from them,
and so are the matplotlib drawings of :mod:`viz.render`, so every backend shows the same
picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz
import numpy as np

from autograd import Node, topological_order

FONT = "Helvetica"
FONT_SIZE = 12
OP_FONT_SIZE = 11
INK = "#4a4a4a"
VALUE_FILL = "#eaf2fb"
OP_FILL = "#ffffff"
HIGHLIGHT = "#d9480f"
HIGHLIGHT_FILL = "#ffe3c7"


@dataclass
class Box:
    """One node of the picture: a value's record (label | data | grad) or an op's ellipse."""

    name: str
    fields: tuple[str, ...]
    is_op: bool = False
    highlight: bool = False

    @property
    def fill(self) -> str:
        if self.highlight:
            return HIGHLIGHT_FILL
        return OP_FILL if self.is_op else VALUE_FILL

    @property
    def color(self) -> str:
        return HIGHLIGHT if self.highlight else INK

    @property
    def width(self) -> float:
        """Line width in points."""
        return 1.8 if self.highlight else 1.0


@dataclass
class Arrow:
    """An edge in data-flow direction, from ``tail`` to ``head`` (Box names)."""

    tail: str
    head: str
    highlight: bool = False

    @property
    def color(self) -> str:
        return HIGHLIGHT if self.highlight else INK

    @property
    def width(self) -> float:
        return 2.0 if self.highlight else 1.0


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that also keeps its :class:`Box`/:class:`Arrow` description.

    In Jupyter it shows through :func:`viz.render`'s backend choice, so it displays
    even where the Graphviz ``dot`` executable is not installed.
    """

    def __init__(self, *args, boxes: dict[str, Box] | None = None,
                 arrows: list[Arrow] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.boxes = dict(boxes or {})
        self.arrows = list(arrows or [])

    def _copy_kwargs(self, **kwargs):
        # graphviz.Digraph.copy() rebuilds the object from these keyword arguments.
        return {**super()._copy_kwargs(**kwargs), "boxes": self.boxes, "arrows": self.arrows}

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # graphviz.Digraph's own version runs `dot` and raises when it is missing.
        from .render import picture_for_display  # viz.render imports this module

        wanted = {"image/svg+xml"} if include is None else set(include)
        wanted -= set(exclude or ())
        bundle = {}
        if "image/svg+xml" in wanted:
            bundle["image/svg+xml"] = picture_for_display(self, "svg").decode("utf-8")
        if "image/png" in wanted:
            bundle["image/png"] = picture_for_display(self, "png")
        return bundle


def draw_graph(node: Node, direction: str = "LR", decimals: int = 4, show_data: bool = True,
               show_grad: bool = True, highlight=None) -> Graph:
    """The graph that computed ``node``, as a Graphviz picture (shows inline in Jupyter).

    Each value is a record ``label | data | grad``, each op a small ellipse, and edges
    run in data-flow direction: parents → op → result.

    Args:
        node: the output (a ``Value`` or ``Tensor``).
        direction: ``"LR"`` (left to right) or ``"TB"`` (top to bottom).
        decimals: digits after the decimal point for data and grad.
        show_data, show_grad: whether the records show data and grad.
        highlight: an input node, or a pair ``(start, end)``: the paths from ``start``
            to ``end`` (to ``node`` when only an input is given) are drawn in colour.

        >>> a = Value(2.0, label="a"); f = a * a + a; f.backward()
        >>> g = draw_graph(f, highlight=a)        # in Jupyter, `g` shows the picture
        >>> viz.render(g, "f.svg")                # or f.png, f.pdf, f.dot
        'f.svg'
    """
    if direction not in ("LR", "TB"):
        raise ValueError(f"draw_graph: direction must be 'LR' or 'TB', got {direction!r}")
    order = topological_order(node, only_requiring_grad=False)
    on_path = _path_nodes(node, order, highlight)
    # Declared output first, Graphviz stacks the inputs in the order they were written
    # (x1 above w1 above x2 in x1*w1 + x2*w2).
    drawn = order[::-1]
    names = {id(n): f"n{i}" for i, n in enumerate(drawn)}
    boxes: dict[str, Box] = {}
    arrows: list[Arrow] = []
    for n in drawn:
        name = names[id(n)]
        boxes[name] = Box(name, _fields(n, decimals, show_data, show_grad),
                          highlight=id(n) in on_path)
        if n.op is None:
            continue
        # The op lies on a highlighted path only when one of its inputs does.
        op_lit = id(n) in on_path and any(id(p) in on_path for p in n.parents)
        boxes[name + "_op"] = Box(name + "_op", (_op_text(n),), is_op=True, highlight=op_lit)
        arrows += [Arrow(names[id(p)], name + "_op", op_lit and id(p) in on_path)
                   for p in n.parents]
        arrows.append(Arrow(name + "_op", name, op_lit))

    graph = Graph(boxes=boxes, arrows=arrows,
                  graph_attr={"rankdir": direction, "nodesep": "0.2", "ranksep": "0.3"},
                  node_attr={"fontname": FONT, "fontsize": str(FONT_SIZE)},
                  edge_attr={"arrowsize": "0.7"})
    for box in boxes.values():
        graph.node(box.name, **_dot_node(box, direction))
    for arrow in arrows:
        graph.edge(arrow.tail, arrow.head, color=arrow.color, penwidth=str(arrow.width))
    return graph


def _path_nodes(root: Node, order: list[Node], highlight) -> set[int]:
    """The ids of the nodes on some path from the highlight's start to its end."""
    if highlight is None:
        return set()
    start, end = highlight if isinstance(highlight, (tuple, list)) else (highlight, root)
    # Reaching `end` backwards and `start` forwards: a node is on a path iff both hold.
    above_end = {id(n) for n in topological_order(end, only_requiring_grad=False)}
    below_start = {id(start)}
    for n in order:
        if any(id(p) in below_start for p in n.parents):
            below_start.add(id(n))
    on_path = above_end & below_start
    if not on_path:
        raise ValueError("draw_graph: highlight=(start, end) needs `end` to depend on "
                         "`start` and both to be in the drawn graph")
    return on_path


def _fields(node: Node, decimals: int, show_data: bool, show_grad: bool) -> tuple[str, ...]:
    fields = [node.label] if node.label else []
    # np.generic too: a NumPy reduction to a single number returns a NumPy scalar.
    if isinstance(node.data, (np.ndarray, np.generic)):
        data = np.asarray(node.data)
        fields.append(f"{data.shape} {data.dtype}")
        if show_data and data.size <= 6:
            fields.append("data " + _array_text(data, decimals))
        if show_grad:
            fields.append(_grad_summary(node.grad, decimals))
    else:
        if show_data:
            fields.append(f"data {node.data:.{decimals}f}")
        if show_grad:
            fields.append(f"grad {node.grad:.{decimals}f}")
    return tuple(fields) or ("",)


def _grad_summary(grad, decimals: int) -> str:
    if grad is None:
        return "grad None"
    if np.size(grad) <= 6:
        return "grad " + _array_text(np.asarray(grad), decimals)
    return f"‖grad‖ {np.linalg.norm(grad):.{decimals}f}"


def _array_text(array: np.ndarray, decimals: int) -> str:
    if array.ndim == 0:
        return f"{array:.{decimals}f}"
    # Flattened, because the shape is shown beside it and a record field is one line.
    return "[" + " ".join(f"{x:.{decimals}f}" for x in array.ravel()) + "]"


def _op_text(node: Node) -> str:
    """The op's name, with the constant its expression uses (``x ** 2`` shows as ``^2``)."""
    name = node.op.name
    if "{c}" not in getattr(node.op, "expression", ""):
        return name
    constants = ", ".join(f"{c:g}" for c in node.ctx)
    return f"{name}({constants})" if name.isidentifier() else f"{name}{constants}"


def _dot_node(box: Box, direction: str) -> dict[str, str]:
    colours = {"fillcolor": box.fill, "color": box.color, "penwidth": str(box.width)}
    if box.is_op:
        return {"label": graphviz.nohtml(_escape(box.fields[0])), "shape": "ellipse",
                "style": "filled", "fontsize": str(OP_FONT_SIZE), "width": "0.3",
                "height": "0.3", "margin": "0.04,0.02", **colours}
    # Record fields stack across the rank direction; braces flip them so that
    # the fields sit side by side in both directions.
    fields = "|".join(_escape(f) for f in box.fields)
    label = "{" + fields + "}" if direction == "LR" else fields
    # Not Mrecord: Graphviz reports the field rectangles (for viz.layout) of plain
    # records only, and style=rounded looks the same.
    return {"label": graphviz.nohtml(label), "shape": "record", "style": "rounded,filled",
            "height": "0.4", **colours}


def _escape(text: str) -> str:
    r"""Make ``text`` literal inside a DOT record label: ``w{1}|x`` → ``w\{1\}\|x``."""
    text = text.replace("\\", "\\\\")
    for special in '{}|<>"':
        text = text.replace(special, "\\" + special)
    return text
