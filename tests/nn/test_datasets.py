"""Tests of nn.datasets: the real MNIST test files, tiny files written here, and downloads
from local ``file://`` mirrors. Nothing here touches the network or the user's cache."""

import doctest
import gzip
import hashlib
import io
import os
import pickle
import sys
import tarfile
import zlib
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest

from nn import datasets

# Digests of the shared MNIST test files, from that folder's README.
MNIST_TEST_SHA256 = {
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def idx_bytes(array, magic):
    """An IDX file written by hand: magic number, one big-endian size per axis, the bytes."""
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def write_tiny_mnist(folder, split="test"):
    """Three 28×28 images whose pixel (row 5, column 7) holds the image's index × 100,
    and their labels 3, 1, 4."""
    images = np.zeros((3, 28, 28), np.uint8)
    images[:, 5, 7] = [0, 100, 200]
    labels = np.array([3, 1, 4], np.uint8)
    folder.mkdir(parents=True, exist_ok=True)
    images_name, labels_name = datasets._MNIST_FILES[split]
    (folder / images_name).write_bytes(idx_bytes(images, 2051))
    (folder / labels_name).write_bytes(idx_bytes(labels, 2049))
    return images, labels


def cifar_tarball(records_per_batch=2):
    """A .tar.gz laid out like cifar-10-binary.tar.gz. Record k of the whole set (train
    batches 1-5, then test) has label k % 10 and one lit pixel: channel k % 3, row k, column
    31 - k, at value 255. Everything else is 0."""
    buffer = io.BytesIO()
    k = 0
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
            batch = bytearray()
            for _ in range(records_per_batch):
                pixels = bytearray(3 * 32 * 32)
                # The binary format's layout, written out: all red, then green, then blue,
                # each 32 rows of 32 pixels.
                pixels[(k % 3) * 1024 + k * 32 + (31 - k)] = 255
                batch += bytes([k % 10]) + pixels
                k += 1
            member = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            member.size = len(batch)
            tar.addfile(member, io.BytesIO(bytes(batch)))
    return buffer.getvalue()


# --- where files live ------------------------------------------------------------------


def test_data_dir_precedence_root_then_env_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINRULE_DATA", str(tmp_path / "from-env"))
    assert datasets.data_dir(tmp_path / "from-root") == tmp_path / "from-root"
    assert datasets.data_dir() == tmp_path / "from-env"
    monkeypatch.delenv("CHAINRULE_DATA")
    assert datasets.data_dir() == Path.home() / ".cache" / "chainrule"
    monkeypatch.setenv("CHAINRULE_DATA", "")  # set but empty counts as unset
    assert datasets.data_dir() == Path.home() / ".cache" / "chainrule"


def test_data_dir_expands_the_home_folder(monkeypatch):
    monkeypatch.setenv("CHAINRULE_DATA", "~/course-data")
    assert datasets.data_dir() == Path.home() / "course-data"


def test_loaders_read_the_subfolder_named_after_the_data_set(monkeypatch, tmp_path):
    write_tiny_mnist(tmp_path / "mnist")
    monkeypatch.setenv("CHAINRULE_DATA", str(tmp_path))
    X, y = datasets.load_mnist(split="test")  # no root: the environment variable decides
    assert X.shape == (3, 28, 28)


# --- MNIST: the real test set ----------------------------------------------------------


def test_shared_mnist_files_have_the_published_sha256(shared_data):
    for name, digest in MNIST_TEST_SHA256.items():
        assert sha256(shared_data / "mnist" / name) == digest
        assert datasets._SHA256[name] == digest


def test_load_mnist_test_split_shapes_values_and_labels(shared_data):
    X, y = datasets.load_mnist(root=shared_data, split="test")
    assert X.shape == (10000, 28, 28) and X.dtype == np.float32
    assert y.shape == (10000,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    # The first ten labels of the MNIST test set, and its published class counts.
    assert y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    # The pixels are the file's bytes after its 16-byte header, divided by 255.
    with gzip.open(shared_data / "mnist" / "t10k-images-idx3-ubyte.gz") as f:
        raw = np.frombuffer(f.read()[16:], np.uint8).reshape(10000, 28, 28)
    np.testing.assert_array_equal(np.round(X * 255).astype(np.uint8), raw)


def test_docstring_examples(monkeypatch, shared_data):
    pytest.importorskip("sklearn")  # load_digits' example
    monkeypatch.setenv("CHAINRULE_DATA", str(shared_data))
    results = doctest.testmod(datasets)
    assert results.attempted > 0 and results.failed == 0


# --- MNIST: tiny files written here ----------------------------------------------------


@pytest.mark.parametrize("split", ["train", "test"])
def test_load_mnist_parses_a_tiny_idx_pair(tmp_path, split):
    images, labels = write_tiny_mnist(tmp_path / "mnist", split)
    X, y = datasets.load_mnist(root=tmp_path, split=split)
    assert X.shape == (3, 28, 28) and X.dtype == np.float32
    assert y.tolist() == [3, 1, 4] and y.dtype == np.int64
    assert X[:, 5, 7].tolist() == pytest.approx([0, 100 / 255, 200 / 255])
    assert np.count_nonzero(X) == 2


def test_load_mnist_rejects_an_unknown_split(tmp_path):
    with pytest.raises(ValueError, match="split must be 'train' or 'test', got 'valid'"):
        datasets.load_mnist(root=tmp_path, split="valid")


def test_load_mnist_names_a_file_with_a_bad_magic_number(tmp_path):
    write_tiny_mnist(tmp_path / "mnist")
    # A label file (magic 0x0801) where the images should be.
    images = tmp_path / "mnist" / "t10k-images-idx3-ubyte.gz"
    images.write_bytes(idx_bytes(np.zeros(3), 2049))
    with pytest.raises(ValueError, match="magic number is 0x0801, expected 0x0803") as err:
        datasets.load_mnist(root=tmp_path, split="test")
    assert str(images) in str(err.value)


def test_load_mnist_names_a_truncated_file(tmp_path):
    write_tiny_mnist(tmp_path / "mnist")
    labels = tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(gzip.compress(gzip.decompress(labels.read_bytes())[:-1]))
    with pytest.raises(ValueError, match="truncated or corrupt") as err:
        datasets.load_mnist(root=tmp_path, split="test")
    assert str(labels) in str(err.value)


def test_load_mnist_names_a_file_that_is_not_gzip(tmp_path):
    write_tiny_mnist(tmp_path / "mnist")
    images = tmp_path / "mnist" / "t10k-images-idx3-ubyte.gz"
    images.write_bytes(b"<html>Not Found</html>")  # what a broken mirror might serve
    with pytest.raises(ValueError, match="not a readable gzip file") as err:
        datasets.load_mnist(root=tmp_path, split="test")
    assert str(images) in str(err.value)


def test_load_mnist_checks_images_and_labels_agree(tmp_path):
    write_tiny_mnist(tmp_path / "mnist")
    labels = tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(idx_bytes(np.array([1, 2]), 2049))
    with pytest.raises(ValueError, match="3 images but .* 2 labels"):
        datasets.load_mnist(root=tmp_path, split="test")


# --- CIFAR-10: a tiny binary tarball ---------------------------------------------------


@pytest.mark.parametrize("split, first", [("train", 0), ("test", 10)])
def test_load_cifar10_reads_the_binary_records_in_nchw(tmp_path, split, first):
    (tmp_path / "cifar10").mkdir()
    (tmp_path / "cifar10" / "cifar-10-binary.tar.gz").write_bytes(cifar_tarball())
    X, y = datasets.load_cifar10(root=tmp_path, split=split)
    n = 10 if split == "train" else 2
    assert X.shape == (n, 3, 32, 32) and X.dtype == np.float32
    assert y.dtype == np.int64
    ks = range(first, first + n)
    assert y.tolist() == [k % 10 for k in ks]  # batches 1..5 in order
    for i, k in enumerate(ks):
        lit = np.argwhere(X[i])
        assert lit.tolist() == [[k % 3, k, 31 - k]] and X[i, k % 3, k, 31 - k] == 1.0


def test_load_cifar10_names_a_corrupt_archive(tmp_path):
    archive = tmp_path / "cifar10" / "cifar-10-binary.tar.gz"
    archive.parent.mkdir()
    archive.write_bytes(cifar_tarball()[:200])
    with pytest.raises(ValueError, match="not a readable .tar.gz file") as err:
        datasets.load_cifar10(root=tmp_path, split="test")
    assert str(archive) in str(err.value)


def test_load_cifar10_names_a_batch_of_the_wrong_length(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        member = tarfile.TarInfo("cifar-10-batches-bin/test_batch.bin")
        member.size = 3073 + 5
        tar.addfile(member, io.BytesIO(bytes(member.size)))
    (tmp_path / "cifar10").mkdir()
    (tmp_path / "cifar10" / "cifar-10-binary.tar.gz").write_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="test_batch.bin .* not a whole number of 3073-byte"):
        datasets.load_cifar10(root=tmp_path, split="test")
    with pytest.raises(ValueError, match="does not contain cifar-10-batches-bin/data_batch_1"):
        datasets.load_cifar10(root=tmp_path, split="train")


def test_load_cifar10_rejects_an_unknown_split(tmp_path):
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        datasets.load_cifar10(root=tmp_path, split="validation")


def test_cifar10_class_names():
    assert datasets.CIFAR10_CLASSES[3] == "cat" and len(datasets.CIFAR10_CLASSES) == 10


# --- downloads from a local mirror ---------------------------------------------------------


@pytest.fixture
def mirror(tmp_path):
    """A folder served as a file:// mirror, and the URL prefix that names it."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    return folder, folder.as_uri() + "/"


def test_download_from_a_mirror_verifies_and_keeps_the_files(monkeypatch, tmp_path, mirror):
    source, url = mirror
    write_tiny_mnist(source)
    monkeypatch.setattr(datasets, "_MNIST_MIRRORS", (url,))
    for name in datasets._MNIST_FILES["test"]:
        monkeypatch.setitem(datasets._SHA256, name, sha256(source / name))
    X, y = datasets.load_mnist(root=tmp_path / "cache", split="test")
    assert X.shape == (3, 28, 28) and y.tolist() == [3, 1, 4]
    cached = tmp_path / "cache" / "mnist"
    assert sorted(p.name for p in cached.iterdir()) == sorted(datasets._MNIST_FILES["test"])
    for name in datasets._MNIST_FILES["test"]:
        assert (cached / name).read_bytes() == (source / name).read_bytes()


def test_download_falls_back_to_the_next_mirror(monkeypatch, tmp_path, mirror):
    source, url = mirror
    write_tiny_mnist(source)
    dead = (tmp_path / "no-such-mirror").as_uri() + "/"
    monkeypatch.setattr(datasets, "_MNIST_MIRRORS", (dead, url))
    for name in datasets._MNIST_FILES["test"]:
        monkeypatch.setitem(datasets._SHA256, name, sha256(source / name))
    X, y = datasets.load_mnist(root=tmp_path / "cache", split="test")
    assert y.tolist() == [3, 1, 4]


def test_download_of_cifar10_from_a_mirror(monkeypatch, tmp_path, mirror):
    source, url = mirror
    (source / "cifar-10-binary.tar.gz").write_bytes(cifar_tarball())
    monkeypatch.setattr(datasets, "_CIFAR10_MIRRORS", (url,))
    monkeypatch.setitem(
        datasets._SHA256, "cifar-10-binary.tar.gz", sha256(source / "cifar-10-binary.tar.gz")
    )
    X, y = datasets.load_cifar10(root=tmp_path / "cache", split="test")
    assert X.shape == (2, 3, 32, 32) and y.tolist() == [0, 1]
    assert (tmp_path / "cache" / "cifar10" / "cifar-10-binary.tar.gz").is_file()


def test_sha256_mismatch_deletes_the_download_and_says_so(monkeypatch, tmp_path, mirror):
    source, url = mirror
    write_tiny_mnist(source)  # not the real MNIST files, so not the real digests
    monkeypatch.setattr(datasets, "_MNIST_MIRRORS", (url,))
    with pytest.raises(RuntimeError) as err:
        datasets.load_mnist(root=tmp_path / "cache", split="test")
    message = str(err.value)
    images = "t10k-images-idx3-ubyte.gz"
    expected, served = MNIST_TEST_SHA256[images], sha256(source / images)
    assert f"SHA-256 mismatch: expected {expected}, got {served}" in message
    assert "the downloaded file was deleted" in message and url + images in message
    assert list((tmp_path / "cache" / "mnist").iterdir()) == []  # no file, no partial file


def test_no_network_names_every_url_and_the_folder(monkeypatch, tmp_path):
    def offline(url, timeout):
        raise URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(datasets, "urlopen", offline)
    with pytest.raises(RuntimeError) as err:
        datasets.load_mnist(root=tmp_path, split="train")
    message = str(err.value)
    assert "could not download train-images-idx3-ubyte.gz" in message
    for mirror_url in datasets._MNIST_MIRRORS:
        assert mirror_url + "train-images-idx3-ubyte.gz" in message
    assert "Temporary failure in name resolution" in message
    assert f"put it in the folder {tmp_path / 'mnist'} under the name " \
        "train-images-idx3-ubyte.gz" in message
    assert list((tmp_path / "mnist").iterdir()) == []


def test_no_network_for_cifar10(monkeypatch, tmp_path):
    def offline(url, timeout):
        raise URLError("no route to host")

    monkeypatch.setattr(datasets, "urlopen", offline)
    with pytest.raises(RuntimeError) as err:
        datasets.load_cifar10(root=tmp_path, split="test")
    assert "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz" in str(err.value)
    assert str(tmp_path / "cifar10") in str(err.value)


def test_an_interrupted_download_leaves_no_partial_file(monkeypatch, tmp_path):
    class Response:  # sends one chunk, then the connection drops
        headers = {"Content-Length": "2048"}

        def __init__(self):
            self.chunks = [b"x" * 1024]

        def read(self, size):
            if self.chunks:
                return self.chunks.pop()
            raise ConnectionResetError("connection reset by peer")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(datasets, "urlopen", lambda url, timeout: Response())
    monkeypatch.setattr(datasets, "_CIFAR10_MIRRORS", ("https://example.invalid/",))
    with pytest.raises(RuntimeError, match="connection reset by peer"):
        datasets.load_cifar10(root=tmp_path, split="test")
    assert list((tmp_path / "cifar10").iterdir()) == []


# --- through scikit-learn --------------------------------------------------------------


def test_load_digits_is_scikit_learns_data():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_digits()
    assert X.shape == (1797, 64) and X.dtype.kind == "f"
    assert y.shape == (1797,) and y.dtype == np.int64
    expected_X, expected_y = sklearn_datasets.load_digits(return_X_y=True)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, expected_y)
    assert X.min() == 0 and X.max() == 16 and y[:10].tolist() == list(range(10))


def test_without_scikit_learn_the_error_says_what_to_install(monkeypatch):
    # None in sys.modules makes `import sklearn.datasets` raise ImportError.
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r'load_digits needs scikit-learn, an optional extra: '
                                          r'pip install "chainrule\[datasets\]"'):
        datasets.load_digits()


# --- the Olivetti faces: the .mat file, and scikit-learn's cache read without pickle -------


def fake_faces():
    """400 "photos" of 4,096 pixels, one row each, as scikit-learn keeps them: uint8 values
    that are not symmetric, so a photo read without MATLAB's column order shows it."""
    return np.random.default_rng(5).integers(3, 250, (400, 64 * 64), dtype=np.uint8)


def scikit_learns_faces(folder, faces):
    """What scikit-learn's fetch_olivetti_faces returns for ``faces``: it reads them from
    its cache file, which it writes with joblib.dump(faces, ..., compress=6)."""
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    joblib = pytest.importorskip("joblib")
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(faces, folder / "olivetti_py3.pkz", compress=6)
    return sklearn_datasets.fetch_olivetti_faces(data_home=folder, download_if_missing=False)


def test_olivetti_faces_from_the_mat_file_are_scikit_learns(tmp_path):
    scipy_io = pytest.importorskip("scipy.io")
    faces = fake_faces()
    expected = scikit_learns_faces(tmp_path / "sklearn", faces)
    folder = tmp_path / "olivetti"
    folder.mkdir()
    scipy_io.savemat(folder / "olivettifaces.mat", {"faces": faces.T})  # one column a photo
    X, y = datasets.load_olivetti_faces(root=tmp_path)
    assert X.shape == (400, 64, 64) and X.dtype == np.float32 and X.flags.c_contiguous
    np.testing.assert_array_equal(X, expected.images)
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.dtype == np.int64 and y.tolist() == expected.target.tolist() == \
        [person for person in range(40) for _ in range(10)]


def test_olivetti_faces_from_scikit_learns_cache_without_unpickling(monkeypatch, tmp_path):
    faces = fake_faces()
    expected = scikit_learns_faces(tmp_path / "olivetti", faces)  # the cache, in our folder
    for module in ("joblib", "sklearn", "sklearn.datasets", "scipy", "scipy.io"):
        monkeypatch.setitem(sys.modules, module, None)  # read by chainrule alone
    X, y = datasets.load_olivetti_faces(root=tmp_path)
    np.testing.assert_array_equal(X, expected.images)
    assert y.tolist() == expected.target.tolist()


@pytest.mark.parametrize("array", [
    np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
    np.asfortranarray(np.random.default_rng(0).standard_normal((3, 5))),  # order "F"
    np.arange(6, dtype=">i4").reshape(2, 3),                             # big-endian
    np.array(3.5),
])
@pytest.mark.parametrize("compress", [6, 0])
def test_a_genuine_joblib_file_loads_to_the_same_array(tmp_path, array, compress):
    joblib = pytest.importorskip("joblib")
    joblib.dump(array, tmp_path / "array.pkz", compress=compress)
    loaded = datasets._read_pickled_array(tmp_path / "array.pkz")
    assert loaded.shape == array.shape and loaded.dtype == array.dtype
    np.testing.assert_array_equal(loaded, array)


class RunsAShellCommand:
    """What a crafted pickle does: unpickling it calls os.system(command)."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


@pytest.mark.parametrize("craft", ["by hand", "by __reduce__", "after an array"])
def test_a_crafted_cache_file_is_refused_and_runs_nothing(tmp_path, craft):
    marker = tmp_path / "marker"
    command = f"touch {marker}"
    if craft == "by hand":  # protocol 0: GLOBAL os.system, a string, TUPLE1... REDUCE
        payload = f"cos\nsystem\n(S'{command}'\ntR.".encode()
        refused = "os.system"
    else:
        evil = RunsAShellCommand(command)
        payload = pickle.dumps(evil if craft == "by __reduce__" else [np.zeros(3), evil])
        refused = f"{os.system.__module__}.system"  # posix.system on Linux
    folder = tmp_path / "olivetti"
    folder.mkdir()
    (folder / "olivetti_py3.pkz").write_bytes(zlib.compress(payload))  # as joblib compresses
    with pytest.raises(pickle.UnpicklingError) as err:
        datasets.load_olivetti_faces(root=tmp_path)
    assert f"refusing the global {refused}:" in str(err.value)
    assert str(folder / "olivetti_py3.pkz") in str(err.value)
    assert not marker.exists()


def test_a_cache_file_of_the_wrong_array_is_named(tmp_path):
    joblib = pytest.importorskip("joblib")
    (tmp_path / "olivetti").mkdir()
    joblib.dump(np.zeros((10, 4096)), tmp_path / "olivetti" / "olivetti_py3.pkz", compress=6)
    with pytest.raises(ValueError, match=r"olivetti_py3\.pkz holds an array of shape "
                                         r"\(10, 4096\) and dtype float64, not the 400 photos"):
        datasets.load_olivetti_faces(root=tmp_path)


def test_a_damaged_mat_file_is_named(tmp_path):
    pytest.importorskip("scipy.io")
    (tmp_path / "olivetti").mkdir()
    mat = tmp_path / "olivetti" / "olivettifaces.mat"
    mat.write_bytes(b"<html>Not Found</html>")
    with pytest.raises(ValueError, match="is not a readable MATLAB file") as err:
        datasets.load_olivetti_faces(root=tmp_path)
    assert str(mat) in str(err.value)


def test_download_of_the_olivetti_mat_file_from_a_mirror(monkeypatch, tmp_path, mirror):
    scipy_io = pytest.importorskip("scipy.io")
    source, url = mirror
    faces = fake_faces()
    scipy_io.savemat(source / "5976027", {"faces": faces.T})  # figshare's name for it
    monkeypatch.setattr(datasets, "_OLIVETTI_URLS", (url + "5976027",))
    monkeypatch.setitem(datasets._SHA256, "olivettifaces.mat", sha256(source / "5976027"))
    X, y = datasets.load_olivetti_faces(root=tmp_path / "cache")
    assert X.shape == (400, 64, 64) and y[-1] == 39
    expected = faces.reshape(400, 64, 64).transpose(0, 2, 1).astype(np.float32)
    np.testing.assert_allclose(X, (expected - 3) / (expected.max() - 3), rtol=1e-5)
    assert [p.name for p in (tmp_path / "cache" / "olivetti").iterdir()] == \
        ["olivettifaces.mat"]


def test_the_olivetti_sha256_is_scikit_learns():
    olivetti = pytest.importorskip("sklearn.datasets._olivetti_faces")
    assert olivetti.FACES.filename == "olivettifaces.mat"
    assert datasets._OLIVETTI_URLS == (olivetti.FACES.url,)
    assert datasets._SHA256["olivettifaces.mat"] == olivetti.FACES.checksum


def test_load_olivetti_faces_offline_names_the_mat_file_the_url_and_the_folder(monkeypatch,
                                                                               tmp_path):
    pytest.importorskip("scipy.io")

    def offline(url, timeout):
        raise URLError("no route to host")

    monkeypatch.setattr(datasets, "urlopen", offline)
    with pytest.raises(RuntimeError) as err:
        datasets.load_olivetti_faces(root=tmp_path)
    message = str(err.value)
    assert "could not download olivettifaces.mat" in message
    assert "https://ndownloader.figshare.com/files/5976027: <urlopen error no route to host>" \
        in message
    assert f"put it in the folder {tmp_path / 'olivetti'} under the name olivettifaces.mat" \
        in message
    assert list((tmp_path / "olivetti").iterdir()) == []


def test_without_scipy_the_olivetti_error_says_what_to_install_before_downloading(
        monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.io", None)
    downloads = []
    monkeypatch.setattr(datasets, "urlopen", lambda url, timeout: downloads.append(url))
    with pytest.raises(ImportError, match=r'load_olivetti_faces needs SciPy, an optional '
                                          r'extra: pip install "chainrule\[datasets\]"'):
        datasets.load_olivetti_faces(root=tmp_path)
    assert downloads == []
