"""Layers and losses as plain functions, as ``torch.nn.functional``.

Activations are autograd's Tensor ops, and the losses are composed from them
(:func:`cross_entropy` is ``nll_loss(log_softmax(x))``, as in PyTorch), so their
derivatives are autograd's rules. Two are single graph nodes of :mod:`nn.ops`:
:func:`linear` (``x @ Wᵀ + b``, which runs on every training step, with matmul's rule
for its gradients) and :func:`binary_cross_entropy` (its gradient at probabilities of
exactly 0 or 1 is PyTorch's, which no chain of ops gives).

Inputs may be Tensors, NumPy arrays, lists or numbers (:func:`nn.inputs.as_tensor`).

The convnet ops (:func:`conv2d`, :func:`max_pool2d`, :func:`avg_pool2d`,
:func:`batch_norm`, :func:`dropout`, :func:`dropout2d`) are defined beside their layers
and offered here too.

Each loss takes ``reduction="mean"`` (the default), ``"sum"`` or ``"none"`` (one loss
per sample).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from autograd import Tensor, Value

from . import ops

# The convnet ops are defined beside their layers; like torch.nn.functional, this module
# offers them too.
from .conv import avg_pool2d, conv2d, max_pool2d  # noqa: F401  (re-exported)
from .dropout import dropout, dropout2d  # noqa: F401
from .inputs import as_tensor
from .normalization import batch_norm  # noqa: F401

# --- activations ----------------------------------------------------------------------


def relu(x) -> Tensor:
    """max(x, 0), elementwise.

        >>> relu(Tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return as_tensor(x, "relu").relu()


def sigmoid(x) -> Tensor:
    """σ(x) = 1 / (1 + e^−x), elementwise.

        >>> sigmoid(Tensor([0.0]))
        tensor([0.5])
    """
    return as_tensor(x, "sigmoid").sigmoid()


def tanh(x) -> Tensor:
    """tanh(x), elementwise.

        >>> tanh(Tensor([0.0]))
        tensor([0.])
    """
    return as_tensor(x, "tanh").tanh()


def leaky_relu(x, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, ``negative_slope``·x otherwise.

        >>> leaky_relu(Tensor([-2.0, 2.0]), 0.1)
        tensor([-0.2,  2. ])
    """
    return as_tensor(x, "leaky_relu").leaky_relu(negative_slope)


def elu(x, alpha: float = 1.0) -> Tensor:
    """x for x > 0, α(eˣ − 1) otherwise.

        >>> elu(Tensor([0.0, 1.0]))
        tensor([0., 1.])
    """
    return as_tensor(x, "elu").elu(alpha)


def softplus(x, beta: float = 1.0) -> Tensor:
    """log(1 + e^(βx)) / β, a smooth ReLU.

        >>> softplus(Tensor([0.0]))
        tensor([0.6931472])
    """
    x = as_tensor(x, "softplus")
    return x.softplus() if beta == 1.0 else (x * beta).softplus() * (1.0 / beta)


def softmax(x, axis: int = -1) -> Tensor:
    """e^xᵢ / Σⱼ e^xⱼ along ``axis``: probabilities that sum to 1.

        >>> softmax(Tensor([0.0, 0.0]))
        tensor([0.5, 0.5])
    """
    return as_tensor(x, "softmax").softmax(axis)


def log_softmax(x, axis: int = -1) -> Tensor:
    """log(softmax(x)), computed without overflow or log(0).

        >>> log_softmax(Tensor([0.0, 0.0]))
        tensor([-0.6931472, -0.6931472])
    """
    return as_tensor(x, "log_softmax").log_softmax(axis)


# --- linear ---------------------------------------------------------------------------


def linear(x, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias``, with ``weight`` of shape (out, in), as PyTorch's.

        >>> W, b = Tensor.ones(2, 3), Tensor.zeros(2)
        >>> linear(np.ones((4, 3)), W, b).shape
        Size([4, 2])

    A NumPy array input takes the weight's dtype, so float64 data from scikit-learn
    feeds a float32 network without turning the whole computation into float64.

    One graph node (:data:`nn.ops.linear`), whose gradients are matmul's rule:
    ∂L/∂x = g @ W, ∂L/∂W = gᵀ @ x, and ∂L/∂b = Σ g over the samples.
    """
    x = as_tensor(x, "linear", dtype=weight.dtype)
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:  # the layer's words, not matmul's
        raise ValueError(f"linear: the input's last axis must have {weight.shape[1]} "
                         f"features (weight is (out, in) = {tuple(weight.shape)}), got input of "
                         f"shape {tuple(x.shape)}")
    return ops.linear_without_bias(x, weight) if bias is None else ops.linear(x, weight, bias)


# --- losses ---------------------------------------------------------------------------


def _check_reduction(reduction: str, name: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got "
                         f"{reduction!r}")


def _reduce(loss: Tensor, reduction: str, name: str) -> Tensor:
    _check_reduction(reduction, name)
    if reduction == "none":
        return loss
    return loss.mean() if reduction == "mean" else loss.sum()


def _pair(name: str, input, target) -> tuple[Tensor, Tensor]:
    """``input`` and ``target`` as Tensors of the same shape."""
    input, target = as_tensor(input, name), as_tensor(target, name)
    # Broadcasting (64, 1) against (64,) would silently compare every prediction with
    # every target: a classic bug, so the shapes must agree exactly.
    if input.shape != target.shape:
        raise ValueError(f"{name}: input has shape {tuple(input.shape)} but target has shape "
                         f"{tuple(target.shape)}; they must be equal (reshape the target, e.g. "
                         f"y.reshape({', '.join(map(str, input.shape))}))")
    return input, target


def mse_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean squared error, (input − target)² averaged.

        >>> mse_loss(Tensor([1.0, 2.0]), [1.0, 4.0])
        tensor(2.)

    A float64 NumPy target makes the loss float64, as a float64 tensor does in PyTorch.
    """
    input, target = _pair("mse_loss", input, target)
    diff = input - target
    return _reduce(diff * diff, reduction, "mse_loss")


def l1_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean absolute error, |input − target| averaged.

        >>> l1_loss(Tensor([1.0, 2.0]), [1.0, 4.0])
        tensor(1.)
    """
    input, target = _pair("l1_loss", input, target)
    return _reduce((input - target).abs(), reduction, "l1_loss")


def _weighted(loss: Tensor, weight, name: str) -> Tensor:
    """Each element's loss times its ``weight`` (broadcast), if one is given."""
    return loss if weight is None else loss * as_tensor(weight, name)


def binary_cross_entropy(input, target, weight=None, reduction: str = "mean") -> Tensor:
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
    input, target = _pair(name, input, target)
    if np.any((input.data < 0) | (input.data > 1)):
        raise ValueError(f"{name}: input must hold probabilities in [0, 1]; for raw scores "
                         "use binary_cross_entropy_with_logits")
    loss = _weighted(ops.binary_cross_entropy(input, target), weight, name)
    return _reduce(loss, reduction, name)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction: str = "mean",
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
    """
    name = "binary_cross_entropy_with_logits"
    input, target = _pair(name, input, target)
    positive = target * (-input).softplus()
    if pos_weight is not None:
        positive = positive * as_tensor(pos_weight, name)
    loss = _weighted(positive + (1 - target) * input.softplus(), weight, name)
    return _reduce(loss, reduction, name)


def _class_targets(name: str, input: Tensor, target) -> np.ndarray:
    """The target checked against the (n, C) ``input``: integer labels (n,) as an index
    array, or probability rows (n, C) in the input's dtype."""
    if input.ndim != 2:
        raise ValueError(f"{name}: input must have shape (samples, classes), got "
                         f"{tuple(input.shape)}")
    samples, classes = input.shape
    target = np.asarray(target.data if isinstance(target, Tensor) else target)
    if target.shape == input.shape and target.dtype.kind == "f":
        return target.astype(input.dtype, copy=False)
    whole = target.dtype.kind in "iu" or (target.dtype.kind == "f" and
                                          np.all(target == np.round(target)))
    if target.shape != (samples,) or not whole:
        raise ValueError(f"{name}: target must be {samples} integer class labels (shape "
                         f"({samples},)) or probabilities of shape {tuple(input.shape)}, got an "
                         f"array of shape {target.shape} and dtype {target.dtype}")
    if samples and (target.min() < 0 or target.max() >= classes):
        raise ValueError(f"{name}: labels must lie in 0..{classes - 1} for {classes} classes, "
                         f"got labels from {target.min():g} to {target.max():g}")
    return target.astype(np.intp, copy=False)


def cross_entropy(input, target, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy of logits (n, C) against integer labels (n,) or one-hot /
    probability rows (n, C), as ``torch.nn.functional.cross_entropy``.

        >>> cross_entropy(Tensor([[0.0, 0.0]]), np.array([1]))
        tensor(0.6931472)

    Give it the scores before any softmax: it applies log-softmax itself, stably. It is
    ``nll_loss(log_softmax(input, axis=1), target)``, as in PyTorch, computed as one
    graph node (:data:`nn.ops.cross_entropy`) whose gradient is (softmax − onehot) / n.
    """
    _check_reduction(reduction, "cross_entropy")
    input = as_tensor(input, "cross_entropy")
    target = _class_targets("cross_entropy", input, target)
    if target.ndim == 2:
        return ops.cross_entropy_of_rows(input, target, reduction=reduction)
    return ops.cross_entropy(input, labels=target, reduction=reduction)


def nll_loss(input, target, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood: −log pᵧ from log-probabilities (after ``log_softmax``).

        >>> nll_loss(log_softmax(Tensor([[0.0, 0.0]])), np.array([1]))
        tensor(0.6931472)
    """
    input = as_tensor(input, "nll_loss")
    target = _class_targets("nll_loss", input, target)
    if target.ndim == 1:
        picked = input[np.arange(len(target)), target]
    else:  # probability rows weigh every class
        picked = (input * target).sum(axis=1)
    return _reduce(-picked, reduction, "nll_loss")


def hinge_loss(input, target, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """max(0, margin − t·score) for labels t = ±1: the SVM loss of micrograd's demo.

        >>> hinge_loss(Tensor([2.0, 0.5]), [1.0, -1.0])
        tensor(0.75)
    """
    input, target = _pair("hinge_loss", input, target)
    if not np.all(np.abs(target.data) == 1):
        raise ValueError(f"hinge_loss: target must hold labels -1 and +1, got values "
                         f"{np.unique(target.data)[:5]}; turn 0/1 labels into ±1 with 2*y - 1")
    return _reduce((margin - target * input).relu(), reduction, "hinge_loss")


# --- regularisation -------------------------------------------------------------------


def _total(terms) -> Tensor | Value:
    return sum(term.sum() if isinstance(term, Tensor) else term for term in terms)


def l1_penalty(parameters: Iterable) -> Tensor | Value:
    """Σ|w| over all given parameters (Tensors or Values), for ``loss + λ·l1_penalty(...)``.

        >>> l1_penalty([Tensor([1.0, -2.0]), Tensor([[3.0]])])
        tensor(6.)
        >>> from nn import Linear
        >>> model, x, y = Linear(3, 2), np.ones((4, 3)), np.array([0, 1, 1, 0])
        >>> weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
        >>> loss = cross_entropy(model(x), y) + 1e-4 * l1_penalty(weights)
    """
    return _total(p.abs() for p in parameters)


def l2_penalty(parameters: Iterable) -> Tensor | Value:
    """Σw² over all given parameters (Tensors or Values); ``λ/2·l2_penalty`` is the
    textbook weight decay term.

        >>> l2_penalty([Tensor([1.0, -2.0]), Tensor([[3.0]])])
        tensor(14.)
        >>> from nn import Linear
        >>> model, x, y = Linear(3, 2), np.ones((4, 3)), np.array([0, 1, 1, 0])
        >>> loss = cross_entropy(model(x), y) + 1e-4 / 2 * l2_penalty(model.parameters())
    """
    return _total(p * p for p in parameters)
