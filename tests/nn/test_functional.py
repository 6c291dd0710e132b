"""nn.functional: each loss against its formula by hand and against torch.nn.functional;
the fused ops against finite differences."""

import math

import numpy as np
import pytest

import nn.functional as F
from autograd import Tensor
from autograd.gradcheck import gradcheck

# --- losses by hand -----------------------------------------------------------------------


def test_mse_and_l1_by_hand():
    prediction, target = Tensor([1.0, 2.0, 4.0]), np.array([1.0, 4.0, 3.0])
    assert F.mse_loss(prediction, target).item() == pytest.approx((0 + 4 + 1) / 3)
    assert F.mse_loss(prediction, target, reduction="sum").item() == pytest.approx(5.0)
    np.testing.assert_allclose(F.l1_loss(prediction, target, reduction="none").data, [0, 2, 1])
    assert F.l1_loss(prediction, target).item() == pytest.approx(1.0)


def test_binary_cross_entropy_by_hand():
    p, t = Tensor([0.8, 0.4]), np.array([1.0, 0.0])
    expected = -(math.log(0.8) + math.log(0.6)) / 2
    assert F.binary_cross_entropy(p, t).item() == pytest.approx(expected, rel=1e-5)
    # the logit of 0.8 is log 4: the same loss from the score
    z = Tensor([math.log(4.0), math.log(0.4 / 0.6)])
    assert F.binary_cross_entropy_with_logits(z, t).item() == pytest.approx(expected, rel=1e-5)


def test_cross_entropy_by_hand():
    logits = Tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    labels = np.array([2, 0])
    log_sum = math.log(math.e + math.e**2 + math.e**3)
    per_sample = [log_sum - 3.0, math.log(3.0)]
    np.testing.assert_allclose(F.cross_entropy(logits, labels, reduction="none").data,
                               per_sample, rtol=1e-5)
    assert F.cross_entropy(logits, labels).item() == pytest.approx(np.mean(per_sample), rel=1e-5)
    onehot = np.eye(3, dtype=np.float32)[labels]
    assert F.cross_entropy(logits, onehot).item() == pytest.approx(np.mean(per_sample), rel=1e-5)
    soft = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    expected = [0.5 * (log_sum - 1) + 0.5 * (log_sum - 2), math.log(3.0)]
    np.testing.assert_allclose(F.cross_entropy(logits, soft, reduction="none").data, expected,
                               rtol=1e-5)


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n():
    logits = Tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
    F.cross_entropy(logits, np.array([2, 0])).backward()
    e = np.exp([1.0, 2.0, 3.0])
    expected = np.array([e / e.sum() - [0, 0, 1], np.full(3, 1 / 3) - [1, 0, 0]]) / 2
    np.testing.assert_allclose(logits.grad, expected, rtol=1e-5, atol=1e-6)


def test_nll_and_hinge_by_hand():
    log_p = Tensor([[-0.5, -1.0], [-2.0, -0.1]])
    assert F.nll_loss(log_p, np.array([1, 0])).item() == pytest.approx((1.0 + 2.0) / 2)
    scores, labels = Tensor([2.0, 0.5, -0.3]), np.array([1.0, -1.0, 1.0])
    # max(0, 1 − 2) = 0, max(0, 1 + 0.5) = 1.5, max(0, 1 + 0.3) = 1.3
    np.testing.assert_allclose(F.hinge_loss(scores, labels, reduction="none").data,
                               [0.0, 1.5, 1.3], rtol=1e-5)
    assert F.hinge_loss(scores, labels, margin=2.0, reduction="sum").item() == \
        pytest.approx(0.0 + 2.5 + 2.3, rel=1e-5)


def test_penalties_by_hand_on_tensors_and_values():
    from autograd import Value
    params = [Tensor([1.0, -2.0]), Tensor([[3.0]])]
    assert F.l1_penalty(params).item() == 6.0
    assert F.l2_penalty(params).item() == 14.0
    assert F.l2_penalty([Value(2.0), Value(-1.0)]).data == 5.0


# --- numerically stable -------------------------------------------------------------------


