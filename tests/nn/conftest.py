"""The one comparison with PyTorch that the nn tests share: the same arrays go into a
chainrule function (or module) and PyTorch's, and the outputs and every gradient must
agree, to 1e-10 in float64 and 1e-5 in float32."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor

TOLERANCE = {np.float64: dict(rtol=1e-10, atol=1e-10), np.float32: dict(rtol=1e-5, atol=1e-5)}


class AgainstTorch:
    """``functions(ours, theirs, *arrays)``, ``modules(ours, theirs, *arrays)`` and
    ``layers(call)``."""

    def __init__(self, torch):
        self.torch = torch

    def layers(self, call: str) -> tuple:
        """The layer that ``call`` (``"Conv2d(3, 16, 3)"``) makes in each library."""
        return eval(call, dict(vars(nn))), eval(call, dict(vars(self.torch.nn)))

    def _inputs(self, arrays, dtype):
        """Float arrays become leaves that require grad, in ``dtype``; integer arrays
        (labels, indices) stay integers; anything else (a number, None) goes as it is."""
        ours, theirs = [], []
        for a in arrays:
            if isinstance(a, np.ndarray) and a.dtype.kind == "f":
                a = a.astype(dtype)
                ours.append(Tensor(a, requires_grad=True))
                theirs.append(self.torch.tensor(a, requires_grad=True))
            elif isinstance(a, np.ndarray):
                ours.append(Tensor(a, dtype=a.dtype))
                theirs.append(self.torch.tensor(a))
            else:
                ours.append(a)
                theirs.append(a)
        return ours, theirs

    def _compare_outputs(self, out, expected, dtype):
        """Both outputs equal; the float ones backpropagate the same random gradient."""
        outs = out if isinstance(out, tuple) else (out,)
        expecteds = expected if isinstance(expected, tuple) else (expected,)
        assert len(outs) == len(expecteds)
        rng = np.random.default_rng(7)
        for o, e in zip(outs, expecteds):
            e_array = e.detach().numpy()
            assert tuple(o.shape) == tuple(e_array.shape)
            assert o.dtype == e_array.dtype, (o.dtype, e_array.dtype)
            np.testing.assert_allclose(o.data, e_array, **TOLERANCE[dtype])
            if e.requires_grad:
                grad = rng.standard_normal(e_array.shape).astype(dtype)
                o.backward(grad)
                e.backward(self.torch.tensor(grad))

    def _compare_grads(self, ours, theirs, dtype, names=None):
        for i, (a, t) in enumerate(zip(ours, theirs)):
            name = names[i] if names else f"input {i}"
            if isinstance(t, self.torch.Tensor) and t.requires_grad:
                if t.grad is None:
                    assert a.grad is None or not np.any(a.grad.data), name
                    continue
                assert a.grad is not None, name
                np.testing.assert_allclose(a.grad.data, t.grad.numpy(), **TOLERANCE[dtype],
                                           err_msg=name)

    def functions(self, ours_fn, theirs_fn, *arrays, dtype=np.float64, **kwargs):
        """``ours_fn(*inputs, **kwargs)`` against ``theirs_fn(*inputs, **kwargs)``."""
        ours, theirs = self._inputs(arrays, dtype)
        self._compare_outputs(ours_fn(*ours, **kwargs), theirs_fn(*theirs, **kwargs), dtype)
        self._compare_grads(ours, theirs, dtype)
        return ours

    def modules(self, ours, theirs, *arrays, dtype=np.float64, train=True):
        """PyTorch's weights copied into ``ours`` (same keys and shapes), then both
        modules called on the same inputs: outputs, input and parameter gradients, and
        the state afterwards (running statistics) agree."""
        theirs = theirs.to(self.torch.float64 if dtype == np.float64 else self.torch.float32)
        ours.to(dtype)
        expected_state = theirs.state_dict()
        assert list(ours.state_dict()) == list(expected_state)
        assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == \
            {k: tuple(v.shape) for k, v in expected_state.items()}
        ours.load_state_dict({k: v.detach().numpy() for k, v in expected_state.items()})
        ours.train(train), theirs.train(train)
        inputs, torch_inputs = self._inputs(arrays, dtype)
        self._compare_outputs(ours(*inputs), theirs(*torch_inputs), dtype)
        self._compare_grads(inputs, torch_inputs, dtype)
        names = [name for name, _ in theirs.named_parameters()]
        self._compare_grads([p for _, p in ours.named_parameters()],
                            [p for _, p in theirs.named_parameters()], dtype, names)
        for key, value in theirs.state_dict().items():
            np.testing.assert_allclose(ours.state_dict()[key].data, value.numpy(),
                                       **TOLERANCE[dtype], err_msg=key)
        assert repr(ours) == repr(theirs)
        return ours


@pytest.fixture
def against_torch() -> AgainstTorch:
    """The comparison; the test is skipped where PyTorch is not installed."""
    return AgainstTorch(pytest.importorskip("torch"))
