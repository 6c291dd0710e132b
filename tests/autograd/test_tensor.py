"""The Tensor class: its array facts, dtype rules, backward semantics, errors and repr.

The ops' values and gradients are checked op by op in test_tensor_ops.py; this file
checks the contract around them. Expected numbers are worked out by hand in each test,
or come from NumPy or PyTorch.
"""

from __future__ import annotations

import doctest
import sys
import weakref

import numpy as np
import pytest

import autograd
import autograd.tensor  # noqa: F401 - the module, reached through sys.modules below
from autograd import Op, Tensor, concatenate, no_grad, set_default_dtype, stack
from autograd.gradcheck import gradcheck


@pytest.fixture
def restore_default_dtype():
    """For tests that change the default dtype: float32 again afterwards, pass or fail."""
    try:
        yield
    finally:
        set_default_dtype(np.float32)


# --- the class ----------------------------------------------------------------------------

def test_array_facts():
    x = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert isinstance(x.data, np.ndarray)
    assert x.shape == (2, 3) and x.ndim == 2 and x.numel() == 6 and x.dtype == np.float32
    assert len(x) == 2
    assert x.T.shape == (3, 2) and x.T.data.tolist() == [[1, 4], [2, 5], [3, 6]]
    assert x.grad is None and x.requires_grad is False and x.is_leaf


def test_item_numpy_detach_and_array_protocol():
    data = np.array([[2.5]])
    x = Tensor(data, requires_grad=True)
    assert x.item() == 2.5 and isinstance(x.item(), float)
    with pytest.raises(RuntimeError, match="detach"):
        x.numpy()  # as PyTorch: a tensor that requires grad is detached first
    assert x.detach().numpy() is data  # the array itself, as torch's .numpy()
    d = x.detach()
    assert d.data is data and d.requires_grad is False and d.op is None
    assert np.asarray(x) is data
    assert np.asarray(x, dtype=np.float32).dtype == np.float32
    copy = np.array(x, copy=True)
    assert copy is not data and copy.tolist() == [[2.5]]
    assert float(x) == 2.5 and int(Tensor(3.0)) == 3
    assert bool(Tensor(1.0)) and not bool(Tensor(0.0))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))


def test_a_float_array_is_shared_not_copied():
    data = np.zeros(3)
    x = Tensor(data)
    data[0] = 7.0
    assert x.data[0] == 7.0


def test_results_of_full_reductions_are_arrays_not_numpy_scalars():
    x = Tensor([1.0, 2.0])
    for out in (x.sum(), x.mean(), x.max(), x[0], x @ x, Tensor(2.0) * Tensor(3.0)):
        assert type(out.data) is np.ndarray and out.shape == ()


def test_iteration_yields_rows_and_stops():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert [r.data.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]
    (rows[0] * 2 + rows[1]).sum().backward()
    assert x.grad.tolist() == [[2.0, 2.0], [1.0, 1.0]]


# --- factories ----------------------------------------------------------------------------

@pytest.mark.parametrize("make", [Tensor.zeros, Tensor.ones, Tensor.randn, Tensor.rand])
def test_factories_take_a_shape_either_way(make):
    for x in (make(2, 3), make((2, 3)), make([2, 3])):
        assert x.shape == (2, 3) and x.dtype == np.float32 and not x.requires_grad
    assert make(4, requires_grad=True).requires_grad
    assert make(2, dtype=np.float64).dtype == np.float64


def test_factory_values():
    assert Tensor.zeros(2, 2).data.tolist() == [[0, 0], [0, 0]]
    assert Tensor.ones(3).data.tolist() == [1, 1, 1]
    assert Tensor.arange(4).data.tolist() == [0, 1, 2, 3] and Tensor.arange(4).dtype == np.float32
    assert Tensor.arange(1, 2, 0.5).data.tolist() == [1.0, 1.5]
    r = Tensor.rand(1000)
    assert 0 <= r.data.min() and r.data.max() < 1


def test_randn_and_rand_follow_numpys_global_seed():
    np.random.seed(3)
    expected = np.random.randn(2, 3).astype(np.float32)
    np.random.seed(3)
    assert np.array_equal(Tensor.randn(2, 3).data, expected)
    np.random.seed(4)
    expected = np.random.rand(5).astype(np.float32)
    np.random.seed(4)
    assert np.array_equal(Tensor.rand(5).data, expected)


