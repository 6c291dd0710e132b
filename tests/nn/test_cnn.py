"""Whole convnets: the homework's summary table, the HW05 three-layer convnet written three
ways, and a small CNN trained on real MNIST digits."""


import numpy as np
import pytest

import nn
import nn.functional as F
from nn.conv import AvgPool2d, Conv2d, MaxPool2d
from nn.datasets import load_mnist
from nn.dropout import Dropout, Dropout2d
from nn.normalization import BatchNorm1d, BatchNorm2d


def test_summary_of_the_homework_cnn():
    model = nn.Sequential(
        Conv2d(3, 16, 5), nn.ReLU(), MaxPool2d(2),
        Conv2d(16, 32, 3), nn.ReLU(), MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 23 * 23, 256), nn.ReLU(), nn.Linear(256, 10))
    summary = nn.summary(model, (3, 100, 100))
    rows = [(row.kind, row.output_shape[1:], row.params) for row in summary.rows
            if row.kind != "ReLU"]
    # 100 − 5 + 1 = 96, halved to 48; 48 − 3 + 1 = 46, halved to 23; 32·23·23 = 16,928
    assert rows == [("Conv2d", (16, 96, 96), 16 * 3 * 5 * 5 + 16),         # 1,216
                    ("MaxPool2d", (16, 48, 48), 0),
                    ("Conv2d", (32, 46, 46), 32 * 16 * 3 * 3 + 32),        # 4,640
                    ("MaxPool2d", (32, 23, 23), 0),
                    ("Flatten", (16928,), 0),
                    ("Linear", (256,), 16928 * 256 + 256),                 # 4,333,824
                    ("Linear", (10,), 256 * 10 + 10)]                      # 2,570
    assert summary.total_params == summary.trainable_params == 4_342_250
    assert "Total params: 4,342,250" in str(summary)


def test_weights_move_from_pytorch():
    torch = pytest.importorskip("torch")
    tnn = torch.nn
    theirs = tnn.Sequential(
        tnn.Conv2d(3, 8, 3, padding=1), tnn.BatchNorm2d(8), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Dropout2d(0.25), tnn.Conv2d(8, 16, 3, stride=2), tnn.ReLU(), tnn.AvgPool2d(2),
        tnn.Flatten(), tnn.Linear(16 * 3 * 3, 32), tnn.BatchNorm1d(32), tnn.Dropout(0.5),
        tnn.Linear(32, 10))
    ours = nn.Sequential(
        Conv2d(3, 8, 3, padding=1), BatchNorm2d(8), nn.ReLU(), MaxPool2d(2),
        Dropout2d(0.25), Conv2d(8, 16, 3, stride=2), nn.ReLU(), AvgPool2d(2),
        nn.Flatten(), nn.Linear(16 * 3 * 3, 32), BatchNorm1d(32), Dropout(0.5),
        nn.Linear(32, 10))
    x = np.random.default_rng(0).standard_normal((16, 3, 28, 28)).astype(np.float32)
    theirs(torch.tensor(x))  # one training step moves the running statistics
    theirs.eval()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    ours.eval()
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)


# --- HW05: the three-layer convnet in functional form, as a Module, as a Sequential ----------

def three_layer_convnet(x, params):
    """HW05's functional network: conv 5×5 (padding 2), ReLU, conv 3×3 (padding 1), ReLU,
    then a fully connected layer written as a matrix product."""
    conv_w1, conv_b1, conv_w2, conv_b2, fc_w, fc_b = params
    x = F.relu(F.conv2d(x, conv_w1, conv_b1, padding=2))
    x = F.relu(F.conv2d(x, conv_w2, conv_b2, padding=1))
    return x.flatten(1) @ fc_w + fc_b


