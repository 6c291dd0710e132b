"""chainrule's engine: scalar ``Value`` and array ``Tensor`` graph nodes, reverse mode.

The names follow PyTorch's where PyTorch has them (``tensor``, ``zeros``, ``no_grad``,
``manual_seed``, ``float32``, ...), so that ``import chainrule as torch`` can re-export them.
"""

from . import creation, dtypes
from .creation import *  # noqa: F403 - the factories, each listed in creation.__all__
from .custom import Function, grad
from .derivation import Derivation, derive
from .dtypes import (
    bool,
    device,
    double,
    float,
    float16,
    float32,
    float64,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    short,
    uint8,
)
from .engine import (
    Node,
    backward,
    chain_rule,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    tagging,
    topological_order,
)
from .generator import Generator, default_generator, seed
from .gradcheck import gradcheck
from .op import Op
from .ops.shaping import concatenate, stack
from .parser import parse
from .tensor import Tensor, get_default_dtype, set_default_dtype
from .value import Value

__all__ = [
    "Derivation", "Function", "Generator", "Node", "Op", "Tensor", "Value", "backward", "bool",
    "chain_rule", "concatenate", "default_generator", "derive", "device", "double",
    "enable_grad", "float", "float16", "float32", "float64", "get_default_dtype", "grad",
    "gradcheck", "half", "inference_mode", "int", "int8", "int16", "int32", "int64",
    "is_grad_enabled", "long", "no_grad", "parse", "seed", "set_default_dtype",
    "set_grad_enabled", "short", "stack", "tagging", "topological_order", "uint8",
    *creation.__all__,
]
_ = dtypes
