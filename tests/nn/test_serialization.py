"""Saving weights to .npz and moving them to PyTorch and back."""

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
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    with torch.no_grad():
        np.testing.assert_allclose(theirs(torch.from_numpy(X)).numpy(), model(X).data,
                                   rtol=1e-5, atol=1e-5)
        for p in theirs.parameters():  # change PyTorch's copy, then bring it back
            p.mul_(0.5)
        expected = theirs(torch.from_numpy(X)).numpy()
    model.load_state_dict(theirs.state_dict())
    np.testing.assert_allclose(model(X).data, expected, rtol=1e-5, atol=1e-5)
