"""The course's shared folder beside the repository: the homework programs and port.py."""

import importlib.util
from pathlib import Path

import pytest

TESTS = Path(__file__).parents[1]
SHARED = Path(__file__).parents[2].parent / "shared"
EXAMPLES = SHARED / "examples"

# Whole programs, which the tests run in a fresh interpreter: importing one (as
# --doctest-modules would, to look for examples) would run it.
collect_ignore = ["programs"]


def unavailable(request, message: str) -> None:
    """The rule of tests/conftest.py for what a test needs from outside the repository:
    skipped on a developer's machine, a failure in CI."""
    __tracebackhide__ = True
    tests_conftest = request.config.pluginmanager.get_plugin(str(TESTS / "conftest.py"))
    tests_conftest.unavailable(message)


@pytest.fixture
def examples(request) -> Path:
    """The folder of the homework programs and port.py."""
    if not (EXAMPLES / "port.py").is_file():
        unavailable(request, f"the course's examples (port.py and the homework programs) are "
                             f"not in {EXAMPLES}: the shared folder sits beside the repository")
    return EXAMPLES


@pytest.fixture
def port(examples):
    """The module port.py, which applies the import rule: ``port.port_source(text)``."""
    spec = importlib.util.spec_from_file_location("port", examples / "port.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
