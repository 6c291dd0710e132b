"""derive() on Tensor graphs: shapes in the forward table, VJP arrays in the steps.

The gradients are checked three ways: against the formula worked out by hand for a
one-layer network with a mean squared error (written in NumPy below), against central
finite differences of that NumPy loss, and against what ``backward()`` stores in ``.grad``.
"""

import numpy as np
import pytest

from autograd import Op, Tensor, Value, concatenate
from autograd.derivation import SHOWN_IN_FULL, derive

X = np.array([[1.0, 2.0, -1.0], [0.5, -0.5, 2.0]])
W0 = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.2]])
B0 = np.array([0.1, -0.1])
T = np.array([[1.0, 0.0], [0.0, 1.0]])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def numpy_loss(W, b):
    return np.mean((sigmoid(X @ W + b) - T) ** 2)


def network(dtype=np.float64):
    """L = mean((σ(xW + b) − t)²) with a 2×3 input, a 3×2 weight and a broadcast bias."""
    x = Tensor(X, dtype=dtype, label="x")
    # copies: a float64 Tensor shares its array, and one test takes an optimizer step
    W = Tensor(W0.copy(), dtype=dtype, requires_grad=True, label="W")
    b = Tensor(B0.copy(), dtype=dtype, requires_grad=True, label="b")
    t = Tensor(T, dtype=dtype, label="t")
    y = (x @ W + b).sigmoid()
    y.label = "y"
    return ((y - t) ** 2).mean(), dict(x=x, W=W, b=b, t=t, y=y)


# By hand: with y = σ(z), z = xW + b and N = 4 elements,
#   ∂L/∂y = (2/N)(y − t),  ∂L/∂z = ∂L/∂y · y(1 − y),  ∂L/∂W = xᵀ ∂L/∂z,
#   ∂L/∂b = ∂L/∂z summed over the rows (b was broadcast to every row).
Y = sigmoid(X @ W0 + B0)
DL_DY = 2 / Y.size * (Y - T)
DL_DZ = DL_DY * Y * (1 - Y)
DL_DW = X.T @ DL_DZ
DL_DB = DL_DZ.sum(axis=0)


def finite_differences(f, array, h=1e-6):
    slope = np.zeros_like(array)
    for i in np.ndindex(array.shape):
        up, down = array.copy(), array.copy()
        up[i] += h
        down[i] -= h
        slope[i] = (f(up) - f(down)) / (2 * h)
    return slope


