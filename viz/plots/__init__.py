"""Teaching plots: training curves, activation and loss functions with their derivatives,
gradient flow, optimizer paths, decision boundaries, image grids, conv filters, feature
maps and confusion matrices.

Every function returns a :class:`matplotlib.figure.Figure` and never calls ``plt.show()``:
a notebook shows the returned figure once, a script saves it with ``fig.savefig(path)``.
Every derivative drawn here comes from chainrule's own backward pass.

    >>> from viz.plots import plot_activations
    >>> fig = plot_activations(["sigmoid", "relu"])
    >>> fig.savefig("activations.png")
"""

from .classification import plot_confusion_matrix, plot_decision_boundary
from .functions import plot_activations, plot_losses
from .images import plot_feature_maps, plot_filters, show_images
from .optimizers import plot_optimizer_paths, rosenbrock, saddle
from .training import plot_gradient_flow, plot_history

__all__ = [
    "plot_activations", "plot_confusion_matrix", "plot_decision_boundary",
    "plot_feature_maps", "plot_filters", "plot_gradient_flow", "plot_history", "plot_losses",
    "plot_optimizer_paths", "rosenbrock", "saddle", "show_images",
]
