"""The teaching plots: each draws headless, returns its Figure, leaves pyplot empty, and
shows numbers that agree with a hand calculation or with NumPy."""

import io
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

import nn
from autograd import Tensor, Value
from nn import functional as F
from nn.optim import SGD, Adam
from viz.plots import (
    plot_activations,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_feature_maps,
    plot_filters,
    plot_gradient_flow,
    plot_history,
    plot_losses,
    plot_optimizer_paths,
    rosenbrock,
    saddle,
    show_images,
)

pytestmark = pytest.mark.filterwarnings("error")  # e.g. "constrained layout not applied"

RED = to_rgba("#c92a2a")


@pytest.fixture(autouse=True)
def no_pyplot_state(monkeypatch):
    """Headless, as on CI; and no plot may call plt.show() or leave a figure open in pyplot."""
    matplotlib.use("Agg")

    def show(*args, **kwargs):
        raise AssertionError("a plot function called plt.show()")
    monkeypatch.setattr(plt, "show", show)
    yield
    assert plt.get_fignums() == []


def drawn(fig) -> Figure:
    """The figure, after rendering it to PNG as a user's savefig would."""
    assert isinstance(fig, Figure)
    fig.savefig(io.BytesIO(), format="png", dpi=40)  # layout and drawing; low dpi is quicker
    return fig


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# --- plot_history ---------------------------------------------------------------------------

HISTORY = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6],
           "accuracy": [0.6, 0.8, 0.85], "val_accuracy": [0.5, 0.7, 0.75]}


def test_history_one_axes_for_the_losses_and_one_per_metric():
    fig = drawn(plot_history(HISTORY))
    loss_ax, accuracy_ax = fig.axes
    assert loss_ax.get_title() == "Loss" and accuracy_ax.get_title() == "Accuracy"
    assert [line.get_label() for line in loss_ax.lines] == ["training", "validation"]
    np.testing.assert_array_equal(loss_ax.lines[1].get_ydata(), HISTORY["val_loss"])
    np.testing.assert_array_equal(accuracy_ax.lines[0].get_xdata(), [1, 2, 3])  # epochs from 1


def test_history_puts_the_loss_first_and_accepts_an_object_with_a_history_dict():
    class KerasLike:
        history = {"train_acc": [0.5, 0.6], "val_acc": [0.4, 0.5], "loss": [1.0, 0.8]}

    fig = drawn(plot_history(KerasLike()))
    assert [ax.get_title() for ax in fig.axes] == ["Loss", "Acc"]
    assert len(fig.axes[1].lines) == 2


def test_history_from_nn_fit():
    np.random.seed(0)
    X, y = np.random.randn(40, 2), np.random.randint(0, 2, 40)
    model = nn.Sequential(nn.Linear(2, 2))
    history = nn.fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1), (X, y),
                     epochs=2, val_data=(X, y), progress=False)
    fig = drawn(plot_history(history))
    assert fig.axes[0].get_title() == "Loss" and len(fig.axes[0].lines) == 2


def test_history_empty_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        plot_history({})


# --- plot_activations -------------------------------------------------------------------------

def curves(ax):
    """(x, f(x), f'(x)) as drawn on one axes, without the gaps where a line jumps."""
    function, derivative = ax.lines[:2]
    x, f = function.get_xdata(), function.get_ydata()
    slope_x, slope = derivative.get_xdata(), derivative.get_ydata()
    assert np.array_equal(x[~np.isnan(x)], slope_x[~np.isnan(slope_x)])
    return x[~np.isnan(x)], f[~np.isnan(x)], slope[~np.isnan(slope_x)]


def test_activations_one_axes_each_with_the_function_and_its_derivative():
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"]
    fig = drawn(plot_activations(names))
    assert [ax.get_title() for ax in fig.axes] == names
    assert all(len(ax.get_legend_handles_labels()[1]) == 2 for ax in fig.axes)


def test_activation_derivatives_are_the_textbook_ones():
    fig = drawn(plot_activations(["sigmoid", "tanh", "relu", "elu", "softplus"]))
    x, f, slope = curves(fig.axes[0])
    at_zero = np.flatnonzero(x == 0)[0]
    assert slope[at_zero] == pytest.approx(0.25)                       # σ'(0) = σ(0)(1 − σ(0))
    np.testing.assert_allclose(f, sigmoid(x), rtol=1e-12)
    assert curves(fig.axes[1])[2][at_zero] == pytest.approx(1.0)       # tanh'(0) = 1 − 0²
    x, f, slope = curves(fig.axes[2])
    np.testing.assert_array_equal(slope, (x > 0).astype(float))        # relu' is 0 or 1
    x, f, slope = curves(fig.axes[3])
    assert slope[np.argmin(abs(x + 1))] == pytest.approx(math.exp(-1))  # elu'(−1) = e^−1
    x, f, slope = curves(fig.axes[4])
    np.testing.assert_allclose(slope, sigmoid(x), rtol=1e-12)          # softplus' = σ


