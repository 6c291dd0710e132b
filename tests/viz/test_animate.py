"""viz.animate_backward: one frame per backward step, the GIF, the Jupyter player."""

import math

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch
from PIL import Image

import viz
from autograd import Tensor, Value, derive, topological_order
from viz.animate import animate_backward
from viz.picture import HIGHLIGHT

# The homework's hand calculation, exact (rounded only when written down).
Z = 2 * 0.4 + 3 * -0.2                  # 0.2
Y = 1 / (1 + math.exp(-Z))              # σ(0.2) = 0.549834
DF_DY = 2 * (Y - 1)                     # -0.900332
DF_DZ = DF_DY * Y * (1 - Y)             # -0.222847
HAND = {"f": 1.0, "y": DF_DY, "z": DF_DZ, "x1": DF_DZ * 0.4, "w1": DF_DZ * 2,
        "x2": DF_DZ * -0.2, "w2": DF_DZ * 3, "t": -DF_DY}
NODES = 11  # x1 w1 x2 w2 t, the two products, z, y, y − t, f



def gif_frames(path) -> int:
    with open(path, "rb") as file:
        assert file.read(6) == b"GIF89a"
    with Image.open(path) as image:
        return image.n_frames


pytestmark = pytest.mark.usefixtures("automatic_backend")


def shown(x: float) -> str:
    """``x`` as the pictures write it: at most 4 decimals, no trailing zeros, the
    typographic minus sign."""
    return f"{x:.4f}".rstrip("0").rstrip(".").replace("-", "−")


def test_the_steps_are_derives_and_the_hand_calculation(worked_example):
    f = worked_example["f"]
    anim = animate_backward(f)
    steps, names = anim.derivation.steps, derive(f).names
    assert [s.name for s in steps] == [names[node] for node in topological_order(f)[::-1]]
    assert steps[0].name == "f" and steps[0].terms == ()          # the seed
    for step in steps:
        if step.name in HAND:
            assert step.grad == pytest.approx(HAND[step.name], abs=1e-12)
    assert HAND["w1"] == pytest.approx(-0.445694, abs=1e-6)
    # Each term is ∂f/∂child times the op's own local derivative.
    (z_term,) = steps[4].terms
    assert (z_term.child, z_term.formula) == ("y", "σ({0})(1 − σ({0}))")
    assert z_term.local == pytest.approx(Y * (1 - Y))
    # One frame per step, titled with the step's node, then the finished graph.
    assert len(anim.frames) == len(steps) + 1
    for k, (frame, step) in enumerate(zip(anim.frames, steps), start=1):
        assert frame.caption[0].startswith(f"Step {k} of {len(steps)}: ")
        assert step.name in frame.caption[0]
    f.backward()
    by_name = {names[node]: node for node in topological_order(f)}
    assert all(step.grad == by_name[step.name].grad for step in steps)  # to the last bit


def test_a_node_used_twice_sums_its_terms():
    a = Value(2.0, label="a")
    f = a * a + a                    # ∂f/∂a = 2a + 1 = 5, v1 = a·a
    anim = animate_backward(f)
    last = anim.derivation.steps[-1]
    assert last.name == "a" and last.grad == 5.0
    assert sorted(t.local for t in last.terms) == [1.0, 2.0, 2.0]
    assert anim.frames[2].caption == (
        "Step 3 of 3: a gets its gradient from f and v1",
        "∂f/∂a = 1 + ∂f/∂v1 · ∂v1/∂a + ∂f/∂v1 · ∂v1/∂a = 1 + 1 · 2 + 1 · 2 = 5",
        "where ∂v1/∂a = a")


def test_constants_are_numbers_and_take_no_step():
    x = Value(3.0, label="x")
    anim = animate_backward(x * 2 + 1)                   # v1 = x·2, f = v1 + 1
    assert [s.name for s in anim.derivation.steps] == ["f", "v1", "x"]
    constants = [b.fields for b in anim.frames[0].boxes.values()
                 if not b.is_op and len(b.fields) == 1]
    assert sorted(constants) == [("data 1",), ("data 2",)]   # no name, no grad: a number
    assert anim.frames[2].caption[1] == "∂f/∂x = ∂f/∂v1 · ∂v1/∂x = 1 · 2 = 2"
    assert anim.frames[-1].caption[1] == "∂f/∂x = 2"


