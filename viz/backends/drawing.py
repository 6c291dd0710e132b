"""Drawing a :class:`viz.layout.Layout` with matplotlib: the images of the "matplotlib"
backend, the PNG and PDF of the "wasm" one, and every frame of the animation."""

from __future__ import annotations

import io
import math
import warnings

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ..layout import CLUSTER_PAD, FONT_FAMILY, Layout, text_width
from ..picture import (
    CAPTION_INK,
    CLUSTER_FILL,
    CLUSTER_INK,
    FONT_SIZE,
    INK,
    OP_FONT_SIZE,
    PNG_DPI,
    Arrow,
    Box,
)

MARGIN = 6.0   # points of white around a matplotlib drawing
MAX_PNG_SIDE = 30000         # pixels
MAX_PNG_PIXELS = 50_000_000  # some 7,000 × 7,000: drawn in a few seconds
CORNER = 7.0   # points: the radius of a box's rounded corners, whatever its height, as in Graphviz


def draw_layout(layout: Layout, fmt: str) -> bytes:
    """Draw a :class:`viz.layout.Layout` with matplotlib as svg, png or pdf bytes.

    One point of the layout is one point (1/72 inch) on the page, so the figure grows
    with the graph and the text keeps its size.
    """
    width, height = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    figure = Figure(figsize=(width / 72, height / 72))
    FigureCanvasAgg(figure)
    draw_on(figure.add_axes((0, 0, 1, 1)), layout)
    dpi = PNG_DPI
    if fmt == "png":
        # Agg caps a picture at 2**16 pixels a side, and drawing takes time in proportion to
        # the pixels: a huge graph gets fewer pixels per inch, and a warning that says so.
        inches = (width / 72, height / 72)
        dpi = min(PNG_DPI, MAX_PNG_SIDE / max(inches),
                  math.sqrt(MAX_PNG_PIXELS / (inches[0] * inches[1])))
        if dpi < PNG_DPI:
            warnings.warn(f"viz: the picture is too large for a PNG (at most "
                          f"{MAX_PNG_PIXELS / 1e6:.0f} million pixels): drawn at "
                          f"{dpi / PNG_DPI:.0%} of its size; render it as .svg or .pdf to "
                          "keep every detail, or collapse it", RuntimeWarning, stacklevel=2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=dpi)
    return buffer.getvalue()


