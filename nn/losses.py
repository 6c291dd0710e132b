"""Losses, each as a function of :mod:`nn.functional` and as a module, as PyTorch's:
``mse_loss``/``MSELoss``, ``l1_loss``/``L1Loss``, ``smooth_l1_loss``/``SmoothL1Loss``,
``huber_loss``/``HuberLoss``, ``cross_entropy``/``CrossEntropyLoss``, ``nll_loss``/``NLLLoss``,
``binary_cross_entropy``/``BCELoss``, ``binary_cross_entropy_with_logits``/
``BCEWithLogitsLoss``, ``kl_div``/``KLDivLoss``, and the SVM's ``hinge_loss``.

The losses are composed from autograd's ops (``cross_entropy`` is
``nll_loss(log_softmax(x))``, as in PyTorch), so their derivatives are autograd's rules.
Two are single graph nodes of :mod:`nn.ops`: the common case of ``cross_entropy`` (2-D
logits, no class weights, no label smoothing), which runs on every training step, and
``binary_cross_entropy``, whose gradient at probabilities of exactly 0 or 1 is PyTorch's,
which no chain of ops gives.

Each takes ``reduction="mean"`` (the default), ``"sum"`` or ``"none"`` (one loss per
element or sample); PyTorch's older ``size_average=`` and ``reduce=`` still set it, with
PyTorch's warning. Inputs may be Tensors, NumPy arrays, lists or numbers.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from autograd import Tensor
from autograd.kernels import kernels_for

from . import ops
from .inputs import as_tensor
from .module import Module

# --- reductions ---------------------------------------------------------------------------


def _reduction(size_average, reduce, reduction: str, name: str,
               allowed=("mean", "sum", "none")) -> str:
    """The reduction asked for: ``reduction``, unless PyTorch's deprecated ``size_average``
    or ``reduce`` is given (each True when None), which then decide as in PyTorch."""
    if size_average is not None or reduce is not None:
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      "reduction='mean', 'sum' or 'none' instead.", UserWarning, stacklevel=3)
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
    if reduction not in allowed:
        raise ValueError(f"{name}: reduction must be {', '.join(map(repr, allowed[:-1]))} or "
                         f"{allowed[-1]!r}, got {reduction!r}")
    return reduction


def _reduce(loss: Tensor, reduction: str, weight: Tensor | None = None) -> Tensor:
    """Each loss, their sum, or their mean; with per-element weights, the weighted mean
    Σ w·loss / Σ w, as PyTorch's weighted losses."""
    if weight is not None:
        loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum" or weight is None:
        return loss.sum() if reduction == "sum" else loss.mean()
    return loss.sum() / weight.sum()


def _pair(name: str, input, target) -> tuple[Tensor, Tensor]:
    """``input`` and ``target`` as Tensors of the same shape."""
    input, target = as_tensor(input, name), as_tensor(target, name)
    # Broadcasting (64, 1) against (64,) would silently compare every prediction with
    # every target: a classic bug (PyTorch warns), so here the shapes must agree exactly.
    if input.shape != target.shape:
        raise ValueError(f"{name}: input has shape {tuple(input.shape)} but target has shape "
                         f"{tuple(target.shape)}; they must be equal (reshape the target, e.g. "
                         f"y.reshape({', '.join(map(str, input.shape))}))")
    return input, target


def _same_shape_weight(name: str, weight, input: Tensor) -> Tensor | None:
    """Per-element weights (an array or list takes the input's dtype)."""
    if weight is None:
        return None
    weight = as_tensor(weight, name, dtype=input.dtype)
    if weight.shape != input.shape:
        raise ValueError(f"{name}: weights and input must have the same size, got "
                         f"{tuple(weight.shape)} and {tuple(input.shape)}")
    return weight


# --- regression ---------------------------------------------------------------------------


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
             weight=None) -> Tensor:
    """Mean squared error, (input − target)² averaged.

        >>> mse_loss(Tensor([1.0, 2.0]), [1.0, 4.0])
        tensor(2.)

    A float64 NumPy target makes the loss float64, as a float64 tensor does in PyTorch.
    ``weight`` (the input's shape) weighs each element: Σ w·(x − t)² / Σ w.
    """
    reduction = _reduction(size_average, reduce, reduction, "mse_loss")
    input, target = _pair("mse_loss", input, target)
    diff = input - target
    return _reduce(diff * diff, reduction, _same_shape_weight("mse_loss", weight, input))


