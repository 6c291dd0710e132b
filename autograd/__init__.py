"""chainrule's engine: scalar ``Value`` and NumPy ``Tensor`` graph nodes, reverse mode."""

from .engine import Node, backward, is_grad_enabled, no_grad, topological_order
from .value import Value

__all__ = ["Node", "Value", "backward", "is_grad_enabled", "no_grad", "topological_order"]