def test_large_logits_stay_finite():
    logits = Tensor([[1000.0, 0.0], [-1000.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(logits, np.array([1, 1]))
    assert loss.item() == pytest.approx(1000.0 / 2)
    loss.backward()
    assert np.all(np.isfinite(logits.grad))
    z = Tensor([1000.0, -1000.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, np.array([0.0, 1.0]))
    assert loss.item() == pytest.approx(1000.0)
    loss.backward()
    np.testing.assert_allclose(z.grad, [0.5, -0.5])


def test_bce_of_certain_mistakes_is_clamped_like_pytorch():
    # PyTorch clamps each log at −100: a probability of exactly 0 for a positive costs 100,
    # in float32 as in float64.
    for dtype in (np.float64, np.float32):
        p = Tensor(np.array([0.0, 1.0], dtype), requires_grad=True)
        loss = F.binary_cross_entropy(p, np.array([1.0, 0.0], dtype))
        assert loss.item() == 100.0
        loss.backward()
        assert np.all(np.isfinite(p.grad))


def test_bce_of_a_float32_sigmoid_that_rounds_to_one_has_gradient_zero():
    # σ(20) is 1 − 2e-9, which float32 rounds to exactly 1: the target is met, and
    # PyTorch's gradient is 0 (a log clamped at e^−100, a float32 denormal, gave nan).
    torch = pytest.importorskip("torch")
    z = Tensor(np.array([20.0], np.float32), requires_grad=True)
    assert z.sigmoid().item() == 1.0
    F.binary_cross_entropy(z.sigmoid(), np.array([1.0], np.float32)).backward()
    tz = torch.tensor([20.0], requires_grad=True)
    torch.nn.functional.binary_cross_entropy(tz.sigmoid(), torch.tensor([1.0])).backward()
    assert z.grad.tolist() == tz.grad.tolist() == [0.0]


# Probabilities at the edges (exactly 0 and 1, and tiny) and inside, against
# targets 0, 1 and 0.3: every case of PyTorch's clamps.
EDGE_P = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5, 0.3, 1e-30, 1 - 1e-7]
EDGE_T = [0.0, 1.0, 0.3, 0.0, 1.0, 0.3, 0.3, 1.0, 1.0, 0.0]


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-5), (np.float64, 1e-12)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_at_exactly_0_and_1_matches_torch(dtype, rtol, reduction):
    torch = pytest.importorskip("torch")
    p_np, t_np = np.array(EDGE_P, dtype), np.array(EDGE_T, dtype)
    weight = np.linspace(0.5, 2.0, len(EDGE_P)).astype(dtype)
    p, t = Tensor(p_np, requires_grad=True), Tensor(t_np, requires_grad=True)
    tp, tt = torch.tensor(p_np, requires_grad=True), torch.tensor(t_np, requires_grad=True)
    for w, tw in [(None, None), (weight, torch.tensor(weight))]:
        p.grad = t.grad = tp.grad = tt.grad = None
        ours = F.binary_cross_entropy(p, t, weight=w, reduction=reduction)
        theirs = torch.nn.functional.binary_cross_entropy(tp, tt, weight=tw, reduction=reduction)
        assert ours.dtype == dtype
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=rtol)
        ours.sum().backward()
        theirs.sum().backward()
        assert np.all(np.isfinite(p.grad))  # the target's is ±inf at 0 and 1, as PyTorch's
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=rtol)
        np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=rtol)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_weights_match_torch(reduction):
    torch = pytest.importorskip("torch")
    scores = np.concatenate([SCORES.ravel()[:20], [1000.0, -1000.0, 1000.0, -1000.0]])
    target = np.concatenate([RNG.random(20), [0.0, 1.0, 0.3, 0.3]])
    scores, target = scores.reshape(6, 4), target.reshape(6, 4)
    weight, pos_weight = RNG.random((6, 4)) + 0.5, np.array([0.5, 1.0, 3.0, 10.0])
    for kwargs in [{}, {"weight": weight}, {"pos_weight": pos_weight},
                   {"weight": weight[0], "pos_weight": pos_weight}]:
        z = Tensor(scores, requires_grad=True)
        tz = torch.tensor(scores, requires_grad=True)
        ours = F.binary_cross_entropy_with_logits(z, target, reduction=reduction, **kwargs)
        theirs = torch.nn.functional.binary_cross_entropy_with_logits(
            tz, torch.tensor(target), reduction=reduction,
            **{key: torch.tensor(value) for key, value in kwargs.items()})
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12)
        ours.sum().backward()
        theirs.sum().backward()
        np.testing.assert_allclose(z.grad, tz.grad.numpy(), rtol=1e-12)