def l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
            weight=None) -> Tensor:
    """Mean absolute error, |input − target| averaged.

        >>> l1_loss(Tensor([1.0, 2.0]), [1.0, 4.0])
        tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction, "l1_loss")
    input, target = _pair("l1_loss", input, target)
    return _reduce((input - target).abs(), reduction, _same_shape_weight("l1_loss", weight, input))


def _huber(d: Tensor, delta: float) -> Tensor:
    """½d² for |d| < δ, δ(|d| − ½δ) beyond: both are c·(|d| − ½c) with c = min(|d|, δ),
    so one expression, whose derivative is d inside and δ·sign(d) outside."""
    size = d.abs()
    c = size.clamp(max=delta)
    return c * (size - 0.5 * c)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0,
               weight=None) -> Tensor:
    """Squared error for errors smaller than ``delta``, linear beyond: robust to outliers.

        >>> huber_loss(Tensor([0.5, 3.0]), [0.0, 0.0], reduction="none")
        tensor([0.125, 2.5  ])
    """
    reduction = _reduction(None, None, reduction, "huber_loss")
    input, target = _pair("huber_loss", input, target)
    loss = _huber(input - target, delta)
    weight = _same_shape_weight("huber_loss", weight, input)
    # PyTorch's weighted Huber loss averages w·loss over the elements, not over Σ w as
    # its weighted mse_loss and l1_loss do
    return _reduce(loss if weight is None else loss * weight, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """``huber_loss`` divided by ``beta``: ½d²/β for |d| < β, |d| − ½β beyond (the L1
    loss for β = 0).

        >>> smooth_l1_loss(Tensor([0.5, 3.0]), [0.0, 0.0], reduction="none")
        tensor([0.125, 2.5  ])
    """
    reduction = _reduction(size_average, reduce, reduction, "smooth_l1_loss")
    input, target = _pair("smooth_l1_loss", input, target)
    d = input - target
    return _reduce(d.abs() if beta == 0 else _huber(d, beta) / beta, reduction)


# --- probabilities of one event -----------------------------------------------------------


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction: str = "mean") -> Tensor:
    """−[t·log p + (1 − t)·log(1 − p)] for probabilities p (after a sigmoid), each log
    clamped at −100 as in PyTorch; ``weight`` rescales each element's loss.

        >>> binary_cross_entropy(Tensor([0.5, 0.9]), [1.0, 1.0], reduction="none")
        tensor([0.6931472 , 0.10536055])

    Prefer :func:`binary_cross_entropy_with_logits` on the raw scores, without the
    sigmoid: it is more stable. In float32 a sigmoid rounds every score above about 17
    to exactly 1; past that, a right answer's loss and gradient become 0 and a wrong
    one's loss the clamp's 100, whatever the score, where log σ(z) computed from z itself
    stays exact.
    """
    name = "binary_cross_entropy"
    reduction = _reduction(size_average, reduce, reduction, name)
    input, target = _pair(name, input, target)
    if ((input.data < 0) | (input.data > 1)).any():
        raise ValueError(f"{name}: input must hold probabilities in [0, 1]; for raw scores "
                         "use binary_cross_entropy_with_logits")
    loss = ops.binary_cross_entropy(input, target)
    if weight is not None:
        loss = loss * as_tensor(weight, name, input.dtype)
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction: str = "mean",
                                     pos_weight=None) -> Tensor:
    """Binary cross-entropy of σ(z), computed from the score z without the sigmoid, as
    ``torch.nn.functional.binary_cross_entropy_with_logits``.

        >>> binary_cross_entropy_with_logits(Tensor([0.0, 30.0]), [1.0, 1.0], reduction="none")
        tensor([6.931472e-01, 9.357623e-14])

    −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z), so the loss is
    ``t·softplus(−z) + (1 − t)·softplus(z)``, and softplus(x) = log(1 + eˣ) is computed in
    the log-sum-exp form log(e⁰ + eˣ), which neither overflows nor rounds a large score
    away. The gradient is σ(z) − t, here as (1 − t)·σ(z) − t·σ(−z), exact for t = 0 or 1
    however large |z| is. ``weight`` rescales each element's loss; ``pos_weight`` (one
    per class, the last axis) multiplies the positive term, to count rare positives more.
    Weights given as arrays or lists take the input's dtype.
    """
    name = "binary_cross_entropy_with_logits"
    reduction = _reduction(size_average, reduce, reduction, name)
    input, target = _pair(name, input, target)
    positive = target * (-input).softplus()
    if pos_weight is not None:
        positive = positive * as_tensor(pos_weight, name, input.dtype)
    loss = positive + (1 - target) * input.softplus()
    if weight is not None:
        loss = loss * as_tensor(weight, name, input.dtype)
    return _reduce(loss, reduction)


# --- classes ------------------------------------------------------------------------------


def _class_targets(name: str, input: Tensor, target, ignore_index: int = -100) -> np.ndarray:
    """The target checked against ``input`` (classes on axis 1, or axis 0 of a single
    sample): integer labels, one per sample (and position), as an index array; or
    probabilities of the input's shape, in the input's dtype."""
    if input.ndim == 0:
        raise ValueError(f"{name}: input must have a class axis, got a 0-d tensor")
    class_dim = 1 if input.ndim >= 2 else 0
    classes = input.shape[class_dim]
    labels_shape = input.shape[:class_dim] + input.shape[class_dim + 1:]
    xp = kernels_for(input.data).xp  # the labels go where the scores are
    target = xp.asarray(target.data if isinstance(target, Tensor) else target)
    if target.shape == input.shape and target.dtype.kind == "f":
        return target.astype(input.dtype, copy=False)
    whole = target.dtype.kind in "iu" or (target.dtype.kind == "f" and
                                          bool((target == xp.round(target)).all()))
    if target.shape != labels_shape or not whole:
        labels = "one integer class label (a 0-d array)" if input.ndim == 1 else \
            f"{math.prod(labels_shape)} integer class labels (shape {tuple(labels_shape)})"
        raise ValueError(f"{name}: target must be {labels} or probabilities of shape "
                         f"{tuple(input.shape)}, got an array of shape {target.shape} and dtype "
                         f"{target.dtype}")
    labels = target.astype(np.intp, copy=False)
    # All labels in range, the common case, is seen in two reductions (this runs on every
    # training step); only otherwise are the ignored ones set apart.
    if labels.size and not (0 <= labels.min() and labels.max() < classes):
        real = labels[labels != ignore_index]
        if real.size and (real.min() < 0 or real.max() >= classes):
            raise ValueError(f"{name}: labels must lie in 0..{classes - 1} for {classes} "
                             f"classes, got labels from {int(real.min())} to {int(real.max())}")
    return labels


def _class_weights(name: str, weight, input: Tensor) -> np.ndarray | None:
    """One weight per class as an array of the input's dtype (None: all 1)."""
    if weight is None:
        return None
    weight = kernels_for(input.data).xp.asarray(
        weight.data if isinstance(weight, Tensor) else weight, input.dtype)
    classes = input.shape[1 if input.ndim >= 2 else 0]
    if weight.shape != (classes,):
        raise ValueError(f"{name}: weight must hold one number per class, shape ({classes},), "
                         f"got shape {weight.shape}")
    return weight