# --- dtype rules --------------------------------------------------------------------------

def test_default_dtype_is_float32_for_lists_numbers_and_ints():
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(3).dtype == np.float32
    assert Tensor(2.5).dtype == np.float32
    assert Tensor([1, 2]).dtype == np.float32
    assert Tensor(np.arange(3)).dtype == np.float32  # an int array becomes float
    assert Tensor(np.array([True, False])).dtype == np.float32
    assert autograd.get_default_dtype() == np.float32


def test_float_arrays_keep_their_dtype():
    assert Tensor(np.array([1.0, 2.0])).dtype == np.float64
    assert Tensor(np.float64(2.0)).dtype == np.float64
    assert Tensor(np.zeros(2, np.float16)).dtype == np.float16
    assert Tensor([1, 2], dtype=np.float64).dtype == np.float64


def test_set_default_dtype(restore_default_dtype):
    set_default_dtype(np.float64)
    assert Tensor([1, 2]).dtype == np.float64
    assert Tensor.zeros(2).dtype == np.float64 and Tensor.randn(2).dtype == np.float64
    with pytest.raises(ValueError, match="expected a float dtype"):
        set_default_dtype(np.int32)


def test_python_numbers_take_the_tensors_dtype():
    x32 = Tensor([1.0, 2.0])
    x64 = Tensor(np.array([1.0, 2.0]))
    for make in (lambda x: x * 2, lambda x: 2 * x, lambda x: x + 0.5, lambda x: 1 - x,
                 lambda x: x / 3, lambda x: 2 / x, lambda x: x ** 2, lambda x: 2 ** x):
        assert make(x32).dtype == np.float32
        assert make(x64).dtype == np.float64


def test_float64_stays_float64_end_to_end():
    x = Tensor(np.random.randn(4, 3), requires_grad=True)
    w = Tensor(np.random.randn(3, 2), requires_grad=True)
    loss = ((x @ w).tanh().log_softmax(axis=1) * 2).mean()
    assert loss.dtype == np.float64
    loss.backward()
    assert x.grad.dtype == np.float64 and w.grad.dtype == np.float64


def test_grad_has_the_data_dtype_even_when_an_op_mixes_dtypes():
    x = Tensor([1.0, 2.0], requires_grad=True)  # float32
    y = x * np.array([3.0, 4.0])  # NumPy promotes: float64
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [3.0, 4.0]
    m = x.max()
    m.backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("make", [
    lambda x: x.softplus(), lambda x: x.sigmoid(), lambda x: x.clip(np.float64(-1), 1.0),
    lambda x: x.leaky_relu(np.float64(0.1)), lambda x: x.elu(np.float64(0.5)),
    lambda x: x.clip(low=np.array([0.0, 0.0, 0.0])), lambda x: x.var(), lambda x: x.mean(),
])
def test_functions_keep_float32(make):
    x = Tensor([-2.0, 0.5, 3.0], requires_grad=True)
    out = make(x)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32


def test_only_float_tensors_can_require_grad():
    with pytest.raises(TypeError, match="only float tensors can require grad, got int64"):
        Tensor([1, 2], dtype=np.int64, requires_grad=True)


# --- NumPy operands on either side -------------------------------------------------------

@pytest.mark.parametrize("op, dx", [
    (lambda a, x: a + x, lambda a, x: np.ones_like(x)),
    (lambda a, x: a - x, lambda a, x: -np.ones_like(x)),
    (lambda a, x: a * x, lambda a, x: a),
    (lambda a, x: a / x, lambda a, x: -a / x ** 2),
    (lambda a, x: a ** x, lambda a, x: a ** x * np.log(a)),
    (lambda a, x: a @ x, lambda a, x: a.T @ np.ones((2, 2))),
])
def test_ndarray_on_the_left_calls_the_tensors_reflected_op(op, dx):
    # Without __array_priority__, ndarray.__add__ would take the Tensor as an array and
    # return a plain ndarray: the graph would silently end there.
    a = np.array([[1.5, 2.0], [0.5, 3.0]])
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
    out = op(a, x)
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, op(a, x.data))
    out.sum().backward()
    np.testing.assert_allclose(x.grad, dx(a, x.data))


