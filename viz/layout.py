"""Where each box and arrow of a :class:`viz.graph.Graph` goes, for the matplotlib drawing.

Two sources give the same :class:`Layout`: Graphviz's own layout (its ``-Tjson``
output, from the pip-installed WebAssembly Graphviz) and :func:`layered`, a small
layered layout for when no Graphviz is available at all. Coordinates are in points
(1/72 inch) with y pointing up, as in Graphviz.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field

from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextToPath

from .graph import FONT_SIZE, OP_FONT_SIZE, Arrow, Box, Graph

# DejaVu Sans ships with matplotlib, so text is measured and drawn the same everywhere.
FONT_FAMILY = "DejaVu Sans"
PAD = 7.0          # space between a field's text and its border
RANK_GAP = 34.0    # between consecutive ranks, along the flow
ORDER_GAP = 14.0   # between neighbours within a rank
DUMMY_SIZE = 6.0   # room a long edge takes where it passes through a rank

_text_to_path = TextToPath()


@functools.lru_cache(maxsize=4096)  # pictures repeat texts: "×", "grad 0.0000"
def text_width(text: str, size: float) -> float:
    """Width of ``text`` in points when set at ``size`` points."""
    prop = FontProperties(family=FONT_FAMILY, size=size)
    return _text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


@dataclass
class Placed:
    """A box with its centre (x, y), its size (w, h) and one rectangle per field."""

    box: Box
    x: float
    y: float
    w: float
    h: float
    cells: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class Layout:
    """Everything the drawing needs: the size, the placed boxes, one path per arrow."""

    width: float
    height: float
    nodes: list[Placed]
    edges: list[tuple[Arrow, Path]]


def from_graphviz_json(graph: Graph, text: str | bytes) -> Layout:
    """Read Graphviz's ``-Tjson`` layout of ``graph``: node boxes, record fields, splines."""
    data = json.loads(text)
    _, _, width, height = (float(v) for v in data["bb"].split(","))
    names = {obj["_gvid"]: obj["name"] for obj in data.get("objects", [])}
    nodes = []
    for obj in data.get("objects", []):
        if obj["name"] not in graph.boxes:
            continue
        x, y = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
        cells = [tuple(float(v) for v in rect.split(","))
                 for rect in obj.get("rects", "").split()] or [(x - w / 2, y - h / 2,
                                                              x + w / 2, y + h / 2)]
        nodes.append(Placed(graph.boxes[obj["name"]], x, y, w, h, cells))
    arrows = {(a.tail, a.head): a for a in graph.arrows}
    edges = []
    for edge in data.get("edges", []):
        # pos is "e,tip  p0 p1 p2 p3 ...": a cubic B-spline in Bezier form, and the
        # point the arrowhead touches.
        points, tip = [], None
        for token in edge["pos"].split():
            if token.startswith("e,"):
                tip = token[2:]
            elif not token.startswith("s,"):
                points.append(token)
        verts = [tuple(float(v) for v in p.split(",")) for p in points + [tip]]
        codes = [Path.MOVETO] + [Path.CURVE4] * (len(points) - 1) + [Path.LINETO]
        arrow = arrows[(names[edge["tail"]], names[edge["head"]])]
        edges.append((arrow, Path(verts, codes)))
    return Layout(width, height, nodes, edges)


