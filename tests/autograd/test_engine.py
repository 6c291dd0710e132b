"""The shared engine: topological walk, backward, accumulation, no_grad, memory.

Expected gradients are worked out by hand in each test (or by PyTorch when installed).
"""

import gc
import math
import random

import pytest

from autograd import Node, Value, is_grad_enabled, no_grad, topological_order


def assert_parents_first(order):
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order), "a node appears twice"
    for node in order:
        for parent in node.parents:
            if id(parent) in position:
                assert position[id(parent)] < position[id(node)]


# --- deep graphs: no recursion ----------------------------------------------------------

def test_chain_of_100_000_ops():
    x = Value(0.3)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    # y = x · 1.00001^100000, so dy/dx = 1.00001^100000 (≈ e).
    assert y.data == pytest.approx(0.3 * 1.00001 ** 100_000, rel=1e-9)
    assert x.grad == pytest.approx(1.00001 ** 100_000, rel=1e-9)
    assert len(topological_order(y)) == 200_001  # 100,000 products, their constants, x


def test_deep_chain_of_mixed_ops_against_the_chain_rule_by_hand():
    x = Value(0.5)
    y = x
    for i in range(30_000):
        y = (y * 1.1).sin() if i % 2 else (y + 0.2).tanh()
    y.backward()
    # The same recurrence with the math module, carrying dy/dx along (forward mode).
    value, derivative = 0.5, 1.0
    for i in range(30_000):
        if i % 2:
            derivative *= 1.1 * math.cos(value * 1.1)
            value = math.sin(value * 1.1)
        else:
            value = math.tanh(value + 0.2)
            derivative *= 1 - value ** 2
    assert y.data == pytest.approx(value, rel=1e-12)
    assert x.grad == pytest.approx(derivative, rel=1e-9)


# --- fan-out and diamonds: contributions are summed --------------------------------------

def test_cube_by_repeated_product():
    x = Value(1.7)
    (x * x * x).backward()
    assert x.grad == pytest.approx(3 * 1.7 ** 2, rel=1e-15)


def test_node_used_in_1000_places():
    x = Value(0.4)
    y = x.tanh()
    f = Value(0.0)
    for k in range(1, 1001):
        f = f + y * k
    f.backward()
    # f = Σ k·tanh(x) for k = 1..1000, so df/dx = 500500 · (1 − tanh²x).
    assert x.grad == pytest.approx(500_500 * (1 - math.tanh(0.4) ** 2), rel=1e-12)
    assert y.grad == 500_500


def test_one_sum_of_1000_uses():
    x = Value(3.0)
    total = sum(x for _ in range(1000))  # 0 + x + x + ...
    total.backward()
    assert x.grad == 1000


def test_diamond():
    x = Value(0.6)
    a, b = x.exp(), x.sin()  # x feeds two paths that meet again in f
    f = a * b
    f.backward()
    # f = eˣ·sin x, f' = eˣ·sin x + eˣ·cos x
    assert x.grad == pytest.approx(math.exp(0.6) * (math.sin(0.6) + math.cos(0.6)), rel=1e-14)


def test_stacked_diamonds():
    x = Value(1.3)
    y = x
    for _ in range(50):
        y = (y * 0.5 + y.sin() * 0.5)  # each level is a diamond: y feeds both terms
    y.backward()
    value, derivative = 1.3, 1.0
    for _ in range(50):
        derivative *= 0.5 + 0.5 * math.cos(value)
        value = 0.5 * value + 0.5 * math.sin(value)
    assert x.grad == pytest.approx(derivative, rel=1e-12)


# --- accumulation across backward() calls, as in PyTorch --------------------------------

def build_twice_used_intermediate(x0=0.7):
    x = Value(x0, label="x")
    y = x * x  # used twice below: the engine must not count it twice per pass
    f = y * y + y
    return x, y, f


def test_two_backward_calls_double_every_gradient():
    x, y, f = build_twice_used_intermediate()
    f.backward()
    # f = y² + y with y = x²: df/dy = 2y + 1, df/dx = (2y + 1)·2x
    y0 = 0.7 ** 2
    assert y.grad == pytest.approx(2 * y0 + 1, rel=1e-15)
    assert x.grad == pytest.approx((2 * y0 + 1) * 2 * 0.7, rel=1e-15)
    first = (f.grad, y.grad, x.grad)
    f.backward()
    assert (f.grad, y.grad, x.grad) == (2 * first[0], 2 * first[1], 2 * first[2])


def test_accumulation_matches_pytorch():
    torch = pytest.importorskip("torch")
    tx = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    ty = tx * tx
    ty.retain_grad()
    tf = ty * ty + ty
    tf.backward(retain_graph=True)
    tf.backward()

    x, y, f = build_twice_used_intermediate()
    f.backward()
    f.backward()
    assert x.grad == pytest.approx(tx.grad.item(), rel=1e-15)
    assert y.grad == pytest.approx(ty.grad.item(), rel=1e-15)


