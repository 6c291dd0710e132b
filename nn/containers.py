"""Containers, as PyTorch's: ``Sequential``, ``ModuleList``, ``ModuleDict``, ``ParameterList``
and ``ParameterDict``.

Each keeps its items in one dict, under the names ``state_dict`` shows (``0``, ``1``, ...
for the sequences, the keys for the dicts), so ``self.blocks = ModuleList([...])`` gives
the keys ``blocks.0.weight``, ``blocks.1.weight``, ... as in PyTorch. An item is also an
attribute: ``model.encoder`` for a ``ModuleDict`` key, ``getattr(seq, "0")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np  # noqa: F401  (the examples use it)

from autograd import Tensor

from .module import Module, Parameter, _leaves


class _Container(Module):
    """What the containers share: their items by name, found by the parameter walk, and
    read as attributes."""

    _kind = "Module"  # what the items must be

    def __init__(self):
        super().__init__()
        self._items = {}

    def _members(self):
        yield from super()._members()
        for name, item in self._items.items():
            yield from _leaves(name, item)

    def __getattr__(self, name: str):
        # only called when normal lookup fails; _items itself must not recurse here
        items = self.__dict__.get("_items")
        if items is not None and name in items:
            return items[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _check(self, item):
        if self._kind == "Module" and not isinstance(item, Module):
            raise TypeError(f"{type(self).__name__}: expected a Module, got "
                            f"{type(item).__name__}")
        if self._kind == "Parameter" and not isinstance(item, Tensor):
            raise TypeError(f"{type(self).__name__}: expected a Parameter, got "
                            f"{type(item).__name__}")
        # a plain tensor becomes a Parameter, as in PyTorch's ParameterList
        if self._kind == "Parameter" and not isinstance(item, Parameter):
            return Parameter(item.data, dtype=item.dtype)
        return item

    def __len__(self) -> int:
        return len(self._items)


class _Sequence(_Container):
    """A list of items named by their positions ``0``, ``1``, ...: ``ModuleList``,
    ``ParameterList`` and, with a forward, ``Sequential``."""

    def __init__(self, items: Iterable = ()):
        super().__init__()
        self.extend(items)

    def _renumber(self, items: list) -> None:
        self._items = {str(i): item for i, item in enumerate(items)}

    def _index(self, index: int) -> int:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range for {type(self).__name__} of "
                             f"length {len(self)}")
        return index % len(self)

    def __getitem__(self, index):
        items = list(self._items.values())
        if isinstance(index, slice):
            return type(self)(items[index])
        return items[self._index(index)]

    def __setitem__(self, index: int, item) -> None:
        self._items[str(self._index(index))] = self._check(item)

    def __delitem__(self, index) -> None:
        items = list(self._items.values())
        del items[index if isinstance(index, slice) else self._index(index)]
        self._renumber(items)

    def __iter__(self):
        return iter(list(self._items.values()))

    def __iadd__(self, items: Iterable):
        return self.extend(items)

    def __add__(self, other: Iterable):
        return type(self)([*self, *other])

    def append(self, item):
        """Add ``item`` at the end; returns the container."""
        self._items[str(len(self))] = self._check(item)
        return self

    def extend(self, items: Iterable):
        """Add each of ``items`` at the end; returns the container."""
        for item in items:
            self.append(item)
        return self

    def insert(self, index: int, item) -> None:
        """Put ``item`` before position ``index``."""
        items = list(self._items.values())
        items.insert(index, self._check(item))
        self._renumber(items)

    def pop(self, index: int = -1):
        """Remove the item at ``index`` and return it."""
        item = self[index]
        del self[index]
        return item


class Sequential(_Sequence):
    """Modules applied one after another; children named ``0``, ``1``, ... as PyTorch's.

        >>> from nn import Linear, Sigmoid
        >>> model = Sequential(Linear(64, 80), Sigmoid(), Linear(80, 10))
        >>> model(np.zeros((5, 64))).shape
        Size([5, 10])

    A single dict argument names the children by its keys instead.
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], Mapping):
            super().__init__()
            for name, layer in layers[0].items():
                self.add_module(str(name), layer)
        else:
            super().__init__(layers)

    def add_module(self, name: str, module: Module) -> None:
        self._items[name] = self._check(module)

    def append(self, module: Module, name: str | None = None) -> Sequential:
        """Add ``module`` at the end (named by its position unless ``name`` is given)."""
        self._items[name or str(len(self))] = self._check(module)
        return self

    def __getitem__(self, index):
        items = list(self._items.items())
        if isinstance(index, slice):
            return Sequential(dict(items[index]))
        return items[self._index(index)][1]

    def forward(self, x):
        for layer in self._items.values():
            x = layer(x)
        return x