def _along_classes(weight: np.ndarray, input: Tensor) -> np.ndarray:
    """Class weights shaped to broadcast along the input's class axis."""
    return weight.reshape(-1, *(1,) * (input.ndim - 2)) if input.ndim >= 2 else weight


def nll_loss(input, target, weight=None, size_average=None, ignore_index: int = -100,
             reduce=None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood: −log pᵧ from log-probabilities (after ``log_softmax``).

        >>> from nn.functional import log_softmax
        >>> nll_loss(log_softmax(Tensor([[0.0, 0.0]]), dim=1), np.array([1]))
        tensor(0.6931472)

    Input (N, C) with labels (N,), a single sample (C,) with one label, or (N, C, d₁, ...)
    with labels (N, d₁, ...). ``weight`` (C,) weighs each class, and the mean is then
    Σ w_y·loss / Σ w_y; samples labelled ``ignore_index`` count for nothing. Probability
    rows of the input's shape may stand for the labels (chainrule's extension).
    """
    name = "nll_loss"
    reduction = _reduction(size_average, reduce, reduction, name)
    input = as_tensor(input, name)
    target = _class_targets(name, input, target, ignore_index)
    weight = _class_weights(name, weight, input)
    class_dim = 1 if input.ndim >= 2 else 0
    if target.dtype.kind == "f":  # probability rows weigh every class
        if weight is not None:
            target = target * _along_classes(weight, input)
        return _reduce(-(input * target).sum(class_dim), reduction)
    kept = target != ignore_index
    xp = kernels_for(target).xp
    labels = xp.where(kept, target, 0)
    picked = input.gather(class_dim, xp.expand_dims(labels, class_dim)).squeeze(class_dim)
    if weight is None and kept.all():
        return _reduce(-picked, reduction)
    sample_weights = kept.astype(input.dtype)  # 0 for the ignored samples
    if weight is not None:
        sample_weights *= weight[labels]
    return _reduce(-picked, reduction, Tensor(sample_weights))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index: int = -100,
                  reduce=None, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy of logits (N, C) against integer labels (N,) or class
    probabilities (N, C), as ``torch.nn.functional.cross_entropy``.

        >>> cross_entropy(Tensor([[0.0, 0.0]]), np.array([1]))
        tensor(0.6931472)

    Give it the scores before any softmax: it applies log-softmax itself, stably. It is
    ``nll_loss(log_softmax(input, dim=1), target)``, as in PyTorch, with the same shapes,
    ``weight`` and ``ignore_index``. ``label_smoothing`` ε mixes the target with the
    uniform distribution: (1 − ε)·target + ε/C.

    For 2-D logits without class weights or smoothing it is one graph node
    (:data:`nn.ops.cross_entropy`), whose gradient is (softmax − onehot) / N.
    """
    name = "cross_entropy"
    reduction = _reduction(size_average, reduce, reduction, name)
    input = as_tensor(input, name)
    target = _class_targets(name, input, target, ignore_index)
    if input.ndim == 2 and weight is None and label_smoothing == 0:
        if target.ndim == 2:
            return ops.cross_entropy_of_rows(input, target, reduction=reduction)
        if not (target == ignore_index).any():
            return ops.cross_entropy(input, labels=target, reduction=reduction)
    class_dim = 1 if input.ndim >= 2 else 0
    classes = input.shape[class_dim]
    log_p = input.log_softmax(class_dim)
    if target.dtype.kind == "f":
        if label_smoothing:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        return nll_loss(log_p, target, weight, reduction=reduction)
    loss = nll_loss(log_p, target, weight, ignore_index=ignore_index, reduction=reduction)
    if not label_smoothing:
        return loss
    # PyTorch's smoothing term: −Σ_c w_c log p_c per sample, with nll_loss's denominator
    weights = _class_weights(name, weight, input)
    spread = log_p if weights is None else log_p * _along_classes(weights, input)
    kept = target != ignore_index
    smooth = -spread.sum(class_dim) * kept.astype(input.dtype)
    if reduction == "mean":
        total = kept.sum() if weights is None else weights[target[kept]].sum()
        smooth = smooth.sum() / total
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * loss + smooth * (label_smoothing / classes)


