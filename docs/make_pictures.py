"""Draw the pictures of the README again: the worked example, the backward pass, the gallery.

    $ python docs/make_pictures.py            # from the repository root; takes a minute

Every picture comes from chainrule's own drawing functions, with fixed random seeds, so a
change to ``viz`` shows up here as it would for a user.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, make_moons

import nn
import viz
from autograd import Tensor, derive
from cli.derive import worked_example
from nn import functional as F
from nn.optim import SGD, Adam, RMSprop

DOCS = Path(__file__).resolve().parent
GALLERY = DOCS / "gallery"
DPI = 90   # the gallery's plots: legible on a README, small in the repository


def worked_example_pictures() -> None:
    """What ``chainrule demo`` draws: the calculation by hand, and its animation."""
    by_hand = derive(worked_example(), decimals=4)
    for suffix in (".png", ".svg"):
        viz.render(by_hand, DOCS / f"worked_example{suffix}")
    viz.animate_backward(by_hand, DOCS / "backward.gif", dpi=80, interval=1800)


def digits_cnn():
    """A small convnet trained for a few epochs on scikit-learn's 8×8 digits."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    np.random.seed(0)
    order = np.random.permutation(len(X))
    train, test = order[:1400], order[1400:]
    model = nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * 2 * 2, 10))
    history = nn.fit(model, F.cross_entropy, Adam(model.parameters(), lr=1e-2),
                     (X[train], y[train]), epochs=8, batch_size=64,
                     val_data=(X[test], y[test]), progress=False)
    return model, history, X[test], y[test]


def gallery() -> None:
    GALLERY.mkdir(exist_ok=True)

    def save(fig, name: str) -> None:
        fig.savefig(GALLERY / f"{name}.png", dpi=DPI)

    save(viz.plot_activations(), "activations")
    save(viz.plot_losses(), "losses")
    save(viz.plot_optimizer_paths(
        viz.rosenbrock,
        {"SGD": lambda p: SGD(p, lr=1e-3), "Momentum": lambda p: SGD(p, lr=1e-3, momentum=0.9),
         "RMSprop": lambda p: RMSprop(p, lr=1e-2), "Adam": lambda p: Adam(p, lr=0.05)},
        start=(-1.2, 1.0), steps=300, minimum=(1, 1)), "optimizer_paths")

    model, history, X_test, y_test = digits_cnn()
    save(viz.plot_history(history), "history")
    predicted = nn.predict(model, X_test).argmax(axis=1)
    save(viz.show_images(X_test[:16], y_test[:16], predictions=predicted[:16]), "show_images")
    save(viz.plot_confusion_matrix(y_test, predicted), "confusion_matrix")
    save(viz.plot_filters(model[0]), "filters")
    save(viz.plot_feature_maps(model, X_test[0]), "feature_maps")
    loss = F.cross_entropy(model(X_test[:64]), y_test[:64])
    loss.backward()
    save(viz.plot_gradient_flow(model), "gradient_flow")

    X, y = make_moons(n_samples=200, noise=0.15, random_state=0)
    np.random.seed(1)
    moons = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                          nn.Linear(16, 2))
    nn.fit(moons, F.cross_entropy, Adam(moons.parameters(), lr=0.02),
           (X.astype(np.float32), y), epochs=60, batch_size=32, progress=False)
    save(viz.plot_decision_boundary(moons, X, y), "decision_boundary")

    np.random.seed(0)
    network = nn.Sequential({
        "features": nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
        "classifier": nn.Sequential(nn.Flatten(), nn.Linear(32 * 8 * 8, 128), nn.ReLU(),
                                    nn.Linear(128, 10))})
    images = Tensor(np.random.rand(64, 3, 32, 32).astype(np.float32), label="images")
    loss = F.cross_entropy(network(images), np.random.randint(0, 10, 64))
    loss.label = "loss"
    loss.backward()
    viz.render(viz.draw_graph(loss, collapse=True), GALLERY / "network_graph.png")


if __name__ == "__main__":
    worked_example_pictures()
    if "--worked-example" not in sys.argv[1:]:
        gallery()
