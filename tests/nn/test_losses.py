"""Losses, as functions and as modules, against PyTorch: every reduction, weights,
ignore_index, label smoothing, class axes beyond 2-D, and the numbers by hand."""

import math
import warnings

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

RNG = np.random.default_rng(0)
REDUCTIONS = ["mean", "sum", "none"]
DTYPES = [np.float64, np.float32]


def scores(*shape):
    return RNG.standard_normal(shape) * 2


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, options", [
    ("mse_loss", {}), ("l1_loss", {}), ("smooth_l1_loss", {}),
    ("smooth_l1_loss", {"beta": 0.5}), ("smooth_l1_loss", {"beta": 0.0}),
    ("huber_loss", {}), ("huber_loss", {"delta": 2.5}),
])
def test_regression_losses(against_torch, name, options, reduction, dtype):
    # errors of both signs, some beyond beta/delta, one exactly 0 (abs's kink)
    x, t = scores(4, 5), scores(4, 5)
    x[0, 0] = t[0, 0]
    against_torch.functions(getattr(F, name), getattr(against_torch.torch.nn.functional, name),
                            x, t, reduction=reduction, dtype=dtype, **options)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_with_element_weights(against_torch, name, reduction):
    torch = against_torch.torch
    x, t, w = scores(3, 4), scores(3, 4), RNG.random((3, 4))
    against_torch.functions(lambda x, t: getattr(F, name)(x, t, reduction=reduction, weight=w),
                            lambda x, t: getattr(torch.nn.functional, name)(
                                x, t, reduction=reduction, weight=torch.tensor(w)), x, t)


def test_huber_and_smooth_l1_by_hand():
    # |d| = 0.5 < 1: ½·0.25 = 0.125; |d| = 3: 1·(3 − ½) = 2.5; smooth L1 with β = 2: 0.25·½/2
    np.testing.assert_allclose(F.huber_loss(Tensor([0.5, -3.0]), [0.0, 0.0],
                                            reduction="none").data, [0.125, 2.5])
    np.testing.assert_allclose(F.smooth_l1_loss(Tensor([0.5, 3.0]), [0.0, 0.0], beta=2.0,
                                                reduction="none").data, [0.0625, 2.0])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(against_torch, reduction, weighted, dtype):
    torch = against_torch.torch
    p, t = RNG.uniform(0.05, 0.95, (4, 3)), (RNG.random((4, 3)) > 0.5).astype(float)
    w = RNG.random((4, 3)) if weighted else None
    against_torch.functions(
        lambda p, t: F.binary_cross_entropy(p, t, w, reduction=reduction),
        lambda p, t: torch.nn.functional.binary_cross_entropy(
            p, t, None if w is None else torch.tensor(w, dtype=p.dtype), reduction=reduction),
        p, t, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits_weight_and_pos_weight(against_torch, reduction, dtype):
    torch = against_torch.torch
    z, t = scores(4, 3) * 5, RNG.random((4, 3))  # soft targets too
    w, pos = RNG.random((4, 3)), RNG.random(3) * 3
    against_torch.functions(
        lambda z, t: F.binary_cross_entropy_with_logits(z, t, w, reduction=reduction,
                                                        pos_weight=pos),
        lambda z, t: torch.nn.functional.binary_cross_entropy_with_logits(
            z, t, torch.tensor(w, dtype=z.dtype), reduction=reduction,
            pos_weight=torch.tensor(pos, dtype=z.dtype)),
        z, t, dtype=dtype)


CLASS_CASES = [  # input shape, label shape
    ((6, 4), (6,)),
    ((4,), ()),                 # one sample
    ((3, 4, 5), (3, 5)),        # a sequence: classes on axis 1
    ((2, 3, 4, 5), (2, 4, 5)),  # an image: one label per pixel
]


def labels(shape, classes, ignored=False):
    y = RNG.integers(0, classes, shape)
    if ignored and y.size > 1:
        y.flat[[0, -1]] = -100
    return y


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape, label_shape", CLASS_CASES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignored", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_with_labels(against_torch, shape, label_shape, reduction, weighted,
                                   ignored, smoothing, dtype):
    torch = against_torch.torch
    classes = shape[1] if len(shape) > 1 else shape[0]
    y, w = labels(label_shape, classes, ignored), RNG.random(classes) + 0.5
    options = dict(reduction=reduction, label_smoothing=smoothing)
    against_torch.functions(
        lambda x, y: F.cross_entropy(x, y, w if weighted else None, **options),
        lambda x, y: torch.nn.functional.cross_entropy(
            x, y, torch.tensor(w, dtype=x.dtype) if weighted else None, **options),
        scores(*shape), y, dtype=dtype)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4, 5)])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_with_probabilities(against_torch, shape, reduction, smoothing, weighted):
    torch = against_torch.torch
    target = RNG.random(shape)
    target /= target.sum(axis=1, keepdims=True)
    w = RNG.random(shape[1]) + 0.5
    options = dict(reduction=reduction, label_smoothing=smoothing)
    against_torch.functions(
        lambda x: F.cross_entropy(x, target, w if weighted else None, **options),
        lambda x: torch.nn.functional.cross_entropy(
            x, torch.tensor(target), torch.tensor(w) if weighted else None, **options),
        scores(*shape))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape, label_shape", CLASS_CASES)
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss(against_torch, shape, label_shape, reduction, weighted, dtype):
    torch = against_torch.torch
    classes = shape[1] if len(shape) > 1 else shape[0]
    y, w = labels(label_shape, classes, ignored=True), RNG.random(classes) + 0.5
    against_torch.functions(
        lambda x, y: F.nll_loss(x, y, w if weighted else None, reduction=reduction),
        lambda x, y: torch.nn.functional.nll_loss(
            x, y, torch.tensor(w, dtype=x.dtype) if weighted else None, reduction=reduction),
        scores(*shape), y, dtype=dtype)


