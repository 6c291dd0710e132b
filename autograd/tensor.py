"""``Tensor``: a NumPy array that remembers how it was computed.

Each op is one :class:`Function` subclass: ``forward`` computes on arrays and
``backward`` returns the vector-Jacobian product for each input, side by side. The
graph walk and the gradient bookkeeping are the engine's, shared with ``Value``.

A few lines below are written for speed rather than brevity (the forward call in
:meth:`Function.__call__`, ``requires_grad`` checks in ``backward``); each says why. A
recorded op costs a few microseconds of Python on top of its NumPy work, so graphs of
small arrays stay fast enough to train on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from . import engine
from .engine import Node

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


#: The nn.Modules whose forward is running, outermost first; every op's result records it.
_scope: tuple = ()


class module_scope:
    """Record ``module`` as the maker of every Tensor computed inside the block.

    ``nn.Module.__call__`` wraps each forward in it, so a picture of a network's graph can
    group the nodes by module (``viz.draw_graph(loss, collapse=True)``). A class rather
    than a ``@contextmanager`` generator: it runs on every layer call, and costs a third.
    """

    __slots__ = ("module", "previous")

    def __init__(self, module):
        self.module = module

    def __enter__(self) -> None:
        global _scope
        self.previous, _scope = _scope, _scope + (self.module,)

    def __exit__(self, *exc_info) -> None:
        global _scope
        _scope = self.previous


def _to_array(data, dtype=None) -> np.ndarray:
    """An ndarray of a float dtype: NumPy float arrays keep theirs (shared, not copied);
    lists, Python numbers, bool and integer arrays get the default float dtype."""
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind == "f":
        return np.asarray(data)
    return np.asarray(data, dtype=_default_dtype)


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` back to ``shape``: the adjoint of NumPy broadcasting.

    A broadcast operand was used once per copy, so its gradient is the sum over the
    copies: over the leading axes it lacked and over the axes where it had size 1.

        >>> unbroadcast(np.ones((4, 2, 3)), (2, 1)).tolist()
        [[12.0], [12.0]]
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad.shape[lead + i] != 1)
    return grad.sum(axis=axes).reshape(shape)


def _shape_args(shape: tuple) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` both mean the shape (2, 3), as in PyTorch and NumPy."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


class Function:
    """A Tensor op: ``forward`` on arrays, ``backward`` as a vector-Jacobian product.

    Subclasses set ``name`` (shown on graph pictures) and implement

    * ``forward(self, *arrays, **params) -> (out, ctx)``: the result array and whatever
      the backward rule needs later (kept on the result node as ``node.ctx``);
    * ``backward(self, node, grad) -> tuple``: for each input, ``grad`` (∂L/∂out)
      multiplied by ∂out/∂input, with the input's shape; ``None`` for an input that
      needs no gradient (``not parent.requires_grad``), so its work is skipped.

    Calling the Function on Tensors, arrays or numbers records one graph node.

        >>> class Double(Function):
        ...     name = "double"
        ...     def forward(self, a): return 2 * a, None
        ...     def backward(self, node, g): return (2 * g,)
        >>> Double()(Tensor([1.0, 2.0]))
        Tensor([2., 4.])
    """

    name = "op"
    #: A word for error messages when ``name`` is a symbol ("add" for "+").
    title = ""
    #: For binary operators, how an error message writes the call: "(2, 3) @ (4, 5)".
    symbol = ""

    def __call__(self, *inputs, **params) -> Tensor:
        """Run ``forward`` on the inputs' arrays; return the result as a new graph node."""
        for x in inputs:
            if not isinstance(x, Tensor):  # numbers and arrays join as constant leaves
                inputs = tuple(_constant(x, inputs) for x in inputs)
                break
        try:
            # The two commonest calls spelled out: the general form below costs a third
            # of an op's Python overhead (a list, and a copy of the empty **params).
            if len(inputs) == 2 and not params:  # a + b, a @ b, ...
                out, ctx = self.forward(inputs[0].data, inputs[1].data)
            elif len(inputs) == 1 and not params:  # exp, relu, ...
                out, ctx = self.forward(inputs[0].data)
            else:
                out, ctx = self.forward(*[t.data for t in inputs], **params)
        except (ValueError, IndexError) as error:
            raise self._error(inputs, error) from None
        requires_grad = False
        for parent in inputs:  # a plain loop: any() over a generator is slower
            if parent.requires_grad:
                requires_grad = True
                break
        return self._node(out, inputs, ctx, requires_grad)

    def binary(self, a, b) -> Tensor:
        """``a ⊕ b`` for the arithmetic operators: :meth:`__call__`'s steps for the case
        of two inputs and no parameters, written out.

        The operators make most of a graph's nodes, and the general call (packing
        ``*inputs`` and ``**params``, its loops) costs them about a third of their
        Python overhead. Either operand may be a number or an array (``2 * x``).
        """
        if not isinstance(a, Tensor):
            a = _constant(a, (b,))
        if not isinstance(b, Tensor):
            b = _constant(b, (a,))
        try:
            out, ctx = self.forward(a.data, b.data)
        except ValueError as error:
            raise self._error((a, b), error) from None
        return self._node(out, (a, b), ctx, a.requires_grad or b.requires_grad)

    def _node(self, out, inputs: tuple, ctx, requires_grad: bool) -> Tensor:
        """The result as a new graph node, built directly rather than through
        ``Tensor.__init__``, whose checks and conversions an op's own output does not need."""
        if type(out) is not np.ndarray:  # a full reduction gives a NumPy scalar, not an array
            out = np.asarray(out)
        node = Tensor.__new__(Tensor)
        node.data, node.grad, node.label, node.scope = out, None, "", _scope
        if engine.grad_mode.enabled:
            node.op, node.parents, node.ctx, node.requires_grad = self, inputs, ctx, requires_grad
        else:  # no_grad(): a leaf that remembers nothing
            node.op, node.parents, node.ctx, node.requires_grad = None, (), None, False
        return node

    def _error(self, inputs, error: Exception) -> Exception:
        """The error a learner can act on: the op, the input shapes, what went wrong."""
        shapes = [str(t.shape) for t in inputs]
        if self.symbol and len(shapes) == 2:
            where = f" {self.symbol} ".join(shapes)
        else:
            where = ("shape " if len(shapes) == 1 else "shapes ") + " and ".join(shapes)
        if not shapes:
            where = "no inputs"
        # IndexError stays IndexError: iterating over a Tensor stops on it, as on a list.
        kind = IndexError if type(error) is IndexError else ValueError
        return kind(f"{self.title or self.name}: {where}: {error}")

    def forward(self, *arrays, **params):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, node: Tensor, grad: np.ndarray):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


