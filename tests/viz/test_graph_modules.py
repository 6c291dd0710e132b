"""viz.draw_graph on networks: a frame per nn.Module, collapsed module boxes, big graphs.

The parameter counts and shapes are worked out by hand from the layer sizes: Linear(i, o)
holds i·o weights and o biases, and maps a batch (n, i) to (n, o).
"""

import re

import numpy as np
import pytest

import nn
import viz
from autograd import Tensor, Value, derive, topological_order
from viz import draw_graph
from viz.backends import compute_layout
from viz.graph import COLLAPSE_ABOVE
from viz.layout import layered
from viz.picture import HIGHLIGHT_FILL

LINEAR_0 = "0: Linear(in_features=4, out_features=3, bias=True)"
LINEAR_2 = "2: Linear(in_features=3, out_features=2, bias=True)"


def mlp():
    """Sequential(Linear(4, 3), ReLU(), Linear(3, 2)) on a batch of 5; the loss is one op
    outside the network, the sum of its outputs."""
    np.random.seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    x = Tensor(np.random.randn(5, 4).astype(np.float32), label="x")
    loss = model(x).sum()
    loss.label = "loss"
    loss.backward()
    return model, loss


def nested():
    """The same layers, the first two inside a Sequential named "features"."""
    np.random.seed(0)
    model = nn.Sequential({"features": nn.Sequential(nn.Linear(4, 3), nn.ReLU()),
                           "head": nn.Linear(3, 2)})
    out = model(np.random.randn(5, 4).astype(np.float32)).sum()
    out.label = "out"
    return model, out


def labels(source: str) -> dict[str, str]:
    """DOT node name -> its label, without the quotes and the braces that orient a record.

    A parameter is labelled with its path in the network (``0.weight``), or, unlabelled,
    drawn with its name in its module (``weight``): both read ``weight`` here, since the
    frame it sits in is what tells the layers apart.
    """
    return {name: re.sub(r"^(?:\w+\.)+(?=(?:weight|bias)\|)", "", label.strip('"').strip("{}"))
            for name, label in
            re.findall(r'^\t+(\w+) \[label=("(?:[^"\\]|\\.)*"|\S+)', source, flags=re.M)}


def frames(source: str) -> list[tuple[str, tuple[str, ...]]]:
    """(label, the labels of the clusters around it, outermost first) for each DOT node."""
    around, found = [], []
    names = labels(source)
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("subgraph cluster_"):
            around.append(None)
        elif line.startswith("graph [") and around:
            around[-1] = re.search(r'label=("(?:[^"\\]|\\.)*"|\S+)', line).group(1).strip('"')
        elif line == "}":
            around = around[:-1]
        elif match := re.match(r"(\w+) \[label=", line):
            found.append((names[match.group(1)], tuple(around)))
    return found


def frames_of(source: str, start: str) -> set[tuple[str, ...]]:
    """The frames around each node whose label starts with ``start``."""
    found = {around for label, around in frames(source) if label.startswith(start)}
    assert found, f"no node labelled {start}..."
    return found


def arrows(source: str) -> set[tuple[str, str]]:
    """Each edge as (tail label, head label)."""
    names = labels(source)
    return {(names[tail], names[head])
            for tail, head in re.findall(r"^\t(\w+) -> (\w+) ", source, flags=re.M)}


def test_each_module_is_a_frame_around_its_ops_and_parameters():
    _, loss = mlp()
    source = draw_graph(loss).source
    assert source.count("subgraph cluster_") == 4        # Sequential around 0, 1 and 2
    # Parameters are named as in named_parameters and sit in their own Linear's frame.
    assert frames_of(source, "weight|(3, 4) float32") == {("Sequential", LINEAR_0)}
    assert frames_of(source, "bias|(3,) float32") == {("Sequential", LINEAR_0)}
    assert frames_of(source, "weight|(2, 3) float32") == {("Sequential", LINEAR_2)}
    assert frames_of(source, "linear") == {("Sequential", LINEAR_0), ("Sequential", LINEAR_2)}
    assert frames_of(source, "relu") == {("Sequential", "1: ReLU()")}
    # The input, the loss and its op stay outside every frame.
    for outside in ["x|(5, 4) float32", "loss|() float32", "sum"]:
        assert frames_of(source, outside) == {()}, outside


