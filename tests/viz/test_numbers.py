"""One way of writing numbers, in pictures, derivations and animations alike: significant
digits, scientific notation for the very small and the very large, never -0."""

import math
import re

import pytest

from autograd import Value, derive
from autograd.notation import format_number
from viz import animate_backward, draw_graph


@pytest.mark.parametrize("x, places, text", [
    (-0.445694, None, "-0.445694"),      # exact: 6 significant digits
    (-0.445694, 4, "-0.4457"),           # at most 4 decimals
    (-0.4458, 4, "-0.4458"),             # a number rounded by hand reads as written
    (0.5, 4, "0.5"), (2.0, 4, "2"),      # no trailing zeros
    (0.00012345, 4, "0.00012"),          # 4 decimals would leave 1 digit: 2 are kept
    (0.0001, 4, "0.0001"),
    (2.0611536e-09, 4, "2.061e-09"),     # σ'(20): scientific below 1e-4
    (2.0611536e-09, None, "2.06115e-09"),
    (-3.2e-07, 2, "-3.2e-07"),
    (123456.789, 4, "1.235e+05"),        # and from 1e5 on
    (99999.5, 4, "99999.5"),
    (3269017.37, None, "3.26902e+06"),
    (0.0, 4, "0"), (-0.0, 4, "0"), (-0.0, None, "0"),   # never -0
    (float("nan"), 4, "nan"), (float("-inf"), 4, "-inf"),
])
def test_format_number(x, places, text):
    assert format_number(x, places) == text
    assert format_number(x, places, minus="−") == text.replace("-", "−")


def texts(graph) -> list[str]:
    return [field for box in graph.picture.boxes.values() for field in box.fields]


def numbers_in(lines) -> list[str]:
    """Every number written in ``lines``, with its sign."""
    return re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−+-]\d+)?", " ".join(lines))


def test_small_gradients_do_not_vanish_from_the_picture():
    x = Value(20.0, label="x")
    f = x.sigmoid()                      # σ'(20) = e^-20 / (1 + e^-20)² = 2.0611536e-09
    f.backward()
    local = math.exp(-20) / (1 + math.exp(-20)) ** 2
    assert f"grad {format_number(local, 4, minus='−')}" == "grad 2.061e−09"
    assert "grad 2.061e−09" in texts(draw_graph(f))
    assert "grad 2.061e−09" in texts(draw_graph(derive(f)))
    assert "2.06115e-09" in str(derive(f))
    anim = animate_backward(f)
    assert anim.frames[1].caption[1] == "∂f/∂x = σ(x)(1 − σ(x)) = 2.061e−09"


def test_no_picture_shows_a_zero_for_a_number_that_is_not_zero():
    # Products of small numbers: every value and gradient is far from 0, some below 1e-4.
    a, b = Value(3e-3, label="a"), Value(-2e-3, label="b")
    f = (a * b * b - a * 1e-6).exp()
    f.backward()
    for graph in (draw_graph(f), draw_graph(derive(f)), draw_graph(f, decimals=2)):
        written = numbers_in(texts(graph))
        assert written and not [n for n in written if float(n.replace("−", "-")) == 0]
        assert not re.search(r"[−-]0(?:\.0+)?(?![\d.e])", " ".join(texts(graph)))


def test_a_calculation_by_hand_keeps_its_zeros_and_never_writes_minus_zero():
    x = Value(-0.00003, label="x")
    f = x * 1.0                          # by hand, to 4 decimals, x is written as 0
    by_hand = derive(f, decimals=4)
    assert by_hand.value("x") == 0 and "x|data 0|grad 1" in {
        "|".join(box.fields) for box in draw_graph(by_hand).picture.boxes.values()}
    assert "-0 " not in str(by_hand) + " " and "−0" not in " ".join(texts(draw_graph(by_hand)))
    # Exact, it is a small number, written as one.
    assert "data −3e−05" in texts(draw_graph(f))
