"""``chainrule train digits`` through the command's own parser."""

import functools

import pytest

from cli import build_parser
from cli.train import run_train


def _parse(*argv):
    return build_parser(list(argv)).parse_args(argv)


def test_train_digits_prints_both_accuracies(capsys, monkeypatch):
    sklearn_nn = pytest.importorskip("sklearn.neural_network")
    # scikit-learn's 200 iterations take seconds; 20 show the comparison as well
    monkeypatch.setattr(sklearn_nn, "MLPClassifier",
                        functools.partial(sklearn_nn.MLPClassifier, max_iter=20))
    args = _parse("train", "digits", "--epochs", "3", "--optimizer", "rmsprop", "--no-progress")
    assert args.run is run_train
    assert run_train(args) == 0
    out, err = capsys.readouterr()
    assert "chainrule MLP (rmsprop, 3 epochs): test accuracy 0.9" in out
    assert "scikit-learn MLPClassifier: test accuracy 0.8" in out
    assert err == ""


def test_defaults():
    args = _parse("train", "digits")
    assert (args.optimizer, args.epochs, args.lr, args.progress) == ("adam", 30, None, True)


@pytest.mark.parametrize("argv, message", [
    (["train", "cifar"], "invalid choice: 'cifar'"),
    (["train", "digits", "--epochs", "0"], "expected a whole number of at least 1"),
    (["train", "digits", "--lr", "-1"], "expected a positive finite number"),
    (["train", "digits", "--optimizer", "lbfgs"], "invalid choice: 'lbfgs'"),
])
def test_bad_arguments_are_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as raised:
        _parse(*argv)
    assert raised.value.code == 2 and message in capsys.readouterr().err


def test_the_progress_bar_is_tqdms_automatic_one():
    # tqdm.auto draws a widget in Jupyter (a notebook's text bar leaves a line per update
    # in the saved outputs) and text in a terminal.
    import tqdm.auto

    import nn.training

    assert nn.training.tqdm is tqdm.auto.tqdm
