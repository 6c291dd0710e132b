"""``Module`` and ``Parameter``: the building blocks of every network, shaped like PyTorch's.

A module finds its parameters by walking its own attributes, and the lists, tuples and
dicts among them, so a learner writes ``self.fc = Linear(2, 3)`` or
``self.layers = [Linear(2, 3), ReLU()]`` and nothing else. Names follow PyTorch
(``fc.weight``, ``layers.0.bias``), so ``state_dict`` keys match a PyTorch model of the
same architecture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from autograd import Tensor, Value, engine
from autograd.engine import tagging


class Parameter(Tensor):
    """A Tensor that a module learns: it requires grad, and ``Module.parameters()`` finds it.

        >>> w = Parameter(np.zeros((2, 3)))
        >>> w.requires_grad, w.shape
        (True, Size([2, 3]))
    """

    __slots__ = ()

    def __init__(self, data, dtype=None, label: str = ""):
        super().__init__(data, requires_grad=True, dtype=dtype, label=label)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


# Attributes that Module itself keeps; they hold no parameters, so the walk skips them.
_BOOKKEEPING = frozenset({"training", "_buffer_names", "_forward_hooks", "_parameters_named"})


def _leaves(prefix: str, value):
    """(name, leaf) for every Module, Parameter or Value in ``value``, looking inside
    lists, tuples and dicts, named ``prefix.0``, ``prefix.key`` as PyTorch's ModuleList
    and ModuleDict name theirs."""
    if isinstance(value, (Module, Parameter, Value)):
        yield prefix, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _leaves(f"{prefix}.{i}", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(f"{prefix}.{key}", item)


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` could not match, as PyTorch reports it."""
    missing_keys: list
    unexpected_keys: list


class RemovableHandle:
    """Returned by ``register_forward_hook``; ``handle.remove()`` takes the hook away."""

    def __init__(self, hooks: dict, key: int):
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self._key, None)