def draw_on(axes, layout: Layout, boxes: dict[str, Box] | None = None,
            arrows: dict[tuple[str, str], Arrow] | None = None) -> None:
    """Draw ``layout`` into ``axes``: one unit is one point, with MARGIN points around it.

    The axes must be ``layout.width + 2 * MARGIN`` by ``layout.height + 2 * MARGIN``
    points, so that the text (sized in points) fits the boxes. ``boxes`` (by name) and
    ``arrows`` (by tail and head) put other contents in the layout's places, at its text
    size: other highlights, or other texts no wider than those laid out. That is how
    the frames of :func:`viz.animate_backward` share one layout.

        >>> from autograd import Value
        >>> from viz import draw_graph
        >>> from viz.layout import layered
        >>> layout = layered(draw_graph(Value(2.0, label="x").exp()).picture)
        >>> figure = Figure(figsize=((layout.width + 2 * MARGIN) / 72,
        ...                          (layout.height + 2 * MARGIN) / 72))
        >>> draw_on(figure.add_axes((0, 0, 1, 1)), layout)
    """
    boxes, arrows = boxes or {}, arrows or {}
    axes.set_axis_off()
    axes.set_xlim(-MARGIN, layout.width + MARGIN)
    axes.set_ylim(-MARGIN, layout.height + MARGIN)
    # add_artist, not add_patch: the limits are set, and updating them costs
    # milliseconds per patch.

    scale = _font_scale(layout)
    font = FontProperties(family=FONT_FAMILY, size=FONT_SIZE * scale)
    for placed in layout.clusters:  # outer frames first, all behind the boxes
        x0, y0, x1, y1 = placed.rect
        axes.add_artist(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0,
                                       boxstyle=f"round,pad=0,rounding_size={CLUSTER_PAD}",
                                       facecolor=CLUSTER_FILL, edgecolor=CLUSTER_INK,
                                       linewidth=1.0))
        # On the frame's colour and above the arrows (text draws after patches): an arrow
        # that crosses the label passes behind it instead of striking it through.
        axes.text(*placed.label_at, placed.cluster.label, ha="left", va="center", color=INK,
                  parse_math=False, fontproperties=font,
                  bbox={"boxstyle": "square,pad=0.1", "facecolor": CLUSTER_FILL,
                        "edgecolor": "none"})
    if layout.caption:
        text, x, y = layout.caption
        axes.text(x, y, text, ha="left", va="center", color=CAPTION_INK, parse_math=False,
                  fontproperties=font)

    for arrow, path in layout.edges:
        arrow = arrows.get((arrow.tail, arrow.head), arrow)
        if arrow.backward:
            path = reversed_path(path)
        axes.add_artist(FancyArrowPatch(
            path=path, arrowstyle="-|>,head_length=0.7,head_width=0.3", mutation_scale=10,
            color=arrow.color, linewidth=arrow.width, shrinkA=0, shrinkB=0))

    for node in layout.nodes:
        box = boxes.get(node.box.name, node.box)
        style = {"facecolor": box.fill, "edgecolor": box.color, "linewidth": box.width}
        left, bottom = node.x - node.w / 2, node.y - node.h / 2
        if box.is_op:
            axes.add_artist(Ellipse((node.x, node.y), node.w, node.h, **style))
        else:
            axes.add_artist(FancyBboxPatch((left, bottom), node.w, node.h,
                                          boxstyle=f"round,pad=0,rounding_size={CORNER}",
                                          **style))
            for x0, y0, x1, _ in node.cells[:-1]:  # a line after each field but the last
                if box.is_module:  # under each of a module's stacked fields
                    line = ([x0, x1], [y0, y0])
                else:  # right of each of a value's side-by-side fields
                    line = ([x1, x1], [bottom, bottom + node.h])
                axes.add_line(Line2D(*line, color=box.color, linewidth=box.width))
        size = (OP_FONT_SIZE if box.is_op else FONT_SIZE) * scale
        for text, (x0, y0, x1, y1) in zip(box.fields, node.cells):
            axes.text((x0 + x1) / 2, (y0 + y1) / 2, text, ha="center", va="center",
                      parse_math=False, fontproperties=FontProperties(family=FONT_FAMILY,
                                                                       size=size))


def reversed_path(path: Path) -> Path:
    """The same curve, run from its end to its start (so the arrowhead moves to the start).

        >>> reversed_path(Path([(0, 0), (1, 1), (2, 1), (3, 0), (4, 0)],
        ...                    [1, 4, 4, 4, 2])).vertices.tolist()
        [[4.0, 0.0], [3.0, 0.0], [2.0, 1.0], [1.0, 1.0], [0.0, 0.0]]
    """
    codes = path.codes
    if codes is None:
        return Path(path.vertices[::-1])
    # The code of a vertex says how the segment that ends there is drawn; run backwards,
    # each segment ends at the vertex where it started, so vertex j takes code n - j + 1
    # (a cubic Bezier's control points, reversed, still draw the same curve).
    return Path(path.vertices[::-1], [Path.MOVETO, *codes[:0:-1]])


def _font_scale(layout: Layout) -> float:
    """At most 1: shrink all text alike so that every field's text fits its cell, and
    every frame's label its frame.

    Graphviz sizes boxes for its own fonts (Helvetica); matplotlib's DejaVu Sans is wider.
    """
    scale = 1.0
    for node in layout.nodes:
        size = OP_FONT_SIZE if node.box.is_op else FONT_SIZE
        for text, (x0, _, x1, _) in zip(node.box.fields, node.cells):
            if text:
                room = x1 - x0 - (8 if node.box.is_op else 10)
                scale = min(scale, room / text_width(text, size))
    for placed in layout.clusters:
        room = placed.rect[2] - placed.label_at[0] - CLUSTER_PAD
        scale = min(scale, room / text_width(placed.cluster.label, FONT_SIZE))
    return scale