def test_frames_fill_in_the_gradients_one_step_at_a_time(worked_example):
    f = worked_example["f"]
    anim = animate_backward(f)
    assert len(anim.frames) == NODES + 1                       # the steps, then "done"
    for k, frame in enumerate(anim.frames[:-1]):
        values = [b for b in frame.boxes.values() if not b.is_op]
        assert sum(b.fields[-1] == "grad ?" for b in values) == NODES - (k + 1)
        assert [b.highlight for b in values].count(True) == 1   # the active node
    assert not any(b.highlight for b in anim.frames[-1].boxes.values())
    f.backward()  # the engine's grads, only now: the animation must not need them
    final = {b.fields[0]: b.fields[-1] for b in anim.frames[-1].boxes.values() if not b.is_op}
    names = derive(f).names        # unlabelled nodes are shown with derive()'s names
    assert {names[node]: f"grad {shown(node.grad)}" for node in topological_order(f)} == final


def test_captions_show_the_chain_rule_products(worked_example):
    anim = animate_backward(worked_example["f"])
    captions = [frame.caption for frame in anim.frames]
    assert captions[0][1] == "∂f/∂f = 1"
    # Worked out by hand above: ∂f/∂y = 2(y − t) = -0.9003, σ'(z) = y(1 − y) = 0.2475.
    assert captions[4] == ("Step 5 of 11: z gets its gradient from y",
                           "∂f/∂z = ∂f/∂y · ∂y/∂z = (−0.9003) · 0.2475 = −0.2228",
                           "where ∂y/∂z = σ(z)(1 − σ(z))")
    # v1 = x1·w1 is derive()'s name for the unlabelled product, shown in its box.
    assert captions[9][:2] == ("Step 10 of 11: w1 gets its gradient from v1",
                               "∂f/∂w1 = ∂f/∂v1 · ∂v1/∂w1 = (−0.2228) · 2 = −0.4457")
    assert "∂f/∂w1 = −0.4457" in captions[-1][1]
    # One minus sign throughout: the formulas' (1 − σ(z)) and the numbers' (−0.9003).
    assert not any("-" in line for caption in captions for line in caption)


def test_the_users_grads_and_labels_are_left_alone(worked_example):
    f = worked_example["f"]
    nodes = topological_order(f)
    before = [(n.label, n.grad) for n in nodes]
    animate_backward(f)
    assert [(n.label, n.grad) for n in nodes] == before
    f.backward()
    after_backward = [(n.label, n.grad) for n in nodes]
    animate_backward(f)                                  # not a second backward pass
    assert [(n.label, n.grad) for n in nodes] == after_backward


@pytest.mark.parametrize("backend", ["dot", "matplotlib"], indirect=True)
def test_gif_has_one_frame_per_step(backend, tmp_path, worked_example):
    path = tmp_path / "backward.gif"
    assert animate_backward(worked_example["f"], path, dpi=40) == str(path)
    assert gif_frames(path) == NODES + 1
    assert path.stat().st_size < 1_000_000


def test_without_system_graphviz(no_dot, tmp_path):
    assert viz.get_backend() in ("wasm", "matplotlib")
    a = Value(2.0, label="a")
    path = animate_backward(a * a + a, tmp_path / "a.gif", dpi=40)
    assert gif_frames(path) == 3 + 1
    viz.set_backend("matplotlib")                        # the built-in layout
    assert gif_frames(animate_backward(a * a + a, tmp_path / "b.gif", dpi=40)) == 3 + 1


def test_jupyter_shows_a_player_with_a_slider():
    a = Value(2.0, label="a")
    html = animate_backward(a * a + a, dpi=40, direction="LR")._repr_html_()
    assert 'class="animation"' in html and 'class="anim-slider"' in html
    assert html.count("data:image/png;base64") == 3 + 1


def test_a_frame_as_a_figure(tmp_path, worked_example):
    anim = animate_backward(worked_example["f"], dpi=40)
    anim.figure(3).savefig(tmp_path / "step4.png")
    assert (tmp_path / "step4.png").read_bytes().startswith(b"\x89PNG")


