"""fit / evaluate / predict: histories, metrics, modes and thresholds."""

import numpy as np
import pytest

import nn
import nn.functional as F
from nn.training import accuracy


def _blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = rng.standard_normal((n, 2)) * 0.5 + np.array([[0, 3], [3, 0], [-3, -3]])[y]
    return X.astype(np.float32), y


def test_fit_returns_a_history_per_epoch():
    np.random.seed(0)
    X, y = _blobs()
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    history = nn.fit(model, F.cross_entropy, nn.optim.Adam(model.parameters(), lr=0.05),
                     (X, y), epochs=5, val_data=(X[:50], y[:50]), batch_size=20, progress=False)
    assert isinstance(history, dict)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 5 for values in history.values())
    assert history["loss"][-1] < history["loss"][0] and history["val_accuracy"][-1] > 0.95
    assert repr(history).startswith("History(epochs=5, loss=")
    # the validation numbers are evaluate's on the trained model
    final = nn.evaluate(model, F.cross_entropy, (X[:50], y[:50]))
    assert final["loss"] == pytest.approx(history["val_loss"][-1])
    assert final["accuracy"] == history["val_accuracy"][-1]


def test_the_progress_bar_shows_the_loss_and_stays_quiet_when_off(capsys):
    X, y = _blobs(40)
    model = nn.Sequential(nn.Linear(2, 3))
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    nn.fit(model, F.cross_entropy, opt, (X, y), epochs=2, progress=False)
    assert capsys.readouterr() == ("", "")
    nn.fit(model, F.cross_entropy, opt, (X, y), epochs=2, progress=True)
    err = capsys.readouterr().err
    assert "epoch 2/2" in err and "loss=" in err


def test_predict_and_evaluate_leave_the_mode_and_build_no_graph():
    X, y = _blobs(30)
    model = nn.Sequential(nn.Linear(2, 3))
    out = nn.predict(model, X, batch_size=7)
    assert isinstance(out, np.ndarray) and out.shape == (30, 3) and model.training
    np.testing.assert_allclose(out, model(X).data, rtol=1e-5, atol=1e-5)
    assert model[0].weight.grad is None


def test_metrics_can_be_functions():
    X, y = _blobs(30)
    model = nn.Sequential(nn.Linear(2, 3))

    def error_rate(output, target):
        return 1 - accuracy(output, target)

    history = nn.fit(model, F.cross_entropy, nn.optim.SGD(model.parameters(), lr=0.1),
                     nn.DataLoader(X, y, batch_size=10), metrics=[error_rate], progress=False)
    assert set(history) == {"loss", "error_rate"}
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        nn.fit(model, F.cross_entropy, nn.optim.SGD(model.parameters()), (X, y), metrics=["f1"],
               progress=False)


def test_accuracy_by_hand():
    assert accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0])) == 0.5
    assert accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.eye(2)) == 1.0
    assert accuracy(np.array([[0.3], [-1.0], [2.0]]), np.array([1, 0, 0])) == pytest.approx(2 / 3)
    assert accuracy(np.array([0.3, -1.0]), np.array([1.0, 1.0])) == 0.5      # ±1 labels
    assert accuracy(np.array([0.3, 0.6]), np.array([1, 1]), threshold=0.5) == 0.5


def test_binary_classification_with_a_sigmoid_output():
    X, y = _blobs(100)
    t = (y == 0).astype(np.float32).reshape(-1, 1)
    np.random.seed(1)
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    history = nn.fit(model, F.binary_cross_entropy, nn.optim.Adam(model.parameters(), lr=0.1),
                     (X, t), epochs=10, progress=False)
    assert history["accuracy"][-1] > 0.95  # thresholded at 0.5 for probabilities

