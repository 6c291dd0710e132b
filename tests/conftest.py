"""Fixtures shared by the test folders."""

import pytest

from autograd import Value


@pytest.fixture
def worked_example() -> dict[str, Value]:
    """The homework's worked example f = (σ(x1·w1 + x2·w2) − t)², its nodes by label.

    The graph before any backward pass: every grad is still 0.
    """
    x1, x2 = Value(2, label="x1"), Value(3, label="x2")
    w1, w2 = Value(0.4, label="w1"), Value(-0.2, label="w2")
    t = Value(1, label="t")
    z = x1 * w1 + x2 * w2; z.label = "z"
    y = z.sigmoid(); y.label = "y"
    f = (y - t) ** 2; f.label = "f"
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, t=t, z=z, y=y, f=f)


@pytest.fixture
def solved_example(worked_example) -> dict[str, Value]:
    """The worked example after ``f.backward()``: every grad filled in."""
    worked_example["f"].backward()
    return worked_example
