"""The backward pass as an animation: one frame per chain-rule step, on one fixed picture.

The steps are :func:`autograd.derive`'s: the engine's one backward walk, each node's
gradient the sum, over the ops that used it, of ∂f/∂(that op's output) times the op's own
local derivative. So the animation shows the derivation's names and numbers, the very
numbers ``f.backward()`` computes; it reads no ``.grad`` and writes nothing on the graph,
so it is the same before and after ``f.backward()``.

The picture is :func:`viz.draw_graph`'s picture of the derivation, laid out once by the
backend (:mod:`viz.backends`) and drawn by its matplotlib routine; each frame only
changes texts and highlights.
"""

from __future__ import annotations

import base64
import html
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from autograd import Derivation, Value, derive, topological_order
from autograd.notation import d, equation, fill, operand

from .backends import compute_layout
from .backends.drawing import MARGIN, draw_on
from .graph import Graph, draw_graph, number
from .layout import FONT_FAMILY, Layout, text_width
from .picture import INK, Arrow, Box

CAPTION_SIZES = (13, 16, 13)   # points: the step, its equation, the local derivatives
LINE_GAP = 8.0                 # points between caption lines and around them
LISTED_INPUTS = 5              # the last frame lists the gradients of this many inputs


@dataclass(frozen=True)
class Frame:
    """What one frame shows: every box and arrow (by name, and by tail and head) with this
    frame's texts and highlights, and three caption lines."""

    boxes: dict[str, Box]
    arrows: dict[tuple[str, str], Arrow]
    caption: tuple[str, str, str]


# The player's buttons, drawn inline: matplotlib's player takes its icons from Font
# Awesome, which a notebook exported to HTML and read offline does not have.
_ICONS = {
    "fa fa-minus": "M2 7h12v2H2z",
    "fa fa-fast-backward": "M1 2h2v12H1zM9 2 3 8l6 6zM15 2 9 8l6 6z",
    "fa fa-step-backward": "M2 2h2.5v12H2zM14 2 5 8l9 6z",
    "fa fa-play fa-flip-horizontal": "M13 2 3 8l10 6z",
    "fa fa-pause": "M3 2h3.5v12H3zM9.5 2H13v12H9.5z",
    "fa fa-play": "M3 2l10 6-10 6z",
    "fa fa-step-forward": "M2 2l9 6-9 6zM11.5 2H14v12h-2.5z",
    "fa fa-fast-forward": "M1 2l6 6-6 6zM7 2l6 6-6 6zM13 2h2v12h-2z",
    "fa fa-plus": "M7 2h2v5h5v2H9v5H7V9H2V7h5z",
}
# The frames shrink to the notebook's column, as the graph pictures do.
_PLAYER_STYLE = "<style>.animation img {max-width: 100%; height: auto;}</style>"


def _self_contained(player: str) -> str:
    """matplotlib's HTML player with inline SVG buttons instead of Font Awesome's."""
    for icon, path in _ICONS.items():
        player = player.replace(
            f'<i class="{icon}"></i>',
            f'<svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">'
            f'<path d="{path}" fill="currentColor"/></svg>')
    return _PLAYER_STYLE + player


@dataclass(frozen=True, repr=False)
class GifImage:
    """A GIF that Jupyter shows, and that a notebook exported to HTML keeps: an ``<img>``
    with the image's data in it (nbconvert writes no ``image/gif`` output).

        >>> GifImage(b"GIF89a")._repr_html_()
        '<img src="data:image/gif;base64,R0lGODlh" alt="the backward pass, step by step" ...>'
    """

    data: bytes
    alt: str = "the backward pass, step by step"

    def __repr__(self) -> str:   # Jupyter also stores this text: not the bytes themselves
        return f"<GIF image, {len(self.data):,} bytes>"

    def _repr_html_(self) -> str:
        encoded = base64.b64encode(self.data).decode("ascii")
        return (f'<img src="data:image/gif;base64,{encoded}" alt="{html.escape(self.alt)}" '
                'style="max-width: 100%; height: auto">')