def test_bce_with_logits_keeps_what_the_sigmoid_rounds_away():
    # −log σ(30) = log(1 + e^−30) = 9.36e-14, but a float32 sigmoid rounds σ(30) to 1, so
    # BCE of the probability says 0, and for a wrong target the clamp's 100 instead of 30.
    z = Tensor(np.array([30.0, -30.0], np.float32), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, [1.0, 0.0], reduction="sum")
    assert loss.item() == pytest.approx(2 * math.log1p(math.exp(-30)), rel=1e-5)
    loss.backward()  # σ(z) − t = −σ(−30) and σ(−30), without cancellation
    np.testing.assert_allclose(z.grad, [-math.exp(-30), math.exp(-30)], rtol=1e-5)
    through_sigmoid = F.binary_cross_entropy(F.sigmoid(z), [1.0, 0.0], reduction="none")
    assert through_sigmoid.data[0] == 0  # σ(30) rounded to 1: the loss is gone
    z = np.array([30.0, -30.0, 200.0], np.float32)
    wrong = F.binary_cross_entropy_with_logits(z, [0.0, 1.0, 0.0], reduction="none").data
    np.testing.assert_allclose(wrong, [30.0, 30.0, 200.0], rtol=1e-5)
    np.testing.assert_array_equal(
        F.binary_cross_entropy(F.sigmoid(z), [0.0, 1.0, 0.0], reduction="none").data,
        [100.0, 30.0, 100.0])  # 1 − σ(30) rounded to 0: the clamp's 100, whatever z is


def coffee_roasting_data(n=400, seed=0):
    """The seminar's coffee: temperature 150-290 °C and duration 11.5-16 minutes, as
    they are (not normalised); a good roast lies between 175 and 260 °C and between 12
    and 15 minutes, and shorter the hotter it is."""
    rng = np.random.default_rng(seed)
    temperature, duration = rng.uniform(150, 290, n), rng.uniform(11.5, 16, n)
    good = ((175 < temperature) & (temperature < 260) & (12 < duration) & (duration < 15)
            & (duration <= 21 - 3 / 85 * temperature))
    X = np.stack([temperature, duration], axis=1).astype(np.float32)
    return X, good.astype(np.float32)[:, None]


def test_coffee_roasting_network_trains_in_float32_without_nan():
    import nn
    X, y = coffee_roasting_data()
    np.random.seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1), nn.Sigmoid())
    hidden = model[1](model[0](X)).data
    assert np.any((hidden == 0) | (hidden == 1))  # unnormalised: the sigmoids saturate
    history = nn.fit(model, F.binary_cross_entropy, nn.optim.Adam(model.parameters(), lr=0.01),
                     (X, y), epochs=20, progress=False)
    assert len(history["loss"]) == 20 and np.all(np.isfinite(history["loss"]))
    for p in model.parameters():
        assert p.dtype == np.float32
        assert np.all(np.isfinite(p.data)) and np.all(np.isfinite(p.grad))
    # the network learnt at least the base rate: its loss is below that of p = 0.5
    assert history["loss"][-1] < math.log(2)


# --- against PyTorch ----------------------------------------------------------------------


def _compare_with_torch(ours, theirs, inputs, targets, **kwargs):
    """Run a loss in both libraries on float64 copies; compare values and input grads."""
    torch = pytest.importorskip("torch")
    x = Tensor(inputs, requires_grad=True)
    tx = torch.tensor(inputs, requires_grad=True)
    value = ours(x, targets, **kwargs)
    expected = theirs(tx, torch.tensor(targets), **kwargs)
    np.testing.assert_allclose(value.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    value.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)


