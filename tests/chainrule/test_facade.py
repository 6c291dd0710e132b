"""The facade ``chainrule``: every import path of the import rule, PyTorch's names under
PyTorch's paths (checked against PyTorch), and ``chainrule.cuda``."""

import doctest
import subprocess
import sys
import types

import numpy as np
import pytest

import autograd
import chainrule
import chainrule.cuda
import chainrule.optim.lr_scheduler
import nn
from autograd.custom import Function as CustomFunction


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


# The import rule (shared/examples/README.md): PyTorch's line, and the same line on chainrule.
IMPORT_RULE = [
    ("import torch", "import chainrule as torch"),
    ("import torch.nn as nn", "import chainrule.nn as nn"),
    ("import torch.nn.functional as F", "import chainrule.nn.functional as F"),
    ("import torch.optim as optim", "import chainrule.optim as optim"),
    ("from torch import nn, optim", "from chainrule import nn, optim"),
    ("from torch.utils.data import DataLoader", "from chainrule.utils.data import DataLoader"),
    ("from torch.autograd import Function", "from chainrule.autograd import Function"),
    ("import torch.nn.init as init", "import chainrule.nn.init as init"),
    ("import torch.optim.lr_scheduler as lr_scheduler",
     "import chainrule.optim.lr_scheduler as lr_scheduler"),
    ("from torch.optim.lr_scheduler import StepLR",
     "from chainrule.optim.lr_scheduler import StepLR"),
    ("from torch.nn import functional as F", "from chainrule.nn import functional as F"),
    ("import torch.nn", "import chainrule.nn, chainrule as torch"),
]


@pytest.mark.parametrize("theirs, ours", IMPORT_RULE, ids=[t for t, _ in IMPORT_RULE])
def test_every_import_line_of_the_rule_runs(port, theirs, ours):
    assert port.port_source(theirs) == ours
    namespace = {}
    exec(ours, namespace)
    bound = [name for name in namespace if name != "__builtins__"]
    assert bound and all(namespace[name] is not None for name in bound)


def test_a_dotted_path_works_as_the_first_import_of_a_program():
    # In a fresh interpreter, `import chainrule.nn.functional` must load chainrule first and
    # find nn.functional itself under the alias (not a second copy of the module).
    program = ("import chainrule.nn.functional as F\n"
               "import nn.functional, chainrule\n"
               "assert F is nn.functional and chainrule.nn.functional is F\n"
               "from chainrule.utils.data import DataLoader\n"
               "import chainrule.optim.lr_scheduler\n"
               "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"


def test_the_dotted_paths_lead_to_the_packages_themselves():
    import chainrule.nn as cnn
    import chainrule.nn.functional as F
    import chainrule.nn.init as init

    from chainrule.autograd import Function

    assert cnn is nn and F is nn.functional and init is nn.init
    assert chainrule.nn.Linear is nn.Linear and chainrule.nn.Module is nn.Module
    # every module of nn, under its second name: one class identity, whichever path
    for name, module in list(sys.modules.items()):
        if name.startswith("nn."):
            assert sys.modules["chainrule." + name] is module, name
    # PyTorch's custom Function (the engine's own op protocol is autograd.Op)
    assert Function is CustomFunction is autograd.Function and Function is not autograd.Op
    assert chainrule.optim.SGD is nn.optim.SGD and chainrule.optim.Adam is nn.optim.Adam
    assert chainrule.optim.lr_scheduler.StepLR.__module__.startswith("nn.optim")


# What the course's programs and PyTorch's tutorials use from `torch` itself.
TORCH_NAMES = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "eye", "arange",
    "linspace", "logspace", "zeros_like", "ones_like", "full_like", "empty_like", "rand",
    "randn", "randint", "randperm", "normal", "rand_like", "randn_like", "manual_seed",
    "seed", "Generator", "default_generator", "no_grad", "enable_grad", "inference_mode",
    "set_grad_enabled", "is_grad_enabled", "float32", "float64", "float16", "float", "double",
    "half", "int64", "int32", "int16", "int8", "uint8", "long", "int", "short", "bool",
    "Tensor", "Size", "device", "get_default_dtype", "set_default_dtype",
    "nn", "optim", "utils", "autograd", "cuda",
]


def test_pytorchs_names_are_there(torch):
    assert [name for name in TORCH_NAMES if not hasattr(torch, name)] == []  # the list is right
    assert [name for name in TORCH_NAMES if not hasattr(chainrule, name)] == []


def test_every_name_the_facade_exports_is_pytorchs_under_the_same_path(torch):
    import torch.optim.lr_scheduler  # noqa: F401 - loads the submodule onto torch.optim
    import torch.utils.data  # noqa: F401

    for ours, theirs in [(chainrule, torch), (chainrule.optim, torch.optim),
                         (chainrule.optim.lr_scheduler, torch.optim.lr_scheduler),
                         (chainrule.autograd, torch.autograd),
                         (chainrule.utils.data, torch.utils.data)]:
        assert [name for name in ours.__all__ if not hasattr(theirs, name)] == [], ours


