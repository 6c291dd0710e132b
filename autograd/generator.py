"""Random numbers as PyTorch draws them: one default generator, seeded by ``manual_seed``.

Every random function (``randn``, ``rand``, ``randint``, ``randperm``, ``normal``, dropout,
``nn.init``, shuffling) draws from a :class:`Generator`: the one passed as ``generator=``,
else the default one. So ``manual_seed(0)`` at the top of a program makes every run draw
the same numbers, as ``torch.manual_seed(0)`` does (the numbers themselves differ from
PyTorch's: each library has its own generator).

    >>> _ = manual_seed(0); a = default_generator.numpy.standard_normal()
    >>> _ = manual_seed(0); a == default_generator.numpy.standard_normal()
    True
"""

from __future__ import annotations

import sys

import numpy as np


class Generator:
    """A seeded source of random numbers: ``Generator().manual_seed(42)``.

    ``numpy`` is the NumPy ``Generator`` it draws with (a GPU tensor's numbers are drawn
    on the host and copied, so a seed gives the same numbers on either device).
    """

    def __init__(self, device="cpu"):
        self.device = device
        self.numpy = np.random.default_rng()
        self._seed = None

    def manual_seed(self, seed: int) -> Generator:
        """Restart the sequence from ``seed``; returns the generator, as PyTorch."""
        self._seed = int(seed)
        self.numpy = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int | None:
        """The last seed given (None if never seeded)."""
        return self._seed

    def get_state(self) -> dict:
        """The generator's state, to restore with :meth:`set_state`."""
        return self.numpy.bit_generator.state

    def set_state(self, state: dict) -> None:
        self.numpy.bit_generator.state = state


#: The generator every random function uses when none is given.
default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, so that a program draws the same numbers every run.

    NumPy's global random state is seeded too: nn draws weights, dropout masks and the
    array loader's shuffles from it (so that ``np.random.seed`` reproduces a homework's
    batches), and ``manual_seed`` must make those the same on every run as well. GPU
    tensors draw on the host too; CuPy's own generator is seeded as well, when CuPy is
    loaded, for a program that draws with CuPy directly.
    """
    np.random.seed(int(seed) % 2**32)
    cupy = sys.modules.get("cupy")
    if cupy is not None:
        cupy.random.seed(int(seed) % 2**32)
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator from the operating system's entropy; return the seed."""
    value = int(np.random.SeedSequence().entropy % 2**63)
    default_generator.manual_seed(value)
    return value


def rng(generator: Generator | None = None) -> np.random.Generator:
    """The NumPy generator to draw with: ``generator``'s, else the default one's."""
    return (generator or default_generator).numpy
