"""``summary(model, input_shape)``: the Keras / torchinfo table of a network's layers.

It runs the model once on zeros of shape ``(1, *input_shape)``, without a graph, and a
forward hook on each layer records the shape of its output. Any Module works: a row is
each module that has no submodules (a layer) or holds parameters of its own, with the
number of those parameters.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from autograd import Tensor, get_default_dtype, no_grad

from .module import Module


class LayerRow(NamedTuple):
    """One line of the table."""
    name: str
    kind: str
    output_shape: tuple
    params: int


def _shape(output) -> tuple | list:
    """The shape with the batch axis shown as None (Keras's convention); a list of them
    for a layer that returns several outputs."""
    if isinstance(output, (tuple, list)):
        return [_shape(o) for o in output]
    return (None, *np.shape(output.data if isinstance(output, Tensor) else output)[1:])


def _count(parameters) -> int:
    return sum(int(np.size(p.data)) for p in parameters)


class Summary:
    """What :func:`summary` returns: ``rows``, ``total_params``, ``trainable_params``;
    ``str(summary)`` is the table.

        >>> from nn import Linear, Sequential, Sigmoid
        >>> s = summary(Sequential(Linear(64, 80), Sigmoid(), Linear(80, 10)), (64,))
        >>> s.total_params, s.trainable_params
        (6010, 6010)
    """

    def __init__(self, model: Module, rows: list[LayerRow]):
        self.model_name = type(model).__name__
        self.rows = rows
        parameters = model.parameters()
        self.total_params = _count(parameters)
        self.trainable_params = _count(p for p in parameters if p.requires_grad)

    def __str__(self) -> str:
        cells = [(f"{r.name} ({r.kind})", str(r.output_shape), f"{r.params:,}") for r in self.rows]
        header = ("Layer (type)", "Output Shape", "Param #")
        widths = [max(len(row[i]) for row in [header, *cells]) + 4 for i in range(3)]
        line = lambda row: "".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
        rule = "=" * sum(widths)
        return "\n".join([
            f'Model: "{self.model_name}"', rule, line(header), rule, *map(line, cells), rule,
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.total_params - self.trainable_params:,}",
            rule,
        ])

    __repr__ = __str__  # Jupyter shows the table too


def _recorder(rows: list, name: str, params: int):
    """A forward hook that appends the row of the module it is attached to."""
    def record(module, inputs, output):
        rows.append(LayerRow(name, type(module).__name__, _shape(output), params))
    return record


def summary(model: Module, input_shape: tuple, dtype=None) -> Summary:
    """Each layer's output shape and parameter count, and the totals.

        >>> from nn import Linear, Sequential, Sigmoid
        >>> model = Sequential(Linear(64, 80), Sigmoid(), Linear(80, 10))
        >>> print(summary(model, (64,)))          # input_shape without the batch axis
        Model: "Sequential"
        ===========================================
        Layer (type)    Output Shape    Param #
        ===========================================
        0 (Linear)      (None, 80)      5,200
        1 (Sigmoid)     (None, 80)      0
        2 (Linear)      (None, 10)      810
        ===========================================
        Total params: 6,010
        Trainable params: 6,010
        Non-trainable params: 0
        ===========================================

    ``dtype`` is that of the zeros fed in (by default the first parameter's dtype).
    """
    parameters = model.parameters()
    if dtype is None:
        dtype = parameters[0].data.dtype if parameters else get_default_dtype()
    rows, handles = [], []
    for name, module in model.named_modules():
        own = module.parameters(recurse=False)
        if own or not module.children():
            handles.append(module.register_forward_hook(
                _recorder(rows, name or type(module).__name__, _count(own))))
    modes = {module: module.training for module in model.modules()}
    model.eval()  # a batch of one must pass BatchNorm and Dropout as at inference
    try:
        with no_grad():
            model(np.zeros((1, *input_shape), dtype=dtype))
    finally:
        for handle in handles:
            handle.remove()
        for module, training in modes.items():
            module.training = training
    return Summary(model, rows)
