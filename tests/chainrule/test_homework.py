"""The course's PyTorch homework runs on chainrule with only its import lines changed, and
gives PyTorch's numbers (shared/examples/README.md).

Each program runs as a student would run it, ``python port.py PROGRAM.py ARGS``, in a
fresh interpreter (running.py): port.py rewrites the import lines and runs the program on
chainrule.
"""

import math
import re

import pytest
from running import run_program

# PyTorch 2.13 on HW3 with --epochs 1 (torch.manual_seed(123), the same every run).
PYTORCH_HW3_ONE_EPOCH = 0.9020


def test_hw3_mnist_mlp_reaches_pytorchs_accuracy_after_one_epoch(examples, shared_data):
    printed = run_program(examples / "hw3_mnist_mlp.py", "--epochs", "1", "--data",
                          str(shared_data), library="chainrule", examples=examples)
    # The epoch line as PyTorch prints it: a 0-d tensor formats as its number.
    epoch = re.search(r"^Epoch:  1, cost = (\d+\.\d{9}), test_acc:([\d.]+), val_acc:([\d.]+)$",
                      printed, re.MULTILINE)
    assert epoch, printed
    cost, test_acc, val_acc = map(float, epoch.groups())
    assert 0 < cost < 2.3  # below log(10), the loss of guessing
    final = re.search(r"^final test accuracy: (0\.\d{4})$", printed, re.MULTILINE)
    assert final, printed
    accuracy = float(final.group(1))
    assert abs(accuracy - PYTORCH_HW3_ONE_EPOCH) <= 0.02, (accuracy, PYTORCH_HW3_ONE_EPOCH)
    assert test_acc == pytest.approx(100 * accuracy, abs=0.01)
    assert 80 < val_acc <= 100


def stages(printed: str) -> dict[str, list[str]]:
    """The printed lines of each stage, by its '== Part ...' heading."""
    parts: dict[str, list[str]] = {}
    for line in printed.splitlines():
        if line.startswith("== Part "):
            current = parts.setdefault(line.split(".")[0][3:], [])
        elif parts:
            current.append(line)
    return parts


def test_hw05_convnets_train_in_all_four_styles(examples):
    # HW05 does not seed itself: seeded here, as PyTorch's runs in the README were
    check_hw05(run_program(examples / "hw05_convnets.py", library="chainrule",
                           examples=examples))


def check_hw05(printed: str) -> None:
    """HW05's output as PyTorch's runs print it: sizes, four stages whose losses fall."""
    # print(scores.size()) in Parts II and III: PyTorch prints torch.Size([64, 10])
    assert re.findall(r"^(?:torch\.)?Size\(\[64, 10\]\)$", printed, re.MULTILINE) == \
        ["Size([64, 10])"] * 2, printed
    parts = stages(printed)
    assert list(parts) == ["Part II", "Part III", "Part IV", "Part V"], printed
    for part, lines in parts.items():
        losses = [float(m) for m in re.findall(r"^Iteration \d+, loss = (\S+)$",
                                               "\n".join(lines), re.MULTILINE)]
        assert len(losses) == 4 and all(map(math.isfinite, losses)), (part, losses)
        # PyTorch in 20 seeded runs: from at least 2.29 to at most 0.46 of the first value
        assert losses[-1] < 0.6 * losses[0], (part, losses)
        correct = [int(m) for m in re.findall(r"^Got (\d+) / 128 correct", "\n".join(lines),
                                              re.MULTILINE)]
        assert len(correct) == (5 if part == "Part V" else 4), (part, lines)  # V: + test set
        if part != "Part V":  # PyTorch: 80 to 128 of 128 after one pass
            assert correct[-1] >= 64, (part, correct)


@pytest.mark.parametrize("program, args", [
    ("hw3_mnist_mlp.py", ("--epochs", "1")), ("hw05_convnets.py", ())])
def test_the_homework_takes_its_gpu_branch_and_prints_the_same(program, args, examples,
                                                                shared_data):
    """With a GPU (here the stand-in for CuPy, whose arrays refuse NumPy's functions),
    ``torch.cuda.is_available()`` is True and the programs move their data and models to
    "cuda"; random numbers are drawn on the host, so they print what they print on the CPU
    (HW05's challenge: as far as rounding lets them, see below)."""
    args = (*args, "--data", str(shared_data)) if program.startswith("hw3") else args
    on_cpu = run_program(examples / program, *args, library="chainrule", examples=examples)
    on_gpu = run_program(examples / program, *args, library="chainrule", examples=examples,
                         stand_in_gpu=True)
    if program.startswith("hw3"):
        assert on_gpu == on_cpu
        return
    # HW05's challenge net trains its conv biases, whose gradient through batch norm is 0
    # up to rounding; Adam turns that rounding noise into full steps, so its losses part
    # from the CPU's after the first step (as they do between one thread and two). Each
    # stage starts from the same loss, and trains.
    assert "using device: cpu" in on_cpu and "using device: cuda" in on_gpu
    check_hw05(on_gpu)
    first = re.compile(r"^Iteration 0, loss = .*$", re.MULTILINE)
    assert first.findall(on_gpu) == first.findall(on_cpu)
