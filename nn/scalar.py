"""A multilayer perceptron built from scalar ``Value`` nodes, as in micrograd: every
weight, every product and every sum is one node of the graph, small enough to draw.

    >>> model = MLP(2, [16, 16, 1])
    >>> score = model([2.0, -1.0])             # a Value
    >>> score.backward()

These are ordinary Modules: ``parameters()``, ``zero_grad()`` and ``state_dict()`` work,
and so do the optimizers of ``nn.optim``. Each call is tagged with its module, as every
Module's is, so ``viz.draw_graph`` frames each neuron and layer, names a neuron's
parameters ``w.0``, ``w.1``, ``b`` inside its frame, and folds a big network's neurons
into one box each.
"""

from __future__ import annotations

import numpy as np

from autograd import Value

from .module import Module

_ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


def as_values(x) -> list[Value]:
    """The inputs as Values, a number becoming a constant Value (a Value stays itself).

        >>> as_values([2.0, Value(3.0)])
        [Value(data=2, grad=0), Value(data=3, grad=0)]
    """
    return [xi if isinstance(xi, Value) else Value(float(xi)) for xi in x]


class Neuron(Module):
    """One unit: act(Σᵢ wᵢxᵢ + b), weights drawn from U(−1, 1) (NumPy's global random
    state), bias 0.

        >>> n = Neuron(2)
        >>> n([1.0, 2.0])
        Value(data=..., grad=0)
    """

    def __init__(self, nin: int, activation: str = "relu"):
        super().__init__()
        if activation not in _ACTIVATIONS:
            raise ValueError(f"Neuron: activation must be one of {', '.join(_ACTIVATIONS)}, "
                             f"got {activation!r}")
        self.w = [Value(w) for w in np.random.uniform(-1, 1, nin)]
        self.b = Value(0.0)
        self.activation = activation

    def forward(self, x) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        x = as_values(x)
        total = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return total if self.activation == "linear" else getattr(total, self.activation)()

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation})"


class Layer(Module):
    """``nout`` neurons that all see the same inputs.

        >>> layer = Layer(2, 3)
        >>> len(layer([1.0, 2.0]))
        3
    """

    def __init__(self, nin: int, nout: int, activation: str = "relu"):
        super().__init__()
        self.neurons = [Neuron(nin, activation) for _ in range(nout)]

    def forward(self, x) -> list[Value]:
        x = as_values(x)  # once for all neurons: one node per input in the graph
        return [n(x) for n in self.neurons]

    def __repr__(self) -> str:
        first = self.neurons[0]
        return f"Layer({len(first.w)}, {len(self.neurons)}, {first.activation})"


class MLP(Module):
    """Layers of sizes ``nouts`` on ``nin`` inputs; hidden layers use ``activation``, the
    last is linear. A single output comes back as a Value, several as a list.

        >>> model = MLP(2, [16, 16, 1])
        >>> len(model.parameters())
        337
    """

    def __init__(self, nin: int, nouts: list[int], activation: str = "relu"):
        super().__init__()
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1],
                             activation if i < len(nouts) - 1 else "linear")
                       for i in range(len(nouts))]

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x
