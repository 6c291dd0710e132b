"""Fixtures for the tests that render: the choice of backend, a machine without `dot`."""

import shutil

import pytest

import viz


@pytest.fixture
def automatic_backend():
    """Each test starts from the automatic choice of backend, and leaves it so."""
    viz.set_backend(None)
    yield
    viz.set_backend(None)


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A machine without the Graphviz executable: PATH holds no `dot`."""
    monkeypatch.setenv("PATH", str(tmp_path))
    viz.set_backend(None)
    assert shutil.which("dot") is None
