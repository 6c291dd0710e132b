"""Saving weights to .npz and moving them to PyTorch and back."""

import os

import numpy as np
import pytest

import nn
import nn.functional as F


def _trained_model():
    np.random.seed(0)
    X = np.random.randn(64, 8).astype(np.float32)
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    model = nn.Sequential(nn.Linear(8, 16), nn.Sigmoid(), nn.Linear(16, 12), nn.Tanh(),
                          nn.Linear(12, 3))
    nn.fit(model, F.cross_entropy, nn.optim.Adam(model.parameters(), lr=0.01), (X, y),
           epochs=3, progress=False)
    return model, X


def _same_architecture(torch):
    return torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Sigmoid(),
                               torch.nn.Linear(16, 12), torch.nn.Tanh(), torch.nn.Linear(12, 3))


def test_save_and_load_npz_without_pickle(tmp_path):
    model, X = _trained_model()
    path = tmp_path / "weights.npz"
    nn.save(model, path)
    with np.load(path, allow_pickle=False) as arrays:
        assert sorted(arrays.files) == sorted(model.state_dict())
    np.random.seed(1)
    fresh = nn.load(nn.Sequential(nn.Linear(8, 16), nn.Sigmoid(), nn.Linear(16, 12),
                                  nn.Tanh(), nn.Linear(12, 3)), path)
    np.testing.assert_array_equal(fresh(X).data, model(X).data)


def test_loading_into_another_architecture_names_the_key(tmp_path):
    model, _ = _trained_model()
    nn.save(model, tmp_path / "weights")  # NumPy adds .npz
    other = nn.Sequential(nn.Linear(8, 16), nn.Sigmoid(), nn.Linear(16, 10), nn.Tanh(),
                          nn.Linear(10, 3))
    with pytest.raises(RuntimeError, match=r"size mismatch for 2\.weight"):
        nn.load(other, tmp_path / "weights.npz")


def test_state_dict_moves_to_torch_and_back():
    torch = pytest.importorskip("torch")
    model, X = _trained_model()
    theirs = _same_architecture(torch)
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in model.state_dict().items()})
    with torch.no_grad():
        np.testing.assert_allclose(theirs(torch.from_numpy(X)).numpy(), model(X).data,
                                   rtol=1e-5, atol=1e-5)
        for p in theirs.parameters():  # change PyTorch's copy, then bring it back
            p.mul_(0.5)
        expected = theirs(torch.from_numpy(X)).numpy()
    model.load_state_dict(theirs.state_dict())
    np.testing.assert_allclose(model(X).data, expected, rtol=1e-5, atol=1e-5)


def _small_model(seed):
    np.random.seed(seed)
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


def test_a_save_that_fails_half_way_keeps_the_previous_checkpoint(monkeypatch, tmp_path):
    good = _small_model(0)
    nn.save(good, tmp_path / "ckpt.npz")

    def half_a_zip_then_a_full_disk(file, **arrays):
        if isinstance(file, (str, os.PathLike)):  # np.savez opens a path itself
            file = open(file, "wb")
        file.write(b"PK\x03\x04" + bytes(100))
        file.flush()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", half_a_zip_then_a_full_disk)
    with pytest.raises(OSError, match="No space left on device"):
        nn.save(_small_model(1), tmp_path / "ckpt.npz")
    monkeypatch.undo()
    restored = nn.load(_small_model(2), tmp_path / "ckpt.npz")
    for (key, value), expected in zip(restored.state_dict().items(), good.state_dict().values()):
        np.testing.assert_array_equal(value, expected, err_msg=key)
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.npz"]  # no temporary file left


def test_load_finds_what_save_wrote_without_the_suffix(tmp_path):
    model = _small_model(0)
    written = nn.save(model, tmp_path / "ckpt")
    assert written == tmp_path / "ckpt.npz" and written.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.npz"]
    for name in ("ckpt", "ckpt.npz", str(tmp_path / "ckpt")):
        loaded = nn.load(_small_model(1), tmp_path / name)
        np.testing.assert_array_equal(loaded[0].weight.data, model[0].weight.data)


def test_a_failed_load_state_dict_leaves_the_model_unchanged():
    model, other = _small_model(0), _small_model(1)
    before = model.state_dict()
    state = other.state_dict()
    state["2.weight"] = np.zeros((5, 3), np.float32)  # only the last layer's shape is wrong
    with pytest.raises(RuntimeError, match=r"size mismatch for 2\.weight: the checkpoint has "
                                           r"shape \(5, 3\), the model has \(2, 3\)"):
        model.load_state_dict(state)
    state["2.weight"] = np.array([["a"] * 3] * 2)  # the right shape, but not numbers
    with pytest.raises(RuntimeError, match=r"2\.weight holds <U1 values, not numbers"):
        model.load_state_dict(state)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key], err_msg=key)
    assert not np.array_equal(before["0.weight"], state["0.weight"])  # it would have changed