def test_errors_say_what_to_do(tmp_path, worked_example):
    with pytest.raises(TypeError, match="Values or its derivation, got Tensor"):
        animate_backward(Tensor([1.0], requires_grad=True))
    with pytest.raises(ValueError, match=r"\.gif"):
        animate_backward(worked_example["f"], tmp_path / "f.png")
    with pytest.raises(ValueError, match="decimals"):
        animate_backward(worked_example["f"], decimals=-1)


def test_a_derivation_by_hand_is_replayed_with_its_own_numbers(worked_example):
    f = worked_example["f"]
    by_hand = derive(f, decimals=4)
    anim = animate_backward(by_hand)
    assert anim.derivation is by_hand
    captions = [frame.caption for frame in anim.frames]
    # Rounded as by hand: ∂f/∂y = 2·(0.5498 − 1) = −0.9004, ∂y/∂z = 0.5498·0.4502 =
    # 0.24751996 (a local derivative, shown unrounded to 6 decimals as the derivation
    # shows it), ∂f/∂z = −0.9004·0.24752 = −0.2229, ∂f/∂w1 = −0.2229·2 = −0.4458.
    assert captions[4][1] == "∂f/∂z = ∂f/∂y · ∂y/∂z = (−0.9004) · 0.24752 = −0.2229"
    assert captions[9][1] == "∂f/∂w1 = ∂f/∂v1 · ∂v1/∂w1 = (−0.2229) · 2 = −0.4458"
    final = {b.fields[0]: b.fields[-1] for b in anim.frames[-1].boxes.values() if not b.is_op}
    assert final["w1"] == "grad −0.4458" and final["z"] == "grad −0.2229"
    # The picture's caption says which numbers these are.
    assert anim.layout.caption[0].startswith("by hand: each value and gradient rounded to 4")
    assert animate_backward(f).layout.caption[0].startswith("exact: ")


def test_the_step_points_the_way_the_gradient_flows_and_marks_the_partner(worked_example):
    anim = animate_backward(worked_example["f"])
    step = next(k for k, s in enumerate(anim.derivation.steps) if s.name == "w1")
    frame = anim.frames[step]
    name = {box.fields[0]: key for key, box in frame.boxes.items() if not box.is_op}
    # w1 gets ∂f/∂v1 · x1: the arrows v1 ← × ← w1 are drawn backwards and lit, and x1,
    # the other operand of ×, is marked as the factor ∂v1/∂w1.
    lit = {ends for ends, arrow in frame.arrows.items() if arrow.highlight}
    assert all(frame.arrows[ends].backward for ends in lit) and len(lit) == 2
    times = next(head for tail, head in lit if tail == name["w1"])
    assert lit == {(name["w1"], times), (times, name["v1"])}
    assert frame.boxes[name["x1"]].partner and not frame.boxes[name["x1"]].highlight
    assert [key for key, box in frame.boxes.items() if box.partner] == [name["x1"]]
    # Nothing is drawn backwards in the finished picture.
    assert not any(arrow.backward for arrow in anim.frames[-1].arrows.values())
    # y = σ(z): ∂y/∂z is made of z itself, so the step of z marks no partner.
    z_step = next(k for k, s in enumerate(anim.derivation.steps) if s.name == "z")
    assert not any(box.partner for box in anim.frames[z_step].boxes.values())


def test_a_backward_arrow_is_drawn_with_its_head_at_the_tail(worked_example):
    anim = animate_backward(worked_example["f"], dpi=40)
    step = next(k for k, s in enumerate(anim.derivation.steps) if s.name == "w1")
    lit = [a for a in anim.figure(step).axes[0].patches if isinstance(a, FancyArrowPatch)
           and a.get_edgecolor() == to_rgba(HIGHLIGHT)]
    assert len(lit) == 2
    # Each lit arrow starts where the forward arrow ends (its head is at the other end).
    edges = {(a.tail, a.head): path for a, path in anim.layout.edges}
    forward = [edges[ends] for ends, arrow in anim.frames[step].arrows.items()
               if arrow.backward]
    assert np.allclose(sorted(tuple(a.get_path().vertices[0]) for a in lit),
                       sorted(tuple(path.vertices[-1]) for path in forward))