def test_weighted_mean_and_ignore_index_by_hand():
    # two samples: log-probabilities −1 and −2 of their labels, class weights 1 and 3
    log_p = Tensor([[-1.0, -5.0], [-5.0, -2.0]])
    assert F.nll_loss(log_p, np.array([0, 1]), weight=[1.0, 3.0]).item() == (1 + 3 * 2) / 4
    assert F.nll_loss(log_p, np.array([0, 7]), ignore_index=7).item() == 1.0
    assert math.isnan(F.nll_loss(log_p, np.array([7, 7]), ignore_index=7).item())  # 0/0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", [*REDUCTIONS, "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(against_torch, reduction, log_target, dtype):
    torch = against_torch.torch
    x = torch.log_softmax(torch.tensor(scores(4, 5)), 1).numpy()
    t = RNG.random((4, 5))
    t /= t.sum(axis=1, keepdims=True)
    if log_target:
        t = np.log(t + 0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 'mean' warns, in both libraries
        against_torch.functions(F.kl_div, torch.nn.functional.kl_div, x, t, dtype=dtype,
                                reduction=reduction, log_target=log_target)


def test_kl_div_of_a_zero_target_is_zero():
    # t·(log t − x) → 0 as t → 0; PyTorch's xlogy gives 0 there too
    loss = F.kl_div(Tensor([[-1.0, -0.5]]), [[0.0, 1.0]], reduction="none")
    np.testing.assert_array_equal(loss.data, [[0.0, 0.5]])


def test_kl_div_mean_warns_as_pytorch():
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(Tensor([[-1.0]]), [[1.0]])


LOSS_MODULES = [  # (module arguments, input, target)
    ("MSELoss", {}, (3, 4), "same"),
    ("L1Loss", {"reduction": "sum"}, (3, 4), "same"),
    ("SmoothL1Loss", {"beta": 0.5}, (3, 4), "same"),
    ("HuberLoss", {"delta": 0.5, "reduction": "none"}, (3, 4), "same"),
    ("CrossEntropyLoss", {}, (6, 4), "labels"),
    ("CrossEntropyLoss", {"weight": "classes", "ignore_index": 1, "label_smoothing": 0.1},
     (6, 4), "labels"),
    ("NLLLoss", {"weight": "classes", "reduction": "sum"}, (6, 4), "labels"),
    ("BCELoss", {"weight": "elements"}, (3, 4), "probabilities"),
    ("BCEWithLogitsLoss", {"pos_weight": "classes"}, (3, 4), "probabilities"),
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, (3, 4), "same"),
]


@pytest.mark.parametrize("name, options, shape, target", LOSS_MODULES)
def test_loss_modules(against_torch, name, options, shape, target):
    torch = against_torch.torch
    weights = {"classes": RNG.random(shape[-1]) + 0.5, "elements": RNG.random(shape)}
    ours_options = {k: weights.get(v, v) for k, v in options.items()}
    theirs_options = {k: torch.tensor(weights[v]) if v in weights else v
                      for k, v in options.items()}
    x = RNG.uniform(0.05, 0.95, shape) if target == "probabilities" else scores(*shape)
    y = {"same": scores(*shape), "probabilities": RNG.random(shape),
         "labels": RNG.integers(0, shape[1], shape[0])}[target]
    ours = getattr(nn, name)(**ours_options)
    against_torch.modules(ours, getattr(torch.nn, name)(**theirs_options), x, y)
    assert list(ours.state_dict()) == [k for k in ("weight", "pos_weight") if k in options]


def test_deprecated_size_average_and_reduce_choose_the_reduction_as_pytorch():
    x, t = Tensor([1.0, 2.0]), Tensor([0.0, 0.0])
    with pytest.warns(UserWarning, match="deprecated"):
        assert F.mse_loss(x, t, size_average=False).item() == 5.0
    with pytest.warns(UserWarning, match="deprecated"):
        assert nn.MSELoss(reduce=False).reduction == "none"


def test_the_fast_cross_entropy_is_one_node_and_the_general_one_is_composed():
    x = Tensor(scores(4, 3), requires_grad=True)
    assert F.cross_entropy(x, np.array([0, 1, 2, 0])).op.name == "cross_entropy"
    assert F.cross_entropy(x, np.array([0, 1, 2, 0]), label_smoothing=0.1).op.name != \
        "cross_entropy"


def test_mistakes_are_named():
    with pytest.raises(ValueError, match="reduction must be 'mean', 'batchmean', 'sum' or"):
        F.kl_div(Tensor([[-1.0]]), [[1.0]], reduction="average")
    with pytest.raises(ValueError, match="one number per class, shape \\(4,\\)"):
        F.cross_entropy(Tensor(scores(2, 4)), np.array([0, 1]), weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="labels must lie in 0..3"):
        F.nll_loss(Tensor(scores(2, 4)), np.array([0, 4]))
    with pytest.raises(ValueError, match="weights and input must have the same size"):
        F.mse_loss(Tensor([1.0, 2.0]), [1.0, 2.0], weight=[1.0])
