"""viz.draw_graph: the DOT it writes for the worked example, options, escaping, Tensors."""

import html
import math
import re
import subprocess

import numpy as np
import pytest

import autograd
from autograd import Node, Tensor, Value, derive, topological_order
from viz import Graph, draw_graph
from viz.picture import HIGHLIGHT, HIGHLIGHT_FILL, INK

# The homework's hand calculation, exact (rounded only when written down).
Z = 2 * 0.4 + 3 * -0.2                  # 0.2
Y = 1 / (1 + math.exp(-Z))              # 0.549834
F = (Y - 1) ** 2                        # 0.202650
DF_DY = 2 * (Y - 1)                     # -0.900332
DF_DZ = DF_DY * Y * (1 - Y)             # -0.222851
DF_DW1 = DF_DZ * 2                      # -0.445694


def shown(x: float, decimals: int = 4) -> str:
    """``x`` as a student writes it rounded: at most 4 decimals, no trailing zeros, and
    the minus sign of print (−)."""
    text = f"{x:.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace("-", "−")


def records(source: str) -> set[str]:
    """The label of every record of the DOT source, without the braces that turn its
    fields across the direction of the flow."""
    return {label.removeprefix("{").removesuffix("}")
            for label in re.findall(r'label="((?:[^"\\]|\\.)*)"', source)}


def nodes_by_label(source: str) -> dict[str, tuple[str, str]]:
    """First field (or op name) of every DOT node -> (node name, whole attribute list)."""
    found = {}
    for name, attrs in re.findall(r"^\t(\w+) \[(.*)\]$", source, flags=re.M):
        if name in ("graph", "node", "edge"):  # default attributes, not nodes
            continue
        label = re.search(r'label=("(?:[^"\\]|\\.)*"|\S+)', attrs).group(1).strip('"')
        found[label.strip("{}").split("|")[0]] = (name, attrs)
    return found


def edge_attrs(source: str, tail: str, head: str) -> str:
    match = re.search(rf"^\t{tail} -> {head} \[(.*)\]$", source, flags=re.M)
    assert match, f"no edge {tail} -> {head}"
    return match.group(1)


def test_records_show_label_data_and_grad_as_by_hand(solved_example):
    g = draw_graph(solved_example["f"])
    assert isinstance(g, Graph) and g.source.startswith("digraph")
    assert {f"x1|data 2|grad {shown(DF_DZ * 0.4)}", f"w1|data 0.4|grad {shown(DF_DW1)}",
            f"z|data {shown(Z)}|grad {shown(DF_DZ)}", f"y|data {shown(Y)}|grad {shown(DF_DY)}",
            f"t|data 1|grad {shown(-DF_DY)}", f"f|data {shown(F)}|grad 1"} <= records(g.source)
    assert "grad −0.4457" in g.source                # ∂f/∂w1 written with 4 decimals
    assert "shape=record" in g.source
    # Unlabelled intermediates have derive()'s names: v1 = x1·w1 = 0.8, v3 = y − t.
    assert f"v1|data 0.8|grad {shown(DF_DZ)}" in records(g.source)
    assert f"v3|data {shown(Y - 1)}|grad {shown(DF_DY)}" in records(g.source)
    assert "-" not in "".join(records(g.source))     # one minus sign: −


def test_one_small_node_per_op_and_edges_follow_the_data(solved_example):
    source = draw_graph(solved_example["f"]).source
    nodes = nodes_by_label(source)
    ops = [label for label, (_, attrs) in nodes.items() if "shape=ellipse" in attrs]
    assert sorted(ops) == sorted(["×", "+", "sigmoid", "−", "^2"])
    assert len(re.findall(r"shape=ellipse", source)) == 6       # two × nodes
    # y = sigmoid(z): z -> sigmoid -> y;  f = (y - t)**2: t -> − and ^2 -> f
    z, sigmoid, y = nodes["z"][0], nodes["sigmoid"][0], nodes["y"][0]
    edge_attrs(source, z, sigmoid)
    edge_attrs(source, sigmoid, y)
    edge_attrs(source, nodes["t"][0], nodes["−"][0])
    edge_attrs(source, nodes["^2"][0], nodes["f"][0])
    assert not re.search(rf"^\t{y} -> {sigmoid} ", source, flags=re.M)
    # Four binary ops (×, ×, +, −) with 3 edges each, two unary ones with 2 each.
    assert source.count("->") == 4 * 3 + 2 * 2