def test_the_steps_give_the_hand_formula_and_finite_differences():
    loss, v = network()
    d = derive(loss)
    np.testing.assert_allclose(d.grad("y"), DL_DY, rtol=1e-12)
    np.testing.assert_allclose(d.grad(v["W"]), DL_DW, rtol=1e-12)
    np.testing.assert_allclose(d.grad(v["b"]), DL_DB, rtol=1e-12)
    np.testing.assert_allclose(d.grad("W"), finite_differences(lambda W: numpy_loss(W, B0), W0),
                               rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(d.grad("b"), finite_differences(lambda b: numpy_loss(W0, b), B0),
                               rtol=1e-6, atol=1e-10)
    assert d.value("L") == pytest.approx(numpy_loss(W0, B0), rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_steps_are_what_backward_stores_in_grad(dtype):
    loss, v = network(dtype)
    d = derive(loss)
    assert all(node.grad is None for node in v.values())   # derive reads, never writes
    loss.backward()
    for name in ("W", "b", "y"):
        assert d.grad(name).dtype == v[name].grad.dtype
        np.testing.assert_array_equal(d.grad(name), v[name].grad, err_msg=name)
    # the step's gradient is the one printed in its line
    step = next(s for s in d.steps if s.name == "W")
    assert step.grad is d.grads["W"]
    v["W"].data -= 0.1 * v["W"].grad                # an optimizer step, in place:
    np.testing.assert_array_equal(d.value("W"), W0.astype(dtype))  # the table is a snapshot


def test_a_float64_target_upcasts_but_grad_keeps_the_weight_dtype():
    W = Tensor(W0, dtype=np.float32, requires_grad=True, label="W")
    loss = ((Tensor(X, label="x") @ W - T) ** 2).mean()    # X and T are float64
    d = derive(loss)
    loss.backward()
    assert d.grad(W).dtype == np.float32
    np.testing.assert_array_equal(d.grad(W), W.grad)


def test_the_forward_table_has_expressions_shapes_dtypes_and_values():
    loss, _ = network()
    text = str(derive(loss))
    table = {line.split()[0]: line for line in text.split("Backward")[0].splitlines()[5:]
             if line.strip()}
    assert table["node"].split() == ["node", "expression", "shape", "dtype", "value"]
    assert "input" in table["W"] and "(3, 2)" in table["W"] and "float64" in table["W"]
    assert "[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.2]]" in table["W"]
    assert "x @ W" in table["v1"] and "(2, 2)" in table["v1"]
    assert "v1 + b" in table["v2"]
    assert "σ(v2)" in table["y"]
    assert "y − t" in table["v3"]
    assert "v3^2" in table["v4"]                   # the constant exponent is written out
    assert "mean(v4)" in table["L"] and "()" in table["L"]
    assert "0.174545" in table["L"]                # mean((σ(xW + b) − t)²), 6 digits


def test_each_step_names_the_op_whose_backward_made_it():
    loss, _ = network()
    text = str(derive(loss))
    assert "Each term is an op's vector-Jacobian product" in text
    assert "∂L/∂L  = 1" in text
    assert "∂L/∂v4 = broadcast(∂L/∂L) / n = [[0.25, 0.25], [0.25, 0.25]]" in text  # 1/N each
    assert "∂L/∂v3 = 2·v3 ⊙ ∂L/∂v4 = [[-0.107083, 0.287221]" in text      # the power rule
    assert "∂L/∂v2 = σ(v2)(1 − σ(v2)) ⊙ ∂L/∂y = " in text                  # σ' = σ(1 − σ)
    assert "∂L/∂W  = xᵀ @ ∂L/∂v1 = [[-0.00480254, 0.0389636]," in text    # Wᵀ·g's twin
    assert "where v1 = x @ W" in text
    assert "∂L/∂b  = ∂L/∂v2 = [0.00841674, 0.00771362]" in text
    assert "∂L/∂x" not in text and "∂L/∂t" not in text   # they need no gradient
    result = text.split("Result:")[1]
    assert "∂L/∂W = " in result and "∂L/∂b = " in result and "∂L/∂x" not in result


def test_a_node_used_twice_adds_one_vjp_per_use():
    x = Tensor([1.0, -2.0, 3.0], requires_grad=True, label="x")
    loss = (x * x + x).sum()                         # ∂L/∂x = 2x + 1
    d = derive(loss)
    np.testing.assert_allclose(d.grad(x), [3.0, -3.0, 7.0])
    step = next(s for s in d.steps if s.name == "x")
    assert [t.child for t in step.terms] == ["v2", "v1", "v1"]
    line = next(line for line in str(d).splitlines() if line.strip().startswith("∂L/∂x"))
    assert line.count("x ⊙ ∂L/∂v1") == 2 and "= ∂L/∂v2 + " in line   # ∂(x·x)/∂x twice
    assert line.endswith("= [3, -3, 7]")


def test_wrt_keeps_only_the_paths_from_that_input():
    loss, v = network()
    for wrt in ("b", v["b"]):
        d = derive(loss, wrt=wrt)
        shown = [step.name for step in d.steps]
        assert shown[0] == "L" and shown[-1] == "b"
        assert "W" not in shown and "v1" not in shown
        text = str(d)
        assert "with respect to b" in text and "∂L/∂b = [0.00841674, 0.00771362]" in text
        assert "∂L/∂W" not in text


def test_wrt_errors():
    loss, v = network()
    with pytest.raises(ValueError, match="does not require grad"):
        derive(loss, wrt="x")
    with pytest.raises(ValueError, match="no node of this graph is called 'w'"):
        derive(loss, wrt="w")
    with pytest.raises(ValueError, match="not part of the graph"):
        derive(loss, wrt=Tensor([1.0], requires_grad=True))
    with pytest.raises(ValueError, match="not part of the graph"):
        derive(loss, wrt=Value(1.0))                 # a Value is never in a Tensor graph
    with pytest.raises(TypeError, match="a Tensor or a name"):
        derive(loss, wrt=3)


def test_large_arrays_are_summarized_small_ones_printed_in_full():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(20, 5))
    big = Tensor(data, requires_grad=True, label="big")
    small = Tensor(np.arange(SHOWN_IN_FULL, dtype=np.float64), requires_grad=True, label="s")
    loss = (big * 3.0).mean() + small.sum()
    d = derive(loss)
    text = str(d)
    summary = (f"shape (20, 5): mean {data.mean():.6g}, min {data.min():.6g}, "
               f"max {data.max():.6g}")
    assert summary in text                           # the value of big in the table
    # ∂L/∂big = 3/100 everywhere: summarized too, with its exact numbers kept
    assert "∂L/∂big = 3 ⊙ ∂L/∂v1 = shape (20, 5): mean 0.03, min 0.03, max 0.03" in text
    np.testing.assert_allclose(d.grad(big), np.full((20, 5), 0.03))
    assert "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]" in text      # 12 elements: in full
    assert "∂L/∂s   = broadcast(∂L/∂v3) = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]" in text
    md = d._repr_markdown_()
    assert r"\text{shape (20, 5): mean" in md


def test_decimals_only_rounds_the_display_for_tensors():
    loss, v = network()
    d = derive(loss, decimals=3)
    np.testing.assert_allclose(d.grad("W"), DL_DW, rtol=1e-12)     # exact numbers kept
    text = str(d)
    assert "decimals only changes the display" in " ".join(text.split())   # unwrapped
    shown = [[-0.005, 0.039], [-0.049, 0.172], [0.071, -0.195]]
    np.testing.assert_array_equal(np.round(DL_DW, 3), shown)    # xᵀ ∂L/∂z, rounded at the end
    # At most 3 decimals, but at least 2 significant digits: -0.00484 is not -0.005.
    assert "∂L/∂W  = xᵀ @ ∂L/∂v1 = [[-0.0048, 0.039], [-0.049, 0.172], [0.071, -0.195]]" \
        in text
    assert "0.175" in text and "0.174545" not in text


def test_markdown_with_latex():
    loss, _ = network()
    md = derive(loss)._repr_markdown_()
    assert "| node | expression | shape | dtype | value |" in md
    assert r"| $W$ | input | (3, 2) | float64 | $\begin{bmatrix} 0.1 & -0.2 \\ 0.3" in md
    assert r"${x}  \cdot  {W}$" in md
    assert r"${v_{3}}^{2}$" in md
    assert (r"\frac{\partial L}{\partial W} = {x}^{\top}  \cdot  "
            r"\frac{\partial L}{\partial v_{1}} = \begin{bmatrix}") in md
    assert r"\text{where } v_{1} = {x}  \cdot  {W}" in md
    assert "Result: $" in md


def test_names_constants_and_parameters_in_expressions():
    W = Tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)       # unlabelled, but learned
    target = Tensor([1.0, 0.0])                                     # unlabelled array input
    h = (W * 2).leaky_relu(0.1)
    loss = ((h[0] - target) ** 2).sum()
    d = derive(loss)
    assert set(d.values) == {"v1", "v2", "v3", "v4", "v5", "v6", "v7", "L"}
    text = str(d)
    assert "v1·2" in text                          # a scalar constant is written as its number
    assert "leaky_relu(v2, 0.1)" in text and "v3[0]" in text
    loss.backward()
    np.testing.assert_array_equal(d.grad(W), W.grad)
    # h[0] = leaky_relu(2·[1, -2]) = [2, -0.4]; ∂L/∂h[0] = 2(h[0] − target) = [2, -0.8];
    # back through leaky_relu (slope 1, then 0.1) and the ×2; row 1 of W is never used
    np.testing.assert_allclose(d.grad(W), [[2 * 1 * 2, -0.8 * 0.1 * 2], [0, 0]], rtol=1e-5)
    with pytest.raises(KeyError, match=f"{d.names[target]} has no gradient"):
        d.grad(target)
    np.testing.assert_array_equal(d.value(target), [1.0, 0.0])
    f = Tensor([2.0], requires_grad=True, label="L")
    assert derive((f * 3).sum()).output == "v2"   # the root is not called L when L is taken


