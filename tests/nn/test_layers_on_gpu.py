"""Every layer, loss and optimizer on a GPU: the same numbers as on the CPU.

CI has no GPU: the "cuda" device is held by ``fake_cupy`` (see ``tests/conftest.py``), whose
arrays refuse NumPy's own functions, so a layer that computes with ``np.`` instead of its
data's array module fails here as it would on CuPy. Each case runs a forward and backward
pass (and, in training mode, updates the running statistics) on both devices; outputs,
gradients of inputs and parameters, and buffers must agree.
"""

from __future__ import annotations

import numpy as np
import pytest
from chainrule.nn import functional as F

import chainrule
from autograd import set_default_device
from autograd.dtypes import to_host
from chainrule import nn

IMAGES, VECTORS, SEQUENCE = (2, 3, 8, 8), (4, 6), (3, 5, 6)
LABELS = np.array([0, 2, 1, 2])

# (name, module maker, input shape, loss of the output)
LAYERS = [
    ("Conv2d", lambda: nn.Conv2d(3, 4, 3, padding=1), IMAGES, None),
    ("Conv2d stride 2 dilated", lambda: nn.Conv2d(3, 4, 3, stride=2, dilation=2), IMAGES,
     None),
    ("Conv2d same groups", lambda: nn.Conv2d(3, 6, 3, padding="same", groups=3), IMAGES, None),
    ("Conv2d reflect", lambda: nn.Conv2d(3, 2, 3, padding=1, padding_mode="reflect"), IMAGES,
     None),
    ("ConvTranspose2d", lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1), IMAGES,
     None),
    ("MaxPool2d", lambda: nn.MaxPool2d(2), IMAGES, None),
    ("MaxPool2d 3/2 padded", lambda: nn.MaxPool2d(3, 2, padding=1), IMAGES, None),
    ("AvgPool2d", lambda: nn.AvgPool2d(2), IMAGES, None),
    ("AvgPool2d 3/2 padded", lambda: nn.AvgPool2d(3, 2, padding=1), IMAGES, None),
    ("AdaptiveAvgPool2d", lambda: nn.AdaptiveAvgPool2d((3, 2)), IMAGES, None),
    ("AdaptiveMaxPool2d", lambda: nn.AdaptiveMaxPool2d(3), IMAGES, None),
    ("BatchNorm2d", lambda: nn.BatchNorm2d(3), IMAGES, None),
    ("BatchNorm1d", lambda: nn.BatchNorm1d(6), VECTORS, None),
    ("LayerNorm", lambda: nn.LayerNorm(6), SEQUENCE, None),
    ("GroupNorm", lambda: nn.GroupNorm(3, 3), IMAGES, None),
    ("Linear", lambda: nn.Linear(6, 3), VECTORS, None),
    ("LazyLinear", lambda: nn.LazyLinear(3), VECTORS, None),
    ("Flatten Unflatten", lambda: nn.Sequential(nn.Flatten(), nn.Unflatten(1, (3, 64))),
     IMAGES, None),
    ("Upsample nearest", lambda: nn.Upsample(scale_factor=2), IMAGES, None),
    ("Upsample bilinear", lambda: nn.Upsample(scale_factor=2, mode="bilinear"), IMAGES, None),
    ("ZeroPad2d", lambda: nn.ZeroPad2d(1), IMAGES, None),
    ("ReflectionPad2d", lambda: nn.ReflectionPad2d(2), IMAGES, None),
    ("ReplicationPad2d", lambda: nn.ReplicationPad2d(1), IMAGES, None),
    ("CircularPad2d", lambda: nn.CircularPad2d(1), IMAGES, None),
    ("PReLU", lambda: nn.PReLU(), VECTORS, None),
    ("Dropout in eval", lambda: nn.Dropout(0.5).eval(), VECTORS, None),
    ("Dropout", lambda: nn.Dropout(0.5), VECTORS, None),
    ("Dropout2d", lambda: nn.Dropout2d(0.5), IMAGES, None),
    ("Softmax", lambda: nn.Softmax(dim=1), VECTORS, None),
    ("LogSoftmax", lambda: nn.LogSoftmax(dim=1), VECTORS, None),
    *[(name, getattr(nn, name), VECTORS, None) for name in (
        "ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh",
        "Softplus", "Softsign", "Hardtanh", "LogSigmoid", "Tanhshrink", "Softmin")],
    ("cross_entropy", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.cross_entropy(out, chainrule.tensor(LABELS, device=d))),
    ("cross_entropy smoothed, weighted", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.cross_entropy(out, chainrule.tensor(LABELS, device=d),
                                    weight=chainrule.tensor([1.0, 2.0, 0.5], device=d),
                                    label_smoothing=0.1)),
    ("cross_entropy probabilities", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.cross_entropy(out, out.detach().softmax(1))),
    ("nll_loss", lambda: nn.LogSoftmax(dim=1), VECTORS,
     lambda out, d: F.nll_loss(out[:, :3], chainrule.tensor(LABELS, device=d))),
    ("mse_loss", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.mse_loss(out, out.detach() ** 2)),
    ("l1_loss", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.l1_loss(out, out.detach() ** 2)),
    ("smooth_l1_loss", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.smooth_l1_loss(out, out.detach() ** 2)),
    ("huber_loss", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.huber_loss(out, out.detach() ** 2, delta=0.5)),
    ("binary_cross_entropy", lambda: nn.Sequential(nn.Linear(6, 3), nn.Sigmoid()), VECTORS,
     lambda out, d: F.binary_cross_entropy(out, (out.detach() > 0.5).float())),
    ("binary_cross_entropy_with_logits", lambda: nn.Linear(6, 3), VECTORS,
     lambda out, d: F.binary_cross_entropy_with_logits(
         out, (out.detach() > 0).float(), pos_weight=chainrule.ones(3, device=d) * 2)),
    ("kl_div", lambda: nn.LogSoftmax(dim=1), VECTORS,
     lambda out, d: F.kl_div(out, out.detach().exp().flip(1), reduction="batchmean")),
    ("Embedding", lambda: nn.Embedding(10, 4), "tokens", None),
]


