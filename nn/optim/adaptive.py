"""Optimizers that give each weight its own step size from its squared gradients so far:
Adagrad (their sum), RMSprop (a decaying average) and Adadelta (a decaying average that
also sets the scale of the steps)."""

from __future__ import annotations

from autograd.kernels import kernels_for

from .optimizer import Optimizer, buffer, next_step


class Adagrad(Optimizer):
    """Adagrad: each weight's step shrinks with the sum of its squared gradients.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adagrad([w], lr=0.1)
        >>> (w * w).sum().backward(); opt.step()        # sum = 2² = 4
        >>> w                                           # 1 − 0.1 · 2 / √4
        tensor([0.9], requires_grad=True)

    PyTorch's rule at step t, for a gradient g (−g with ``maximize``): g ← g + λθ;
    s ← s + g²; θ ← θ − lr_t·g / (√s + ε) with lr_t = lr / (1 + (t − 1)·lr_decay).

    State: ``opt.state[p]``: ``step`` (t, a count) and ``sum`` (s, shaped like p, starting
    at ``initial_accumulator_value``).

    A course's ``G ← G + g²; θ ← θ − lr·g / √(G + ε)`` puts ε inside the root. Take
    ``eps=0`` and carry the course's ε in the sum, ``sum = G₀ + ε``:

        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adagrad([w], lr=0.1, eps=0.0)
        >>> import numpy as np
        >>> opt.state[w]["sum"] = np.array([5.0]) + 1e-8   # G₀ = 5
        >>> (w * w).sum().backward(); opt.step()        # G = 5 + 2² = 9
        >>> w                                           # 1 − 0.1 · 2 / √9
        tensor([0.93333334], requires_grad=True)
    """

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize))

    def _update(self, param, grad, state, group):
        step = next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        total = buffer(state, "sum", param, group["initial_accumulator_value"])
        total += grad * grad
        lr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        param -= lr * grad / (kernels_for(param).xp.sqrt(total) + group["eps"])


class RMSprop(Optimizer):
    """RMSprop: divide by a running root-mean-square of recent gradients.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = RMSprop([w], lr=0.01, alpha=0.9)
        >>> (w * w).sum().backward(); opt.step()        # square_avg = 0.1 · 2² = 0.4
        >>> w                                           # 1 − 0.01 · 2 / √0.4
        tensor([0.96837723], requires_grad=True)

    PyTorch's rule, for a gradient g (−g with ``maximize``): g ← g + λθ;
    v ← αv + (1 − α)g²; with ``centered``, m ← αm + (1 − α)g and v̂ = v − m², else v̂ = v;
    d = g / (√v̂ + ε); with momentum μ, b ← μb + d and θ ← θ − lr·b, else θ ← θ − lr·d.

    State: ``opt.state[p]``: ``step`` (a count), ``square_avg`` (v), ``momentum_buffer`` (b,
    with momentum), ``grad_avg`` (m, when centered); each array shaped like p.

    A course's ``E ← βE + (1 − β)g²; θ ← θ − lr·g / √(E + ε)`` (β is PyTorch's ``alpha``)
    puts ε inside the root. Take ``eps=0`` and carry ε in the average; PyTorch decays it
    before adding g², so it goes in as ``square_avg = E₀ + ε/β`` (then β(E₀ + ε/β) = βE₀ + ε):

        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = RMSprop([w], lr=0.1, alpha=0.9, eps=0.0)
        >>> import numpy as np
        >>> opt.state[w]["square_avg"] = np.array([1.0]) + 1e-8 / 0.9   # E₀ = 1
        >>> (w * w).sum().backward(); opt.step()        # E = 0.9 · 1 + 0.1 · 2² = 1.3
        >>> w                                           # 1 − 0.1 · 2 / √1.3
        tensor([0.8245884], requires_grad=True)
    """

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False,
                 *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered,
                                      maximize=maximize))

    def _update(self, param, grad, state, group):
        next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        alpha = group["alpha"]
        square_avg = buffer(state, "square_avg", param)
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = buffer(state, "grad_avg", param)
            grad_avg *= alpha
            grad_avg += (1 - alpha) * grad
            avg = kernels_for(param).xp.sqrt(square_avg - grad_avg * grad_avg)
        else:
            avg = kernels_for(param).xp.sqrt(square_avg)
        direction = grad / (avg + group["eps"])
        if group["momentum"]:
            buf = buffer(state, "momentum_buffer", param)
            buf *= group["momentum"]
            buf += direction
            direction = buf
        param -= group["lr"] * direction


class Adadelta(Optimizer):
    """Adadelta: RMSprop whose step size comes from a running average of the steps
    themselves, so that the update has the units of the weights (Zeiler, 2012).

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adadelta([w], rho=0.9, eps=1e-6)
        >>> (w * w).sum().backward(); opt.step()        # v = 0.1 · 2² = 0.4
        >>> w                                           # 1 − √(0 + ε) / √(0.4 + ε) · 2
        tensor([0.99683774], requires_grad=True)

    PyTorch's rule, for a gradient g (−g with ``maximize``): g ← g + λθ;
    v ← ρv + (1 − ρ)g²; Δ = √(u + ε) / √(v + ε) · g; u ← ρu + (1 − ρ)Δ²; θ ← θ − lr·Δ.
    The paper's rule is ``lr=1``, the default.

    State: ``opt.state[p]``: ``step`` (a count), ``square_avg`` (v, the average of g²) and
    ``acc_delta`` (u, the average of Δ²), each shaped like p. A course's E[g²] and E[Δx²]
    go in as they are: ε sits inside both roots here too.
    """

    def __init__(self, params, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0.0, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))

    def _update(self, param, grad, state, group):
        next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        rho, eps = group["rho"], group["eps"]
        square_avg = buffer(state, "square_avg", param)
        square_avg *= rho
        square_avg += (1 - rho) * grad * grad
        acc_delta = buffer(state, "acc_delta", param)
        xp = kernels_for(param).xp
        delta = xp.sqrt(acc_delta + eps) / xp.sqrt(square_avg + eps) * grad
        acc_delta *= rho
        acc_delta += (1 - rho) * delta * delta
        param -= group["lr"] * delta
