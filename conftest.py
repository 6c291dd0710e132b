"""The docstring examples of autograd, nn and viz run as doctests (``--doctest-modules``).

Each runs in a temporary folder, so that an example that saves a picture
(``fig.savefig("activations.png")``) leaves nothing in the checkout.
"""

import pytest


@pytest.fixture(autouse=True)
def _doctests_in_a_temporary_folder(request):
    if isinstance(request.node, pytest.DoctestItem):
        request.getfixturevalue("monkeypatch").chdir(request.getfixturevalue("tmp_path"))
