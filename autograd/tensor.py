"""``Tensor``: an array that remembers how it was computed.

The class holds the array facts, the factories and the engine hooks; each method that
computes calls one op of :mod:`autograd.ops` (``elementwise.exp``, ``shaping.reshape``,
...), a :class:`~autograd.op.Op` whose forward and VJP sit side by side. The
graph walk and the gradient bookkeeping are the engine's, shared with ``Value``.
"""

from __future__ import annotations

import numbers
import operator
import sys

import numpy as np

from . import engine
from .dtypes import on_gpu, to_host
from .engine import Node
from .kernels import kernels_for
from .op import Op, shape_args
from .ops.conversion import ConversionMethods
from .ops.elementwise import ElementwiseMethods
from .ops.inplace import InPlaceMethods, check_versions
from .ops.matmul import MatmulMethods
from .ops.reductions import ReductionMethods
from .ops.shaping import ShapeMethods
from .ops.softmax import SoftmaxMethods

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
    lists, Python numbers, bool and integer arrays get the default float dtype. A GPU
    array stays on its GPU."""
    if on_gpu(data):
        if dtype is None and data.dtype.kind != "f":
            dtype = _default_dtype
        return data if dtype is None else data.astype(dtype, copy=False)
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind == "f":
        return np.asarray(data)
    return np.asarray(data, dtype=_default_dtype)


def _compare(operator, a: Tensor, b) -> Tensor:
    """An elementwise comparison as a bool Tensor, outside the graph (NotImplemented for
    an object that is no number or array, so that Python asks that object instead)."""
    if isinstance(b, Tensor):
        b = b.data
    elif not isinstance(b, (numbers.Number, np.ndarray, np.generic, list, tuple)):
        return NotImplemented
    return Tensor(operator(a.data, b), dtype=bool)


class Tensor(ElementwiseMethods, MatmulMethods, ReductionMethods, ShapeMethods, SoftmaxMethods,
             InPlaceMethods, ConversionMethods, Node):
    """An n-dimensional array node; ``grad`` has the shape and dtype of ``data``.

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        tensor([2., 4., 6.])

    Ints and Python numbers become the default float dtype (float32, see
    :func:`set_default_dtype`); a float ndarray keeps its dtype and is shared, not copied.
    """

    # _version: when .data was last written (see Op.next_version and ops.inplace);
    # _hooks: the functions register_hook added, run on this tensor's gradient
    __slots__ = ("_version", "_hooks")
    # ndarray ⊕ Tensor: NumPy sees a higher priority and a reflected method, so it returns
    # NotImplemented and Python calls Tensor.__radd__ etc.; the result stays in the graph.
    __array_priority__ = 100

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = ""):
        if isinstance(data, Tensor):
            data = data.data
        self.data = _to_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"Tensor: only float tensors can require grad, got {self.data.dtype}")
        _grad_slot.__set__(self, None)
        self.label = label
        self.op = None
        self.parents = ()
        self.ctx = None
        self.requires_grad = bool(requires_grad)
        self.tags = ()
        self._version = 0
        self._hooks = ()

    # --- factories ----------------------------------------------------------------
    @classmethod
    def zeros(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.zeros(2, 3)`` (or ``Tensor.zeros((2, 3))``): zeros of the default dtype."""
        return cls(np.zeros(shape_args(shape), dtype or _default_dtype),
                   requires_grad=requires_grad)

    @classmethod
    def ones(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.ones(2, 3)``: ones of the default float dtype."""
        return cls(np.ones(shape_args(shape), dtype or _default_dtype),
                   requires_grad=requires_grad)

    @classmethod
    def randn(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """Standard normal samples from NumPy's global random state (``np.random.seed`` works).

            >>> np.random.seed(0); Tensor.randn(2, 3).shape
            Size([2, 3])
        """
        # standard_normal(size=()) is a 0-d sample, as torch.randn(()) (randn(*()) is a float)
        samples = np.random.standard_normal(size=shape_args(shape))
        return cls(np.asarray(samples, dtype or _default_dtype), requires_grad=requires_grad)

    @classmethod
    def rand(cls, *shape, requires_grad=False, dtype=None) -> Tensor:
        """Uniform samples in [0, 1) from NumPy's global random state."""
        samples = np.random.random_sample(size=shape_args(shape))
        return cls(np.asarray(samples, dtype or _default_dtype), requires_grad=requires_grad)

    @classmethod
    def arange(cls, *args, requires_grad=False, dtype=None) -> Tensor:
        """``Tensor.arange(5)`` = [0, 1, 2, 3, 4] as floats, NumPy's arguments."""
        return cls(np.arange(*args, dtype=dtype or _default_dtype), requires_grad=requires_grad)

    # --- array facts ------------------------------------------------------------------
    # (shape, size() and dim() are the shape ops' own: see ops.shaping.ShapeMethods)
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    dtype = property(lambda self: self.data.dtype, doc="The dtype of ``data``.")

    def item(self) -> float:
        """The single element as a Python number: ``Tensor([[2.5]]).item()`` is 2.5."""
        return self.data.item()

    def tolist(self):
        """The data as (nested) Python lists of numbers, as ``torch.Tensor.tolist``."""
        return self.data.tolist()

    def numpy(self) -> np.ndarray:
        """The data array itself (not a copy), as ``torch.Tensor.numpy`` does.

        As in PyTorch, a tensor that requires grad must be detached first, and a GPU
        tensor copied to the CPU first.
        """
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        self._refuse_gpu()
        return self.data

    def _refuse_gpu(self) -> None:
        """NumPy cannot read GPU memory: say how to copy it, as PyTorch does."""
        if on_gpu(self.data):
            raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                            f"Tensor.cpu() to copy the tensor to host memory first.")

    def detach(self) -> Tensor:
        """The same data (shared, not copied) as a new leaf that needs no gradient."""
        return Tensor(self.data, dtype=self.data.dtype)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Start (or stop) recording operations on this leaf; returns the tensor."""
        if self.op is not None and not requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables; "
                               "use detach() to get a tensor that does not require grad")
        if requires_grad and self.data.dtype.kind != "f":
            raise RuntimeError(f"only Tensors of floating point dtype can require gradients, "
                               f"got {self.data.dtype}")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Keep this non-leaf's gradient after backward (chainrule keeps every node's
        gradient already, so that pictures and derivations can show them)."""

    @property
    def grad_fn(self):
        """The op that made this tensor (None for a leaf), as PyTorch's ``grad_fn``."""
        return self.op if self.requires_grad else None

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; if it returns a
        tensor, that replaces the gradient from then on. Returns a handle with ``remove()``.

            >>> from autograd import Tensor
            >>> x = Tensor([1.0, 2.0], requires_grad=True)
            >>> handle = x.register_hook(lambda g: g * 10)
            >>> (x * x).sum().backward(); x.grad
            tensor([20., 40.])
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        self._hooks = self._hooks + (hook,)
        return _HookHandle(self, hook)

    @staticmethod
    def _grad_hooks(node, grad):
        for hook in getattr(node, "_hooks", ()):
            result = hook(Tensor(grad, dtype=grad.dtype))
            if result is not None:
                grad = result.data if isinstance(result, Tensor) else _like(grad, result)
        return grad

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None,
                 *, grad=None) -> None:
        """Accumulate ∂self/∂x into ``x.grad`` for every x this tensor depends on.

        ``gradient`` (or ``grad``) seeds a non-scalar output, as PyTorch. The graph is
        kept after backward, so ``retain_graph`` is accepted and changes nothing.
        """
        if create_graph:
            raise NotImplementedError("backward(create_graph=True): higher-order gradients "
                                      "are not supported")
        engine.backward(self, gradient if gradient is not None else grad, inputs=inputs)

    def __array__(self, dtype=None, copy=None):
        # NumPy calls this for np.asarray(t), np.allclose(t, ...) and the like.
        self._refuse_gpu()
        if copy:
            return self.data.astype(dtype or self.data.dtype, copy=True)
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __format__(self, spec: str) -> str:
        """A one-element tensor formats as its number (``f"{loss:.4f}"``, and
        ``f"{acc}"`` prints ``90.20000457763672``), as in PyTorch; others as their repr."""
        if self.ndim == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

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
                    f"this Tensor has shape {tuple(self.shape)}; call .sum() or .mean() "
                    f"first, or pass gradient= an array of shape {tuple(self.shape)}")
            return kernels_for(self.data).xp.ones_like(self.data)
        grad = _like(self.data, grad.data if isinstance(grad, Tensor) else grad)
        if grad.shape != self.shape:
            raise ValueError(f"backward: grad has shape {grad.shape}, expected "
                             f"{tuple(self.shape)}")
        return grad

    def _check_graph(self, order: list) -> None:
        check_versions(order)  # an input modified in place after an op used it

    def _store_grad(self, grad: np.ndarray) -> None:
        if grad.dtype != self.data.dtype:  # an op mixed dtypes: float32 x + a float64 array
            grad = grad.astype(self.data.dtype)
        current = _grad_slot.__get__(self)
        if current is not None:
            grad = _array_of(current) + grad
        elif self.op is None and not ((type(grad) is np.ndarray or on_gpu(grad))
                                      and grad.flags.owndata
                                      and sys.getrefcount(grad) <= _ENGINE_REFERENCES):
            # A leaf's grad is the user's to modify in place, so it must share memory with
            # no other array: not one that ops passed along unchanged (add hands on its own
            # grad, reshape a view of it), nor the user's seed, nor one a hook kept. An array
            # that owns its memory and that only the engine refers to shares it with nothing:
            # the leaf keeps it, and the copy (a tenth of a 784×1024 layer's step) is saved.
            # PyTorch's AccumulateGrad decides the same way, from the gradient's use count.
            grad = grad.copy()
        if isinstance(grad, np.generic):  # arithmetic on 0-d arrays gives NumPy scalars
            grad = np.asarray(grad)
        _grad_slot.__set__(self, grad)

    @property
    def grad(self) -> Tensor | None:
        """∂(output)/∂self after ``output.backward()``: a Tensor of this tensor's shape
        (None until a backward pass reaches it). It accumulates over backward passes, as
        in PyTorch; ``w.grad.zero_()`` or ``w.grad = None`` resets it.

            >>> w = Tensor([1.0, 2.0], requires_grad=True)
            >>> (w * w).sum().backward(); w.grad
            tensor([2., 4.])
        """
        grad = _grad_slot.__get__(self)
        if grad is None or isinstance(grad, Tensor):
            return grad
        # backward stores the bare array, and it becomes a Tensor when first read: most
        # of a graph's gradients (every intermediate node's) are never read.
        grad = _wrap(grad)
        _grad_slot.__set__(self, grad)
        return grad

    def _grad_array(self):
        """The array behind :attr:`grad` (None without one), read without making it a
        Tensor: the optimizers read every parameter's on every step."""
        return _array_of(_grad_slot.__get__(self))

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            value = value if isinstance(value, Tensor) else _wrap(_like(self.data, value))
            if value.shape != self.shape:
                raise RuntimeError(f"assigned grad has data of a different size: "
                                   f"{tuple(value.shape)}, expected {tuple(self.shape)}")
        _grad_slot.__set__(self, value)

    def _reset_grad(self) -> None:
        _grad_slot.__set__(self, None)

    def __repr__(self) -> str:
        """PyTorch's layout: ``tensor([1., 2.], requires_grad=True)``; dtypes other than
        the default float and int64 are shown, then the label and the op that made a node
        (``grad_fn=<MulBackward>``); pictures of the graph keep their own labels."""
        body = np.array2string(to_host(self.data), separator=", ", prefix="tensor(")
        shown = self.dtype not in (_default_dtype, np.int64, np.bool_) or self.data.size == 0
        extras = [f"dtype={self.dtype}"] if shown else []
        if self.device.type != "cpu":
            extras.insert(0, f"device='{self.device}'")
        if self.label:
            extras.append(f"label={self.label!r}")
        if self.op is not None and self.requires_grad:
            extras.append(f"grad_fn={self.op!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"tensor({body}{''.join(', ' + e for e in extras)})"

    # Comparisons are elementwise and give bool tensors that need no gradient, as in
    # PyTorch (a Tensor stays hashable by identity: see Node.__init_subclass__).
    def __eq__(self, other): return _compare(operator.eq, self, other)
    def __ne__(self, other): return _compare(operator.ne, self, other)
    def __lt__(self, other): return _compare(operator.lt, self, other)
    def __le__(self, other): return _compare(operator.le, self, other)
    def __gt__(self, other): return _compare(operator.gt, self, other)
    def __ge__(self, other): return _compare(operator.ge, self, other)



#: Where a Tensor keeps its gradient: the engine's ``grad`` slot, behind Tensor's property.
_grad_slot = Node.grad


def _count_of_a_local() -> int:
    """``sys.getrefcount`` of an object that one local variable holds: 2 (the variable and
    getrefcount's own argument), or 1 on a Python that lends the argument."""
    held = object()
    return sys.getrefcount(held)


#: ``sys.getrefcount`` of a gradient that only the engine holds, seen in ``_store_grad``:
#: its own ``grad``, and the ``node_grad`` and ``grad`` of engine.backward and chain_rule.
_ENGINE_REFERENCES = _count_of_a_local() + 2


def _like(array, values):
    """``values`` (an array, a list, a number) as an array of ``array``'s dtype and module."""
    return kernels_for(array).xp.asarray(values, dtype=array.dtype)


def _array_of(grad):
    """A gradient as stored, a Tensor or the array that backward left, as an array."""
    return grad.data if isinstance(grad, Tensor) else grad


def _wrap(array) -> Tensor:
    """A leaf Tensor around ``array`` (kept as it is), built without __init__'s checks:
    the gradients that are read are wrapped on every training step."""
    out = Tensor.__new__(Tensor)
    out.data, out.label, out.op, out.parents, out.ctx = array, "", None, (), None
    out.requires_grad, out.tags, out._version, out._hooks = False, (), 0, ()
    _grad_slot.__set__(out, None)
    return out


class _HookHandle:
    """What ``register_hook`` returns: ``handle.remove()`` takes the hook away."""

    def __init__(self, tensor: Tensor, hook):
        self.tensor, self.hook = tensor, hook

    def remove(self) -> None:
        self.tensor._hooks = tuple(h for h in self.tensor._hooks if h is not self.hook)


# The ops make Tensors: they find the class here.
Op.node_type = Tensor
