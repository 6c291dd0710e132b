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

from autograd import (
    Tensor,
    Value,
    device,
    engine,
    float16,
    float32,
    float64,
    get_default_dtype,
    no_grad,
)
from autograd.dtypes import to_host
from autograd.engine import tagging
from autograd.kernels import kernels_for


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


class UninitializedParameter(Parameter):
    """A parameter whose shape is not known yet, such as ``LazyLinear``'s weight before
    the first input: :meth:`materialize` gives it its array (and makes it a Parameter).

        >>> w = UninitializedParameter()
        >>> w
        <UninitializedParameter>
        >>> w.materialize((2, 3)); w.shape
        Size([2, 3])
    """

    __slots__ = ()

    def __init__(self, requires_grad: bool = True, device=None, dtype=None):
        super().__init__(np.empty(0, dtype or get_default_dtype()))
        self.requires_grad = requires_grad

    def materialize(self, shape: tuple, device=None, dtype=None) -> None:
        """Give the parameter an (uninitialised) array of ``shape``; it becomes a
        plain Parameter, the same object."""
        self.data = kernels_for(self.data).xp.empty(shape, dtype or self.dtype)  # same device
        self.__class__ = Parameter

    def __repr__(self) -> str:
        return "<UninitializedParameter>"


# Attributes that Module itself keeps; they hold no parameters, so the walk skips them.
_BOOKKEEPING = frozenset({"training", "_items", "_buffer_names", "_non_persistent",
                          "_forward_hooks", "_forward_pre_hooks", "_parameters_named"})


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