def test_decimals_and_what_to_show(solved_example):
    example = solved_example
    two = draw_graph(example["f"], decimals=2).source
    assert "y|data 0.55|grad −0.9" in records(two)
    no_data = draw_graph(example["f"], show_data=False).source
    assert "data" not in no_data and f"y|grad {shown(DF_DY)}" in records(no_data)
    no_grad = draw_graph(example["f"], show_grad=False).source
    assert "grad" not in no_grad and f"y|data {shown(Y)}" in records(no_grad)


def test_top_to_bottom_puts_fields_side_by_side(solved_example):
    source = draw_graph(solved_example["f"], direction="TB").source
    assert "rankdir=TB" in source
    assert f'label="y|data {shown(Y)}|grad {shown(DF_DY)}"' in source   # no braces in TB
    with pytest.raises(ValueError, match="direction"):
        draw_graph(solved_example["f"], direction="up")


def test_highlight_the_paths_from_w1_to_f(solved_example):
    example = solved_example
    source = draw_graph(example["f"], highlight=(example["w1"], example["f"])).source
    assert source == draw_graph(example["f"], highlight=example["w1"]).source
    nodes = nodes_by_label(source)
    for label in ["w1", "z", "y", "f", "sigmoid", "−", "^2", "+"]:
        assert f'fillcolor="{HIGHLIGHT_FILL}"' in nodes[label][1], label
    for label in ["x1", "x2", "w2", "t"]:
        assert f'fillcolor="{HIGHLIGHT_FILL}"' not in nodes[label][1], label
    # x1 and w1 meet at the same ×: only w1's edge into it is on the path.
    times = re.search(rf"^\t{nodes['w1'][0]} -> (\w+) ", source, flags=re.M).group(1)
    assert HIGHLIGHT in edge_attrs(source, nodes["w1"][0], times)
    assert "penwidth=2.0" in edge_attrs(source, nodes["w1"][0], times)
    assert INK in edge_attrs(source, nodes["x1"][0], times)
    assert INK in edge_attrs(source, nodes["t"][0], nodes["−"][0])
    assert HIGHLIGHT in edge_attrs(source, nodes["y"][0], nodes["−"][0])


def test_highlight_up_to_an_intermediate_node(solved_example):
    example = solved_example
    nodes = nodes_by_label(draw_graph(example["f"], highlight=(example["w1"], example["z"])).source)
    assert f'fillcolor="{HIGHLIGHT_FILL}"' in nodes["z"][1]
    assert f'fillcolor="{HIGHLIGHT_FILL}"' not in nodes["y"][1]
    with pytest.raises(ValueError, match="depend"):
        draw_graph(example["f"], highlight=(example["y"], example["w1"]))


NASTY = ['w{1}|x', "<", ">", 'say "hi"', "back\\slash", "{|}<>"]


@pytest.mark.parametrize("label", NASTY)
def test_nasty_labels_are_escaped(label):
    v = Value(1.5, label=label)
    source = draw_graph(v * 2).source
    escaped = (label.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
               .replace("|", "\\|").replace("<", "\\<").replace(">", "\\>").replace('"', '\\"'))
    assert f"{escaped}|data 1.5|grad 0" in records(source)


@pytest.mark.usefixtures("dot_executable")
def test_nasty_labels_survive_graphviz():
    values = [Value(i, label=label) for i, label in enumerate(NASTY)]
    total = values[0]
    for v in values[1:]:
        total = total + v
    done = subprocess.run(["dot", "-Tsvg"], input=draw_graph(total).source.encode(),
                          capture_output=True)
    assert done.returncode == 0 and not done.stderr, done.stderr
    # Each text of the SVG is one record field: each label arrives whole and literal.
    texts = {html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>",
                                                  done.stdout.decode())}
    assert set(NASTY) <= texts


def test_op_constants_and_unlabelled_nodes():
    x = Value(3.0)
    source = draw_graph((x ** 2).leaky_relu(0.1)).source
    assert 'label="^2"' in source and 'label="leaky_relu(0.1)"' in source
    # An unlabelled leaf is a constant: derive() writes it as its number, without a name;
    # the unlabelled intermediate is v1 and the output f.
    assert {"data 3|grad 0", "v1|data 9|grad 0", "f|data 9|grad 0"} <= records(source)


