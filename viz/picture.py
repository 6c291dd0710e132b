"""What a graph picture is made of, whatever draws it: boxes, arrows, frames, a caption.

:func:`viz.draw_graph` describes a graph with these plain objects; the Graphviz DOT
source is written from them, :mod:`viz.layout` places them and :mod:`viz.backends` draws
them, so every backend shows the same picture. This module imports nothing of ``viz``:
it is the bottom of the drawing code (picture ← layout ← backends ← graph ← render).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

FONT = "Helvetica"
FONT_SIZE = 12
OP_FONT_SIZE = 11
INK = "#4a4a4a"
VALUE_FILL = "#eaf2fb"
OP_FILL = "#ffffff"
HIGHLIGHT = "#d9480f"
HIGHLIGHT_FILL = "#ffe3c7"
PARTNER = "#1864ab"        # the operand that supplies a local derivative (x1 for ∂(x1·w1)/∂w1)
PARTNER_FILL = "#d0ebff"
MODULE_FILL = "#e6f4ea"
CLUSTER_FILL = "#f6f8fa"
CLUSTER_INK = "#9aa7b4"
CAPTION_INK = "#6b6b6b"
PNG_DPI = 144  # two pixels per point (1/72 inch): sharp on high-density screens


@dataclass
class Box:
    """One node of the picture: a value's record (label | data | grad), an op's ellipse,
    or a collapsed module's box, whose fields (name, shapes, parameters) are stacked.

    ``highlight`` draws it in the highlight's colour; ``partner`` in another, for the
    operand that an animation's step multiplies by (x1 when w1 gets its gradient).
    """

    name: str
    fields: tuple[str, ...]
    is_op: bool = False
    highlight: bool = False
    is_module: bool = False
    partner: bool = False

    def __post_init__(self):
        self.fields = tuple(visible(text) for text in self.fields)

    @property
    def fill(self) -> str:
        if self.highlight:
            return HIGHLIGHT_FILL
        if self.partner:
            return PARTNER_FILL
        return OP_FILL if self.is_op else MODULE_FILL if self.is_module else VALUE_FILL

    @property
    def color(self) -> str:
        return HIGHLIGHT if self.highlight else PARTNER if self.partner else INK

    @property
    def width(self) -> float:
        """Line width in points."""
        return 1.8 if self.highlight or self.partner else 1.0


@dataclass
class Arrow:
    """An edge in data-flow direction, from ``tail`` to ``head`` (Box names).

    ``backward`` draws its arrowhead at the tail instead: the way a gradient flows.
    """

    tail: str
    head: str
    highlight: bool = False
    backward: bool = False

    @property
    def color(self) -> str:
        return HIGHLIGHT if self.highlight else INK

    @property
    def width(self) -> float:
        return 2.0 if self.highlight else 1.0


@dataclass
class Cluster:
    """A module's frame: the boxes drawn directly inside it and its submodules' frames."""

    name: str     # the DOT subgraph's name; Graphviz frames subgraphs named cluster_...
    label: str    # "0: Linear(in_features=4, out_features=8, bias=True)"
    boxes: list[str] = field(default_factory=list)
    children: list[Cluster] = field(default_factory=list)

    def __post_init__(self):
        self.label = visible(self.label)


@dataclass
class Picture:
    """A whole picture: the boxes by name (in the order they were declared), the arrows,
    the top-level frames, a caption above everything (or ""), and the direction of the
    flow, ``"LR"`` (left to right) or ``"TB"`` (top to bottom).

        >>> x, y = Box("n0", ("x",)), Box("n1", ("y",))
        >>> Picture({"n0": x, "n1": y}, [Arrow("n0", "n1")]).direction
        'LR'
    """

    boxes: dict[str, Box]
    arrows: list[Arrow]
    clusters: list[Cluster] = field(default_factory=list)
    caption: str = ""
    direction: str = "LR"

    def __post_init__(self):
        self.caption = visible(self.caption)


def visible(text: str) -> str:
    r"""``text`` with each control character written as its Python escape.

    Every text of the picture (a :class:`Box`'s fields, a :class:`Cluster`'s label, the
    caption) passes through here, so that every backend gets text it can show: Graphviz
    refuses a NUL, XML (so SVG) forbids most control characters, and a record's field
    is one line.

        >>> print(visible("a\x00b\x07 c\n"))
        a\x00b\x07 c\n
    """
    if text.isprintable():  # the usual case, quickly
        return text
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cs") else c
                   for c in text)

def topological_names(parents: dict, children: dict) -> list:
    """The box names, each after all of its parents (Kahn's algorithm)."""
    waiting = {name: len(p) for name, p in parents.items()}
    order = [name for name, count in waiting.items() if count == 0]
    for name in order:
        for child in children[name]:
            waiting[child] -= 1
            if waiting[child] == 0:
                order.append(child)
    return order
