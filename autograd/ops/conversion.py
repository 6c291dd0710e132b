"""Changing a tensor's dtype or device, and copying it: ``x.double()``, ``x.to("cuda")``,
``x.clone()``. A conversion between float dtypes, or between devices, passes the gradient
back converted the other way; a conversion to an integer or bool dtype leaves the graph
(such tensors cannot require grad, as in PyTorch)."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..dtypes import as_dtype, device_of
from ..op import Op


def move(array, to: dtypes.device):
    """``array`` on device ``to``: NumPy for "cpu", CuPy for "cuda"."""
    where = device_of(array)
    if where == to or (to.type == where.type and to.index is None):
        return array
    if to.type == "cpu":
        return array.get()
    gpu = dtypes.gpu_module()
    with gpu.cuda.Device(to.index or 0):
        return gpu.asarray(array)


class Convert(Op):
    """The same values in another dtype or on another device; the gradient goes back in
    the input's dtype, on the input's device."""

    name = "to"
    expression = "{0}.to({to})"
    formulas = ("{g}.to({0}'s dtype and device)",)

    def forward(self, a, dtype=None, to=None, copy=False):
        out = a if to is None else move(a, to)
        if dtype is not None and out.dtype != dtype:
            out = out.astype(dtype)
        elif copy and out is a:
            out = a.copy()
        return out, (a.dtype, device_of(a))

    def backward(self, node, g):
        dtype, where = node.ctx
        return (move(g, where).astype(dtype, copy=False),)

    def describe(self, node) -> dict:
        return {"to": f"{node.data.dtype}, {device_of(node.data)}"}


convert = Convert()


class ConversionMethods:
    """The Tensor methods that change dtype or device, or copy (``Tensor`` inherits them)."""

    __slots__ = ()

    @property
    def device(self) -> dtypes.device:
        """Where the data lives: ``device(type='cpu')`` for NumPy arrays."""
        return device_of(self.data)

    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
        """``x.to(float64)``, ``x.to("cuda")``, ``x.to("cpu", float32)``, ``x.to(other)``.

        Returns ``x`` itself when nothing changes, as PyTorch.

            >>> from autograd import Tensor
            >>> Tensor([1.0]).to(np.float64).dtype
            dtype('float64')
        """
        for arg in args:
            if isinstance(arg, (str, dtypes.device)):
                device = arg
            elif isinstance(arg, self.__class__):
                dtype, device = arg.dtype, arg.device
            else:
                dtype = arg
        dtype = as_dtype(dtype)
        to = None if device is None else dtypes.device(device)
        here = to is None or to == self.device or (to.index is None and to.type == self.device.type)
        if (dtype is None or dtype == self.dtype) and here and not copy:
            return self
        if dtype is not None and dtype.kind not in "fc":  # integers and bools leave the graph
            return convert(self.detach(), dtype=dtype, to=to)
        return convert(self, dtype=dtype, to=to, copy=copy)

    def cpu(self):
        """The tensor on the CPU (itself if it is there)."""
        return self.to("cpu")

    def cuda(self, device=None):
        """The tensor on the GPU (``device`` picks one of several)."""
        return self.to("cuda" if device is None else f"cuda:{int(device)}")

    def float(self): return self.to(np.float32)
    def double(self): return self.to(np.float64)
    def half(self): return self.to(np.float16)
    def long(self): return self.to(np.int64)
    def int(self): return self.to(np.int32)
    def bool(self): return self.to(np.bool_)

    def type(self, dtype=None):
        """With a dtype: the tensor in that dtype. Without: the dtype's name."""
        return str(self.dtype) if dtype is None else self.to(dtype)

    def clone(self):
        """A copy of the data that stays in the graph (its gradient flows back).

            >>> from autograd import Tensor
            >>> x = Tensor([1.0]); y = x.clone(); y.data[0] = 5; x.data[0]
            np.float32(1.0)
        """
        return convert(self, copy=True)
