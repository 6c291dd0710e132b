"""Optimizers: Lab 03's numbers, two steps worked by hand, and torch.optim step for step."""

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import Parameter, optim

# --- Lab 03's optimizer check --------------------------------------------------------
#
# The lab draws W (2, 3), B (2) and their optimizer state from np.random.seed(101), then
# applies five optimizers in turn to the same parameters with lr = 10, each continuing
# from the previous result, and prints the first row of W with the first bias. Its
# formulas and the faithful mapping onto PyTorch's rules:
#
# * SGD: W ← W − α·g. The same.
# * Momentum: Δ ← γΔ + α·g; W ← W − Δ. PyTorch keeps b ← γb + g and steps α·b, so
#   Δ = α·b: the lab's velocity W_dt is momentum_buffer = W_dt / α.
# * Adagrad: G ← G + g²; W ← W − α·g / √(G + ε), ε = 1e-8 inside the root. PyTorch
#   divides by √G + eps, eps outside. With eps=0 and the lab's ε carried inside the
#   accumulator (sum = W_vt + ε) the two are the same number: √(W_vt + ε + g²).
# * RMSprop: E ← βG + (1 − β)g² from the accumulator Adagrad left; W ← W − α·g / √(E + ε).
#   PyTorch: v ← βv + (1 − β)g², divides by √v + eps. Again eps=0 with ε inside, but
#   PyTorch decays the accumulator before adding, so it must start at G + ε/β for
#   β(G + ε/β) = βG + ε. (Adagrad's sum holds G + ε, hence the extra ε(1/β − 1).)
# * Adam: m, v from W_mt and the RMSprop accumulator E (without ε), step 2 done, so this
#   is step 3; W ← W − α·m̂ / (√v̂ + ε): eps outside the root, exactly PyTorch's rule.
#
# With exp(...) and sqrt in float64 these agree with the lab to its 8 printed decimals.

LAB_LR, LAB_EPS = 10.0, 1e-8
LAB_EXPECTED = {
    "sgd": [7.67789007, 8.16882972, 10.34203348, -3.22934657],
    "momentum": [14.46528172, 15.04341688, 19.30016537, -4.77070266],
    "adagrad": [22.50872929, 22.74302212, 28.47667875, -7.62607443],
    "rmsprop": [30.69802889, 30.60433129, 37.72651766, -10.62235939],
    "adam": [29.41774022, 19.27573813, 23.68071186, 1.52919472],
}


def _lab_arrays():
    np.random.seed(101)
    names = ["W", "B", "W_dt", "B_dt", "W_mt", "B_mt", "W_vt", "B_vt", "W_grad", "B_grad"]
    arrays = {}
    for name in names:
        shape = (2, 3) if name.startswith("W") else (2,)
        arrays[name] = np.random.randn(*shape)
    arrays["W_vt"], arrays["B_vt"] = np.abs(arrays["W_vt"]), np.abs(arrays["B_vt"])
    return arrays


def test_lab03_optimizers_in_sequence():
    a = _lab_arrays()
    W, B = Parameter(a["W"].copy()), Parameter(a["B"].copy())
    params = [W, B]

    def step(opt, **state):
        for i, p in enumerate(params):
            p.grad = [a["W_grad"], a["B_grad"]][i].copy()
            opt.state[p].update({key: value[i] for key, value in state.items()})
        opt.step()
        return [*W.data[0], B.data[0]]

    rows = {"sgd": step(optim.SGD(params, lr=LAB_LR))}
    rows["momentum"] = step(optim.SGD(params, lr=LAB_LR, momentum=0.9),
                            momentum_buffer=[a["W_dt"] / LAB_LR, a["B_dt"] / LAB_LR])
    adagrad = optim.Adagrad(params, lr=LAB_LR, eps=0.0)
    rows["adagrad"] = step(adagrad, sum=[a["W_vt"] + LAB_EPS, a["B_vt"] + LAB_EPS])
    beta = 0.9
    rmsprop = optim.RMSprop(params, lr=LAB_LR, alpha=beta, eps=0.0)
    rows["rmsprop"] = step(rmsprop, square_avg=[
        adagrad.state[p]["sum"] + LAB_EPS * (1 / beta - 1) for p in params])
    rows["adam"] = step(optim.Adam(params, lr=LAB_LR, betas=(0.9, 0.99), eps=LAB_EPS),
                        exp_avg=[a["W_mt"], a["B_mt"]], step=[2, 2],
                        exp_avg_sq=[rmsprop.state[p]["square_avg"] - LAB_EPS for p in params])

    for name, expected in LAB_EXPECTED.items():
        np.testing.assert_allclose(rows[name], expected, rtol=0, atol=5e-9, err_msg=name)


