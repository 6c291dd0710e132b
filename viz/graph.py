"""The computational graph as a picture: one record per node, one small ellipse per op.

:func:`draw_graph` walks the graph once and describes what to draw as a
:class:`viz.picture.Picture` of boxes and arrows. The Graphviz DOT source is written
from it, and so are the matplotlib drawings of :mod:`viz.backends`, so every backend
shows the same picture. Nodes are named and numbers written as :func:`autograd.derive`
writes them (:mod:`autograd.notation`), so a picture and a derivation agree.

A Tensor graph made by ``nn.Module`` layers is grouped by module: each module's nodes sit
in a frame (a Graphviz *cluster*) named by its path in the network, and ``collapse``
folds each module into one box, so that a real network stays readable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import graphviz
import numpy as np

from autograd import Derivation, Node, topological_order
from autograd.derivation import node_names
from autograd.dtypes import on_gpu, to_host
from autograd.notation import format_number

from .backends import image
from .picture import (
    CAPTION_INK,
    CLUSTER_FILL,
    CLUSTER_INK,
    FONT,
    FONT_SIZE,
    INK,
    OP_FONT_SIZE,
    Arrow,
    Box,
    Cluster,
    Picture,
    topological_names,
    visible,
)

#: A graph of more nodes than this is drawn collapsed unless ``collapse`` says otherwise.
COLLAPSE_ABOVE = 500
#: The directions of the flow, as Graphviz's ``rankdir`` names them.
DIRECTIONS = ("LR", "TB", "RL", "BT")
#: The shape (width : height) that the default direction aims for: a slide's, 16:9.
SLIDE = 16 / 9
#: The minus sign of the pictures: the typographic one, as in the captions' formulas.
MINUS = "−"


def fit_to_column(svg: str) -> str:
    """The SVG image, styled to shrink to the width of a notebook's column (keeping its
    shape) instead of making the column scroll; never wider than its own size.

        >>> fit_to_column('<svg width="900pt" viewBox="0 0 900 90">')
        '<svg style="max-width:100%;height:auto" width="900pt" viewBox="0 0 900 90">'
    """
    return svg.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that also keeps the :class:`~viz.picture.Picture` its DOT
    source was written from, as ``graph.picture``.

    In Jupyter it shows through :mod:`viz.backends`' choice of backend, so it displays
    even where the Graphviz ``dot`` executable is not installed.
    """

    def __init__(self, *args, picture: Picture | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.picture = picture if picture is not None else Picture({}, [])

    def _copy_kwargs(self, **kwargs):
        # graphviz.Digraph.copy() rebuilds the object from these keyword arguments.
        return {**super()._copy_kwargs(**kwargs), "picture": self.picture}

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # graphviz.Digraph's own version runs `dot` and raises when it is missing;
        # image() falls back to the next backend instead.
        wanted = {"image/svg+xml", "text/html"} if include is None else set(include)
        wanted -= set(exclude or ())
        bundle = {}
        if wanted & {"image/svg+xml", "text/html"}:
            svg = fit_to_column(image(self, "svg").decode("utf-8"))
            if "image/svg+xml" in wanted:
                bundle["image/svg+xml"] = svg
            if "text/html" in wanted:
                # The same SVG, inline: a notebook exported to HTML shows an image/svg+xml
                # output as an <img>, which no style of the SVG's own can shrink.
                bundle["text/html"] = svg[svg.index("<svg"):]
        if "image/png" in wanted:
            bundle["image/png"] = image(self, "png")
        return bundle


def draw_graph(node: Node | Derivation, direction: str | None = None,
               decimals: int | None = None, show_data: bool = True, show_grad: bool = True,
               highlight=None, collapse=None, *, rankdir: str | None = None) -> Graph:
    """The graph that computed ``node``, as a Graphviz picture (shows inline in Jupyter).

    Each value is a record ``name | data | grad``, each op a small ellipse, and edges
    run in data-flow direction: parents → op → result. Nodes are named as
    :func:`autograd.derive` names them: a label, else ``v1``, ``v2``, … and ``f`` (``L``
    for a Tensor) for the output; an unlabelled constant has no name, only its number.
    The nodes that an ``nn.Module`` made sit in a frame labelled with the module's path
    and repr (``0: Linear(...)``), nested as the modules are, with the module's
    parameters (named as in the module: ``weight``); the input and the loss stay outside.

    Args:
        node: the output (a ``Value`` or ``Tensor``), drawn with its ``data`` and
            ``grad``; or a :class:`autograd.Derivation`, drawn with exactly its names
            and numbers (the by-hand rounding of ``derive(f, decimals=4)``, say).
        direction: ``"LR"`` (left to right), ``"TB"`` (top to bottom), ``"RL"`` or
            ``"BT"``, in either case; by default LR, but TB for a collapsed network, whose
            boxes then stack like a layer diagram. ``rankdir`` is another name for it,
            Graphviz's.
        decimals: at most this many digits after the decimal point for data and grad
            (4 by default, or a by-hand derivation's own).
        show_data, show_grad: whether the records show data and grad.
        highlight: an input node, or a pair ``(start, end)``: the paths from ``start``
            to ``end`` (to ``node`` when only an input is given) are drawn in colour.
        collapse: ``True`` draws each module as one box (its path, input → output shapes,
            parameter count); a number ``k`` keeps the frames of the top ``k`` levels
            and folds the modules below them (``collapse=1``: one box per child of the
            network); ``False`` draws every node. By default a graph of more than
            ``COLLAPSE_ABOVE`` (500) nodes is collapsed, with a caption that says so.

        >>> import nn, viz
        >>> from autograd import Value, derive
        >>> a = Value(2.0, label="a"); f = a * a + a; f.backward()
        >>> g = draw_graph(f, highlight=a)        # in Jupyter, `g` shows the picture
        >>> viz.render(g, "f.svg")                # or f.png, f.pdf, f.dot
        'f.svg'
        >>> [box.fields for box in g.picture.boxes.values() if not box.is_op]
        [('a', 'data 2', 'grad 5'), ('v1', 'data 4', 'grad 1'), ('f', 'data 6', 'grad 1')]
        >>> x = Value(0.35, label="x"); y = x.sigmoid()
        >>> [box.fields for box in draw_graph(derive(y, decimals=2)).picture.boxes.values()]
        [('x', 'data 0.35', 'grad 0.24'), ('f', 'data 0.59', 'grad 1'), ('sigmoid',)]
        >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        >>> x, y = np.ones((5, 4)), np.array([0, 2, 1, 0, 1])
        >>> loss = nn.functional.cross_entropy(model(x), y)
        >>> g = draw_graph(loss, collapse=True)   # a box per module
        >>> [box.fields[0] for box in g.picture.boxes.values() if box.is_module]
        ['0: Linear(in_features=4, out_features=8, bias=True)', '1: ReLU()',
         '2: Linear(in_features=8, out_features=3, bias=True)']
    """
    direction = _direction(direction, rankdir)
    numbers = _Numbers(node)
    decimals = _decimals(decimals, numbers.decimals)
    if not isinstance(show_data, bool) or not isinstance(show_grad, bool):
        raise ValueError(f"draw_graph: show_data and show_grad must be True or False, got "
                         f"{show_data!r} and {show_grad!r}")
    order = topological_order(numbers.root, only_requiring_grad=False)
    on_path = _path_nodes(numbers.root, order, highlight)
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
            boxes[name] = Box(name, numbers.fields(n, modules, decimals, show_data, show_grad),
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
    def output_text(n: Node) -> str:   # a folded neuron's output: "data 0.53, grad 0.12"
        return ", ".join(numbers.numbers(n, decimals, show_data, show_grad))

    for name, fold in folds.items():
        boxes[name] = Box(name, fold.fields(modules, output_text), is_module=True,
                          highlight=any(id(n) in on_path for n in fold.nodes))

    arrows = _merged(arrows, folds)
    direction = direction or _slide_direction(boxes, arrows)
    output = numbers.names[numbers.root]
    # newrank: ranks are counted over the whole graph, not frame by frame, so that the
    # parameters' invisible edges (see _below) can hold them under a frame's input.
    graph_attr = {"rankdir": direction, "nodesep": "0.2", "ranksep": "0.3", "newrank": "true"}
    captions = [numbers.mode(decimals)]
    if collapse is None and folds:
        captions.append(f"collapsed: {len(order):,} nodes; draw_graph({output}, "
                        "collapse=False) to expand")
    picture = Picture(boxes, arrows, _clusters(chains, modules.labels),
                      "; ".join(c for c in captions if c), direction)
    if picture.caption:
        graph_attr.update(label=picture.caption, labelloc="t", labeljust="l", fontname=FONT,
                          fontsize=str(FONT_SIZE), fontcolor=CAPTION_INK)
    # The graph's name is the title of an SVG image (a browser tab's, a tooltip's).
    graph = Graph(name=visible(output), picture=picture, graph_attr=graph_attr,
                  node_attr={"fontname": FONT, "fontsize": str(FONT_SIZE)},
                  edge_attr={"arrowsize": "0.7"})
    for box in boxes.values():
        if not chains[box.name]:
            graph.node(box.name, **_dot_node(box, direction))
    for cluster in picture.clusters:
        graph.subgraph(_dot_cluster(cluster, boxes, direction))
    # The spine of computed values pulls harder than the inputs and parameters that join
    # it, so that Graphviz draws it straight down, frame under frame, not zig-zagging.
    computed = {arrow.head for arrow in picture.arrows}
    for arrow in picture.arrows:
        spine = {"weight": "4"} if arrow.tail in computed else {}
        graph.edge(arrow.tail, arrow.head, color=arrow.color, penwidth=str(arrow.width),
                   **spine)
    # A module's parameters go below the value that enters it, not beside it: else its
    # frame shares ranks with the frame before and Graphviz puts the two side by side.
    for tail, parameter in _below(picture.arrows, computed, chains):
        graph.edge(tail, parameter, style="invis")
    return graph


def _below(arrows: list[Arrow], computed: set[str], chains: dict) -> list[tuple[str, str]]:
    """(value, parameter) pairs where both go into one op, the value computed and the
    parameter a framed input: the parameter is to be drawn a rank below the value."""
    into: dict[str, list[str]] = {}
    for arrow in arrows:
        into.setdefault(arrow.head, []).append(arrow.tail)
    pairs = []
    for tails in into.values():
        parameters = [t for t in tails if t not in computed and chains.get(t)]
        pairs += [(t, p) for t in dict.fromkeys(tails) if t in computed
                  for p in dict.fromkeys(parameters)]
    return pairs


def _direction(direction: str | None, rankdir: str | None) -> str | None:
    """``direction`` (or its other name ``rankdir``) in upper case; None for the default."""
    if direction is not None and rankdir is not None and \
            str(direction).upper() != str(rankdir).upper():
        raise ValueError(f"draw_graph: direction={direction!r} and rankdir={rankdir!r} "
                         "disagree; give one of them")
    chosen = direction if direction is not None else rankdir
    if chosen is None:
        return None
    if not isinstance(chosen, str) or chosen.upper() not in DIRECTIONS:
        raise ValueError(f"draw_graph: direction must be one of {', '.join(DIRECTIONS)} "
                         f"(in either case), got {chosen!r}")
    return chosen.upper()


def _slide_direction(boxes: dict[str, Box], arrows: list[Arrow]) -> str:
    """``"TB"`` or ``"LR"``: the direction whose picture comes nearer a slide's shape.

    A deep, narrow graph (a chain of ops on a few inputs) is far too wide drawn left to
    right, and a shallow, wide one too tall drawn top to bottom. The estimate: ranks as
    Graphviz makes them (each input just before its first use), each box as wide as its
    text; one picture is the ranks side by side, the other the ranks stacked.
    """
    if not boxes:
        return "LR"
    sizes = {name: _rough_size(box) for name, box in boxes.items()}
    ranks = _rough_ranks(list(boxes), arrows)
    layers: dict[int, list[str]] = {}
    for name, rank in ranks.items():
        layers.setdefault(rank, []).append(name)
    node_gap, rank_gap = 14.4, 21.6   # Graphviz's nodesep and ranksep, in points

    def extent(along: int, across: int) -> tuple[float, float]:
        """(along the flow, across it) with each box's size (w, h)[along] along it."""
        deep = sum(max(sizes[n][along] for n in layer) for layer in layers.values())
        wide = max(sum(sizes[n][across] for n in layer) + node_gap * (len(layer) - 1)
                   for layer in layers.values())
        return deep + rank_gap * (len(layers) - 1), wide

    along_x, across_y = extent(0, 1)    # left to right: the ranks side by side
    along_y, across_x = extent(1, 0)    # top to bottom: the ranks stacked
    miss = {"LR": abs(math.log(along_x / across_y / SLIDE)),
            "TB": abs(math.log(across_x / along_y / SLIDE))}
    return min(miss, key=miss.get)


def _rough_size(box: Box) -> tuple[float, float]:
    """A box's (width, height) in points, guessed from its text (Helvetica at 12 points
    averages some 7 points a character), without measuring it."""
    widths = [7.0 * len(text) + 16 for text in box.fields]
    if box.is_op:
        return max(widths[0], 22.0), 22.0
    if box.is_module:   # fields stacked
        return max(widths), 21.0 * len(widths)
    return sum(widths), 29.0


def _rough_ranks(names: list[str], arrows: list[Arrow]) -> dict[str, int]:
    """Each box's rank: its longest path from an input, inputs moved to just before their
    first use (as Graphviz places them)."""
    parents = {name: [] for name in names}
    children = {name: [] for name in names}
    for a in arrows:
        parents[a.head].append(a.tail)
        children[a.tail].append(a.head)
    order = topological_names(parents, children)
    rank = {}
    for name in order:
        rank[name] = max((rank[p] + 1 for p in parents[name]), default=0)
    for name in order:
        if not parents[name] and children[name]:
            rank[name] = min(rank[c] for c in children[name]) - 1
    return rank


def _decimals(decimals, derivations: int | None) -> int:
    """The digits after the point: ``decimals``, else the derivation's, else 4."""
    if decimals is None:
        return 4 if derivations is None else derivations
    if type(decimals) is not int or decimals < 0:
        raise ValueError(f"draw_graph: decimals must be a whole number >= 0 (or None for "
                         f"the default), got {decimals!r}")
    return decimals


class _Numbers:
    """What the records say: each node's name, data and grad, read from the nodes (their
    ``data`` and ``grad``) or from a derivation (its ``values`` and ``grads``)."""

    def __init__(self, source: Node | Derivation):
        if isinstance(source, Derivation):
            self.names = source.names
            self.root = next(n for n, name in source.names.items() if name == source.output)
            self.decimals = source.decimals
            self._derivation = source
        elif isinstance(source, Node):
            self.root = source
            self.names = node_names(source)
            self.decimals = None
            self._derivation = None
        else:
            raise TypeError(f"draw_graph: draws a Value, a Tensor or a derivation, got "
                            f"{type(source).__name__}")

    def mode(self, decimals: int) -> str:
        """What a derivation's numbers are, for the caption: exact, or by hand."""
        if self._derivation is None:
            return ""
        if self.decimals is None:
            return f"exact: full precision, shown with at most {decimals} decimals"
        return (f"by hand: each value and gradient rounded to {self.decimals} decimals "
                "as it is written down")

    def data_and_grad(self, node: Node) -> tuple:
        if self._derivation is None or node not in self.names:  # a constant: its own data
            # A Tensor's grad may be a Tensor itself, as in PyTorch: its array is drawn.
            grad = node.grad.data if isinstance(node.grad, Node) else node.grad
            if on_gpu(node.data):  # a GPU tensor: drawn from a copy on the host
                return to_host(node.data), None if grad is None else to_host(grad)
            return node.data, grad
        name = self.names[node]
        return self._derivation.values[name], self._derivation.grads.get(name)

    def fields(self, node: Node, modules: _Modules, decimals: int, show_data: bool,
               show_grad: bool) -> tuple[str, ...]:
        """A record's texts: its name, an array's shape and dtype, its data and grad.

        A constant has no name: derive() writes it as its number, and so does its record.
        A parameter shows its name in its module's frame ("weight", a neuron's "w.0"),
        unless the user labelled it otherwise than by its path in the network.
        """
        name = [modules.short_name(node) or self.names[node]] if node in self.names else []
        return tuple(name + self.numbers(node, decimals, show_data, show_grad)) or ("",)

    def numbers(self, node: Node, decimals: int, show_data: bool,
                show_grad: bool) -> list[str]:
        """A record's texts after the name: an array's shape and dtype, data and grad."""
        fields = []
        data, grad = self.data_and_grad(node)
        if isinstance(data, (np.ndarray, np.generic)):
            data = np.asarray(data)
            fields.append(f"{data.shape} {data.dtype}")
            if show_data and data.size <= 6:
                fields.append("data " + _array_text(data, decimals))
        elif show_data:
            fields.append(f"data {number(data, decimals)}")
        # A derivation holds no gradient of a constant, which it writes as its number.
        if show_grad and (node in self.names or self._derivation is None):
            fields.append(_grad_text(grad, decimals))
        return fields


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
        self.parameter_paths = {}   # id(parameter) -> its path in the network: "0.weight"
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
                        self.parameter_paths[id(p)] = self._owned(owners[0])[id(p)]

    def short_name(self, node: Node) -> str | None:
        """A parameter's name in its module's frame (``weight``, ``w.0``), when it has no
        label of its own: none, or the path in the network that ``nn`` gave it."""
        if id(node) not in self.parameter_names:
            return None
        if node.label and node.label != self.parameter_paths[id(node)]:
            return None
        return self.parameter_names[id(node)]

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

    def fields(self, modules: _Modules, numbers) -> tuple[str, ...]:
        """The box's text: the module, input → output shapes, the parameter count.

        Scalar Values have no shapes: their box counts its inputs and shows its output,
        ``numbers(node)`` (a neuron's activation: ``data 0.53, grad 0.12``).
        """
        values = [*self.inputs.values(), *self.outputs.values()]
        if values and not any(hasattr(n.data, "shape") for n in values):
            inputs, outputs = len(self.inputs), len(self.outputs)
            out = numbers(values[-1]) if outputs == 1 else ""
            flow = f"{inputs} input{'s' * (inputs != 1)} → " + (
                out or f"{outputs} output{'s' * (outputs != 1)}")
            fields = [modules.labels[self.key], flow]
        else:
            shapes = [", ".join(str(tuple(n.data.shape)) for n in values.values())
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
    if drawn and where[id(drawn[-1])] in folds:   # the output of the whole graph (last)
        folds[where[id(drawn[-1])]].outputs[id(drawn[-1])] = drawn[-1]
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
    pair = highlight if isinstance(highlight, (tuple, list)) else (highlight, root)
    if len(pair) != 2 or not all(isinstance(end, Node) for end in pair):
        raise ValueError(f"draw_graph: highlight must be a node or a pair of nodes "
                         f"(start, end), got {highlight!r}")
    start, end = pair
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


def number(x: float, decimals: int | None) -> str:
    """A number as every picture writes it: :func:`autograd.notation.format_number`'s
    digits, with the typographic minus sign.

        >>> number(-0.44569, 4), number(2e-7, 4), number(-0.0, 4)
        ('−0.4457', '2e−07', '0')
    """
    return format_number(x, decimals, minus=MINUS)


def _grad_text(grad, decimals: int) -> str:
    if grad is None:
        return "grad None"
    if np.size(grad) <= 6:
        return "grad " + _array_text(np.asarray(grad), decimals)
    return f"‖grad‖ {number(float(np.linalg.norm(grad)), decimals)}"


def _array_text(array: np.ndarray, decimals: int) -> str:
    if array.ndim == 0:
        return number(float(array), decimals)
    # Flattened, because the shape is shown beside it and a record field is one line.
    return "[" + " ".join(number(float(x), decimals) for x in array.ravel()) + "]"


def _op_text(node: Node) -> str:
    """The op's name, with the constant its expression uses (``x ** 2`` shows as ``^2``)."""
    name = node.op.name
    params = node.op.describe(node)
    if not params:
        return name
    constants = ", ".join("None" if c is None else number(c, None)
                          if isinstance(c, (int, float)) else str(c) for c in params.values())
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
    label = "{" + fields + "}" if (direction in ("LR", "RL")) != box.is_module else fields
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


def _escape(text: str) -> str:
    r"""Make ``text`` literal inside a DOT record label: ``w{1}|x`` → ``w\{1\}\|x``."""
    text = text.replace("\\", "\\\\")
    for special in '{}|<>"':
        text = text.replace(special, "\\" + special)
    return text
