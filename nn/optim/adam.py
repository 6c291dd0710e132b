"""Adam and its relatives: running averages of the gradient (m, momentum) and of its
square (v, a per-weight scale), corrected for starting at 0. Adam, AdamW (decoupled weight
decay), Adamax (the largest recent |g| instead of v), NAdam (Nesterov momentum) and RAdam
(no adaptive step until v is estimated well enough)."""

from __future__ import annotations

import math

from autograd.kernels import kernels_for

from .optimizer import Optimizer, buffer, next_step


def _decayed(param, grad, group):
    """The gradient with weight decay λ: ``g + λθ`` (L2 regularisation), or, with
    ``decoupled_weight_decay``, g as it is, after shrinking θ ← θ(1 − lr·λ) (AdamW's)."""
    decay = group["weight_decay"]
    if decay and group.get("decoupled_weight_decay"):
        param *= 1 - group["lr"] * decay
    elif decay:
        grad = grad + decay * param
    return grad


def _moments(param, grad, state, group):
    """The step that Adam, NAdam and RAdam begin alike: count it (t), apply weight decay,
    and update m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g² in place. Returns t, g, m, v."""
    step = next_step(state)
    beta1, beta2 = group["betas"]
    grad = _decayed(param, grad, group)
    exp_avg, exp_avg_sq = buffer(state, "exp_avg", param), buffer(state, "exp_avg_sq", param)
    exp_avg *= beta1
    exp_avg += (1 - beta1) * grad
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    return step, grad, exp_avg, exp_avg_sq


class Adam(Optimizer):
    """Adam: momentum on the gradient and on its square, both bias-corrected.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adam([w], lr=0.01)
        >>> (w * w).sum().backward(); opt.step()        # the first step is lr · sign(g)
        >>> w
        tensor([0.99], requires_grad=True)

    PyTorch's rule at step t, for a gradient g (−g with ``maximize``): g ← g + λθ (or, with
    ``decoupled_weight_decay``, θ ← θ(1 − lr·λ)); m ← β₁m + (1 − β₁)g;
    v ← β₂v + (1 − β₂)g²; m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ) (with ``amsgrad``, v is
    first replaced by the largest v so far); θ ← θ − lr·m̂ / (√v̂ + ε).

    State: ``opt.state[p]``: ``step`` (t, a count of the steps done), ``exp_avg`` (m),
    ``exp_avg_sq`` (v) and, with amsgrad, ``max_exp_avg_sq``; each array shaped like p.

    A course's m, v and t go in as they are (ε sits outside the root in both): with the
    moments m₀, v₀ after two steps, the next step is the third:

        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adam([w], lr=0.1, betas=(0.9, 0.99))
        >>> import numpy as np
        >>> opt.state[w].update(step=2, exp_avg=np.array([0.5]), exp_avg_sq=np.array([0.25]))
        >>> (w * w).sum().backward(); opt.step()        # m = 0.65, v = 0.2875, t = 3
        >>> w                                           # 1 − 0.1 · (m / 0.271) / √(v / 0.029701)
        tensor([0.92290777], requires_grad=True)
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *, maximize: bool = False,
                 decoupled_weight_decay: bool = False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def _update(self, param, grad, state, group):
        step, _, exp_avg, exp_avg_sq = _moments(param, grad, state, group)
        (beta1, beta2), lr = group["betas"], group["lr"]
        xp = kernels_for(param).xp
        if group["amsgrad"]:
            max_exp_avg_sq = buffer(state, "max_exp_avg_sq", param)
            xp.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
            exp_avg_sq = max_exp_avg_sq
        # √v̂ + ε = (√v + ε·√(1 − β₂ᵗ)) / √(1 − β₂ᵗ): the paper's efficient form, one array
        # operation fewer per step, and PyTorch's rule to the last digit or so.
        root = math.sqrt(1 - beta2**step)
        denom = xp.sqrt(exp_avg_sq)
        denom += group["eps"] * root
        param -= lr * root / (1 - beta1**step) * exp_avg / denom


class AdamW(Adam):
    """Adam with decoupled weight decay: θ ← θ(1 − lr·λ) before Adam's step, instead of
    adding λθ to the gradient (``Adam(..., decoupled_weight_decay=True)``; state as Adam's).

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = AdamW([w], lr=1e-3, weight_decay=0.01)
        >>> (w * w).sum().backward(); opt.step()        # 1 · (1 − 1e-3 · 0.01) − 1e-3
        >>> w
        tensor([0.99899], requires_grad=True)
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)