def test_copy_keeps_the_picture_description(solved_example):
    g = draw_graph(solved_example["f"])
    twin = g.copy()
    assert isinstance(twin, Graph) and twin.source == g.source
    assert twin.picture == g.picture


class FakeTensor(Node):
    """The smallest array node: what viz needs to know of autograd.Tensor."""

    __slots__ = ()

    def __init__(self, data, grad=None, label="", op=None, parents=()):
        self.data, self.grad, self.label = np.asarray(data), grad, label
        self.op, self.parents, self.ctx, self.requires_grad = op, parents, None, True
        self.tags = ()


class FakeOp:
    name = "matmul"

    def describe(self, node) -> dict:
        return {}


def test_array_nodes_show_shape_dtype_and_a_grad_summary():
    small = FakeTensor(np.array([1.0, -2.0], dtype=np.float32), grad=np.array([0.5, 0.25]),
                       label="b")
    big = FakeTensor(np.zeros((3, 4)), grad=np.full((3, 4), 0.5), label="W")
    out = FakeTensor(np.zeros(2), label="out", op=FakeOp(), parents=(big, small))
    source = draw_graph(out).source
    assert "b|(2,) float32|data [1 −2]|grad [0.5 0.25]" in records(source)
    # 12 elements: the gradient's norm, √(12 · 0.5²) = √3, instead of its values.
    assert f"W|(3, 4) float64|‖grad‖ {shown(math.sqrt(3))}" in records(source)
    assert "out|(2,) float64|data [0 0]|grad None" in records(source)
    assert 'label=matmul' in source


def test_real_tensor_graph():
    W = autograd.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="W")
    x = autograd.Tensor(np.ones(3), label="x")
    loss = (W * x).sum()
    loss.label = "loss"
    loss.backward()
    source = draw_graph(loss).source
    assert "W|(2, 3) float64|data [0 1 2 3 4 5]|grad [1 1 1 1 1 1]" in records(source)  # ∂Σ(W·1)/∂W
    assert "loss|() float64|data 15|grad 1" in records(source)


# --- one notation: the names and numbers of derive() ---------------------------------------
def record_names(graph: Graph) -> list[str]:
    """The name of each value's record, in the order the boxes were declared; "" for a
    constant, whose record holds its number only."""
    return ["" if box.fields[0].startswith(("data ", "(")) else box.fields[0]
            for box in graph.picture.boxes.values() if not box.is_op]


def test_unlabelled_nodes_have_the_names_derive_gives_them():
    a, b = Value(2.0), Value(0.5, label="b")
    f = (a * b + a).tanh()               # a is an unlabelled leaf: a constant
    # Inputs first, then each op's result: 2, b, v1 = 2·b, v2 = v1 + 2, f = tanh(v2).
    assert record_names(draw_graph(f)) == ["", "b", "v1", "v2", "f"]
    names = derive(f).names
    assert [names.get(n, "") for n in topological_order(f)] == record_names(draw_graph(f))


def test_tensor_nodes_have_the_names_derive_gives_them():
    W = Tensor(np.ones((3, 2)), requires_grad=True)       # named: it requires grad
    x = Tensor(np.arange(6.0).reshape(2, 3))              # named: more than one number
    loss = ((x @ W) * 2).sum()                            # 2: a constant, its number
    names = derive(loss).names
    drawn = record_names(draw_graph(loss))
    assert drawn == [names.get(n, "") for n in topological_order(loss,
                                                                  only_requiring_grad=False)]
    assert sorted(drawn) == ["", "L", "v1", "v2", "v3", "v4"]


