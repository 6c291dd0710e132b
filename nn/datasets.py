"""Classic data sets as NumPy arrays: ``X, y = load_mnist(split="test")``.

Every loader returns ``(X, y)``: labels are int64 class numbers, and images are float32
pixels in [0, 1], grey ones shaped ``(N, H, W)`` and colour ones ``(N, 3, H, W)`` (NCHW,
the layout of ``nn.Conv2d``). ``load_digits`` keeps scikit-learn's arrays as they are.
No file is unpickled by Python's own unpickler, which runs whatever code a pickle names;
scikit-learn's cache of the Olivetti faces is read by one that admits NumPy arrays only.

    >>> X, y = load_mnist(split="test")
    >>> X.reshape(len(X), -1).shape          # one row per image, for nn.Linear
    (10000, 784)
    >>> X[:, None].shape                     # add a channel axis, for nn.Conv2d
    (10000, 1, 28, 28)

Files are cached in one folder per data set (``mnist/``, ``cifar10/``, ``olivetti/``) under
:func:`data_dir`, with the names their authors gave them. A missing file is downloaded from
its official location with a progress bar, and kept only if its SHA-256 is the known one.
Without a network the error names the URLs and the folder, so the file can be put there
by hand; files put there by hand are used as they are.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import io
import math
import os
import pickle
import struct
import tarfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from urllib.request import urlopen

import numpy as np
from tqdm import tqdm

from .serialization import atomic_write

__all__ = [
    "CIFAR10_CLASSES", "data_dir", "load_cifar10", "load_digits", "load_mnist",
    "load_olivetti_faces",
]

# Where each data set lives; a file's name is appended to each mirror in turn. Toronto is
# the only home of CIFAR-10; MNIST's original site has become unreliable, so the copies that
# PyTorch and TensorFlow download from come first.
_MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
_CIFAR10_MIRRORS = ("https://www.cs.toronto.edu/~kriz/",)
# Sam Roweis's MATLAB file of the Olivetti faces, where scikit-learn downloads it from.
_OLIVETTI_URLS = ("https://ndownloader.figshare.com/files/5976027",)
_OLIVETTI_MAT = "olivettifaces.mat"
# scikit-learn's cache of the same faces, a joblib pickle; read only by a restricted reader.
_OLIVETTI_CACHE = "olivetti_py3.pkz"

# SHA-256 of each file exactly as its authors distribute it. They publish none, and
# torchvision keeps only MD5s, so these are the digests other loaders keep (torchvision-ruby
# for MNIST, MLDatasets.jl for CIFAR-10; several more agree). The MNIST test files match.
_SHA256 = {
    "train-images-idx3-ubyte.gz":
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz":
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz":
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz":
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    "cifar-10-binary.tar.gz":
        "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
    # scikit-learn's own digest (sklearn/datasets/_olivetti_faces.py)
    _OLIVETTI_MAT: "b612fb967f2dc77c9c62d3e1266e0c73d5fca46a4b8906c18e454d41af987794",
}

_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
# An IDX magic number is 0x00, 0x00, a type byte (0x08: unsigned bytes), then the number
# of dimensions: 0x0803 is a stack of images, 0x0801 a vector of labels.
_IDX_IMAGES = 0x0803
_IDX_LABELS = 0x0801

_CIFAR10_RECORD = 1 + 3 * 32 * 32  # one label byte, then the pixels
CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
)
"""The names of CIFAR-10's classes, by label: ``CIFAR10_CLASSES[3] == "cat"``."""

_TIMEOUT = 30  # seconds without an answer before a mirror counts as unreachable
_CHUNK = 1 << 20  # bytes read per step of a download (and of its progress bar)