def test_numpy_scalars_on_the_left_also_give_tensors():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for out in (np.float64(2.0) * x, np.float32(2.0) + x, np.int64(3) - x):
        assert isinstance(out, Tensor) and out.requires_grad


# --- backward semantics -------------------------------------------------------------------

def test_backward_on_a_scalar_seeds_one():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).sum().backward()  # d/dx Σx² = 2x
    assert x.grad.tolist() == [2.0, 4.0, 6.0]


def test_backward_on_a_one_element_tensor_also_seeds_one():
    x = Tensor([3.0], requires_grad=True)
    (x * x).reshape(1, 1).backward()
    assert x.grad.tolist() == [6.0]


def test_backward_on_a_non_scalar_needs_a_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    with pytest.raises(RuntimeError, match=r"grad can be implicitly created only for a scalar "
                                           r"output.*shape \(2,\).*\.sum\(\)"):
        y.backward()
    y.backward(np.array([1.0, 10.0]))  # ∂(Σ gᵢyᵢ)/∂x = 3g
    assert x.grad.tolist() == [3.0, 30.0]
    with pytest.raises(ValueError, match=r"grad has shape \(3,\), expected \(2,\)"):
        y.backward(np.ones(3))


def test_backward_accepts_a_tensor_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(Tensor([1.0, 1.0]))
    assert x.grad.tolist() == [3.0, 3.0]


def test_backward_of_something_that_needs_no_grad_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Tensor([1.0]) * 2).sum().backward()


def test_gradients_accumulate_and_zero_grad_resets():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]  # 2 · 2x
    (x * 5).sum().backward()  # another graph adds on too
    assert x.grad.tolist() == [9.0, 13.0]
    y.zero_grad()
    assert x.grad is None and y.grad is None


def test_a_tensor_used_twice_gets_both_contributions():
    x = Tensor([3.0], requires_grad=True)
    y = x * x + x * 2 + x  # dy/dx = 2x + 3 = 9
    y.sum().backward()
    assert x.grad.tolist() == [9.0]


def test_intermediate_nodes_keep_their_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    y.backward()
    assert h.grad.tolist() == [6.0, 12.0]  # ∂y/∂h = 2h
    assert y.grad.tolist() == 1.0 and x.grad.tolist() == [18.0, 36.0]


def test_a_leafs_grad_is_its_own_array():
    # + hands its incoming gradient to both parents unchanged: modifying one leaf's grad
    # in place (as an optimizer may) must not change the other's, nor the seed's.
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    seed = np.array([1.0, 1.0], dtype=np.float32)
    (a + b).backward(seed)
    a.grad *= 10
    assert b.grad.tolist() == [1.0, 1.0] and seed.tolist() == [1.0, 1.0]
    assert a.grad.data.flags.writeable


class _Doubling(Op):
    """2·x, whose backward remembers each array it returns, as ``keep(array)``: the array
    itself (as an op keeping its gradient in ``ctx`` would), or a weak reference."""
    name = "doubling"

    def __init__(self, keep):
        self.keep, self.returned = keep, []

    def forward(self, a):
        return 2 * a, None

    def backward(self, node, g):
        grad = 2 * g
        self.returned.append(self.keep(grad))
        return (grad,)


def _owns_its_grad(x, *others):
    """x.grad shares memory with none of ``others`` (arrays or Tensors)."""
    return not any(np.shares_memory(x.grad.data, getattr(o, "data", o)) for o in others)


def _other_grads(root, x):
    """The gradients of every node in root's graph but x."""
    return [n.grad for n in autograd.topological_order(root) if n is not x and n.grad is not None]


def test_leaf_grads_share_no_memory_in_the_cases_that_pass_gradients_along():
    x, y = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
    loss = (x + y).sum()  # sum hands on a view of its 0-d gradient, + hands it to both
    loss.backward()
    assert _owns_its_grad(x, *_other_grads(loss, x))
    x.grad += 1
    assert y.grad.tolist() == [1.0, 1.0] and loss.grad.tolist() == 1.0

    x = Tensor([[1.0, 2.0]], requires_grad=True)
    out = x.reshape(2)  # reshape hands on a view of its gradient
    seed = np.array([5.0, 6.0], np.float32)
    out.backward(seed)
    assert _owns_its_grad(x, out.grad, seed)

    x = Tensor([1.0, 2.0], requires_grad=True)  # a leaf's own seed
    x.backward(seed)
    assert _owns_its_grad(x, seed)
    x.grad *= 0
    assert seed.tolist() == [5.0, 6.0]

    x = Tensor([1.0, 2.0], requires_grad=True)  # used twice: one sum of two contributions
    y = x * x + x
    y.backward(seed)
    assert _owns_its_grad(x, y.grad, seed) and x.grad.tolist() == [15.0, 30.0]