class ModuleList(_Sequence):
    """A list of modules whose parameters the network owns, named ``0``, ``1``, ...

        >>> from nn import Linear
        >>> class Deep(Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.blocks = ModuleList([Linear(4, 4) for _ in range(3)])
        ...     def forward(self, x):
        ...         for block in self.blocks: x = block(x)
        ...         return x
        >>> list(Deep().state_dict())[:3]
        ['blocks.0.weight', 'blocks.0.bias', 'blocks.1.weight']
    """

    def __repr__(self) -> str:
        # PyTorch's: runs of equal children share one line, such as "(0-2): 3 x Linear(...)"
        if not self._items:
            return "ModuleList()"
        lines, items = [], list(self._items.items())
        start = 0
        while start < len(items):
            text = repr(items[start][1])
            end = start + 1
            while end < len(items) and repr(items[end][1]) == text:
                end += 1
            name = items[start][0] if end - start == 1 else \
                f"{items[start][0]}-{items[end - 1][0]}"
            count = "" if end - start == 1 else f"{end - start} x "
            lines.append(f"  ({name}): {count}" + text.replace("\n", "\n  "))
            start = end
        return "ModuleList(\n" + "\n".join(lines) + "\n)"


class _Mapping(_Container):
    """A dict of items by name: ``ModuleDict`` and ``ParameterDict``."""

    def __init__(self, items: Mapping | Iterable | None = None):
        super().__init__()
        if items is not None:
            self.update(items)

    def __getitem__(self, key: str):
        return self._items[key]

    def __setitem__(self, key: str, item) -> None:
        self._items[str(key)] = self._check(item)

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __iter__(self):
        return iter(list(self._items))

    def keys(self):
        """The names, in the order they were added."""
        return self._items.keys()

    def values(self):
        """The items, in the order they were added."""
        return self._items.values()

    def items(self):
        """``(name, item)`` pairs, in the order they were added."""
        return self._items.items()

    def update(self, items: Mapping | Iterable) -> None:
        """Add (or replace) the items of a dict or of ``(name, item)`` pairs."""
        for key, item in (items.items() if isinstance(items, Mapping) else items):
            self[key] = item

    def pop(self, key: str):
        """Remove the item ``key`` and return it."""
        return self._items.pop(key)

    def clear(self) -> None:
        """Remove every item."""
        self._items.clear()


class ModuleDict(_Mapping):
    """A dict of modules whose parameters the network owns, named by their keys.

        >>> from nn import Linear
        >>> heads = ModuleDict({"digit": Linear(8, 10), "parity": Linear(8, 2)})
        >>> heads["parity"], list(heads.state_dict())[2]
        (Linear(in_features=8, out_features=2, bias=True), 'parity.weight')
    """


class ParameterList(_Sequence):
    """A list of parameters, named ``0``, ``1``, ...; a plain tensor becomes a Parameter.

        >>> from autograd import Tensor
        >>> scales = ParameterList([Parameter(np.ones(3)) for _ in range(2)])
        >>> [name for name, _ in scales.named_parameters()]
        ['0', '1']
    """

    _kind = "Parameter"

    def __repr__(self) -> str:
        # PyTorch's: one line per parameter with its dtype and size, not its numbers
        lines = [f"    ({name}): Parameter containing: [{p.dtype} of size "
                 f"{'x'.join(map(str, p.shape))}]" for name, p in self._items.items()]
        return f"{type(self).__name__}(" + "".join(f"\n{line}" for line in lines) + \
            ("\n)" if lines else ")")


class ParameterDict(_Mapping):
    """A dict of parameters, named by their keys; a plain tensor becomes a Parameter.

        >>> biases = ParameterDict({"a": Parameter(np.zeros(2))})
        >>> list(biases.state_dict())
        ['a']
    """

    _kind = "Parameter"

    __repr__ = ParameterList.__repr__
