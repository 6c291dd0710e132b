"""chainrule's engine: scalar ``Value`` and NumPy ``Tensor`` graph nodes, reverse mode."""

from .derivation import Derivation, derive
from .engine import Node, backward, is_grad_enabled, no_grad, topological_order
from .gradcheck import gradcheck
from .parser import parse
from .tensor import Function, Tensor, concatenate, get_default_dtype, set_default_dtype, stack
from .value import Value

__all__ = [
    "Derivation", "derive", "gradcheck", "parse",
    "Function", "Node", "Tensor", "Value", "backward", "concatenate", "get_default_dtype",
    "is_grad_enabled", "no_grad", "set_default_dtype", "stack", "topological_order",
]
