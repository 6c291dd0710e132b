"""The optimizer base class: parameter groups, per-parameter state, ``step``,
``zero_grad``, and saving and loading, as ``torch.optim.Optimizer``.

Each optimizer writes its rule once, as ``_update(param, grad, state, group)`` on arrays
(NumPy's, or CuPy's on a GPU), updating ``param`` in place. A ``Tensor`` parameter hands over
its ``data`` and ``grad`` arrays directly; a scalar ``Value`` is viewed as a 0-d array for
the update and written back, so micrograd-style networks train with the very same rules.
Each parameter's update is independent of the others', so on the CPU the parameters are
shared out among the threads (:func:`autograd.threads.split`), with the same numbers.

Every rule is elementwise (each weight's new value depends on that weight's gradient and
state alone), so it gives the same numbers on a group's small parameters laid end to end
as one vector (:class:`_Together`), and runs once there instead of once per parameter.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

from autograd import Tensor, Value, enable_grad
from autograd.kernels import kernels_for
from autograd.threads import map_chunks, split


def buffer(state: dict, key: str, param: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """``state[key]`` as an array shaped and typed like ``param`` (created filled with
    ``fill`` if absent), so that a rule can update it in place.

    State that a user put there before a step is used as found, converted if it is a list,
    a number or another library's tensor: a course's "velocity so far" can be pre-filled.
    """
    buf = state.get(key)
    if type(buf) is type(param) and buf.dtype == param.dtype and buf.shape == param.shape:
        return buf  # the array a previous step made: the common case, checked first
    xp = kernels_for(param).xp
    if buf is None:
        buf = xp.full_like(param, fill)
    else:  # a copy in the parameter's dtype (astype copies, also from a torch tensor)
        buf = xp.asarray(buf).astype(param.dtype)
    if buf.shape != param.shape:
        raise ValueError(f"optimizer state {key!r} has shape {buf.shape}, but its parameter "
                         f"has shape {param.shape}")
    state[key] = buf
    return buf


def next_step(state: dict) -> int:
    """Count one more step in ``state["step"]`` (a pre-filled count goes on from there)."""
    state["step"] = int(state.get("step", 0)) + 1
    return state["step"]


#: Parameters with fewer elements than this are updated together, as one vector per
#: group: for them the Python around each of a rule's dozen NumPy calls costs more than
#: the arithmetic (Lab 03's 64-80-70-10 Adam step: 0.13 ms one by one, 0.05 together),
#: while for larger ones copying into and out of the vector would cost more than it saves.
_TOGETHER_BELOW = 1 << 14


class _Together:
    """Some parameters of one group laid end to end as one vector, with their state, so
    that a rule updates them all with one call of each of its NumPy operations.

    ``state`` is the vector's: one array per key (``exp_avg``, ...) and the counts the
    parameters share (``step``). Each parameter's own ``opt.state[p][key]`` is its piece
    of that array, a view shaped like p: users see PyTorch's per-parameter state, which
    the next step updates in place. State that is not such a piece (the first step, a
    pre-filled or loaded state) is gathered into new vectors.
    """

    def __init__(self, params: list, states: list[dict]):
        self.params = params
        ends = itertools.accumulate(p.data.size for p in params)
        self.pieces = [slice(end - p.data.size, end) for p, end in zip(params, ends)]
        xp = kernels_for(params[0].data).xp
        self.state = {key: xp.concatenate([s[key].ravel() for s in states])
                      if _is_array(value) else value for key, value in states[0].items()}
        self.views: list[dict] = [{} for _ in params]  # each parameter's pieces
        self.cut: dict = {}  # the state array that each key's pieces were cut from

    def holds(self, params: list, states: list[dict]) -> bool:
        """Whether ``params`` are this vector's, and their states still its pieces and
        counts (nothing replaced them since the last step)."""
        if len(params) != len(self.params):
            return False
        counts = [(key, value) for key, value in self.state.items() if not _is_array(value)]
        for p, mine, state, views in zip(params, self.params, states, self.views):
            if p is not mine or len(state) != len(self.state):
                return False
            for key, view in views.items():
                if state.get(key) is not view:
                    return False
            for key, count in counts:
                if state.get(key) != count:
                    return False
        return True

    def vectors(self, grads: list) -> tuple:
        """The parameters and their gradients, each as one vector."""
        xp = kernels_for(grads[0]).xp
        return (xp.concatenate([p.data.ravel() for p in self.params]),
                xp.concatenate([g.ravel() for g in grads]))

    def write_back(self, param, states: list[dict]) -> None:
        """Copy the updated vector into the parameters, and hand each parameter's state
        its pieces of the state arrays and the shared counts."""
        counts = {}
        for key, value in self.state.items():
            if not _is_array(value):
                counts[key] = value
            elif value is not self.cut.get(key):  # an array new this step: cut it up
                self.cut[key] = value
                for views, p, piece in zip(self.views, self.params, self.pieces):
                    views[key] = value[piece].reshape(p.data.shape)
        for p, piece, state, views in zip(self.params, self.pieces, states, self.views):
            p.data[...] = param[piece].reshape(p.data.shape)
            state.update(views)
            state.update(counts)


def _is_array(value) -> bool:
    """State with one number per weight, rather than one for the whole parameter (its
    step count, NAdam's μ product)."""
    return not isinstance(value, (int, float))


def _can_go_together(params: list, states: list[dict]) -> bool:
    """Whether one rule call on the vector gives each parameter its own update: the same
    dtype and array module everywhere, the same state keys, the same counts (one that
    skipped a step has another), and state arrays shaped like their parameters (others
    are converted, or refused with their name, by the one-by-one rule)."""
    first, first_state = params[0].data, states[0]
    for p, state in zip(params, states):
        if (type(p.data) is not type(first) or p.data.dtype != first.dtype
                or state.keys() != first_state.keys()):
            return False
        for key, value in state.items():
            if _is_array(first_state[key]):
                if (type(value) is not type(first) or value.dtype != first.dtype
                        or value.shape != p.data.shape):
                    return False
            elif _is_array(value) or value != first_state[key]:
                return False
    return True


class Optimizer:
    """Base class: holds ``param_groups`` (lists of parameters with their hyperparameters)
    and ``state``; subclasses define ``_update``.

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> w = Tensor([1.0], requires_grad=True)       # or model.parameters()
        >>> opt = SGD([w], lr=0.1)
        >>> loss = (w * w).sum()                        # ∂loss/∂w = 2w = 2
        >>> loss.backward(); opt.step(); opt.zero_grad()
        >>> w                                           # 1 − 0.1 · 2
        tensor([0.8], requires_grad=True)

    ``params`` is an iterable of parameters, or of dicts ``{"params": [...], "lr": ...}``
    that give groups their own hyperparameters (the others are the optimizer's), as in
    PyTorch. Every optimizer takes ``maximize=True`` to step up the gradient instead.
    """

    def __init__(self, params, defaults: dict):
        if defaults.get("lr", 0.0) < 0:
            raise ValueError(f"{type(self).__name__}: invalid learning rate {defaults['lr']}")
        self.defaults = defaults
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        self._together: dict[int, _Together] = {}  # by group index
        if callable(params):  # e.g. model.parameters, not model.parameters()
            name = getattr(params, "__name__", "function")
            raise TypeError(f"{type(self).__name__} got the {name} method itself; call "
                            f"model.parameters(): {type(self).__name__}(model.parameters(), ...)")
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list; did the "
                             "model register its weights as nn.Parameter?")
        for group in params if isinstance(params[0], dict) else [{"params": params}]:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add parameters with hyperparameters of their own (the rest are the defaults),
        e.g. layers unfrozen while fine-tuning.

            >>> from autograd import Tensor
            >>> from nn.optim import SGD
            >>> a, b = Tensor([1.0], requires_grad=True), Tensor([1.0], requires_grad=True)
            >>> opt = SGD([a], lr=0.1)
            >>> opt.add_param_group({"params": [b], "lr": 0.01})
            >>> [group["lr"] for group in opt.param_groups]
            [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered "
                            "collections, but the ordering of tensors in sets will change "
                            "between runs. Please use a list instead.")
        params = [params] if isinstance(params, (Tensor, Value)) else list(params)
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in taken for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append({**self.defaults, **param_group, "params": params})

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of all parameters: ``None`` for Tensors (or zeros, with
        ``set_to_none=False``), 0 for Values."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none or isinstance(p, Value) or p._grad_array() is None:
                    p._reset_grad()
                else:
                    p._grad_array()[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient, once. ``closure``, if given, is
        called first (with gradients recorded) and its loss returned, as in PyTorch."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        updates = []  # (param, grad, state, group): a Tensor parameter, or a _Together
        together = []  # (_Together, its updated vector, its parameters' states)
        for index, group in enumerate(self.param_groups):
            maximize = group["maximize"]
            alone, small = [], []
            for p in group["params"]:
                if isinstance(p, Value):
                    data = np.array(p.data)
                    grad = np.array(-p.grad if maximize else p.grad)
                    self._update(data, grad, self.state[p], group)
                    p.data = float(data)
                elif p._grad_array() is not None:
                    (small if p.data.size < _TOGETHER_BELOW else alone).append(p)
            states = [self.state[p] for p in small]
            vector = self._vector(index, small, states)
            if vector is None:
                alone += small
            else:
                param, grad = vector.vectors([p._grad_array() for p in small])
                updates.append((param, -grad if maximize else grad, vector.state, group))
                together.append((vector, param, states))
            updates += [(p.data, -p._grad_array() if maximize else p._grad_array(),
                         self.state[p], group) for p in alone]
        map_chunks(self._update_each, split(updates, [param for param, *_ in updates]))
        for vector, param, states in together:
            vector.write_back(param, states)
        return loss

    def _vector(self, index: int, params: list, states: list[dict]) -> _Together | None:
        """Group ``index``'s small parameters as one vector: the last step's while their
        states are still its pieces, else a new one; None if they cannot go together."""
        vector = self._together.get(index)
        if vector is not None and vector.holds(params, states):
            return vector
        if len(params) < 2 or not _can_go_together(params, states):
            return None
        vector = self._together[index] = _Together(params, states)
        return vector

    def _update_each(self, updates: list) -> None:
        for update in updates:
            self._update(*update)

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError  # pragma: no cover - each optimizer defines its rule

    def state_dict(self) -> dict:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``:
        PyTorch's structure, each parameter replaced by its position across the groups
        (the arrays are copies).

            >>> from autograd import Tensor
            >>> from nn.optim import Adam
            >>> w = Tensor([1.0], requires_grad=True)
            >>> opt = Adam([w], lr=0.1)
            >>> (w * w).sum().backward(); opt.step()
            >>> saved = opt.state_dict()
            >>> saved["param_groups"][0]["params"], sorted(saved["state"][0])
            ([0], ['exp_avg', 'exp_avg_sq', 'step'])
        """
        index = {id(p): i for i, p in enumerate(self._all_params())}
        groups = [{**group, "params": [index[id(p)] for p in group["params"]]}
                  for group in self.param_groups]
        state = {index[id(p)]: {key: np.array(value) if isinstance(value, np.ndarray) else value
                                for key, value in s.items()}
                 for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what :meth:`state_dict` saved (here or in PyTorch, whose tensors are
        read as arrays) onto this optimizer's parameters, group by group in order.

        Each state array takes its parameter's dtype, except ``step``, which stays a
        count, as in PyTorch.
        """
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(saved["params"]) != len(group["params"])
               for saved, group in zip(saved_groups, self.param_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't "
                             "match the size of optimizer's group")
        param_of = {saved_id: p for saved, group in zip(saved_groups, self.param_groups)
                    for saved_id, p in zip(saved["params"], group["params"])}
        for group, saved in zip(self.param_groups, saved_groups):
            group.update({key: value for key, value in saved.items() if key != "params"})
        self.state = defaultdict(dict)
        for saved_id, saved_state in state_dict["state"].items():
            p = param_of[saved_id]
            dtype = np.asarray(p.data).dtype
            self.state[p] = {key: _loaded(key, value, dtype)
                             for key, value in saved_state.items()}

    def _all_params(self) -> list:
        return [p for group in self.param_groups for p in group["params"]]

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


def _loaded(key: str, value, dtype: np.dtype):
    """A saved state entry as this optimizer keeps it: a count for ``step``, a float for
    another single number (NAdam's ``mu_product``), else an array in the parameter's dtype
    (a copy; PyTorch's tensors are read as arrays)."""
    if key == "step":
        return int(float(value))
    if np.ndim(value) == 0:
        return float(value)
    return np.asarray(value).astype(dtype)
