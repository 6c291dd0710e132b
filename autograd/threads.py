"""How many CPU threads chainrule computes with: ``set_num_threads(n)`` and
``get_num_threads()``, PyTorch's names, and the pool that spreads a large op over them.

NumPy releases Python's lock (the GIL) inside its copies, ufuncs and BLAS products, so
Python threads that each run NumPy on their own slice of a batch compute at the same time.
A large op (a convolution, a pooling, a batch norm) splits its batch into
:func:`batch_chunks`, one per thread, and runs its work on each with
:func:`map_chunks`; the optimizers :func:`split` their parameters the same way, and
:func:`parallel_matmul` a large matrix product's rows.

    >>> import chainrule as torch
    >>> before = torch.get_num_threads()
    >>> torch.set_num_threads(1)
    >>> torch.get_num_threads()
    1
    >>> torch.set_num_threads(before)

The split depends only on the batch size and the thread count, and the pieces of a sum
are added in chunk order, so a fixed seed and thread count give the same numbers on every
run. Another thread count splits the sums differently: the results then agree to float
rounding, not bit for bit.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["get_num_threads", "set_num_threads"]

# Below this many elements an op is not split: handing a chunk to a thread costs tens of
# microseconds, as much as NumPy takes for a few hundred thousand numbers.
_MIN_ELEMENTS = 1 << 17


def _from_environment() -> int:
    """The thread count the user asked for (OMP_NUM_THREADS, which PyTorch reads too, or
    the BLAS libraries' own variables), else every core this process may run on."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        value = os.environ.get(name, "").split(",")[0].strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_threads = _from_environment()
_pool: ThreadPoolExecutor | None = None
_blas = None  # threadpoolctl's handle on the BLAS libraries, made when first needed
_worker = threading.local()  # set in the pool's threads: an op inside a chunk runs whole


def get_num_threads() -> int:
    """The number of threads the CPU ops use, as ``torch.get_num_threads()``."""
    return _threads


def set_num_threads(n: int) -> None:
    """Compute with ``n`` threads, as ``torch.set_num_threads(n)``: the ops' pool gets n
    threads, and the BLAS library's matrix products run on one thread each (see
    :func:`_single_threaded_blas`)."""
    global _threads, _pool
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"set_num_threads expects a positive integer, got {n!r}")
    _single_threaded_blas()
    if n != _threads and _pool is not None:
        _pool.shutdown()
        _pool = None
    _threads = n


def _single_threaded_blas() -> None:
    """Let BLAS (NumPy's OpenBLAS or MKL) compute each product on the calling thread.

    The pool's threads already keep every core busy with their own products. BLAS
    threads of its own would take turns with them, and worse, OpenBLAS's threads keep
    spinning for a while after each product, holding a core that a pool thread waits
    for: the HW05 challenge net's training step took 1.5 to 2.2 times as long, on two
    cores, with BLAS at two threads beside a pool of two.
    """
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController  # finds the loaded BLAS libraries
        _blas = ThreadpoolController()
    _blas.limit(limits=1, user_api="blas")


def _parts(arrays: list, most: int, large: bool | None = None) -> int:
    """Into how many pieces to split work on ``arrays``: one per thread, at most ``most``;
    one when the work is small (``large``, by default: the arrays hold _MIN_ELEMENTS
    numbers in all), when there is one thread, inside a piece already, or when they are
    not NumPy arrays (a GPU takes the whole batch at once)."""
    if large is None:
        large = sum(a.size for a in arrays) >= _MIN_ELEMENTS
    if (not large or getattr(_worker, "busy", False)
            or any(type(a) is not np.ndarray for a in arrays)):
        return 1
    return max(1, min(_threads, most))


def batch_chunks(x) -> list[slice]:
    """x's first axis as consecutive slices, one per thread: the pieces of a batch that an
    op computes apart (one slice, the whole axis, when it is not worth splitting)."""
    return [slice(rows.start, rows.stop) for rows in split(range(len(x)), [x])]


def split(items: list, arrays: list, large: bool | None = None) -> list[list]:
    """``items`` in consecutive groups, one per thread, to be worked on apart (one group
    when the ``arrays`` they touch are not worth splitting; see :func:`_parts`)."""
    parts = _parts(arrays, len(items), large)
    bounds = [len(items) * i // parts for i in range(parts + 1)]
    return [items[start:stop] for start, stop in zip(bounds, bounds[1:])]


def map_chunks(function, items) -> list:
    """``[function(item) for item in items]``, the items on the pool's threads when there
    are several."""
    items = list(items)
    if len(items) < 2:
        return [function(item) for item in items]
    global _pool
    if _pool is None:
        _single_threaded_blas()
        _pool = ThreadPoolExecutor(_threads, thread_name_prefix="chainrule",
                                   initializer=_mark_worker)
    return list(_pool.map(function, items))


# A matrix product is split when it has at least this many multiply-adds (about a tenth
# of a millisecond of one core's work): below, handing out the pieces costs more than it
# saves.
_MIN_PRODUCT = 1 << 22


def parallel_matmul(a, b):
    """a @ b, a large product of two matrices split among the threads: each computes a
    block of the result's rows (or of its columns, when there are more of those) with a
    single-threaded BLAS call.

    BLAS would split the product itself, but its threads are held at one while the pool
    runs (see :func:`_single_threaded_blas`): without this, the matrix products of an MLP
    would use one core. Anything else (a small product, a batched one, GPU arrays, a call
    from inside the pool) is plain ``a @ b``.

        >>> a = np.arange(6.0).reshape(2, 3)
        >>> parallel_matmul(a, a.T).tolist()
        [[5.0, 14.0], [14.0, 50.0]]
    """
    if a.ndim != 2 or b.ndim != 2 or _threads == 1 or a.size * b.shape[-1] < _MIN_PRODUCT:
        return a @ b  # (the commonest case, decided first: every product asks)
    rows, columns = a.shape[0], b.shape[1]
    by_rows = rows >= columns
    pieces = split(range(rows if by_rows else columns), [a, b], large=True)
    if len(pieces) == 1:
        return a @ b
    out = np.empty((rows, columns), np.result_type(a, b))

    def compute(piece: range) -> None:
        part = slice(piece.start, piece.stop)
        if by_rows:
            np.matmul(a[part], b, out=out[part])
        else:
            np.matmul(a, b[:, part], out=out[:, part])

    map_chunks(compute, pieces)
    return out


def _mark_worker() -> None:
    _worker.busy = True


def in_order_sum(parts: list):
    """parts[0] + parts[1] + ...: a sum over chunks, always added in the same order."""
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total
