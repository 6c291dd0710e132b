"""PyTorch's walkthrough "What is torch.nn really?" runs on chainrule with its import lines
changed, besides its data part.

programs/what_is_torch_nn_really.py holds the walkthrough's code cells in order; its data
part, which downloads a pickled MNIST, reads the local MNIST test files instead. It runs on
PyTorch and, through port.py, on chainrule (running.py): each of its six training runs must
learn on both.
"""

import math
import re
from pathlib import Path

import pytest
from running import run_program

WALKTHROUGH = Path(__file__).parent / "programs" / "what_is_torch_nn_really.py"


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def changed_lines(before: str, after: str) -> list[str]:
    return [new for old, new in zip(before.splitlines(), after.splitlines()) if old != new]


def validation_losses(printed: str) -> list[tuple[float, float]]:
    """The (epoch 0, epoch 1) validation losses of each training run, in order. They print
    as numbers or as 0-d tensors: '1 0.316', '1 tensor(0.2636)'."""
    losses = [float(m) for m in re.findall(r"^[01] (?:\w+\()?([\d.]+)\)?$", printed,
                                           re.MULTILINE)]
    return list(zip(losses[0::2], losses[1::2]))


def test_the_walkthrough_changes_only_import_lines_besides_its_data_part(port):
    source = WALKTHROUGH.read_text(encoding="utf-8")
    changed = changed_lines(source, port.port_source(source))
    assert changed == ["import chainrule as torch", "import chainrule.nn.functional as F",
                       "from chainrule import nn", "from chainrule import optim",
                       "from chainrule.utils.data import TensorDataset",
                       "from chainrule.utils.data import DataLoader"]


def test_the_walkthrough_trains_on_chainrule_as_on_pytorch(examples, shared_data, torch):
    environment = {"CHAINRULE_DATA": str(shared_data)}
    theirs, ours = (validation_losses(run_program(WALKTHROUGH, library=library,
                                                  examples=examples, environment=environment))
                    for library in ("torch", "chainrule"))
    # one loop written out, then fit(): logistic regression once, the CNN three times
    assert len(theirs) == len(ours) == 6
    for run, ((_, their_last), (our_first, our_last)) in enumerate(zip(theirs, ours)):
        assert math.isfinite(our_first) and math.isfinite(our_last), run
        assert our_last < 1.5, run  # log 10 = 2.3 is the loss of guessing
        if run < 2:  # logistic regression: PyTorch ends at 0.26 to 0.27
            assert abs(our_last - their_last) < 0.1, run