def kl_div(input, target, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence Σ t·(log t − x) of the distribution ``target`` from the
    log-probabilities ``input``, as ``torch.nn.functional.kl_div`` (with ``log_target``,
    the target too is given as log-probabilities).

        >>> kl_div(Tensor([[-0.5, -1.0]]).log_softmax(1), [[0.5, 0.5]], reduction="batchmean")
        tensor(0.0309298)

    ``reduction="batchmean"`` divides the sum by the batch size, which is the divergence;
    ``"mean"`` (the default, as in PyTorch) divides by the number of elements, and warns.
    A target of 0 contributes 0, as t·log t → 0.
    """
    name = "kl_div"
    if reduction == "mean" and size_average is None and reduce is None:
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size. 'batchmean' divides only by the batch size, and aligns "
                      "with the KL div math definition.", UserWarning, stacklevel=2)
    reduction = _reduction(size_average, reduce, reduction, name,
                           ("mean", "batchmean", "sum", "none"))
    input, target = _pair(name, input, target)
    if log_target:
        loss = target.exp() * (target - input)
    else:  # log 1 = 0 stands in for log 0 where t = 0, so that t·log t is 0 there
        loss = target * (target.masked_fill(target.data <= 0, 1.0).log() - input)
    if reduction == "batchmean":
        return loss.sum() / (input.shape[0] if input.ndim else 1)
    return _reduce(loss, reduction)


def hinge_loss(input, target, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """max(0, margin − t·score) for labels t = ±1: the SVM loss of micrograd's demo.

        >>> hinge_loss(Tensor([2.0, 0.5]), [1.0, -1.0])
        tensor(0.75)
    """
    reduction = _reduction(None, None, reduction, "hinge_loss")
    input, target = _pair("hinge_loss", input, target)
    if not np.all(np.abs(target.data) == 1):
        raise ValueError(f"hinge_loss: target must hold labels -1 and +1, got values "
                         f"{np.unique(target.data)[:5]}; turn 0/1 labels into ±1 with 2*y - 1")
    return _reduce((margin - target * input).relu(), reduction)


# --- the modules --------------------------------------------------------------------------


class _Loss(Module):
    """A loss as a layer: ``criterion = nn.MSELoss(); loss = criterion(output, target)``.
    It holds the options and calls its ``function`` with them."""

    options: tuple = ()  # the function's keyword arguments the module keeps
    reductions = ("mean", "sum", "none")

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__()
        self.reduction = _reduction(size_average, reduce, reduction, type(self).__name__,
                                    self.reductions)

    def forward(self, input, target) -> Tensor:
        options = {name: getattr(self, name) for name in self.options}
        return type(self).function(input, target, reduction=self.reduction, **options)


class _WeightedLoss(_Loss):
    """A loss with class or element weights, kept as the buffer ``weight`` (in
    ``state_dict`` when given, as in PyTorch)."""

    options = ("weight",)

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """Mean squared error as a module; see :func:`mse_loss`.

        >>> criterion = MSELoss()
        >>> criterion(Tensor([1.0, 2.0]), Tensor([1.0, 4.0]))
        tensor(2.)
    """

    function = mse_loss


class L1Loss(_Loss):
    """Mean absolute error as a module; see :func:`l1_loss`.

        >>> L1Loss(reduction="sum")(Tensor([1.0, 2.0]), Tensor([1.0, 4.0]))
        tensor(2.)
    """

    function = l1_loss


class SmoothL1Loss(_Loss):
    """Smooth L1 loss as a module; see :func:`smooth_l1_loss`.

        >>> SmoothL1Loss(beta=0.5)(Tensor([3.0]), Tensor([0.0]))
        tensor(2.75)
    """

    function, options = smooth_l1_loss, ("beta",)

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean",
                 beta: float = 1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta


class HuberLoss(_Loss):
    """Huber loss as a module; see :func:`huber_loss`.

        >>> HuberLoss(delta=0.5)(Tensor([3.0]), Tensor([0.0]))
        tensor(1.375)
    """

    function, options = huber_loss, ("delta",)

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        self.delta = delta


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy of logits as a module; see :func:`cross_entropy`.

        >>> criterion = CrossEntropyLoss()
        >>> criterion(Tensor([[0.0, 0.0]]), np.array([1]))
        tensor(0.6931472)
    """

    function, options = cross_entropy, ("weight", "ignore_index", "label_smoothing")

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood as a module, after ``LogSoftmax``; see :func:`nll_loss`.

        >>> NLLLoss()(Tensor([[-1.0, -2.0]]), np.array([1]))
        tensor(2.)
    """

    function, options = nll_loss, ("weight", "ignore_index")

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities as a module; see :func:`binary_cross_entropy`.

        >>> BCELoss()(Tensor([0.5]), Tensor([1.0]))
        tensor(0.6931472)
    """

    function = binary_cross_entropy


class BCEWithLogitsLoss(_WeightedLoss):
    """Binary cross-entropy of scores as a module; see
    :func:`binary_cross_entropy_with_logits`. ``pos_weight`` is a buffer, as ``weight``.

        >>> BCEWithLogitsLoss()(Tensor([0.0]), Tensor([1.0]))
        tensor(0.6931472)
    """

    function, options = binary_cross_entropy_with_logits, ("weight", "pos_weight")

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean",
                 pos_weight=None):
        super().__init__(weight, size_average, reduce, reduction)
        self.register_buffer("pos_weight", pos_weight)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence as a module; see :func:`kl_div`.

        >>> KLDivLoss(reduction="batchmean")(Tensor([[-0.6931472, -0.6931472]]),
        ...                                  Tensor([[0.5, 0.5]]))
        tensor(0.)
    """

    function, options = kl_div, ("log_target",)
    reductions = ("mean", "batchmean", "sum", "none")

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean",
                 log_target: bool = False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target
