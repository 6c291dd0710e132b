"""Lab 03 end to end: the lab's network on scikit-learn's digits."""

import numpy as np
import pytest

import nn
from nn.lab03 import digits_mlp, train_digits


def test_lab03_digits_network_reaches_the_labs_accuracy():
    pytest.importorskip("sklearn")
    run = train_digits("adam", lr=0.01, epochs=30, progress=False)
    assert run.test_accuracy >= 0.97  # the lab reports 0.9806
    assert run.X_train.shape == (1437, 64) and run.X_test.shape == (360, 64)
    predicted = nn.predict(run.model, run.X_test).argmax(axis=1)
    assert np.mean(predicted == run.y_test) == run.test_accuracy


def test_digits_mlp_is_the_labs_architecture():
    model = digits_mlp()
    shapes = [p.shape for p in model.parameters()]
    assert shapes == [(80, 64), (80,), (70, 80), (70,), (10, 70), (10,)]


def test_unknown_optimizer_is_named():
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'.*sgd, adagrad"):
        train_digits("lbfgs")