def layered(graph: Graph) -> Layout:
    """A layered (Sugiyama-style) layout of ``graph``, computed without Graphviz.

    Ranks by longest path, each node then moved next to its first consumer; long edges
    pass through dummy points, one per rank they cross; a few barycentre sweeps order
    each rank to reduce crossings; then each node moves across the flow towards its
    neighbours. Flow runs along x for ``rankdir=LR``, down for TB.

        >>> layout = layered(draw_graph(f))      # what the "matplotlib" backend draws
    """
    sizes = {name: _size(box) for name, box in graph.boxes.items()}
    ranks = _ranks(graph)
    chains = _chains(graph.arrows, ranks, sizes)
    neighbours = {name: ([], []) for name in ranks}  # (before, after) along the flow
    for _, chain in chains:
        for tail, head in zip(chain, chain[1:]):
            neighbours[tail][1].append(head)
            neighbours[head][0].append(tail)
    layers = _order(ranks, neighbours)

    # Work in (along the flow, across it); LR flows along x, TB down y.
    flow_lr = graph.graph_attr.get("rankdir", "TB") == "LR"
    extent = {n: (w, h) if flow_lr else (h, w) for n, (w, h) in sizes.items()}
    spans, start = [], 0.0  # each rank takes the room of its deepest node
    for layer in layers:
        depth = max(extent[n][0] for n in layer)
        spans.append((start, start + depth))
        start += depth + RANK_GAP
    across = _spread(layers, neighbours, {n: e[1] for n, e in extent.items()})
    centre = {n: (sum(spans[ranks[n]]) / 2, across[n]) for n in ranks}
    is_op = {n: n in graph.boxes and graph.boxes[n].is_op for n in ranks}
    routes = [(arrow, _route(chain, centre, extent, is_op,
                             [spans[ranks[d]] for d in chain[1:-1]])) for arrow, chain in chains]

    # To (x, y) with y up and the picture's corner at (0, 0): LR puts the first node of
    # a rank on top, TB the first rank.
    def to_xy(a: float, c: float) -> tuple[float, float]:
        return (a, -c) if flow_lr else (c, -a)

    xy = {n: to_xy(*centre[n]) for n in graph.boxes}
    left = min(xy[n][0] - sizes[n][0] / 2 for n in xy)
    bottom = min(xy[n][1] - sizes[n][1] / 2 for n in xy)
    width = max(xy[n][0] + sizes[n][0] / 2 for n in xy) - left
    height = max(xy[n][1] + sizes[n][1] / 2 for n in xy) - bottom

    def shifted(a: float, c: float) -> tuple[float, float]:
        x, y = to_xy(a, c)
        return x - left, y - bottom

    nodes = [_placed(box, *shifted(*centre[name]), *sizes[name])
             for name, box in graph.boxes.items()]
    edges = [(arrow, Path([shifted(*v) for v in verts], codes))
             for arrow, (verts, codes) in routes]
    return Layout(width, height, nodes, edges)


def _field_widths(box: Box) -> list[float]:
    if box.is_op:
        return [text_width(box.fields[0], OP_FONT_SIZE) + 2 * PAD + 4]
    return [text_width(text, FONT_SIZE) + 2 * PAD for text in box.fields]


def _size(box: Box) -> tuple[float, float]:
    height = OP_FONT_SIZE + 12 if box.is_op else FONT_SIZE + 16
    return sum(_field_widths(box)), height


def _placed(box: Box, x: float, y: float, w: float, h: float) -> Placed:
    cells, x0 = [], x - w / 2
    for width in _field_widths(box):
        cells.append((x0, y - h / 2, x0 + width, y + h / 2))
        x0 += width
    return Placed(box, x, y, w, h, cells)


def _ranks(graph: Graph) -> dict[str, int]:
    parents = {name: [] for name in graph.boxes}
    children = {name: [] for name in graph.boxes}
    for a in graph.arrows:
        parents[a.head].append(a.tail)
        children[a.tail].append(a.head)
    # Kahn's algorithm: a topological order of the boxes.
    waiting = {name: len(p) for name, p in parents.items()}
    order = [name for name, count in waiting.items() if count == 0]
    for name in order:
        for child in children[name]:
            waiting[child] -= 1
            if waiting[child] == 0:
                order.append(child)
    rank = {}
    for name in order:
        rank[name] = max((rank[p] + 1 for p in parents[name]), default=0)
    # Longest path puts every input in rank 0, far from where it is used (t in
    # (y - t)**2); moving each node to just before its first consumer keeps edges short.
    for name in reversed(order):
        if children[name]:
            rank[name] = min(rank[c] for c in children[name]) - 1
    return {name: rank[name] for name in graph.boxes}  # in the order they were declared


def _chains(arrows: list[Arrow], ranks: dict[str, int], sizes: dict) -> list:
    """Each arrow as the list of names it passes, with a dummy point per crossed rank.

    The dummies are added to ``ranks`` and ``sizes``, so that they take part in
    ordering and spacing like any node.
    """
    chains = []
    for i, a in enumerate(arrows):
        dummies = [f"{a.tail}->{a.head}#{i}.{r}" for r in range(ranks[a.tail] + 1,
                                                                   ranks[a.head])]
        for r, d in enumerate(dummies, start=ranks[a.tail] + 1):
            ranks[d], sizes[d] = r, (DUMMY_SIZE, DUMMY_SIZE)
        chains.append((a, [a.tail, *dummies, a.head]))
    return chains


