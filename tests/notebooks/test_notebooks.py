"""The teaching notebooks: each one runs top to bottom in a fresh kernel without an error,
and still shows the numbers it teaches.

Each notebook is executed with nbclient in a temporary working directory (anything it
writes, such as notebook 1's GIF, lands there), cell by cell, against a deadline for the
whole notebook. The deadlines are generous: they catch a hang, they do not time anything.
"""

import math
import re
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"

LESSONS = [
    "01_computational_graph",
    "02_micrograd_mlp",
    "03_activations_and_losses",
    "04_optimizers",
    "05_digits_mlp",
    "06_vanishing_gradients",
    "07_convnets",
    "08_your_pytorch_homework",
]

# Seconds for the whole notebook (a few times what it takes on two cores).
DEADLINE = {
    "01_computational_graph": 120,
    "02_micrograd_mlp": 180,
    "03_activations_and_losses": 120,
    "04_optimizers": 120,
    "05_digits_mlp": 240,
    "06_vanishing_gradients": 180,
    "07_convnets": 300,
    "08_your_pytorch_homework": 180,
}

# Text each notebook's outputs must contain: the numbers the lesson is about.
EXPECTED = {
    # the homework's worked example: by hand (rounded to 4 decimals) and exact
    "01_computational_graph": ["∂f/∂w1 = -0.4458", "∂f/∂w1 = -0.445694", "True"],
    "02_micrograd_mlp": ["parameters: 105"],
    "03_activations_and_losses": ["MSE  = ", "RMSE = √MSE = 0.3697", "= 0.6000"],
    # the notebook asserts Lab 03's rows itself; this line is printed after the asserts
    "04_optimizers": ["SGD       [ 7.67789007", "all five match Lab 03's expected outputs"],
    "05_digits_mlp": ["Total params: 11,580", "scikit-learn: test accuracy"],
    "06_vanishing_gradients": ["ReLU, He init"],
    "07_convnets": ["Total params: 4,342,250", "0 (Conv2d)       (None, 16, 96, 96)    1,216"],
    # HW3 as written, after the import rule: its summary and PyTorch's number beside ours
    "08_your_pytorch_homework": ["Total params: 814,090", "PyTorch, same program: 0.9395"],
}


def test_every_lesson_is_there():
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == LESSONS


def run_notebook(path: Path, workdir: Path, seconds: float):
    """Execute the notebook at ``path`` in ``workdir``; return the executed notebook.

    A failing cell raises nbclient's CellExecutionError, which shows the cell and the
    traceback; a notebook past its deadline raises CellTimeoutError.
    """
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3",
                                     resources={"metadata": {"path": str(workdir)}})
    deadline = time.monotonic() + seconds
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"{path.name}: not finished after {seconds} s, at cell {index}")
            client.timeout = math.ceil(left)
            client.execute_cell(cell, index)
    return nb


def output_text(nb) -> str:
    """Everything the notebook printed or displayed as text."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                data = output.get("data", {})
                parts += [data.get("text/plain", ""), data.get("text/markdown", "")]
    return "\n".join(parts)


@pytest.mark.parametrize("name", LESSONS)
def test_notebook_runs_and_shows_its_results(name, tmp_path):
    nb = run_notebook(NOTEBOOKS / f"{name}.ipynb", tmp_path, DEADLINE[name])
    errors = [output for cell in nb.cells for output in cell.get("outputs", [])
              if output.output_type == "error"]
    assert not errors
    text = output_text(nb)
    for expected in EXPECTED[name]:
        assert expected in text, f"{name}: the outputs no longer show {expected!r}"
    if name == "07_convnets" and "MNIST skipped" not in text:
        accuracies = re.findall(r"epoch 2: training loss [\d.]+, test accuracy ([\d.]+)%", text)
        assert accuracies and float(accuracies[0]) >= 90, "the MNIST CNN did not learn"
    if name == "08_your_pytorch_homework" and "MNIST not found" not in text:
        final = re.findall(r"final test accuracy: ([\d.]+)", text)
        assert final and abs(float(final[0]) - 0.9395) <= 0.02, "HW3 is not at PyTorch's 0.9395"
