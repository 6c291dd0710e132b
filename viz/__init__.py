"""Pictures of computational graphs: :func:`draw_graph` (Graphviz DOT, shows in Jupyter)
and :func:`render` (SVG, PNG, PDF or DOT files, with or without a system Graphviz)."""

from .graph import Graph, draw_graph
from .render import get_backend, render, set_backend

__all__ = ["Graph", "draw_graph", "get_backend", "render", "set_backend"]