def test_a_derivative_that_jumps_is_broken_there_not_joined_by_a_vertical_line():
    fig = drawn(plot_activations(["relu", ("leaky_relu", {"alpha": 0.1}), "sigmoid"]))
    for ax, gaps in zip(fig.axes, [1, 1, 0]):
        derivative = ax.lines[1]
        x, slope = derivative.get_xdata(), derivative.get_ydata()
        assert np.isnan(slope).sum() == gaps
        if gaps:   # relu'(0) = 0, as PyTorch has it; the line breaks after x = 0
            gap = np.flatnonzero(np.isnan(slope))[0]
            assert x[gap - 1] == 0 and slope[gap - 1] == slope[0] and slope[gap + 1] == 1
        assert not np.isnan(ax.lines[0].get_ydata()).any()     # the functions are continuous


def test_activation_derivative_agrees_with_finite_differences_of_the_curve():
    fig = drawn(plot_activations(["tanh", "softplus", "sigmoid"]))
    for ax in fig.axes:
        x, f, slope = curves(ax)
        np.testing.assert_allclose(np.gradient(f, x)[1:-1], slope[1:-1], atol=2e-3)


def test_activation_with_a_parameter_and_formulas_in_the_legend():
    fig = drawn(plot_activations(["sigmoid", ("leaky_relu", {"alpha": 0.1})]))
    x, f, slope = curves(fig.axes[1])
    np.testing.assert_allclose(slope, np.where(x > 0, 1.0, 0.1))
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert labels == ["f(x) = σ(x)", "f′(x) = σ(x)(1 − σ(x))"]
    assert "0.1" in fig.axes[1].get_legend().get_texts()[1].get_text()


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="'swish'.*sigmoid"):
        plot_activations(["swish"])


# --- plot_losses -----------------------------------------------------------------------------

def test_losses_and_their_derivatives_by_hand():
    fig = drawn(plot_losses())
    assert len(fig.axes) == 4
    mse, bce, ce, hinge = (curves(ax) for ax in fig.axes)
    x, loss, slope = mse                                    # target 1
    np.testing.assert_allclose(loss, (x - 1) ** 2, atol=1e-12)
    np.testing.assert_allclose(slope, 2 * (x - 1), atol=1e-12)
    p, loss, slope = bce                                    # target 1
    np.testing.assert_allclose(loss, -np.log(p), atol=1e-12)
    # −1/p, written as PyTorch's backward writes it, (p − y) / max(p(1 − p), 1e-12): 0 at p = 1
    np.testing.assert_allclose(slope, (p - 1) / np.maximum(p * (1 - p), 1e-12), rtol=1e-9)
    z, loss, slope = ce                                     # logits (z, 0, 0), class 0
    np.testing.assert_allclose(loss, np.log(1 + 2 * np.exp(-z)), atol=1e-12)
    np.testing.assert_allclose(slope, -2 * np.exp(-z) / (1 + 2 * np.exp(-z)), atol=1e-12)
    s, loss, slope = hinge                                  # label +1
    np.testing.assert_allclose(loss, np.maximum(0, 1 - s), atol=1e-12)
    np.testing.assert_array_equal(slope[s < 1], -1.0)
    np.testing.assert_array_equal(slope[s > 1], 0.0)


def test_losses_by_name():
    fig = drawn(plot_losses(["hinge_loss"]))
    assert fig.axes[0].get_title() == "hinge_loss, label y = +1"
    with pytest.raises(ValueError, match="'l2'.*mse_loss"):
        plot_losses(["l2"])


# --- plot_gradient_flow -------------------------------------------------------------------------

def sigmoid_net():
    np.random.seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Sigmoid(), nn.Linear(8, 8), nn.Sigmoid(),
                          nn.Linear(8, 3))
    loss = F.cross_entropy(model(np.random.randn(16, 4)), np.random.randint(0, 3, 16))
    loss.backward()
    return model


def bar_heights(container):
    return np.array([patch.get_height() for patch in container])