def test_backward_with_an_explicit_seed():
    x = Value(2.0)
    y = x * x
    y.backward(3.0)  # d(3·y)/dx
    assert x.grad == 12.0


def test_zero_grad_resets_the_whole_graph():
    x, y, f = build_twice_used_intermediate()
    f.backward()
    f.zero_grad()
    assert all(node.grad == 0.0 for node in topological_order(f, only_requiring_grad=False))
    f.backward()
    assert x.grad == pytest.approx((2 * 0.7 ** 2 + 1) * 2 * 0.7, rel=1e-15)  # not doubled


# --- no_grad and requires_grad ----------------------------------------------------------

def test_no_grad_records_nothing():
    x = Value(2.0)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = (x * 3 + 1).tanh()
        z = x ** Value(2.0)
        w = x.leaky_relu(0.2)
    assert is_grad_enabled()
    for node in (y, z, w):
        assert node.op is None and node.parents == () and node.ctx == () and node.is_leaf
    assert y.data == pytest.approx(math.tanh(7.0))
    y.backward()  # y is a leaf now: only y itself gets a gradient
    assert y.grad == 1.0 and x.grad == 0.0


def test_no_grad_nests_and_restores_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            with no_grad():
                pass
            assert not is_grad_enabled()
            1 / 0  # noqa: B018
    assert is_grad_enabled()


def test_nodes_that_need_no_grad_are_skipped():
    x, c = Value(2.0), Value(5.0)
    c.requires_grad = False  # e.g. a constant
    f = x * c
    assert topological_order(f) == [x, f]
    assert c in topological_order(f, only_requiring_grad=False)
    f.backward()
    assert (x.grad, c.grad) == (5.0, 0.0)


def test_backward_from_a_node_that_needs_no_grad_is_an_error():
    c = Value(1.0)
    c.requires_grad = False
    with pytest.raises(RuntimeError, match="does not require grad"):
        c.backward()


# --- the topological order --------------------------------------------------------------

def test_topological_order_of_a_random_dag():
    rng = random.Random(0)
    nodes = [Value(rng.uniform(-1, 1)) for _ in range(5)]
    for _ in range(500):
        a, b = rng.choice(nodes), rng.choice(nodes[-20:])
        nodes.append(rng.choice([a + b, a * b, (a - b).tanh(), a.sigmoid()]))
    root = sum(nodes[-30:])
    order = topological_order(root)
    assert order[-1] is root
    assert_parents_first(order)
    # Every node the root depends on is there, found by an independent walk.
    reachable, todo = {id(root)}, [root]
    while todo:
        for parent in todo.pop().parents:
            if id(parent) not in reachable:
                reachable.add(id(parent))
                todo.append(parent)
    assert {id(n) for n in order} == reachable


def test_topological_order_of_a_leaf():
    x = Value(1.0)
    assert topological_order(x) == [x]


def test_a_subclass_with_elementwise_eq_stays_usable_by_the_engine():
    class Elementwise(Node):  # as a Tensor with == returning an array would be
        __slots__ = ()

        def __eq__(self, other):
            return "elementwise"

    a = Elementwise()
    a.parents, a.requires_grad = (), True
    b = Elementwise()
    b.parents, b.requires_grad = (a, a), True
    assert topological_order(b) == [a, b]


# --- memory: the graph is a DAG that reference counting frees ----------------------------

def count_values():
    return sum(type(o) is Value for o in gc.get_objects())


def test_graph_is_freed_without_the_cycle_collector():
    gc.collect()
    before = count_values()
    gc.disable()
    try:
        params = [Value(random.uniform(-1, 1)) for _ in range(50)]
        total = Value(0.0)
        for i in range(2000):
            p = params[i % 50]
            total = total + (p * p.tanh() + 1).relu() / 2 - p ** 2
        total.backward()
        total.zero_grad()
        assert count_values() > before + 10_000
        del total, params, p
        # Reference counting alone freed every node: nothing was left for the collector.
        assert count_values() == before
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_dropping_a_100_000_node_chain_does_not_crash():
    gc.collect()
    before = count_values()
    gc.disable()
    try:
        y = Value(1.0)
        for _ in range(100_000):
            y = y + 1.0
        assert y.data == 100_001.0                 # whole numbers add exactly in a float
        assert count_values() >= before + 100_001  # the whole chain is alive through y
        del y  # deallocation is recursive in C; CPython's trashcan keeps it bounded
        assert count_values() == before            # and it freed every node
    finally:
        gc.enable()
