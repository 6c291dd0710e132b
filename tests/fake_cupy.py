"""A stand-in for CuPy: NumPy's arithmetic behind CuPy's rules, for machines without a GPU.

CI has no GPU, yet every op must run on CuPy arrays. This module is an array module shaped
like CuPy's (``fake_cupy.exp``, ``fake_cupy.zeros``, ``fake_cupy.add.at``, ``.get()``, the
``cuda`` namespace) whose arrays, like CuPy's, refuse to be handed to NumPy:
``np.exp(x)``, ``np.asarray(x)``, ``np.concatenate([x])`` raise TypeError, and so does
mixing one with a NumPy array (``x + np.ones(2)``). An op that reaches for ``np.`` instead
of the array module its data came from fails here, in CI, as it would on a GPU.

Only the names in :data:`CUPY_NAMES` exist: each was checked to exist in CuPy 14, so code
that passes here does not call a function that CuPy lacks. Add a name only after checking
CuPy has it (``hasattr(cupy, name)``, or on ``cupy.ndarray`` for a method).

    >>> import fake_cupy as xp
    >>> x = xp.arange(3.0)
    >>> (xp.exp(x) * 2).sum().item() == float(2 * np.exp(np.arange(3.0)).sum())
    True
    >>> np.exp(x)
    Traceback (most recent call last):
    TypeError: ...
"""

from __future__ import annotations

import operator
import types

import numpy as np

#: The functions, ufuncs and submodules used on device arrays, each present in CuPy 14.
CUPY_NAMES = frozenset("""
    abs absolute acos acosh add all allclose amax amin any arange arccos arccosh arcsin
    arcsinh arctan arctan2 arctanh argmax argmin argsort around array array_equal asarray
    ascontiguousarray asin asinh atan atanh atleast_1d bitwise_and bitwise_not bitwise_or
    bitwise_xor bool_ broadcast_arrays broadcast_to ceil clip concatenate copysign copyto cos
    cosh count_nonzero cumprod cumsum diag diagonal diff divide dot dtype e einsum empty
    empty_like equal exp exp2 expand_dims expm1 eye finfo flip float16 float32 float64
    floor floor_divide fmax fmin full full_like greater greater_equal heaviside hypot
    iinfo inf int16 int32 int64 int8 intp invert isclose isfinite isinf isnan isscalar
    left_shift lib lib.stride_tricks lib.stride_tricks.as_strided
    lib.stride_tricks.sliding_window_view linalg linalg.det linalg.inv linalg.norm
    linalg.solve linspace log log10 log1p log2 logaddexp logical_and logical_not
    logical_or logical_xor logspace matmul max maximum mean min minimum mod moveaxis
    multiply nan nanmax nanmin ndarray ndim negative newaxis nonzero not_equal ones
    ones_like outer pad pi power prod random random.seed ravel reciprocal remainder repeat
    reshape result_type right_shift rint roll round searchsorted sign signbit sin sinh
    sort split sqrt square squeeze stack std subtract sum swapaxes take take_along_axis
    tan tanh tensordot tile trace transpose tril triu true_divide trunc uint8 unique var
    where zeros zeros_like
""".split())


class ndarray:  # noqa: N801 - CuPy's name
    """A device array: a NumPy array that only this module's functions and the array's own
    methods and operators may touch."""

    __slots__ = ("_array",)
    __array_ufunc__ = None  # np.exp(x), np.add(a, x): NumPy's ufuncs refuse it
    __hash__ = None

    def __init__(self, array: np.ndarray):
        self._array = array

    def __array__(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. "
                        "Please use `.get()` to construct a NumPy array explicitly.")

    def __array_function__(self, func, types, args, kwargs):
        raise TypeError(f"np.{func.__name__} was called on a device array; "
                        f"use the array module the data came from")

    def get(self) -> np.ndarray:
        """The array copied to the host, as CuPy's ``get()``."""
        return self._array.copy()

    @property
    def device(self):
        return cuda.Device(0)

    def __getattr__(self, name):
        if not name.startswith("_") and name not in _NDARRAY_NAMES:
            raise AttributeError(f"{name!r}: not a method checked against cupy.ndarray")
        return _wrap(getattr(self._array, name))

    def __len__(self): return len(self._array)
    def __iter__(self): return (_wrap(row) for row in self._array)
    def __bool__(self): return bool(self._array)
    def __float__(self): return float(self._array)
    def __int__(self): return int(self._array)
    def __index__(self): return operator.index(self._array)
    def __complex__(self): return complex(self._array)
    def __repr__(self): return repr(self._array).replace("array(", "fake_cupy.array(", 1)
    def __str__(self): return str(self._array)

    def __setitem__(self, index, value):
        self._array[_unwrap(index)] = _unwrap(value)

    def __getitem__(self, index):
        return _wrap(self._array[_unwrap(index)])


