"""Every op on a GPU: the op catalogues run on CuPy's array module, never on NumPy's.

An op must take its array module from its data (``kernels_for(a).xp``), so that a tensor
on "cuda" is computed by CuPy. CI has no GPU, so there the catalogues run on
``fake_cupy``: CuPy's rules over NumPy's arithmetic, whose arrays refuse every direct
NumPy call (``np.exp(x)``, ``np.asarray(x)``, mixing with a NumPy array). Each case must
give on that "GPU" the values, dtypes, gradients and errors it gives on the CPU. On a
machine with a GPU, ``pytest -m gpu`` runs the same cases on CuPy, and the op-coverage
checks on CuPy against PyTorch on CUDA (a plain ``pytest`` leaves those out).

The catalogues are the math and shape API cases (``test_math_api``, ``test_shape_api``),
the op-coverage list of ``benchmarks/op_coverage.py`` and, in ``tests/nn``, the layers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import fake_cupy
import numpy as np
import pytest
import test_math_api
import test_shape_api

import chainrule
from autograd import Tensor, dtypes, set_default_device
from autograd.dtypes import to_host

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import op_coverage  # noqa: E402 - from the benchmarks folder, put on the path above


def host(t: Tensor) -> np.ndarray:
    return to_host(t.data)


def run(fn, L, arrays: list[np.ndarray], device: str):
    """``fn(L, *inputs)`` on ``device``: (values, gradients) as NumPy arrays, or the
    exception it raised."""
    inputs = [chainrule.tensor(a, requires_grad=a.dtype.kind == "f", device=device)
              for a in arrays]
    try:
        out = fn(L, *inputs)
        out = list(out) if isinstance(out, (tuple, list)) else [out]
        for piece in out:
            assert piece.device.type == device, f"an output on {piece.device}, not {device}"
        upstream = np.random.default_rng(1)
        loss = None
        for piece in out:
            if piece.requires_grad:
                u = chainrule.tensor(upstream.standard_normal(piece.shape), dtype=piece.dtype,
                                     device=device)
                loss = (piece * u).sum() if loss is None else loss + (piece * u).sum()
        if loss is not None:
            loss.backward()
    except Exception as error:  # noqa: BLE001 - the same error is the expected result
        return error
    grads = [None if x.grad is None else host(x.grad) for x in inputs]
    return [host(piece) for piece in out], grads


def assert_same(on_cpu, on_gpu, rtol=1e-12):
    if isinstance(on_cpu, Exception):
        assert type(on_gpu) is type(on_cpu), f"the CPU raised {on_cpu!r}, the GPU gave {on_gpu!r}"
        return
    if isinstance(on_gpu, Exception):
        raise on_gpu
    (values, grads), (gpu_values, gpu_grads) = on_cpu, on_gpu
    assert len(values) == len(gpu_values)
    for want, got in [*zip(values, gpu_values), *zip(grads, gpu_grads)]:
        assert (want is None) == (got is None)
        if want is not None:
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-14, equal_nan=True)


def math_library(device: str):
    L = test_math_api.ours()
    L.const = lambda values: chainrule.tensor(np.array(values), device=device)
    return L


def shape_library(device: str):
    L = test_shape_api.ours()
    L.tensor = lambda values, dtype: chainrule.tensor(np.array(values, dtype=dtype),
                                                      device=device)
    L.zeros = lambda *shape: chainrule.zeros(*shape, device=device)
    L.ones = lambda *shape: chainrule.ones(*shape, device=device)
    return L


CATALOGUE = (
    [(f"math: {c.name}", c.fn, math_library, c.inputs) for c in test_math_api.CASES]
    + [(f"shape: {c.name}", c.fn, shape_library, c.inputs) for c in test_shape_api.CASES]
    + [(f"op: {name} {i}", check.fn, lambda device: op_coverage.Lib(chainrule),
        lambda check=check: op_coverage._arrays(check, 0))
       for i, (name, check) in enumerate(op_coverage.OPS)]
)


@pytest.mark.parametrize("name, fn, library, inputs", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_every_op_gives_the_cpus_results_on_the_gpu(name, fn, library, inputs, gpu):
    arrays = inputs()
    set_default_device(None)
    on_cpu = run(fn, library("cpu"), arrays, "cpu")
    set_default_device("cuda")
    # CuPy's exp, sum, ... may round the last bits of a float64 otherwise than NumPy's
    rtol = 1e-12 if gpu is fake_cupy else 1e-9
    assert_same(on_cpu, run(fn, library("cuda"), arrays, "cuda"), rtol)


@pytest.fixture
def cuda_for_both(cupy):
    """CuPy holding chainrule's "cuda" tensors and PyTorch on the same GPU, each library's
    default device while the test runs."""
    import torch
    if not torch.cuda.is_available():
        pytest.fail("PyTorch (a CUDA build) must see the GPU to compare with", pytrace=False)
    before = dtypes.use_gpu_module(cupy)
    yield torch
    torch.set_default_device(None)
    set_default_device(None)
    dtypes.use_gpu_module(before)


@pytest.mark.gpu
@pytest.mark.parametrize("name, check", op_coverage.OPS,
                         ids=[f"{name} {i}" for i, (name, _) in enumerate(op_coverage.OPS)])
def test_every_op_on_cupy_agrees_with_pytorch_on_cuda_as_on_the_cpu(name, check,
                                                                      cuda_for_both):
    """The op-coverage checks on the GPU: each passes there if and only if it passes on the
    CPU, with the same difference from PyTorch where there is one."""
    on_cpu = op_coverage.run_check(check)
    cuda_for_both.set_default_device("cuda")
    set_default_device("cuda")
    assert op_coverage.run_check(check) == on_cpu


# --- moving tensors and modules -----------------------------------------------------------

def test_tensors_move_to_the_gpu_and_back_as_in_pytorch(gpu):
    x = chainrule.tensor([1.0, 2.0], device="cpu")
    on_gpu = x.to("cuda")
    assert on_gpu.device == chainrule.device("cuda", 0) and str(on_gpu.device) == "cuda:0"
    assert isinstance(on_gpu.data, fake_cupy.ndarray)
    assert x.cuda().device.type == on_gpu.cuda().device.type == "cuda"
    assert on_gpu.cpu().device == "cpu" and isinstance(on_gpu.cpu().data, np.ndarray)
    assert on_gpu.to("cuda") is on_gpu and x.to("cpu") is x  # nothing to do: itself
    assert on_gpu.tolist() == [1.0, 2.0] and float(on_gpu.sum()) == 3.0
    assert repr(on_gpu) == "tensor([1., 2.], device='cuda:0')"


def test_every_creation_function_takes_device(gpu):
    set_default_device(None)
    made = [chainrule.tensor([1, 2], device="cuda"), chainrule.zeros(2, 3, device="cuda"),
            chainrule.ones(2, device="cuda"), chainrule.full((2,), 7.0, device="cuda"),
            chainrule.eye(3, device="cuda"), chainrule.arange(4, device="cuda"),
            chainrule.linspace(0, 1, 5, device="cuda"), chainrule.randn(2, device="cuda"),
            chainrule.rand(2, device="cuda"), chainrule.randint(0, 5, (3,), device="cuda"),
            chainrule.randperm(4, device="cuda"), chainrule.empty(2, device="cuda"),
            chainrule.as_tensor([1.0], device="cuda"), chainrule.logspace(0, 1, 3, device="cuda"),
            chainrule.normal(0.0, 1.0, (2,), device="cuda")]
    assert all(t.device.type == "cuda" for t in made)
    like = made[1]
    for function in (chainrule.zeros_like, chainrule.ones_like, chainrule.rand_like,
                     chainrule.randn_like, chainrule.empty_like):
        assert function(like).device.type == "cuda", function.__name__
    assert chainrule.full_like(like, 2.0).device.type == "cuda"
    leaf = chainrule.randn(3, device="cuda", requires_grad=True)
    assert leaf.is_leaf and leaf.requires_grad  # made there, not moved there


def test_a_seed_draws_the_same_numbers_on_either_device(gpu):
    chainrule.manual_seed(3)
    on_gpu = chainrule.randn(4, device="cuda")
    chainrule.manual_seed(3)
    on_cpu = chainrule.randn(4, device="cpu")
    np.testing.assert_array_equal(host(on_gpu), on_cpu.numpy())


def test_mixing_devices_is_an_error_naming_both(gpu):
    x = chainrule.ones(3, device="cpu")
    for mixed in (lambda: x.cuda() + x, lambda: x @ x.cuda(), lambda: chainrule.cat([x, x.cuda()]),
                  lambda: chainrule.where(x.cuda() > 0, x, x.cuda())):
        with pytest.raises(RuntimeError, match="same device") as error:
            mixed()
        assert "cuda:0" in str(error.value) and "cpu" in str(error.value)


def test_numpy_is_refused_on_the_gpu_as_in_pytorch(gpu):
    x = chainrule.ones(2, device="cuda")
    with pytest.raises(TypeError, match=r"cuda:0 .*Tensor.cpu\(\)"):
        x.numpy()
    with pytest.raises(TypeError, match=r"Tensor.cpu\(\)"):
        np.asarray(x)
    np.testing.assert_array_equal(x.cpu().numpy(), [1.0, 1.0])


def test_derivations_and_pictures_show_gpu_values(gpu):
    import viz
    from autograd import derive
    w = chainrule.tensor([0.5, -1.0], device="cuda", requires_grad=True)
    loss = (w * w).sum()
    loss.backward()
    text = str(derive(loss))
    assert "1.25" in text
    source = viz.draw_graph(loss).source
    assert "1.25" in source and "grad" in source
    np.testing.assert_array_equal(host(w.grad), [1.0, -2.0])


def test_without_cupy_the_gpu_is_unavailable_and_moving_says_what_to_install(monkeypatch):
    before = dtypes.use_gpu_module(None)
    monkeypatch.setitem(sys.modules, "cupy", None)  # as if CuPy were not installed
    try:
        assert not chainrule.cuda.is_available() and chainrule.cuda.device_count() == 0
        with pytest.raises(RuntimeError, match=r"pip install 'chainrule\[gpu\]'") as error:
            chainrule.ones(2).to("cuda")
        assert "\n" not in str(error.value)
        with pytest.raises(RuntimeError, match="no GPU"):
            chainrule.cuda.synchronize()
    finally:
        dtypes.use_gpu_module(before)


def test_leaf_grads_on_the_gpu_are_their_own_arrays(gpu):
    # A leaf keeps a fresh gradient only the engine holds, as on the CPU, and copies one
    # that ops passed along: + hands the same array to both of its inputs.
    x, y = (chainrule.tensor([1.0, 2.0], requires_grad=True) for _ in range(2))
    (x + y).sum().backward()
    x.grad += 1
    assert x.grad.tolist() == [2.0, 2.0] and y.grad.tolist() == [1.0, 1.0]
    w = chainrule.ones(2, 3, requires_grad=True)
    (chainrule.ones(4, 2) @ w).sum().backward()
    w.grad.zero_()
    assert w.grad.sum().item() == 0.0 and x.grad.tolist() == [2.0, 2.0]


def test_cuda_answers_as_pytorch_with_a_gpu(gpu):
    assert chainrule.cuda.is_available() and chainrule.cuda.device_count() == 1
    chainrule.cuda.synchronize()
    chainrule.cuda.manual_seed(0)


def test_modules_move_train_and_keep_their_checkpoints_across_devices(gpu, tmp_path):
    from chainrule import nn
    set_default_device(None)
    chainrule.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(8, 3))
    reference = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2),
                              nn.Linear(8, 3))
    reference.load_state_dict(model.state_dict())
    assert model.to("cuda") is model
    assert all(p.device.type == "cuda" for p in model.parameters())
    assert model[1].running_mean.device.type == "cuda"

    x, y = np.random.default_rng(0).standard_normal((6, 4)), np.array([0, 1, 2, 0, 1, 2])
    for net, device in ((model, "cuda"), (reference, "cpu")):
        chainrule.manual_seed(1)
        optimizer = chainrule.optim.Adam(net.parameters(), lr=0.01)
        for _ in range(3):
            optimizer.zero_grad()
            out = net(chainrule.tensor(x, dtype=chainrule.float32, device=device))
            loss = nn.functional.cross_entropy(out, chainrule.tensor(y, device=device))
            loss.backward()
            optimizer.step()
    for (name, a), b in zip(model.state_dict().items(), reference.state_dict().values()):
        np.testing.assert_allclose(host(a), b.numpy(), rtol=1e-6, atol=1e-7, err_msg=name)

    on_cpu = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2),
                           nn.Linear(8, 3))
    on_cpu.load_state_dict(model.state_dict())  # saved on the GPU, loaded on the CPU
    np.testing.assert_array_equal(on_cpu[0].weight.detach().numpy(), host(model[0].weight))
    back = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(8, 3)).cuda()
    back.load_state_dict(on_cpu.state_dict())  # and back
    assert back[0].weight.device.type == "cuda"
    np.testing.assert_array_equal(host(back[0].weight), on_cpu[0].weight.detach().numpy())
    from nn.serialization import load, save
    restored = load(on_cpu, save(model, tmp_path / "gpu"))
    np.testing.assert_array_equal(restored[4].bias.detach().numpy(), host(model[4].bias))