def run(make, shape, loss_of, device: str, seed: int = 0):
    """The module's output, the gradients of input and parameters, and its buffers after a
    forward and backward pass on ``device``, as NumPy arrays."""
    chainrule.manual_seed(seed)
    module = make().to(device)
    if shape == "tokens":
        x = chainrule.tensor([[1, 3, 3], [0, 9, 1]], device=device)
    else:
        x = chainrule.tensor(np.random.default_rng(1).standard_normal(shape),
                             dtype=chainrule.float32, device=device, requires_grad=True)
    chainrule.manual_seed(seed + 1)  # dropout masks
    out = module(x)
    loss = (out * out).sum() if loss_of is None else loss_of(out, device)
    loss.backward()
    tensors = [out, loss, *([x.grad] if x.requires_grad else []),
               *[p.grad for p in module.parameters()], *module.buffers()]
    return [to_host(t.data) for t in tensors]


@pytest.mark.parametrize("name, make, shape, loss_of", LAYERS, ids=[c[0] for c in LAYERS])
def test_every_layer_gives_the_cpus_numbers_on_the_gpu(name, make, shape, loss_of, gpu):
    set_default_device(None)
    on_cpu = run(make, shape, loss_of, "cpu")
    on_gpu = run(make, shape, loss_of, "cuda")
    assert len(on_gpu) == len(on_cpu)
    for i, (got, want) in enumerate(zip(on_gpu, on_cpu)):
        assert got.dtype == want.dtype and got.shape == want.shape, i
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=f"array {i}")


OPTIMIZERS = [
    ("SGD", dict(lr=0.1)), ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01)), ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01)), ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1)), ("Adamax", dict(lr=0.01)), ("NAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01)), ("Adadelta", dict(lr=1.0)),
]


@pytest.mark.parametrize("name, options", OPTIMIZERS, ids=[f"{n} {o}" for n, o in OPTIMIZERS])
def test_every_optimizer_steps_on_the_gpu_as_on_the_cpu(name, options, gpu):
    set_default_device(None)
    results = []
    for device in ("cpu", "cuda"):
        chainrule.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3)).to(device)
        optimizer = getattr(chainrule.optim, name)(model.parameters(), **options)
        scheduler = chainrule.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
        x = chainrule.tensor(np.random.default_rng(1).standard_normal(VECTORS),
                             dtype=chainrule.float32, device=device)
        for _ in range(4):
            optimizer.zero_grad()
            F.cross_entropy(model(x), chainrule.tensor(LABELS, device=device)).backward()
            optimizer.step()
            scheduler.step()
        results.append([to_host(p.data) for p in model.parameters()])
    for got, want in zip(*results[::-1]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
