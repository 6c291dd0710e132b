"""The docstring examples of autograd, nn and viz run as doctests (``--doctest-modules``).

Each runs in a temporary folder, so that an example that saves a picture
(``fig.savefig("activations.png")``) leaves nothing in the checkout.
"""

import pytest


@pytest.fixture(autouse=True)
def _doctests_in_a_temporary_folder(request):
    if isinstance(request.node, pytest.DoctestItem):
        request.getfixturevalue("monkeypatch").chdir(request.getfixturevalue("tmp_path"))


# The tests' conftest files are plugins, not modules with docstring examples: collecting
# them for --doctest-modules would import two different files under the one name conftest.
collect_ignore_glob = ["tests/conftest.py", "tests/*/conftest.py"]
