"""Learning-rate schedulers, as ``torch.optim.lr_scheduler``: each sets the ``lr`` of every
parameter group of an optimizer, once per ``step()``.

    >>> from autograd import Tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=0.1)
    >>> scheduler = StepLR(opt, step_size=10, gamma=0.5)
    >>> for epoch in range(30):
    ...     opt.step()                                  # the epoch's training steps
    ...     scheduler.step()                            # then the schedule's
    >>> scheduler.get_last_lr()                         # 0.1 · 0.5³
    [0.0125]

The rules are PyTorch's, in the same form: most multiply the learning rate a group has
now (so one changed by hand carries on from there), and a new scheduler first records
each group's ``initial_lr`` and applies the schedule at epoch 0. ``ReduceLROnPlateau``
steps with the metric it watches: ``scheduler.step(val_loss)``.
"""

from __future__ import annotations

import math
from collections import Counter

from .optimizer import Optimizer

__all__ = ["CosineAnnealingLR", "ExponentialLR", "LRScheduler", "LambdaLR", "MultiStepLR",
           "OneCycleLR", "ReduceLROnPlateau", "StepLR"]


def _per_group(name: str, optimizer: Optimizer, value) -> list:
    """One value per parameter group: a list or tuple as given (one each), else repeated."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. "
                             f"{name} has {len(value)} values, param_groups has "
                             f"{len(optimizer.param_groups)}.")
        return list(value)
    return [value] * len(optimizer.param_groups)


class LRScheduler:
    """Base class: remembers each group's ``initial_lr`` (in ``base_lrs``) and counts
    epochs in ``last_epoch``; a subclass says in :meth:`get_lr` what the rates become.

    ``last_epoch`` other than −1 resumes a schedule; the groups must then hold their
    ``initial_lr`` already (an optimizer loaded with ``load_state_dict`` does).
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] "
                               "when resuming scheduler with last_epoch >= 0")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        # The schedule's value at epoch 0 (or at the resumed epoch), as PyTorch sets it.
        self._step_count, self._initial = 0, True
        self.step()
        self._initial = False

    def get_lr(self) -> list[float]:
        """The learning rates for epoch ``last_epoch``, one per group."""
        raise NotImplementedError  # pragma: no cover - each scheduler defines its schedule

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self) -> None:
        """Move on one epoch (call it after the optimizer's steps) and set the rates."""
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = self._current_lrs()

    def get_last_lr(self) -> list[float]:
        """The learning rate of each group, as the last ``step`` set it."""
        return self._last_lr

    def state_dict(self) -> dict:
        """Everything the scheduler keeps but the optimizer, to resume it later."""
        return {key: value for key, value in vars(self).items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from what :meth:`state_dict` saved."""
        vars(self).update(state_dict)


class LambdaLR(LRScheduler):
    """lr = initial_lr · ``lr_lambda(epoch)`` (one function, or one per group).

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=0.1)
        >>> scheduler = LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
        >>> for epoch in range(3):
        ...     scheduler.step()
        >>> scheduler.get_last_lr()                     # 0.1 / 4
        [0.025]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda, last_epoch: int = -1):
        self.lr_lambdas = _per_group("lr_lambda", optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * lr_lambda(self.last_epoch)
                for lr_lambda, base_lr in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self) -> dict:
        """As the base class's, without the functions (which cannot be saved)."""
        return {key: value for key, value in super().state_dict().items()
                if key != "lr_lambdas"}


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=0.1)
        >>> scheduler = StepLR(opt, step_size=2, gamma=0.5)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(scheduler.get_last_lr()[0]); scheduler.step()
        >>> rates
        [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1):
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` at each epoch of ``milestones``.

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=1.0)
        >>> scheduler = MultiStepLR(opt, milestones=[2, 4], gamma=0.1)
        >>> rates = []
        >>> for epoch in range(6):
        ...     rates.append(scheduler.get_last_lr()[0]); scheduler.step()
        >>> rates
        [1.0, 1.0, 0.1, 0.1, 0.01..., 0.01...]
    """

    def __init__(self, optimizer: Optimizer, milestones, gamma: float = 0.1,
                 last_epoch: int = -1):
        self.milestones, self.gamma = Counter(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        # a milestone listed twice multiplies twice, as in PyTorch
        return [lr * self.gamma ** self.milestones[self.last_epoch]
                for lr in self._current_lrs()]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch.

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=0.1)
        >>> scheduler = ExponentialLR(opt, gamma=0.5)
        >>> for epoch in range(3):
        ...     scheduler.step()                        # after each epoch's training
        >>> scheduler.get_last_lr()                     # 0.1 · 0.5³
        [0.0125]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class CosineAnnealingLR(LRScheduler):
    r"""Half a cosine from the initial rate down to ``eta_min`` over ``T_max`` epochs,
    then back up over the next ``T_max``, and so on:

    .. math:: \eta_t = \eta_{min} + (\eta_0 - \eta_{min})\,\frac{1 + \cos(\pi t / T_{max})}{2}

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=1.0)
        >>> scheduler = CosineAnnealingLR(opt, T_max=4)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(round(scheduler.get_last_lr()[0], 4)); scheduler.step()
        >>> rates                                       # (1 + cos(πt/4)) / 2
        [1.0, 0.8536, 0.5, 0.1464, 0.0]

    As in PyTorch, each epoch's rate is computed from the previous one (the ratio of
    consecutive values of the formula), so a rate changed by hand is annealed from there.
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,  # noqa: N803
                 last_epoch: int = -1):
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t, period, low = self.last_epoch, self.T_max, self.eta_min
        if self._initial:
            return self._current_lrs()
        if (t - 1 - period) % (2 * period) == 0:  # at the bottom, where the ratio is 0/0
            return [lr + (base_lr - low) * (1 - math.cos(math.pi / period)) / 2
                    for lr, base_lr in zip(self._current_lrs(), self.base_lrs)]
        return [(1 + math.cos(math.pi * t / period)) / (1 + math.cos(math.pi * (t - 1) / period))
                * (lr - low) + low for lr in self._current_lrs()]


class OneCycleLR(LRScheduler):
    """The one-cycle policy (Smith, 2018), stepped once per batch: the learning rate
    rises from ``max_lr / div_factor`` to ``max_lr`` over the first ``pct_start`` of the
    steps, then falls to ``initial_lr / final_div_factor``; the momentum (SGD's
    ``momentum``, Adam's β₁) moves the opposite way, between ``max_momentum`` and
    ``base_momentum``.

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
        >>> scheduler = OneCycleLR(opt, max_lr=1.0, total_steps=10)
        >>> rates = []
        >>> for batch in range(10):
        ...     rates.append(round(scheduler.get_last_lr()[0], 4)); scheduler.step()
        >>> rates                                       # up for 3 steps, down for 7
        [0.04, 0.52, 1.0, 0.9505, 0.8117, 0.6113, 0.3887, 0.1883, 0.0495, 0.0]

    ``total_steps``, or ``epochs`` and ``steps_per_epoch``, say how long the cycle is;
    ``anneal_strategy`` is ``"cos"`` or ``"linear"``; ``three_phase`` comes back down to
    the initial rate before the final fall, as fast.ai does.
    """

    def __init__(self, optimizer: Optimizer, max_lr, total_steps: int | None = None,
                 epochs: int | None = None, steps_per_epoch: int | None = None,
                 pct_start: float = 0.3, anneal_strategy: str = "cos",
                 cycle_momentum: bool = True, base_momentum=0.85, max_momentum=0.95,
                 div_factor: float = 25.0, final_div_factor: float = 1e4,
                 three_phase: bool = False, last_epoch: int = -1):
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError("You must define either total_steps OR (epochs AND "
                                 "steps_per_epoch)")
            total_steps = epochs * steps_per_epoch
        if not isinstance(total_steps, int) or total_steps <= 0:
            raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
        if not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self.total_steps, self.anneal_strategy = total_steps, anneal_strategy
        # (last step of the phase, the group keys it goes from and to, for lr and momentum)
        rise = pct_start * total_steps - 1
        if three_phase:
            self.phases = [(rise, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                           (2 * pct_start * total_steps - 2, "max_lr", "initial_lr",
                            "base_momentum", "max_momentum"),
                           (total_steps - 1, "initial_lr", "min_lr", "max_momentum",
                            "max_momentum")]
        else:
            self.phases = [(rise, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                           (total_steps - 1, "max_lr", "min_lr", "base_momentum",
                            "max_momentum")]
        groups = optimizer.param_groups
        if last_epoch == -1:
            for group, top in zip(groups, _per_group("max_lr", optimizer, max_lr)):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError("optimizer must support momentum or beta1 with "
                                 "`cycle_momentum` option enabled")
            self.use_beta1 = "betas" in optimizer.defaults
            if last_epoch == -1:
                for group, top, bottom in zip(
                        groups, _per_group("max_momentum", optimizer, max_momentum),
                        _per_group("base_momentum", optimizer, base_momentum)):
                    self._set_momentum(group, top)
                    group["max_momentum"], group["base_momentum"] = top, bottom
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group: dict, momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def _anneal(self, start: float, end: float, fraction: float) -> float:
        """From ``start`` (fraction 0) to ``end`` (fraction 1), along half a cosine or a line."""
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * fraction) + 1)
        return (end - start) * fraction + start

    def get_lr(self):
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total "
                             f"steps is {self.total_steps}")
        rates = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, (end, lr_from, lr_to, momentum_from, momentum_to) in enumerate(self.phases):
                if step <= end or i == len(self.phases) - 1:
                    fraction = (step - start) / (end - start)
                    rates.append(self._anneal(group[lr_from], group[lr_to], fraction))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(
                            group[momentum_from], group[momentum_to], fraction))
                    break
                start = end
        return rates


class ReduceLROnPlateau(LRScheduler):
    """Multiply the learning rate by ``factor`` when a metric has stopped improving for
    more than ``patience`` epochs: ``scheduler.step(val_loss)`` once per epoch.

        >>> from autograd import Tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([Tensor([1.0], requires_grad=True)], lr=1.0)
        >>> scheduler = ReduceLROnPlateau(opt, patience=1)
        >>> for val_loss in [3.0, 2.0, 2.0, 2.0, 2.0]:   # no better after the second epoch
        ...     scheduler.step(val_loss)
        >>> scheduler.get_last_lr()                     # cut after 2 bad epochs, once
        [0.1]

    ``mode="max"`` for a metric that should grow (an accuracy). An improvement must beat
    the best by ``threshold``: relatively (``threshold_mode="rel"``, the best times
    1 ∓ threshold) or absolutely (``"abs"``). After a cut, ``cooldown`` epochs pass
    before bad epochs count again; no rate falls below ``min_lr``, and a cut smaller than
    ``eps`` is skipped.
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: str = "rel",
                 cooldown: int = 0, min_lr=0.0, eps: float = 1e-8):
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode} is unknown!")
        self.optimizer, self.factor, self.patience, self.cooldown = \
            optimizer, factor, patience, cooldown
        self.mode, self.threshold, self.threshold_mode, self.eps = \
            mode, threshold, threshold_mode, eps
        self.min_lrs = _per_group("min_lr", optimizer, min_lr)
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = self.cooldown_counter = 0
        self._last_lr = self._current_lrs()

    def _is_better(self, value: float) -> bool:
        if self.threshold_mode == "rel":
            if self.mode == "min":
                return value < self.best * (1 - self.threshold)
            return value > self.best * (1 + self.threshold)
        if self.mode == "min":
            return value < self.best - self.threshold
        return value > self.best + self.threshold

    def step(self, metrics) -> None:
        """Count this epoch's ``metrics`` (a number, or a 0-d Tensor) as good or bad, and
        cut the rates after more than ``patience`` bad epochs in a row."""
        value = float(metrics.item() if hasattr(metrics, "item") else metrics)
        self.last_epoch += 1
        if self._is_better(value):
            self.best, self.num_bad_epochs = value, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(group["lr"] * self.factor, min_lr)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = self._current_lrs()

