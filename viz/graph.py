"""The computational graph as a picture: one record per node, one small ellipse per op.

:func:`draw_graph` walks the graph once and describes what to draw as plain
:class:`Box` and :class:`Arrow` objects. The Graphviz DOT source is written from them,
and so are the matplotlib drawings of :mod:`viz.render`, so every backend shows the same
picture.

A Tensor graph made by ``nn.Module`` layers is grouped by module: each module's nodes sit
in a frame (a Graphviz *cluster*) named by its path in the network, and ``collapse``
folds each module into one box, so that a real network stays readable.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

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
MODULE_FILL = "#e6f4ea"
CLUSTER_FILL = "#f6f8fa"
CLUSTER_INK = "#9aa7b4"
CAPTION_INK = "#6b6b6b"
#: A graph of more nodes than this is drawn collapsed unless ``collapse`` says otherwise.
COLLAPSE_ABOVE = 500


@dataclass
class Box:
    """One node of the picture: a value's record (label | data | grad), an op's ellipse,
    or a collapsed module's box, whose fields (name, shapes, parameters) are stacked."""

    name: str
    fields: tuple[str, ...]
    is_op: bool = False
    highlight: bool = False
    is_module: bool = False

    def __post_init__(self):
        self.fields = tuple(visible(text) for text in self.fields)

    @property
    def fill(self) -> str:
        if self.highlight:
            return HIGHLIGHT_FILL
        return OP_FILL if self.is_op else MODULE_FILL if self.is_module else VALUE_FILL

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


