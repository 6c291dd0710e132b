"""The docstring examples of autograd, nn and viz run as doctests (``--doctest-modules``).

Each runs in a temporary folder, so that an example that saves a picture
(``fig.savefig("activations.png")``) leaves nothing in the checkout.
"""

import os
from pathlib import Path

import pytest

#: The real data sets that ship beside the repository (the MNIST test files).
SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _doctests_in_a_temporary_folder(request):
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch = request.getfixturevalue("monkeypatch")
        monkeypatch.chdir(request.getfixturevalue("tmp_path"))
        # The data-set examples read those files rather than download them.
        if "CHAINRULE_DATA" not in os.environ and SHARED_DATA.is_dir():
            monkeypatch.setenv("CHAINRULE_DATA", str(SHARED_DATA))


# The tests' conftest files are plugins, not modules with docstring examples: collecting
# them for --doctest-modules would import two different files under the one name conftest.
collect_ignore_glob = ["tests/conftest.py", "tests/*/conftest.py"]