def test_a_leaf_copies_a_gradient_that_a_hook_or_an_op_kept():
    x = Tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(seen.append)  # keeps the Tensor it is shown
    doubling = _Doubling(keep=lambda array: array)
    doubling(x).sum().backward()
    assert _owns_its_grad(x, *seen, *doubling.returned)

    z = Tensor([1.0], requires_grad=True)
    saved = Tensor([7.0])
    z.register_hook(lambda g: saved)  # replaces the gradient by a Tensor it keeps
    (z * 3).sum().backward()
    assert z.grad.tolist() == [7.0] and _owns_its_grad(z, saved)


def test_a_leaf_keeps_a_gradient_that_only_the_engine_holds():
    # Nothing else can reach such an array: the leaf takes it without a copy (which costs
    # a 784×1024 layer's weight a tenth of its training step).
    x = Tensor([1.0, 2.0], requires_grad=True)
    doubling = _Doubling(keep=weakref.ref)  # remembers the array without holding it
    doubling(x).sum().backward()
    assert x.grad.data is doubling.returned[0]()
    assert x.grad.tolist() == [2.0, 2.0]


def test_a_0d_leafs_accumulated_grad_is_an_array_that_can_be_zeroed_in_place():
    w = Tensor(np.float32(2.0), requires_grad=True)
    for _ in range(2):
        (w * w).backward()
    w.grad.data[...] = 0  # as zero_grad(set_to_none=False) does
    assert type(w.grad.data) is np.ndarray and w.grad.tolist() == 0.0


def test_no_grad_records_nothing():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = (x * 2).exp().sum()
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()
    assert y.requires_grad is False and y.op is None and y.parents == ()
    assert (x * 2).requires_grad  # recording is back after the block


def test_no_grad_is_restored_after_an_error():
    with pytest.raises(ValueError), no_grad():
        Tensor.ones(2) @ Tensor.ones(3)
    assert autograd.is_grad_enabled()


def test_leaves_without_requires_grad_get_no_grad_and_are_not_walked():
    class Boom(Op):
        """An op whose backward must never run."""
        name = "boom"
        def forward(self, a): return a * 1.0, None
        def backward(self, node, g): raise AssertionError("walked into a constant subgraph")

    x = Tensor([1.0, 2.0], requires_grad=True)
    c = Tensor([3.0, 4.0])
    constant_subgraph = Boom()(c * 2)
    assert not constant_subgraph.requires_grad
    (x * constant_subgraph).sum().backward()
    assert x.grad.tolist() == [6.0, 8.0]
    assert c.grad is None and constant_subgraph.grad is None


def test_an_op_may_skip_a_parent_that_needs_no_grad():
    x = Tensor(np.ones((3, 3)), requires_grad=True)
    w = Tensor(np.ones((3, 3)))
    out = x @ w
    grads = out.op.backward(out, np.ones((3, 3)))
    assert grads[0] is not None and grads[1] is None  # no work for the constant


def test_a_custom_function_records_one_node():
    class Cube(Op):
        name = "cube"
        def forward(self, a): return a ** 3, None
        def backward(self, node, g): return (3 * node.parents[0].data ** 2 * g,)

    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    y = Cube()(x)
    assert y.op.name == "cube" and y.parents == (x,)
    assert gradcheck(lambda t: Cube()(t), x)


def test_operators_record_the_same_node_as_calling_the_function():
    # x + y goes through Op.binary, a faster copy of Op.__call__'s steps.
    from autograd.ops.elementwise import add, mul, sub
    from autograd.ops.matmul import matmul
    x = Tensor([[1.0, 2.0]], requires_grad=True)
    for op, via_operator in ((add, lambda: x + 2), (sub, lambda: 2 - x), (mul, lambda: x * x),
                             (matmul, lambda: x @ x.T)):
        out = via_operator()
        args = [p if p.requires_grad else p.data for p in out.parents]
        called = op(*args)
        assert out.op is called.op is op and len(out.parents) == len(called.parents) == 2
        assert out.requires_grad and called.requires_grad
        assert out.dtype == called.dtype and np.array_equal(out.data, called.data)
    with no_grad():
        assert (x + 2).op is None and not (x + 2).requires_grad


