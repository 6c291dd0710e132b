"""Dropout: ``dropout``, ``dropout1d``, ``dropout2d`` and the layers ``Dropout``,
``Dropout1d``, ``Dropout2d``.

In training each element (``Dropout``) or each whole channel of a sequence
(``Dropout1d``) or of an image (``Dropout2d``) is zeroed with probability p, and the
survivors are scaled by 1/(1 − p) ("inverted" dropout), so the expected value of every
element is unchanged and evaluation needs no correction: in ``eval()`` mode the layers
pass their input through untouched. The masks are drawn from NumPy's global random state,
so ``np.random.seed`` reproduces them.

``inplace=True`` is accepted, for PyTorch programs; the result is a new tensor all the
same.
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
    # The mask is drawn on the host, so that a seed drops the same elements on any device.
    return x * Tensor((keep * scale).astype(x.dtype), label="dropout mask").to(x.device)


def dropout(x, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
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


def _drop_channels(name: str, x, p: float, training: bool, dims: int) -> Tensor:
    """Zero whole channels of a batch (N, C, *spatial) or of one sample (C, *spatial),
    ``dims`` being the number of spatial dims."""
    _check(p)
    x = as_tensor(x, name)
    if x.ndim not in (dims + 1, dims + 2):
        raise ValueError(f"{name}: expected a batch (N, C{', L' if dims == 1 else ', H, W'}) or "
                         f"one sample without N, got shape {tuple(x.shape)}")
    channels = x.shape[:x.ndim - dims]
    return _drop(x, p, channels + (1,) * dims) if training else x


def dropout1d(x, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each whole channel of each sequence (N, C, L) with probability ``p``.

        >>> import numpy as np
        >>> np.random.seed(2)
        >>> dropout1d(Tensor.ones(1, 4, 3), p=0.5)[0, :, 0]  # one value per channel
        tensor([2., 2., 0., 2.])
    """
    return _drop_channels("dropout1d", x, p, training, 1)


def dropout2d(x, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each whole channel of each image (N, C, H, W) with probability ``p``.

        >>> import numpy as np
        >>> np.random.seed(2)
        >>> dropout2d(Tensor.ones(1, 4, 2, 2), p=0.5)[0, :, 0, 0]  # one value per channel
        tensor([2., 2., 0., 2.])

    Neighbouring pixels of a feature map are strongly correlated, so dropping single
    pixels would regularise little; dropping channels does (Tompson et al., 2015).
    """
    return _drop_channels("dropout2d", x, p, training, 2)


class Dropout(Module):
    """Dropout as a layer: active in ``train()`` mode, the identity in ``eval()`` mode.

        >>> layer = Dropout(p=0.2)
        >>> layer.eval()(Tensor.ones(3)).data
        array([1., 1., 1.], dtype=float32)
    """

    function = staticmethod(dropout)

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        _check(p)
        self.p, self.inplace = p, inplace

    def forward(self, x) -> Tensor:
        return self.function(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """Channel dropout as a layer, for sequences (N, C, L); see :func:`dropout1d`.

        >>> layer = Dropout1d(p=0.2)
        >>> layer(Tensor.ones(8, 16, 5)).shape
        Size([8, 16, 5])
    """

    function = staticmethod(dropout1d)


class Dropout2d(Dropout):
    """Channel dropout as a layer, for convnets; see :func:`dropout2d`.

        >>> layer = Dropout2d(p=0.2)
        >>> layer(Tensor.ones(8, 16, 5, 5)).shape
        Size([8, 16, 5, 5])
    """

    function = staticmethod(dropout2d)