def test_gradient_flow_bars_are_the_mean_and_max_of_abs_grad():
    model = sigmoid_net()
    fig = drawn(plot_gradient_flow(model))
    ax = fig.axes[0]
    weights = [model[0].weight.grad, model[2].weight.grad, model[4].weight.grad]
    largest, mean = ax.containers
    np.testing.assert_allclose(bar_heights(largest), [np.abs(g).max() for g in weights],
                               rtol=1e-5)
    np.testing.assert_allclose(bar_heights(mean), [np.abs(g).mean() for g in weights],
                               rtol=1e-5)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.weight", "2.weight", "4.weight"]
    assert ax.get_yscale() == "log"


def test_gradient_flow_with_biases():
    fig = drawn(plot_gradient_flow(sigmoid_net(), weights_only=False))
    assert len(fig.axes[0].containers[0]) == 6


def test_gradient_flow_pools_the_values_of_each_scalar_layer():
    np.random.seed(1)
    model = nn.scalar.MLP(2, [3, 1])
    model([0.5, -1.0]).backward()
    fig = drawn(plot_gradient_flow(model, weights_only=False))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == \
        ["layers.0.w", "layers.0.b", "layers.1.w", "layers.1.b"]
    first_weights = [w.grad for neuron in model.layers[0].neurons for w in neuron.w]
    assert bar_heights(ax.containers[1])[0] == pytest.approx(np.mean(np.abs(first_weights)))


def test_gradient_flow_before_backward_is_an_error():
    with pytest.raises(ValueError, match="backward"):
        plot_gradient_flow(nn.Sequential(nn.Linear(2, 2)))


# --- optimizer paths ----------------------------------------------------------------------------

def test_surfaces_differentiate_by_hand():
    x, y = Value(0.0), Value(0.0)
    rosenbrock(x, y).backward()
    assert (x.grad, y.grad) == (-2.0, 0.0)   # ∂/∂x (1 − x)² = −2(1 − x); ∂/∂y 100(y − x²)² = 0
    x, y = Value(1.0), Value(0.001)
    saddle(x, y).backward()
    assert (x.grad, y.grad) == (2.0, pytest.approx(-0.002))
    assert rosenbrock(np.array([1.0]), np.array([1.0]))[0] == 0.0


def bowl(x, y):
    return x ** 2 + y ** 2


def test_optimizer_path_of_sgd_on_a_bowl_by_hand():
    # On x² + y² one SGD step is x ← x − lr·2x = (1 − 2·lr)·x.
    fig = drawn(plot_optimizer_paths(bowl, {"SGD": lambda p: SGD(p, lr=0.1)}, start=(1.0, -2.0),
                                     steps=10, bounds=((-2, 2), (-2, 2))))
    path = fig.axes[0].lines[0].get_xydata()
    np.testing.assert_allclose(path, np.array([1.0, -2.0]) * 0.8 ** np.arange(11)[:, None])


def test_optimizer_paths_legend_and_lines():
    optimizers = {"SGD": lambda p: SGD(p, lr=1e-3), "Momentum": lambda p: SGD(p, lr=1e-3,
                  momentum=0.9), "Adam": lambda p: Adam(p, lr=0.05)}
    fig = drawn(plot_optimizer_paths(rosenbrock, optimizers, start=(-1.2, 1.0), steps=20,
                                     minimum=(1, 1)))
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert [label.split()[0] for label in labels] == ["SGD", "Momentum", "Adam", "start",
                                                      "minimum"]
    assert len(fig.axes[0].lines) == 3 * 2 + 2   # a path and its end per optimizer
    paths = fig.axes[0].lines[0:6:2]
    assert all(len(line.get_xdata()) == 21 for line in paths)
    # Each path its own colour, marker and dashes, told apart without colour too.
    for style in ("get_color", "get_marker", "get_linestyle"):
        assert len({getattr(line, style)() for line in paths}) == 3, style
    # The surface in grey: every filled contour level has equal red, green and blue.
    surface = next(c for c in fig.axes[0].collections if isinstance(c, ContourSet))
    assert all(r == g == b for r, g, b, _ in surface.get_facecolor())


def test_a_diverging_optimizer_stops_at_the_first_infinite_step():
    with np.errstate(over="ignore", invalid="ignore"):
        fig = drawn(plot_optimizer_paths(bowl, {"SGD": lambda p: SGD(p, lr=1e10)},
                                         start=(1.0, 1.0), steps=100))
    path = fig.axes[0].lines[0].get_xydata()
    assert len(path) < 101 and not np.isfinite(path[-1]).all() and np.isfinite(path[:-1]).all()


# --- plot_decision_boundary ---------------------------------------------------------------------

POINTS = np.array([[-1.0, 0.5], [0.0, 1.0], [1.0, -0.5], [0.5, -1.0], [-0.8, 0.9], [0.9, 0.1]])
LABELS = (POINTS[:, 0] > POINTS[:, 1]).astype(int)