class BackwardAnimation:
    """The frames of :func:`animate_backward`; in Jupyter an HTML animation with controls.

        >>> x = Value(2.0, label="x"); f = (x * x).tanh()
        >>> anim = animate_backward(f)          # the last line of a cell: play it there
        >>> anim.save("backward.gif")
        'backward.gif'
        >>> anim.gif()                          # the GIF in the notebook itself
        <GIF image, ... bytes>
        >>> anim.figure(1).savefig("step2.png")  # one step, e.g. for a slide
    """

    def __init__(self, derivation: Derivation, layout: Layout, frames: list[Frame],
                 interval: float, dpi: float):
        self.derivation = derivation  # the steps, names and numbers the frames show
        self.layout = layout
        self.frames = frames
        self.interval = interval
        self.dpi = dpi

    def figure(self, i: int = -1) -> Figure:
        """Frame ``i`` (the last one by default) as a matplotlib Figure."""
        figure = self._empty_figure()
        self._draw(figure, i)
        return figure

    def animation(self) -> FuncAnimation:
        """A new ``matplotlib.animation.FuncAnimation`` of the frames."""
        figure = self._empty_figure()
        # repeat=False: in Jupyter the player stops on the finished graph.
        return FuncAnimation(figure, lambda i: self._draw(figure, i), frames=len(self.frames),
                             interval=self.interval, repeat=False)

    def save(self, path) -> str:
        """Write the animation as a GIF (with matplotlib's Pillow writer); return the path."""
        if Path(path).suffix.lower() != ".gif":
            raise ValueError(f"animate_backward: writes GIF files; {str(path)!r} should end "
                             "in .gif (in Jupyter, leave path out to get the player)")
        # The writer by hand, not FuncAnimation.save(), which draws every frame twice.
        figure, writer = self._empty_figure(), PillowWriter(fps=1000 / self.interval)
        with writer.saving(figure, path, dpi=self.dpi):
            for i in range(len(self.frames)):
                self._draw(figure, i)
                writer.grab_frame()
        return str(path)

    def gif(self) -> GifImage:
        """The animation as a GIF to show in Jupyter (and in the notebook's HTML export)."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "backward.gif"
            self.save(path)
            return GifImage(path.read_bytes())

    def _repr_html_(self) -> str:
        return _self_contained(self.animation().to_jshtml())

    def _empty_figure(self) -> Figure:
        # The graph at one point per point (its text is sized in points) above the
        # caption, everything centred; as wide as the widest caption needs.
        graph_w = self.layout.width + 2 * MARGIN
        graph_h = self.layout.height + 2 * MARGIN
        caption_h = sum(CAPTION_SIZES) * 1.25 + LINE_GAP * (len(CAPTION_SIZES) + 1)
        width = max([graph_w] + [text_width(line, size) + 4 * LINE_GAP
                                 for frame in self.frames
                                 for line, size in zip(frame.caption, CAPTION_SIZES)])
        height = graph_h + caption_h
        figure = Figure(figsize=(width / 72, height / 72), dpi=self.dpi)
        FigureCanvasAgg(figure)
        figure.add_axes(((width - graph_w) / 2 / width, caption_h / height,
                         graph_w / width, graph_h / height))
        y = caption_h - LINE_GAP
        for size, colour in zip(CAPTION_SIZES, (INK, "black", INK)):
            figure.text(0.5, y / height, "", ha="center", va="top", color=colour,
                        fontfamily=FONT_FAMILY, fontsize=size, parse_math=False)
            y -= size * 1.25 + LINE_GAP
        return figure

    def _draw(self, figure: Figure, i: int) -> None:
        frame = self.frames[i]
        axes = figure.axes[0]
        axes.clear()
        draw_on(axes, self.layout, frame.boxes, frame.arrows)
        for text, line in zip(figure.texts, frame.caption):
            text.set_text(line)


def animate_backward(node: Value | Derivation, path=None, *, interval: float = 1500,
                     decimals: int | None = None, direction: str | None = None,
                     dpi: float = 100):
    """The backward pass from ``node``, one frame per chain-rule step of
    :func:`autograd.derive`.

    The first frame seeds ∂f/∂f = 1 at the output; then one frame per named node, in the
    reverse topological order that ``f.backward()`` follows, fills in the node's grad and
    lights the way its gradient came back: arrows pointing the way the gradient flows,
    from each op that used the node, with the op's other operand that the local
    derivative is made of in blue (x1 when w1 gets its gradient, ∂(x1·w1)/∂w1 = x1).
    The caption is the chain-rule product (``∂f/∂z = ∂f/∂y · ∂y/∂z = (−0.9003) · 0.2475
    = −0.2228``); the last frame shows the finished graph. Nodes not reached yet show
    ``grad ?``. Nodes have the derivation's names (``v1``, ``v2``, the output ``f``), in
    the picture and the captions; the nodes' ``.grad`` and ``.label`` are left as they are.

    Args:
        node: the output, a ``Value``; or its derivation, whose numbers the frames then
            show: ``derive(f, decimals=4)`` replays the calculation by hand (∂f/∂w1 =
            −0.4458), and the picture's caption says so.
        path: a ``.gif`` file to write; then the path is returned. Without it, the
            :class:`BackwardAnimation`, which Jupyter shows as a player with a slider.
        interval: milliseconds per frame.
        decimals: at most this many digits after the decimal point, in the picture and
            the captions (4, or a by-hand derivation's own); the numbers are rounded
            only when shown.
        direction: ``"TB"`` (top to bottom), ``"LR"`` (left to right), or another
            direction that draw_graph takes; by default the one that gives the graph a
            slide's shape.
        dpi: pixels per inch of the frames.

        >>> import autograd, viz
        >>> f, _ = autograd.parse("(sigmoid(x*w) - t)**2", x=2, w=0.4, t=1)
        >>> viz.animate_backward(f, "backward.gif")     # in Jupyter, leave out the path
        'backward.gif'
        >>> viz.animate_backward(autograd.derive(f, decimals=4)).frames[-1].caption[1]
        '∂f/∂x = −0.053   ∂f/∂w = −0.2652   ∂f/∂t = 0.62'
    """
    if isinstance(node, Derivation):
        derivation = node
    elif isinstance(node, Value):
        derivation = derive(node)
    else:
        raise TypeError(f"animate_backward: animates a graph of Values or its derivation, "
                        f"got {type(node).__name__} (for Tensors, see autograd.derive)")
    root = next(n for n, name in derivation.names.items() if name == derivation.output)
    if not isinstance(root, Value):
        raise TypeError("animate_backward: animates a graph of Values, got the derivation "
                        "of a Tensor graph (print it instead)")
    if decimals is None:
        decimals = 4 if derivation.decimals is None else derivation.decimals
    if type(decimals) is not int or decimals < 0:
        raise ValueError(f"animate_backward: decimals must be an int >= 0, got {decimals!r}")
    # The finished picture: its texts are the widest, so its layout, computed once, holds
    # every frame's.
    graph = draw_graph(derivation, direction=direction, decimals=decimals)
    anim = BackwardAnimation(derivation, compute_layout(graph),
                             _frames(root, derivation, graph, decimals), interval, dpi)
    return anim if path is None else anim.save(path)


def _frames(root: Value, derivation: Derivation, graph: Graph, decimals: int) -> list[Frame]:
    """One frame per step of the derivation, then the finished picture."""
    picture = graph.picture
    # draw_graph declares a box per node, in topological order; the box of a computed
    # node has one arrow coming in, from its op's ellipse.
    values = [name for name, box in picture.boxes.items() if not box.is_op]
    nodes = topological_order(root, only_requiring_grad=False)
    box_of = {id(n): box for n, box in zip(nodes, values)}
    node_named = {name: n for n, name in derivation.names.items()}
    op_of = {a.head: a.tail for a in picture.arrows if picture.boxes[a.tail].is_op}
    unreached = {box_of[id(node_named[name])] for name in derivation.grads}
    steps = derivation.steps
    frames = []
    for k, step in enumerate(steps):
        node = node_named[step.name]
        here = box_of[id(node)]
        unreached.discard(here)
        # Lit: the node, and the way its gradient came back: from each child that used it,
        # through the child's op, along the arrows (drawn backwards) to the node.
        lit, partners, back = {here}, set(), set()
        for term in step.terms:
            child = node_named[term.child]
            op = op_of[box_of[id(child)]]
            lit.add(op)
            back |= {(here, op), (op, box_of[id(child)])}
            partners |= {box_of[id(p)] for p in _operands(term.formula, child)
                         if p is not node}
        boxes = {name: replace(box, highlight=name in lit, partner=name in partners - lit,
                               fields=box.fields[:-1] + ("grad ?",) if name in unreached
                               else box.fields)
                 for name, box in picture.boxes.items()}
        arrows = {(a.tail, a.head): replace(a, highlight=(a.tail, a.head) in back,
                                            backward=(a.tail, a.head) in back)
                  for a in picture.arrows}
        title = f"Step {k + 1} of {len(steps)}: " + _story(step, derivation.output)
        frames.append(Frame(boxes, arrows, (title, *_equation(step, derivation, decimals))))
    return frames + [Frame(dict(picture.boxes), {(a.tail, a.head): a for a in picture.arrows},
                           _summary(derivation, decimals))]


def _operands(formula: str, child: Value) -> list[Value]:
    """The inputs of ``child``'s op that its local derivative ``formula`` is made of:
    ``{0}`` is the first input, ``{1}`` the second."""
    used = {int(i) for i in re.findall(r"\{(\d+)\}", formula)}
    return [p for i, p in enumerate(child.parents) if i in used]


def _story(step, output: str) -> str:
    if not step.terms:
        return f"the output {output}"
    children = dict.fromkeys(t.child for t in step.terms)
    return f"{step.name} gets its gradient from {' and '.join(children)}"


def _equation(step, derivation: Derivation, decimals: int) -> tuple[str, str]:
    """The chain-rule equation of one step, written as the derivation writes it (local
    derivatives of a calculation by hand unrounded, to two more decimals), and what its
    local derivatives are."""
    output = derivation.output
    if not step.terms:
        return f"{d(output, output)} = 1", "the seed: every backward pass starts here"
    extra = 0 if derivation.decimals is None else 2

    def shown(x: float, more: int = 0) -> str:
        return operand(number(x, decimals + more))

    symbolic, numeric, where = [], [], []
    for t in step.terms:
        formula = fill(t.formula, t.symbols)
        if t.child == output:  # ∂f/∂f · ∂f/∂x reads as nonsense: f's own use is its formula
            symbolic.append(formula)
            numeric.append(shown(t.local, extra))
        else:
            symbolic.append(f"{d(output, t.child)} · {d(t.child, step.name)}")
            numeric.append(f"{shown(t.child_grad)} · {shown(t.local, extra)}")
            where.append(f"{d(t.child, step.name)} = {formula}")
    line = equation(d(output, step.name), " + ".join(symbolic), " + ".join(numeric),
                    number(step.grad, decimals))
    return line, ("where " + ", ".join(dict.fromkeys(where)) if where else "")


def _summary(derivation: Derivation, decimals: int) -> tuple:
    """The last frame's caption: the gradients of the (first few) inputs."""
    output = derivation.output
    inputs = [row.name for row in derivation.rows
              if not row.template and row.name in derivation.grads]
    listed = [f"{d(output, name)} = {number(derivation.grads[name], decimals)}"
              for name in inputs[:LISTED_INPUTS]]
    return (f"Done: every node holds {d(output, 'node')} in its grad",
            "   ".join(listed) + (" …" if len(inputs) > LISTED_INPUTS else ""),
            "the very numbers that backward() leaves in .grad")