# The methods of cupy.ndarray that code may call (each checked against CuPy 14).
_NDARRAY_NAMES = frozenset("""
    T all any argmax argmin argsort astype clip copy cumprod cumsum diagonal dot dtype
    fill flags flatten imag item itemsize max mean min nbytes ndim nonzero prod ravel real
    reshape round shape size sort squeeze std strides sum swapaxes take tolist trace
    transpose var view
""".split())


def _operator(name: str):
    def apply(self, *others):
        return _wrap(getattr(self._array, name)(*(_unwrap(o) for o in others)))
    apply.__name__ = name
    return apply


for _name in ("add sub mul truediv floordiv mod pow matmul and or xor lshift rshift "
              "lt le eq ne gt ge neg pos abs invert").split():
    for _form in ("__{}__", "__r{}__", "__i{}__"):
        if _form != "__{}__" and _name in ("lt", "le", "eq", "ne", "gt", "ge", "neg", "pos",
                                            "abs", "invert"):
            continue
        setattr(ndarray, _form.format(_name), _operator(_form.format(_name)))


def _unwrap(x):
    """The NumPy array behind a device array; NumPy arrays themselves are refused, as
    CuPy refuses them (a NumPy scalar is a number and passes)."""
    if type(x) is ndarray:
        return x._array
    if isinstance(x, np.ndarray):
        raise TypeError("Unsupported type <class 'numpy.ndarray'>: a NumPy array met a "
                        "device array (move it with .to(device) first)")
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(item) for item in x)
    if isinstance(x, dict):
        return {key: _unwrap(value) for key, value in x.items()}
    return x


def _wrap(x):
    """Device arrays for NumPy's results: arrays, and scalars as 0-d arrays (CuPy's
    reductions return 0-d arrays, not scalars)."""
    if isinstance(x, np.ndarray):
        return ndarray(x)
    if isinstance(x, np.generic):
        return ndarray(np.asarray(x))
    if isinstance(x, tuple):
        return tuple(_wrap(item) for item in x)
    if isinstance(x, list):
        return [_wrap(item) for item in x]
    if callable(x) and not isinstance(x, type):
        return _on_device(x)
    return x


def _on_device(function):
    """``function`` taking and giving device arrays."""
    def call(*args, **kwargs):
        return _wrap(function(*_unwrap(args), **_unwrap(kwargs)))
    return call


class _Ufunc:
    """A ufunc whose calls and methods (``add.at``, ``maximum.reduce``) take device arrays."""

    def __init__(self, ufunc: np.ufunc):
        self._ufunc = ufunc

    def __call__(self, *args, **kwargs):
        return _wrap(self._ufunc(*_unwrap(args), **_unwrap(kwargs)))

    def __getattr__(self, name):
        return _wrap(getattr(self._ufunc, name))


def asarray(data, dtype=None, order=None):
    """Data moved to the device (NumPy arrays, lists, numbers, device arrays); a device
    array already of that dtype is returned itself, as CuPy returns it."""
    if type(data) is ndarray:
        if dtype is None or np.dtype(dtype) == data._array.dtype:
            return data
        return ndarray(data._array.astype(dtype))
    return ndarray(np.array(data, dtype=dtype, order=order))


def array(data, dtype=None, copy=True, order="K"):
    return ndarray(np.array(_unwrap(data) if type(data) is ndarray else data, dtype=dtype,
                            copy=copy, order=order))


def asnumpy(x) -> np.ndarray:
    """The host copy of a device array (NumPy data passes through)."""
    return x.get() if type(x) is ndarray else np.asarray(x)


def get_array_module(*arrays):
    import sys
    return sys.modules[__name__] if any(type(a) is ndarray for a in arrays) else np


class _Namespace(types.SimpleNamespace):
    """A submodule (``linalg``, ``random``, ``lib.stride_tricks``) of checked names."""

    def __init__(self, prefix: str, module):
        super().__init__()
        self._prefix, self._module = prefix, module

    def __getattr__(self, name):
        return _lookup(self._module, f"{self._prefix}{name}", name)


def _lookup(module, qualified: str, name: str):
    if qualified not in CUPY_NAMES:
        raise AttributeError(f"fake_cupy has no {qualified!r}: check that CuPy has it, then "
                             f"add it to CUPY_NAMES")
    value = getattr(module, name)
    if isinstance(value, types.ModuleType):
        return _Namespace(qualified + ".", value)
    if isinstance(value, np.ufunc):
        return _Ufunc(value)
    if isinstance(value, type) or not callable(value):
        return value  # dtypes, finfo, constants
    return _on_device(value)


def __getattr__(name: str):
    if name.startswith("_"):  # pytest and doctest asking what this module is
        raise AttributeError(name)
    return _lookup(np, name, name)


class _Device:
    """``cuda.Device(i)``: a context that selects a GPU, and waits for it."""

    def __init__(self, index: int = 0):
        self.id = int(index)

    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def synchronize(self): pass
    def __eq__(self, other): return isinstance(other, _Device) and other.id == self.id
    def __hash__(self): return hash(self.id)


cuda = types.SimpleNamespace(
    Device=_Device,
    runtime=types.SimpleNamespace(getDeviceCount=lambda: 1),
)