def data_dir(root: str | os.PathLike | None = None) -> Path:
    """The folder data sets are cached in: ``root``, else ``$CHAINRULE_DATA``, else
    ``~/.cache/chainrule``. Each data set has its own subfolder in it.

        >>> (data_dir("course-data") / "mnist").as_posix()
        'course-data/mnist'
    """
    folder = root or os.environ.get("CHAINRULE_DATA") or "~/.cache/chainrule"
    return Path(folder).expanduser()


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 handwritten digits, 8×8 pixels each, with no download.

    ``X`` is scikit-learn's float64 array, one row of 64 pixels (values 0 to 16) per image;
    ``y`` holds the digits as int64. Needs ``pip install "chainrule[datasets]"``.

        >>> X, y = load_digits()
        >>> X.shape, y[:5]
        ((1797, 64), array([0, 1, 2, 3, 4]))
    """
    X, y = _optional("sklearn.datasets", "load_digits").load_digits(return_X_y=True)
    return X, y.astype(np.int64)


def load_mnist(
    root: str | os.PathLike | None = None, split: str = "train"
) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST handwritten digits: 60,000 training or 10,000 test images of 28×28 pixels.

    ``X`` is float32 in [0, 1] (0 is the background, 1 the ink), shaped ``(N, 28, 28)``; ``y``
    is int64. The IDX ``.gz`` files are read as they are from ``data_dir(root) / "mnist"``.

        >>> X, y = load_mnist(split="test")
        >>> X.shape, X.dtype, y[:5]
        ((10000, 28, 28), dtype('float32'), array([7, 2, 1, 0, 4]))
    """
    if split not in _MNIST_FILES:
        raise ValueError(f"load_mnist: split must be 'train' or 'test', got {split!r}")
    folder = data_dir(root) / "mnist"
    images_file, labels_file = _MNIST_FILES[split]
    images_path, labels_path = (_fetch(folder, name, [mirror + name for mirror in _MNIST_MIRRORS])
                                for name in (images_file, labels_file))
    images, labels = _read_idx(images_path, _IDX_IMAGES), _read_idx(labels_path, _IDX_LABELS)
    if len(images) != len(labels):
        raise ValueError(
            f"load_mnist: {images_file} holds {len(images)} images but {labels_file} "
            f"holds {len(labels)} labels (in {folder})"
        )
    return images.astype(np.float32) / 255, labels.astype(np.int64)


def load_cifar10(
    root: str | os.PathLike | None = None, split: str = "train"
) -> tuple[np.ndarray, np.ndarray]:
    """CIFAR-10: 50,000 training or 10,000 test colour photos of 32×32 pixels, 10 classes.

    ``X`` is float32 in [0, 1] shaped ``(N, 3, 32, 32)`` (600 MB for the training set);
    ``y`` is int64, named by :data:`CIFAR10_CLASSES`. The batches are read from the binary
    distribution ``cifar-10-binary.tar.gz`` in ``data_dir(root) / "cifar10"`` (never from the
    pickled Python version: unpickling a download can run any code).

        >>> X, y = load_cifar10(split="test")        # doctest: +SKIP
        >>> X.shape, CIFAR10_CLASSES[y[0]]           # doctest: +SKIP
        ((10000, 3, 32, 32), 'cat')
    """
    if split == "train":
        batches = [f"data_batch_{i}.bin" for i in range(1, 6)]
    elif split == "test":
        batches = ["test_batch.bin"]
    else:
        raise ValueError(f"load_cifar10: split must be 'train' or 'test', got {split!r}")
    tarball = "cifar-10-binary.tar.gz"
    archive = _fetch(data_dir(root) / "cifar10", tarball,
                     [mirror + tarball for mirror in _CIFAR10_MIRRORS])
    members = [f"cifar-10-batches-bin/{name}" for name in batches]
    records = []
    for member, data in zip(members, _read_tar_members(archive, members)):
        if len(data) % _CIFAR10_RECORD:
            raise ValueError(
                f"{member} in {archive} is corrupt: {len(data)} bytes is not a whole "
                f"number of {_CIFAR10_RECORD}-byte records; delete the archive and load again"
            )
        records.append(np.frombuffer(data, np.uint8).reshape(-1, _CIFAR10_RECORD))
    records = np.concatenate(records)
    # After its label byte, a record holds the 1024 red, then green, then blue pixels of
    # the image, row by row: exactly the order of an array shaped (3, 32, 32).
    images = records[:, 1:].reshape(-1, 3, 32, 32)
    return images.astype(np.float32) / 255, records[:, 0].astype(np.int64)