class ThreeLayerConvNet(nn.Module):
    def __init__(self, in_channel, channel_1, channel_2, num_classes):
        super().__init__()
        self.conv1 = Conv2d(in_channel, channel_1, 5, padding=2)
        self.conv2 = Conv2d(channel_1, channel_2, 3, padding=1)
        self.fc = nn.Linear(channel_2 * 32 * 32, num_classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        return self.fc(x.flatten(1))


def sequential_convnet(in_channel, channel_1, channel_2, num_classes):
    return nn.Sequential(Conv2d(in_channel, channel_1, 5, padding=2), nn.ReLU(),
                         Conv2d(channel_1, channel_2, 3, padding=1), nn.ReLU(),
                         nn.Flatten(), nn.Linear(channel_2 * 32 * 32, num_classes))


def _random_params(rng, channel_1=6, channel_2=9):
    shapes = [(channel_1, 3, 5, 5), (channel_1,), (channel_2, channel_1, 3, 3), (channel_2,),
              (channel_2 * 32 * 32, 10), (10,)]
    return [(rng.standard_normal(s) * 0.1).astype(np.float32) for s in shapes]


def test_hw05_output_shape_in_all_three_forms():
    x = np.zeros((64, 3, 32, 32), np.float32)
    params = [np.zeros(p.shape, np.float32) for p in _random_params(np.random.default_rng(0))]
    assert three_layer_convnet(x, params).shape == (64, 10)
    assert ThreeLayerConvNet(3, 6, 9, 10)(x).shape == (64, 10)
    assert sequential_convnet(3, 6, 9, 10)(x).shape == (64, 10)


def test_hw05_three_forms_agree_for_the_same_weights():
    rng = np.random.default_rng(1)
    params = _random_params(rng)
    x = rng.standard_normal((8, 3, 32, 32)).astype(np.float32)
    conv_w1, conv_b1, conv_w2, conv_b2, fc_w, fc_b = params
    # nn.Linear keeps its weight as (out, in): the transpose of fc_w
    state = {"conv1.weight": conv_w1, "conv1.bias": conv_b1, "conv2.weight": conv_w2,
             "conv2.bias": conv_b2, "fc.weight": fc_w.T, "fc.bias": fc_b}
    module = ThreeLayerConvNet(3, 6, 9, 10)
    module.load_state_dict(state)
    sequential = sequential_convnet(3, 6, 9, 10)
    renamed = {"conv1": "0", "conv2": "2", "fc": "5"}
    sequential.load_state_dict({renamed[k.split(".")[0]] + "." + k.split(".")[1]: v
                                for k, v in state.items()})
    functional = three_layer_convnet(x, params).data
    # The same float32 computation, but the fully connected layer's 9,216-term sums may be
    # added in another order (x @ W against x @ W.T.T): BLAS kernels differ by up to ~1e-5
    # on scores of size ~7, while a wrong weight or transpose is off by ~1.
    np.testing.assert_allclose(module(x).data, functional, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(sequential(x).data, functional, rtol=1e-5, atol=1e-4)


def test_hw05_matches_pytorch():
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    rng = np.random.default_rng(2)
    params = _random_params(rng)
    x = rng.standard_normal((8, 3, 32, 32)).astype(np.float32)
    labels = rng.integers(0, 10, 8)
    ours = [nn.Parameter(p) for p in params]
    loss = F.cross_entropy(three_layer_convnet(x, ours), labels)
    loss.backward()
    theirs = [torch.tensor(p, requires_grad=True) for p in params]
    w1, b1, w2, b2, fc_w, fc_b = theirs
    h = tf.relu(tf.conv2d(torch.tensor(x), w1, b1, padding=2))
    h = tf.relu(tf.conv2d(h, w2, b2, padding=1))
    expected = tf.cross_entropy(h.flatten(1) @ fc_w + fc_b, torch.tensor(labels))
    expected.backward()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-3, atol=1e-5)  # float32


# --- a CNN trained on real MNIST digits -------------------------------------------------------

def test_cnn_learns_mnist(shared_data):
    X, y = load_mnist(root=shared_data, split="test")
    X = X[:, None]  # a channel axis: (10000, 1, 28, 28)
    np.random.seed(0)  # the initial weights and the shuffling
    model = nn.Sequential(Conv2d(1, 8, 3, padding=1), nn.ReLU(), MaxPool2d(2),
                          Conv2d(8, 16, 3, padding=1), nn.ReLU(), MaxPool2d(2),
                          nn.Flatten(), nn.Linear(16 * 7 * 7, 10))
    optimizer = nn.optim.Adam(model.parameters(), lr=3e-3)
    history = nn.fit(model, F.cross_entropy, optimizer, (X[:8000], y[:8000]), epochs=3,
                     batch_size=64, progress=False)
    assert history["loss"][-1] < history["loss"][0]
    predicted = nn.predict(model, X[8000:]).argmax(axis=1)
    assert np.mean(predicted == y[8000:]) >= 0.97