def test_dtype_aliases_are_pytorchs(torch):
    for alias, name in [("float", "float32"), ("double", "float64"), ("half", "float16"),
                        ("long", "int64"), ("int", "int32"), ("short", "int16")]:
        assert getattr(torch, alias) is getattr(torch, name)  # PyTorch's aliases ...
        assert getattr(chainrule, alias) is getattr(chainrule, name)  # ... are ours
    assert chainrule.tensor([1.0]).dtype == chainrule.float32
    assert chainrule.tensor([1]).dtype == chainrule.int64


def test_the_op_groups_free_functions_are_re_exported_as_they_land():
    import pkgutil

    import autograd.ops
    for group in pkgutil.iter_modules(autograd.ops.__path__, "autograd.ops."):
        module = sys.modules[group.name]
        for name in getattr(module, "__all__", []):
            if name != "one_hot":  # torch.nn.functional.one_hot
                assert getattr(chainrule, name) is getattr(module, name), (group.name, name)


def test_a_small_program_gives_pytorchs_numbers(torch):
    def program(t, Function, grad):
        class Cube(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * 3 * x ** 2

        x = t.tensor([0.5, -1.0, 2.0], requires_grad=True)
        w = t.full((3,), 2.0, requires_grad=True)
        y = (Cube.apply(x) * w).sum() + (x * x).sum()
        y.backward()
        with t.no_grad():
            z = x * 2
        (gw,) = grad((w * w).sum(), w)
        return y.item(), x.grad, w.grad, z.requires_grad, gw

    from chainrule.autograd import Function, grad
    ours = program(chainrule, Function, grad)
    theirs = program(torch, torch.autograd.Function, torch.autograd.grad)
    assert ours[0] == pytest.approx(theirs[0]) == 19.5  # 2 (0.125 - 1 + 8) + (0.25 + 1 + 4)
    np.testing.assert_allclose(np.asarray(ours[1]), theirs[1].numpy())   # 6x² + 2x
    np.testing.assert_allclose(np.asarray(ours[2]), theirs[2].numpy())   # x³
    assert ours[3] is theirs[3] is False
    np.testing.assert_allclose(np.asarray(ours[4].data), theirs[4].numpy())  # 2w = 4


# --- chainrule.cuda -----------------------------------------------------------------------

def cupy_runtime(device_count):
    """A stand-in for CuPy whose runtime reports ``device_count`` GPUs (or raises it)."""
    def get_device_count():
        if isinstance(device_count, Exception):
            raise device_count
        return device_count
    runtime = types.SimpleNamespace(getDeviceCount=get_device_count)
    return types.SimpleNamespace(cuda=types.SimpleNamespace(runtime=runtime))


def test_cuda_without_cupy_is_pytorch_without_a_gpu(torch, monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # `import cupy` raises ImportError
    assert chainrule.cuda.is_available() is False and chainrule.cuda.device_count() == 0
    with pytest.raises(RuntimeError, match="no GPU"):
        chainrule.cuda.synchronize()
    if not torch.cuda.is_available():  # the CPU build of PyTorch answers the same
        assert torch.cuda.device_count() == 0
        with pytest.raises((RuntimeError, AssertionError)):
            torch.cuda.synchronize()


@pytest.mark.parametrize("count, seen", [(2, 2), (0, 0), (RuntimeError("no CUDA driver"), 0)])
def test_cuda_counts_the_gpus_cupy_sees(monkeypatch, count, seen):
    monkeypatch.setitem(sys.modules, "cupy", cupy_runtime(count))
    assert chainrule.cuda.device_count() == seen
    # a GPU that CuPy sees is not enough: a tensor must compute there (this stand-in for
    # CuPy's runtime cannot), else a program's `"cuda" if is_available() else "cpu"`
    # would fail
    assert chainrule.cuda.is_available() is False


def test_cuda_manual_seed_seeds_what_every_device_draws_from():
    for seed_gpu in (chainrule.cuda.manual_seed, chainrule.cuda.manual_seed_all):
        seed_gpu(7)
        a = chainrule.randn(4).data
        chainrule.manual_seed(7)
        np.testing.assert_array_equal(a, chainrule.randn(4).data)


# --- the docstring examples of the facade (pytest collects those of autograd, nn, viz) ----

@pytest.mark.parametrize("module", [chainrule, chainrule.autograd, chainrule.cuda,
                                    chainrule.optim, chainrule.optim.lr_scheduler,
                                    sys.modules["chainrule._exports"]],
                         ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0
