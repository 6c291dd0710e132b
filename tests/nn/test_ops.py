"""nn's graph ops: each writes its rule (a derivation of a convnet shows them all), each
rule's text says what its backward computes (checked against PyTorch's functions of
those names), and the fused ops give autograd's numbers."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, derive
from nn import ops

RNG = np.random.default_rng(5)


def convnet_loss():
    np.random.seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.AvgPool2d(1),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(2, 3))
    return F.cross_entropy(model(RNG.standard_normal((2, 1, 4, 4))), np.array([0, 2]))


def test_a_convnets_derivation_writes_every_rule():
    text = str(derive(convnet_loss()))
    assert "VJP_" not in text  # what the derivation writes for an op without formulas
    for rule in ["(softmax(v15) − onehot(labels)) ⊙ ∂L/∂L / n",      # cross_entropy
                 "∂L/∂v15ᵀ @ v12", "∂L/∂v15 @ v13", "Σ ∂L/∂v15 over the samples",  # linear
                 "dropout mask ⊙ ∂L/∂v12",                           # dropout: x · mask
                 "∂L/∂v10 to each window's max",                     # max_pool2d
                 "∂L/∂v9 / (kh·kw) to every pixel of each window",   # avg_pool2d
                 "v5 / √(σ² + ε) ⊙ (∂L/∂v7 − mean(∂L/∂v7) − x̂ ⊙ mean(∂L/∂v7 ⊙ x̂))",
                 "Σ ∂L/∂v7 ⊙ x̂ per channel", "Σ ∂L/∂v7 per channel",  # batch_norm
                 "patches(v1)ᵀ @ ∂L/∂v4", "Σ ∂L/∂v4 over (N, H, W)"]:  # conv2d
        assert rule in text, rule
    for expression in ["conv2d(v1, v2) + v3", "v5 ⊙ (v4 − μ) / √(σ² + ε) + v6",
                       "v12 @ v13ᵀ + v14", "cross_entropy(v15, labels)"]:
        assert expression in text, expression


@pytest.mark.parametrize("op", [ops.linear, ops.linear_without_bias, ops.conv2d,
                                ops.conv2d_without_bias, ops.max_pool2d, ops.avg_pool2d,
                                *ops.batch_norm.values(), ops.cross_entropy,
                                ops.cross_entropy_of_rows, ops.binary_cross_entropy])
def test_every_op_writes_its_expression_and_a_rule_for_its_first_input(op):
    assert op.expression.count("{0}") >= 1
    assert op.formulas and all("{g}" in formula for formula in op.formulas)


def test_rules_in_eval_mode_and_without_affine_parameters_are_their_own():
    assert ops.batch_norm[False, True].formulas[0] == "{1} / √(σ² + ε) ⊙ {g}"
    assert ops.batch_norm[True, False].expression == "({0} − μ) / √(σ² + ε)"


# --- the texts against what backward computes ------------------------------------------


def test_conv2d_rules_are_pytorchs_conv_transpose2d_and_the_patch_product():
    torch = pytest.importorskip("torch")
    x, w = RNG.standard_normal((2, 3, 6, 5)), RNG.standard_normal((4, 3, 3, 2))
    g = RNG.standard_normal((2, 4, 4, 4))
    node = ops.conv2d_without_bias(Tensor(x, requires_grad=True), Tensor(w, requires_grad=True))
    grad_x, grad_w = ops.conv2d.backward(node, g)
    # "conv_transpose2d({g}, {1})"
    expected = torch.nn.functional.conv_transpose2d(torch.tensor(g), torch.tensor(w))
    np.testing.assert_allclose(grad_x, expected.numpy(), rtol=1e-10, atol=1e-12)
    # "patches({0})ᵀ @ {g}": every kh×kw×C patch of x times the gradient at its pixel
    patches = torch.nn.functional.unfold(torch.tensor(x), (3, 2))          # (N, C·kh·kw, L)
    rows = torch.tensor(g).flatten(2)                                      # (N, O, L)
    expected = torch.einsum("npl,nol->op", patches, rows).reshape(w.shape)
    np.testing.assert_allclose(grad_w, expected.numpy(), rtol=1e-10, atol=1e-12)


def test_linear_rules_by_hand():
    x, w, b = RNG.standard_normal((5, 3)), RNG.standard_normal((4, 3)), RNG.standard_normal(4)
    g = RNG.standard_normal((5, 4))
    node = ops.linear(*(Tensor(a, requires_grad=True) for a in (x, w, b)))
    grad_x, grad_w, grad_b = ops.linear.backward(node, g)
    np.testing.assert_allclose(grad_x, g @ w, rtol=1e-12)           # "{g} @ {1}"
    np.testing.assert_allclose(grad_w, g.T @ x, rtol=1e-12)         # "{g}ᵀ @ {0}"
    np.testing.assert_allclose(grad_b, g.sum(axis=0), rtol=1e-12)   # "Σ {g} over the samples"
    assert grad_w.flags.c_contiguous  # W's own layout: no transposed copy on each step


def test_cross_entropy_rule_by_hand():
    z, labels, g = RNG.standard_normal((4, 3)), np.array([2, 0, 0, 1]), 0.5
    softmax = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    node = ops.cross_entropy(Tensor(z, requires_grad=True), labels=labels)
    grad, _ = ops.cross_entropy.backward(node, np.array(g))
    np.testing.assert_allclose(grad, (softmax - np.eye(3)[labels]) * g / 4, rtol=1e-12)


# --- the fused ops on inputs of other shapes -----------------------------------------------


@pytest.mark.parametrize("x_shape", [(3,), (2, 5, 3)])  # one sample; a batch of sequences
def test_linear_of_one_sample_and_of_batched_samples_matches_torch(x_shape):
    torch = pytest.importorskip("torch")
    arrays = RNG.standard_normal(x_shape), RNG.standard_normal((4, 3)), RNG.standard_normal(4)
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = F.linear(*ours), torch.nn.functional.linear(*theirs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    weights = RNG.standard_normal(out.shape)
    (out * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-10, atol=1e-12)
