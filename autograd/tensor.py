"""``Tensor``: a NumPy array that remembers how it was computed.

Each op is one :class:`Function` subclass: ``forward`` computes on arrays and
``backward`` returns the vector-Jacobian product for each input, side by side. The
graph walk and the gradient bookkeeping are the engine's, shared with ``Value``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import engine
from .engine import Node

_default_dtype = np.dtype(np.float32)


def set_default_dtype(dtype) -> None:
    """Set the float dtype that ints and Python numbers become (float32 at start).

        >>> set_default_dtype(np.float64); Tensor([1, 2]).dtype
        dtype('float64')
    """
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"set_default_dtype: expected a float dtype, got {dtype}")
    _default_dtype = dtype


def get_default_dtype() -> np.dtype:
    """The float dtype that ints and Python numbers become."""
    return _default_dtype


def _to_array(data, dtype=None) -> np.ndarray:
    """An ndarray of a float dtype: NumPy float arrays keep theirs (shared, not copied);
    lists, Python numbers and integer arrays get the default float dtype."""
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind == "f":
        return np.asarray(data)
    return np.asarray(data, dtype=_default_dtype)


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` back to ``shape``: the adjoint of NumPy broadcasting.

    A broadcast operand was used once per copy, so its gradient is the sum over the
    copies: over the leading axes it lacked and over the axes where it had size 1.
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad.shape[lead + i] != 1)
    return grad.sum(axis=axes).reshape(shape)


class Function:
    """A Tensor op: ``forward`` on arrays, ``backward`` as a vector-Jacobian product.

    Subclasses set ``name`` and implement

    * ``forward(self, *arrays, **params) -> (out, ctx)``: the result array and whatever
      the backward rule needs later (kept on the result node as ``node.ctx``);
    * ``backward(self, node, grad) -> tuple``: for each input, ``grad`` (∂L/∂out)
      multiplied by ∂out/∂input, with the input's shape; ``None`` for inputs such as
      integer indices that have no gradient.

    Calling the Function on Tensors, arrays or numbers records one graph node.
    """

    name = "op"

    def __call__(self, *inputs, **params) -> Tensor:
        tensors = [x if isinstance(x, Tensor) else _constant(x, inputs) for x in inputs]
        try:
            out, ctx = self.forward(*[t.data for t in tensors], **params)
        except ValueError as error:
            shapes = " and ".join(str(t.shape) for t in tensors)
            raise ValueError(f"{self.name}: shapes {shapes}: {error}") from None
        return Tensor._result(out, self, tensors, ctx)

    def forward(self, *arrays, **params):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, node: Tensor, grad: np.ndarray):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


def _constant(x, inputs) -> Tensor:
    """Wrap a number or array operand as a Tensor that needs no gradient.

    A Python number takes the dtype of the Tensor it meets, as NumPy does, so that
    ``x * 2`` keeps a float32 ``x`` in float32.
    """
    if isinstance(x, (int, float)):
        like = next((t for t in inputs if isinstance(t, Tensor)), None)
        return Tensor(x, dtype=like.dtype if like is not None else None)
    return Tensor(x)


class Tensor(Node):
    """An n-dimensional array node; ``grad`` has the shape and dtype of ``data``.

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        array([2., 4., 6.], dtype=float32)
    """

    __slots__ = ()
    __array_priority__ = 100  # ndarray ⊕ Tensor calls Tensor's reflected op

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = ""):
        if isinstance(data, Tensor):
            data = data.data
        self.data = _to_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"Tensor: only float tensors can require grad, got {self.data.dtype}")
        self.grad = None
        self.label = label
        self.op = None
        self.parents = ()
        self.ctx = None
        self.requires_grad = bool(requires_grad)

    @staticmethod
    def _result(data: np.ndarray, op: Function, parents: list, ctx) -> Tensor:
        out = Tensor.__new__(Tensor)
        out.data = data
        out.grad = None
        out.label = ""
        if engine._grad_enabled:
            out.op, out.parents, out.ctx = op, tuple(parents), ctx
            out.requires_grad = False
            for parent in parents:  # a plain loop: any() with a generator costs a microsecond
                if parent.requires_grad:
                    out.requires_grad = True
                    break
        else:
            out.op, out.parents, out.ctx, out.requires_grad = None, (), None, False
        return out

    # --- factories ----------------------------------------------------------------
    @classmethod
    def zeros(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.zeros(2, 3)``: zeros of the default float dtype."""
        return cls(np.zeros(shape, dtype or _default_dtype), requires_grad=requires_grad)

    @classmethod
    def ones(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.ones(2, 3)``."""
        return cls(np.ones(shape, dtype or _default_dtype), requires_grad=requires_grad)

    @classmethod
    def randn(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """Standard normal samples from NumPy's global random state (``np.random.seed`` works)."""
        return cls(np.random.randn(*shape).astype(dtype or _default_dtype),
                   requires_grad=requires_grad)

    @classmethod
    def rand(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """Uniform samples in [0, 1) from NumPy's global random state."""
        return cls(np.random.rand(*shape).astype(dtype or _default_dtype),
                   requires_grad=requires_grad)

    @classmethod
    def arange(cls, *args, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.arange(5)`` = [0, 1, 2, 3, 4] as floats."""
        return cls(np.arange(*args, dtype=dtype or _default_dtype), requires_grad=requires_grad)

    # --- array facts ------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape of ``data``.")
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    dtype = property(lambda self: self.data.dtype, doc="The dtype of ``data``.")
    size = property(lambda self: self.data.size, doc="The number of elements.")

    def item(self) -> float:
        """The single element as a Python number."""
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The data array itself (not a copy), as ``torch.Tensor.numpy`` does."""
        return self.data

    def detach(self) -> Tensor:
        """The same data as a new leaf that needs no gradient."""
        return Tensor(self.data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self.data)

    # --- engine hooks -----------------------------------------------------------------
    def _seed_grad(self, grad):
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward: grad can be implicitly created only for a scalar output, but "
                    f"this Tensor has shape {self.shape}; call .sum() or .mean() first, or "
                    f"pass grad= an array of shape {self.shape}")
            return np.ones_like(self.data)
        grad = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
        if grad.shape != self.shape:
            raise ValueError(f"backward: grad has shape {grad.shape}, expected {self.shape}")
        return grad

    def _store_grad(self, grad: np.ndarray) -> None:
        if grad.dtype != self.data.dtype:
            grad = grad.astype(self.data.dtype)
        if self.grad is None:
            # A leaf's grad is the user's to modify in place, so it must not share memory
            # with arrays that ops passed along unchanged (add hands on its own grad).
            self.grad = grad.copy() if self.op is None else grad
        else:
            self.grad = self.grad + grad

    def _reset_grad(self) -> None:
        self.grad = None

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extras = [] if self.dtype == _default_dtype else [f"dtype={self.dtype}"]
        if self.label:
            extras.append(f"label={self.label!r}")
        if self.op is not None and self.requires_grad:
            extras.append(f"grad_fn=<{self.op.name}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"Tensor({body}{''.join(', ' + e for e in extras)})"

    # --- operators (bodies below, next to each op's Function) ---------------------
    def __add__(self, other): return add(self, other)
    def __radd__(self, other): return add(other, self)
    def __sub__(self, other): return sub(self, other)
    def __rsub__(self, other): return sub(other, self)
    def __mul__(self, other): return mul(self, other)
    def __rmul__(self, other): return mul(other, self)
    def __truediv__(self, other): return div(self, other)
    def __rtruediv__(self, other): return div(other, self)
    def __neg__(self): return neg(self)
    def __matmul__(self, other): return matmul(self, other)
    def __rmatmul__(self, other): return matmul(other, self)
    def __getitem__(self, index): return getitem(self, index=_plain_index(index))

    def __pow__(self, exponent):
        """``x ** 2`` (a constant exponent) or ``x ** y`` (a Tensor exponent)."""
        if isinstance(exponent, Tensor):
            return pow_tensor(self, exponent)
        return power(self, exponent=float(exponent))

    def __rpow__(self, base): return pow_tensor(base, self)

    def matmul(self, other): return matmul(self, other)

    # reductions
    def sum(self, axis=None, keepdims=False): return sum_(self, axis=axis, keepdims=keepdims)
    def mean(self, axis=None, keepdims=False): return mean(self, axis=axis, keepdims=keepdims)
    def max(self, axis=None, keepdims=False): return max_(self, axis=axis, keepdims=keepdims)
    def min(self, axis=None, keepdims=False): return min_(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        """Variance as NumPy computes it (``ddof=0``: divide by n), built from mean."""
        centred = self - self.mean(axis=axis, keepdims=True)
        n = self.size if axis is None else int(np.prod([self.shape[a] for a in np.atleast_1d(axis)]))
        return (centred * centred).sum(axis=axis, keepdims=keepdims) * (1.0 / (n - ddof))

    # shape
    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return reshape(self, shape=tuple(shape))

    def flatten(self, start_axis: int = 0):
        """Merge the axes from ``start_axis`` on (``x.flatten(1)`` keeps the batch axis)."""
        start = start_axis % max(self.ndim, 1)
        return reshape(self, shape=self.shape[:start] + (-1,))

    def transpose(self, *axes):
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return transpose(self, axes=tuple(axes) or None)

    permute = transpose
    T = property(lambda self: transpose(self, axes=None), doc="All axes reversed.")

    def pad(self, pad_width, constant_values=0.0):
        """Pad with a constant, NumPy's ``pad_width`` format (``((0, 0), (1, 1))``)."""
        return pad(self, pad_width=pad_width, constant_values=constant_values)

    # elementwise functions
    def exp(self): return exp(self)
    def log(self): return log(self)
    def sqrt(self): return sqrt(self)
    def abs(self): return abs_(self)
    def clip(self, low=None, high=None): return clip(self, low=low, high=high)
    def tanh(self): return tanh(self)
    def sigmoid(self): return sigmoid(self)
    def relu(self): return relu(self)
    def leaky_relu(self, alpha=0.01): return leaky_relu(self, alpha=alpha)
    def elu(self, alpha=1.0): return elu(self, alpha=alpha)
    def softplus(self): return softplus(self)
    def softmax(self, axis=-1): return softmax(self, axis=axis)
    def log_softmax(self, axis=-1): return log_softmax(self, axis=axis)
    __abs__ = abs


# === arithmetic =========================================================================

class Add(Function):
    name = "+"
    def forward(self, a, b): return a + b, None
    def backward(self, node, g):
        a, b = node.parents
        return unbroadcast(g, a.shape), unbroadcast(g, b.shape)


class Sub(Function):
    name = "−"
    def forward(self, a, b): return a - b, None
    def backward(self, node, g):
        a, b = node.parents
        return unbroadcast(g, a.shape), unbroadcast(-g, b.shape)


class Mul(Function):
    name = "×"
    def forward(self, a, b): return a * b, None
    def backward(self, node, g):
        a, b = node.parents
        return unbroadcast(g * b.data, a.shape), unbroadcast(g * a.data, b.shape)


class Div(Function):
    name = "÷"
    def forward(self, a, b): return a / b, None
    def backward(self, node, g):
        a, b = node.parents
        g_over_b = g / b.data
        return unbroadcast(g_over_b, a.shape), unbroadcast(-g_over_b * node.data, b.shape)


class Neg(Function):
    name = "neg"
    def forward(self, a): return -a, None
    def backward(self, node, g): return (-g,)


class Power(Function):
    """``x ** c`` for a constant exponent c."""
    name = "^"
    def forward(self, a, exponent): return a ** exponent, exponent
    def backward(self, node, g):
        (a,), c = node.parents, node.ctx
        return (g * c * a.data ** (c - 1),)


class PowTensor(Function):
    """``a ** b`` where the exponent is itself a Tensor: d/db a^b = a^b · ln a."""
    name = "^"
    def forward(self, a, b): return a ** b, None
    def backward(self, node, g):
        a, b = node.parents
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_b = unbroadcast(g * node.data * np.log(a.data), b.shape) if b.requires_grad else None
        return unbroadcast(g * b.data * a.data ** (b.data - 1), a.shape), grad_b


class MatMul(Function):
    """``a @ b`` with NumPy's rules: batched, broadcast batch axes, and 1-D operands."""
    name = "matmul"

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul: both operands need at least one dimension")
        inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != inner_b:
            raise ValueError(f"{a.shape} @ {b.shape}: inner dimensions {a.shape[-1]} and "
                             f"{inner_b} differ")
        return a @ b, None

    def backward(self, node, g):
        a, b = node.parents
        # Treat a 1-D operand as a matrix (a row for a, a column for b), as NumPy does.
        a2 = a.data[None, :] if a.ndim == 1 else a.data
        b2 = b.data[:, None] if b.ndim == 1 else b.data
        g2 = g
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = unbroadcast(g2 @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape)
        grad_b = unbroadcast(a2.swapaxes(-1, -2) @ g2, b2.shape).reshape(b.shape)
        return grad_a, grad_b


add, sub, mul, div, neg = Add(), Sub(), Mul(), Div(), Neg()
power, pow_tensor, matmul = Power(), PowTensor(), MatMul()


# === reductions =========================================================================

def _keep_axes(grad: np.ndarray, shape: tuple, axis, keepdims: bool) -> np.ndarray:
    """Put back the axes a reduction removed, so that ``grad`` broadcasts over the input."""
    if keepdims or axis is None:
        return grad.reshape([1] * len(shape)) if axis is None else grad
    return np.expand_dims(grad, axis)


class Sum(Function):
    name = "sum"
    def forward(self, a, axis=None, keepdims=False):
        return a.sum(axis=axis, keepdims=keepdims), (axis, keepdims)
    def backward(self, node, g):
        (a,), (axis, keepdims) = node.parents, node.ctx
        return (np.broadcast_to(_keep_axes(g, a.shape, axis, keepdims), a.shape),)


class Mean(Function):
    name = "mean"
    def forward(self, a, axis=None, keepdims=False):
        out = a.mean(axis=axis, keepdims=keepdims)
        return out, (axis, keepdims, a.size // max(np.size(out), 1))
    def backward(self, node, g):
        (a,), (axis, keepdims, count) = node.parents, node.ctx
        return (np.broadcast_to(_keep_axes(g / count, a.shape, axis, keepdims), a.shape),)


class Extremum(Function):
    """max or min along axes. Tied elements share the gradient equally (d/dx max(x, x) = ½
    each), which keeps the rule symmetric; PyTorch's ``amax`` does the same."""

    def __init__(self, name: str, reduce):
        self.name, self.reduce = name, reduce

    def forward(self, a, axis=None, keepdims=False):
        return self.reduce(a, axis=axis, keepdims=keepdims), (axis, keepdims)

    def backward(self, node, g):
        (a,), (axis, keepdims) = node.parents, node.ctx
        out = _keep_axes(node.data, a.shape, axis, keepdims)
        winners = a.data == out
        share = _keep_axes(g, a.shape, axis, keepdims) / winners.sum(axis=axis, keepdims=True)
        return (winners * share,)


sum_, mean = Sum(), Mean()
max_, min_ = Extremum("max", np.max), Extremum("min", np.min)


# === shape ==============================================================================

class Reshape(Function):
    name = "reshape"
    def forward(self, a, shape): return a.reshape(shape), None
    def backward(self, node, g): return (g.reshape(node.parents[0].shape),)


class Transpose(Function):
    name = "transpose"
    def forward(self, a, axes=None): return a.transpose(axes), axes
    def backward(self, node, g):
        axes = node.ctx
        return (g.transpose(None if axes is None else np.argsort(axes)),)


def _plain_index(index):
    """Tensors used as indices become their integer arrays."""
    if isinstance(index, tuple):
        return tuple(i.data.astype(np.intp) if isinstance(i, Tensor) else i for i in index)
    return index.data.astype(np.intp) if isinstance(index, Tensor) else index


def _is_basic(index) -> bool:
    """Ints, slices, None and ``...`` select each element at most once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice, type(None), type(Ellipsis))) for i in parts)


class GetItem(Function):
    name = "index"
    def forward(self, a, index): return a[index], index
    def backward(self, node, g):
        (a,), index = node.parents, node.ctx
        grad = np.zeros_like(a.data)
        if _is_basic(index):
            grad[index] = g
        else:  # an element picked twice must receive both gradients: add.at accumulates
            np.add.at(grad, index, g)
        return (grad,)


class Pad(Function):
    name = "pad"
    def forward(self, a, pad_width, constant_values=0.0):
        pad_width = np.broadcast_to(np.asarray(pad_width, dtype=np.intp), (a.ndim, 2))
        return np.pad(a, pad_width, constant_values=constant_values), pad_width
    def backward(self, node, g):
        inside = tuple(slice(before, g.shape[i] - after) for i, (before, after) in enumerate(node.ctx))
        return (g[inside],)


class Concatenate(Function):
    name = "concatenate"
    def forward(self, *arrays, axis=0):
        return np.concatenate(arrays, axis=axis), axis
    def backward(self, node, g):
        axis = node.ctx
        ends = np.cumsum([p.shape[axis] for p in node.parents])[:-1]
        return tuple(np.split(g, ends, axis=axis))


class Stack(Function):
    name = "stack"
    def forward(self, *arrays, axis=0):
        return np.stack(arrays, axis=axis), axis
    def backward(self, node, g):
        return tuple(np.moveaxis(g, node.ctx, 0))


reshape, transpose, getitem, pad = Reshape(), Transpose(), GetItem(), Pad()
_concatenate, _stack = Concatenate(), Stack()


def concatenate(tensors: Sequence, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis, as ``np.concatenate``.

        >>> concatenate([Tensor.ones(2, 3), Tensor.zeros(1, 3)]).shape
        (3, 3)
    """
    return _concatenate(*tensors, axis=axis)


def stack(tensors: Sequence, axis: int = 0) -> Tensor:
    """Join tensors along a new axis, as ``np.stack``.

        >>> stack([Tensor.ones(3), Tensor.zeros(3)], axis=1).shape
        (3, 2)
    """
    return _stack(*tensors, axis=axis)


# === elementwise functions ==============================================================

def _sigmoid(x: np.ndarray) -> np.ndarray:
    # σ(x) = (1 + tanh(x/2)) / 2: exact, and no exp to overflow for large |x|.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


class Elementwise(Function):
    """A unary function whose derivative depends only on its input and output.

    ``fn(x)`` computes the output; ``derivative(x, out)`` returns dout/dx elementwise.
    """

    def __init__(self, name: str, fn, derivative):
        self.name, self.fn, self.derivative = name, fn, derivative

    def forward(self, a, **params):
        return self.fn(a, **params), params

    def backward(self, node, g):
        return (g * self.derivative(node.parents[0].data, node.data, **node.ctx),)


exp = Elementwise("exp", np.exp, lambda x, out: out)
log = Elementwise("log", np.log, lambda x, out: 1.0 / x)
sqrt = Elementwise("sqrt", np.sqrt, lambda x, out: 0.5 / out)
abs_ = Elementwise("abs", np.abs, lambda x, out: np.sign(x))
tanh = Elementwise("tanh", np.tanh, lambda x, out: 1.0 - out * out)
sigmoid = Elementwise("sigmoid", _sigmoid, lambda x, out: out * (1.0 - out))
relu = Elementwise("relu", lambda x: np.maximum(x, 0), lambda x, out: x > 0)
leaky_relu = Elementwise("leaky_relu", lambda x, alpha: np.where(x > 0, x, alpha * x),
                         lambda x, out, alpha: np.where(x > 0, 1.0, alpha).astype(x.dtype))
elu = Elementwise("elu", lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(x)),
                  lambda x, out, alpha: np.where(x > 0, 1.0, out + alpha).astype(x.dtype))
softplus = Elementwise("softplus", lambda x: np.logaddexp(0, x).astype(x.dtype),
                       lambda x, out: _sigmoid(x))
clip = Elementwise("clip", lambda x, low, high: np.clip(x, low, high),
                   lambda x, out, low, high: (out == x))


class Softmax(Function):
    name = "softmax"
    def forward(self, a, axis=-1):
        e = np.exp(a - a.max(axis=axis, keepdims=True))  # shifting by the max avoids overflow
        return e / e.sum(axis=axis, keepdims=True), axis
    def backward(self, node, g):
        s, axis = node.data, node.ctx
        return (s * (g - (g * s).sum(axis=axis, keepdims=True)),)


class LogSoftmax(Function):
    name = "log_softmax"
    def forward(self, a, axis=-1):
        shifted = a - a.max(axis=axis, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True)), axis
    def backward(self, node, g):
        axis = node.ctx
        return (g - np.exp(node.data) * g.sum(axis=axis, keepdims=True),)


softmax, log_softmax = Softmax(), LogSoftmax()
