"""How nn's functions take their inputs: :func:`as_tensor`, the one place where a NumPy
array, a list or a number becomes a Tensor, and where scalar ``Value`` objects are refused.

NumPy would turn a list of Values into plain floats (through ``float(v)``), so the
result would be a constant with no way back to the Values, and the mistake would show up
only later, when ``backward()`` finds nothing that requires grad.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor, Value


def as_tensor(x, op: str, dtype=None) -> Tensor:
    """``x`` itself if it is a Tensor, else a constant Tensor of it (``dtype`` if given,
    else the DESIGN's rule: a float array keeps its dtype, lists and numbers become the
    default float dtype). ``op`` names the function in the error for Values.

        >>> as_tensor([1.0, 2.0], "mse_loss")
        tensor([1., 2.])
        >>> as_tensor([Value(1.0)], "mse_loss")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        TypeError: mse_loss got Value objects; Tensor functions take Tensors or arrays. ...
    """
    if isinstance(x, Tensor):
        return x
    if _holds_values(x):
        raise TypeError(
            f"{op} got Value objects; Tensor functions take Tensors or arrays. For Values, "
            f"write it with Value ops, e.g. a squared error as "
            f"sum((p - t)**2 for p, t in zip(outputs, targets))"
        )
    return Tensor(x, dtype=dtype)


def _holds_values(x) -> bool:
    """Whether ``x`` is a Value or a (nested) list, tuple or object array with one in it."""
    if isinstance(x, Value):
        return True
    if isinstance(x, (list, tuple)):
        return any(_holds_values(item) for item in x)
    # A float array cannot hold Values: only object arrays need a look inside.
    return isinstance(x, np.ndarray) and x.dtype == object and any(map(_holds_values, x.flat))