@dataclass
class Cluster:
    """A module's frame: the boxes drawn directly inside it and its submodules' frames."""

    name: str     # the DOT subgraph's name; Graphviz frames subgraphs named cluster_...
    label: str    # "0: Linear(in_features=4, out_features=8, bias=True)"
    boxes: list[str] = field(default_factory=list)
    children: list[Cluster] = field(default_factory=list)

    def __post_init__(self):
        self.label = visible(self.label)


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that also keeps its description: :class:`Box` es,
    :class:`Arrow` s, the top-level :class:`Cluster` s and a caption.

    In Jupyter it shows through :func:`viz.render`'s backend choice, so it displays
    even where the Graphviz ``dot`` executable is not installed.
    """

    def __init__(self, *args, boxes: dict[str, Box] | None = None,
                 arrows: list[Arrow] | None = None, clusters: list[Cluster] | None = None,
                 caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.boxes = dict(boxes or {})
        self.arrows = list(arrows or [])
        self.clusters = list(clusters or [])
        self.caption = caption

    def _copy_kwargs(self, **kwargs):
        # graphviz.Digraph.copy() rebuilds the object from these keyword arguments.
        return {**super()._copy_kwargs(**kwargs), "boxes": self.boxes, "arrows": self.arrows,
                "clusters": self.clusters, "caption": self.caption}

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # graphviz.Digraph's own version runs `dot` and raises when it is missing;
        # picture() falls back to the next backend instead.
        from .render import picture  # viz.render imports this module

        wanted = {"image/svg+xml"} if include is None else set(include)
        wanted -= set(exclude or ())
        bundle = {}
        if "image/svg+xml" in wanted:
            bundle["image/svg+xml"] = picture(self, "svg").decode("utf-8")
        if "image/png" in wanted:
            bundle["image/png"] = picture(self, "png")
        return bundle


def draw_graph(node: Node, direction: str | None = None, decimals: int = 4, show_data: bool = True,
               show_grad: bool = True, highlight=None, collapse=None) -> Graph:
    """The graph that computed ``node``, as a Graphviz picture (shows inline in Jupyter).

    Each value is a record ``label | data | grad``, each op a small ellipse, and edges
    run in data-flow direction: parents → op → result. The nodes that an ``nn.Module``
    made sit in a frame labelled with the module's path and repr (``0: Linear(...)``),
    nested as the modules are, with the module's parameters; the input and the loss stay
    outside.

    Args:
        node: the output (a ``Value`` or ``Tensor``).
        direction: ``"LR"`` (left to right) or ``"TB"`` (top to bottom); by default LR,
            but TB for a collapsed network, whose boxes then stack like a layer diagram.
        decimals: digits after the decimal point for data and grad.
        show_data, show_grad: whether the records show data and grad.
        highlight: an input node, or a pair ``(start, end)``: the paths from ``start``
            to ``end`` (to ``node`` when only an input is given) are drawn in colour.
        collapse: ``True`` draws each module as one box (its path, input → output shapes,
            parameter count); a number ``k`` keeps the frames of the top ``k`` levels
            and folds the modules below them (``collapse=1``: one box per child of the
            network); ``False`` draws every node. By default a graph of more than
            ``COLLAPSE_ABOVE`` (500) nodes is collapsed, with a caption that says so.

        >>> import nn, viz
        >>> from autograd import Value
        >>> a = Value(2.0, label="a"); f = a * a + a; f.backward()
        >>> g = draw_graph(f, highlight=a)        # in Jupyter, `g` shows the picture
        >>> viz.render(g, "f.svg")                # or f.png, f.pdf, f.dot
        'f.svg'
        >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        >>> x, y = np.ones((5, 4)), np.array([0, 2, 1, 0, 1])
        >>> loss = nn.functional.cross_entropy(model(x), y)
        >>> g = draw_graph(loss, collapse=True)   # a box per module
        >>> [box.fields[0] for box in g.boxes.values() if box.is_module]
        ['0: Linear(in_features=4, out_features=8, bias=True)', '1: ReLU()',
         '2: Linear(in_features=8, out_features=3, bias=True)']
    """
    if direction not in (None, "LR", "TB"):
        raise ValueError(f"draw_graph: direction must be 'LR' or 'TB', got {direction!r}")
    order = topological_order(node, only_requiring_grad=False)
    on_path = _path_nodes(node, order, highlight)
    modules = _Modules(order)
    # Declared in the walk's order (inputs as written), Graphviz places x1 before w1
    # before x2 in x1*w1 + x2*w2.
    drawn = order
    where, chains, folds = _places(drawn, modules, _collapse_depth(collapse, len(order)))
    boxes: dict[str, Box | None] = {}
    arrows: list[Arrow] = []
    for n in drawn:
        name = where[id(n)]
        if name in folds:
            boxes.setdefault(name, None)   # its place in the order; filled in below
        else:
            # An unlabelled parameter shows its name in its module ("weight").
            label = n.label or modules.parameter_names.get(id(n), "")
            boxes[name] = Box(name, _fields(n, label, decimals, show_data, show_grad),
                              highlight=id(n) in on_path)
        if n.op is None:
            continue
        # The op lies on a highlighted path only when one of its inputs does.
        op_lit = id(n) in on_path and any(id(p) in on_path for p in n.parents)
        head = name   # a module's box takes its inputs itself
        if name not in folds:
            head = name + "_op"
            boxes[head] = Box(head, (_op_text(n),), is_op=True, highlight=op_lit)
            chains[head] = chains[name]
        arrows += [Arrow(where[id(p)], head, op_lit and id(p) in on_path) for p in n.parents
                   if where[id(p)] != head]   # not from inside the same module's box
        if head != name:
            arrows.append(Arrow(head, name, op_lit))
    for name, fold in folds.items():
        boxes[name] = Box(name, fold.fields(modules), is_module=True,
                          highlight=any(id(n) in on_path for n in fold.nodes))

    direction = direction or ("TB" if folds else "LR")
    graph_attr = {"rankdir": direction, "nodesep": "0.2", "ranksep": "0.3"}
    caption = ""
    if collapse is None and folds:
        caption = visible(f"collapsed: {len(order):,} nodes; draw_graph({node.label or 'node'}, "
                          "collapse=False) to expand")
        graph_attr.update(label=caption, labelloc="t", labeljust="l", fontname=FONT,
                          fontsize=str(FONT_SIZE), fontcolor=CAPTION_INK)
    arrows = _merged(arrows, folds)
    clusters = _clusters(chains, modules.labels)
    graph = Graph(boxes=boxes, arrows=arrows, clusters=clusters, caption=caption,
                  graph_attr=graph_attr,
                  node_attr={"fontname": FONT, "fontsize": str(FONT_SIZE)},
                  edge_attr={"arrowsize": "0.7"})
    for box in boxes.values():
        if not chains[box.name]:
            graph.node(box.name, **_dot_node(box, direction))
    for cluster in clusters:
        graph.subgraph(_dot_cluster(cluster, boxes, direction))
    for arrow in arrows:
        graph.edge(arrow.tail, arrow.head, color=arrow.color, penwidth=str(arrow.width))
    return graph


def _collapse_depth(collapse, size: int) -> float | None:
    """How deep modules keep their frames before they fold into boxes (None: never)."""
    if collapse is None:
        collapse = size > COLLAPSE_ABOVE
    if collapse is False:
        return None
    if collapse is True:   # before the int test: True is also the int 1
        return math.inf
    if isinstance(collapse, int) and collapse >= 0:
        return collapse
    raise ValueError(f"draw_graph: collapse must be True, False, None or a depth >= 0, "
                     f"got {collapse!r}")


class _Modules:
    """Which ``nn.Module`` made each node of a Tensor graph, from the tags that each op's
    result records (``nn.Module.__call__`` tags its nodes with the module, see
    ``autograd.tagging``).

    A node's *chain* holds a key for each module it sits in, outermost first. A key is
    the tuple of the ids of the modules from the outermost down, so that a submodule's
    key extends its parent's. A module that calls no other module gets one key per call
    (its key ends with the id of the scope tuple, which the nodes of one call share), so
    that a ReLU used twice draws as two boxes. A parameter (a leaf that some module's
    ``parameters()`` holds) takes its first user's chain, cut below the deepest module
    that owns it, so that it sits in its module's frame.
    """

    def __init__(self, order: list[Node]):
        scopes = [n.tags for n in order if n.tags]
        # Modules whose forward calls others: their frames hold frames, never a per-call key.
        self.containers = {tuple(map(id, s[:j])) for s in scopes for j in range(1, len(s))}
        self.modules, self.labels, self.chains = {}, {}, {}
        self.parameter_names = {}   # id(parameter) -> its name in its module: "weight"
        self._paths, self._parameters = {}, {}
        for n in order:   # parents first: a parameter meets its first user first
            if n.tags:
                self.chains[id(n)] = self._chain(n.tags)
            chain = self.chains.get(id(n), ())
            for p in n.parents:
                if p.op is None and id(p) not in self.chains:
                    owners = [key for key in chain if id(p) in self._owned(key)]
                    if owners:
                        self.chains[id(p)] = chain[:chain.index(owners[-1]) + 1]
                        self.parameter_names[id(p)] = self._owned(owners[-1])[id(p)]

    def _chain(self, scope: tuple) -> tuple:
        ids = tuple(map(id, scope))
        chain = []
        for depth, module in enumerate(scope):
            key = ids[:depth + 1]
            if key not in self.containers:
                key += (id(scope),)
            if key not in self.modules:
                self.modules[key] = module
                self.labels[key] = self._title(scope[0], module)
            chain.append(key)
        return tuple(chain)

    def _title(self, root, module) -> str:
        """``features.0: Conv2d(1, 8, ...)``: the path in ``root``, and the repr's first line."""
        if id(root) not in self._paths:
            self._paths[id(root)] = {id(m): path for path, m in root.named_modules()}
        path = self._paths[id(root)].get(id(module), "")
        title = repr(module).split("\n")[0].removesuffix("(")   # "Sequential(" has children
        return f"{path}: {title}" if path else title

    def _owned(self, key: tuple) -> dict[int, str]:
        """The parameters of the module of ``key``, its submodules' included: id -> name."""
        module = self.modules[key]
        if id(module) not in self._parameters:
            self._parameters[id(module)] = {id(p): name for name, p in module.named_parameters()}
        return self._parameters[id(module)]

    def parameter_count(self, key: tuple) -> int:
        return sum(int(np.size(p.data)) for p in self.modules[key].parameters())

    def box_of(self, node: Node, depth: float | None) -> tuple | None:
        """The key of the module box that ``node`` folds into, when the frames stop at
        ``depth`` (None: ``node`` is drawn on its own)."""
        chain = self.chains.get(id(node), ())
        if depth is None or not chain:
            return None
        if len(chain) > depth:
            return chain[depth]
        # Above the depth, a module that calls no other is still one box; a node made by
        # a container's own forward (between its children) stays in the container's frame.
        return chain[-1] if chain[-1] not in self.containers else None