class Adamax(Optimizer):
    """Adamax: Adam with the largest recent |g| (an infinity norm) in place of √v.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = Adamax([w], lr=0.002)
        >>> (w * w).sum().backward(); opt.step()        # m = 0.1 · 2, u = 2 + ε
        >>> w                                           # 1 − 0.002 / 0.1 · 0.2 / 2
        tensor([0.998], requires_grad=True)

    PyTorch's rule at step t, for a gradient g (−g with ``maximize``): g ← g + λθ;
    m ← β₁m + (1 − β₁)g; u ← max(β₂u, |g| + ε); θ ← θ − lr / (1 − β₁ᵗ) · m / u.

    State: ``opt.state[p]``: ``step`` (t, the steps done), ``exp_avg`` (m) and ``exp_inf``
    (u), each shaped like p. A course's m and u go in as they are; if its u has no ε,
    pre-fill ``exp_inf`` as it is and take ``eps=0``.
    """

    def __init__(self, params, lr: float = 2e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, maximize=maximize))

    def _update(self, param, grad, state, group):
        step = next_step(state)
        beta1, beta2 = group["betas"]
        grad = _decayed(param, grad, group)
        exp_avg = buffer(state, "exp_avg", param)
        exp_avg *= beta1
        exp_avg += (1 - beta1) * grad
        exp_inf = buffer(state, "exp_inf", param)
        exp_inf *= beta2
        xp = kernels_for(param).xp
        xp.maximum(exp_inf, xp.abs(grad) + group["eps"], out=exp_inf)
        param -= group["lr"] / (1 - beta1**step) * exp_avg / exp_inf


class NAdam(Optimizer):
    """NAdam: Adam with Nesterov momentum, looking one step ahead with the next μ.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = NAdam([w], lr=0.002)
        >>> (w * w).sum().backward(); opt.step()        # m = 0.2, d = √(0.004 / 0.001) = 2
        >>> w                                           # 1 − 0.002 · 2/2 − 0.002 · 0.5645 · 0.2/2
        tensor([0.99788713], requires_grad=True)

    (μ₁ = 0.45007, μ₂ = 0.45015 and μ₂ / (1 − μ₁μ₂) = 0.5645 for the default ψ.)

    PyTorch's rule at step t, for a gradient g (−g with ``maximize``) and momentum decay ψ:
    weight decay as Adam's; μₜ = β₁(1 − ½·0.96^(tψ)); the product Πₜ = μ₁···μₜ;
    m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; d = √(v / (1 − β₂ᵗ)) + ε;
    θ ← θ − lr·(1 − μₜ)/(1 − Πₜ) · g/d − lr·μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/d.

    State: ``opt.state[p]``: ``step`` (t, the steps done), ``mu_product`` (Πₜ, a number,
    1 before the first step), ``exp_avg`` (m) and ``exp_avg_sq`` (v), the arrays shaped
    like p. To go on from a course's step t, pre-fill all four: Πₜ multiplies every μ so
    far, so it cannot be left out.
    """

    def __init__(self, params, lr: float = 2e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, maximize: bool = False):
        super().__init__(params, dict(
            lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
            momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize))

    def _update(self, param, grad, state, group):
        step, grad, exp_avg, exp_avg_sq = _moments(param, grad, state, group)
        (beta1, beta2), lr, psi = group["betas"], group["lr"], group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * psi))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * psi))
        mu_product = state["mu_product"] = float(state.get("mu_product", 1.0)) * mu
        denom = kernels_for(param).xp.sqrt(exp_avg_sq / (1 - beta2**step)) + group["eps"]
        param -= lr * (1 - mu) / (1 - mu_product) * grad / denom
        param -= lr * mu_next / (1 - mu_product * mu_next) * exp_avg / denom


class RAdam(Optimizer):
    """RAdam: Adam whose adaptive step is switched on, and scaled by a rectification
    factor, only once v has seen enough steps for its variance to be finite.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = RAdam([w], lr=0.1)
        >>> (w * w).sum().backward(); opt.step()        # early on: plain momentum, m̂ = 2
        >>> w                                           # 1 − 0.1 · 2
        tensor([0.8], requires_grad=True)

    PyTorch's rule at step t, for a gradient g (−g with ``maximize``): weight decay as
    Adam's; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; m̂ = m / (1 − β₁ᵗ);
    ρ∞ = 2/(1 − β₂) − 1 and ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ). If ρₜ > 5,
    θ ← θ − lr·m̂ · √(1 − β₂ᵗ)/(√v + ε) · r with
    r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)); otherwise θ ← θ − lr·m̂.

    State: ``opt.state[p]``: ``step`` (t, the steps done), ``exp_avg`` (m) and
    ``exp_avg_sq`` (v), each shaped like p; a course's values go in as they are.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, decoupled_weight_decay: bool = False, *,
                 maximize: bool = False):
        super().__init__(params, dict(
            lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay, maximize=maximize))

    def _update(self, param, grad, state, group):
        step, _, exp_avg, exp_avg_sq = _moments(param, grad, state, group)
        (beta1, beta2), lr = group["betas"], group["lr"]
        corrected = exp_avg / (1 - beta1**step)
        bias_correction2 = 1 - beta2**step
        rho_inf = 2 / (1 - beta2) - 1
        rho = rho_inf - 2 * step * beta2**step / bias_correction2
        if rho > 5.0:
            adaptive = bias_correction2**0.5 / (kernels_for(param).xp.sqrt(exp_avg_sq)
                                                + group["eps"])
            rect = ((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)) ** 0.5
            param -= corrected * lr * adaptive * rect
        else:
            param -= corrected * lr