class Module:
    """Base class of layers and networks: subclass it, set attributes, write ``forward``.

        >>> from nn import Linear
        >>> class TwoLayer(Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.fc1, self.fc2 = Linear(4, 8), Linear(8, 2)
        ...     def forward(self, x): return self.fc2(self.fc1(x).relu())
        >>> [name for name, _ in TwoLayer().named_parameters()]
        ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']

    Parameters are the :class:`Parameter` (and, for ``nn.scalar``, ``Value``) objects
    among the attributes; submodules are the Module objects. Buffers are arrays that
    belong in ``state_dict`` but are not learned (BatchNorm's running statistics); declare
    them with :meth:`register_buffer`.
    """

    # Class-level defaults, so that a subclass that forgets super().__init__() still works.
    training = True
    _buffer_names: tuple = ()
    # Buffers that older checkpoints lack; loading one of those leaves them as they are.
    _optional_buffers: tuple = ()

    def __init__(self):
        self.training = True

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}: define forward(self, ...) to use "
                                  "this module")

    def __call__(self, *args, **kwargs):
        if not engine.tags.active and not vars(self).get("_parameters_named"):
            self._name_parameters()
        with tagging(self):  # tags the nodes this forward makes, for graph pictures
            out = self.forward(*args, **kwargs)
        hooks = vars(self).get("_forward_hooks")
        if hooks:
            for hook in list(hooks.values()):  # a list: a hook may remove itself
                replaced = hook(self, args, out)
                if replaced is not None:
                    out = replaced
        return out

    def _name_parameters(self) -> None:
        """Label each unlabelled parameter with its path in this (outermost) module, such
        as ``0.weight``, so that derivations and pictures call it by that name."""
        for name, parameter in self.named_parameters():
            if not parameter.label:
                parameter.label = name
        self._parameters_named = True

    # --- discovery ------------------------------------------------------------------
    def _members(self):
        """(name, leaf) for this module's own parameters and direct submodules, in the
        order their attributes were set."""
        for name, value in vars(self).items():
            if name not in _BOOKKEEPING:
                yield from _leaves(name, value)

    def named_children(self) -> list[tuple[str, Module]]:
        """The direct submodules with their names."""
        return [(name, m) for name, m in self._members() if isinstance(m, Module)]

    def children(self) -> list[Module]:
        """The direct submodules."""
        return [m for _, m in self.named_children()]

    def named_modules(self, prefix: str = "") -> list[tuple[str, Module]]:
        """This module (named ``prefix``, ``""`` at the top) and every submodule below it,
        parents before children, each module once."""
        found, seen, stack = [], set(), [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            found.append((name, module))
            stack.extend(reversed([(f"{name}.{child_name}" if name else child_name, child)
                                   for child_name, child in module.named_children()]))
        return found

    def modules(self) -> list[Module]:
        """This module and every submodule below it."""
        return [m for _, m in self.named_modules()]

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> list[tuple[str, Tensor]]:
        """``(name, parameter)`` pairs, each module's own before its children's, as in
        PyTorch; a parameter shared by two modules is listed once."""
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        found, seen = [], set()
        for module_name, module in modules:
            for name, leaf in module._members():
                if not isinstance(leaf, Module) and id(leaf) not in seen:
                    seen.add(id(leaf))
                    found.append((f"{module_name}.{name}" if module_name else name, leaf))
        return found

    def parameters(self, recurse: bool = True) -> list[Tensor]:
        """Every learnable parameter, ready for an optimizer: ``SGD(model.parameters())``."""
        return [p for _, p in self.named_parameters(recurse=recurse)]

    # --- buffers --------------------------------------------------------------------
    def register_buffer(self, name: str, array) -> None:
        """Keep ``array`` as attribute ``name`` and save it in ``state_dict``, unlearned.

            >>> m = Module(); m.register_buffer("running_mean", np.zeros(3))
            >>> list(m.state_dict())
            ['running_mean']
        """
        if name not in self._buffer_names:
            self._buffer_names = (*self._buffer_names, name)
        setattr(self, name, np.asarray(array))

    def named_buffers(self, prefix: str = "") -> list[tuple[str, np.ndarray]]:
        """``(name, array)`` for every buffer of this module and its submodules."""
        return [(f"{module_name}.{name}" if module_name else name, getattr(module, name))
                for module_name, module in self.named_modules(prefix)
                for name in module._buffer_names]

    def buffers(self) -> list[np.ndarray]:
        """Every buffer array."""
        return [b for _, b in self.named_buffers()]

    # --- modes and gradients ----------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Training mode for this module and all below it (Dropout drops, BatchNorm
        uses batch statistics); returns the module, so ``model.train()`` chains."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``None`` for Tensors, as PyTorch's default)."""
        for p in self.parameters():
            p._reset_grad()

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every submodule and this module, e.g. to initialise weights.

            >>> from nn import Linear, ReLU, Sequential
            >>> from nn.init import zeros_
            >>> def init(m):
            ...     if isinstance(m, Linear): zeros_(m.bias)
            >>> model = Sequential(Linear(2, 3), ReLU(), Linear(3, 1)).apply(init)
            >>> model[2].bias
            Parameter containing:
            tensor([0.], requires_grad=True)
        """
        for module in reversed(self.modules()):
            fn(module)
        return self

    def register_forward_hook(self, hook: Callable) -> RemovableHandle:
        """Call ``hook(module, inputs, output)`` after every forward pass of this module;
        a hook that returns something replaces the output.

            >>> from nn import Linear
            >>> layer = Linear(3, 2)
            >>> handle = layer.register_forward_hook(lambda m, i, o: print(o.shape))
            >>> out = layer(np.ones((4, 3)))
            Size([4, 2])
            >>> handle.remove()
        """
        hooks = vars(self).setdefault("_forward_hooks", {})
        key = max(hooks, default=-1) + 1
        hooks[key] = hook
        return RemovableHandle(hooks, key)

    # --- state ----------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and buffer by name, with PyTorch's keys and shapes.

            >>> from nn import Linear
            >>> Linear(3, 2).state_dict()["weight"].shape
            (2, 3)
        """
        return {key: np.array(owner.data if name is None else getattr(owner, name))
                for key, (owner, name) in self._state_slots().items()}

    def load_state_dict(self, state_dict, strict: bool = True) -> IncompatibleKeys:
        """Copy arrays (or PyTorch tensors) into the parameters and buffers of the same
        names. With ``strict`` every key must match; a wrong shape is always an error.
        Both are ``RuntimeError`` naming the key, as in PyTorch.

            >>> from nn import Linear
            >>> source, target = Linear(3, 2), Linear(3, 2)
            >>> target.load_state_dict(source.state_dict())
            IncompatibleKeys(missing_keys=[], unexpected_keys=[])
            >>> bool((target.weight.data == source.weight.data).all())
            True

        Everything is checked before anything is copied, so a failed load leaves the
        module as it was (PyTorch's copies the parameters that fit, then raises).
        """
        own = self._state_slots()
        missing = [key for key, (owner, name) in own.items() if key not in state_dict
                   and (name is None or name not in owner._optional_buffers)]
        unexpected = [key for key in state_dict if key not in own]
        if strict and (missing or unexpected):
            raise RuntimeError(f"load_state_dict for {type(self).__name__}: missing keys "
                               f"{missing}, unexpected keys {unexpected}")
        updates = []
        for key, (owner, name) in own.items():
            if key not in state_dict:
                continue
            value = np.asarray(state_dict[key])
            current = owner.data if name is None else np.asarray(getattr(owner, name))
            if np.shape(current) != value.shape:
                raise RuntimeError(f"load_state_dict: size mismatch for {key}: the checkpoint "
                                   f"has shape {value.shape}, the model has {np.shape(current)}")
            if value.dtype.kind not in "biuf":
                raise RuntimeError(f"load_state_dict: {key} holds {value.dtype} values, not "
                                   f"numbers")
            updates.append((owner, name, value, current))
        for owner, name, value, current in updates:
            if name is not None:  # a buffer: keep its dtype (num_batches_tracked is an int)
                setattr(owner, name, value.astype(current.dtype))
            elif isinstance(owner, Value):
                owner.data = float(value)
            else:  # in place, so that optimizers and views keep pointing at the same array
                owner.data[...] = value
        return IncompatibleKeys(missing, unexpected)

    def _state_slots(self, prefix: str = "") -> dict:
        """Where each state_dict key lives: ``(parameter, None)`` or ``(module, buffer name)``.
        A module used twice appears under both names, as in PyTorch's state_dict."""
        slots = {prefix + name: (leaf, None) for name, leaf in self.named_parameters(recurse=False)}
        slots.update({prefix + name: (self, name) for name in self._buffer_names})
        for name, child in self.named_children():
            slots.update(child._state_slots(f"{prefix}{name}."))
        return slots

    # --- printing -------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The arguments shown between the parentheses of ``repr``, e.g.
        ``in_features=64, out_features=80, bias=True``."""
        return ""

    def __repr__(self) -> str:
        children = self.named_children()
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        if self.extra_repr():
            lines.append("  " + self.extra_repr())
        for name, child in children:
            lines.append(f"  ({name}): " + repr(child).replace("\n", "\n  "))
        return "\n".join(lines) + "\n)"
