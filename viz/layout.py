"""Where each box and arrow of a :class:`viz.picture.Picture` goes, for the matplotlib drawing.

Two sources give the same :class:`Layout`: Graphviz's own layout (its ``-Tjson``
output, from the pip-installed WebAssembly Graphviz) and :func:`layered`, a small
layered layout for when no Graphviz is available at all. Coordinates are in points
(1/72 inch) with y pointing up, as in Graphviz. Both give each module's frame (cluster)
a rectangle and its label a place, drawn behind the boxes.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field

from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextToPath

from .picture import FONT_SIZE, OP_FONT_SIZE, Arrow, Box, Cluster, Picture, topological_names

# DejaVu Sans ships with matplotlib, so text is measured and drawn the same everywhere.
FONT_FAMILY = "DejaVu Sans"
PAD = 7.0          # space between a field's text and its border
RANK_GAP = 34.0    # between consecutive ranks, along the flow
ORDER_GAP = 14.0   # between neighbours within a rank
DUMMY_SIZE = 6.0   # room a long edge takes where it passes through a rank
FIELD_HEIGHT = 21.0  # each field of a module's box, stacked (as Graphviz makes them)
CLUSTER_PAD = 8.0  # between a frame and what it holds (Graphviz's cluster margin)
LABEL_ROOM = 21.0  # above a frame's contents, for its label; and above all, for a caption
TWIN_GAP = 7.0     # across the flow, between two arrows with the same ends (a * a)
CORNER_ROOM = 6.0  # an edge leaves a box's side this far from its rounded corners

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
class PlacedCluster:
    """A module's frame: its rectangle (x0, y0, x1, y1) and where its label starts (the
    left end, at the text's mid-height)."""

    cluster: Cluster
    rect: tuple[float, float, float, float]
    label_at: tuple[float, float]


@dataclass
class Layout:
    """Everything the drawing needs: the size, the placed boxes, one path per arrow, the
    frames (outer ones first) and the graph's caption as (text, left end, mid-height)."""

    width: float
    height: float
    nodes: list[Placed]
    edges: list[tuple[Arrow, Path]]
    clusters: list[PlacedCluster] = field(default_factory=list)
    caption: tuple[str, float, float] | None = None


def from_graphviz_json(picture: Picture, text: str | bytes) -> Layout:
    """Read Graphviz's ``-Tjson`` layout of ``picture``: node boxes, record fields, splines."""
    data = json.loads(text)
    _, _, width, height = (float(v) for v in data["bb"].split(","))
    names = {obj["_gvid"]: obj["name"] for obj in data.get("objects", [])}
    nodes = []
    for obj in data.get("objects", []):
        if obj["name"] not in picture.boxes:
            continue
        x, y = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
        cells = [tuple(float(v) for v in rect.split(","))
                 for rect in obj.get("rects", "").split()] or [(x - w / 2, y - h / 2,
                                                              x + w / 2, y + h / 2)]
        nodes.append(Placed(picture.boxes[obj["name"]], x, y, w, h, cells))
    arrows = {(a.tail, a.head): a for a in picture.arrows}
    edges = []
    for edge in data.get("edges", []):
        ends = (names[edge["tail"]], names[edge["head"]])
        if ends not in arrows:   # an invisible edge, that only holds a box in its rank
            continue
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
        edges.append((arrows[ends], Path(verts, codes)))
    frames = {obj["name"]: obj for obj in data.get("objects", []) if "bb" in obj}
    clusters = []
    for cluster in _walk(picture.clusters):   # outer frames first, to be drawn underneath
        x0, y0, x1, y1 = (float(v) for v in frames[cluster.name]["bb"].split(","))
        label_y = float(frames[cluster.name]["lp"].split(",")[1])
        clusters.append(PlacedCluster(cluster, (x0, y0, x1, y1), (x0 + CLUSTER_PAD, label_y)))
    caption = None
    if picture.caption:   # Graphviz centres the label on lp
        x, y = (float(v) for v in data["lp"].split(","))
        caption = (picture.caption, x - float(data["lwidth"]) * 72 / 2, y)
    return Layout(width, height, nodes, edges, clusters, caption)


def _walk(clusters: list[Cluster]):
    """Every cluster, each before the clusters inside it."""
    for cluster in clusters:
        yield cluster
        yield from _walk(cluster.children)