def _order(ranks: dict[str, int], neighbours: dict, sweeps: int = 4) -> list[list[str]]:
    """The nodes of each rank, ordered by barycentre sweeps to reduce crossings."""
    layers = [[] for _ in range(max(ranks.values()) + 1)]
    for name, r in ranks.items():
        layers[r].append(name)
    for _ in range(sweeps):
        # Down the ranks by the neighbours before, then back up by those after.
        for side, sequence in ((0, range(1, len(layers))), (1, range(len(layers) - 2, -1, -1))):
            for r in sequence:
                ref = {n: i for i, n in enumerate(layers[r + (1 if side else -1)])}
                here = {n: i for i, n in enumerate(layers[r])}
                # A node without neighbours on that side keeps its place.
                layers[r].sort(key=lambda n: _mean([ref[m] for m in neighbours[n][side]],
                                                   here[n]))
    return layers


def _spread(layers: list[list[str]], neighbours: dict, extent: dict[str, float],
            sweeps: int = 8) -> dict[str, float]:
    """Positions across the flow: each rank in its order, no two nodes closer than
    ORDER_GAP, each node as near as it can be to the mean of its neighbours (so that
    chains run straight, as Graphviz draws them)."""
    position = {}
    for layer in layers:  # start: each rank centred on the same line
        start = -(sum(extent[n] for n in layer) + ORDER_GAP * (len(layer) - 1)) / 2
        for n in layer:
            position[n] = start + extent[n] / 2
            start += extent[n] + ORDER_GAP
    for _ in range(sweeps):
        # Up the ranks towards the neighbours after, then down towards those before.
        for side, layer in [(1, lay) for lay in layers[::-1]] + [(0, lay) for lay in layers]:
            # Least squares under the gap constraints: subtracting each node's minimum
            # offset from the first leaves a fit that must only be non-decreasing.
            offsets, total = [], 0.0
            for before, n in zip([None] + layer, layer):
                total += 0.0 if before is None else (extent[before] + extent[n]) / 2 + ORDER_GAP
                offsets.append(total)
            wants = [_mean([position[m] for m in neighbours[n][side]], position[n])
                     for n in layer]
            fitted = _increasing_fit([w - o for w, o in zip(wants, offsets)])
            position.update({n: f + o for n, f, o in zip(layer, fitted, offsets)})
    return position


def _increasing_fit(values: list[float]) -> list[float]:
    """The non-decreasing sequence nearest to ``values`` in least squares.

    Pool-adjacent-violators: runs that decrease are replaced by their mean.
    """
    blocks = []  # [mean, count]
    for v in values:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            before, n = blocks[-1]
            blocks[-1] = [(before * n + mean * count) / (n + count), n + count]
    return [mean for mean, count in blocks for _ in range(count)]


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default


def _route(chain: list[str], centre: dict, extent: dict, is_op: dict, spans: list) -> tuple:
    """An edge's vertices and path codes, in (along, across) coordinates.

    As in Graphviz, a short edge aims from centre to centre and stops at the borders.
    A long edge runs straight through each rank it crosses (at its dummy's place, clear
    of the nodes there) and bends in the gaps between ranks.
    """
    tail, head = chain[0], chain[-1]
    inner = []  # each dummy enters and leaves its rank at the same place across
    for dummy, span in zip(chain[1:-1], spans):
        inner += [(along, centre[dummy][1]) for along in span]
    # A long edge leaves and enters straight along the flow, as it goes on.
    first = (inner[0][0], centre[tail][1]) if inner else centre[head]
    last = (inner[-1][0], centre[head][1]) if inner else centre[tail]
    points = [_border(centre[tail], first, extent[tail], is_op[tail]), *inner,
              _border(centre[head], last, extent[head], is_op[head])]
    if not inner:
        return points, [Path.MOVETO, Path.LINETO]
    verts, codes = [points[0]], [Path.MOVETO]
    for i, (p, q) in enumerate(zip(points, points[1:])):
        if i % 2:  # inside a rank
            verts.append(q)
            codes.append(Path.LINETO)
        else:  # across a gap: leave and arrive along the flow
            middle = (p[0] + q[0]) / 2
            verts += [(middle, p[1]), (middle, q[1]), q]
            codes += [Path.CURVE4] * 3
    return verts, codes


def _border(centre, toward, extent, is_op: bool) -> tuple[float, float]:
    """Where the line from ``centre`` to ``toward`` leaves a box (an ellipse if is_op)."""
    (a, c), (da, dc) = centre, (toward[0] - centre[0], toward[1] - centre[1])
    half_a, half_c = extent[0] / 2, extent[1] / 2
    if is_op:
        t = 1 / math.hypot(da / half_a, dc / half_c)
    else:
        t = 1 / max(abs(da) / half_a, abs(dc) / half_c)
    return a + t * da, c + t * dc
