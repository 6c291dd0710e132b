"""Learning-rate schedulers: each schedule against torch.optim.lr_scheduler for 30 epochs,
with two parameter groups, and a few values worked out by hand."""

import math

import numpy as np
import pytest

from autograd import Tensor
from nn import Parameter, optim
from nn.optim import lr_scheduler

SCHEDULES = [
    ("StepLR", dict(step_size=7, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[5, 12, 12, 20], gamma=0.3)),   # 12 twice: twice × γ
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=8, eta_min=0.001)),           # down, up, down, up
    ("LambdaLR", dict(lr_lambda=lambda epoch: 0.95**epoch / (1 + epoch % 3))),
    ("OneCycleLR", dict(max_lr=[1.0, 0.3], total_steps=30)),
    ("OneCycleLR", dict(max_lr=0.5, epochs=3, steps_per_epoch=10, anneal_strategy="linear",
                        three_phase=True)),
]


def _groups(library, params, optimizer="SGD"):
    first, second = params
    kwargs = dict(momentum=0.9) if optimizer == "SGD" else {}
    return getattr(library.optim, optimizer)(
        [{"params": [first]}, {"params": [second], "lr": 0.01}], lr=0.1, **kwargs)


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
@pytest.mark.parametrize("name, kwargs", SCHEDULES)
def test_thirty_epochs_match_torch(name, kwargs, optimizer):
    torch = pytest.importorskip("torch")
    opt = _groups(__import__("nn"), [Parameter(np.zeros(1)), Parameter(np.zeros(1))], optimizer)
    torch_opt = _groups(torch, [torch.zeros(1, requires_grad=True) for _ in range(2)],
                        optimizer)
    ours = getattr(lr_scheduler, name)(opt, **kwargs)
    theirs = getattr(torch.optim.lr_scheduler, name)(torch_opt, **kwargs)
    for epoch in range(30):
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12, abs=1e-15)
        for group, torch_group in zip(opt.param_groups, torch_opt.param_groups):
            for key in ("lr", "initial_lr", "momentum", "betas"):  # OneCycle cycles β₁ too
                if key in torch_group:
                    assert group[key] == pytest.approx(torch_group[key], rel=1e-12), key
        if epoch < 29:  # OneCycleLR's 30 steps end here
            torch_opt.step()
            ours.step()
            theirs.step()


@pytest.mark.parametrize("kwargs", [dict(), dict(mode="max", factor=0.5, patience=2),
                                    dict(threshold=0.1, threshold_mode="abs", cooldown=2),
                                    dict(patience=0, min_lr=[0.02, 0.0], eps=1e-3)])
def test_reduce_on_plateau_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    opt = _groups(__import__("nn"), [Parameter(np.zeros(1)), Parameter(np.zeros(1))])
    torch_opt = _groups(torch, [torch.zeros(1, requires_grad=True) for _ in range(2)])
    ours = lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(torch_opt, **kwargs)
    # a loss that falls, stalls, wobbles and falls again
    metrics = [3, 2, 1.9, 1.95, 1.9, 1.9, 1.9, 1.85, 1.2, 1.2, 1.21, 1.19, 1.2, 1.2, 1.2,
               0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69, 0.69, 0.69, 0.69, 0.5, 0.5]
    for metric in metrics:
        ours.step(Tensor(metric, dtype=np.float64))  # a loss as a 0-d Tensor, or a number
        theirs.step(metric)
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)
        assert (ours.best, ours.num_bad_epochs) == (theirs.best, theirs.num_bad_epochs)


def test_cosine_by_hand():
    opt = optim.SGD([Parameter(np.zeros(1))], lr=1.0)
    scheduler = lr_scheduler.CosineAnnealingLR(opt, T_max=3)
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(4):
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    # (1 + cos(πt/3)) / 2 for t = 0 … 4: down to 0 at t = 3, then up again
    expected = [(1 + math.cos(math.pi * t / 3)) / 2 for t in range(5)]
    assert rates == pytest.approx(expected, abs=1e-15)


def test_step_lr_by_hand():
    opt = optim.SGD([Parameter(np.zeros(1))], lr=1.0)
    scheduler = optim.StepLR(opt, step_size=2, gamma=0.1)
    lrs = []
    for _ in range(5):
        scheduler.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == pytest.approx([1.0, 0.1, 0.1, 0.01, 0.01])


def test_a_schedule_resumes_from_its_state_dict():
    opt = optim.SGD([Parameter(np.zeros(1))], lr=1.0)
    scheduler = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    scheduler.step()
    scheduler.step()
    saved = scheduler.state_dict()
    assert "optimizer" not in saved and saved["last_epoch"] == 2
    fresh = optim.SGD([Parameter(np.zeros(1))], lr=1.0)
    resumed = lr_scheduler.ExponentialLR(fresh, gamma=0.5)
    resumed.load_state_dict(saved)
    assert resumed.last_epoch == 2 and resumed.get_last_lr() == [0.25]


def test_mistakes_are_named():
    opt = optim.SGD([Parameter(np.zeros(1))], lr=1.0)
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.StepLR(opt, step_size=2, last_epoch=3)
    with pytest.raises(ValueError, match="either total_steps OR"):
        lr_scheduler.OneCycleLR(opt, max_lr=1.0)
    with pytest.raises(ValueError, match="momentum or beta1"):
        lr_scheduler.OneCycleLR(optim.Adagrad([Parameter(np.zeros(1))]), 1.0, total_steps=3)
    one_cycle = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=2)
    one_cycle.step()
    one_cycle.step()
    with pytest.raises(ValueError, match="Tried to step 3 times"):
        one_cycle.step()
    with pytest.raises(TypeError, match="is not an Optimizer"):
        lr_scheduler.ReduceLROnPlateau("sgd")


def test_importable_as_pytorch_imports_it():
    import nn
    from nn.optim import lr_scheduler as imported
    assert imported is nn.optim.lr_scheduler
    assert nn.optim.lr_scheduler.StepLR is nn.optim.StepLR