def test_collapsed_one_box_per_module_with_shapes_and_parameters():
    _, loss = mlp()
    source = draw_graph(loss, collapse=True).source
    boxes = {label for label in labels(source).values() if label[0].isdigit()}
    assert boxes == {LINEAR_0 + "|(5, 4) → (5, 3)|15 parameters",      # 4·3 + 3
                     "1: ReLU()|(5, 3) → (5, 3)",                        # no parameters
                     LINEAR_2 + "|(5, 3) → (5, 2)|8 parameters"}         # 3·2 + 2
    assert not any(label.startswith(("weight", "bias")) for label in labels(source).values())
    assert frames_of(source, "0: Linear") == {("Sequential",)}
    assert arrows(source) == {
        ("x|(5, 4) float32|grad None", LINEAR_0 + "|(5, 4) → (5, 3)|15 parameters"),
        (LINEAR_0 + "|(5, 4) → (5, 3)|15 parameters", "1: ReLU()|(5, 3) → (5, 3)"),
        ("1: ReLU()|(5, 3) → (5, 3)", LINEAR_2 + "|(5, 3) → (5, 2)|8 parameters"),
        (LINEAR_2 + "|(5, 3) → (5, 2)|8 parameters", "sum"),
        ("sum", next(v for v in labels(source).values() if v.startswith("loss|")))}
    # A collapsed network stacks top to bottom, each box's fields one under the other
    # (braces turn a record's fields across the rank direction).
    assert "rankdir=TB" in source and f'label="{{{LINEAR_0}|(5, 4)' in source
    assert "rankdir=LR" in draw_graph(loss, collapse=True, direction="LR").source
    # The whole network as one box: 15 + 8 = 23 parameters.
    whole = draw_graph(loss, collapse=0).source
    assert "Sequential|(5, 4) → (5, 2)|23 parameters" in labels(whole).values()
    assert "subgraph" not in whole


def test_nested_modules_nest_frames_and_collapse_by_depth():
    _, out = nested()
    source = draw_graph(out).source
    features = "features: Sequential"
    linear = "features.0: Linear(in_features=4, out_features=3, bias=True)"
    assert frames_of(source, "weight|(3, 4)") == {("Sequential", features, linear)}
    assert frames_of(source, "relu") == {("Sequential", features, "features.1: ReLU()")}
    assert frames_of(source, "weight|(2, 3)") == {
        ("Sequential", "head: Linear(in_features=3, out_features=2, bias=True)")}

    every = draw_graph(out, collapse=True).source
    assert frames_of(every, linear + "|(5, 4) → (5, 3)|15 parameters") == {
        ("Sequential", features)}
    top = draw_graph(out, collapse=1).source
    assert set(labels(top).values()) >= {
        "features: Sequential|(5, 4) → (5, 3)|15 parameters",
        "head: Linear(in_features=3, out_features=2, bias=True)|(5, 3) → (5, 2)|8 parameters"}
    assert frames_of(top, "features: Sequential") == {("Sequential",)}
    # The input is an ndarray here, made a Tensor by the first layer: it stays outside.
    assert frames_of(source, "v1|(5, 4) float32") == {()}   # derive's name


