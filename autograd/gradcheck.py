"""``gradcheck``: reverse-mode gradients against central finite differences.

The backward pass multiplies local derivatives that each op states once. gradcheck is the
independent witness: it nudges every input element by ±eps, reruns the forward pass, and
compares (f(x + eps) − f(x − eps)) / 2eps with what ``backward`` put in ``.grad``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .engine import Node, no_grad
from .tensor import Tensor
from .value import Value


@dataclass
class _Element:
    """One compared gradient element, kept for the failure report."""

    input: int
    index: tuple
    analytic: float
    numeric: float

    @property
    def abs_error(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float:
        if self.abs_error == 0:
            return 0.0
        return self.abs_error / abs(self.numeric) if self.numeric != 0 else math.inf


def gradcheck(fn, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, seed: int = 0) -> bool:
    """Check ``fn``'s reverse-mode gradients against central differences, in float64.

    ``fn`` takes the ``inputs`` and returns a Value, or a Tensor.

    * Value functions: each input is a Value or a number (a number becomes a Value).
    * Tensor functions: every element of every input Tensor that requires grad is
      perturbed; other inputs are passed through untouched. A non-scalar output is reduced
      to the scalar ``sum(out * r)`` with a fixed random ``r`` (``seed``), which checks the
      whole Jacobian-vector product ``Jᵀr`` at once. float32 inputs are checked through
      float64 copies: eps = 1e-6 is below float32's resolution.

    An element passes when ``|analytic − numeric| ≤ atol + rtol·|numeric|``. The inputs'
    grads are zeroed first, so that afterwards they hold ``fn``'s gradient (float32 inputs
    are left alone: their copies were checked), and their data are left as they were.

    Returns True when every element passes. Otherwise raises an AssertionError naming the
    worst element (input, index, analytic and numeric values, absolute and relative error),
    or returns False if ``raise_exception=False``.

        >>> from autograd import Value
        >>> gradcheck(lambda x, y: (x * y).tanh(), 0.5, Value(-1.5))
        True
        >>> from autograd import Tensor
        >>> w = Tensor(np.array([[0.5, -1.0, 2.0]]), requires_grad=True)
        >>> gradcheck(lambda w: (w * w).exp(), w)       # 3 elements out: projected
        True
        >>> gradcheck(lambda w: (w * w).sum(), np.array([1.0, 2.0]))  # an array: a Tensor
        True
    """
    if any(isinstance(x, np.ndarray) for x in inputs):
        # An array is checked as the Tensor a learner would make of it.
        inputs = tuple(Tensor(x.astype(np.float64), requires_grad=True)
                       if isinstance(x, np.ndarray) else x for x in inputs)
    if any(isinstance(getattr(x, "data", None), np.ndarray) for x in inputs):
        return _check_tensors(fn, inputs, eps, atol, rtol, raise_exception, seed)
    return _check_values(fn, inputs, eps, atol, rtol, raise_exception)


def _check_values(fn, inputs, eps, atol, rtol, raise_exception) -> bool:
    values = [x if isinstance(x, Value) else Value(x) for x in inputs]
    for v in values:
        v._reset_grad()
    out = _call(fn, values, Value)
    out.backward()
    analytic = [v.grad for v in values]

    def f() -> float:
        with no_grad():  # no graph: only the number is needed
            return _call(fn, values, Value).data

    elements = []
    for i, v in enumerate(values):
        original = v.data
        try:
            v.data = original + eps
            f_plus = f()
            v.data = original - eps
            f_minus = f()
        finally:
            v.data = original
        elements.append(_Element(i, (), analytic[i], (f_plus - f_minus) / (2 * eps)))
    return _verdict(elements, values, eps, atol, rtol, raise_exception)


def _check_tensors(fn, inputs, eps, atol, rtol, raise_exception, seed) -> bool:
    if any(isinstance(x, Value) for x in inputs):
        raise TypeError("gradcheck: inputs mix Values and Tensors; check them separately")
    # The check itself runs on float64 tensors: the inputs when they already are, else
    # copies (a fresh leaf from detach(), given float64 data and the same requires_grad).
    args, checked = [], []
    for i, x in enumerate(inputs):
        if isinstance(x, Node) and isinstance(x.data, np.ndarray) and x.requires_grad:
            if x.data.dtype != np.float64:
                copy = x.detach()
                copy.data = x.data.astype(np.float64)
                copy.requires_grad = True
                x = copy
            x._reset_grad()
            checked.append(i)
        args.append(x)
    if not checked:
        raise ValueError("gradcheck: no input Tensor requires grad, so there is nothing to check")

    out = _call(fn, args, Node)
    # A fixed random projection r turns any output into the scalar sum(out · r), whose
    # gradient is what backward(r) computes: no extra ops in the graph under test.
    projection = None
    if np.ndim(out.data) > 0:
        projection = np.random.default_rng(seed).standard_normal(np.shape(out.data))
    out.backward(projection)

    def f() -> float:
        with no_grad():
            data = np.asarray(_call(fn, args, Node).data, dtype=np.float64)
        return float(data if projection is None else np.sum(data * projection))

    elements = []
    for i in checked:
        data = args[i].data
        grad = args[i].grad
        grad = np.zeros_like(data) if grad is None else np.asarray(grad, dtype=np.float64)
        for index in np.ndindex(data.shape):
            original = data[index]
            try:
                data[index] = original + eps
                f_plus = f()
                data[index] = original - eps
                f_minus = f()
            finally:
                data[index] = original
            numeric = (f_plus - f_minus) / (2 * eps)
            elements.append(_Element(i, index, float(grad[index]), numeric))
    return _verdict(elements, args, eps, atol, rtol, raise_exception)


def _call(fn, args, kind):
    out = fn(*args)
    if kind is Value and not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value for Value inputs, "
                        f"got {type(out).__name__}")
    if kind is Node and (not isinstance(out, Node) or isinstance(out, Value)):
        raise TypeError(f"gradcheck: fn must return a Tensor for Tensor inputs, "
                        f"got {type(out).__name__}")
    return out


def _verdict(elements, args, eps, atol, rtol, raise_exception) -> bool:
    def excess(e: _Element) -> float:
        """How many tolerances away the element is (> 1 fails; nan and inf fail too)."""
        if e.analytic == e.numeric:  # also inf == inf
            return 0.0
        tolerance = atol + rtol * abs(e.numeric)
        ratio = e.abs_error / tolerance if tolerance > 0 else math.inf
        return math.inf if math.isnan(ratio) else ratio

    failed = [e for e in elements if excess(e) > 1]
    if not failed:
        return True
    worst = max(failed, key=excess)
    x = args[worst.input]
    where = f"input {worst.input}"
    if getattr(x, "label", ""):
        where += f" ({x.label!r})"
    if worst.index:
        where += f", element {list(worst.index)} of shape {x.data.shape}"
    message = (
        f"gradcheck: {len(failed)} of {len(elements)} gradient elements differ from central "
        f"differences (eps={eps:g}, atol={atol:g}, rtol={rtol:g}). Worst: {where}: "
        f"analytic {worst.analytic:.10g}, numeric {worst.numeric:.10g}, "
        f"abs error {worst.abs_error:.3g}, rel error {worst.rel_error:.3g}")
    if raise_exception:
        raise AssertionError(message)
    return False
