"""Optimizers with PyTorch's exact update rules, and learning-rate schedulers.

Each optimizer writes its rule once, as ``_update(param, grad, state, group)`` on NumPy
arrays, updating ``param`` in place. A ``Tensor`` parameter hands over its ``data`` and
``grad`` arrays directly; a scalar ``Value`` is viewed as a 0-d array for the update and
written back, so micrograd-style networks train with the very same rules.

Per-parameter state lives in ``opt.state[param]`` under PyTorch's keys (``step``,
``momentum_buffer``, ``sum``, ``square_avg``, ``exp_avg``, ``exp_avg_sq``,
``max_exp_avg_sq``). State that a user puts there before a step is used as found, so a
homework's "velocity so far" can be pre-filled.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from autograd import Value


def _buffer(state: dict, key: str, param: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """``state[key]`` as an array shaped and typed like ``param`` (created filled with
    ``fill`` if absent), so that the rules can update it in place."""
    buf = state.get(key)
    if buf is None:
        buf = np.full_like(param, fill)
    elif not (isinstance(buf, np.ndarray) and buf.dtype == param.dtype):
        buf = np.array(buf, dtype=param.dtype)  # e.g. a list, a float, or a torch tensor
    if buf.shape != param.shape:
        raise ValueError(f"optimizer state {key!r} has shape {buf.shape}, but its parameter "
                         f"has shape {param.shape}")
    state[key] = buf
    return buf


def _next_step(state: dict) -> int:
    state["step"] = int(state.get("step", 0)) + 1
    return state["step"]


class Optimizer:
    """Base class: holds ``param_groups`` (lists of parameters with their hyperparameters)
    and ``state``; subclasses define ``_update``.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)       # or model.parameters()
        >>> opt = SGD([w], lr=0.1)
        >>> loss = (w * w).sum()                        # ∂loss/∂w = 2w = 2
        >>> loss.backward(); opt.step(); opt.zero_grad()
        >>> w                                           # 1 − 0.1 · 2
        Tensor([0.8], requires_grad=True)

    ``params`` is an iterable of parameters, or of dicts ``{"params": [...], "lr": ...}``
    to give groups their own hyperparameters, as in PyTorch.
    """

    def __init__(self, params, defaults: dict):
        if defaults.get("lr", 0.0) < 0:
            raise ValueError(f"{type(self).__name__}: invalid learning rate {defaults['lr']}")
        self.defaults = defaults
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
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

    def add_param_group(self, group: dict) -> None:
        """Add parameters with hyperparameters of their own (the rest are the defaults)."""
        self.param_groups.append({**self.defaults, **group, "params": list(group["params"])})

    def zero_grad(self) -> None:
        """Forget the gradients of all parameters (``None`` for Tensors, 0 for Values)."""
        for group in self.param_groups:
            for p in group["params"]:
                p._reset_grad()

    def step(self) -> None:
        """Update every parameter that has a gradient, once."""
        for group in self.param_groups:
            for p in group["params"]:
                if isinstance(p, Value):
                    data = np.array(p.data)
                    self._update(data, np.array(p.grad), self.state[p], group)
                    p.data = float(data)
                elif p.grad is not None:
                    self._update(p.data, p.grad, self.state[p], group)

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError  # pragma: no cover - each optimizer defines its rule

    def state_dict(self) -> dict:
        """``{"state": {index: {...}}, "param_groups": [...]}`` with parameters replaced by
        their position, as PyTorch's (the arrays are copies)."""
        index = {id(p): i for i, p in enumerate(self._all_params())}
        groups = [{**group, "params": [index[id(p)] for p in group["params"]]}
                  for group in self.param_groups]
        state = {index[id(p)]: {k: np.array(v) if isinstance(v, np.ndarray) else v
                                for k, v in s.items()}
                 for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what :meth:`state_dict` saved, onto the same parameters in the same order."""
        params = self._all_params()
        saved_groups = state_dict["param_groups"]
        if [len(g["params"]) for g in saved_groups] != \
                [len(g["params"]) for g in self.param_groups]:
            raise ValueError("load_state_dict: the saved parameter groups have different sizes "
                             "from this optimizer's")
        for group, saved in zip(self.param_groups, saved_groups):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = defaultdict(dict)
        for i, s in state_dict["state"].items():
            self.state[params[int(i)]] = {k: np.array(v) if isinstance(v, np.ndarray) else v
                                          for k, v in s.items()}

    def _all_params(self) -> list:
        return [p for group in self.param_groups for p in group["params"]]

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov and weight decay.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> for step in range(2):                       # b = 2, then 0.9 · 2 + 1.6 = 3.4
        ...     (w * w).sum().backward(); opt.step(); opt.zero_grad()
        >>> w                                           # 1 − 0.1 · 2 − 0.1 · 3.4
        Tensor([0.46], requires_grad=True)

    PyTorch's rule: g ← g + λθ; b ← μb + (1 − τ)g (b ← g at the first step);
    g ← g + μb (Nesterov) or g ← b; θ ← θ − lr·g. A textbook velocity
    ``v = μv + lr·g; θ -= v`` is the same with v = lr·b.
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    def _update(self, param, grad, state, group):
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        momentum = group["momentum"]
        if momentum:
            if "momentum_buffer" in state:
                buf = _buffer(state, "momentum_buffer", param)
                buf *= momentum
                buf += (1 - group["dampening"]) * grad
            else:
                buf = state["momentum_buffer"] = np.array(grad, dtype=param.dtype)
            grad = grad + momentum * buf if group["nesterov"] else buf
        param -= group["lr"] * grad


class Adagrad(Optimizer):
    """Adagrad: each weight's step shrinks with the sum of its squared gradients.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adagrad([w], lr=0.1)
        >>> (w * w).sum().backward(); opt.step()        # sum = 2² = 4
        >>> w                                           # 1 − 0.1 · 2 / √4
        Tensor([0.9], requires_grad=True)

    PyTorch's rule: g ← g + λθ; s ← s + g²; θ ← θ − lr_t·g / (√s + ε) with
    lr_t = lr / (1 + (t − 1)·lr_decay).
    """

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps))

    def _update(self, param, grad, state, group):
        step = _next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        total = _buffer(state, "sum", param, group["initial_accumulator_value"])
        total += grad * grad
        lr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        param -= lr * grad / (np.sqrt(total) + group["eps"])


class RMSprop(Optimizer):
    """RMSprop: divide by a running root-mean-square of recent gradients.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = RMSprop([w], lr=0.01, alpha=0.9)
        >>> (w * w).sum().backward(); opt.step()        # square_avg = 0.1 · 2² = 0.4
        >>> w                                           # 1 − 0.01 · 2 / √0.4
        Tensor([0.96837723], requires_grad=True)

    PyTorch's rule: g ← g + λθ; v ← αv + (1 − α)g²; d = g / (√v + ε);
    with momentum b ← μb + d, θ ← θ − lr·b, else θ ← θ − lr·d.
    """

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum))

    def _update(self, param, grad, state, group):
        _next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        alpha = group["alpha"]
        square_avg = _buffer(state, "square_avg", param)
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        direction = grad / (np.sqrt(square_avg) + group["eps"])
        if group["momentum"]:
            buf = _buffer(state, "momentum_buffer", param)
            buf *= group["momentum"]
            buf += direction
            direction = buf
        param -= group["lr"] * direction


class Adam(Optimizer):
    """Adam: momentum on the gradient and on its square, both bias-corrected.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adam([w], lr=0.01)
        >>> (w * w).sum().backward(); opt.step()        # the first step is lr · sign(g)
        >>> w
        Tensor([0.99], requires_grad=True)

    PyTorch's rule at step t: g ← g + λθ; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
    m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ) (with ``amsgrad``, the running max of v);
    θ ← θ − lr·m̂ / (√v̂ + ε).
    """

    decoupled_weight_decay = False

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad))

    def _update(self, param, grad, state, group):
        step = _next_step(state)
        lr, (beta1, beta2), decay = group["lr"], group["betas"], group["weight_decay"]
        if decay and self.decoupled_weight_decay:
            param *= 1 - lr * decay
        elif decay:
            grad = grad + decay * param
        exp_avg = _buffer(state, "exp_avg", param)
        exp_avg *= beta1
        exp_avg += (1 - beta1) * grad
        exp_avg_sq = _buffer(state, "exp_avg_sq", param)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
        if group["amsgrad"]:
            max_exp_avg_sq = _buffer(state, "max_exp_avg_sq", param)
            np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
            exp_avg_sq = max_exp_avg_sq
        denom = np.sqrt(exp_avg_sq) / math.sqrt(1 - beta2**step) + group["eps"]
        param -= lr / (1 - beta1**step) * exp_avg / denom


class AdamW(Adam):
    """Adam with decoupled weight decay: θ ← θ(1 − lr·λ) before Adam's step, instead of
    adding λθ to the gradient.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = AdamW([w], lr=1e-3, weight_decay=0.01)
        >>> (w * w).sum().backward(); opt.step()        # 1 · (1 − 1e-3 · 0.01) − 1e-3
        >>> w
        Tensor([0.99899], requires_grad=True)
    """

    decoupled_weight_decay = True

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


# --- learning-rate schedulers ---------------------------------------------------------


class LRScheduler:
    """Sets each group's ``lr`` from its initial value and the epoch count; call
    ``step()`` once per epoch, after the optimizer's steps."""

    def __init__(self, optimizer: Optimizer):
        self.optimizer = optimizer
        self.base_lrs = [group["lr"] for group in optimizer.param_groups]
        self.last_epoch = 0

    def lr_at(self, base_lr: float, epoch: int) -> float:
        raise NotImplementedError  # pragma: no cover - each scheduler defines its schedule

    def step(self) -> None:
        self.last_epoch += 1
        for group, base_lr in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self.lr_at(base_lr, self.last_epoch)

    def get_last_lr(self) -> list[float]:
        """The learning rate of each group now."""
        return [group["lr"] for group in self.optimizer.param_groups]


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

        >>> from autograd import Tensor
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=0.1)
        >>> scheduler = StepLR(opt, step_size=10, gamma=0.5)
        >>> for epoch in range(30):
        ...     scheduler.step()                        # after each epoch's training
        >>> scheduler.get_last_lr()                     # 0.1 · 0.5³
        [0.0125]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1):
        super().__init__(optimizer)
        self.step_size, self.gamma = step_size, gamma

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch.

        >>> from autograd import Tensor
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=0.1)
        >>> scheduler = ExponentialLR(opt, gamma=0.5)
        >>> for epoch in range(3):
        ...     scheduler.step()                        # after each epoch's training
        >>> scheduler.get_last_lr()                     # 0.1 · 0.5³
        [0.0125]
    """

    def __init__(self, optimizer: Optimizer, gamma: float):
        super().__init__(optimizer)
        self.gamma = gamma

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma**epoch