class Net(nn.Module):
    """PyTorch's tutorial pattern: one ReLU module used after each of two layers."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.act = nn.Linear(4, 4), nn.Linear(4, 4), nn.ReLU()

    def forward(self, x):
        return self.act(self.fc2(self.act(self.fc1(x)))).sum(axis=1)


def test_repeated_blocks_are_told_apart_by_path_and_by_call():
    np.random.seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4), nn.ReLU())
    source = draw_graph(model(np.ones((2, 4))).sum(), collapse=True).source
    assert {label.split("|")[0] for label in labels(source).values() if ": " in label} == {
        "0: Linear(in_features=4, out_features=4, bias=True)", "1: ReLU()",
        "2: Linear(in_features=4, out_features=4, bias=True)", "3: ReLU()"}

    source = draw_graph(Net()(np.ones((2, 4))).mean(), collapse=True).source
    names = labels(source)
    tail_to_head = dict(re.findall(r"^\t(\w+) -> (\w+) ", source, flags=re.M))
    walk = [next(name for name, label in names.items() if label.startswith("fc1"))]
    while names[walk[-1]] != "sum":
        walk.append(tail_to_head[walk[-1]])
    # A chain, not a loop back into one ReLU box: one box per call of self.act.
    assert [names[name].split("|")[0] for name in walk] == [
        "fc1: Linear(in_features=4, out_features=4, bias=True)", "act: ReLU()",
        "fc2: Linear(in_features=4, out_features=4, bias=True)", "act: ReLU()", "sum"]
    assert len(set(walk)) == 5 and names[walk[1]] == "act: ReLU()|(2, 4) → (2, 4)"
    # The sum in Net's own forward is no module's: it stays an op inside Net's frame.
    assert frames_of(source, "sum") == {("Net",)}


class Deep(nn.Module):
    """``steps`` tanh ops in one forward: a graph too big to draw node by node."""

    def __init__(self, steps):
        super().__init__()
        self.steps = steps

    def forward(self, x):
        for _ in range(self.steps):
            x = x.tanh()
        return x


def big_graph():
    # x, weight, bias, linear, 600 tanh, sum: 605 nodes.
    np.random.seed(0)
    model = nn.Sequential(nn.Linear(3, 2), Deep(600))
    x = Tensor(np.random.randn(4, 3), label="x")
    out = model(x).sum()
    out.label = "out"
    return out


CAPTION = "collapsed: 605 nodes; draw_graph(out, collapse=False) to expand"


def test_a_big_graph_collapses_by_default_and_says_how_to_expand():
    assert COLLAPSE_ABOVE == 500
    out = big_graph()
    graph = draw_graph(out)
    assert graph.picture.caption == CAPTION and f'label="{CAPTION}"' in graph.source
    assert "1: Deep()|(4, 2) → (4, 2)" in labels(graph.source).values()
    assert "tanh" not in graph.source
    assert graph.copy().picture.caption == CAPTION and graph.copy().picture == graph.picture
    expanded = draw_graph(out, collapse=False)
    assert expanded.picture.caption == "" and expanded.source.count("label=tanh") == 600
    # Asked for explicitly, the same collapsed picture needs no note.
    asked = draw_graph(out, collapse=True)
    assert asked.picture.caption == "" and "collapsed" not in asked.source
    assert labels(asked.source) == labels(graph.source)


def test_the_jupyter_picture_of_a_big_graph_is_collapsed_with_the_note(backend):
    graph = draw_graph(big_graph())
    svg = graph._repr_mimebundle_()["image/svg+xml"]
    assert "<svg" in svg
    if backend == "matplotlib":   # matplotlib writes text as outlines: read its layout
        layout = compute_layout(graph)
        assert layout.caption[0] == CAPTION
        assert {n.box.fields[0] for n in layout.nodes} >= {"1: Deep()"}
    else:
        assert CAPTION in svg and "1: Deep()" in svg and "tanh" not in svg


def test_value_graphs_are_unaffected():
    a = Value(0.5, label="a")
    f = a
    for _ in range(COLLAPSE_ABOVE):          # a graph far above the threshold
        f = f * 1.01 + a
    source = draw_graph(f).source
    assert "subgraph" not in source and "collapsed" not in source
    assert source == draw_graph(f, collapse=True).source == draw_graph(f, collapse=False).source
    # A chain 1,000 ops deep and two values wide: far less wrong top to bottom.
    assert "rankdir=TB" in source


def test_highlight_lights_the_boxes_on_the_path():
    model, loss = mlp()
    source = draw_graph(loss, collapse=True, highlight=model[2].weight).source
    names = labels(source)
    lit = {names[name].split("|")[0] for name, attrs in re.findall(
        r"^\t+(\w+) \[(.*)\]$", source, flags=re.M) if HIGHLIGHT_FILL in attrs}
    assert lit == {LINEAR_2, "sum", "loss"}


def test_collapse_must_be_a_flag_or_a_depth():
    _, loss = mlp()
    for wrong in [-1, "yes", 1.5]:
        with pytest.raises(ValueError, match="collapse"):
            draw_graph(loss, collapse=wrong)


def inside(inner, outer) -> bool:
    return (outer[0] <= inner[0] and inner[2] <= outer[2]
            and outer[1] <= inner[1] and inner[3] <= outer[3])


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("collapse", [False, True])
def test_every_backend_draws_the_frames_behind_their_boxes(backend, collapse, tmp_path):
    _, loss = mlp()
    graph = draw_graph(loss, collapse=collapse)
    for suffix, signature in [(".png", b"\x89PNG"), (".svg", b"<svg"), (".pdf", b"%PDF")]:
        path = viz.render(graph, tmp_path / f"mlp{suffix}")
        assert signature in (tmp_path / f"mlp{suffix}").read_bytes()[:1000], path
    layout = compute_layout(graph)
    rect = {n.box.name: (n.x - n.w / 2, n.y - n.h / 2, n.x + n.w / 2, n.y + n.h / 2)
            for n in layout.nodes}
    placed = {p.cluster.name: p for p in layout.clusters}
    assert len(placed) == (4 if not collapse else 1)

    def check(cluster, outer):
        frame = placed[cluster.name].rect
        assert inside(frame, outer)
        for name in cluster.boxes:
            assert inside(rect[name], frame), (cluster.label, graph.picture.boxes[name].fields)
        for child in cluster.children:
            check(child, frame)

    everything = (0, 0, layout.width, layout.height)
    for cluster in graph.picture.clusters:
        check(cluster, everything)
    # Boxes outside the network keep clear of its frame.
    network = placed[graph.picture.clusters[0].name].rect
    for name in ["x", "loss"]:
        box = next(n for n in layout.nodes if n.box.fields[0] == name)
        assert not overlap(rect[box.box.name], network), name


def test_built_in_layout_keeps_frames_apart_and_boxes_clear_of_other_frames():
    # Siblings never overlap, and a box lies only inside the frames it belongs to.
    for graph in [draw_graph(mlp()[1]), draw_graph(nested()[1]),
                  draw_graph(Net()(np.ones((2, 4))).mean(), direction="TB"),
                  draw_graph(nested()[1], direction="RL"),
                  draw_graph(Net()(np.ones((2, 4))).mean(), direction="BT")]:
        layout = layered(graph.picture)
        frame = {p.cluster.name: p.rect for p in layout.clusters}
        boxes = {n.box.name: (n.x - n.w / 2, n.y - n.h / 2, n.x + n.w / 2, n.y + n.h / 2)
                 for n in layout.nodes}
        for clusters in [graph.picture.clusters] + [p.cluster.children for p in layout.clusters]:
            for i, a in enumerate(clusters):
                for b in clusters[i + 1:]:
                    assert not overlap(frame[a.name], frame[b.name]), (a.label, b.label)
        for placed in layout.clusters:
            held = set(held_by(placed.cluster))
            for name, box in boxes.items():
                if name not in held:
                    assert not overlap(box, placed.rect), (placed.cluster.label, name)


def held_by(cluster):
    """The names of the boxes in a frame and in the frames inside it."""
    yield from cluster.boxes
    for child in cluster.children:
        yield from held_by(child)


# --- nn.scalar: networks of Values ----------------------------------------------------------
def scalar_mlp(nin: int, sizes: list[int], x: list[float]):
    np.random.seed(0)
    model = nn.scalar.MLP(nin, sizes)
    out = model(x)
    out.backward()
    return model, out


def shown(x: float) -> str:
    """At most 4 decimals, no trailing zeros, the pictures' minus sign."""
    return f"{x:.4f}".rstrip("0").rstrip(".").replace("-", "−")


