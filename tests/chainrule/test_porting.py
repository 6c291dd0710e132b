"""docs/porting.md: its way back to PyTorch works as written, and the README links it."""

import re
from pathlib import Path

import numpy as np
import pytest

import chainrule

ROOT = Path(__file__).parents[2]
GUIDE = ROOT / "docs" / "porting.md"


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def going_back_code() -> tuple[str, str]:
    """The guide's two snippets: what runs on chainrule, and what runs on PyTorch."""
    section = GUIDE.read_text(encoding="utf-8").split("## Going back to PyTorch")[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    on_chainrule, on_pytorch = re.split(r"^(?=# on PyTorch)", code, flags=re.MULTILINE)
    return on_chainrule, on_pytorch


def hw3_model(torch):
    """HW3's MLP, written once for either library."""
    return torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(),
                               torch.nn.Linear(1024, 10))


def challenge_net(torch):
    """A small net with HW05's challenge layers: 'same' convs, BatchNorm2d, MaxPool2d,
    Flatten, Linear, BatchNorm1d."""
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(3, 8, (3, 3), padding="same"), nn.BatchNorm2d(8),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 4 * 4, 10),
                         nn.BatchNorm1d(10))


@pytest.mark.parametrize("build, shape", [(hw3_model, (5, 784)), (challenge_net, (6, 3, 8, 8))])
def test_weights_learnt_on_chainrule_load_into_pytorch(torch, tmp_path, monkeypatch, build,
                                                       shape):
    monkeypatch.chdir(tmp_path)
    on_chainrule, on_pytorch = going_back_code()
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)

    ours = build(chainrule)
    ours(chainrule.tensor(x))  # one pass in training mode moves BatchNorm's statistics
    ours.eval()
    exec(on_chainrule, {"nn": chainrule.nn, "model": ours})

    theirs = build(torch)
    exec(on_pytorch, {"torch": torch, "model": theirs})
    theirs.eval()
    for key, value in theirs.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), np.asarray(ours.state_dict()[key]))
    with torch.no_grad():
        np.testing.assert_allclose(theirs(torch.from_numpy(x)).numpy(),
                                   ours(chainrule.tensor(x)).data, rtol=1e-4, atol=1e-5)


def test_the_readme_links_the_porting_guide():
    assert "(docs/porting.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
