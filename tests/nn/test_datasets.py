"""Tests of nn.datasets: the real MNIST test files, tiny files written here, and downloads
from local ``file://`` mirrors. Nothing here touches the network or the user's cache."""

import doctest
import gzip
import hashlib
import io
import sys
import tarfile
from pathlib import Path
from types import SimpleNamespace
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
    assert f"put it in the folder {tmp_path / 'mnist'}" in message
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


@pytest.mark.parametrize("loader", [datasets.load_digits, datasets.load_olivetti_faces])
def test_without_scikit_learn_the_error_says_what_to_install(monkeypatch, loader):
    # None in sys.modules makes `import sklearn.datasets` raise ImportError.
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r'pip install "chainrule\[datasets\]"'):
        loader()


def test_load_olivetti_faces_caches_in_the_olivetti_subfolder(monkeypatch, tmp_path):
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    calls = []  # the data_home of each call

    def fake_fetch(data_home):
        calls.append(data_home)
        images = np.linspace(0, 1, 400 * 64 * 64, dtype=np.float32).reshape(400, 64, 64)
        return SimpleNamespace(images=images, target=np.repeat(np.arange(40), 10))

    monkeypatch.setattr(sklearn_datasets, "fetch_olivetti_faces", fake_fetch)
    X, y = datasets.load_olivetti_faces(root=tmp_path)
    assert calls == [str(tmp_path / "olivetti")]
    assert X.shape == (400, 64, 64) and X.dtype == np.float32
    assert y.dtype == np.int64 and y[:12].tolist() == [0] * 10 + [1, 1]


def test_load_olivetti_faces_offline_names_the_folder(monkeypatch, tmp_path):
    sklearn_datasets = pytest.importorskip("sklearn.datasets")

    def offline(data_home):
        raise URLError("no route to host")

    monkeypatch.setattr(sklearn_datasets, "fetch_olivetti_faces", offline)
    with pytest.raises(RuntimeError, match="could not fetch the faces") as err:
        datasets.load_olivetti_faces(root=tmp_path)
    assert str(tmp_path / "olivetti") in str(err.value)
    assert "no route to host" in str(err.value)