def load_olivetti_faces(root: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The Olivetti faces: 400 grey photos of 64×64 pixels, ten of each of 40 people.

    ``X`` is float32 in [0, 1] shaped ``(400, 64, 64)``, the same numbers as
    scikit-learn's ``fetch_olivetti_faces().images``; ``y`` is the person, int64. The
    photos are read from ``olivettifaces.mat`` in ``data_dir(root) / "olivetti"`` with
    SciPy (``pip install "chainrule[datasets]"``), downloaded first if absent. If only
    scikit-learn's cache of them, ``olivetti_py3.pkz``, is there, that is read instead, by
    a reader that admits NumPy arrays only (the file is a pickle, which could run code).

        >>> X, y = load_olivetti_faces()             # doctest: +SKIP
        >>> X.shape, y[:12]                          # doctest: +SKIP
        ((400, 64, 64), array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]))
    """
    folder = data_dir(root) / "olivetti"
    cache = folder / _OLIVETTI_CACHE
    if cache.exists() and not (folder / _OLIVETTI_MAT).exists():
        path, faces = cache, _read_pickled_array(cache)
    else:
        loadmat = _optional("scipy.io", "load_olivetti_faces").loadmat  # before downloading
        path = _fetch(folder, _OLIVETTI_MAT, _OLIVETTI_URLS)
        faces = _read_mat(loadmat, path, "faces").T  # one row of 4,096 pixels per photo
    if faces.shape != (400, 64 * 64) or faces.dtype.kind not in "biuf":
        raise ValueError(f"{path} holds an array of shape {faces.shape} and dtype "
                         f"{faces.dtype}, not the 400 photos of 4,096 pixels of the Olivetti "
                         f"faces; delete it and load again")
    # As scikit-learn does: float32, scaled so that the darkest pixel is 0 and the
    # brightest 1; MATLAB stores a photo column by column, hence the transpose.
    faces = faces.astype(np.float32)
    faces -= faces.min()
    faces /= faces.max()
    images = np.ascontiguousarray(faces.reshape(400, 64, 64).transpose(0, 2, 1))
    return images, np.arange(40, dtype=np.int64).repeat(10)  # ten photos of each person


def _optional(module: str, caller: str):
    """An optional module (scikit-learn's, SciPy's), or an ImportError that says how to
    install it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = {"sklearn": "scikit-learn", "scipy": "SciPy"}[module.split(".")[0]]
        raise ImportError(
            f'{caller} needs {package}, an optional extra: pip install "chainrule[datasets]"'
        ) from err


def _read_mat(loadmat, path: Path, name: str) -> np.ndarray:
    """The variable ``name`` of a MATLAB file, read by SciPy's ``loadmat``."""
    try:
        variables = loadmat(path)
    except Exception as err:  # a damaged file fails anywhere in the parser (IndexError...)
        raise ValueError(
            f"{path} is not a readable MATLAB file ({err}); delete it and load again"
        ) from err
    if name not in variables:
        raise ValueError(f"{path} holds no variable {name!r}; delete it and load again")
    return variables[name]


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """The array of unsigned bytes in a gzipped IDX file (MNIST's format), header checked."""
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError, zlib.error) as err:
        raise ValueError(
            f"{path} is not a readable gzip file ({err}); delete it and load again"
        ) from err
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise ValueError(
            f"{path} is not an IDX file of the expected kind: its magic number is "
            f"{found:#06x}, expected {magic:#06x}; delete it and load again"
        )
    ndim = magic & 0xFF
    header_size = 4 + 4 * ndim  # the magic number, then one big-endian uint32 per dimension
    if len(data) >= header_size:
        shape = struct.unpack(f">{ndim}I", data[4:header_size])
        if len(data) == header_size + math.prod(shape):
            return np.frombuffer(data, np.uint8, offset=header_size).reshape(shape)
    raise ValueError(
        f"{path} is truncated or corrupt: its {len(data)} bytes do not match the sizes in "
        f"its header; delete it and load again"
    )


def _read_tar_members(archive: Path, names: Sequence[str]) -> list[bytes]:
    """The contents of the named files inside a ``.tar.gz``, read without extracting."""
    found = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # One pass in archive order: a gzip stream cannot jump back without starting over.
            for member in tar:
                if member.isfile() and member.name in names:
                    found[member.name] = tar.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as err:
        raise ValueError(
            f"{archive} is not a readable .tar.gz file ({err}); delete it and load again"
        ) from err
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(
            f"{archive} does not contain {', '.join(missing)}; delete it and load again"
        )
    return [found[name] for name in names]


def _fetch(folder: Path, name: str, urls: Sequence[str]) -> Path:
    """The path of ``folder / name``, downloaded from the first of ``urls`` that works if
    absent."""
    path = folder / name
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    failures = []
    for url in urls:
        try:
            _download(url, path, _SHA256[name])
            return path
        except (OSError, ValueError) as err:  # no network, HTTP error, or a wrong SHA-256
            failures.append(f"  {url}: {err}")
    raise RuntimeError(
        f"could not download {name}:\n" + "\n".join(failures) + "\n"
        f"Download it by hand from one of these URLs and put it in the folder "
        f"{folder.absolute()} under the name {name}"
    )