@dataclass
class _Fold:
    """What a collapsed module's box stands for: its nodes, and the values (not
    parameters) that cross its border, by id."""

    key: tuple
    nodes: list[Node] = field(default_factory=list)
    inputs: dict[int, Node] = field(default_factory=dict)
    outputs: dict[int, Node] = field(default_factory=dict)

    def fields(self, modules: _Modules) -> tuple[str, ...]:
        """The box's text: the module, input → output shapes, the parameter count."""
        shapes = [", ".join(str(np.shape(n.data)) for n in values.values())
                  for values in (self.inputs, self.outputs)]
        fields = [modules.labels[self.key], " → ".join(shapes).strip()]
        count = modules.parameter_count(self.key)
        if count:
            fields.append(f"{count:,} parameter" + ("s" if count != 1 else ""))
        return tuple(fields)


def _places(drawn: list[Node], modules: _Modules, depth: float | None) -> tuple:
    """Where each node is drawn, with modules below ``depth`` folded into boxes.

    Returns ``where`` (id(node) -> the name of its box: ``n3`` for its own record, ``m1``
    for the box of the module it folds into), ``chains`` (box name -> the keys of the
    modules whose frames hold it, outermost first) and ``folds`` (``m1`` -> :class:`_Fold`).
    """
    where, chains, folds = {}, {}, {}
    by_key = {}   # module key -> its _Fold's box name
    for i, n in enumerate(drawn):
        chain, key = modules.chains.get(id(n), ()), modules.box_of(n, depth)
        if key is None:
            where[id(n)] = f"n{i}"
        else:
            where[id(n)] = by_key.setdefault(key, f"m{len(by_key)}")
            folds.setdefault(where[id(n)], _Fold(key)).nodes.append(n)
            chain = chain[:chain.index(key)]   # the frames around the box
        chains.setdefault(where[id(n)], chain)
    # The values that cross a box's border (parameters aside) are its inputs and outputs.
    for n in drawn:
        for p in n.parents:
            inner, outer = where[id(n)], where[id(p)]
            if inner != outer and id(p) not in modules.parameter_names:
                if inner in folds:
                    folds[inner].inputs[id(p)] = p
                if outer in folds:
                    folds[outer].outputs[id(p)] = p
    if drawn and where[id(drawn[0])] in folds:   # the output of the whole graph
        folds[where[id(drawn[0])]].outputs[id(drawn[0])] = drawn[0]
    return where, chains, folds