# --- two steps by hand ------------------------------------------------------------------
#
# θ starts at 1.0; the gradients are g1 = 0.5, then g2 = −1.0 (0.1 for amsgrad's case).
# Each expected value is the rule written out by hand, step by step.

def _sgd_nesterov():
    b1 = 0.5
    theta1 = 1 - 0.1 * (0.5 + 0.9 * b1)          # 0.905
    b2 = 0.9 * b1 - 1.0                          # −0.55
    return theta1 - 0.1 * (-1.0 + 0.9 * b2)      # 1.0545


def _adam(beta2=0.999, g2=-1.0, amsgrad=False, decay=0.0):
    theta = 1.0 * (1 - 0.1 * decay)
    m, v = 0.1 * 0.5, (1 - beta2) * 0.25
    theta -= 0.1 * (m / 0.1) / np.sqrt(v / (1 - beta2))               # = 1 − 0.1
    theta *= 1 - 0.1 * decay
    v_max = v
    m, v = 0.9 * m + 0.1 * g2, beta2 * v + (1 - beta2) * g2**2
    v_used = max(v, v_max) if amsgrad else v
    return theta - 0.1 * (m / (1 - 0.9**2)) / np.sqrt(v_used / (1 - beta2**2))


HAND_CASES = [
    (optim.SGD, dict(lr=0.1), 1 - 0.05 + 0.1),                                     # 1.05
    (optim.SGD, dict(lr=0.1, momentum=0.9), 0.95 - 0.1 * (0.9 * 0.5 - 1.0)),       # 1.005
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.5), 0.95 - 0.1 * (0.45 - 0.5)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True), _sgd_nesterov()),
    (optim.SGD, dict(lr=0.1, weight_decay=0.1),                                    # 1.0306
     (1 - 0.1 * (0.5 + 0.1)) - 0.1 * (-1.0 + 0.1 * 0.94)),
    (optim.Adagrad, dict(lr=0.1, eps=0.0), 0.9 + 0.1 / np.sqrt(0.25 + 1.0)),
    (optim.Adagrad, dict(lr=0.1, eps=0.0, lr_decay=1.0), 0.9 + 0.1 / 2 / np.sqrt(1.25)),
    (optim.Adagrad, dict(lr=0.1, eps=0.0, initial_accumulator_value=1.0),
     (1 - 0.1 * 0.5 / np.sqrt(1.25)) + 0.1 / np.sqrt(2.25)),
    (optim.RMSprop, dict(lr=0.1, alpha=0.9, eps=0.0),                              # v2 = 0.1225
     (1 - 0.1 * 0.5 / np.sqrt(0.025)) + 0.1 / 0.35),
    (optim.RMSprop, dict(lr=0.1, alpha=0.9, eps=0.0, momentum=0.5),
     (1 - 0.1 * 0.5 / np.sqrt(0.025)) - 0.1 * (0.5 * 0.5 / np.sqrt(0.025) - 1 / 0.35)),
    (optim.Adam, dict(lr=0.1, eps=0.0), _adam()),
    (optim.Adam, dict(lr=0.1, eps=0.0, betas=(0.9, 0.5), amsgrad=True),
     _adam(beta2=0.5, g2=0.1, amsgrad=True)),
    (optim.AdamW, dict(lr=0.1, eps=0.0, weight_decay=0.1), _adam(decay=0.1)),
]


def _grads(kwargs):
    return [0.5, 0.1] if kwargs.get("amsgrad") else [0.5, -1.0]


@pytest.mark.parametrize("opt_class, kwargs, expected", HAND_CASES)
def test_two_steps_by_hand_on_a_tensor(opt_class, kwargs, expected):
    theta = Parameter(np.array([1.0]))
    opt = opt_class([theta], **kwargs)
    for g in _grads(kwargs):
        theta.grad = np.array([g])
        opt.step()
    assert theta.data[0] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("opt_class, kwargs, expected", HAND_CASES)
def test_two_steps_by_hand_on_a_value(opt_class, kwargs, expected):
    theta = Value(1.0)
    opt = opt_class([theta], **kwargs)
    for g in _grads(kwargs):
        theta.grad = g
        opt.step()
    assert isinstance(theta.data, float)
    assert theta.data == pytest.approx(expected, abs=1e-12)


def test_the_adam_hand_calculation_in_numbers():
    # The helper above, spelled out once: m2 = −0.055, v2 = 0.00124975,
    # m̂ = −0.055 / 0.19, v̂ = 0.00124975 / 0.001999.
    assert _adam() == pytest.approx(0.9 + 0.1 * (0.055 / 0.19) / np.sqrt(0.00124975 / 0.001999))


# --- against torch.optim ----------------------------------------------------------------