def _download(url: str, path: Path, sha256: str) -> None:
    """Stream ``url`` into ``path`` with a progress bar; keep it only if its SHA-256 matches."""
    digest = hashlib.sha256()
    with atomic_write(path) as out, urlopen(url, timeout=_TIMEOUT) as response:
        size = int(response.headers.get("Content-Length") or 0) or None  # None: size unknown
        with tqdm(total=size, unit="B", unit_scale=True, unit_divisor=1024,
                  desc=path.name) as progress:
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                progress.update(len(chunk))
        if digest.hexdigest() != sha256:
            raise ValueError(
                f"SHA-256 mismatch: expected {sha256}, got {digest.hexdigest()}; "
                f"the downloaded file was deleted"
            )


# === scikit-learn's cache file, read without unpickling code =============================
# joblib.dump(array, path, compress=6) writes a zlib stream of a pickle that holds, instead
# of the array, a joblib NumpyArrayWrapper (the array's shape, order and dtype); the raw
# bytes of the array follow the pickle's BUILD opcode that fills in the wrapper. Unpickling
# calls whatever functions the pickle names, so the reader below admits only the names
# that build arrays, and reads the bytes itself.


class _JoblibArray:
    """Stands in for joblib's NumpyArrayWrapper: pickle fills in its attributes (``shape``,
    ``order``, ``dtype``, ...), and :func:`_read_joblib_array` reads the bytes after it."""


def _read_joblib_array(wrapper: _JoblibArray, unpickler: _ArrayUnpickler) -> np.ndarray:
    """The array whose ``shape``, ``order`` and ``dtype`` the wrapper holds, from the bytes
    that follow it in the stream, as joblib writes them."""
    fields = vars(wrapper)
    dtype, shape, order = np.dtype(fields["dtype"]), tuple(fields["shape"]), fields["order"]
    if dtype.hasobject or order not in ("C", "F"):
        raise pickle.UnpicklingError(f"the array holds {dtype} values in order {order!r}, "
                                     f"not numbers")
    # joblib ≥ 1.2 aligns the bytes: first one byte that gives the padding's length
    if fields.get("numpy_array_alignment_bytes") is not None:
        unpickler.read(unpickler.read(1)[0])
    size = math.prod(shape) * dtype.itemsize
    data = unpickler.read(size)
    if len(data) != size:
        raise pickle.UnpicklingError(f"the file ends {size - len(data)} bytes into the "
                                     f"array's data")
    return np.frombuffer(data, dtype).reshape(shape, order=order).copy()


# Every global a pickle of a NumPy array names: the array type, its dtype, NumPy's array
# rebuilder (under its NumPy 1 and NumPy 2 module names) and joblib's wrapper.
_ARRAY_GLOBALS = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("numpy.core.multiarray", "_reconstruct"): np.ndarray.__reduce__(np.empty(0))[0],
    ("numpy._core.multiarray", "_reconstruct"): np.ndarray.__reduce__(np.empty(0))[0],
    ("joblib.numpy_pickle", "NumpyArrayWrapper"): _JoblibArray,
}


class _ArrayUnpickler(pickle._Unpickler):
    """Python's own unpickler (the pure-Python one, whose opcodes can be extended) that
    refuses every global outside :data:`_ARRAY_GLOBALS`, before calling anything."""

    dispatch = pickle._Unpickler.dispatch.copy()

    def find_class(self, module: str, name: str):
        try:
            return _ARRAY_GLOBALS[module, name]
        except KeyError:
            raise pickle.UnpicklingError(
                f"refusing the global {module}.{name}: a file of NumPy arrays names only "
                f"NumPy's array types, and loading this one could run code"
            ) from None

    def load_build(self):
        super().load_build()
        if isinstance(self.stack[-1], _JoblibArray):  # its bytes come next in the file
            self.stack[-1] = _read_joblib_array(self.stack[-1], self)

    dispatch[pickle.BUILD[0]] = load_build


def _read_pickled_array(path: Path) -> np.ndarray:
    """The NumPy array in a file written by ``joblib.dump`` (plain or zlib-compressed, as
    scikit-learn writes its caches), read without running any code the file names."""
    data = path.read_bytes()
    try:
        if data[:1] == b"x":  # a zlib stream (joblib's compress=1..9); a pickle starts \x80
            data = zlib.decompress(data)
        array = _ArrayUnpickler(io.BytesIO(data)).load()
    except pickle.UnpicklingError as err:
        raise pickle.UnpicklingError(f"{path}: {err}") from None
    except (zlib.error, struct.error, EOFError, ValueError, TypeError, KeyError, IndexError,
            OverflowError) as err:  # what a damaged file makes the opcodes raise
        raise ValueError(f"{path} is not a readable joblib file of a NumPy array ({err}); "
                         f"delete it and load again") from err
    if not isinstance(array, np.ndarray):
        raise ValueError(f"{path} holds a {type(array).__name__}, not a NumPy array; delete "
                         f"it and load again")
    return array