# --- deep graphs --------------------------------------------------------------------------

def test_chain_of_20_000_ops():
    x = Tensor(np.array([0.3, -0.2]), requires_grad=True)
    y = x
    for i in range(10_000):  # two ops per step
        y = y * 1.0001 if i % 2 else (y + 0.001)
        y = y - 0.0005
    y.sum().backward()
    # Each step is y → a·y + b: dy/dx is the product of the factors, 1.0001^5000.
    np.testing.assert_allclose(x.grad, [1.0001 ** 5000] * 2, rtol=1e-10)
    assert len(autograd.topological_order(y)) == 20_001


# --- conventions at kinks and ties --------------------------------------------------------

def test_amax_of_an_all_equal_row_splits_the_gradient_equally():
    x = Tensor(np.array([[2.0, 2.0, 2.0, 2.0], [1.0, 5.0, 5.0, 0.0]]), requires_grad=True)
    x.amax(axis=1).sum().backward()
    assert x.grad.tolist() == [[0.25, 0.25, 0.25, 0.25], [0.0, 0.5, 0.5, 0.0]]


@pytest.mark.parametrize("axis, keepdims", [(None, False), (None, True), (0, False), (1, True),
                                            (-1, True), ((0, 1), False)])
def test_ties_in_amax_and_amin_match_pytorchs(axis, keepdims):
    torch = pytest.importorskip("torch")
    data = np.array([[1.0, 3.0, 3.0], [3.0, 0.0, 0.0]])
    upstream = np.random.default_rng(0).standard_normal(np.max(data, axis, keepdims=keepdims).shape)
    dim = () if axis is None else axis
    for ours, theirs in (("amax", "amax"), ("amin", "amin")):
        x = Tensor(data, requires_grad=True)
        getattr(x, ours)(axis=axis, keepdims=keepdims).backward(upstream)
        t = torch.tensor(data, requires_grad=True)
        getattr(t, theirs)(dim=dim, keepdim=keepdims).backward(torch.tensor(upstream))
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12)


def test_relu_abs_and_clip_at_their_kinks_follow_pytorch():
    # relu'(0) = 0 and |x|'(0) = 0; clip passes the gradient at its bounds.
    x = Tensor([0.0, -1.0, 1.0], requires_grad=True)
    (x.relu() + x.abs()).sum().backward()
    assert x.grad.tolist() == [0.0, -1.0, 2.0]
    x = Tensor([-0.5, 0.5, 0.7], requires_grad=True)
    x.clip(-0.5, 0.5).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 0.0]


def test_powers_at_zero_follow_pytorch():
    x = Tensor(np.array([0.0, 2.0]), requires_grad=True)
    (x ** 0).sum().backward()  # constant 1: gradient 0, not 0·0⁻¹ = nan
    assert x.grad.tolist() == [0.0, 0.0]
    e = Tensor(np.array([2.0, 0.5]), requires_grad=True)
    (0.0 ** e).sum().backward()  # 0^e = 0 for e > 0 whatever e is: gradient 0
    assert e.grad.tolist() == [0.0, 0.0]


