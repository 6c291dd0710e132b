"""Pictures of what chainrule computes.

* :func:`draw_graph`, :func:`render` and :func:`animate_backward`: computational graphs
  with values and gradients, a network's grouped by module (Graphviz DOT, shown inline in
  Jupyter; SVG, PNG, PDF or DOT files, with or without a system Graphviz).
* Plots with matplotlib (each returns the Figure): training history, activation functions
  and losses with their derivatives, gradient flow, optimizer paths, decision boundaries,
  image grids, conv filters and feature maps, confusion matrices.
"""

from .animate import animate_backward
from .backends import RenderError, get_backend, set_backend
from .graph import Graph, draw_graph
from .plots import (
    plot_activations,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_feature_maps,
    plot_filters,
    plot_gradient_flow,
    plot_history,
    plot_losses,
    plot_optimizer_paths,
    rosenbrock,
    saddle,
    show_images,
)
from .render import render

__all__ = [
    "Graph", "RenderError", "animate_backward", "draw_graph", "get_backend", "render",
    "set_backend",
    "plot_activations", "plot_confusion_matrix", "plot_decision_boundary", "plot_feature_maps",
    "plot_filters", "plot_gradient_flow", "plot_history", "plot_losses", "plot_optimizer_paths",
    "rosenbrock", "saddle", "show_images",
]
