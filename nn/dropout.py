"""Dropout: ``dropout``, ``dropout2d`` and the layers ``Dropout``, ``Dropout2d``.

In training each element (``Dropout``) or each whole channel of an image (``Dropout2d``)
is zeroed with probability p, and the survivors are scaled by 1/(1 − p) ("inverted"
dropout), so the expected value of every element is unchanged and evaluation needs no
correction: in ``eval()`` mode the layers pass their input through untouched. The masks
are drawn from NumPy's global random state, so ``np.random.seed`` reproduces them.
"""

from __future__ import annotations

from autograd import Tensor

from .inputs import as_tensor
from .module import Module
from .rng import default_rng


def _check(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _drop(x: Tensor, p: float, mask_shape: tuple) -> Tensor:
    keep = default_rng().random(mask_shape) < 1.0 - p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    # x · mask with a constant mask: multiplication's rule gives the gradient g · mask,
    # so a dropped element passes no gradient back.
    return x * Tensor((keep * scale).astype(x.dtype), label="dropout mask")


def dropout(x, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1 − p).

        >>> import numpy as np
        >>> np.random.seed(2)
        >>> dropout(Tensor.ones(2, 4), p=0.5)
        tensor([[2., 2., 0., 2.],
                [2., 2., 2., 0.]])

    With ``training=False`` it returns ``x`` itself, as ``torch.nn.functional.dropout``.
    """
    _check(p)
    x = as_tensor(x, "dropout")
    return _drop(x, p, x.shape) if training else x


def dropout2d(x, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each whole channel of each image (N, C, H, W) with probability ``p``.

        >>> import numpy as np
        >>> np.random.seed(2)
        >>> dropout2d(Tensor.ones(1, 4, 2, 2), p=0.5)[0, :, 0, 0]  # one value per channel
        tensor([2., 2., 0., 2.])

    Neighbouring pixels of a feature map are strongly correlated, so dropping single
    pixels would regularise little; dropping channels does (Tompson et al., 2015).
    """
    _check(p)
    x = as_tensor(x, "dropout2d")
    if x.ndim != 4:
        raise ValueError(f"dropout2d: expected a batch of images (N, C, H, W), got shape "
                         f"{tuple(x.shape)}")
    return _drop(x, p, x.shape[:2] + (1, 1)) if training else x


class Dropout(Module):
    """Dropout as a layer: active in ``train()`` mode, the identity in ``eval()`` mode.

        >>> layer = Dropout(p=0.2)
        >>> layer.eval()(Tensor.ones(3)).data
        array([1., 1., 1.], dtype=float32)
    """

    def __init__(self, p: float = 0.5):
        super().__init__()
        _check(p)
        self.p = p

    def forward(self, x) -> Tensor:
        return dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Dropout2d(Dropout):
    """Channel dropout as a layer, for convnets; see :func:`dropout2d`.

        >>> layer = Dropout2d(p=0.2)
        >>> layer(Tensor.ones(8, 16, 5, 5)).shape
        Size([8, 16, 5, 5])
    """

    def forward(self, x) -> Tensor:
        return dropout2d(x, self.p, self.training)
