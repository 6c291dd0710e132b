"""``chainrule summary`` and ``chainrule train`` (mnist, and digits through the same parser),
run in-process through ``cli.main`` as the console script runs them."""

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main

HOMEWORK_CNN = ("conv(16,5) relu maxpool(2) conv(32,3) relu maxpool(2) "
                "flatten linear(256) relu linear(10)")

# The shared MNIST folder holds only the test files, so `train mnist` splits the test set.
MNIST_TEST_FILES = ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]


@pytest.fixture
def chainrule(capsys):
    """``chainrule ARGS...`` → (status, stdout, stderr)."""
    def run(*argv):
        try:
            status = main(list(argv))
        except SystemExit as stop:  # argparse's own checks exit directly
            status = stop.code
        return (status, *capsys.readouterr())
    return run


# --- summary ------------------------------------------------------------------------------
def test_summary_of_the_homework_cnn(chainrule):
    status, out, err = chainrule("summary", HOMEWORK_CNN, "--input", "3x100x100")
    assert status == 0, err
    # By hand: 100 − 5 + 1 = 96, pooled 48; 48 − 3 + 1 = 46, pooled 23; 32·23·23 = 16,928.
    for shape in ["(None, 16, 96, 96)", "(None, 16, 48, 48)", "(None, 32, 46, 46)",
                  "(None, 32, 23, 23)", "(None, 16928)", "(None, 256)", "(None, 10)"]:
        assert shape in out
    conv1, conv2 = 3 * 5 * 5 * 16 + 16, 16 * 3 * 3 * 32 + 32
    dense1, dense2 = 16928 * 256 + 256, 256 * 10 + 10
    assert [conv1, conv2, dense1, dense2] == [1216, 4640, 4333824, 2570]
    assert conv1 + conv2 + dense1 + dense2 == 4_342_250
    for count in ["1,216", "4,640", "4,333,824", "2,570"]:
        assert count in out
    assert "Total params: 4,342,250" in out


def test_summary_with_pytorch_names_and_commas(chainrule):
    layers = "Conv2d(16, 5), MaxPool2d(2), conv(32, kernel_size=3), pool(2), Flatten, " \
             "dense(256), Linear(10)"
    status, out, err = chainrule("summary", layers, "--input", "3×100×100")
    assert status == 0, err
    assert "Total params: 4,342,250" in out


