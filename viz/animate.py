"""The backward pass as an animation: one frame per chain-rule step, on one fixed picture.

The gradients come from the engine's walk written out step by step (:func:`backward_steps`):
in reverse topological order, each node's gradient is the sum, over the ops that used it,
of ∂f/∂(that op's output) times the op's own local derivative, ``op.local_derivatives``,
the very numbers ``f.backward()`` multiplies. The walk never reads ``.grad``, so the
animation is the same before and after ``f.backward()``, and it leaves the grads as they
were (draw_graph is lent the walk's gradients for a moment, see _finished_picture).

The picture is :func:`viz.draw_graph`'s, laid out once by :func:`viz.render`'s backend and
drawn by its matplotlib routine; each frame only changes texts and highlights.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from autograd import Value, derive, topological_order
from autograd.derivation import fill_formula

from .graph import INK, Arrow, Box, Graph, draw_graph
from .layout import FONT_FAMILY, Layout, text_width
from .render import MARGIN, compute_layout, draw_on

CAPTION_SIZES = (13, 16, 13)   # points: the step, its equation, the local derivatives
LINE_GAP = 8.0                 # points between caption lines and around them
LISTED_INPUTS = 5              # the last frame lists the gradients of this many inputs


@dataclass(frozen=True)
class Term:
    """One use of a node by ``child``: the term ∂f/∂child · ∂child/∂node of its gradient."""

    child: Value
    child_grad: float
    local: float      # ∂child/∂node, from child.op.local_derivatives(child)
    formula: str      # how the op writes it, e.g. "σ({0})(1 − σ({0}))"


@dataclass(frozen=True)
class Step:
    """One step of the backward pass: ``node`` gets ``grad`` = the sum of its ``terms``
    (none for the output, whose gradient is the seed 1)."""

    node: Value
    grad: float
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Frame:
    """What one frame shows: every box and arrow (by name, and by tail and head) with this
    frame's texts and highlights, and three caption lines."""

    boxes: dict[str, Box]
    arrows: dict[tuple[str, str], Arrow]
    caption: tuple[str, str, str]


def backward_steps(root: Value) -> list[Step]:
    """The backward pass from ``root``, one :class:`Step` per node, in the engine's order.

        >>> x = Value(3.0, label="x"); y = x * x
        >>> [(s.node.label or "y", s.grad) for s in backward_steps(y)]
        [('y', 1.0), ('x', 6.0)]
    """
    uses: dict[Value, list[Term]] = {}
    steps = []
    for node in reversed(topological_order(root)):
        terms = tuple(uses.pop(node, ()))
        # sum() adds the terms in the order engine.backward accumulates them, so the
        # numbers agree to the last bit.
        steps.append(Step(node, 1.0 if node is root else sum(t.child_grad * t.local
                                                           for t in terms), terms))
        if node.op is not None:
            for parent, local, formula in zip(node.parents, node.op.local_derivatives(node),
                                              node.op.formulas):
                uses.setdefault(parent, []).append(Term(node, steps[-1].grad, local, formula))
    return steps


class BackwardAnimation:
    """The frames of :func:`animate_backward`; in Jupyter an HTML animation with controls.

        >>> x = Value(2.0, label="x"); f = (x * x).tanh()
        >>> anim = animate_backward(f)          # the last line of a cell: play it there
        >>> anim.save("backward.gif")
        'backward.gif'
        >>> anim.figure(1).savefig("step2.png")  # one step, e.g. for a slide
    """

    def __init__(self, steps: list[Step], layout: Layout, frames: list[Frame],
                 interval: float, dpi: float):
        self.steps = steps
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

    def _repr_html_(self) -> str:
        return self.animation().to_jshtml()

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


def animate_backward(node: Value, path=None, *, interval: float = 1500, decimals: int = 4,
                     direction: str = "TB", dpi: float = 100):
    """The backward pass from ``node``, one frame per chain-rule step.

    The first frame seeds ∂f/∂f = 1 at the output; then one frame per node, in the
    reverse topological order that ``f.backward()`` follows, highlights the node and the
    ops its gradient came back through and fills in its grad, with the chain-rule
    product as the caption (``∂f/∂z = ∂f/∂y · ∂y/∂z = (-0.9003) · 0.2475 = -0.2228``);
    the last frame shows the finished graph. Nodes not reached yet show ``grad ?``.
    Unlabelled nodes are named as :func:`autograd.derive` names them (``v1``, ``v2``,
    the output ``f``), in the picture too, so that the captions can refer to them.
    The numbers come from the ops' own local derivatives (see :func:`backward_steps`);
    the nodes' ``.grad`` and ``.label`` are left as they are.

    Args:
        node: the output, a ``Value``.
        path: a ``.gif`` file to write; then the path is returned. Without it, the
            :class:`BackwardAnimation`, which Jupyter shows as a player with a slider.
        interval: milliseconds per frame.
        decimals: digits after the decimal point, in the picture and the captions.
        direction: ``"TB"`` (top to bottom) or ``"LR"`` (left to right), as draw_graph;
            top to bottom by default, which gives a small graph a slide's shape.
        dpi: pixels per inch of the frames.

        >>> import autograd, viz
        >>> f, _ = autograd.parse("(sigmoid(x*w) - t)**2", x=2, w=0.4, t=1)
        >>> viz.animate_backward(f, "backward.gif")     # in Jupyter, leave out the path
        'backward.gif'
    """
    if not isinstance(node, Value):
        raise TypeError(f"animate_backward: animates a graph of Values, got "
                        f"{type(node).__name__} (for Tensors, see autograd.derive)")
    if type(decimals) is not int or decimals < 0:
        raise ValueError(f"animate_backward: decimals must be an int >= 0, got {decimals!r}")
    steps = backward_steps(node)
    # derive() leaves constants (unlabelled leaves) unnamed: they are written as numbers.
    names = {s.node: _number(s.node.data, decimals) for s in steps} | derive(node).names
    graph = _finished_picture(node, steps, names, direction, decimals)
    # The layout is computed once, for the finished picture: its texts are the widest.
    anim = BackwardAnimation(steps, compute_layout(graph),
                             _frames(node, steps, names, graph, decimals), interval, dpi)
    return anim if path is None else anim.save(path)