def test_many_ops_equal_backward_and_finite_differences():
    a0, c0 = np.array([0.3, -1.2, 0.8]), np.array([[0.5, -0.4], [1.5, 0.1]])

    def graph(a_data, c_data):
        a = Tensor(a_data, requires_grad=True, label="a")
        c = Tensor(c_data, requires_grad=True, label="c")
        joined = concatenate([a.exp(), c.reshape(4).tanh(), (a / 2).softplus()])
        parts = [joined.log_softmax(0)[1], c.T.amax(axis=0).sum(), (c - 0.2).abs().sqrt().mean(),
                 (c @ a[:2]).elu(0.5).var(), a.clip(-1.0, 0.5).relu().sum()]
        loss = parts[0]
        for part in parts[1:]:
            loss = loss + part
        return loss, a, c

    loss, a, c = graph(a0, c0)
    d = derive(loss)
    str(d), d._repr_markdown_()                    # every op writes itself
    assert "concatenate(v" in str(d)               # three inputs: placeholders {0} {1} {2}
    loss.backward()
    np.testing.assert_array_equal(d.grad(a), a.grad)
    np.testing.assert_array_equal(d.grad(c), c.grad)
    np.testing.assert_allclose(d.grad(a), finite_differences(lambda x: graph(x, c0)[0].item(), a0),
                               rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(d.grad(c), finite_differences(lambda x: graph(a0, x)[0].item(), c0),
                               rtol=1e-5, atol=1e-8)


def test_a_function_of_ones_own_is_written_by_its_name():
    class Cube(Op):
        name = "cube"
        def forward(self, a): return a ** 3, None
        def backward(self, node, g): return (3 * node.parents[0].data ** 2 * g,)

    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    d = derive(Cube()(x).sum())
    assert "cube(x)" in str(d) and "VJP_cube(∂L/∂v1) = [3, 12]" in str(d)


def test_bad_arguments():
    loss, _ = network()
    with pytest.raises(ValueError, match=r"shape \(2, 2\).*\.sum\(\) or \.mean\(\)"):
        derive(loss.parents[0])                      # the (2, 2) squared errors
    with pytest.raises(ValueError, match="requires_grad=True"):
        derive(Tensor([1.0, 2.0]).sum())
    with pytest.raises(ValueError, match="decimals"):
        derive(loss, decimals=2.5)
    for thing in (np.ones(3), "x", None):
        with pytest.raises(TypeError, match="Values or of Tensors"):
            derive(thing)