def test_summary_of_a_model_file(chainrule, tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(
        "import nn\n"
        "model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(),\n"
        "                      nn.Linear(4 * 26 * 26, 10))\n"
        "if __name__ == '__main__':\n"
        "    raise SystemExit('the main block ran')\n")
    status, out, err = chainrule("summary", str(path), "--input", "1x28x28")
    assert status == 0, err
    # 1·3·3·4 + 4 = 40 and 4·26·26·10 + 10 = 27,050 parameters
    assert "(None, 4, 26, 26)" in out and "40" in out and "27,050" in out
    assert "Total params: 27,090" in out


@pytest.mark.parametrize("file_text, says", [
    ("import nn\n\nmodel = nn.Relu()\n", "line 3: AttributeError: module 'nn' has no"),
    ("model = (\n", "line 1: SyntaxError: '(' was never closed"),
    ("import nn\nnet = nn.Linear(3, 4)\n", "defines no `model`"),
    ("model = [1, 2]\n", "defines `model` as a list, not an nn.Module"),
])
def test_a_bad_model_file_is_one_line(chainrule, tmp_path, file_text, says):
    path = tmp_path / "my_model.py"
    path.write_text(file_text)
    status, out, err = chainrule("summary", str(path), "--input", "3")
    assert status == 2 and out == ""
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert says in err


@pytest.mark.parametrize("args, says", [
    (["conv16k5 pool2", "--input", "3x100x100"], "unknown layer 'conv16k5' at column 1"),
    (["conv(16,5", "--input", "3x100x100"], "column 5"),
    (["conv(16)", "--input", "3x100x100"], "missing a required argument: 'kernel_size'"),
    (["conv(16,5) linear(10)", "--input", "3x100x100"], "put flatten before it"),
    (["conv(16,500)", "--input", "3x100x100"], "window is larger than"),
    (["linear(10)", "--input", "3x100x100"], "on input 3×100×100"),
    (["", "--input", "3"], "no layers"),
    (["flatten", "--input", "3x0"], "expected sizes joined by x"),
    (["flatten", "--input", "3x²"], "expected sizes joined by x"),
    (["flatten"], "required: --input"),
    (["missing.py", "--input", "3"], "no such file: missing.py"),
])
def test_bad_summary_input_is_one_line_and_status_2(chainrule, args, says):
    status, out, err = chainrule("summary", *args)
    assert status == 2 and out == ""
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert "Traceback" not in err and says in err


def test_an_input_too_large_for_memory_is_one_line(chainrule):
    # 10**5 · 10**5 · 2.5·10**6 float32 numbers: 10**17 bytes, more than any address space
    # holds, so that NumPy refuses at once on every machine.
    status, out, err = chainrule("summary", "flatten linear(2)", "--input",
                                 "100000x100000x2500000")
    assert status == 1 and out == ""
    assert err == ("chainrule: error: not enough memory: Unable to allocate 88.8 PiB for an "
                   "array with shape (1, 100000, 100000, 2500000) and data type float32\n")


BROKEN_FORWARD = """import nn


class Broken(nn.Module):
    def forward(self, x):
        raise RuntimeError("forward is not written yet")


model = Broken()
"""


def test_a_model_whose_forward_raises_is_one_line(chainrule, tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BROKEN_FORWARD)
    line = BROKEN_FORWARD.splitlines().index('        raise RuntimeError("forward is not '
                                             'written yet")') + 1
    status, out, err = chainrule("summary", str(path), "--input", "784")
    assert status == 2 and out == ""
    assert err == (f"chainrule: error: {path}, line {line}: RuntimeError: forward is not "
                   "written yet\n")


def test_the_console_script_shows_no_traceback(tmp_path):
    (tmp_path / "m.py").write_text(BROKEN_FORWARD)
    script = shutil.which("chainrule", path=os.pathsep.join(
        [str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    assert script, "no `chainrule` script beside Python: install with pip install -e ."
    for args, status in [(["summary", "m.py", "--input", "784"], 2),
                         (["train", "digits", "--lr", "inf"], 2)]:
        done = subprocess.run([script, *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == status
        [line] = done.stderr.splitlines()
        assert line.startswith("chainrule: error: ") and "Traceback" not in done.stderr


# --- train --------------------------------------------------------------------------------
def test_train_mnist_on_a_split_of_the_test_set(chainrule, shared_data):
    status, out, err = chainrule("train", "mnist", "--epochs", "1", "--limit", "1000",
                                 "--no-progress", "--data", str(shared_data))
    assert status == 0, err
    assert "the first 8,000 to train, the last 2,000 to test" in out
    assert "Training on the first 1,000 of them" in out
    assert "adam, lr 0.01, batches of 64, 1 epoch" in out
    accuracy = float(re.search(r"Test accuracy: (\d\.\d{4}) \(\d[\d,]* of 2,000", out)[1])
    assert accuracy > 0.5  # chance is 0.1; a thousand images take it far past that


def test_train_mnist_uses_the_training_files_when_they_are_there(chainrule, shared_data,
                                                                 tmp_path):
    # Stand-ins: the test files copied under the training files' names.
    (tmp_path / "mnist").mkdir()
    for name in MNIST_TEST_FILES:
        data = (shared_data / "mnist" / name).read_bytes()
        (tmp_path / "mnist" / name).write_bytes(data)
        (tmp_path / "mnist" / name.replace("t10k", "train")).write_bytes(data)
    status, out, err = chainrule("train", "mnist", "--epochs", "1", "--limit", "64",
                                 "--no-progress", "--model", "flatten linear(10)",
                                 "--data", str(tmp_path))
    assert status == 0, err
    assert "10,000 training and 10,000 test images" in out and "split" not in out
    assert "of 10,000 test images" in out


def test_train_mnist_reads_chainrule_data(chainrule, shared_data, monkeypatch):
    monkeypatch.setenv("CHAINRULE_DATA", str(shared_data))
    status, out, err = chainrule("train", "mnist", "--epochs", "1", "--limit", "64",
                                 "--no-progress", "--model", "flatten linear(10)")
    assert status == 0, err
    assert "(7,850 parameters)" in out  # 784·10 + 10
    assert "Test accuracy: " in out


def test_train_mnist_without_the_data_names_the_folder_and_files(chainrule, tmp_path):
    status, out, err = chainrule("train", "mnist", "--data", str(tmp_path))
    assert status == 1 and out == ""
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert str(tmp_path / "mnist") in err
    assert "t10k-images-idx3-ubyte.gz" in err and "t10k-labels-idx1-ubyte.gz" in err


def test_train_digits_through_the_same_parser(chainrule, monkeypatch):
    sklearn_nn = pytest.importorskip("sklearn.neural_network")
    # scikit-learn's 200 iterations take seconds; the comparison only has to be printed
    monkeypatch.setattr(sklearn_nn, "MLPClassifier",
                        functools.partial(sklearn_nn.MLPClassifier, max_iter=5))
    status, out, err = chainrule("train", "digits", "--epochs", "2", "--no-progress")
    assert status == 0, err
    assert "chainrule MLP (adam, 2 epochs): test accuracy" in out
    assert "scikit-learn MLPClassifier: test accuracy" in out


def test_training_that_diverges_stops_with_one_line(chainrule):
    pytest.importorskip("sklearn")
    # Adam's first step is lr / (1 − 0.9) = 10**309 in size: the weights overflow to inf,
    # and the next batch's loss is nan.
    status, out, err = chainrule("train", "digits", "--lr", "1e308", "--epochs", "2",
                                 "--no-progress")
    assert status == 2
    assert err == ("chainrule: error: training diverged: the loss is nan after epoch 1; "
                   "try a smaller --lr\n")
    assert "test accuracy" not in out


def test_training_mnist_that_diverges_stops_with_one_line(chainrule, shared_data):
    status, out, err = chainrule("train", "mnist", "--lr", "1e308", "--limit", "128",
                                 "--no-progress", "--model", "flatten linear(10)",
                                 "--data", str(shared_data))
    assert status == 2
    assert err == ("chainrule: error: training diverged: the loss is nan after epoch 1; "
                   "try a smaller --lr\n")
    assert "Test accuracy" not in out


@pytest.mark.parametrize("args, says", [
    ([], "required: DATASET"),
    (["cifar10"], "invalid choice: 'cifar10'"),
    (["mnist", "--epochs", "0"], "expected a whole number of at least 1"),
    (["mnist", "--lr", "-1"], "expected a positive finite number, got '-1'"),
    (["digits", "--lr", "inf"], "expected a positive finite number, got 'inf'"),
    (["digits", "--lr", "1e999"], "expected a positive finite number, got '1e999'"),
    (["digits", "--lr", "nan"], "expected a positive finite number, got 'nan'"),
    (["digits", "--epochs", "1.5"], "expected a whole number of at least 1, got '1.5'"),
    (["digits", "--epochs", "²"], "expected a whole number of at least 1, got '²'"),
    (["mnist", "--batch-size", "0"], "expected a whole number of at least 1, got '0'"),
    (["mnist", "--model", "linear(10)"], "put flatten before it"),  # before any data
    (["digits", "--limit", "10"], "unrecognized arguments: --limit"),
])
def test_bad_train_input_is_one_line(chainrule, args, says):
    status, out, err = chainrule("train", *args)
    assert status == 2
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert "Traceback" not in err and says in err


def test_help_shows_examples(chainrule):
    for args in (["summary", "--help"], ["train", "mnist", "--help"],
                 ["train", "digits", "--help"]):
        status, out, _ = chainrule(*args)
        assert status == 0
        assert "examples:" in out
    assert "conv(out_channels, kernel_size, stride=1, padding=0)" in \
        chainrule("summary", "--help")[1]