class _IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` could not match, as PyTorch reports it: it prints as
    ``<All keys matched successfully>`` when there is nothing to report."""
    missing_keys: list
    unexpected_keys: list

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
                f"unexpected_keys={self.unexpected_keys})")


IncompatibleKeys = _IncompatibleKeys


class RemovableHandle:
    """Returned by ``register_forward_hook``; ``handle.remove()`` takes the hook away."""

    def __init__(self, hooks: dict, key: int):
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self._key, None)


def _add_hook(module: Module, kind: str, hook: Callable) -> RemovableHandle:
    hooks = vars(module).setdefault(kind, {})
    key = max(hooks, default=-1) + 1
    hooks[key] = hook
    return RemovableHandle(hooks, key)


def _as_buffer(value) -> Tensor | None:
    """A buffer as the Tensor that holds it; an array keeps its dtype (ints included)."""
    if value is None or isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    return Tensor(array, dtype=array.dtype)


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
    among the attributes; submodules are the Module objects. Buffers are tensors that
    belong in ``state_dict`` but are not learned (BatchNorm's running statistics); declare
    them with :meth:`register_buffer`.
    """

    # Class-level defaults, so that a subclass that forgets super().__init__() still works.
    training = True
    _buffer_names: tuple = ()
    _non_persistent: frozenset = frozenset()
    # Buffers that older checkpoints lack; loading one of those leaves them as they are.
    _optional_buffers: tuple = ()

    def __init__(self):
        self.training = True

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}: define forward(self, ...) to use "
                                  "this module")

    def __call__(self, *args, **kwargs):
        own = vars(self)  # looked up once, and each kind of hook only where there are some:
        # every layer is called on every training step, mostly without hooks
        if not engine.tags.active and not own.get("_parameters_named"):
            self._name_parameters()
        if own.get("_forward_pre_hooks"):
            for hook in list(own["_forward_pre_hooks"].values()):  # a hook may remove itself
                replaced = hook(self, args)
                if replaced is not None:
                    args = replaced if isinstance(replaced, tuple) else (replaced,)
        with tagging(self):  # tags the nodes this forward makes, for graph pictures
            out = self.forward(*args, **kwargs)
        if own.get("_forward_hooks"):
            for hook in list(own["_forward_hooks"].values()):
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

    def named_modules(self, memo=None, prefix: str = "",
                      remove_duplicate: bool = True) -> list[tuple[str, Module]]:
        """This module (named ``prefix``, ``""`` at the top) and every submodule below it,
        parents before children, each module once (unless ``remove_duplicate=False``).

            >>> from nn import Linear, ReLU, Sequential
            >>> [name for name, _ in Sequential(Linear(2, 2), ReLU()).named_modules()]
            ['', '0', '1']
        """
        found, seen, stack = [], set() if memo is None else memo, [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if module in seen:  # modules hash by identity
                    continue
                seen.add(module)
            found.append((name, module))
            stack.extend(reversed([(f"{name}.{child_name}" if name else child_name, child)
                                   for child_name, child in module.named_children()]))
        return found

    def modules(self) -> list[Module]:
        """This module and every submodule below it."""
        return [m for _, m in self.named_modules()]

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> list[tuple[str, Tensor]]:
        """``(name, parameter)`` pairs, each module's own before its children's, as in
        PyTorch; a parameter shared by two modules is listed once."""
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        found, seen = [], set()
        for module_name, module in modules:
            for name, leaf in module._members():
                if isinstance(leaf, Module) or (remove_duplicate and id(leaf) in seen):
                    continue
                seen.add(id(leaf))
                found.append((f"{module_name}.{name}" if module_name else name, leaf))
        return found

    def parameters(self, recurse: bool = True) -> list[Tensor]:
        """Every learnable parameter, ready for an optimizer: ``SGD(model.parameters())``."""
        return [p for _, p in self.named_parameters(recurse=recurse)]

    def get_submodule(self, target: str) -> Module:
        """The submodule at a dotted path, such as ``"features.0"`` (``""``: this module).

            >>> from nn import Linear, Sequential
            >>> Sequential(Sequential(Linear(2, 3))).get_submodule("0.0")
            Linear(in_features=2, out_features=3, bias=True)
        """
        modules = dict(self.named_modules())
        if target not in modules:
            raise AttributeError(f"{type(self).__name__} has no submodule {target!r}")
        return modules[target]

    def get_parameter(self, target: str) -> Tensor:
        """The parameter at a dotted path, such as ``"0.weight"``."""
        parameters = dict(self.named_parameters())
        if target not in parameters:
            raise AttributeError(f"{type(self).__name__} has no parameter {target!r}")
        return parameters[target]

    # --- registering ------------------------------------------------------------------
    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add ``param`` as attribute ``name`` (``None`` for an absent one, such as a bias),
        as ``self.name = param`` does.

            >>> m = Module(); m.register_parameter("scale", Parameter(np.ones(2)))
            >>> [name for name, _ in m.named_parameters()]
            ['scale']
        """
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter "
                            f"'{name}' (nn.Parameter or None required)")
        setattr(self, name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add ``module`` as the child ``name``, as ``self.name = module`` does."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        setattr(self, name, module)

    register_module = add_module

    def register_buffer(self, name: str, tensor, persistent: bool = True) -> None:
        """Keep ``tensor`` as attribute ``name`` and save it in ``state_dict`` (unless not
        ``persistent``), unlearned; ``Module.to`` moves it with the parameters.

            >>> m = Module(); m.register_buffer("running_mean", np.zeros(3))
            >>> list(m.state_dict()), m.running_mean
            (['running_mean'], tensor([0., 0., 0.], dtype=float64))
        """
        if name not in self._buffer_names:
            self._buffer_names = (*self._buffer_names, name)
        self._non_persistent = (self._non_persistent - {name}) if persistent \
            else self._non_persistent | {name}
        setattr(self, name, _as_buffer(tensor))

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> list[tuple[str, Tensor]]:
        """``(name, tensor)`` for every buffer of this module and its submodules."""
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        return [(f"{module_name}.{name}" if module_name else name, getattr(module, name))
                for module_name, module in modules for name in module._buffer_names
                if getattr(module, name) is not None]

    def buffers(self, recurse: bool = True) -> list[Tensor]:
        """Every buffer tensor."""
        return [b for _, b in self.named_buffers(recurse=recurse)]

    # --- modes, gradients, dtypes and devices -----------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Training mode for this module and all below it (Dropout drops, BatchNorm
        uses batch statistics); returns the module, so ``model.train()`` chains."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Whether the parameters learn: ``model.requires_grad_(False)`` freezes them.

            >>> from nn import Linear
            >>> Linear(2, 3).requires_grad_(False).weight.requires_grad
            False
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient: ``None``, as PyTorch's default, or zeros."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p._reset_grad()
            else:
                p.grad.zero_()

    def _apply(self, convert: Callable[[Tensor], Tensor]) -> Module:
        """Replace the array of every parameter, gradient and buffer by ``convert``'s.
        The Parameter objects stay the same, so an optimizer made before keeps them."""
        with no_grad():
            for p in self.parameters():
                if isinstance(p, Tensor):
                    grad = p.grad
                    p.data = convert(p).data
                    p.grad = None if grad is None else convert(grad).data
            for module in self.modules():
                for name in module._buffer_names:
                    if getattr(module, name) is not None:
                        setattr(module, name, convert(getattr(module, name)))
        return self

    def to(self, *args, **kwargs) -> Module:
        """Move the parameters and buffers to a device (``"cpu"``, ``"cuda"``) and/or
        cast their floats to a dtype; returns the module, as PyTorch's.

            >>> from nn import Linear
            >>> import autograd
            >>> Linear(2, 3).to(autograd.float64).weight.dtype
            dtype('float64')

        Integer buffers (BatchNorm's ``num_batches_tracked``) keep their dtype.
        """
        def convert(t: Tensor) -> Tensor:
            if t.dtype.kind == "f":
                return t.to(*args, **kwargs)
            devices = [a for a in args if isinstance(a, (str, device))]
            return t.to(*devices[:1], device=kwargs.get("device"))
        return self._apply(convert)

    def cpu(self) -> Module:
        """``to("cpu")``."""
        return self.to("cpu")

    def cuda(self, device=None) -> Module:
        """``to("cuda")`` (``device`` picks one of several GPUs)."""
        return self.to("cuda" if device is None else f"cuda:{int(device)}")

    def double(self) -> Module:
        """Cast every float parameter and buffer to float64."""
        return self.to(float64)

    def float(self) -> Module:
        """Cast every float parameter and buffer to float32."""
        return self.to(float32)

    def half(self) -> Module:
        """Cast every float parameter and buffer to float16."""
        return self.to(float16)

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

    # --- hooks ------------------------------------------------------------------------
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
        return _add_hook(self, "_forward_hooks", hook)

    def register_forward_pre_hook(self, hook: Callable) -> RemovableHandle:
        """Call ``hook(module, inputs)`` before every forward pass of this module; a hook
        that returns something (a tuple, or one input) replaces the inputs.

            >>> from nn import Linear
            >>> layer = Linear(3, 2)
            >>> handle = layer.register_forward_pre_hook(lambda m, i: print(i[0].shape))
            >>> out = layer(np.ones((4, 3)))
            (4, 3)
        """
        return _add_hook(self, "_forward_pre_hooks", hook)

    # --- state ----------------------------------------------------------------------
    def state_dict(self, *, destination=None, prefix: str = "", keep_vars: bool = False) -> dict:
        """Every parameter and persistent buffer by name, with PyTorch's keys and shapes.

            >>> from nn import Linear
            >>> Linear(3, 2).state_dict()["weight"].shape
            Size([2, 3])

        As in PyTorch the tensors share their memory with the module (they are detached,
        unless ``keep_vars``): training changes them too, so keep a snapshot with
        ``copy.deepcopy(model.state_dict())``.
        """
        destination = {} if destination is None else destination
        for key, (owner, name) in self._state_slots(prefix).items():
            value = owner if name is None else getattr(owner, name)
            if not keep_vars:  # a scalar Value has no array to share: its number, then
                value = Tensor(value.data, dtype=np.float64) if isinstance(value, Value) \
                    else value.detach()
            destination[key] = value
        return destination

    def load_state_dict(self, state_dict, strict: bool = True) -> _IncompatibleKeys:
        """Copy tensors or arrays (or PyTorch tensors) into the parameters and buffers of
        the same names. With ``strict`` every key must match; a wrong shape is always an
        error. Both are ``RuntimeError`` naming the key, as in PyTorch.

            >>> from nn import Linear
            >>> source, target = Linear(3, 2), Linear(3, 2)
            >>> target.load_state_dict(source.state_dict())
            <All keys matched successfully>
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
            value = state_dict[key]
            value = value.detach() if hasattr(value, "detach") else value
            # a GPU model's checkpoint loads on the CPU, and the other way round
            value = to_host(value.data) if isinstance(value, Tensor) else np.asarray(value)
            target = owner if name is None else getattr(owner, name)
            if isinstance(target, UninitializedParameter):  # a lazy layer takes the shape
                target.materialize(value.shape)
            shape = () if isinstance(target, Value) else tuple(target.shape)
            if shape != value.shape:
                raise RuntimeError(f"load_state_dict: size mismatch for {key}: the checkpoint "
                                   f"has shape {value.shape}, the model has {shape}")
            if value.dtype.kind not in "biuf":
                raise RuntimeError(f"load_state_dict: {key} holds {value.dtype} values, not "
                                   f"numbers")
            updates.append((target, value))
        for target, value in updates:
            if isinstance(target, Value):
                target.data = float(value)
            else:  # in place, in the tensor's own dtype (num_batches_tracked is an int), so
                # that optimizers and views keep the same array
                target.data[...] = kernels_for(target.data).xp.asarray(value)
        return _IncompatibleKeys(missing, unexpected)

    def _state_slots(self, prefix: str = "") -> dict:
        """Where each state_dict key lives: ``(parameter, None)`` or ``(module, buffer name)``.
        A module used twice appears under both names, as in PyTorch's state_dict."""
        slots = {prefix + name: (leaf, None) for name, leaf in self.named_parameters(recurse=False)}
        slots.update({prefix + name: (self, name) for name in self._buffer_names
                      if name not in self._non_persistent and getattr(self, name) is not None})
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
            lines.extend("  " + line for line in self.extra_repr().split("\n"))
        for name, child in children:
            lines.append(f"  ({name}): " + repr(child).replace("\n", "\n  "))
        return "\n".join(lines) + "\n)"
