"""Writing graph pictures to files: the format from the extension, the image from the
first backend that can draw it (see :mod:`viz.backends`)."""

from __future__ import annotations

from pathlib import Path

from autograd import Node

from .backends import image
from .graph import Graph, draw_graph

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}


def render(node_or_graph: Node | Graph, path, **options) -> str:
    """Write a picture of the graph to ``path``; the format comes from the extension.

    ``.svg``, ``.png``, ``.pdf``, or ``.dot``/``.gv`` (the DOT source). A node (or a
    derivation) is drawn with :func:`viz.draw_graph` first, and ``options`` go to it.
    Returns the path.

        >>> import viz
        >>> from autograd import Value
        >>> w = Value(3.0, label="w"); f = w * w + w; f.backward()
        >>> viz.render(f, "graph.svg")
        'graph.svg'
        >>> viz.render(f, "graph.png", highlight=w, direction="TB")
        'graph.png'

    Raises :class:`viz.RenderError` when every backend fails.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"render: cannot tell the format of {str(path)!r}; use one of the "
                         f"extensions {', '.join(FORMATS)}")
    if isinstance(node_or_graph, Graph):
        if options:
            raise TypeError(f"render: options {sorted(options)} are for drawing a node; this "
                            "graph is drawn already (pass them to draw_graph instead)")
        graph = node_or_graph
    else:
        graph = draw_graph(node_or_graph, **options)
    Path(path).write_bytes(image(graph, FORMATS[suffix]))
    return str(path)