def test_a_derivation_is_drawn_with_its_own_numbers(worked_example):
    f, w1 = worked_example["f"], worked_example["w1"]
    by_hand = draw_graph(derive(f, decimals=4)).source
    # The homework's answer, every step rounded to 4 decimals: -0.4458 (exact: -0.4457).
    assert "w1|data 0.4|grad −0.4458" in records(by_hand)
    assert "v1|data 0.8|grad −0.2229" in records(by_hand)
    assert w1.grad == 0 and f.grad == 0            # the graph's own grads are not touched
    # The caption says which numbers these are.
    assert ('label="by hand: each value and gradient rounded to 4 decimals as it is '
            'written down"') in by_hand
    exact = draw_graph(derive(f), decimals=6).source
    assert f"w1|data 0.4|grad {shown(DF_DW1, 6)}" in records(exact)
    assert 'label="exact: full precision, shown with at most 6 decimals"' in exact
    # The same picture as the graph's own numbers after backward(), but for the caption.
    caption = "exact: full precision, shown with at most 4 decimals"
    assert draw_graph(derive(f)).picture.caption == caption
    assert records(draw_graph(derive(f)).source) - {caption} == \
        records(draw_graph(f.backward() or f).source)


def test_the_svg_title_is_the_outputs_name(worked_example):
    f = worked_example["f"]
    assert draw_graph(f).source.startswith("digraph f {")
    z = worked_example["z"]
    assert draw_graph(z * 2).source.startswith("digraph f {")       # unlabelled: f
    assert draw_graph(f * 2).source.startswith("digraph v4 {")      # f is taken: v4
    f.label = "loss 1"
    assert draw_graph(f).source.startswith('digraph "loss 1" {')


@pytest.mark.usefixtures("dot_executable")
def test_the_svg_title_with_graphviz(worked_example):
    svg = subprocess.run(["dot", "-Tsvg"], input=draw_graph(worked_example["f"]).source,
                         capture_output=True, text=True, check=True).stdout
    assert "<title>f</title>" in svg and "%3" not in svg


@pytest.mark.parametrize("options, rankdir", [
    ({"direction": "tb"}, "TB"), ({"rankdir": "lr"}, "LR"), ({"rankdir": "RL"}, "RL"),
    ({"direction": "bt", "rankdir": "BT"}, "BT")])
def test_direction_and_its_graphviz_name_rankdir(solved_example, options, rankdir):
    source = draw_graph(solved_example["f"], **options).source
    assert f"rankdir={rankdir}" in source
    # Right to left flows across, as LR does: a value's fields sit side by side.
    braces = rankdir in ("LR", "RL")
    assert (f'label="{{y|data {shown(Y)}|grad {shown(DF_DY)}}}"' in source) == braces
    assert f"y|data {shown(Y)}|grad {shown(DF_DY)}" in records(source)


def test_the_default_direction_gives_a_slide_its_shape(solved_example):
    # Twelve ranks deep and four values wide: left to right would be 9 times as wide as
    # tall, top to bottom about 1.5 times.
    assert "rankdir=TB" in draw_graph(solved_example["f"]).source
    # Eight arrays into one op: two ranks deep, eight wide. Top to bottom would be a strip.
    parts = [Tensor(np.full(2, i), requires_grad=True, label=f"a{i}") for i in range(8)]
    total = autograd.stack(parts).sum()
    assert "rankdir=LR" in draw_graph(total).source
    # What the user asks for wins.
    assert "rankdir=LR" in draw_graph(solved_example["f"], direction="LR").source


@pytest.mark.parametrize("options, says", [
    ({"direction": "LR", "rankdir": "TB"}, "disagree"),
    ({"rankdir": "up"}, "one of LR, TB, RL, BT"),
    ({"direction": 1}, "one of LR, TB, RL, BT"),
    ({"decimals": -1}, "decimals must be a whole number >= 0"),
    ({"decimals": 1.5}, "decimals must be a whole number >= 0"),
    ({"decimals": True}, "decimals must be a whole number >= 0"),
    ({"show_data": "no"}, "show_data and show_grad must be True or False"),
    ({"collapse": -1}, "collapse must be True, False, None or a depth"),
    ({"highlight": 3}, "highlight must be a node or a pair of nodes"),
])
def test_bad_options_are_a_clear_error(solved_example, options, says):
    with pytest.raises(ValueError, match=says):
        draw_graph(solved_example["f"], **options)


def test_a_highlight_of_three_nodes_is_a_clear_error(solved_example):
    x1, w1, f = solved_example["x1"], solved_example["w1"], solved_example["f"]
    with pytest.raises(ValueError, match="a pair of nodes"):
        draw_graph(f, highlight=(x1, w1, f))
    with pytest.raises(TypeError, match="a Value, a Tensor or a derivation, got str"):
        draw_graph("f")
