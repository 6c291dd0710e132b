"""BatchNorm: statistics worked out by hand, finite differences, and torch's running stats."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor
from autograd.gradcheck import gradcheck
from nn.normalization import BatchNorm1d, BatchNorm2d, batch_norm

# four samples of two features: feature 0 is 1, 2, 3, 6 and feature 1 is 0, 0, 4, 4
X = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 4.0], [6.0, 4.0]])


def test_training_step_by_hand():
    bn = BatchNorm1d(2)
    out = bn(X)
    # feature 0: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; feature 1: mean 2, variance 4
    expected = np.array([[-2 / math.sqrt(3.5 + 1e-5), -2 / math.sqrt(4 + 1e-5)],
                         [-1 / math.sqrt(3.5 + 1e-5), -2 / math.sqrt(4 + 1e-5)],
                         [0.0, 2 / math.sqrt(4 + 1e-5)],
                         [3 / math.sqrt(3.5 + 1e-5), 2 / math.sqrt(4 + 1e-5)]])
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)
    # running stats move 10% of the way, with the unbiased variance: 14/3 and 16/3
    np.testing.assert_allclose(bn.running_mean, [0.1 * 3, 0.1 * 2], rtol=1e-5)
    np.testing.assert_allclose(bn.running_var, [0.9 + 0.1 * 14 / 3, 0.9 + 0.1 * 16 / 3],
                               rtol=1e-5)
    assert bn.num_batches_tracked == 1


def test_evaluation_uses_running_stats_by_hand():
    bn = BatchNorm1d(2)
    bn.weight.data[...] = [2.0, 1.0]
    bn.bias.data[...] = [0.5, 0.0]
    bn.running_mean[...] = [1.0, -1.0]
    bn.running_var[...] = [4.0, 1.0]
    bn.eval()
    out = bn(np.array([[3.0, 0.0]]))  # one sample works in evaluation
    np.testing.assert_allclose(out.data, [[2 * 2 / math.sqrt(4 + 1e-5) + 0.5,
                                           1 / math.sqrt(1 + 1e-5)]], rtol=1e-6)
    np.testing.assert_array_equal(bn.running_mean, [1.0, -1.0])  # untouched
    assert bn.num_batches_tracked == 0


def test_momentum_none_is_the_plain_average():
    bn = BatchNorm1d(2, momentum=None)
    bn(X)
    bn(X + 10)
    np.testing.assert_allclose(bn.running_mean, [(3 + 13) / 2, (2 + 12) / 2], rtol=1e-5)
    np.testing.assert_allclose(bn.running_var, [14 / 3, 16 / 3], rtol=1e-5)


def test_batchnorm2d_statistics_per_channel():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 3, 5, 5)) * [[[[1.0]], [[2.0]], [[5.0]]]] + 3.0
    bn = BatchNorm2d(3, momentum=1.0)  # running stats = the last batch's
    out = bn(x).data
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1.0, rtol=1e-3)
    np.testing.assert_allclose(bn.running_mean, x.mean(axis=(0, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(bn.running_var, x.var(axis=(0, 2, 3), ddof=1), rtol=1e-5)


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (3, 3, 4, 5)])
@pytest.mark.parametrize("training", [True, False])
def test_gradcheck(shape, training):
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    weight = Tensor(rng.standard_normal(3), requires_grad=True)
    bias = Tensor(rng.standard_normal(3), requires_grad=True)
    mean, var = rng.standard_normal(3), rng.random(3) + 0.5
    assert gradcheck(lambda x, w, b: batch_norm(x, mean.copy(), var.copy(), w, b, training),
                     x, weight, bias)


@pytest.mark.parametrize("layer, shape", [("BatchNorm1d", (16, 4)), ("BatchNorm1d", (8, 4, 7)),
                                          ("BatchNorm2d", (8, 4, 6, 5))])
def test_against_torch_over_training_and_evaluation(layer, shape):
    torch = pytest.importorskip("torch")
    import nn.normalization as ours_module
    rng = np.random.default_rng(2)
    ours, theirs = getattr(ours_module, layer)(4), getattr(torch.nn, layer)(4)
    theirs.weight.data.uniform_(0.5, 1.5)
    theirs.bias.data.uniform_(-0.5, 0.5)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    for _ in range(3):  # three training steps
        x = (rng.standard_normal(shape) * 2 + 1).astype(np.float32)
        xs, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, expected = ours(xs), theirs(xt)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
        grad = rng.standard_normal(shape).astype(np.float32)
        out.backward(grad)
        expected.backward(torch.tensor(grad))
        np.testing.assert_allclose(xs.grad, xt.grad.numpy(), rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-4, atol=1e-4)
    state, expected_state = ours.state_dict(), theirs.state_dict()
    assert list(state) == list(expected_state)
    for key, value in expected_state.items():
        np.testing.assert_allclose(state[key], value.numpy(), rtol=1e-5, err_msg=key)
    ours.eval(), theirs.eval()
    x = rng.standard_normal(shape).astype(np.float32)
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)
    assert repr(ours) == repr(theirs) == f"{layer}(4, eps=1e-05, momentum=0.1, affine=True, " \
        "bias=True, track_running_stats=True)"


def test_options():
    plain = BatchNorm2d(3, affine=False)
    assert plain.parameters() == [] and list(plain.state_dict()) == [
        "running_mean", "running_var", "num_batches_tracked"]
    untracked = BatchNorm1d(2, track_running_stats=False)
    assert list(untracked.state_dict()) == ["weight", "bias"]
    untracked.eval()  # no running stats: batch statistics even in evaluation
    np.testing.assert_allclose(untracked(X).data.mean(axis=0), 0.0, atol=1e-6)
    assert BatchNorm2d(16).weight.dtype == np.float32


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\).*4-D.*got shape \(2, 3\)"):
        BatchNorm2d(3)(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="3 channels"):
        BatchNorm1d(3)(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        BatchNorm1d(3)(np.zeros((1, 3)))


def test_a_checkpoint_without_num_batches_tracked_loads_as_in_torch():
    # Checkpoints from before PyTorch 0.4.1 lack the counter. PyTorch loads such a plain
    # dict and keeps its counter as it was: 0 in a new layer, 1 after one training batch.
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    old = {"weight": rng.random(3) + 0.5, "bias": rng.random(3), "running_mean": rng.random(3),
           "running_var": rng.random(3) + 1}
    batch = rng.standard_normal((4, 3, 2, 2)).astype(np.float32)
    for trained_batches in (0, 1):
        ours = nn.Sequential(nn.Conv2d(1, 3, 1), BatchNorm2d(3))
        theirs = torch.nn.Sequential(torch.nn.Conv2d(1, 3, 1), torch.nn.BatchNorm2d(3))
        if trained_batches:
            ours[1](batch), theirs[1](torch.tensor(batch))
        conv = {f"0.{k}": v.numpy() for k, v in theirs[0].state_dict().items()}
        checkpoint = {**conv, **{f"1.{k}": v for k, v in old.items()}}
        theirs.load_state_dict({k: torch.tensor(v) for k, v in checkpoint.items()})
        ours.load_state_dict(checkpoint)
        assert ours[1].num_batches_tracked == theirs[1].num_batches_tracked.item() \
            == trained_batches
        np.testing.assert_allclose(ours[1].running_var, old["running_var"], rtol=1e-5)
    # Every other key is still required.
    del checkpoint["1.running_var"]
    with pytest.raises(RuntimeError, match=r"missing keys \['1\.running_var'\]"):
        ours.load_state_dict(checkpoint)