def test_a_scalar_network_has_a_frame_per_module_and_short_parameter_names():
    model, out = scalar_mlp(2, [4, 4, 1], [2.0, -1.0])
    where = frames(draw_graph(out).source)
    neuron = model.layers[1].neurons[2]
    around = ("MLP", "layers.1: Layer(4, 4, relu)", "layers.1.neurons.2: Neuron(4, relu)")
    # The neuron's parameters sit in its frame, by their names in the neuron.
    parameters = {label for label, chain in where if chain == around
                  and label.startswith(("w.", "b|"))}
    weights = {f"w.{i}|data {shown(w.data)}|grad {shown(w.grad)}"
               for i, w in enumerate(neuron.w)}
    assert parameters == weights | {f"b|data 0|grad {shown(neuron.b.grad)}"}
    # The two inputs are two records outside every frame, each used by the 4 neurons of
    # the first layer (not a copy of each number per neuron).
    inputs = sorted(label.split("|")[0] for label, chain in where if not chain)
    assert inputs == ["data 2", "data −1"]
    # A derivation calls a parameter by its path, which the frames spell out.
    assert derive(out).names[neuron.w[0]] == "layers.1.neurons.2.w.0"


def test_a_user_label_on_a_scalar_parameter_is_kept():
    model, out = scalar_mlp(2, [2, 1], [1.0, 1.0])
    model.layers[0].neurons[0].b.label = "bias0"
    assert any(label.startswith("bias0|") for label, _ in frames(draw_graph(out).source))