TORCH_CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.8)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, kwargs", TORCH_CASES)
def test_matches_torch_optim(name, kwargs, dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    start = rng.standard_normal((3, 4)).astype(dtype)
    grads = rng.standard_normal((6, 3, 4)).astype(dtype)
    ours = Parameter(start.copy())
    theirs = torch.tensor(start.copy(), requires_grad=True)
    opt = getattr(optim, name)([ours], **kwargs)
    torch_opt = getattr(torch.optim, name)([theirs], **kwargs)
    for g in grads:
        ours.grad = g.copy()
        theirs.grad = torch.tensor(g)
        opt.step()
        torch_opt.step()
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=tolerance,
                               atol=tolerance)
    assert ours.data.dtype == dtype
    for key, value in torch_opt.state[theirs].items():  # same keys, same numbers
        np.testing.assert_allclose(np.asarray(opt.state[ours][key], dtype=np.float64),
                                   value.double().numpy(), rtol=1e-5, atol=1e-6, err_msg=key)


def test_state_keys_are_pytorchs():
    expected = {
        optim.SGD(_one(), lr=0.1, momentum=0.9): {"momentum_buffer"},
        optim.Adagrad(_one()): {"step", "sum"},
        optim.RMSprop(_one(), momentum=0.9): {"step", "square_avg", "momentum_buffer"},
        optim.Adam(_one()): {"step", "exp_avg", "exp_avg_sq"},
        optim.Adam(_one(), amsgrad=True): {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"},
    }
    for opt, keys in expected.items():
        (p,) = opt.param_groups[0]["params"]
        p.grad = np.ones(2)
        opt.step()
        assert set(opt.state[p]) == keys


def _one():
    return [Parameter(np.zeros(2))]


def test_parameters_without_grad_are_left_alone():
    a, b = Parameter(np.ones(2)), Parameter(np.ones(2))
    opt = optim.Adam([a, b], lr=0.1)
    a.grad = np.ones(2)
    opt.step()
    assert np.all(a.data < 1) and np.all(b.data == 1) and b not in opt.state


def test_zero_grad_forgets_tensor_and_value_grads():
    t, v = Parameter(np.ones(2)), Value(1.0)
    t.grad, v.grad = np.ones(2), 3.0
    optim.SGD([t, v], lr=0.1).zero_grad()
    assert t.grad is None and v.grad == 0.0


def test_param_groups_have_their_own_learning_rates():
    a, b = Parameter(np.zeros(1)), Parameter(np.zeros(1))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    a.grad, b.grad = np.ones(1), np.ones(1)
    opt.step()
    assert a.data[0] == pytest.approx(-0.1) and b.data[0] == pytest.approx(-1.0)


def test_state_dict_round_trip():
    p = Parameter(np.ones(3))
    opt = optim.Adam([p], lr=0.1)
    p.grad = np.ones(3)
    opt.step()
    saved = opt.state_dict()
    assert saved["param_groups"][0]["params"] == [0]
    assert set(saved["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    q = Parameter(np.ones(3))
    fresh = optim.Adam([q], lr=0.5)
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["lr"] == 0.1 and fresh.state[q]["step"] == 1
    np.testing.assert_array_equal(fresh.state[q]["exp_avg"], opt.state[p]["exp_avg"])


def test_prefilled_state_of_the_wrong_shape_is_named():
    p = Parameter(np.zeros((2, 3)))
    opt = optim.Adam([p])
    opt.state[p]["exp_avg"] = np.zeros(3)
    p.grad = np.ones((2, 3))
    with pytest.raises(ValueError, match="'exp_avg' has shape \\(3,\\).*\\(2, 3\\)"):
        opt.step()


def test_empty_parameter_list_is_an_error():
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)


def test_nesterov_needs_momentum():
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD(_one(), lr=0.1, nesterov=True)


def test_update_needs_no_graph():
    p = Parameter(np.ones(2, dtype=np.float32))
    p.grad = np.ones(2, dtype=np.float32)
    optim.Adam([p], lr=0.1).step()
    assert p.op is None and p.data.dtype == np.float32 and isinstance(p, Tensor)


# --- schedulers ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, kwargs", [("StepLR", dict(step_size=3, gamma=0.5)),
                                          ("ExponentialLR", dict(gamma=0.9))])
def test_schedulers_match_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    opt = optim.SGD(_one(), lr=0.1)
    torch_opt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
    ours = getattr(optim, name)(opt, **kwargs)
    theirs = getattr(torch.optim.lr_scheduler, name)(torch_opt, **kwargs)
    for _ in range(10):
        torch_opt.step()
        ours.step()
        theirs.step()
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)


def test_step_lr_by_hand():
    opt = optim.SGD(_one(), lr=1.0)
    scheduler = optim.StepLR(opt, step_size=2, gamma=0.1)
    lrs = []
    for _ in range(5):
        scheduler.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == pytest.approx([1.0, 0.1, 0.1, 0.01, 0.01])
