"""``Tensor``: an array that remembers how it was computed.

The class holds the array facts, the factories and the engine hooks; each method that
computes calls one op of :mod:`autograd.ops` (``elementwise.exp``, ``shaping.reshape``,
...), a :class:`~autograd.function.Function` whose forward and VJP sit side by side. The
graph walk and the gradient bookkeeping are the engine's, shared with ``Value``.
"""

from __future__ import annotations

import math

import numpy as np

from . import engine
from .engine import Node
from .function import Function

_default_dtype = np.dtype(np.float32)


def set_default_dtype(dtype) -> None:
    """Set the float dtype that ints and Python numbers become (float32 at start).

        >>> set_default_dtype(np.float64); Tensor([1, 2]).dtype
        dtype('float64')
        >>> set_default_dtype(np.float32)  # back to the default
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
    lists, Python numbers, bool and integer arrays get the default float dtype."""
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind == "f":
        return np.asarray(data)
    return np.asarray(data, dtype=_default_dtype)


def _shape_args(shape: tuple) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` both mean the shape (2, 3), as in PyTorch and NumPy."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


def _compare(ufunc, a: Tensor, b) -> Tensor:
    """An elementwise comparison as a bool Tensor, outside the graph."""
    return Tensor(ufunc(a.data, b.data if isinstance(b, Tensor) else b), dtype=bool)


class Tensor(Node):
    """An n-dimensional array node; ``grad`` has the shape and dtype of ``data``.

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        array([2., 4., 6.], dtype=float32)

    Ints and Python numbers become the default float dtype (float32, see
    :func:`set_default_dtype`); a float ndarray keeps its dtype and is shared, not copied.
    """

    __slots__ = ()
    # ndarray ⊕ Tensor: NumPy sees a higher priority and a reflected method, so it returns
    # NotImplemented and Python calls Tensor.__radd__ etc.; the result stays in the graph.
    __array_priority__ = 100

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
        self.tags = ()

    # --- factories ----------------------------------------------------------------
    @classmethod
    def zeros(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.zeros(2, 3)`` (or ``Tensor.zeros((2, 3))``): zeros of the default dtype."""
        return cls(np.zeros(_shape_args(shape), dtype or _default_dtype),
                   requires_grad=requires_grad)

    @classmethod
    def ones(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.ones(2, 3)``: ones of the default float dtype."""
        return cls(np.ones(_shape_args(shape), dtype or _default_dtype),
                   requires_grad=requires_grad)

    @classmethod
    def randn(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """Standard normal samples from NumPy's global random state (``np.random.seed`` works).

            >>> np.random.seed(0); Tensor.randn(2, 3).shape
            (2, 3)
        """
        # standard_normal(size=()) is a 0-d sample, as torch.randn(()) (randn(*()) is a float)
        samples = np.random.standard_normal(size=_shape_args(shape))
        return cls(np.asarray(samples, dtype or _default_dtype), requires_grad=requires_grad)

    @classmethod
    def rand(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """Uniform samples in [0, 1) from NumPy's global random state."""
        samples = np.random.random_sample(size=_shape_args(shape))
        return cls(np.asarray(samples, dtype or _default_dtype), requires_grad=requires_grad)

    @classmethod
    def arange(cls, *args, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.arange(5)`` = [0, 1, 2, 3, 4] as floats, NumPy's arguments."""
        return cls(np.arange(*args, dtype=dtype or _default_dtype), requires_grad=requires_grad)

    # --- array facts ------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape of ``data``.")
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    dtype = property(lambda self: self.data.dtype, doc="The dtype of ``data``.")
    size = property(lambda self: self.data.size, doc="The number of elements.")

    def item(self) -> float:
        """The single element as a Python number: ``Tensor([[2.5]]).item()`` is 2.5."""
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The data array itself (not a copy), as ``torch.Tensor.numpy`` does."""
        return self.data

    def detach(self) -> Tensor:
        """The same data (shared, not copied) as a new leaf that needs no gradient."""
        return Tensor(self.data)

    def __array__(self, dtype=None, copy=None):
        # NumPy calls this for np.asarray(t), np.allclose(t, ...) and the like.
        if copy:
            return self.data.astype(dtype or self.data.dtype, copy=True)
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self.data)

    # float(t), int(t) and `if t:` for a one-element tensor of any shape, as in PyTorch.
    def __float__(self) -> float:
        return float(self.data.item())

    def __int__(self) -> int:
        return int(self.data.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(f"the truth value of a Tensor with {self.data.size} elements is "
                             "ambiguous; use t.data.any() or t.data.all()")
        return bool(self.data.item())

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
        if grad.dtype != self.data.dtype:  # an op mixed dtypes: float32 x + a float64 array
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
        """PyTorch's layout: ``Tensor([1., 2.], requires_grad=True)``; non-default dtypes,
        the label and the op that made a node (``grad_fn=<×>``) are shown."""
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
    # add.binary(a, b) is add(a, b), made faster for the operators: see Function.binary.
    def __add__(self, other): return elementwise.add.binary(self, other)
    def __radd__(self, other): return elementwise.add.binary(other, self)
    def __sub__(self, other): return elementwise.sub.binary(self, other)
    def __rsub__(self, other): return elementwise.sub.binary(other, self)
    def __mul__(self, other): return elementwise.mul.binary(self, other)
    def __rmul__(self, other): return elementwise.mul.binary(other, self)
    def __truediv__(self, other): return elementwise.div.binary(self, other)
    def __rtruediv__(self, other): return elementwise.div.binary(other, self)
    def __matmul__(self, other): return matmul.matmul.binary(self, other)
    def __rmatmul__(self, other): return matmul.matmul.binary(other, self)
    def __neg__(self): return elementwise.neg(self)

    # Comparisons are elementwise and give bool tensors that need no gradient, as in
    # PyTorch (a Tensor stays hashable by identity: see Node.__init_subclass__).
    def __eq__(self, other): return _compare(np.equal, self, other)
    def __ne__(self, other): return _compare(np.not_equal, self, other)
    def __lt__(self, other): return _compare(np.less, self, other)
    def __le__(self, other): return _compare(np.less_equal, self, other)
    def __gt__(self, other): return _compare(np.greater, self, other)
    def __ge__(self, other): return _compare(np.greater_equal, self, other)

    # In place, as PyTorch: `w -= lr * w.grad` inside no_grad() updates the parameter
    # itself; Python would otherwise rebind the name to a new tensor and train nothing.
    def __iadd__(self, other): return self._in_place(np.add, other)
    def __isub__(self, other): return self._in_place(np.subtract, other)
    def __imul__(self, other): return self._in_place(np.multiply, other)
    def __itruediv__(self, other): return self._in_place(np.divide, other)

    def _in_place(self, ufunc, other) -> Tensor:
        other_data = other.data if isinstance(other, Tensor) else other
        records = engine.grad_mode.enabled and (
            self.requires_grad or getattr(other, "requires_grad", False))
        if records and self.op is None and self.requires_grad:
            raise RuntimeError(
                "a leaf Tensor that requires grad is being used in an in-place operation; "
                "update parameters inside `with no_grad():`")
        if records:
            raise RuntimeError(
                "in-place operations on a Tensor that is part of a graph are not supported; "
                "write `x = x + y` instead of `x += y`")
        ufunc(self.data, other_data, out=self.data, casting="same_kind")
        return self

    def __getitem__(self, index):
        """NumPy indexing: ints, slices, ``None``, ``...``, boolean masks, integer arrays.

            >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
            >>> x[[0, 0, 2]].sum().backward(); x.grad     # picked twice: gradient 2
            array([2., 0., 1.], dtype=float32)
        """
        return shaping.getitem(self, index=shaping.plain_index(index))

    def __pow__(self, exponent):
        """``x ** 2`` (a constant exponent) or ``x ** y`` (a Tensor or array exponent)."""
        if isinstance(exponent, (int, float, np.number)):
            return elementwise.power(self, c=float(exponent))
        return elementwise.pow_input.binary(self, exponent)

    def __rpow__(self, base): return elementwise.pow_input.binary(base, self)

    def matmul(self, other):
        """``x.matmul(y)`` is ``x @ y``: NumPy's matmul, batched, 1-D operands allowed."""
        return matmul.matmul.binary(self, other)

    # reductions
    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (None: all; an int or a tuple), as ``np.sum``."""
        return reductions.total(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis``, as ``np.mean``."""
        return reductions.mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        """Largest element over ``axis``; tied maxima share the gradient equally."""
        return reductions.maximum(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        """Smallest element over ``axis``; tied minima share the gradient equally."""
        return reductions.minimum(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        """Variance as NumPy computes it (``ddof=0``: divide by n), built from mean.

            >>> Tensor([1.0, 2.0, 3.0, 4.0]).var().item()
            1.25
        """
        centred = self - self.mean(axis=axis, keepdims=True)
        axes = range(self.ndim) if axis is None else np.atleast_1d(axis)
        count = math.prod(self.shape[a] for a in axes)  # negative axes index from the end
        # count ≤ ddof: NumPy divides by zero (inf, or nan for 0/0); 1/0 would raise here
        scale = 1.0 / (count - ddof) if count > ddof else math.inf
        return (centred * centred).sum(axis=axis, keepdims=keepdims) * scale

    # shape
    def reshape(self, *shape):
        """``x.reshape(2, -1)`` or ``x.reshape((2, -1))``, as NumPy."""
        return shaping.reshape(self, shape=_shape_args(shape))

    def flatten(self, start_axis: int = 0):
        """Merge the axes from ``start_axis`` on (``x.flatten(1)`` keeps the batch axis).

        A 0-d tensor flattens to shape (1,), as in PyTorch.
        """
        start = start_axis + self.ndim if start_axis < 0 else start_axis
        if not 0 <= start <= max(self.ndim - 1, 0):
            raise ValueError(f"flatten: start_axis {start_axis} is out of range for a "
                             f"tensor of shape {self.shape}")
        return shaping.reshape(self, shape=self.shape[:start] + (math.prod(self.shape[start:]),))

    def transpose(self, dim0: int, dim1: int):
        """Swap two axes, as ``torch.transpose`` (not NumPy's permutation: use ``permute``).

            >>> Tensor.zeros(2, 3, 4).transpose(0, 2).shape
            (4, 3, 2)
        """
        axes = list(range(self.ndim))
        try:
            axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        except (IndexError, TypeError):
            raise IndexError(f"transpose: dims ({dim0}, {dim1}) are out of range for a "
                             f"tensor of shape {self.shape}") from None
        return shaping.permute(self, axes=tuple(axes))

    def permute(self, *dims):
        """Reorder the axes: ``x.permute(2, 0, 1)`` or ``x.permute((2, 0, 1))``."""
        return shaping.permute(self, axes=tuple(_shape_args(dims)))

    T = property(lambda self: shaping.permute(self, axes=None), doc="All axes reversed.")

    def pad(self, pad_width, constant_values=0.0):
        """Pad with a constant, NumPy's ``pad_width`` format (``1``, ``(1, 2)`` or
        ``((0, 0), (1, 1))``)."""
        return shaping.pad(self, pad_width=pad_width, constant_values=constant_values)

    # functions of one input: each one rule of autograd.rules (float() on parameters: a
    # NumPy float64 alpha would otherwise turn a float32 result into float64)
    def exp(self): return elementwise.functions["exp"](self)
    def log(self): return elementwise.functions["log"](self)
    def sqrt(self): return elementwise.functions["sqrt"](self)
    def abs(self): return elementwise.functions["abs"](self)
    def tanh(self): return elementwise.functions["tanh"](self)
    def sigmoid(self): return elementwise.functions["sigmoid"](self)
    def relu(self): return elementwise.functions["relu"](self)
    def leaky_relu(self, alpha=0.01):
        return elementwise.functions["leaky_relu"](self, alpha=float(alpha))
    def elu(self, alpha=1.0): return elementwise.functions["elu"](self, alpha=float(alpha))
    def softplus(self): return elementwise.functions["softplus"](self)
    def sin(self): return elementwise.functions["sin"](self)
    def cos(self): return elementwise.functions["cos"](self)
    __abs__ = abs

    def clip(self, low=None, high=None):
        """Limit to [low, high] (either may be None); the gradient is 1 inside, 0 outside."""
        return elementwise.functions["clip"](self, low=low, high=high)

    def softmax(self, axis=-1):
        """Probabilities along ``axis``: e^xᵢ / Σⱼ e^xⱼ, stable for large logits."""
        return softmax.softmax(self, axis=axis)

    def log_softmax(self, axis=-1):
        """log(softmax(x)) along ``axis``, without overflow or log(0)."""
        return softmax.log_softmax(self, axis=axis)


# The ops make Tensors, and the Tensor's methods call the ops: the op modules are imported
# once the class exists.
Function.node_type = Tensor
from .ops import elementwise, matmul, reductions, shaping, softmax  # noqa: E402