def boundary_vertices(ax):
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    return np.concatenate([seg for c in contours for seg in c.allsegs[0]])


def test_decision_boundary_of_a_linear_logit_lies_on_its_zero_line():
    fig = drawn(plot_decision_boundary(lambda X: X[:, 0] - X[:, 1], POINTS, LABELS))
    ax = fig.axes[0]
    x1, x2 = boundary_vertices(ax).T
    np.testing.assert_allclose(x1, x2, atol=1e-6)    # the logit x1 − x2 is 0 on x1 = x2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    top_left = ax.images[0].get_array()[-1, 0]      # x1 small, x2 large: class 0, blue (C0)
    assert top_left[2] > top_left[0]


def test_decision_boundary_of_probabilities_and_of_several_classes():
    def probability(X):  # one column, all within [0, 1]: P(class 1) = σ(x1 + x2)
        return Tensor(sigmoid(X.sum(axis=1, keepdims=True)))
    x1, x2 = boundary_vertices(drawn(plot_decision_boundary(probability, POINTS, LABELS))
                               .axes[0]).T
    np.testing.assert_allclose(x1 + x2, 0, atol=1e-6)

    def three_classes(X):  # logits: class 2 wins where x2 is largest
        return np.stack([X[:, 0], -X[:, 0], 2 * X[:, 1]], axis=1)
    fig = drawn(plot_decision_boundary(three_classes, POINTS, [0, 2, 1, 1, 2, 0],
                                       class_names=["a", "b", "c"]))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a", "b", "c"]


def test_decision_boundary_of_a_scalar_mlp_calls_it_point_by_point():
    model = nn.scalar.MLP(2, [1])
    (neuron,) = model.layers[0].neurons
    neuron.w[0].data, neuron.w[1].data = 1.0, -1.0       # score x1 − x2, bias 0
    fig = drawn(plot_decision_boundary(model, POINTS, LABELS))
    x1, x2 = boundary_vertices(fig.axes[0]).T
    np.testing.assert_allclose(x1, x2, atol=1e-6)
    assert fig.axes[0].images[0].get_array().shape == (40, 40, 3)


# --- plot_confusion_matrix ------------------------------------------------------------------------

def test_confusion_matrix_counts_every_pair():
    y_true = [0, 1, 2, 2, 1, 0, 2, 2]
    y_pred = [0, 2, 2, 2, 1, 1, 0, 2]
    expected = np.zeros((3, 3), int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    fig = drawn(plot_confusion_matrix(y_true, y_pred, class_names=["cat", "dog", "emu"]))
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), expected)
    # A count in each cell that has one; the empty cells are left blank.
    assert [t.get_text() for t in ax.texts] == [str(n) for n in expected.ravel() if n]
    assert [(t.get_position()) for t in ax.texts] == [
        (j, i) for (i, j), n in np.ndenumerate(expected) if n]
    assert fig.axes[1].get_ylabel() == "count"                  # the colour bar
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "emu"]
    assert "62.5%" in ax.get_title()  # 5 of 8 on the diagonal


def test_confusion_matrix_normalized_rows_sum_to_one():
    fig = drawn(plot_confusion_matrix([0, 0, 0, 1], [0, 1, 1, 1], normalize=True))
    shown = fig.axes[0].images[0].get_array()
    np.testing.assert_allclose(shown, [[1 / 3, 2 / 3], [0, 1]])
    assert [t.get_text() for t in fig.axes[0].texts] == ["0.33", "0.67", "1.00"]
    assert fig.axes[1].get_ylabel() == "fraction of the true class"


def test_confusion_matrix_lengths_must_agree():
    with pytest.raises(ValueError, match="3 true labels but 2"):
        plot_confusion_matrix([0, 1, 1], [0, 1])


# --- show_images ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape, shown", [
    ((5, 6, 6), (6, 6)), ((5, 1, 6, 6), (6, 6)), ((5, 3, 6, 6), (6, 6, 3)),
    ((5, 6, 6, 3), (6, 6, 3)), ((5, 64), (8, 8)), ((5, 784), (28, 28)),
])
def test_show_images_accepts_the_usual_layouts(shape, shown):
    images = np.random.rand(*shape) * 255
    fig = drawn(show_images(images, ncols=3))
    assert len(fig.axes) == 5
    array = fig.axes[0].images[0].get_array()
    assert array.shape == shown
    if len(shown) == 3:  # colour is stretched into imshow's [0, 1]
        assert array.min() == 0 and array.max() == 1