def layered(picture: Picture) -> Layout:
    """A layered (Sugiyama-style) layout of ``picture``, computed without Graphviz.

    Ranks by longest path, each node then moved next to its first consumer; long edges
    pass through dummy points, one per rank they cross; a few barycentre sweeps order
    each rank to reduce crossings, keeping the boxes of a frame (a module's cluster)
    together; then each node moves across the flow towards its neighbours, with room
    for the frames' borders and labels. Flow runs along x for direction LR, down for TB
    (and back for RL and BT).

        >>> from autograd import Value
        >>> from viz import draw_graph
        >>> picture = draw_graph(Value(2.0, label="x").exp(), direction="LR").picture
        >>> layout = layered(picture)                   # as the "matplotlib" backend draws
        >>> left_to_right = sorted(layout.nodes, key=lambda node: node.x)
        >>> [node.box.fields[:2] for node in left_to_right]   # x → exp → f = e² = 7.3891
        [('x', 'data 2'), ('exp',), ('f', 'data 7.3891')]
    """
    sizes = {name: _size(box) for name, box in picture.boxes.items()}
    paths = _cluster_paths(picture.clusters)
    ranks = _ranks(picture, paths)
    frame_ranks = {}  # each frame's first and last rank
    for name, path in paths.items():
        for cluster in path:
            first, last = frame_ranks.get(cluster, (ranks[name], ranks[name]))
            frame_ranks[cluster] = (min(first, ranks[name]), max(last, ranks[name]))
    chains = _chains(picture.arrows, ranks, sizes)
    neighbours = {name: ([], []) for name in ranks}  # (before, after) along the flow
    for arrow, chain in chains:
        for tail, head in zip(chain, chain[1:]):
            neighbours[tail][1].append(head)
            neighbours[head][0].append(tail)
        # A long edge passes inside the frames that hold both its ends.
        shared = _shared(paths.get(arrow.tail, ()), paths.get(arrow.head, ()))
        paths.update(dict.fromkeys(chain[1:-1], shared))
    layers = _order(ranks, neighbours, paths)

    # Work in (along the flow, across it); LR flows along x, TB down y, RL and BT the
    # other way. A frame's label sits on top: across the flow for LR and RL; before its
    # first rank for TB, after its last for BT.
    flow_lr = picture.direction in ("LR", "RL")
    backwards = picture.direction in ("RL", "BT")
    extent = {n: (w, h) if flow_lr else (h, w) for n, (w, h) in sizes.items()}
    breadth = {n: across for n, (_, across) in extent.items()}

    def gap(before: str, after: str) -> float:
        """Across the flow, between neighbours in a rank: room for the borders between."""
        outer, inner = paths.get(before, ()), paths.get(after, ())
        shared = len(_shared(outer, inner))
        entered = len(inner) - shared
        return (ORDER_GAP + CLUSTER_PAD * (len(outer) - shared + entered)
                + (LABEL_ROOM * entered if flow_lr else 0.0))

    spans, start = [], 0.0  # each rank takes the room of its deepest node
    for r, layer in enumerate(layers):
        depth = max(extent[n][0] for n in layer)
        spans.append((start, start + depth))
        closing = sum(last == r for _, last in frame_ranks.values())
        opening = sum(first == r + 1 for first, _ in frame_ranks.values())
        labels = 0 if flow_lr else closing if backwards else opening
        start += depth + RANK_GAP + CLUSTER_PAD * (closing + opening) + LABEL_ROOM * labels
    across = _spread(layers, neighbours, breadth, gap)

    # To (x, y) with y up and the picture's corner at (0, 0): LR puts the first node of
    # a rank on top, TB the first rank; RL and BT mirror them.
    along = -1.0 if backwards else 1.0

    def to_xy(a: float, c: float) -> tuple[float, float]:
        return (along * a, -c) if flow_lr else (c, -along * a)

    def rectangles() -> tuple[dict, dict]:
        """The boxes' rectangles and the frames' (by name), where the boxes are now."""
        rects = {}
        for n in picture.boxes:
            (x, y), (w, h) = to_xy(sum(spans[ranks[n]]) / 2, across[n]), sizes[n]
            rects[n] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        return rects, _frame_rects(picture.clusters, rects)

    # The spread kept each node clear of the frames of its neighbours in its own rank,
    # but a frame is as wide as its widest rank: move the nodes outside it clear of it.
    for cluster in reversed(list(_walk(picture.clusters))):  # inner frames first
        x0, y0, x1, y1 = rectangles()[1][cluster.name]
        first, last = frame_ranks[cluster.name]
        for layer in layers[first:last + 1]:
            _push_out(layer, [cluster.name in paths.get(n, ()) for n in layer],
                      (-y1, -y0) if flow_lr else (x0, x1), across, breadth)
    centre = {n: (sum(spans[ranks[n]]) / 2, across[n]) for n in ranks}
    is_op = {n: n in picture.boxes and picture.boxes[n].is_op for n in ranks}
    # A value used twice by one op (a * a) has two arrows with the same ends: side by side.
    uses = {}
    for arrow, _ in chains:
        uses[arrow.tail, arrow.head] = uses.get((arrow.tail, arrow.head), 0) + 1
    nth = {}
    routes = []
    for arrow, chain in chains:
        ends = (arrow.tail, arrow.head)
        nth[ends] = nth.get(ends, -1) + 1
        offset = (nth[ends] - (uses[ends] - 1) / 2) * TWIN_GAP
        routes.append((arrow, _route(chain, centre, extent, is_op,
                                     [spans[ranks[d]] for d in chain[1:-1]], offset)))
    rects, frames = rectangles()
    everything = [*rects.values(), *frames.values()]
    left, bottom = min(r[0] for r in everything), min(r[1] for r in everything)
    right, top = max(r[2] for r in everything), max(r[3] for r in everything)
    if picture.caption:   # a line above everything, from the left edge
        top += LABEL_ROOM
        right = max(right, left + text_width(picture.caption, FONT_SIZE))
    width, height = right - left, top - bottom

    def shifted(a: float, c: float) -> tuple[float, float]:
        x, y = to_xy(a, c)
        return x - left, y - bottom

    nodes = [_placed(box, *shifted(*centre[name]), *sizes[name])
             for name, box in picture.boxes.items()]
    edges = [(arrow, Path([shifted(*v) for v in verts], codes))
             for arrow, (verts, codes) in routes]
    clusters = []
    for cluster in _walk(picture.clusters):
        x0, y0, x1, y1 = frames[cluster.name]
        rect = (x0 - left, y0 - bottom, x1 - left, y1 - bottom)
        clusters.append(PlacedCluster(cluster, rect, (rect[0] + CLUSTER_PAD,
                                                      rect[3] - LABEL_ROOM / 2)))
    caption = (picture.caption, 0.0, height - LABEL_ROOM / 2) if picture.caption else None
    return Layout(width, height, nodes, edges, clusters, caption)