def _finished_picture(root: Value, steps: list[Step], names: dict, direction: str,
                      decimals: int) -> Graph:
    """draw_graph's picture of ``root``, every node named and every gradient filled in."""
    # draw_graph reads .label and .grad: lend it the names and the walk's gradients
    # while it draws, then give the user's back.
    saved = [(s.node, s.node.label, s.node.grad) for s in steps]
    try:
        for s in steps:
            s.node.grad = s.grad
            if s.node.op is not None or s.node.label:  # a constant stays a bare number
                s.node.label = names[s.node]
        return draw_graph(root, direction=direction, decimals=decimals)
    finally:
        for node, label, grad in saved:
            node.label, node.grad = label, grad


def _frames(root: Value, steps: list[Step], names: dict, graph: Graph,
            decimals: int) -> list[Frame]:
    """One frame per step, then the finished picture."""
    # draw_graph declares a box per node, in topological order; the box of a computed
    # node has one arrow coming in, from its op's ellipse.
    values = [name for name, box in graph.boxes.items() if not box.is_op]
    box_of = dict(zip(topological_order(root, only_requiring_grad=False), values))
    op_of = {a.head: a.tail for a in graph.arrows if graph.boxes[a.tail].is_op}
    frames, reached = [], set()
    for k, step in enumerate(steps):
        reached.add(box_of[step.node])
        # Lit: the node, and the way its gradient came back: from each op that used it
        # (and that op's output) along the arrows to the node.
        lit, lit_arrows = {box_of[step.node]}, set()
        for term in step.terms:
            child = box_of[term.child]
            lit.add(op_of[child])
            lit_arrows |= {(box_of[step.node], op_of[child]), (op_of[child], child)}
        boxes = {name: replace(box, highlight=name in lit,
                               fields=box.fields if box.is_op or name in reached
                               else box.fields[:-1] + ("grad ?",))
                 for name, box in graph.boxes.items()}
        arrows = {(a.tail, a.head): replace(a, highlight=(a.tail, a.head) in lit_arrows)
                  for a in graph.arrows}
        title = f"Step {k + 1} of {len(steps)}: " + _story(step, names)
        frames.append(Frame(boxes, arrows, (title, *_equation(step, root, names, decimals))))
    return frames + [Frame(dict(graph.boxes), {(a.tail, a.head): a for a in graph.arrows},
                           _summary(root, steps, names, decimals))]


def _story(step: Step, names: dict) -> str:
    if not step.terms:
        return f"the output {names[step.node]}"
    children = dict.fromkeys(names[t.child] for t in step.terms)
    return f"{names[step.node]} gets its gradient from {' and '.join(children)}"


def _equation(step: Step, root: Value, names: dict, decimals: int) -> tuple[str, str]:
    """The chain-rule equation of one step, and what its local derivatives are."""
    def d(of: Value, by: Value) -> str:
        return _partial(names[of], names[by])

    if not step.terms:
        return f"{d(root, root)} = 1", "the seed: every backward pass starts here"
    symbolic, numeric, where = [], [], []
    for t in step.terms:
        formula = fill_formula(t.formula, t.child, names)
        if t.child is root:  # ∂f/∂f · ∂f/∂x reads as nonsense: f's own use is its formula
            symbolic.append(formula)
            numbers = {n: _number(n.data, decimals) for n in (t.child, *t.child.parents)}
            numeric.append(fill_formula(t.formula, t.child, numbers))
        else:
            symbolic.append(f"{d(root, t.child)} · {d(t.child, step.node)}")
            numeric.append(f"{_operand(_number(t.child_grad, decimals))} · "
                           f"{_operand(_number(t.local, decimals))}")
            where.append(f"{d(t.child, step.node)} = {formula}")
    sides = {}  # a side that only repeats the one before it (1 = 1, −1 = -1) says nothing
    for side in [d(root, step.node), " + ".join(symbolic), " + ".join(numeric),
                 _number(step.grad, decimals)]:
        sides.setdefault(side.replace("−", "-"), side)
    return " = ".join(sides.values()), ("where " + ", ".join(dict.fromkeys(where))
                                        if where else "")


def _summary(root: Value, steps: list[Step], names: dict, decimals: int) -> tuple:
    """The last frame's caption: the gradients of the (first few) inputs."""
    inputs = [s for s in steps if s.node.op is None and s.node.label]
    listed = [f"{_partial(names[root], names[s.node])} = {_number(s.grad, decimals)}"
              for s in inputs[:LISTED_INPUTS]]
    return (f"Done: every node holds {_partial(names[root], 'node')} in its grad",
            "   ".join(listed) + (" …" if len(inputs) > LISTED_INPUTS else ""),
            "the very numbers that backward() leaves in .grad")


def _partial(of: str, by: str) -> str:
    return f"∂{_operand(of)}/∂{_operand(by)}"


def _number(x: float, decimals: int) -> str:
    """``x`` rounded to ``decimals`` places and written as by hand: 0.4, not 0.4000."""
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _operand(text: str) -> str:
    """``text`` in parentheses when it is a negative number (or a label with spaces)."""
    return f"({text})" if text.startswith("-") or " " in text else text

