"""chainrule's engine: scalar ``Value`` and NumPy ``Tensor`` graph nodes, reverse mode."""

from .derivation import Derivation, derive
from .engine import Node, backward, chain_rule, is_grad_enabled, no_grad, tagging, topological_order
from .function import Function
from .gradcheck import gradcheck
from .ops.shaping import concatenate, stack
from .parser import parse
from .tensor import Tensor, get_default_dtype, set_default_dtype
from .value import Value

__all__ = [
    "Derivation", "derive", "gradcheck", "parse",
    "Function", "Node", "Tensor", "Value", "backward", "concatenate", "get_default_dtype",
    "chain_rule", "is_grad_enabled", "no_grad", "set_default_dtype", "stack", "tagging",
    "topological_order",
]
