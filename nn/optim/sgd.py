"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from .optimizer import Optimizer, buffer


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov and weight decay.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> for step in range(2):                       # b = 2, then 0.9 · 2 + 1.6 = 3.4
        ...     (w * w).sum().backward(); opt.step(); opt.zero_grad()
        >>> w                                           # 1 − 0.1 · 2 − 0.1 · 3.4
        tensor([0.46], requires_grad=True)

    PyTorch's rule, for a gradient g (−g with ``maximize``):

    * g ← g + λθ (``weight_decay`` λ);
    * with momentum μ: b ← μb + (1 − τ)g (``dampening`` τ; b ← g at the first step), then
      g ← g + μb with ``nesterov``, else g ← b;
    * θ ← θ − lr·g.

    State: ``opt.state[p]["momentum_buffer"]`` (b, shaped like p), with momentum only.

    A course's velocity ``v ← γv + lr·g; θ ← θ − v`` is the same rule with v = lr·b, so a
    velocity v₀ written down by hand goes in as ``momentum_buffer = v₀ / lr``:

        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> import numpy as np
        >>> opt.state[w]["momentum_buffer"] = np.array([0.5]) / 0.1   # v₀ = 0.5
        >>> (w * w).sum().backward(); opt.step()        # v = 0.9 · 0.5 + 0.1 · 2 = 0.65
        >>> w                                           # 1 − 0.65
        tensor([0.35], requires_grad=True)
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def _update(self, param, grad, state, group):
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        momentum = group["momentum"]
        if momentum:
            if "momentum_buffer" in state:
                buf = buffer(state, "momentum_buffer", param)
                buf *= momentum
                buf += (1 - group["dampening"]) * grad
            else:
                buf = state["momentum_buffer"] = grad.astype(param.dtype)  # a copy
            grad = grad + momentum * buf if group["nesterov"] else buf
        param -= group["lr"] * grad