RNG = np.random.default_rng(1)
SCORES = RNG.standard_normal((6, 4)) * 3
LABELS = RNG.integers(0, 4, 6)
PROBS = RNG.dirichlet(np.ones(4), 6)
REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_match_torch(reduction):
    torch = pytest.importorskip("torch")
    target = RNG.standard_normal((6, 4))
    _compare_with_torch(F.mse_loss, torch.nn.functional.mse_loss, SCORES, target,
                        reduction=reduction)
    _compare_with_torch(F.l1_loss, torch.nn.functional.l1_loss, SCORES, target,
                        reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_losses_match_torch(reduction):
    torch = pytest.importorskip("torch")
    target = RNG.integers(0, 2, (6, 4)).astype(np.float64)
    probabilities = 1 / (1 + np.exp(-SCORES))
    _compare_with_torch(F.binary_cross_entropy, torch.nn.functional.binary_cross_entropy,
                        probabilities, target, reduction=reduction)
    _compare_with_torch(F.binary_cross_entropy_with_logits,
                        torch.nn.functional.binary_cross_entropy_with_logits,
                        SCORES, target, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_class_losses_match_torch(reduction):
    torch = pytest.importorskip("torch")
    _compare_with_torch(F.cross_entropy, torch.nn.functional.cross_entropy, SCORES, LABELS,
                        reduction=reduction)
    _compare_with_torch(F.cross_entropy, torch.nn.functional.cross_entropy, SCORES, PROBS,
                        reduction=reduction)
    log_p = SCORES - np.log(np.exp(SCORES).sum(axis=1, keepdims=True))
    _compare_with_torch(F.nll_loss, torch.nn.functional.nll_loss, log_p, LABELS,
                        reduction=reduction)


def test_hinge_matches_its_torch_formula():
    torch = pytest.importorskip("torch")
    scores, labels = SCORES[:, 0], np.where(LABELS > 1, 1.0, -1.0)
    _compare_with_torch(F.hinge_loss, lambda s, t: torch.clamp(1 - t * s, min=0).mean(),
                        scores, labels)


@pytest.mark.parametrize("name, torch_name, kwargs", [
    ("relu", "relu", {}), ("sigmoid", "sigmoid", {}), ("tanh", "tanh", {}),
    ("leaky_relu", "leaky_relu", {"negative_slope": 0.2}), ("elu", "elu", {"alpha": 0.5}),
    ("softplus", "softplus", {}), ("softplus", "softplus", {"beta": 2.0}),
])
def test_activations_match_torch(name, torch_name, kwargs):
    torch = pytest.importorskip("torch")
    x = Tensor(SCORES, requires_grad=True)
    tx = torch.tensor(SCORES, requires_grad=True)
    out, expected = getattr(F, name)(x, **kwargs), getattr(torch.nn.functional, torch_name)(
        tx, **kwargs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    (out * SCORES).sum().backward()
    (expected * torch.tensor(SCORES)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_softmax_and_log_softmax_match_torch():
    torch = pytest.importorskip("torch")
    tx = torch.tensor(SCORES)
    np.testing.assert_allclose(F.softmax(SCORES, axis=1).data,
                               torch.softmax(tx, dim=1).numpy(), rtol=1e-12)
    np.testing.assert_allclose(F.log_softmax(SCORES, axis=0).data,
                               torch.log_softmax(tx, dim=0).numpy(), rtol=1e-12)


def test_linear_matches_torch():
    torch = pytest.importorskip("torch")
    x, w, b = RNG.standard_normal((2, 5, 3)), RNG.standard_normal((4, 3)), RNG.standard_normal(4)
    tensors = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    torch_tensors = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    out = F.linear(*tensors)
    expected = torch.nn.functional.linear(*torch_tensors)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    for ours, theirs in zip(tensors, torch_tensors):
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12)


# --- the fused ops against finite differences --------------------------------------------


def test_fused_ops_pass_gradcheck():
    x, w, b = (Tensor(RNG.standard_normal(s), requires_grad=True) for s in [(5, 3), (4, 3), (4,)])
    assert gradcheck(F.linear, x, w, b)
    assert gradcheck(F.linear, x, w)
    assert gradcheck(lambda z: F.cross_entropy(z, LABELS, reduction="none"),
                     Tensor(SCORES, requires_grad=True))
    assert gradcheck(lambda z: F.cross_entropy(z, PROBS), Tensor(SCORES, requires_grad=True))


def test_linear_skips_the_gradient_of_an_input_that_needs_none():
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    x = Tensor(np.ones((4, 3)))
    F.linear(x, w).sum().backward()
    assert x.grad is None
    np.testing.assert_array_equal(w.grad, np.full((2, 3), 4.0))


def test_linear_gives_numpy_input_the_weights_dtype():
    w = Tensor(np.ones((2, 3), dtype=np.float32))
    assert F.linear(np.ones((4, 3)), w).dtype == np.float32


# --- errors that say what was expected ----------------------------------------------------


def test_labels_out_of_range():
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.3 for 4 classes.*to 4"):
        F.cross_entropy(SCORES, np.array([0, 1, 2, 3, 4, 0]))
    with pytest.raises(ValueError, match=r"0\.\.3"):
        F.nll_loss(SCORES, np.array([-1, 1, 2, 3, 0, 0]))


def test_targets_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"6 integer class labels \(shape \(6,\)\) or "
                                         r"probabilities of shape \(6, 4\)"):
        F.cross_entropy(SCORES, LABELS[:5])
    with pytest.raises(ValueError, match=r"one integer class label \(a 0-d array\)"):
        F.cross_entropy(SCORES[0], LABELS[:1])  # one sample: one label, as PyTorch
    with pytest.raises(ValueError, match=r"input has shape \(6, 1\) but target has shape "
                                         r"\(6,\).*y\.reshape\(6, 1\)"):
        F.mse_loss(SCORES[:, :1], LABELS.astype(float))


def test_other_mistakes():
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none'"):
        F.mse_loss(SCORES, SCORES, reduction="average")
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\].*with_logits"):
        F.binary_cross_entropy(SCORES, np.ones_like(SCORES))
    with pytest.raises(ValueError, match="-1 and \\+1.*2\\*y - 1"):
        F.hinge_loss(SCORES[:, 0], (LABELS > 1).astype(float))
    with pytest.raises(ValueError, match="linear: .*must have 3 features"):
        F.linear(np.ones((2, 4)), Tensor(np.ones((5, 3))))