def test_show_images_marks_wrong_predictions_in_red():
    images = np.zeros((4, 8, 8))
    fig = drawn(show_images(images, labels=[1, 2, 3, 4], predictions=[1, 7, 3, 4],
                            class_names=[str(i) + "!" for i in range(10)]))
    titles = [ax.title for ax in fig.axes]
    assert [t.get_text() for t in titles] == ["1!", "7! (true 2!)", "3!", "4!"]
    assert to_rgba(titles[1].get_color()) == RED
    assert to_rgba(fig.axes[1].spines["top"].get_edgecolor()) == RED
    assert to_rgba(titles[0].get_color()) != RED
    assert to_rgba(fig.axes[0].spines["top"].get_edgecolor()) != RED


def test_show_images_rejects_a_flat_image_that_is_not_square():
    with pytest.raises(ValueError, match="not square"):
        show_images(np.zeros((2, 50)))


# --- plot_filters and plot_feature_maps -----------------------------------------------------

def test_filters_of_a_grey_conv_share_one_signed_scale():
    np.random.seed(0)
    conv = nn.Conv2d(1, 8, kernel_size=5)
    fig = drawn(plot_filters(conv))
    kernels = fig.axes[:8]
    assert len(fig.axes) == 9                         # eight kernels and the colour bar
    np.testing.assert_allclose(kernels[3].images[0].get_array(), conv.weight.data[3, 0])
    limit = np.abs(conv.weight.data).max()
    assert kernels[0].images[0].get_clim() == pytest.approx((-limit, limit))


def test_filters_over_three_channels_are_colour_patches():
    weight = np.random.randn(4, 3, 3, 3)
    fig = drawn(plot_filters(weight))
    assert len(fig.axes) == 4
    patch = weight[2].transpose(1, 2, 0)
    np.testing.assert_allclose(fig.axes[2].images[0].get_array(),
                               (patch - patch.min()) / (patch.max() - patch.min()))


def test_filters_over_several_channels_are_a_row_per_filter():
    fig = drawn(plot_filters(nn.Conv2d(4, 6, kernel_size=3)))
    assert len(fig.axes) == 6 * 4 + 1
    assert fig.axes[4].get_ylabel() == "filter 1" and fig.axes[1].get_title() == "in 1"
    assert len(drawn(plot_filters(np.zeros((40, 1, 3, 3)), max_filters=16)).axes) == 16 + 1
    with pytest.raises(ValueError, match=r"\(out, in, kh, kw\)"):
        plot_filters(np.zeros((3, 3)))


def test_feature_maps_after_each_layer_match_numpy():
    np.random.seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(18, 4))
    image = np.random.randn(8, 8)
    fig = drawn(plot_feature_maps(model, image))
    # The input, then conv, relu and pool; flatten and linear leave no image to draw.
    assert len(fig.subfigs) == 4
    w, b = model[0].weight.data[:, 0], model[0].bias.data
    conv = np.array([[[np.sum(w[c] * image[i:i + 3, j:j + 3]) + b[c] for j in range(6)]
                      for i in range(6)] for c in range(2)])
    relu = np.maximum(conv, 0)
    pool = relu.reshape(2, 3, 2, 3, 2).max(axis=(2, 4))
    for subfig, expected in zip(fig.subfigs[1:], [conv, relu, pool]):
        *channels, bar = subfig.axes        # a colour bar after the channels
        maps = [ax.images[0].get_array() for ax in channels]
        np.testing.assert_allclose(maps, expected, rtol=1e-5, atol=1e-5)
        # One scale for the row, symmetric about 0, so that 0 is white in every channel.
        limit = np.abs(expected).max()
        for ax in channels:
            assert ax.images[0].get_clim() == pytest.approx((-limit, limit))
        assert [ax.get_title() for ax in channels] == ["0", "1"]
        assert bar.get_ylim() == pytest.approx((-limit, limit))
    assert fig.subfigs[1].get_suptitle() == "0: Conv2d → (2, 6, 6)"
    assert all(not getattr(m, "_forward_hooks", None) for m in model.modules())


def test_feature_maps_of_a_colour_image_show_at_most_max_channels():
    model = nn.Sequential(nn.Conv2d(3, 12, kernel_size=3, padding=1))
    fig = drawn(plot_feature_maps(model, np.random.rand(3, 10, 10), max_channels=5))
    assert fig.subfigs[0].axes[0].images[0].get_array().shape == (10, 10, 3)
    assert len(fig.subfigs[0].axes) == 1                   # a colour image: no colour bar
    assert len(fig.subfigs[1].axes) == 5 + 1
    assert "the first 5" in fig.subfigs[1].get_suptitle()
