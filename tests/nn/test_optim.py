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
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.5, eps=1e-3, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.01, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.01)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    # β₂ = 0.9: the variance estimate is trusted (ρₜ > 5) from the sixth step on
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.9), weight_decay=0.01)),
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.9), weight_decay=0.1, decoupled_weight_decay=True)),
]


@pytest.fixture
def torch_scalars_in(request):
    """PyTorch keeps an optimizer's scalar state (``step``, NAdam's ``mu_product``) in its
    default dtype: float64 for a float64 comparison, as chainrule keeps Python floats."""
    torch = pytest.importorskip("torch")
    previous = torch.get_default_dtype()
    yield lambda dtype: torch.set_default_dtype(
        torch.float64 if dtype == np.float64 else torch.float32)
    torch.set_default_dtype(previous)


def _torch_pair(torch, name, kwargs, start, dtype=np.float64):
    """The same parameter and optimizer in both libraries."""
    ours = Parameter(start.astype(dtype))
    theirs = torch.tensor(start.astype(dtype), requires_grad=True)
    return ours, theirs, getattr(optim, name)([ours], **kwargs), \
        getattr(torch.optim, name)([theirs], **kwargs)


@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, kwargs", TORCH_CASES)
def test_matches_torch_optim(name, kwargs, dtype, maximize, torch_scalars_in):
    torch = pytest.importorskip("torch")
    torch_scalars_in(dtype)
    rng = np.random.default_rng(0)
    start, grads = rng.standard_normal((3, 4)), rng.standard_normal((7, 3, 4)).astype(dtype)
    ours, theirs, opt, torch_opt = _torch_pair(torch, name, dict(kwargs, maximize=maximize),
                                               start, dtype)
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    for g in grads:  # step by step, the state too
        ours.grad = g.copy()
        theirs.grad = torch.tensor(g)
        opt.step()
        torch_opt.step()
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=tolerance,
                                   atol=tolerance)
        assert set(opt.state[ours]) == set(torch_opt.state[theirs])  # PyTorch's keys
        for key, value in torch_opt.state[theirs].items():
            np.testing.assert_allclose(np.asarray(opt.state[ours][key], dtype=np.float64),
                                       value.double().numpy(), rtol=1e-5, atol=1e-6,
                                       err_msg=key)
    assert ours.data.dtype == dtype


def _small_parameters_trained(name, kwargs, one_by_one, monkeypatch):
    """Six steps of small parameters of several shapes (a 0-d one among them), with a
    step that one parameter skips, and a state array replaced by the user in between;
    ``one_by_one`` turns the updating together off."""
    from nn.optim import optimizer
    monkeypatch.setattr(optimizer, "_TOGETHER_BELOW", 0 if one_by_one else 1 << 14)
    rng = np.random.default_rng(1)
    params = [Parameter(rng.standard_normal(shape)) for shape in [(3, 4), (4,), (), (2, 1)]]
    opt = getattr(optim, name)(params, **kwargs)
    for step in range(6):
        for p in params:
            p.grad = rng.standard_normal(p.shape)
        if step == 2:
            params[1].grad = None  # its count falls behind the others'
        opt.step()
        arrays = [k for k, v in opt.state[params[0]].items() if isinstance(v, np.ndarray)]
        if step == 3 and arrays:
            opt.state[params[0]][arrays[0]] = np.full((3, 4), 0.5)
    return params, opt


@pytest.mark.parametrize("name, kwargs", TORCH_CASES)
def test_small_parameters_updated_together_get_the_numbers_of_one_by_one(name, kwargs,
                                                                          monkeypatch):
    together, opt = _small_parameters_trained(name, kwargs, False, monkeypatch)
    alone, reference = _small_parameters_trained(name, kwargs, True, monkeypatch)
    for p, q in zip(together, alone):
        np.testing.assert_array_equal(p.data, q.data)
        assert opt.state[p].keys() == reference.state[q].keys()
        for key, value in opt.state[p].items():  # each parameter's own, shaped like it
            np.testing.assert_array_equal(value, reference.state[q][key])
            assert np.shape(value) == (p.shape if isinstance(value, np.ndarray) else ())


def test_maximize_climbs():
    w = Parameter(np.zeros(1))
    opt = optim.SGD([w], lr=0.5, maximize=True)
    w.grad = np.array([2.0])     # the slope of the objective, uphill
    opt.step()
    assert w.data[0] == 1.0      # 0 + 0.5 · 2