def test_softmax_and_log_softmax_are_stable_for_huge_logits():
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    x = Tensor(z, requires_grad=True)
    s = x.softmax(axis=1)
    np.testing.assert_allclose(s.data, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    logp = x.log_softmax(axis=1)
    np.testing.assert_allclose(logp.data, [[0, -2000, -1000], [-np.log(3)] * 3])
    w = np.array([[1.0, 2.0, 3.0], [1.0, 0.0, -1.0]])
    (logp * w).sum().backward()
    # ∂/∂z of Σ wᵢ log pᵢ = w − p Σw
    np.testing.assert_allclose(x.grad, [[1 - 6, 2, 3], [1, 0, -1]], atol=1e-12)
    x.zero_grad()
    (s * w).sum().backward()
    assert np.all(np.isfinite(x.grad))
    for dtype in (np.float32, np.float64):
        out = Tensor(z.astype(dtype)).softmax()
        assert out.dtype == dtype and np.all(np.isfinite(out.data))


def test_sigmoid_and_softplus_keep_their_digits_in_the_tails():
    x = Tensor(np.array([-80.0, -20.0, 0.0, 20.0, 100.0], dtype=np.float32))
    # σ(−20) = 1 / (1 + e^20) = 2.0611536e-09 and σ(−80) = 1.8048514e-35, while
    # (1 + tanh(x/2)) / 2 gives 0 for both in float32; softplus(x) ≈ eˣ there.
    np.testing.assert_allclose(x.sigmoid().data, [1.8048514e-35, 2.0611536e-09, 0.5, 1, 1],
                               rtol=1e-5)
    np.testing.assert_allclose(x.softplus().data, [1.8048514e-35, 2.0611536e-09, np.log(2),
                                                   20, 100], rtol=1e-5)


def test_big_inputs_do_not_warn():
    x = Tensor(np.array([-1000.0, 100.0, 1000.0], dtype=np.float32), requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        for f in (lambda t: t.sigmoid(), lambda t: t.softplus(), lambda t: t.elu(),
                  lambda t: t.tanh(), lambda t: t.softmax()):
            f(x).sum().backward()


# --- shape ops: the cases that were wrong once --------------------------------------------

def test_permute_with_negative_axes():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    y = x.permute(-1, 0, 1)
    assert y.shape == (4, 2, 3)
    w = np.random.default_rng(0).standard_normal(y.shape)
    (y * w).sum().backward()
    np.testing.assert_array_equal(x.grad, w.transpose(1, 2, 0))


def test_flatten():
    assert Tensor(3.0).flatten().shape == (1,)  # as torch.flatten
    assert Tensor.zeros(2, 3, 4).flatten(1).shape == (2, 12)
    assert Tensor.zeros(2, 3, 4).flatten(-1).shape == (2, 3, 4)
    assert Tensor.zeros(0, 3).flatten(1).shape == (0, 3)
    with pytest.raises(IndexError, match="flatten: Dimension out of range"):
        Tensor.zeros(2, 3).flatten(2)


def test_var_with_negative_and_tuple_axes_and_ddof():
    data = np.random.default_rng(0).standard_normal((3, 4, 5))
    x = Tensor(data)
    for axis in (None, -1, (0, -1), (2, 0), -2):
        for ddof in (0, 1):
            np.testing.assert_allclose(x.var(axis=axis, ddof=ddof).data,
                                       np.var(data, axis=axis, ddof=ddof), rtol=1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isnan(Tensor([2.0]).var(ddof=1).item())  # as NumPy: 0/0


def test_pad_with_an_int_width():
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    y = x.pad(1)
    assert y.shape == (4, 4) and y.data.sum() == 4
    (y * np.arange(16.0).reshape(4, 4)).sum().backward()
    assert x.grad.tolist() == [[5.0, 6.0], [9.0, 10.0]]


def test_indexing_with_repeated_indices_accumulates():
    x = Tensor([10.0, 20.0, 30.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]
    y = Tensor(np.zeros((2, 3)), requires_grad=True)
    y[np.array([1, 1]), np.array([2, 2])].sum().backward()
    assert y.grad.tolist() == [[0, 0, 0], [0, 0, 2]]


def test_indexing_with_a_boolean_mask():
    x = Tensor([1.0, -2.0, 3.0], requires_grad=True)
    picked = x[x.data > 0]
    assert picked.data.tolist() == [1.0, 3.0]
    (picked * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 2.0]


def test_a_list_index_is_copied_when_recorded():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = [0, 1]
    y = x[index]
    index[0] = 2  # changing the list afterwards does not change the recorded graph
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 0.0]


def test_a_tensor_as_index_is_refused():
    x = Tensor([1.0, 2.0, 3.0])
    with pytest.raises(IndexError, match="a Tensor holds floats and cannot be used as an index"):
        x[Tensor([0, 1])]


def test_concatenate_and_stack_functions():
    a, b = Tensor.ones(2, 3, requires_grad=True), Tensor.zeros(1, 3, requires_grad=True)
    c = concatenate([a, b])
    assert c.shape == (3, 3) and c.data.sum() == 6
    (c * np.arange(9.0).reshape(3, 3)).sum().backward()
    assert b.grad.tolist() == [[6.0, 7.0, 8.0]]
    s = stack([Tensor.ones(3), Tensor.zeros(3)], axis=1)
    assert s.shape == (3, 2)
    flat = concatenate([a, b], axis=None)
    assert flat.shape == (9,)


def test_pow_with_an_array_exponent():
    x = Tensor(np.array([2.0, 3.0]), requires_grad=True)
    y = x ** np.array([2.0, 3.0])
    assert y.data.tolist() == [4.0, 27.0]
    y.sum().backward()
    assert x.grad.tolist() == [4.0, 27.0]  # b·x^(b−1): 2·2, 3·9


# --- error messages -----------------------------------------------------------------------

@pytest.mark.parametrize("make, message", [
    (lambda: Tensor.ones(2, 3) @ Tensor.ones(4, 5),
     "matmul: (2, 3) @ (4, 5): inner dimensions 3 and 4 differ"),
    (lambda: Tensor.ones(3) @ Tensor.ones(4),
     "matmul: (3,) @ (4,): inner dimensions 3 and 4 differ"),
    (lambda: Tensor(2.0) @ Tensor.ones(4),
     "matmul: () @ (4,): both operands need at least one dimension"),
    (lambda: Tensor.ones(2, 3) + Tensor.ones(4),
     "add: (2, 3) + (4,): operands could not be broadcast together"),
    (lambda: np.ones((2, 3)) * Tensor.ones(4),
     "multiply: (2, 3) * (4,): operands could not be broadcast together"),
    (lambda: Tensor.ones(2, 3) - Tensor.ones(3, 2), "subtract: (2, 3) - (3, 2): "),
    (lambda: Tensor.ones(2, 3) / Tensor.ones(5), "divide: (2, 3) / (5,): "),
    (lambda: Tensor.ones(2, 3).reshape(4, 2),
     "reshape: shape (2, 3): cannot reshape array of size 6 into shape (4,2)"),
    (lambda: concatenate([Tensor.ones(2, 3), Tensor.ones(2, 4)]),
     "concatenate: shapes (2, 3) and (2, 4): "),
    (lambda: stack([Tensor.ones(2), Tensor.ones(3)]), "stack: shapes (2,) and (3,): "),
    (lambda: Tensor.ones(2, 3).permute(0, 0), "transpose: shape (2, 3): "),
    (lambda: Tensor.ones(2, 3).pad(((1, 1), (1, 1), (1, 1))), "pad: shape (2, 3): "),
])
def test_shape_errors_name_the_op_and_the_shapes(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert str(error.value).startswith(message), str(error.value)


def test_an_index_out_of_range_stays_an_index_error():
    with pytest.raises(IndexError, match=r"index: shape \(2, 3\): index 5 is out of bounds"):
        Tensor.ones(2, 3)[5]


# --- repr ---------------------------------------------------------------------------------

def test_repr_looks_like_pytorchs():
    assert repr(Tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(Tensor([1.0, 2.0], requires_grad=True)) == "tensor([1., 2.], requires_grad=True)"
    assert repr(Tensor([[1.0, 2.0], [3.0, 4.0]])) == "tensor([[1., 2.],\n        [3., 4.]])"
    assert repr(Tensor(np.array([0.5]))) == "tensor([0.5], dtype=float64)"
    assert repr(Tensor(2.0)) == "tensor(2.)"
    assert repr(Tensor(np.array([1, 2]), dtype=np.int64)) == "tensor([1, 2])"
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    assert repr(x) == "tensor([1., 2.], label='x', requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward>)"
    assert repr(x.sum()) == "tensor(3., grad_fn=<SumBackward>)"


def test_repr_layout_matches_torchs_for_the_same_numbers():
    torch = pytest.importorskip("torch")
    data = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
    assert repr(Tensor(data, requires_grad=True)) == repr(torch.tensor(data, requires_grad=True))
    assert repr(Tensor(np.array([3, 1]), dtype=np.int64)) == repr(torch.tensor([3, 1]))


# --- the docstrings' examples -------------------------------------------------------------

def test_docstring_examples_run(restore_default_dtype):
    import autograd.op
    import autograd.ops.shaping
    tried = 0
    for module in (sys.modules["autograd.tensor"], autograd.op, autograd.ops.shaping):
        result = doctest.testmod(module, globs={"np": np, "Tensor": Tensor, **vars(module)})
        assert result.failed == 0, module.__name__
        tried += result.attempted
    assert tried > 10