def _compare(ufunc, a: Tensor, b) -> Tensor:
    """An elementwise comparison as a bool Tensor, outside the graph."""
    return Tensor(ufunc(a.data, b.data if isinstance(b, Tensor) else b), dtype=bool)


def _constant(x, inputs) -> Tensor:
    """``x`` itself if it is a Tensor, else ``x`` wrapped as a leaf that needs no gradient.

    A Python number takes the dtype of the Tensor it meets, as NumPy does with Python
    scalars, so that ``x * 2`` keeps a float32 ``x`` in float32.
    """
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (int, float)):
        for t in inputs:
            if isinstance(t, Tensor):
                return Tensor(x, dtype=t.data.dtype)
    return Tensor(x)


class Tensor(Node):
    """An n-dimensional array node; ``grad`` has the shape and dtype of ``data``.

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        array([2., 4., 6.], dtype=float32)

    Ints and Python numbers become the default float dtype (float32, see
    :func:`set_default_dtype`); a float ndarray keeps its dtype and is shared, not copied.
    """

    # scope: the nn.Modules whose forward made this node, outermost first (see
    # module_scope); pictures of a network group its nodes by them.
    __slots__ = ("scope",)
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
        self.scope = ()

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
    def __add__(self, other): return add.binary(self, other)
    def __radd__(self, other): return add.binary(other, self)
    def __sub__(self, other): return sub.binary(self, other)
    def __rsub__(self, other): return sub.binary(other, self)
    def __mul__(self, other): return mul.binary(self, other)
    def __rmul__(self, other): return mul.binary(other, self)
    def __truediv__(self, other): return div.binary(self, other)
    def __rtruediv__(self, other): return div.binary(other, self)
    def __matmul__(self, other): return matmul.binary(self, other)
    def __rmatmul__(self, other): return matmul.binary(other, self)
    def __neg__(self): return neg(self)

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
        return getitem(self, index=_plain_index(index))

    def __pow__(self, exponent):
        """``x ** 2`` (a constant exponent) or ``x ** y`` (a Tensor or array exponent)."""
        if isinstance(exponent, (int, float, np.number)):
            return power(self, exponent=float(exponent))
        return pow_tensor.binary(self, exponent)

    def __rpow__(self, base): return pow_tensor.binary(base, self)

    def matmul(self, other):
        """``x.matmul(y)`` is ``x @ y``: NumPy's matmul, batched, 1-D operands allowed."""
        return matmul.binary(self, other)

    # reductions
    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (None: all; an int or a tuple), as ``np.sum``."""
        return sum_(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis``, as ``np.mean``."""
        return mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        """Largest element over ``axis``; tied maxima share the gradient equally."""
        return max_(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        """Smallest element over ``axis``; tied minima share the gradient equally."""
        return min_(self, axis=axis, keepdims=keepdims)

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
        return reshape(self, shape=_shape_args(shape))

    def flatten(self, start_axis: int = 0):
        """Merge the axes from ``start_axis`` on (``x.flatten(1)`` keeps the batch axis).

        A 0-d tensor flattens to shape (1,), as in PyTorch.
        """
        start = start_axis + self.ndim if start_axis < 0 else start_axis
        if not 0 <= start <= max(self.ndim - 1, 0):
            raise ValueError(f"flatten: start_axis {start_axis} is out of range for a "
                             f"tensor of shape {self.shape}")
        return reshape(self, shape=self.shape[:start] + (math.prod(self.shape[start:]),))

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
        return transpose(self, axes=tuple(axes))

    def permute(self, *dims):
        """Reorder the axes: ``x.permute(2, 0, 1)`` or ``x.permute((2, 0, 1))``."""
        return transpose(self, axes=tuple(_shape_args(dims)))

    T = property(lambda self: transpose(self, axes=None), doc="All axes reversed.")

    def pad(self, pad_width, constant_values=0.0):
        """Pad with a constant, NumPy's ``pad_width`` format (``1``, ``(1, 2)`` or
        ``((0, 0), (1, 1))``)."""
        return pad(self, pad_width=pad_width, constant_values=constant_values)

    # elementwise functions (float() on parameters: a NumPy float64 alpha would
    # otherwise turn a float32 result into float64)
    def exp(self): return exp(self)
    def log(self): return log(self)
    def sqrt(self): return sqrt(self)
    def abs(self): return abs_(self)
    def tanh(self): return tanh(self)
    def sigmoid(self): return sigmoid(self)
    def relu(self): return relu(self)
    def leaky_relu(self, alpha=0.01): return leaky_relu(self, alpha=float(alpha))
    def elu(self, alpha=1.0): return elu(self, alpha=float(alpha))
    def softplus(self): return softplus(self)
    __abs__ = abs

    def clip(self, low=None, high=None):
        """Limit to [low, high] (either may be None); the gradient is 1 inside, 0 outside."""
        return clip(self, low=low, high=high)

    def softmax(self, axis=-1):
        """Probabilities along ``axis``: e^xᵢ / Σⱼ e^xⱼ, stable for large logits."""
        return softmax(self, axis=axis)

    def log_softmax(self, axis=-1):
        """log(softmax(x)) along ``axis``, without overflow or log(0)."""
        return log_softmax(self, axis=axis)


# === arithmetic =========================================================================
# Binary ops broadcast like NumPy; unbroadcast sums each operand's gradient back to its
# own shape. Each backward skips the parents that need no gradient (a constant operand
# would otherwise cost a full multiply per op).

class Add(Function):
    """a + b: ∂/∂a = 1, ∂/∂b = 1."""
    name, title, symbol = "+", "add", "+"
    def forward(self, a, b): return a + b, None
    def backward(self, node, g):
        a, b = node.parents
        return (unbroadcast(g, a.data.shape) if a.requires_grad else None,
                unbroadcast(g, b.data.shape) if b.requires_grad else None)


class Sub(Function):
    """a − b: ∂/∂a = 1, ∂/∂b = −1."""
    name, title, symbol = "−", "subtract", "-"
    def forward(self, a, b): return a - b, None
    def backward(self, node, g):
        a, b = node.parents
        return (unbroadcast(g, a.data.shape) if a.requires_grad else None,
                unbroadcast(-g, b.data.shape) if b.requires_grad else None)


class Mul(Function):
    """a · b: ∂/∂a = b, ∂/∂b = a."""
    name, title, symbol = "×", "multiply", "*"
    def forward(self, a, b): return a * b, None
    def backward(self, node, g):
        a, b = node.parents
        return (unbroadcast(g * b.data, a.data.shape) if a.requires_grad else None,
                unbroadcast(g * a.data, b.data.shape) if b.requires_grad else None)


class Div(Function):
    """a / b: ∂/∂a = 1/b, ∂/∂b = −a/b² = −out/b."""
    name, title, symbol = "÷", "divide", "/"
    def forward(self, a, b): return a / b, None
    def backward(self, node, g):
        a, b = node.parents
        g_over_b = g / b.data
        return (unbroadcast(g_over_b, a.data.shape) if a.requires_grad else None,
                unbroadcast(-g_over_b * node.data, b.data.shape) if b.requires_grad else None)


class Neg(Function):
    """−a: ∂/∂a = −1."""
    name, title = "neg", "negative"
    def forward(self, a): return -a, None
    def backward(self, node, g): return (-g,)


class Power(Function):
    """a^c for a constant exponent c: ∂/∂a = c·a^(c−1)."""
    name, title = "^", "power"
    def forward(self, a, exponent): return a ** exponent, exponent
    def backward(self, node, g):
        (a,), c = node.parents, node.ctx
        if c == 0:  # a⁰ = 1 is constant; c·a^(c−1) would be 0·∞ = nan at a = 0
            return (np.zeros_like(g),)
        return (g * c * a.data ** (c - 1),)


class PowTensor(Function):
    """a^b with a Tensor exponent: ∂/∂a = b·a^(b−1), ∂/∂b = a^b · ln a."""
    name, title, symbol = "^", "power", "**"
    def forward(self, a, b): return a ** b, None
    def backward(self, node, g):
        a, b = node.parents
        grad_a = grad_b = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if a.requires_grad:
                # b = 0 makes a^b constant; without the mask, 0·0^(−1) = nan at a = 0.
                local = np.where(b.data == 0, 0, b.data * a.data ** (b.data - 1))
                grad_a = unbroadcast(g * local, a.data.shape)
            if b.requires_grad:
                # 0^b = 0 for b > 0 does not change with b: 0 · ln 0 = nan is really 0
                # (PyTorch's rule too).
                local = np.where((a.data == 0) & (b.data >= 0), 0, node.data * np.log(a.data))
                grad_b = unbroadcast(g * local, b.data.shape)
        return grad_a, grad_b


class MatMul(Function):
    """a @ b with NumPy's rules: batched, broadcast batch axes, and 1-D operands.

    ∂L/∂a = g @ bᵀ and ∂L/∂b = aᵀ @ g (transposing the last two axes), summed over the
    batch axes an operand was broadcast along.
    """
    name, symbol = "matmul", "@"

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("both operands need at least one dimension")
        inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != inner_b:
            raise ValueError(f"inner dimensions {a.shape[-1]} and {inner_b} differ")
        return a @ b, None

    def backward(self, node, g):
        a, b = node.parents
        # A 1-D operand is a matrix with one row (a) or one column (b), as NumPy treats
        # it; g gets back the axis that matmul dropped for it (b's first: for vector @
        # vector, g is 0-d and becomes (1,), then (1, 1)).
        a2 = a.data[None, :] if a.data.ndim == 1 else a.data
        b2 = b.data[:, None] if b.data.ndim == 1 else b.data
        if b.data.ndim == 1:
            g = np.expand_dims(g, -1)
        if a.data.ndim == 1:
            g = np.expand_dims(g, -2)
        grad_a = grad_b = None
        if a.requires_grad:  # swapaxes is a view: BLAS reads the transpose in place
            grad_a = unbroadcast(g @ b2.swapaxes(-1, -2), a2.shape).reshape(a.data.shape)
        if b.requires_grad:
            grad_b = unbroadcast(a2.swapaxes(-1, -2) @ g, b2.shape).reshape(b.data.shape)
        return grad_a, grad_b


add, sub, mul, div, neg = Add(), Sub(), Mul(), Div(), Neg()
power, pow_tensor, matmul = Power(), PowTensor(), MatMul()


# === reductions =========================================================================

def _keep_axes(grad: np.ndarray, shape: tuple, axis, keepdims: bool) -> np.ndarray:
    """Put back the axes a reduction removed, so that ``grad`` broadcasts over the input."""
    if axis is None:
        return grad.reshape((1,) * len(shape))
    return grad if keepdims else np.expand_dims(grad, axis)


class Sum(Function):
    """Σ over axes: every summed element gets the output's gradient."""
    name = "sum"
    def forward(self, a, axis=None, keepdims=False):
        return a.sum(axis=axis, keepdims=keepdims), (axis, keepdims)
    def backward(self, node, g):
        (a,), (axis, keepdims) = node.parents, node.ctx
        return (np.broadcast_to(_keep_axes(g, a.data.shape, axis, keepdims), a.data.shape),)


class Mean(Function):
    """Mean over axes: every element gets the output's gradient divided by the count."""
    name = "mean"
    def forward(self, a, axis=None, keepdims=False):
        # sum / count is np.mean's own arithmetic without its Python wrapper, which costs
        # 10 µs: as much as a loss's whole mean node over a small batch.
        total = a.sum(axis=axis, keepdims=keepdims)
        count = a.size // max(np.size(total), 1)
        return total / count, (axis, keepdims, count)
    def backward(self, node, g):
        (a,), (axis, keepdims, count) = node.parents, node.ctx
        shape = a.data.shape
        return (np.broadcast_to(_keep_axes(g / count, shape, axis, keepdims), shape),)


class Extremum(Function):
    """max or min along axes.

    Tied elements share the gradient equally (a row [3, 3] sends ½ to each), which
    keeps the rule symmetric; PyTorch's ``amax``/``amin`` do the same.
    """

    def __init__(self, name: str, reduce):
        self.name, self.reduce = name, reduce

    def forward(self, a, axis=None, keepdims=False):
        return self.reduce(a, axis=axis, keepdims=keepdims), (axis, keepdims)

    def backward(self, node, g):
        (a,), (axis, keepdims) = node.parents, node.ctx
        shape = a.data.shape
        winners = a.data == _keep_axes(node.data, shape, axis, keepdims)
        # The count in g's dtype: an integer count would turn a float32 gradient float64.
        count = winners.sum(axis=axis, keepdims=True, dtype=g.dtype)
        return (winners * (_keep_axes(g, shape, axis, keepdims) / count),)


sum_, mean = Sum(), Mean()
max_, min_ = Extremum("max", np.max), Extremum("min", np.min)


# === shape ==============================================================================

class Reshape(Function):
    name = "reshape"
    def forward(self, a, shape): return a.reshape(shape), None
    def backward(self, node, g):
        a = node.parents[0].data
        if a.flags.c_contiguous:
            return (g.reshape(a.shape),)
        # Hand the gradient back in a's memory order (conv2d's output is channels-last
        # underneath): the backward rules above mix it with a, and NumPy runs elementwise
        # ops on arrays of one layout several times faster than on a mix.
        grad = np.empty_like(a)
        grad[...] = g.reshape(a.shape)
        return (grad,)


class Transpose(Function):
    """Permute axes; the backward applies the inverse permutation."""
    name = "transpose"
    def forward(self, a, axes=None):
        out = a.transpose(axes)  # NumPy checks the axes (negative ones allowed)
        inverse = None if axes is None else tuple(np.argsort([i % a.ndim for i in axes]))
        return out, inverse
    def backward(self, node, g): return (g.transpose(node.ctx),)


def _plain_index(index):
    """Check an index once, so that the backward can replay it exactly.

    Lists become arrays (NumPy treats a list index as an array index; the copy also
    protects the recorded graph if the list changes later). A Tensor is refused: its
    floats are ambiguous as an index (a mask would read as the indices 0 and 1).
    """
    if isinstance(index, (int, slice)):  # the common cases, returned at once
        return index
    parts = index if isinstance(index, tuple) else (index,)
    plain = []
    for part in parts:
        if isinstance(part, Tensor):
            raise IndexError(
                "index: a Tensor holds floats and cannot be used as an index; use an "
                "integer or boolean NumPy array (e.g. x[labels.data.astype(int)])")
        if isinstance(part, list):
            part = np.asarray(part) if part else np.zeros(0, dtype=np.intp)
        plain.append(part)
    return tuple(plain) if isinstance(index, tuple) else plain[0]


def _selects_once(index) -> bool:
    """True if no element can be picked twice: ints, slices, None, ``...``, masks."""
    parts = index if isinstance(index, tuple) else (index,)
    for part in parts:
        if isinstance(part, np.ndarray) and part.dtype != bool:
            return False  # an integer array may repeat an index
    return True


class GetItem(Function):
    """``a[index]``: the gradient goes back to the elements that were picked."""
    name = "index"
    def forward(self, a, index): return a[index], index
    def backward(self, node, g):
        (a,), index = node.parents, node.ctx
        grad = np.zeros_like(a.data)
        if _selects_once(index):
            grad[index] = g
        else:  # an element picked twice must receive both gradients: add.at accumulates
            np.add.at(grad, index, g)
        return (grad,)


class Pad(Function):
    """Constant padding; the backward cuts the padding off the gradient."""
    name = "pad"
    def forward(self, a, pad_width, constant_values=0.0):
        # NumPy's shorthands (an int, one pair) spelled out to one (before, after) per axis
        widths = np.broadcast_to(np.asarray(pad_width, dtype=np.intp), (a.ndim, 2))
        return np.pad(a, widths, constant_values=constant_values), widths.tolist()
    def backward(self, node, g):
        inside = tuple(slice(before, size - after)
                       for (before, after), size in zip(node.ctx, g.shape))
        return (g[inside],)


class Concatenate(Function):
    """Join along an existing axis; the backward splits the gradient at the seams."""
    name = "concatenate"
    def forward(self, *arrays, axis=0):
        return np.concatenate(arrays, axis=axis), axis
    def backward(self, node, g):
        axis, parents = node.ctx, node.parents
        if axis is None:  # NumPy flattened every input first
            ends = np.cumsum([p.data.size for p in parents])[:-1]
            return tuple(piece.reshape(p.data.shape)
                         for piece, p in zip(np.split(g, ends), parents))
        ends = np.cumsum([p.data.shape[axis] for p in parents])[:-1]
        return tuple(np.split(g, ends, axis=axis))


class Stack(Function):
    """Join along a new axis; each input's gradient is its slice of that axis."""
    name = "stack"
    def forward(self, *arrays, axis=0):
        return np.stack(arrays, axis=axis), axis
    def backward(self, node, g):
        return tuple(np.moveaxis(g, node.ctx, 0))


reshape, transpose, getitem, pad = Reshape(), Transpose(), GetItem(), Pad()
_concatenate, _stack = Concatenate(), Stack()


def concatenate(tensors: Sequence, axis: int | None = 0) -> Tensor:
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
    # σ(x) = 1 / (1 + e^−x) is accurate to 2 ulp for every x: each step has a small
    # relative error, so the small values of σ(−20) keep all their digits (the usual
    # (1 + tanh(x/2)) / 2 rounds σ(−20) to 0 in float32). For x below −88 (float32) e^−x
    # overflows to inf and σ to 0, which is right to within float32's smallest normal
    # number, so that warning is silenced; no np.where: it would double the cost.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


class Elementwise(Function):
    """A unary function whose derivative depends only on its input and output.

    ``fn(x, **params)`` computes the output; ``derivative(x, out, **params)`` returns
    ∂out/∂x elementwise, and the backward multiplies it by the incoming gradient.
    The output keeps the input's dtype.
    """

    def __init__(self, name: str, fn, derivative):
        self.name, self.fn, self.derivative = name, fn, derivative

    def forward(self, a, **params):
        out = self.fn(a, **params)
        if out.dtype != a.dtype:  # a float64 bound or constant must not upcast float32
            out = out.astype(a.dtype)
        return out, params

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
                         lambda x, out, alpha: np.where(x > 0, 1, alpha).astype(x.dtype))
