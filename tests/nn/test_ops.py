"""nn's graph ops: each writes its rule (a derivation of a convnet shows them all), each
rule's text says what its backward computes (checked against PyTorch's functions of
those names), and the fused ops give autograd's numbers."""

import numpy as np
import pytest

import nn.functional as F
from autograd import Tensor, derive
from nn import ops

RNG = np.random.default_rng(5)


def convnet_loss():
    """A small convnet written with nn.functional, every node labelled (a leaf by what it
    is, an intermediate by a letter), so that the derivation's names are known."""
    def leaf(label, *shape, ones=False):
        data = np.ones(shape) if ones else RNG.standard_normal(shape)
        return Tensor(data, requires_grad=True, label=label)

    def named(node, label):
        node.label = label
        return node

    np.random.seed(0)  # the dropout mask
    x = leaf("x", 2, 1, 4, 4)
    c = named(F.conv2d(x, leaf("w", 2, 1, 3, 3), leaf("b", 2)), "c")
    n = named(F.batch_norm(c, None, None, leaf("γ", 2, ones=True), leaf("β", 2),
                           training=True), "n")
    a = named(F.avg_pool2d(F.relu(n), 1), "a")
    m = named(F.max_pool2d(a, 2), "m")
    d = named(F.dropout(m.flatten(1), 0.25), "d")
    z = named(F.linear(d, leaf("W2", 3, 2), leaf("b2", 3)), "z")
    return named(F.cross_entropy(z, np.array([0, 2])), "L")


def test_a_convnets_derivation_writes_every_rule():
    text = str(derive(convnet_loss()))
    assert "VJP_" not in text  # what the derivation writes for an op without formulas
    for rule in ["(softmax(z) − onehot(labels)) ⊙ ∂L/∂L / n",              # cross_entropy
                 "∂L/∂zᵀ @ d", "∂L/∂z @ W2", "Σ ∂L/∂z over the samples",    # linear
                 "dropout mask ⊙ ∂L/∂d",                                    # dropout: x · mask
                 "∂L/∂m to each window's max",                              # max_pool2d
                 "∂L/∂a / (kh·kw) to every pixel of each window",           # avg_pool2d
                 "γ / √(σ² + ε) ⊙ (∂L/∂n − mean(∂L/∂n) − x̂ ⊙ mean(∂L/∂n ⊙ x̂))",
                 "Σ ∂L/∂n ⊙ x̂ per channel", "Σ ∂L/∂n per channel",         # batch_norm
                 "conv_transpose2d(∂L/∂c, w)", "patches(x)ᵀ @ ∂L/∂c",
                 "Σ ∂L/∂c over (N, H, W)"]:                                 # conv2d
        assert rule in text, rule
    for expression in ["conv2d(x, w) + b", "γ ⊙ (c − μ) / √(σ² + ε) + β", "d @ W2ᵀ + b2",
                       "cross_entropy(z, labels)"]:
        assert expression in text, expression


@pytest.mark.parametrize("op", [ops.linear, ops.linear_without_bias, ops.conv2d,
                                ops.conv2d_without_bias, ops.conv_transpose2d,
                                ops.conv_transpose2d_without_bias, ops.max_pool2d,
                                ops.avg_pool2d, ops.avg_pool2d_counted,
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


def test_conv_transpose2d_rules_are_pytorchs_conv2d_and_the_patch_product():
    torch = pytest.importorskip("torch")
    x, w = RNG.standard_normal((2, 4, 3, 3)), RNG.standard_normal((4, 3, 2, 2))
    g = RNG.standard_normal((2, 3, 6, 6))
    node = F.conv_transpose2d(Tensor(x, requires_grad=True), Tensor(w, requires_grad=True),
                              stride=2)
    grad_x, grad_w = ops.conv_transpose2d.backward(node, g)
    # "conv2d({g}, {1})"
    expected = torch.nn.functional.conv2d(torch.tensor(g), torch.tensor(w), stride=2)
    np.testing.assert_allclose(grad_x, expected.numpy(), rtol=1e-10, atol=1e-12)
    # "patches({g})ᵀ @ {0}": every patch of g (the windows conv2d reads) times x there
    patches = torch.nn.functional.unfold(torch.tensor(g), 2, stride=2)   # (N, O·kh·kw, L)
    rows = torch.tensor(x).flatten(2)                                    # (N, C, L)
    expected = torch.einsum("npl,ncl->cp", patches, rows).reshape(w.shape)
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
    assert grad_x.flags.c_contiguous  # x's own layout, for the rules it goes on to


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