def test_state_keys_are_pytorchs():
    expected = {
        optim.SGD(_one(), lr=0.1, momentum=0.9): {"momentum_buffer"},
        optim.Adagrad(_one()): {"step", "sum"},
        optim.RMSprop(_one(), momentum=0.9): {"step", "square_avg", "momentum_buffer"},
        optim.RMSprop(_one(), centered=True): {"step", "square_avg", "grad_avg"},
        optim.Adadelta(_one()): {"step", "square_avg", "acc_delta"},
        optim.Adamax(_one()): {"step", "exp_avg", "exp_inf"},
        optim.NAdam(_one()): {"step", "mu_product", "exp_avg", "exp_avg_sq"},
        optim.RAdam(_one()): {"step", "exp_avg", "exp_avg_sq"},
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


# --- parameter groups, and saving as PyTorch saves ---------------------------------------

def _two_groups(library, params, name):
    """Two groups with options of their own beside the defaults, as a fine-tuning run sets
    them: the first its own learning rate, the second its own β₁ and weight decay."""
    first, second = params
    groups = [{"params": [first], "lr": 0.05},
              {"params": [second], "betas": (0.5, 0.9), "weight_decay": 0.1}]
    return getattr(library, name)(groups, lr=0.01)


@pytest.mark.parametrize("name", ["Adam", "NAdam", "RAdam", "Adamax"])
def test_groups_with_their_own_options_and_one_added_later_match_torch(name, torch_scalars_in):
    torch = pytest.importorskip("torch")
    torch_scalars_in(np.float64)
    rng = np.random.default_rng(3)
    starts = [rng.standard_normal(s) for s in [(2, 3), (3,), (4,)]]
    ours = [Parameter(a.copy()) for a in starts]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in starts]
    opt, torch_opt = _two_groups(optim, ours[:2], name), _two_groups(torch.optim, theirs[:2], name)
    for step in range(6):
        if step == 3:  # a layer unfrozen half-way, with a learning rate of its own
            opt.add_param_group({"params": ours[2], "lr": 0.2})
            torch_opt.add_param_group({"params": theirs[2], "lr": 0.2})
        for p, t in zip(ours, theirs):
            g = rng.standard_normal(p.shape)
            p.grad, t.grad = g, torch.tensor(g)
        opt.step()
        torch_opt.step()
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=1e-12, atol=1e-12)
    for group, torch_group in zip(opt.param_groups, torch_opt.param_groups):
        assert {k: v for k, v in group.items() if k != "params"}.items() <= torch_group.items()


def test_a_parameter_in_two_groups_and_a_set_of_parameters_are_refused():
    p = Parameter(np.zeros(2))
    opt = optim.SGD([p], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [p]})
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": {Parameter(np.zeros(1))}}], lr=0.1)


@pytest.mark.parametrize("name, kwargs", [("SGD", dict(lr=0.1, momentum=0.9)),
                                          ("Adam", dict(lr=0.1, amsgrad=True)),
                                          ("NAdam", dict()), ("Adadelta", dict())])
def test_state_dict_has_pytorchs_structure_and_loads_pytorchs(name, kwargs, torch_scalars_in):
    torch = pytest.importorskip("torch")
    torch_scalars_in(np.float64)
    rng = np.random.default_rng(4)
    starts, grads = [rng.standard_normal((2, 2)), rng.standard_normal(3)], rng.standard_normal(7)
    ours = [Parameter(a.copy()) for a in starts]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in starts]
    opt = getattr(optim, name)(ours, **kwargs)
    torch_opt = getattr(torch.optim, name)(theirs, **kwargs)
    for k in range(2):
        for p, t, g in zip(ours, theirs, grads[2 * k:]):
            p.grad, t.grad = np.full(p.shape, g), torch.full(t.shape, g, dtype=torch.float64)
        opt.step()
        torch_opt.step()
    saved, torch_saved = opt.state_dict(), torch_opt.state_dict()
    assert saved.keys() == torch_saved.keys() == {"state", "param_groups"}
    assert [g["params"] for g in saved["param_groups"]] == \
        [g["params"] for g in torch_saved["param_groups"]] == [[0, 1]]
    assert {i: set(s) for i, s in saved["state"].items()} == \
        {i: set(s) for i, s in torch_saved["state"].items()}
    # PyTorch's saved state, tensors and all, loaded into a fresh optimizer: both go on alike
    fresh = [Parameter(t.detach().numpy().copy()) for t in theirs]
    resumed = getattr(optim, name)(fresh, lr=123.0)
    resumed.load_state_dict(torch_saved)
    assert resumed.param_groups[0]["lr"] == torch_opt.param_groups[0]["lr"]
    for p, t, g in zip(fresh, theirs, grads[4:]):
        p.grad, t.grad = np.full(p.shape, g), torch.full(t.shape, g, dtype=torch.float64)
    resumed.step()
    torch_opt.step()
    for p, t in zip(fresh, theirs):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_load_state_dict_checks_the_groups():
    opt = optim.SGD([Parameter(np.zeros(1)), Parameter(np.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size"):
        opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.1, "params": [0]}]})
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})


def test_step_calls_the_closure_and_returns_its_loss():
    w = Parameter(np.array([3.0]))
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 9.0 and w.data[0] == pytest.approx(3 - 0.1 * 6)


def test_zero_grad_can_keep_the_arrays():
    w = Parameter(np.ones(2))
    w.grad = np.ones(2)
    kept = w.grad
    optim.SGD([w], lr=0.1).zero_grad(set_to_none=False)
    assert w.grad is kept and np.all(kept == 0)