def _cluster_paths(clusters: list[Cluster], outer: tuple = ()) -> dict[str, tuple]:
    """Box name -> the names of the frames it sits in, outermost first."""
    paths = {}
    for cluster in clusters:
        path = (*outer, cluster.name)
        paths.update(dict.fromkeys(cluster.boxes, path))
        paths.update(_cluster_paths(cluster.children, path))
    return paths


def _shared(a: tuple, b: tuple) -> tuple:
    """The frames that two boxes are both in: the common start of their paths."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _frame_rects(clusters: list[Cluster], rects: dict[str, tuple]) -> dict[str, tuple]:
    """Each frame's rectangle: around its boxes and inner frames, with a margin, room for
    the label on top, and at least as wide as the label."""
    found = {}
    for cluster in clusters:
        found.update(_frame_rects(cluster.children, rects))
        parts = [rects[name] for name in cluster.boxes]
        parts += [found[child.name] for child in cluster.children]
        x0 = min(p[0] for p in parts) - CLUSTER_PAD
        x1 = max(max(p[2] for p in parts) + CLUSTER_PAD,
                 x0 + text_width(cluster.label, FONT_SIZE) + 2 * CLUSTER_PAD)
        found[cluster.name] = (x0, min(p[1] for p in parts) - CLUSTER_PAD, x1,
                               max(p[3] for p in parts) + CLUSTER_PAD + LABEL_ROOM)
    return found


def _push_out(layer: list[str], inside: list[bool], frame: tuple[float, float],
              position: dict[str, float], extent: dict[str, float]) -> None:
    """Move the nodes of ``layer`` that are not ``inside`` a frame out of the frame's span
    across the flow, ``frame`` = (low, high), each with the nodes beyond it, in order."""
    low, high = frame
    members = [i for i, flag in enumerate(inside) if flag]
    if members:  # a frame's nodes are next to each other (see _grouped)
        start, end = members[0], members[-1] + 1
    else:
        start = end = sum(position[n] < (low + high) / 2 for n in layer)
    before, after = layer[:start], layer[end:]
    if before:
        shift = min(0.0, low - ORDER_GAP - position[before[-1]] - extent[before[-1]] / 2)
        position.update({n: position[n] + shift for n in before})
    if after:
        shift = max(0.0, high + ORDER_GAP - position[after[0]] + extent[after[0]] / 2)
        position.update({n: position[n] + shift for n in after})


def _field_widths(box: Box) -> list[float]:
    if box.is_op:
        return [text_width(box.fields[0], OP_FONT_SIZE) + 2 * PAD + 4]
    return [text_width(text, FONT_SIZE) + 2 * PAD for text in box.fields]


def _size(box: Box) -> tuple[float, float]:
    if box.is_module:  # fields stacked, as wide as the widest
        return max(_field_widths(box)), FIELD_HEIGHT * len(box.fields)
    height = OP_FONT_SIZE + 12 if box.is_op else FONT_SIZE + 16
    return sum(_field_widths(box)), height


def _placed(box: Box, x: float, y: float, w: float, h: float) -> Placed:
    if box.is_module:  # top to bottom
        return Placed(box, x, y, w, h, [(x - w / 2, y + h / 2 - (i + 1) * FIELD_HEIGHT,
                                         x + w / 2, y + h / 2 - i * FIELD_HEIGHT)
                                        for i in range(len(box.fields))])
    cells, x0 = [], x - w / 2
    for width in _field_widths(box):
        cells.append((x0, y - h / 2, x0 + width, y + h / 2))
        x0 += width
    return Placed(box, x, y, w, h, cells)



def _ranks(picture: Picture, paths: dict[str, tuple]) -> dict[str, int]:
    parents = {name: [] for name in picture.boxes}
    children = {name: [] for name in picture.boxes}
    for a in picture.arrows:
        parents[a.head].append(a.tail)
        children[a.tail].append(a.head)

    def step(tail: str, head: str) -> int:
        """Ranks from ``tail`` to ``head``: one more from a frame into another when ``head``
        has other inputs (a layer's weights), placed just before it: they must not share
        the rank where the first frame ends. A collapsed module's box holds its weights
        itself: into it, one rank (else every arrow between two layers of boxes would
        cross an empty rank, a column of bends as tall as all the arrows)."""
        a, b = paths.get(tail, ()), paths.get(head, ())
        shared = len(_shared(a, b))
        return 2 if (len(a) > shared and len(b) > shared and len(parents[head]) > 1
                     and not picture.boxes[head].is_module) else 1

    order = topological_names(parents, children)
    rank = {}
    for name in order:
        rank[name] = max((rank[p] + step(p, name) for p in parents[name]), default=0)
    # Longest path puts every input in rank 0, far from where it is used (t in
    # (y - t)**2); moving each node to just before its first consumer keeps edges short.
    for name in reversed(order):
        if children[name]:
            rank[name] = min(rank[c] - step(name, c) for c in children[name])
    return {name: rank[name] for name in picture.boxes}  # in the order they were declared


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


def _order(ranks: dict[str, int], neighbours: dict, paths: dict[str, tuple],
           sweeps: int = 4) -> list[list[str]]:
    """The nodes of each rank, ordered by barycentre sweeps to reduce crossings, the
    nodes of each frame together (``paths``: see :func:`_cluster_paths`)."""
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
                layers[r] = _grouped(layers[r], paths)
    return layers


def _grouped(layer: list[str], paths: dict[str, tuple]) -> list[str]:
    """``layer`` reordered so that the nodes of each frame are next to each other.

    At each depth a node stands for the frame it is in there (or for itself): a frame
    goes where its nodes are on average, ties broken by its first node, so two frames
    never interleave.
    """
    position = {n: i for i, n in enumerate(layer)}
    members = {}
    for n in layer:
        path = paths.get(n, ())
        for depth in range(len(path)):
            members.setdefault(path[:depth + 1], []).append(position[n])

    def key(n: str) -> list[tuple[float, int]]:
        path = paths.get(n, ())
        frames = [members[path[:depth + 1]] for depth in range(len(path))]
        return [(_mean(m, 0.0), m[0]) for m in frames] + [(position[n], position[n])]

    return sorted(layer, key=key)


def _spread(layers: list[list[str]], neighbours: dict, extent: dict[str, float],
            gap, sweeps: int = 8) -> dict[str, float]:
    """Positions across the flow: each rank in its order, no two nodes closer than
    ``gap(before, after)``, each node as near as it can be to the mean of its neighbours
    (so that chains run straight, as Graphviz draws them)."""
    position = {}
    for layer in layers:  # start: each rank centred on the same line
        offsets = _offsets(layer, extent, gap)
        middle = (offsets[-1] + extent[layer[-1]] / 2 - extent[layer[0]] / 2) / 2
        position.update({n: o - middle for n, o in zip(layer, offsets)})
    for _ in range(sweeps):
        # Up the ranks towards the neighbours after, then down towards those before.
        for side, layer in [(1, lay) for lay in layers[::-1]] + [(0, lay) for lay in layers]:
            # Least squares under the gap constraints: subtracting each node's minimum
            # offset from the first leaves a fit that must only be non-decreasing.
            offsets = _offsets(layer, extent, gap)
            wants = [_mean([position[m] for m in neighbours[n][side]], position[n])
                     for n in layer]
            fitted = _increasing_fit([w - o for w, o in zip(wants, offsets)])
            position.update({n: f + o for n, f, o in zip(layer, fitted, offsets)})
    return position


def _offsets(layer: list[str], extent: dict[str, float], gap) -> list[float]:
    """How far each node's centre must at least be from the first one's."""
    offsets = [0.0]
    for before, n in zip(layer, layer[1:]):
        offsets.append(offsets[-1] + (extent[before] + extent[n]) / 2 + gap(before, n))
    return offsets


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


def _route(chain: list[str], centre: dict, extent: dict, is_op: dict, spans: list,
           offset: float = 0.0) -> tuple:
    """An edge's vertices and path codes, in (along, across) coordinates.

    As in Graphviz, a short edge aims at an op's centre and stops at its border; it leaves
    and enters a box by its sides that face along the flow, so that it never cuts across
    a box, its own or one beside it, nor ends on a box's long side among the others. A
    long edge runs straight through each rank it crosses (at its dummy's place, clear of
    the nodes there) and bends in the gaps between ranks. ``offset`` moves a short edge's
    ends across the flow, to draw twins apart.
    """
    tail, head = chain[0], chain[-1]
    inner = []  # each dummy enters and leaves its rank at the same place across
    for dummy, span in zip(chain[1:-1], spans):
        inner += [(along, centre[dummy][1]) for along in span]
    # A long edge leaves and enters straight along the flow, as it goes on.
    first = (inner[0][0], centre[tail][1]) if inner else centre[head]
    last = (inner[-1][0], centre[head][1]) if inner else centre[tail]
    start = (_border if is_op[tail] else _exit)(centre[tail], first, extent[tail], is_op[tail])
    end = (_border if is_op[head] else _exit)(centre[head], last, extent[head], is_op[head])
    points = [start, *inner, end]
    if not inner:
        return [(a, c + offset) for a, c in points], [Path.MOVETO, Path.LINETO]
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


def _exit(centre, toward, extent, is_op: bool = False) -> tuple[float, float]:
    """Where an edge from a box towards ``toward`` leaves it: on the side that faces along
    the flow, where the line from the centre crosses it, else at that side's end (short of
    the rounded corner)."""
    (a, c), (da, dc) = centre, (toward[0] - centre[0], toward[1] - centre[1])
    half_a, half_c = extent[0] / 2, extent[1] / 2
    if da == 0:
        return _border(centre, toward, extent, is_op)
    room = max(half_c - CORNER_ROOM, 0.0)
    across = max(-room, min(room, dc * half_a / abs(da)))
    return a + math.copysign(half_a, da), c + across


def _border(centre, toward, extent, is_op: bool) -> tuple[float, float]:
    """Where the line from ``centre`` to ``toward`` leaves a box (an ellipse if is_op)."""
    (a, c), (da, dc) = centre, (toward[0] - centre[0], toward[1] - centre[1])
    half_a, half_c = extent[0] / 2, extent[1] / 2
    if is_op:
        t = 1 / math.hypot(da / half_a, dc / half_c)
    else:
        t = 1 / max(abs(da) / half_a, abs(dc) / half_c)
    return a + t * da, c + t * dc