def _merged(arrows: list[Arrow], folds: dict) -> list[Arrow]:
    """One arrow between a module's box and another box, however many values cross (in
    colour if one of them is); arrows between records stay one per use, as in ``a * a``."""
    kept, seen = [], {}
    for arrow in arrows:
        ends = (arrow.tail, arrow.head)
        if ends[0] in folds or ends[1] in folds:
            if ends in seen:
                seen[ends].highlight |= arrow.highlight
                continue
            seen[ends] = arrow
        kept.append(arrow)
    return kept


def _clusters(chains: dict[str, tuple], labels: dict[tuple, str]) -> list[Cluster]:
    """The tree of frames: each box goes into the frame of the last module of its chain."""
    found: dict[tuple, Cluster] = {}
    top: list[Cluster] = []
    for name, chain in chains.items():
        for depth, key in enumerate(chain):
            if key not in found:
                found[key] = Cluster(f"cluster_{len(found)}", labels[key])
                (found[chain[depth - 1]].children if depth else top).append(found[key])
        if chain:
            found[chain[-1]].boxes.append(name)
    return top


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


def _fields(node: Node, label: str, decimals: int, show_data: bool,
            show_grad: bool) -> tuple[str, ...]:
    fields = [label] if label else []
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
    params = node.op.describe(node)
    if not params:
        return name
    constants = ", ".join("None" if c is None else f"{c:g}" if isinstance(c, (int, float))
                          else str(c) for c in params.values())
    return f"{name}({constants})" if name.isidentifier() else f"{name}{constants}"


def _dot_node(box: Box, direction: str) -> dict[str, str]:
    colours = {"fillcolor": box.fill, "color": box.color, "penwidth": str(box.width)}
    if box.is_op:
        return {"label": graphviz.nohtml(_escape(box.fields[0])), "shape": "ellipse",
                "style": "filled", "fontsize": str(OP_FONT_SIZE), "width": "0.3",
                "height": "0.3", "margin": "0.04,0.02", **colours}
    # Record fields stack across the rank direction; braces flip them, so that a
    # value's fields sit side by side and a module's stack top to bottom in both directions.
    fields = "|".join(_escape(f) for f in box.fields)
    label = "{" + fields + "}" if (direction == "LR") != box.is_module else fields
    # Not Mrecord: Graphviz reports the field rectangles (for viz.layout) of plain
    # records only, and style=rounded looks the same.
    return {"label": graphviz.nohtml(label), "shape": "record", "style": "rounded,filled",
            "height": "0.4", **colours}


def _dot_cluster(cluster: Cluster, boxes: dict[str, Box], direction: str) -> graphviz.Digraph:
    """A module's frame as a DOT subgraph, with its boxes and, nested, its submodules'."""
    sub = graphviz.Digraph(name=cluster.name, graph_attr={
        "label": graphviz.escape(cluster.label), "labeljust": "l", "style": "rounded,filled",
        "fillcolor": CLUSTER_FILL, "color": CLUSTER_INK, "fontname": FONT,
        "fontsize": str(FONT_SIZE), "fontcolor": INK})
    for name in cluster.boxes:
        sub.node(name, **_dot_node(boxes[name], direction))
    for child in cluster.children:
        sub.subgraph(_dot_cluster(child, boxes, direction))
    return sub


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


def _escape(text: str) -> str:
    r"""Make ``text`` literal inside a DOT record label: ``w{1}|x`` → ``w\{1\}\|x``."""
    text = text.replace("\\", "\\\\")
    for special in '{}|<>"':
        text = text.replace(special, "\\" + special)
    return text