# elu's exp sees only x ≤ 0: e^x of a large positive x would overflow (and warn) in the
# branch that np.where then throws away.
elu = Elementwise("elu", lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))),
                  lambda x, out, alpha: np.where(x > 0, 1, out + alpha).astype(x.dtype))
# softplus(x) = log(1 + eˣ) = logaddexp(0, x), stable on both sides; its derivative is σ(x)
softplus = Elementwise("softplus", lambda x: np.logaddexp(0, x), lambda x, out: _sigmoid(x))
# clip passes the gradient where the value was not changed (at the bounds too, as PyTorch)
clip = Elementwise("clip", lambda x, low, high: np.clip(x, low, high),
                   lambda x, out, low, high: out == x)


class Softmax(Function):
    """sᵢ = e^xᵢ / Σⱼ e^xⱼ along ``axis``; VJP: s · (g − Σⱼ gⱼ sⱼ)."""
    name = "softmax"
    def forward(self, a, axis=-1):
        e = np.exp(a - a.max(axis=axis, keepdims=True))  # shifting by the max avoids overflow
        return e / e.sum(axis=axis, keepdims=True), axis
    def backward(self, node, g):
        s, axis = node.data, node.ctx
        return (s * (g - (g * s).sum(axis=axis, keepdims=True)),)


class LogSoftmax(Function):
    """xᵢ − log Σⱼ e^xⱼ along ``axis``; VJP: g − softmax · Σⱼ gⱼ."""
    name = "log_softmax"
    def forward(self, a, axis=-1):
        shifted = a - a.max(axis=axis, keepdims=True)  # the largest term becomes e⁰ = 1
        return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True)), axis
    def backward(self, node, g):
        axis = node.ctx
        return (g - np.exp(node.data) * g.sum(axis=axis, keepdims=True),)


softmax, log_softmax = Softmax(), LogSoftmax()