def test_a_big_scalar_network_collapses_a_neuron_into_one_box():
    x = np.array([0.5, -1.0, 2.0, 0.25])
    model, out = scalar_mlp(4, [20, 20, 1], list(x))
    graph = draw_graph(out)
    count = len(topological_order(out, only_requiring_grad=False))
    assert count > COLLAPSE_ABOVE
    assert graph.picture.caption == (f"collapsed: {count:,} nodes; draw_graph(f, "
                                     "collapse=False) to expand")
    boxes = {box.fields[0]: box.fields[1:] for box in graph.picture.boxes.values()
             if box.is_module}
    assert len(boxes) == 20 + 20 + 1
    # The same network in NumPy: h1 = relu(W1 x + b1), h2 = relu(W2 h1 + b2), out = W3 h2
    # + b3; ∂out/∂h1 = W2ᵀ (W3 ⊙ [W2 h1 + b2 > 0]).
    (W1, b1), (W2, b2), (W3, b3) = [
        (np.array([[w.data for w in n.w] for n in layer.neurons]),
         np.array([n.b.data for n in layer.neurons])) for layer in model.layers]
    h1 = np.maximum(W1 @ x + b1, 0)
    z2 = W2 @ h1 + b2
    dout_dh1 = W2.T @ (W3[0] * (z2 > 0))
    assert boxes["layers.0.neurons.0: Neuron(4, relu)"] == (
        f"4 inputs → data {shown(h1[0])}, grad {shown(dout_dh1[0])}", "5 parameters")
    assert boxes["layers.2.neurons.0: Neuron(20, linear)"] == (
        f"20 inputs → data {shown(W3[0] @ np.maximum(z2, 0) + b3[0])}, grad 1",
        "21 parameters")
    # The layers keep their frames, around their neurons' boxes.
    assert sorted(c.label for c in graph.picture.clusters[0].children) == [
        "layers.0: Layer(4, 20, relu)", "layers.1: Layer(20, 20, relu)",
        "layers.2: Layer(20, 1, linear)"]


def test_the_built_in_layout_of_collapsed_neurons_joins_layers_directly():
    _, out = scalar_mlp(4, [20, 20, 1], [0.5, -1.0, 2.0, 0.25])
    picture = draw_graph(out).picture
    layout = layered(picture)
    boxes = {name for name, box in picture.boxes.items() if box.is_module}
    between = [path for arrow, path in layout.edges if {arrow.tail, arrow.head} <= boxes]
    assert len(between) == 20 * 20 + 20
    # Each arrow from a layer's box to the next one's is one straight piece, not bent
    # through an empty rank, and enters its box by the side facing the flow.
    assert all(len(path.vertices) == 2 for path in between)
    at = {node.box.name: node for node in layout.nodes}
    for arrow, path in layout.edges:
        if {arrow.tail, arrow.head} <= boxes:
            head = at[arrow.head]
            assert path.vertices[-1][0] == pytest.approx(head.x - head.w / 2)
    assert layout.height < 4 * layout.width          # not a column 30 times as tall
